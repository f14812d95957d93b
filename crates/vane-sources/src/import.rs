//! Reading documents from what users and partners hand over: NDJSON (a
//! file or a pushed batch), CSV with a column mapping, and saved RSS/Atom
//! files. Every item gets a stable id: the one it carries, else its
//! canonical URL, else a hash of its content, so importing or pushing the
//! same item again is recognised as a duplicate.

use std::collections::BTreeMap;

use serde_json::Value;
use vane_model::{Channel, Document, DocumentId};

use crate::poll::Rejected;

/// The formats a file import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    Ndjson,
    Csv,
    Feed,
}

impl ImportFormat {
    /// By extension, else by the first non-blank byte.
    pub fn detect(path: &str, head: &[u8]) -> ImportFormat {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".csv") {
            return ImportFormat::Csv;
        }
        if lower.ends_with(".ndjson") || lower.ends_with(".jsonl") {
            return ImportFormat::Ndjson;
        }
        if [".xml", ".rss", ".atom", ".rdf"]
            .iter()
            .any(|extension| lower.ends_with(extension))
        {
            return ImportFormat::Feed;
        }
        match head.iter().find(|byte| !byte.is_ascii_whitespace()) {
            Some(b'<') => ImportFormat::Feed,
            Some(b'{') => ImportFormat::Ndjson,
            _ => ImportFormat::Csv,
        }
    }
}

/// 64-bit FNV-1a, as hex: short, stable content keys.
fn content_hash(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &byte in part.as_bytes().iter().chain(b"\x1f") {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// A URL in the form that identifies its page: scheme and host lower-case,
/// no fragment, no default port, no tracking parameters (`utm_*`,
/// `spm`, `from`), no trailing slash on the path.
pub fn canonical_url(url: &str) -> Option<String> {
    let mut parsed = url::Url::parse(url.trim()).ok()?;
    parsed.set_fragment(None);
    let kept: Vec<(String, String)> = parsed
        .query_pairs()
        .filter(|(key, _)| !(key.starts_with("utm_") || key == "spm" || key == "from"))
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    if kept.is_empty() {
        parsed.set_query(None);
    } else {
        parsed.query_pairs_mut().clear().extend_pairs(kept);
    }
    if parsed.path().len() > 1 && parsed.path().ends_with('/') {
        let trimmed = parsed.path().trim_end_matches('/').to_string();
        parsed.set_path(&trimmed);
    }
    Some(parsed.to_string())
}

/// Gives a document without an id its stable one.
pub fn assign_stable_id(document: &mut Document) {
    if !document.id.as_str().trim().is_empty() {
        return;
    }
    let id = match canonical_url(&document.url) {
        Some(url) => format!("url:{url}"),
        None => format!(
            "sha:{}",
            content_hash(&[&document.title, &document.body, &document.author])
        ),
    };
    document.id = DocumentId::new(id);
}

/// One JSON document, its id made stable when missing. The reason of a
/// failure names the field.
pub fn document_from_json(bytes: &[u8]) -> Result<Document, String> {
    let mut value: Value = serde_json::from_slice(bytes).map_err(|error| error.to_string())?;
    let Some(object) = value.as_object_mut() else {
        return Err("a document must be a JSON object".to_string());
    };
    if object.get("id").is_none_or(|id| id.is_null()) {
        object.insert("id".to_string(), Value::String(String::new()));
    }
    let mut document: Document =
        serde_json::from_value(value).map_err(|error| error.to_string())?;
    assign_stable_id(&mut document);
    Ok(document)
}

/// The documents of NDJSON text: each line read on its own, so one bad
/// line is one rejection and the rest go through.
pub fn ndjson_documents(bytes: &[u8], first_line: usize) -> Vec<Result<Document, Rejected>> {
    let mut out = Vec::new();
    for (index, line) in bytes.split(|&byte| byte == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let number = first_line + index;
        out.push(ndjson_line(line, number));
    }
    out
}

/// One NDJSON line (numbered from 1 for messages).
pub fn ndjson_line(line: &[u8], number: usize) -> Result<Document, Rejected> {
    let reject = |reason: String| Rejected {
        item_id: None,
        reason: format!("line {number}: {reason}"),
        payload: String::from_utf8_lossy(&line[..line.len().min(4_096)]).into_owned(),
    };
    let text =
        std::str::from_utf8(line).map_err(|error| reject(format!("not UTF-8 text: {error}")))?;
    document_from_json(text.as_bytes()).map_err(reject)
}

/// Which CSV column holds each document field. Unmapped fields are looked
/// up by their own name and by common Chinese headings (标题, 正文, 链接…).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsvMapping {
    /// Document field → column heading.
    pub columns: BTreeMap<String, String>,
}

const FIELDS: &[(&str, &[&str])] = &[
    ("id", &["id", "编号", "ID"]),
    ("title", &["title", "标题"]),
    ("body", &["body", "text", "content", "正文", "内容"]),
    ("url", &["url", "link", "链接", "网址", "原文链接"]),
    ("site", &["site", "站点", "网站"]),
    ("author", &["author", "作者", "发布者", "用户"]),
    ("lang", &["lang", "language", "语言"]),
    ("country", &["country", "国家"]),
    ("region", &["region", "地区", "地域"]),
    ("channel", &["channel", "渠道", "平台"]),
    (
        "published_at",
        &["published_at", "published", "date", "发布时间", "时间"],
    ),
    ("verified", &["verified", "认证"]),
    ("repost", &["repost", "转发"]),
    ("followers", &["followers", "粉丝数"]),
    ("likes", &["likes", "点赞数"]),
    ("comments", &["comments", "评论数"]),
    ("shares", &["shares", "转发数", "分享数"]),
    ("views", &["views", "阅读数", "播放量"]),
];

impl CsvMapping {
    /// Reads `field=column` pairs.
    pub fn parse(pairs: &[String]) -> Result<CsvMapping, String> {
        let mut columns = BTreeMap::new();
        for pair in pairs {
            let (field, column) = pair
                .split_once('=')
                .ok_or_else(|| format!("column mapping `{pair}` is not field=column"))?;
            let field = field.trim();
            if !FIELDS.iter().any(|(known, _)| *known == field) {
                let known: Vec<&str> = FIELDS.iter().map(|(name, _)| *name).collect();
                return Err(format!(
                    "unknown document field `{field}` in `{pair}`; the fields are {}",
                    known.join(", ")
                ));
            }
            columns.insert(field.to_string(), column.trim().to_string());
        }
        Ok(CsvMapping { columns })
    }
}

/// The documents of a CSV file with a heading row.
pub fn csv_documents(
    bytes: &[u8],
    mapping: &CsvMapping,
) -> Result<Vec<Result<Document, Rejected>>, String> {
    let text = vane_text::decode(bytes, None).text;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headings: Vec<String> = reader
        .headers()
        .map_err(|error| format!("cannot read the CSV heading row: {error}"))?
        .iter()
        .map(|heading| heading.trim().to_string())
        .collect();
    let mut columns: Vec<(&str, usize)> = Vec::new();
    for (field, aliases) in FIELDS {
        let wanted: Vec<&str> = match mapping.columns.get(*field) {
            Some(column) => vec![column.as_str()],
            None => aliases.to_vec(),
        };
        if let Some(index) = headings
            .iter()
            .position(|heading| wanted.iter().any(|name| heading.eq_ignore_ascii_case(name)))
        {
            columns.push((field, index));
        } else if let Some(column) = mapping.columns.get(*field) {
            return Err(format!(
                "the CSV has no column `{column}` (mapped to {field}); its columns are {}",
                headings.join(", ")
            ));
        }
    }
    if !columns
        .iter()
        .any(|(field, _)| matches!(*field, "title" | "body"))
    {
        return Err(format!(
            "the CSV has no title or body column; its columns are {} (map one with title=COLUMN or body=COLUMN)",
            headings.join(", ")
        ));
    }
    let mut out = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                out.push(Err(Rejected {
                    item_id: None,
                    reason: format!("row {line}: {error}"),
                    payload: String::new(),
                }));
                continue;
            }
        };
        out.push(csv_record(&record, &columns).map_err(|reason| Rejected {
            item_id: None,
            reason: format!("row {line}: {reason}"),
            payload: record.iter().collect::<Vec<_>>().join(","),
        }));
    }
    Ok(out)
}

fn csv_record(record: &csv::StringRecord, columns: &[(&str, usize)]) -> Result<Document, String> {
    let mut document = Document::default();
    for &(field, index) in columns {
        let value = record.get(index).unwrap_or("").trim();
        if value.is_empty() {
            continue;
        }
        let count = || {
            value
                .replace(',', "")
                .parse::<u64>()
                .map_err(|_| format!("{field} `{value}` is not a count"))
        };
        let flag = || matches!(value.to_lowercase().as_str(), "true" | "1" | "yes" | "是");
        match field {
            "id" => document.id = DocumentId::new(value),
            "title" => document.title = value.to_string(),
            "body" => document.body = value.to_string(),
            "url" => document.url = value.to_string(),
            "site" => document.site = value.to_string(),
            "author" => document.author = value.to_string(),
            "lang" => document.lang = value.to_string(),
            "country" => document.country = value.to_string(),
            "region" => document.region = value.to_string(),
            "channel" => {
                document.channel = Some(
                    value
                        .parse::<Channel>()
                        .map_err(|error| error.to_string())?,
                )
            }
            "published_at" => document.published_at = Some(value.to_string()),
            "verified" => document.verified = flag(),
            "repost" => document.repost = flag(),
            "followers" => document.followers = count()?,
            "likes" => document.likes = count()?,
            "comments" => document.comments = count()?,
            "shares" => document.shares = count()?,
            "views" => document.views = count()?,
            _ => {}
        }
    }
    assign_stable_id(&mut document);
    Ok(document)
}

/// The documents of a saved feed file, ids scoped by `source`.
pub fn feed_documents(bytes: &[u8], source: &str) -> Result<Vec<Document>, Rejected> {
    let feed = crate::parse_feed(bytes, None).map_err(|error| Rejected {
        item_id: None,
        reason: format!("malformed feed: {error}"),
        payload: String::from_utf8_lossy(&bytes[..bytes.len().min(4_096)]).into_owned(),
    })?;
    Ok(feed
        .items
        .iter()
        .map(|item| item.to_document(source))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_urls_drop_tracking_and_fragments() {
        assert_eq!(
            canonical_url("HTTPS://News.Example.com:443/a/b/?utm_source=x&id=3#top").as_deref(),
            Some("https://news.example.com/a/b?id=3")
        );
        assert_eq!(canonical_url("not a url"), None);
    }

    #[test]
    fn documents_without_ids_get_stable_ones() {
        let by_url =
            document_from_json(br#"{"title":"a","url":"https://x.com/p?utm_medium=1"}"#).unwrap();
        assert_eq!(by_url.id.as_str(), "url:https://x.com/p");
        let by_content = document_from_json(br#"{"title":"a","body":"b"}"#).unwrap();
        let again = document_from_json(br#"{"body":"b","title":"a"}"#).unwrap();
        assert!(by_content.id.as_str().starts_with("sha:"));
        assert_eq!(by_content.id, again.id);
        let kept = document_from_json(br#"{"id":7,"title":"a"}"#).unwrap();
        assert_eq!(kept.id.as_str(), "7");
    }

    #[test]
    fn bad_ndjson_lines_are_rejected_one_by_one() {
        let read = ndjson_documents(
            b"{\"id\":\"a\"}\n{oops\n\n\xff\xfe\n{\"id\":\"b\",\"likes\":\"x\"}\n",
            1,
        );
        assert_eq!(read.len(), 4);
        assert!(read[0].is_ok());
        let reasons: Vec<String> = read[1..]
            .iter()
            .map(|item| item.as_ref().unwrap_err().reason.clone())
            .collect();
        assert!(
            reasons[0].starts_with("line 2: key must be a string"),
            "{reasons:?}"
        );
        assert!(
            reasons[1].starts_with("line 4: not UTF-8 text"),
            "{reasons:?}"
        );
        assert!(
            reasons[2].starts_with("line 5: invalid type"),
            "{reasons:?}"
        );
    }

    #[test]
    fn csv_columns_by_name_alias_and_mapping() {
        let csv = "标题,正文,链接,点赞数,渠道,Posted\n小米召回,内容一,https://a.com/1,\"1,200\",weibo,2026-11-20T01:00:00Z\n,,,,,\n坏行,x,,many,news,\n";
        let mapping = CsvMapping::parse(&["published_at=Posted".to_string()]).unwrap();
        let read = csv_documents(csv.as_bytes(), &mapping).unwrap();
        let first = read[0].as_ref().unwrap();
        assert_eq!(
            (
                first.title.as_str(),
                first.likes,
                first.channel,
                first.id.as_str()
            ),
            (
                "小米召回",
                1_200,
                Some(Channel::Weibo),
                "url:https://a.com/1"
            )
        );
        assert_eq!(first.published_at.as_deref(), Some("2026-11-20T01:00:00Z"));
        assert_eq!(
            read[2].as_ref().unwrap_err().reason,
            "row 4: likes `many` is not a count"
        );
        let error = CsvMapping::parse(&["headline=T".to_string()]).unwrap_err();
        assert!(
            error.starts_with("unknown document field `headline`"),
            "{error}"
        );
        let error = csv_documents(b"a,b\n1,2\n", &CsvMapping::default()).unwrap_err();
        assert!(error.contains("no title or body column"), "{error}");
    }
}
