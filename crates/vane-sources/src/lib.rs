//! Sources of documents: syndication feeds (RSS 2.0, RSS 1.0, Atom, JSON
//! Feed, in any charset: `feed.rs` with its small XML reader `xml.rs`),
//! JSON APIs of social platforms read through a field mapping, and one
//! poll of either (`poll.rs`); file and push imports of NDJSON, CSV and
//! feed files with stable ids (`import.rs`); and fetching within limits
//! that keep a source from reaching private addresses (`fetch.rs`).
//! Scheduling the polls is the pipeline's business.

mod feed;
mod fetch;
mod import;
mod poll;
mod xml;

pub use feed::{Feed, FeedError, FeedFormat, FeedItem, parse_feed};
pub use fetch::{FetchError, FetchPolicy, Fetched, Fetcher, headers, is_private};
pub use import::{
    CsvMapping, ImportFormat, assign_stable_id, canonical_url, csv_documents, document_from_json,
    feed_documents, ndjson_documents, ndjson_line,
};
pub use poll::{PollOutcome, Rejected, map_items, poll};
