//! Sources of documents. So far: parsing syndication feeds — RSS 2.0,
//! RSS 1.0 (RDF), Atom and JSON Feed, in any charset — into documents
//! (`feed.rs`, with its small XML reader in `xml.rs`). The pollers, the
//! push endpoint and file imports of DESIGN §2 come with the pipeline.

mod feed;
mod xml;

pub use feed::{Feed, FeedError, FeedFormat, FeedItem, parse_feed};
