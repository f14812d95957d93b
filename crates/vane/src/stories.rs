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
    for (published, position) in pending {
        let document = &mut documents[position];
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
