//! `vane bench`: throughput measured against a named peer in the same run.
//!
//! `vane bench match` compiles generated topics, matches real-text
//! documents through the whole matcher (normalise, presearch, verify) and,
//! on the same documents, runs the raw peer: an Aho-Corasick scan of the
//! same literal set with no normalisation and no verification, so that the
//! cost of exactness is visible as a ratio. `vane bench generate` writes
//! the same material as NDJSON for whole-process runs of `vane query match`.

use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use anyhow::{Context, Result, ensure};
use clap::{Args, Subcommand};
use vane_model::{Document, TopicId};
use vane_query::{MatchScratch, Percolator, PreparedDocument, Query};

use crate::corpus::{self, Corpus};

#[derive(Debug, Subcommand)]
pub(crate) enum BenchCommand {
    /// Match generated topics against ~2 KB real-text documents, beside a
    /// raw Aho-Corasick scan of the same literals.
    Match {
        #[command(flatten)]
        material: Material,
        /// Measured rounds; the median is reported.
        #[arg(long, default_value_t = 3)]
        rounds: usize,
    },
    /// First-page search latency over a large store, beside the raw
    /// full-text index and a search without it.
    Search(crate::bench_search::SearchBench),
    /// Write generated topics.ndjson and docs.ndjson into a folder.
    Generate {
        #[command(flatten)]
        material: Material,
        #[arg(long)]
        out: PathBuf,
    },
}

/// What to generate the benchmark material from, and how much of it.
#[derive(Debug, Args)]
pub(crate) struct Material {
    #[arg(long, default_value_t = 10_000)]
    topics: usize,
    #[arg(long, default_value_t = 20_000)]
    documents: usize,
    /// The shared data folder holding news/zh and news/en.
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    #[arg(long, default_value_t = 2026)]
    seed: u64,
}

pub(crate) fn run(command: BenchCommand) -> Result<()> {
    match command {
        BenchCommand::Match { material, rounds } => bench_match(&material, rounds.max(1)),
        BenchCommand::Generate { material, out } => generate(&material, &out),
        BenchCommand::Search(bench) => crate::bench_search::run(&bench),
    }
}

fn generate(material: &Material, out: &std::path::Path) -> Result<()> {
    let Material {
        topics: topic_count,
        documents: document_count,
        ref data,
        seed,
    } = *material;
    let corpus = Corpus::load(data)?;
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut topics_file = std::io::BufWriter::new(
        std::fs::File::create(out.join("topics.ndjson")).context("cannot create topics.ndjson")?,
    );
    for (id, query) in corpus::topics(&corpus, topic_count, seed) {
        serde_json::to_writer(
            &mut topics_file,
            &serde_json::json!({ "id": id, "query": query }),
        )?;
        topics_file.write_all(b"\n")?;
    }
    topics_file.flush()?;
    let mut docs_file = std::io::BufWriter::new(
        std::fs::File::create(out.join("docs.ndjson")).context("cannot create docs.ndjson")?,
    );
    let mut bytes = 0;
    for document in corpus::documents(&corpus, document_count, seed) {
        bytes += document.title.len() + document.body.len();
        serde_json::to_writer(&mut docs_file, &document)?;
        docs_file.write_all(b"\n")?;
    }
    docs_file.flush()?;
    println!(
        "wrote {topic_count} topics and {document_count} documents ({:.1} MB of text) to {}",
        bytes as f64 / 1e6,
        out.display()
    );
    Ok(())
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn bench_match(material: &Material, rounds: usize) -> Result<()> {
    let Material {
        topics: topic_count,
        documents: document_count,
        ref data,
        seed,
    } = *material;
    let corpus = Corpus::load(data)?;
    let topics = corpus::topics(&corpus, topic_count, seed);
    let documents = corpus::documents(&corpus, document_count, seed);
    let bytes: usize = documents
        .iter()
        .map(|document| document.title.len() + document.body.len())
        .sum();
    let megabytes = bytes as f64 / 1e6;

    let started = Instant::now();
    let mut percolator = Percolator::build(
        topics
            .iter()
            .map(|(id, query)| (id.clone(), query.as_str())),
    )?;
    let compile = started.elapsed();
    println!(
        "topics: {topic_count} ({} distinct anchor literals); documents: {document_count} ({megabytes:.1} MB of title and body text)",
        percolator.anchor_literals().len()
    );
    println!(
        "compile {topic_count} topics from text: {:.3} s",
        compile.as_secs_f64()
    );
    incremental_changes(&mut percolator, &corpus, seed)?;

    let mut matched = 0;
    let mut percolator_times = Vec::new();
    let mut prepared = PreparedDocument::default();
    let mut scratch = MatchScratch::default();
    // plan the presearch by the anchor frequencies of the first documents
    for document in documents
        .iter()
        .take(vane_query::MIN_DOCUMENTS_TO_RETUNE as usize)
    {
        prepared.reset(document);
        percolator.percolate(&prepared, &mut scratch, false);
    }
    percolator.retune(&scratch);
    scratch = MatchScratch::default();
    for _ in 0..rounds {
        let started = Instant::now();
        matched = 0;
        for document in &documents {
            prepared.reset(document);
            matched += percolator.percolate(&prepared, &mut scratch, false).len();
        }
        percolator_times.push(started.elapsed());
    }
    ensure!(
        matched > 0,
        "no document matched any topic: the benchmark would measure nothing"
    );
    let statistics = scratch.statistics();
    let per_document = |count: u64| count as f64 / statistics.documents as f64;
    println!(
        "per document: {:.1} anchor hits, {:.1} candidate topics, {:.1} verified exactly, {:.2} matched",
        per_document(statistics.anchor_hits),
        per_document(statistics.candidates),
        per_document(statistics.verified),
        per_document(statistics.matches)
    );

    let raw = raw_scanner(&percolator.anchor_literals());
    let mut raw_found = 0;
    let mut raw_times = Vec::new();
    for _ in 0..rounds {
        let started = Instant::now();
        raw_found = documents
            .iter()
            .map(|document| raw_scan(&raw, document))
            .sum::<usize>();
        raw_times.push(started.elapsed());
    }
    ensure!(raw_found > 0, "the raw scan found nothing");

    // where a document's time goes: decoding its JSON line, normalising it,
    // then presearch and verification (the rest of the matcher's time)
    let lines: Vec<String> = documents
        .iter()
        .map(serde_json::to_string)
        .collect::<Result<_, _>>()?;
    let mut decode_times = Vec::new();
    let mut normalise_times = Vec::new();
    for _ in 0..rounds {
        let started = Instant::now();
        for line in &lines {
            std::hint::black_box(serde_json::from_str::<Document>(line)?);
        }
        decode_times.push(started.elapsed());
        let started = Instant::now();
        for document in &documents {
            prepared.reset(document);
        }
        normalise_times.push(started.elapsed());
    }
    let micros = |elapsed: Duration| elapsed.as_secs_f64() * 1e6 / document_count as f64;
    let normalise = micros(median(normalise_times));
    println!(
        "time per document: decode JSON {:.1} µs, normalise {normalise:.1} µs, presearch and verify {:.1} µs",
        micros(median(decode_times)),
        micros(median(percolator_times.clone())) - normalise
    );

    let report = |name: &str, elapsed: Duration, result: String| {
        let seconds = elapsed.as_secs_f64();
        println!(
            "{name:<58} {:>9.0} docs/s {:>7.1} MB/s   {result}",
            document_count as f64 / seconds,
            megabytes / seconds
        );
    };
    let vane = median(percolator_times);
    let peer = median(raw_times);
    report(
        "vane percolator (normalise, presearch, verify)",
        vane,
        format!("{matched} topic matches"),
    );
    report(
        "raw aho-corasick scan of the same literals (peer)",
        peer,
        format!("{raw_found} literal hits"),
    );
    println!(
        "ratio vane / raw scan: {:.2} (the share of the raw scan's speed kept while matching exactly)",
        peer.as_secs_f64() / vane.as_secs_f64()
    );
    Ok(())
}

/// Times adding, changing and removing single topics on the full set.
fn incremental_changes(percolator: &mut Percolator, corpus: &Corpus, seed: u64) -> Result<()> {
    let extra = corpus::topics(corpus, 200, seed ^ 0xA5A5);
    let mut inserts = Vec::new();
    for (index, (_, text)) in extra.iter().enumerate() {
        let query = Query::parse(text)?;
        let started = Instant::now();
        percolator.insert(TopicId::new(format!("added-{index}")), query);
        inserts.push(started.elapsed());
    }
    let mut removes = Vec::new();
    for index in 0..extra.len() {
        let started = Instant::now();
        percolator.remove(&TopicId::new(format!("added-{index}")));
        removes.push(started.elapsed());
    }
    let mean = |samples: &[Duration]| {
        samples.iter().sum::<Duration>().as_secs_f64() * 1e3 / samples.len() as f64
    };
    let max = |samples: &[Duration]| {
        samples
            .iter()
            .max()
            .copied()
            .unwrap_or_default()
            .as_secs_f64()
            * 1e3
    };
    println!(
        "one topic at a time: insert mean {:.3} ms (max {:.3} ms), remove mean {:.3} ms (max {:.3} ms)",
        mean(&inserts),
        max(&inserts),
        mean(&removes),
        max(&removes)
    );
    Ok(())
}

fn raw_scanner(literals: &[&str]) -> AhoCorasick {
    let kind = Some(AhoCorasickKind::DFA);
    AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .kind(kind)
        .build(literals)
        .expect("literal automaton within size limits")
}

fn raw_scan(automaton: &AhoCorasick, document: &Document) -> usize {
    automaton
        .find_overlapping_iter(document.title.as_str())
        .count()
        + automaton
            .find_overlapping_iter(document.body.as_str())
            .count()
}
