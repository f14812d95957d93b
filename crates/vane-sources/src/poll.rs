//! One poll of a configured source: fetch within the policy, read the
//! payload into documents, and say what to remember for next time
//! (ETag, Last-Modified, cursor) and when to come back (the interval when
//! all is well, doubling back-off after failures).

use reqwest::header::{self, HeaderMap, HeaderValue};
use serde_json::Value;
use vane_model::{
    Channel, CursorMapping, Document, DocumentId, FieldMapping, SourceConfig, SourceKind,
    SourceState, Timestamp,
};

use crate::fetch::{FetchError, Fetcher, headers};
use crate::parse_feed;

/// Back-off never waits longer than this.
const MAX_BACKOFF_SECONDS: u64 = 6 * 3_600;
/// A feed item with less text than this is a summary: with
/// `full_article`, its page is fetched.
const SUMMARY_CHARS: usize = 280;

/// Something a poll could not read, to become a dead letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    pub item_id: Option<String>,
    pub reason: String,
    pub payload: String,
}

/// What one poll produced.
#[derive(Debug, Clone, Default)]
pub struct PollOutcome {
    pub documents: Vec<Document>,
    pub rejected: Vec<Rejected>,
    /// The state to store; its `next_fetch_at` says when to poll again.
    pub state: SourceState,
    /// The server said nothing changed (304).
    pub not_modified: bool,
}

fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(4_096)]).into_owned();
    if bytes.len() > 4_096 {
        format!("{text}… ({} bytes in all)", bytes.len())
    } else {
        text
    }
}

/// Polls `config` once at time `now` (Unix seconds).
pub async fn poll(
    fetcher: &Fetcher,
    config: &SourceConfig,
    state: &SourceState,
    now: i64,
) -> PollOutcome {
    let mut state = state.clone();
    state.last_fetch_at = Some(now);
    state.fetches += 1;
    let result = match config.kind {
        SourceKind::Feed => poll_feed(fetcher, config, &state).await,
        SourceKind::JsonApi => poll_json_api(fetcher, config, &state).await,
    };
    match result {
        Ok(mut outcome) => {
            state.last_success_at = Some(now);
            state.last_error = None;
            state.consecutive_failures = 0;
            state.items += outcome.documents.len() as u64;
            state.next_fetch_at = Some(now + config.interval_seconds.max(1) as i64);
            if let Some(etag) = outcome.state.etag.take() {
                state.etag = Some(etag);
            }
            if let Some(modified) = outcome.state.last_modified.take() {
                state.last_modified = Some(modified);
            }
            if let Some(cursor) = outcome.state.cursor.take() {
                state.cursor = Some(cursor);
            }
            outcome.state = state;
            outcome
        }
        Err((reason, rejected)) => {
            state.errors += 1;
            state.consecutive_failures += 1;
            state.last_error = Some(reason);
            let backoff = config
                .interval_seconds
                .max(1)
                .saturating_mul(1 << state.consecutive_failures.min(16))
                .min(MAX_BACKOFF_SECONDS);
            state.next_fetch_at = Some(now + backoff as i64);
            PollOutcome {
                documents: Vec::new(),
                rejected: rejected.into_iter().collect(),
                state,
                not_modified: false,
            }
        }
    }
}

type PollResult = Result<PollOutcome, (String, Option<Rejected>)>;

/// A payload that could not be read: the source's error, and a dead letter
/// holding the payload.
fn unreadable(reason: String, body: &[u8]) -> (String, Option<Rejected>) {
    (
        reason.clone(),
        Some(Rejected {
            item_id: None,
            reason,
            payload: excerpt(body),
        }),
    )
}

fn request_headers(config: &SourceConfig) -> Result<HeaderMap, (String, Option<Rejected>)> {
    headers(&config.headers).map_err(|reason| (reason, None))
}

async fn poll_feed(fetcher: &Fetcher, config: &SourceConfig, state: &SourceState) -> PollResult {
    let mut request = request_headers(config)?;
    if let Some(etag) = state
        .etag
        .as_deref()
        .and_then(|v| HeaderValue::from_str(v).ok())
    {
        request.insert(header::IF_NONE_MATCH, etag);
    }
    if let Some(modified) = state
        .last_modified
        .as_deref()
        .and_then(|v| HeaderValue::from_str(v).ok())
    {
        request.insert(header::IF_MODIFIED_SINCE, modified);
    }
    let fetched = fetcher
        .get(&config.url, &request)
        .await
        .map_err(|error: FetchError| (error.to_string(), None))?;
    if fetched.not_modified() {
        return Ok(PollOutcome {
            not_modified: true,
            ..PollOutcome::default()
        });
    }
    let feed = parse_feed(&fetched.body, fetched.content_type.as_deref()).map_err(|error| {
        unreadable(
            format!("malformed feed {}: {error}", config.url),
            &fetched.body,
        )
    })?;
    let mut documents = Vec::with_capacity(feed.items.len());
    for item in &feed.items {
        let mut document = item.to_document(config.id.as_str());
        if let Some(channel) = config.channel {
            document.channel = Some(channel);
        }
        if config.full_article
            && !item.url.is_empty()
            && item.text.chars().count() < SUMMARY_CHARS
            && let Ok(page) = fetcher.get(&item.url, &HeaderMap::new()).await
            && !page.not_modified()
        {
            let html = vane_text::decode(&page.body, page.content_type.as_deref()).text;
            let article = vane_text::extract_article(&html);
            let text = article.text();
            if text.chars().count() > item.text.chars().count() {
                document.body = text;
            }
        }
        documents.push(document);
    }
    Ok(PollOutcome {
        documents,
        state: SourceState {
            etag: fetched.etag,
            last_modified: fetched.last_modified,
            ..SourceState::default()
        },
        ..PollOutcome::default()
    })
}

async fn poll_json_api(
    fetcher: &Fetcher,
    config: &SourceConfig,
    state: &SourceState,
) -> PollResult {
    let mapping = config.mapping.as_ref().ok_or_else(|| {
        (
            format!("source {} is a JSON API without a field mapping", config.id),
            None,
        )
    })?;
    let cursor = state.cursor.clone().unwrap_or_default();
    let url = config
        .url
        .replace("{cursor}", &cursor)
        .replace("{since_id}", &cursor);
    let fetched = fetcher
        .get(&url, &request_headers(config)?)
        .await
        .map_err(|error| (error.to_string(), None))?;
    let value: Value = serde_json::from_slice(&fetched.body).map_err(|error| {
        unreadable(format!("malformed JSON from {url}: {error}"), &fetched.body)
    })?;
    let (documents, rejected) =
        map_items(&value, mapping, config).map_err(|reason| unreadable(reason, &fetched.body))?;
    let next_cursor = match &mapping.cursor {
        Some(CursorMapping::Cursor { pointer }) => value.pointer(pointer).and_then(scalar_text),
        Some(CursorMapping::SinceId) => documents
            .iter()
            .filter_map(|document: &Document| {
                let raw = document
                    .id
                    .as_str()
                    .strip_prefix(&format!("{}:", config.id))?;
                Some(raw.to_string())
            })
            .max_by(|a, b| compare_ids(a, b))
            .or(state.cursor.clone()),
        None => None,
    };
    Ok(PollOutcome {
        documents,
        rejected,
        state: SourceState {
            cursor: next_cursor,
            ..SourceState::default()
        },
        ..PollOutcome::default()
    })
}

/// Numeric ids compare as numbers, others as text.
fn compare_ids(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.parse::<u128>(), b.parse::<u128>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// Reads a platform's JSON through a field mapping: documents, and the
/// items that could not be read with why.
pub fn map_items(
    value: &Value,
    mapping: &FieldMapping,
    config: &SourceConfig,
) -> Result<(Vec<Document>, Vec<Rejected>), String> {
    let items = if mapping.items.is_empty() {
        value
    } else {
        value
            .pointer(&mapping.items)
            .ok_or_else(|| format!("no items at {} in the response", mapping.items))?
    };
    let items = items
        .as_array()
        .ok_or_else(|| format!("the items at `{}` are not an array", mapping.items))?;
    let mut documents = Vec::new();
    let mut rejected = Vec::new();
    for (index, item) in items.iter().enumerate() {
        match map_item(item, mapping, config) {
            Ok(document) => documents.push(document),
            Err(reason) => rejected.push(Rejected {
                item_id: item.pointer(&mapping.id).and_then(scalar_text),
                reason: format!("item {index}: {reason}"),
                payload: item.to_string().chars().take(4_096).collect(),
            }),
        }
    }
    Ok((documents, rejected))
}

fn map_item(
    item: &Value,
    mapping: &FieldMapping,
    config: &SourceConfig,
) -> Result<Document, String> {
    let id = item
        .pointer(&mapping.id)
        .and_then(scalar_text)
        .filter(|id| !id.is_empty())
        .ok_or_else(|| format!("no id at {}", mapping.id))?;
    let mut document = Document {
        id: DocumentId::new(format!("{}:{id}", config.id)),
        channel: config.channel,
        ..Document::default()
    };
    for (field, pointer) in &mapping.fields {
        let Some(found) = item.pointer(pointer) else {
            continue;
        };
        if found.is_null() {
            continue;
        }
        let text = || scalar_text(found).ok_or_else(|| format!("{field} at {pointer} is not text"));
        let number = || -> Result<u64, String> {
            match found {
                Value::Number(number) => number
                    .as_u64()
                    .or_else(|| number.as_f64().map(|float| float.max(0.0) as u64))
                    .ok_or_else(|| format!("{field} at {pointer} is not a count")),
                Value::String(text) => text
                    .trim()
                    .parse()
                    .map_err(|_| format!("{field} at {pointer} is not a count: `{text}`")),
                _ => Err(format!("{field} at {pointer} is not a count")),
            }
        };
        let flag = || match found {
            Value::Bool(flag) => Ok(*flag),
            Value::Number(number) => Ok(number.as_i64() != Some(0)),
            Value::String(text) => Ok(matches!(text.as_str(), "true" | "1" | "yes")),
            _ => Err(format!("{field} at {pointer} is not true or false")),
        };
        match field.as_str() {
            "title" => document.title = text()?,
            "body" => {
                let body = text()?;
                document.body = if body.contains('<') {
                    vane_text::extract_article(&body).text()
                } else {
                    body
                };
            }
            "url" => document.url = text()?,
            "author" => document.author = text()?,
            "lang" => document.lang = text()?,
            "country" => document.country = text()?,
            "region" => document.region = text()?,
            "channel" => {
                document.channel = Some(
                    text()?
                        .parse::<Channel>()
                        .map_err(|error| format!("{field}: {error}"))?,
                )
            }
            "published_at" => document.published_at = Some(published(found)?),
            "verified" => document.verified = flag()?,
            "repost" => document.repost = flag()?,
            "followers" => document.followers = number()?,
            "likes" => document.likes = number()?,
            "comments" => document.comments = number()?,
            "shares" => document.shares = number()?,
            "views" => document.views = number()?,
            other => return Err(format!("the mapping names an unknown field `{other}`")),
        }
    }
    Ok(document)
}

/// A time as platforms give it: RFC 3339, RFC 2822 (Weibo's
/// `Tue Nov 24 09:30:00 +0800 2026` is handled as well), or Unix seconds
/// or milliseconds.
fn published(value: &Value) -> Result<String, String> {
    if let Some(number) = value.as_i64() {
        let seconds = if number > 100_000_000_000 {
            number / 1_000
        } else {
            number
        };
        return Ok(Timestamp(seconds).to_string());
    }
    let text = scalar_text(value).ok_or("published_at is not a time")?;
    if let Ok(time) = Timestamp::parse(&text) {
        return Ok(time.to_string());
    }
    if let Ok(time) = Timestamp::parse_rfc2822(&text) {
        return Ok(time.to_string());
    }
    // `Tue Nov 24 09:30:00 +0800 2026`: move the year before the time
    let parts: Vec<&str> = text.split_whitespace().collect();
    if let [weekday, month, day, clock, zone, year] = parts.as_slice() {
        let reordered = format!("{weekday}, {day} {month} {year} {clock} {zone}");
        if let Ok(time) = Timestamp::parse_rfc2822(&reordered) {
            return Ok(time.to_string());
        }
    }
    Err(format!("published_at `{text}` is not a time Vane can read"))
}
