//! `vane dedupe` and `vane stories`: syndication stories of a file of
//! documents.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result, anyhow};
use serde::Serialize;
use vane_detect::{StoryConfig, StoryIndex};
use vane_model::{Document, Timestamp};

/// The documents of a file with their assignments, in input order.
struct Deduplicated {
    documents: Vec<Document>,
    stories: Vec<usize>,
    /// Title and opening of each document, for events.
    leads: Vec<String>,
    published: Vec<Timestamp>,
    index: StoryIndex,
}

fn read_and_assign(path: &Path, window_hours: i64, skip_bad: bool) -> Result<Deduplicated> {
    let file = File::open(path)
        .with_context(|| format!("cannot read documents file {}", path.display()))?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut index = StoryIndex::new(StoryConfig {
        window_seconds: window_hours * 3_600,
        ..StoryConfig::default()
    });
    let (mut documents, mut stories): (Vec<Document>, Vec<usize>) = (Vec::new(), Vec::new());
    let mut pending: Vec<(Timestamp, usize)> = Vec::new();
    let mut line = Vec::new();
    let (mut number, mut skipped) = (0usize, 0usize);
    let mut latest = Timestamp(i64::MIN);
    loop {
        line.clear();
        if reader
            .read_until(b'\n', &mut line)
            .with_context(|| format!("cannot read {}", path.display()))?
            == 0
        {
            break;
        }
        number += 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let parsed = serde_json::from_slice::<Document>(&line)
            .map_err(|error| error.to_string())
            .and_then(|document| {
                let published = match &document.published_at {
                    Some(text) => {
                        Timestamp::parse(text).map_err(|error| format!("published_at: {error}"))?
                    }
                    // no time given: as published when it arrived
                    None => latest.max(Timestamp(0)),
                };
                Ok((document, published))
            });
        let (document, published) = match parsed {
            Ok(parsed) => parsed,
            Err(_) if skip_bad => {
                skipped += 1;
                continue;
            }
            Err(error) => {
                return Err(anyhow!(
                    "{} line {number}: malformed document: {error} (use --skip-bad to skip such lines)",
                    path.display()
                ));
            }
        };
        latest = latest.max(published);
        pending.push((published, documents.len()));
        documents.push(document);
    }
    // in order of publication, so that each copy's parent was published
    // before it and the story's first member is its first publisher
    pending.sort();
    stories.resize(documents.len(), 0);
    let mut leads = vec![String::new(); documents.len()];
    let mut times = vec![Timestamp(0); documents.len()];
    for (published, position) in pending {
        let document = &mut documents[position];
        leads[position] = format!(
            "{} {}",
            document.title,
            document.body.chars().take(200).collect::<String>()
        );
        times[position] = published;
        let text = if document.body.trim().is_empty() {
            &document.title
        } else {
            &document.body
        };
        stories[position] = index.add(document.id.as_str(), text, published).story;
        // the text is not needed any more: keep memory to the metadata
        document.body = String::new();
    }
    if skipped > 0 {
        eprintln!(
            "skipped {skipped} malformed document line(s) in {}",
            path.display()
        );
    }
    Ok(Deduplicated {
        documents,
        stories,
        leads,
        published: times,
        index,
    })
}

#[derive(Serialize)]
struct DedupeLine<'a> {
    id: &'a str,
    story: String,
    first: &'a str,
}

pub(crate) fn dedupe(path: &Path, window_hours: i64, skip_bad: bool) -> Result<()> {
    let result = read_and_assign(path, window_hours, skip_bad)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    for (document, &story) in result.documents.iter().zip(&result.stories) {
        let line = DedupeLine {
            id: document.id.as_str(),
            story: format!("story-{story}"),
            first: &result.index.first(story).id,
        };
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

#[derive(Serialize)]
struct MemberLine<'a> {
    id: &'a str,
    site: String,
    channel: Option<&'static str>,
    published_at: Option<&'a str>,
    /// The earlier copy this one is most similar to.
    parent: Option<&'a str>,
}

#[derive(Serialize)]
struct StoryLine<'a> {
    story: String,
    first: &'a str,
    size: usize,
    /// The channels in order of publication, repeats folded: weibo → news → wechat.
    path: Vec<&'static str>,
    members: Vec<MemberLine<'a>>,
}

pub(crate) fn stories(
    path: &Path,
    window_hours: i64,
    skip_bad: bool,
    min_size: usize,
) -> Result<()> {
    let result = read_and_assign(path, window_hours, skip_bad)?;
    let by_id: std::collections::HashMap<&str, &Document> = result
        .documents
        .iter()
        .map(|document| (document.id.as_str(), document))
        .collect();
    let mut order: Vec<usize> = (0..result.index.stories())
        .filter(|&story| result.index.members(story).len() >= min_size)
        .collect();
    order.sort_by_key(|&story| (std::cmp::Reverse(result.index.members(story).len()), story));
    let mut out = BufWriter::new(std::io::stdout().lock());
    for story in order {
        let mut members: Vec<_> = result.index.members(story).iter().collect();
        members.sort_by_key(|member| (member.published, member.arrival));
        let mut path: Vec<&'static str> = Vec::new();
        for member in &members {
            let channel = by_id
                .get(member.id.as_str())
                .and_then(|document| document.channel)
                .map(|channel| channel.as_str());
            if let Some(channel) = channel
                && path.last() != Some(&channel)
            {
                path.push(channel);
            }
        }
        let line = StoryLine {
            story: format!("story-{story}"),
            first: &result.index.first(story).id,
            size: members.len(),
            path,
            members: members
                .iter()
                .map(|member| {
                    let document = by_id.get(member.id.as_str());
                    MemberLine {
                        id: &member.id,
                        site: document
                            .map(|document| document.effective_site())
                            .unwrap_or_default(),
                        channel: document
                            .and_then(|document| document.channel)
                            .map(|channel| channel.as_str()),
                        published_at: document
                            .and_then(|document| document.published_at.as_deref()),
                        parent: member.parent.as_deref(),
                    }
                })
                .collect(),
        };
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

/// Central media whose mention makes a document authoritative.
const CENTRAL_MEDIA: &[&str] = &[
    "人民日报",
    "新华社",
    "央视新闻",
    "中央电视台",
    "光明日报",
    "经济日报",
    "中国日报",
];

/// `24h`, `90m`, `7d`, `3600s` or plain seconds.
fn parse_window(text: &str) -> Result<i64> {
    let text = text.trim();
    let (number, unit) = text.split_at(
        text.find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len()),
    );
    let value: i64 = number.parse().map_err(|_| {
        crate::UsageError(format!(
            "--window `{text}`: write a length such as 24h, 90m or 7d"
        ))
    })?;
    let seconds = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        _ => {
            return Err(
                crate::UsageError(format!("--window `{text}`: the unit is s, m, h or d")).into(),
            );
        }
    };
    Ok(value * seconds)
}

#[derive(Serialize)]
struct EventLine<'a> {
    rank: usize,
    label: &'a [String],
    heat: f64,
    volume: usize,
    stories: usize,
    growth: f64,
    sentiment: serde_json::Value,
    first_seen: String,
    engagement: u64,
    authority: usize,
    /// The first publisher of the event's largest story.
    lead_story_first: &'a str,
    weights: serde_json::Value,
}

pub(crate) fn hot(path: &Path, window: &str, top: usize, skip_bad: bool) -> Result<()> {
    let window_seconds = parse_window(window)?;
    let result = read_and_assign(path, 168, skip_bad)?;
    let documents: Vec<vane_detect::EventDocument> = result
        .documents
        .iter()
        .enumerate()
        .map(|(position, document)| {
            let sentiment = vane_sentiment::score(&result.leads[position], None);
            let central = CENTRAL_MEDIA
                .iter()
                .any(|media| document.author.contains(media));
            let official_channel = matches!(
                document.channel.map(|channel| channel.as_str()),
                Some("news" | "print" | "tv")
            );
            vane_detect::EventDocument {
                story: result.stories[position],
                text: result.leads[position].clone(),
                published: result.published[position],
                engagement: document.likes + document.comments + document.shares,
                authority: central
                    || official_channel
                    || (document.verified && document.followers >= 1_000_000),
                sentiment: match sentiment.label {
                    vane_sentiment::Label::Positive => 1,
                    vane_sentiment::Label::Neutral => 0,
                    vane_sentiment::Label::Negative => -1,
                },
            }
        })
        .collect();
    let config = vane_detect::EventConfig {
        window_seconds,
        ..vane_detect::EventConfig::default()
    };
    let events = vane_detect::detect_events(&documents, &config);
    let weights = config.weights;
    let mut out = BufWriter::new(std::io::stdout().lock());
    for (rank, event) in events.iter().take(top).enumerate() {
        let lead_story = event
            .stories
            .iter()
            .copied()
            .max_by_key(|&story| (result.index.members(story).len(), std::cmp::Reverse(story)))
            .unwrap_or(0);
        let line = EventLine {
            rank: rank + 1,
            label: &event.label,
            heat: (event.heat * 1e4).round() / 1e4,
            volume: event.volume,
            stories: event.stories.len(),
            growth: (event.growth * 1e3).round() / 1e3,
            sentiment: serde_json::json!({"positive": event.positive, "neutral": event.neutral, "negative": event.negative}),
            first_seen: event.first_seen.to_string(),
            engagement: event.engagement,
            authority: event.authority,
            lead_story_first: &result.index.first(lead_story).id,
            weights: serde_json::json!({"volume": weights.volume, "engagement": weights.engagement, "authority": weights.authority, "growth": weights.growth}),
        };
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}
