//! `vane`: the one binary. Parses arguments, runs the sub-command, prints
//! errors as `error: …` with their causes and exits non-zero.
//!
//! Exit codes: 0 success; 1 a failure while running (unreadable file,
//! malformed document); 2 a usage error or an invalid query.

mod bench;
mod bench_search;
mod config;
mod corpus;
mod demo;
mod feed;
mod ingest;
mod manage;
mod query;
mod sentiment;
mod serve;
mod stories;
mod text;
mod warnings;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Compiling topics and decoding documents allocate many short strings;
/// mimalloc's thread-local free lists make that cheap.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(
    name = "vane",
    version,
    about = "Vane (风向标): public-opinion monitoring and crisis PR"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run Vane: the store, the pipeline, the source pollers and the HTTP
    /// API in one process, until Ctrl-C.
    Serve {
        #[command(flatten)]
        store: config::StoreArgs,
        /// Address to listen on (default 127.0.0.1:8080).
        #[arg(long, value_name = "ADDR")]
        listen: Option<String>,
        /// Create the demo workspace and replay its stream live.
        #[arg(long)]
        demo: bool,
    },
    /// Import a file (NDJSON, CSV, RSS/Atom) or a URL through the pipeline
    /// into the store; prints a one-line JSON summary.
    Ingest(ingest::IngestArgs),
    /// Manage monitoring topics in the store.
    #[command(subcommand)]
    Topics(manage::TopicsCommand),
    /// Manage sources (feeds, JSON APIs) in the store.
    #[command(subcommand)]
    Sources(manage::SourcesCommand),
    /// Search stored documents with the monitoring query language.
    Search {
        query: String,
        /// Only documents this topic mentions.
        #[arg(long)]
        topic: Option<String>,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[command(flatten)]
        store: config::StoreArgs,
    },
    /// The demo workspace's stream.
    #[command(subcommand)]
    Demo(DemoCommand),
    /// Early warnings: replay over history, the scenario library.
    #[command(subcommand)]
    Warnings(warnings::WarningsCommand),
    /// Check monitoring queries and match documents against topics.
    #[command(subcommand)]
    Query(query::QueryCommand),
    /// Train, evaluate and apply the sentiment models.
    #[command(subcommand)]
    Sentiment(sentiment::SentimentCommand),
    /// Group syndicated copies into stories: one line per document, in
    /// input order, with its story and the story's first publisher.
    Dedupe {
        #[arg(long, value_name = "DOCS.ndjson")]
        docs: std::path::PathBuf,
        /// Documents published this many hours before the newest leave the index.
        #[arg(long, default_value_t = 168)]
        window_hours: i64,
        #[arg(long)]
        skip_bad: bool,
    },
    /// The stories of a file of documents, largest first, with members and
    /// propagation path.
    Stories {
        #[arg(long, value_name = "DOCS.ndjson")]
        docs: std::path::PathBuf,
        #[arg(long, default_value_t = 168)]
        window_hours: i64,
        #[arg(long)]
        skip_bad: bool,
        /// Leave out stories with fewer members.
        #[arg(long, default_value_t = 1)]
        min_size: usize,
    },
    /// Hot topics: stories grouped into events over the window ending at
    /// the newest document, hottest first.
    Hot {
        #[arg(long, value_name = "DOCS.ndjson")]
        docs: std::path::PathBuf,
        /// The sliding window: 24h, 90m, 7d.
        #[arg(long, default_value = "24h")]
        window: String,
        /// How many events to print.
        #[arg(long, default_value_t = 20)]
        top: usize,
        #[arg(long)]
        skip_bad: bool,
    },
    /// A saved RSS 2.0, RSS 1.0, Atom or JSON feed as documents (NDJSON).
    Feed {
        file: std::path::PathBuf,
        /// The source name that scopes item ids (default: the file name).
        #[arg(long)]
        source: Option<String>,
        /// The HTTP Content-Type it was served with, for its charset.
        #[arg(long)]
        content_type: Option<String>,
    },
    /// Quick checks of the text analysis: language, keywords.
    #[command(subcommand)]
    Text(text::TextCommand),
    /// Measure throughput against named peers in the same run.
    #[command(subcommand)]
    Bench(bench::BenchCommand),
}

#[derive(Debug, Subcommand)]
enum DemoCommand {
    /// Rebuild the committed demo stream from ../shared/data.
    Build {
        #[arg(long, default_value = "../shared/data", value_name = "DIR")]
        data: std::path::PathBuf,
        #[arg(
            long,
            default_value = "crates/vane/demo/stream.ndjson",
            value_name = "FILE"
        )]
        out: std::path::PathBuf,
    },
}

/// An error that has already been reported to the user, with its exit code.
#[derive(Debug)]
pub(crate) struct Exit(pub(crate) u8);

impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit {}", self.0)
    }
}

impl std::error::Error for Exit {}

/// A user error (bad query, bad topics file): exit code 2.
#[derive(Debug)]
pub(crate) struct UsageError(pub(crate) String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve {
            store,
            listen,
            demo,
        } => serve::serve(&store, listen, demo),
        Command::Ingest(args) => ingest::run(&args),
        Command::Warnings(command) => warnings::run(command),
        Command::Topics(command) => manage::topics(command),
        Command::Sources(command) => manage::sources(command),
        Command::Search {
            query,
            topic,
            limit,
            store,
        } => manage::search(&query, topic, limit, &store),
        Command::Demo(DemoCommand::Build { data, out }) => demo::build(&data, &out).map(|count| {
            eprintln!("wrote {count} demo documents to {}", out.display());
        }),
        Command::Query(command) => query::run(command),
        Command::Bench(command) => bench::run(command),
        Command::Sentiment(command) => sentiment::run(command),
        Command::Text(command) => text::run(command),
        Command::Dedupe {
            docs,
            window_hours,
            skip_bad,
        } => stories::dedupe(&docs, window_hours, skip_bad),
        Command::Stories {
            docs,
            window_hours,
            skip_bad,
            min_size,
        } => stories::stories(&docs, window_hours, skip_bad, min_size),
        Command::Hot {
            docs,
            window,
            top,
            skip_bad,
        } => stories::hot(&docs, &window, top, skip_bad),
        Command::Feed {
            file,
            source,
            content_type,
        } => feed::run(&file, source.as_deref(), content_type.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            if let Some(Exit(code)) = error.downcast_ref::<Exit>() {
                return ExitCode::from(*code);
            }
            if is_broken_pipe(&error) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {error:#}");
            if error.downcast_ref::<UsageError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// `vane … | head` closing the pipe early is not an error.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
