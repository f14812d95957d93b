//! `vane query check` and `vane query match`.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use clap::Subcommand;
use serde::{Deserialize, Serialize, Serializer};
use vane_model::{Document, DocumentId, TopicId};
use vane_query::{Hit, MatchScratch, Percolator, PreparedDocument, Query, TopicMatch};

use crate::{Exit, UsageError};

#[derive(Debug, Subcommand)]
pub(crate) enum QueryCommand {
    /// Check a query: print its normalised form and lint warnings (exit 0),
    /// or the error with its column and a hint (exit 2).
    Check {
        /// The query, quoted for the shell: vane query check '(小米 OR xiaomi) AND 召回'
        query: String,
    },
    /// Match documents against topics: one JSON line per document, in input
    /// order, {"id": …, "topics": [ids in topics-file order]}.
    Match {
        /// Topics, one JSON object per line: {"id": "…", "query": "…"}.
        #[arg(long, value_name = "TOPICS.ndjson")]
        topics: PathBuf,
        /// Documents, one JSON object per line; standard input when absent.
        #[arg(long, value_name = "DOCS.ndjson")]
        docs: Option<PathBuf>,
        /// Add the hit spans per topic (field, character offsets, text).
        #[arg(long)]
        explain: bool,
        /// Skip malformed document lines, counting them on standard error,
        /// instead of stopping at the first.
        #[arg(long)]
        skip_bad: bool,
    },
}

pub(crate) fn run(command: QueryCommand) -> Result<()> {
    match command {
        QueryCommand::Check { query } => check(&query),
        QueryCommand::Match {
            topics,
            docs,
            explain,
            skip_bad,
        } => {
            let percolator = load_topics(&topics)?;
            match_documents(
                percolator,
                docs.as_deref(),
                MatchOptions { explain, skip_bad },
            )
        }
    }
}

fn check(text: &str) -> Result<()> {
    match Query::parse(text) {
        Ok(query) => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{}", query.normalized())?;
            for warning in query.warnings() {
                writeln!(out, "{warning}")?;
            }
            Ok(())
        }
        Err(error) => {
            eprintln!("{error}");
            eprintln!("  {text}");
            eprintln!(
                "  {}^",
                " ".repeat(text.chars().take(error.column - 1).map(display_width).sum())
            );
            Err(Exit(2).into())
        }
    }
}

/// Columns a character takes in a terminal: two for CJK and full-width.
fn display_width(c: char) -> usize {
    let wide = matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD);
    if wide { 2 } else { 1 }
}

#[derive(Debug, Deserialize)]
struct TopicLine {
    id: TopicId,
    query: String,
}

/// Reads and compiles a topics file; any bad line is a usage error naming
/// the line and, for a bad query, the topic and the column.
pub(crate) fn load_topics(path: &Path) -> Result<Percolator> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read topics file {}", path.display()))?;
    let mut topics: Vec<(TopicId, Query)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut terms = vane_query::TermCache::default();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        let topic: TopicLine = serde_json::from_str(line).map_err(|error| {
            UsageError(format!(
                "{} line {number}: not a topic ({{\"id\": …, \"query\": …}}): {error}",
                path.display()
            ))
        })?;
        if !seen.insert(topic.id.clone()) {
            return Err(UsageError(format!(
                "{} line {number}: topic id {} appears twice",
                path.display(),
                topic.id
            ))
            .into());
        }
        let query = Query::parse_with(&topic.query, &mut terms).map_err(|error| {
            UsageError(format!(
                "{} line {number}: topic {}: {error}",
                path.display(),
                topic.id
            ))
        })?;
        topics.push((topic.id, query));
    }
    Ok(Percolator::from_queries(topics))
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct MatchOptions {
    pub(crate) explain: bool,
    pub(crate) skip_bad: bool,
}

#[derive(Serialize)]
struct MatchLine<'a> {
    id: &'a DocumentId,
    topics: Vec<&'a TopicId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hits: Option<ExplainedHits<'a>>,
}

/// Hit spans per topic, as a JSON object in topic order.
struct ExplainedHits<'a> {
    document: &'a Document,
    matches: &'a [TopicMatch<'a>],
}

#[derive(Serialize)]
struct HitLine<'a> {
    field: &'static str,
    start: u32,
    end: u32,
    text: &'a str,
}

impl Serialize for ExplainedHits<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.matches.iter().map(|found| {
            let hits: Vec<HitLine<'_>> = found
                .hits
                .iter()
                .map(|hit| hit_line(self.document, hit))
                .collect();
            (found.topic, hits)
        }))
    }
}

fn hit_line<'a>(document: &'a Document, hit: &Hit) -> HitLine<'a> {
    let text = document.text(hit.field);
    let byte_at = |chars: u32| {
        text.char_indices()
            .nth(chars as usize)
            .map_or(text.len(), |(byte, _)| byte)
    };
    HitLine {
        field: hit.field.as_str(),
        start: hit.start,
        end: hit.end,
        text: &text[byte_at(hit.start)..byte_at(hit.end)],
    }
}

fn match_documents(
    mut percolator: Percolator,
    docs: Option<&Path>,
    options: MatchOptions,
) -> Result<()> {
    let (name, mut reader): (String, Box<dyn BufRead>) = match docs {
        Some(path) => {
            let file = File::open(path)
                .with_context(|| format!("cannot read documents file {}", path.display()))?;
            (
                path.display().to_string(),
                Box::new(BufReader::with_capacity(1 << 20, file)),
            )
        }
        None => (
            "standard input".to_string(),
            Box::new(BufReader::with_capacity(1 << 20, std::io::stdin().lock())),
        ),
    };
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut line = Vec::new();
    let mut number = 0usize;
    let mut skipped = 0usize;
    let mut first_skipped = None;
    let mut prepared = PreparedDocument::default();
    let mut scratch = MatchScratch::default();
    loop {
        line.clear();
        if reader
            .read_until(b'\n', &mut line)
            .with_context(|| format!("cannot read {name}"))?
            == 0
        {
            break;
        }
        number += 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let document: Document = match serde_json::from_slice(&line) {
            Ok(document) => document,
            Err(error) if options.skip_bad => {
                skipped += 1;
                first_skipped.get_or_insert_with(|| format!("line {number}: {error}"));
                continue;
            }
            Err(error) => {
                out.flush()?;
                return Err(anyhow!(
                    "{name} line {number}: malformed document: {error} (use --skip-bad to skip such lines)"
                ));
            }
        };
        prepared.reset(&document);
        if scratch.statistics().documents == vane_query::MIN_DOCUMENTS_TO_RETUNE {
            // plan the presearch by the anchor frequencies of this stream
            percolator.retune(&scratch);
        }
        let matches = percolator.percolate(&prepared, &mut scratch, options.explain);
        let result = MatchLine {
            id: &document.id,
            topics: matches.iter().map(|found| found.topic).collect(),
            hits: options.explain.then_some(ExplainedHits {
                document: &document,
                matches: &matches,
            }),
        };
        serde_json::to_writer(&mut out, &result)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    if skipped > 0 {
        eprintln!(
            "skipped {skipped} malformed document line(s) in {name}; first at {}",
            first_skipped.unwrap_or_default()
        );
    }
    Ok(())
}
