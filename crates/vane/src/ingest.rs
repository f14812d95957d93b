//! `vane ingest FILE|URL`: a file (NDJSON, CSV with a column mapping, or
//! a saved RSS/Atom feed) or a URL (a feed or NDJSON) through the whole
//! pipeline into the store, with a progress bar on standard error and a
//! one-line JSON summary on standard output. Importing the same input
//! again adds nothing: every item has a stable id.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use vane_model::{Document, SourceId};
use vane_pipeline::{IngestSummary, Pipeline, Prepared, Received};
use vane_sources::{CsvMapping, ImportFormat, Rejected};
use vane_store::NewDeadLetter;

use crate::config::{Config, StoreArgs};
use crate::serve::{now, open, runtime};

/// How `vane ingest` reads its input.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct IngestArgs {
    /// A file, `-` for standard input, or an http(s) URL.
    pub(crate) input: String,
    #[command(flatten)]
    pub(crate) store: StoreArgs,
    /// ndjson, csv or feed (default: by extension, else by content).
    #[arg(long)]
    pub(crate) format: Option<String>,
    /// CSV column mapping, `field=column`, repeatable (e.g. `body=正文`).
    #[arg(long = "map", value_name = "FIELD=COLUMN")]
    pub(crate) map: Vec<String>,
    /// The source the items are recorded under (scopes feed item ids).
    #[arg(long)]
    pub(crate) source: Option<String>,
    /// No progress bar.
    #[arg(long)]
    pub(crate) quiet: bool,
}

fn format_of(args: &IngestArgs, head: &[u8]) -> Result<ImportFormat> {
    Ok(match args.format.as_deref() {
        None => ImportFormat::detect(&args.input, head),
        Some("ndjson" | "jsonl") => ImportFormat::Ndjson,
        Some("csv") => ImportFormat::Csv,
        Some("feed" | "rss" | "atom") => ImportFormat::Feed,
        Some(other) => {
            return Err(crate::UsageError(format!(
                "unknown format `{other}`; the formats are ndjson, csv, feed"
            ))
            .into());
        }
    })
}

fn dead_letter(rejected: Rejected, source: &Option<SourceId>) -> NewDeadLetter {
    NewDeadLetter {
        at: now(),
        source_id: source.clone(),
        item_id: rejected.item_id,
        reason: rejected.reason,
        payload: rejected.payload,
    }
}

pub(crate) fn run(args: &IngestArgs) -> Result<()> {
    let config = Config::load(&args.store)?;
    let mapping = CsvMapping::parse(&args.map).map_err(crate::UsageError)?;
    let started = std::time::Instant::now();
    let summary = runtime()?.block_on(async {
        let pipeline = open(&config).await?;
        let source = args.source.clone().map(SourceId::new);
        let summary = if args.input.starts_with("http://") || args.input.starts_with("https://") {
            ingest_url(&pipeline, &config, args, &source).await?
        } else {
            ingest_file(&pipeline, args, &mapping, &source).await?
        };
        Ok::<_, anyhow::Error>(summary)
    })?;
    let summary = IngestSummary {
        seconds: (started.elapsed().as_secs_f64() * 1_000.0).round() / 1_000.0,
        ..summary
    };
    println!("{}", serde_json::to_string(&summary)?);
    Ok(())
}

fn progress(total: u64, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {msg}",
        )
        .expect("the progress template is valid"),
    );
    bar
}

/// Batches that may wait between the stages and the store.
const WAITING_BATCHES: usize = 4;

/// Items (documents, duplicates, dead letters) the store gathers into one
/// transaction.
const GROUP_ITEMS: u64 = 10_000;

/// Stores batches on one task while the next go through the stages, with
/// a few batches of slack between them, so that the database and the
/// analysis work at the same time even when one batch is slower than
/// another.
///
/// The store gathers batches and writes [`GROUP_ITEMS`] in one
/// transaction. A transaction's cost is mostly the index pages it
/// touches, each written to the WAL and then into the database file once
/// per transaction however many rows it gained; on two cores the writer's
/// CPU is taken from the stages, so fewer, larger transactions make the
/// whole import faster even while the store keeps up (100,000 documents:
/// 7–16 % less wall time than a transaction per 2,000 in 5 pairs, and
/// 1.1 GB written instead of 2.6 GB).
struct Overlapped<'p> {
    pipeline: &'p Pipeline,
    to_store: Option<tokio::sync::mpsc::Sender<Prepared>>,
    storing: tokio::task::JoinHandle<Result<IngestSummary>>,
    total: IngestSummary,
}

impl<'p> Overlapped<'p> {
    fn new(pipeline: &'p Pipeline, shared: Arc<Pipeline>) -> Self {
        let (to_store, mut prepared) = tokio::sync::mpsc::channel::<Prepared>(WAITING_BATCHES);
        let storing = tokio::spawn(async move {
            let mut total = IngestSummary::default();
            let mut gathered: Option<Prepared> = None;
            while let Some(batch) = prepared.recv().await {
                let group = match gathered.take() {
                    Some(mut group) => {
                        group.absorb(batch);
                        group
                    }
                    None => batch,
                };
                if group.read() >= GROUP_ITEMS {
                    add(&mut total, shared.store_prepared(group).await?);
                } else {
                    gathered = Some(group);
                }
            }
            if let Some(rest) = gathered {
                add(&mut total, shared.store_prepared(rest).await?);
            }
            Ok(total)
        });
        Overlapped {
            pipeline,
            to_store: Some(to_store),
            storing,
            total: IngestSummary::default(),
        }
    }

    async fn push(&mut self, items: Vec<Received>, letters: Vec<NewDeadLetter>) -> Result<()> {
        let prepared = self.pipeline.prepare(items, letters).await?;
        self.total.read += prepared.read();
        let sender = self.to_store.as_ref().expect("not finished");
        if sender.send(prepared).await.is_err() {
            // the store task stopped: its error is reported by finish
            self.to_store = None;
        }
        Ok(())
    }

    async fn finish(mut self) -> Result<IngestSummary> {
        self.to_store = None;
        let stored = self
            .storing
            .await
            .map_err(|error| anyhow::anyhow!("the store task failed: {error}"))??;
        Ok(stored)
    }
}

fn add(total: &mut IngestSummary, part: IngestSummary) {
    total.read += part.read;
    total.new += part.new;
    total.duplicates += part.duplicates;
    total.dead_letters += part.dead_letters;
}

async fn ingest_file(
    shared: &Arc<Pipeline>,
    args: &IngestArgs,
    mapping: &CsvMapping,
    source: &Option<SourceId>,
) -> Result<IngestSummary> {
    let (mut reader, size): (Box<dyn BufRead + Send>, u64) = if args.input == "-" {
        (Box::new(BufReader::new(std::io::stdin())), 0)
    } else {
        let path = Path::new(&args.input);
        let file =
            std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        let size = file.metadata().map(|meta| meta.len()).unwrap_or(0);
        (Box::new(BufReader::with_capacity(1 << 20, file)), size)
    };
    let head = reader.fill_buf().context("cannot read the input")?.to_vec();
    let format = format_of(args, &head)?;
    let bar = progress(size, args.quiet);
    let batch_size = 2_000;
    let pipeline: &Pipeline = shared;
    let mut run = Overlapped::new(pipeline, Arc::clone(shared));
    let mut items: Vec<Received> = Vec::with_capacity(batch_size);
    let mut letters: Vec<NewDeadLetter> = Vec::new();
    let received = |document: Document| Received {
        source_id: source.clone(),
        received_at: now(),
        document,
    };
    match format {
        ImportFormat::Ndjson => {
            // lines are read and parsed on their own thread, so that
            // parsing overlaps the stages and the store
            let (sender, mut receiver) = tokio::sync::mpsc::channel::<Result<ParsedBatch>>(2);
            let input = args.input.clone();
            let source = source.clone();
            let reader_thread = std::thread::spawn(move || {
                let result = read_ndjson(reader, &input, &source, batch_size, &sender);
                if let Err(error) = result {
                    let _ = sender.blocking_send(Err(error));
                }
            });
            while let Some(batch) = receiver.recv().await {
                let batch = batch?;
                bar.inc(batch.bytes);
                run.push(batch.items, batch.letters).await?;
                bar.set_message(format!("{} read", run.total.read));
            }
            let _ = reader_thread.join();
        }
        ImportFormat::Csv | ImportFormat::Feed => {
            let mut bytes = Vec::new();
            reader
                .read_to_end(&mut bytes)
                .with_context(|| format!("cannot read {}", args.input))?;
            bar.inc(bytes.len() as u64);
            let read = if format == ImportFormat::Csv {
                vane_sources::csv_documents(&bytes, mapping).map_err(crate::UsageError)?
            } else {
                let name = source
                    .as_ref()
                    .map(|id| id.as_str().to_string())
                    .unwrap_or_else(|| file_stem(&args.input));
                match vane_sources::feed_documents(&bytes, &name) {
                    Ok(documents) => documents.into_iter().map(Ok).collect(),
                    Err(rejected) => vec![Err(rejected)],
                }
            };
            for entry in read {
                match entry {
                    Ok(document) => items.push(received(document)),
                    Err(rejected) => letters.push(dead_letter(rejected, source)),
                }
                if items.len() >= batch_size {
                    let batch = std::mem::take(&mut items);
                    run.push(batch, std::mem::take(&mut letters)).await?;
                }
            }
        }
    }
    run.push(items, letters).await?;
    let total = run.finish().await?;
    bar.finish_with_message(format!(
        "{} new, {} duplicates",
        total.new, total.duplicates
    ));
    if !bar.is_hidden() {
        // the finished bar leaves the cursor on its line; the summary on
        // standard output starts a line of its own on a shared terminal
        eprintln!();
    }
    Ok(total)
}

/// A batch read by the NDJSON reader thread.
struct ParsedBatch {
    items: Vec<Received>,
    letters: Vec<NewDeadLetter>,
    bytes: u64,
}

fn read_ndjson(
    mut reader: Box<dyn BufRead + Send>,
    input: &str,
    source: &Option<SourceId>,
    batch_size: usize,
    sender: &tokio::sync::mpsc::Sender<Result<ParsedBatch>>,
) -> Result<()> {
    let mut line = Vec::new();
    let mut number = 0usize;
    let mut batch = ParsedBatch {
        items: Vec::with_capacity(batch_size),
        letters: Vec::new(),
        bytes: 0,
    };
    loop {
        line.clear();
        let read = reader
            .read_until(b'\n', &mut line)
            .with_context(|| format!("cannot read {input}"))?;
        if read == 0 {
            break;
        }
        number += 1;
        batch.bytes += read as u64;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match vane_sources::ndjson_line(line.trim_ascii_end(), number) {
            Ok(document) => batch.items.push(Received {
                source_id: source.clone(),
                received_at: now(),
                document,
            }),
            Err(rejected) => batch.letters.push(dead_letter(rejected, source)),
        }
        if batch.items.len() >= batch_size {
            let full = std::mem::replace(
                &mut batch,
                ParsedBatch {
                    items: Vec::with_capacity(batch_size),
                    letters: Vec::new(),
                    bytes: 0,
                },
            );
            if sender.blocking_send(Ok(full)).is_err() {
                return Ok(());
            }
        }
    }
    let _ = sender.blocking_send(Ok(batch));
    Ok(())
}

fn file_stem(input: &str) -> String {
    Path::new(input)
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".to_string())
}

async fn ingest_url(
    pipeline: &Pipeline,
    config: &Config,
    args: &IngestArgs,
    source: &Option<SourceId>,
) -> Result<IngestSummary> {
    let fetcher = vane_sources::Fetcher::new(config.fetch_policy());
    let fetched = fetcher
        .get(&args.input, &Default::default())
        .await
        .with_context(|| format!("cannot fetch {}", args.input))?;
    let looks_like_feed =
        fetched.content_type.as_deref().is_some_and(|kind| {
            kind.contains("xml") || kind.contains("rss") || kind.contains("atom")
        }) || fetched.body.trim_ascii_start().starts_with(b"<");
    let format = match args.format.as_deref() {
        Some(_) => format_of(args, &fetched.body)?,
        None if looks_like_feed => ImportFormat::Feed,
        None => ImportFormat::Ndjson,
    };
    let name = source
        .as_ref()
        .map(|id| id.as_str().to_string())
        .or_else(|| vane_model::site_of_url(&args.input))
        .unwrap_or_else(|| "url".to_string());
    let read: Vec<Result<Document, Rejected>> = match format {
        ImportFormat::Feed => match vane_sources::feed_documents(&fetched.body, &name) {
            Ok(documents) => documents.into_iter().map(Ok).collect(),
            Err(rejected) => vec![Err(rejected)],
        },
        ImportFormat::Ndjson => vane_sources::ndjson_documents(&fetched.body, 1),
        ImportFormat::Csv => bail!("CSV over HTTP is not supported; download the file first"),
    };
    let mut items = Vec::new();
    let mut letters = Vec::new();
    for entry in read {
        match entry {
            Ok(document) => items.push(Received {
                source_id: source.clone(),
                received_at: now(),
                document,
            }),
            Err(rejected) => letters.push(dead_letter(rejected, source)),
        }
    }
    Ok(pipeline.ingest(items, letters).await?)
}
