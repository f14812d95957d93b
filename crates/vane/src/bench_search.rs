//! `vane bench search`: first-page search latency over a store of a
//! million short documents (social-post sized, cut from the real news
//! corpus with brand and product words spliced in), beside two peers in
//! the same run: the raw FTS5 lookup without verification (the floor:
//! what the index alone costs) and the same search without the index
//! (newest first, every document verified: what a store without a
//! full-text index would do, capped at 20,000 documents a page).
//!
//! Documents are stored through `Store::commit` with their index tokens;
//! their sentiment is not computed (neutral, score 0), since search does
//! not read it and a million sentiment passes would dominate the set-up.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Args;
use vane_model::{Channel, Document, DocumentId, Polarity, TextField, Timestamp};
use vane_query::{PreparedDocument, Query, SearchPlan, index_tokens};
use vane_store::{Commit, Filter, NewDocument, Store};
use vane_text::Seeded;

use crate::serve::runtime;

#[derive(Debug, Args)]
pub(crate) struct SearchBench {
    /// Documents in the store.
    #[arg(long, default_value_t = 1_000_000)]
    documents: usize,
    /// The database to build (reused when it already holds enough documents).
    #[arg(long, value_name = "FILE")]
    db: PathBuf,
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// Timed runs per query; the median and the slowest are reported.
    #[arg(long, default_value_t = 5)]
    runs: usize,
}

const QUERIES: &[&str] = &[
    "小米 AND 召回",
    "(小米 OR xiaomi) AND (召回 OR recall)",
    "华为 NEAR/5 发布",
    "\"经济 发展\" AND NOT 小米",
    "recal* AND battery",
    "title:小米",
    "channel:weibo AND 电池",
    "{Xiaomi} OR 雷军",
    "人民",
    "site:weibo.example",
];

const SPLICE: &[&str] = &[
    "小米", "xiaomi", "Xiaomi", "召回", "recall", "华为", "发布", "电池", "battery", "雷军",
];

fn sentences(data: &std::path::Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let chinese = data.join("news/zh/peoples_daily_199801.txt");
    let text = std::fs::read_to_string(&chinese)
        .with_context(|| format!("cannot read {}", chinese.display()))?;
    for paragraph in text.lines() {
        for sentence in paragraph.split_inclusive(['。', '！', '？']) {
            let sentence = sentence.trim();
            if sentence.chars().count() >= 8 {
                out.push(sentence.to_string());
            }
        }
    }
    let english = data.join("news/en/lee_background.cor");
    let text = std::fs::read_to_string(&english)
        .with_context(|| format!("cannot read {}", english.display()))?;
    for article in text.lines() {
        for sentence in article.split_inclusive(". ") {
            if sentence.len() > 30 {
                out.push(sentence.trim().to_string());
            }
        }
    }
    Ok(out)
}

fn generated(number: usize, sentences: &[String], random: &mut Seeded) -> Document {
    let mut body = String::new();
    for _ in 0..1 + random.below(3) {
        body.push_str(random.pick(sentences).as_str());
    }
    if random.chance(30) {
        let chars: Vec<(usize, char)> = body.char_indices().collect();
        let at = chars[random.below(chars.len())].0;
        let word: &&str = random.pick(SPLICE);
        body.insert_str(at, word);
    }
    let channel = *random.pick(&[
        Channel::News,
        Channel::Weibo,
        Channel::Forum,
        Channel::Wechat,
    ]);
    let title = if channel == Channel::News && random.chance(70) {
        let mut title: String = body.chars().take(20).collect();
        if random.chance(10) {
            let word: &&str = random.pick(SPLICE);
            title.insert_str(0, word);
        }
        title
    } else {
        String::new()
    };
    Document {
        id: DocumentId::new(format!("b{number:07}")),
        title,
        body,
        site: format!("{}.example", channel.as_str()),
        channel: Some(channel),
        ..Document::default()
    }
}

async fn build(store: &dyn Store, wanted: usize, data: &std::path::Path) -> Result<()> {
    let have = store.counts().await?.documents as usize;
    if have >= wanted {
        println!("store already holds {have} documents");
        return Ok(());
    }
    let sentences = sentences(data)?;
    let mut random = Seeded::new(0x5EA2_C4B3 ^ have as u64);
    let started = Instant::now();
    let start_time = 1_790_000_000i64;
    let mut number = have;
    while number < wanted {
        let count = (wanted - number).min(5_000);
        let documents: Vec<NewDocument> = (number..number + count)
            .map(|number| {
                let document = generated(number, &sentences, &mut random);
                let prepared = PreparedDocument::new(&document);
                let mut tokens = String::new();
                index_tokens(
                    &TextField::ALL.map(|field| prepared.text(field)),
                    &mut tokens,
                );
                let published = Timestamp(start_time + number as i64 * 3);
                NewDocument {
                    source_id: None,
                    published_at: published,
                    received_at: published,
                    sentiment: Polarity::Neutral,
                    sentiment_score: 0.0,
                    emotion: None,
                    story_id: document.id.as_str().to_string(),
                    parent_id: None,
                    reach: 0,
                    signals: Default::default(),
                    index_tokens: tokens,
                    mentions: Vec::new(),
                    document,
                }
            })
            .collect();
        store
            .commit(&Commit {
                documents,
                ..Commit::default()
            })
            .await?;
        number += count;
        if number.is_multiple_of(100_000) {
            eprintln!(
                "stored {number} documents ({:.0} s)",
                started.elapsed().as_secs_f64()
            );
        }
    }
    println!(
        "built a store of {wanted} documents in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn stats(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    (
        samples[samples.len() / 2].as_secs_f64() * 1_000.0,
        samples[samples.len() - 1].as_secs_f64() * 1_000.0,
    )
}

pub(crate) fn run(bench: &SearchBench) -> Result<()> {
    if let Some(parent) = bench.db.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let url = format!("sqlite://{}", bench.db.display());
    runtime()?.block_on(async {
        let store = vane_store::SqliteStore::open(&url).await?;
        build(&store, bench.documents, &bench.data).await?;
        let documents = store.counts().await?.documents;
        println!(
            "first page (20 results) over {documents} stored documents; median / slowest of {} runs, ms",
            bench.runs
        );
        println!(
            "{:<42} {:>16} {:>8} {:>16} {:>20}",
            "query", "vane search", "found", "FTS5 alone", "no index (verify all)"
        );
        let filter = Filter::default();
        let mut worst: f64 = 0.0;
        for text in QUERIES {
            let query = Query::parse(text)?;
            let plan = query.search_plan();
            let mut vane_times = Vec::new();
            let mut found = 0;
            for run in 0..=bench.runs {
                let started = Instant::now();
                let page = vane_store::search(&store, &query, &filter, None, 20).await?;
                if run > 0 {
                    vane_times.push(started.elapsed());
                }
                found = page.items.len();
            }
            let mut raw_times = Vec::new();
            for run in 0..=bench.runs {
                let started = Instant::now();
                let page = store.search_candidates(&plan, &filter, None, 20).await?;
                if run > 0 {
                    raw_times.push(started.elapsed());
                }
                std::hint::black_box(page.items.len());
            }
            let mut scan_times = Vec::new();
            let mut scanned = 0;
            for run in 0..2 {
                let started = Instant::now();
                let page = vane_store::search_with_plan(
                    &store,
                    &query,
                    &SearchPlan::default(),
                    &filter,
                    None,
                    20,
                )
                .await?;
                if run > 0 {
                    scan_times.push(started.elapsed());
                }
                scanned = page.candidates;
                // the peer must find the same page, or the comparison means nothing
                if page.items.len() == 20 || page.next.is_none() {
                    anyhow::ensure!(
                        page.items.len() == found,
                        "{text}: without the index {} results, with it {found}",
                        page.items.len()
                    );
                }
            }
            let (vane_median, vane_slowest) = stats(vane_times);
            let (raw_median, raw_slowest) = stats(raw_times);
            let (scan_median, _) = stats(scan_times);
            worst = worst.max(vane_median);
            println!(
                "{:<42} {:>7.1} / {:>6.1} {:>8} {:>7.1} / {:>6.1} {:>10.1} ({scanned} read)",
                text, vane_median, vane_slowest, found, raw_median, raw_slowest, scan_median
            );
        }
        println!("slowest median first page: {worst:.1} ms (goal: under 200 ms)");
        Ok(())
    })
}
