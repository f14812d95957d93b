//! `vane`: the one binary. Parses arguments, runs the sub-command, prints
//! errors as `error: …` with their causes and exits non-zero.
//!
//! Exit codes: 0 success; 1 a failure while running (unreadable file,
//! malformed document); 2 a usage error or an invalid query.

mod bench;
mod corpus;
mod feed;
mod query;
mod sentiment;
mod stories;
mod text;

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
