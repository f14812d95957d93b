//! The vocabulary of Vane: the types every other crate speaks in.
//!
//! This crate holds plain data (documents, topics, sources, channels, ids) and the
//! few rules that belong to the data itself, such as deriving a document's
//! site from its URL. It does no I/O and depends on nothing but `serde`.

mod channel;
mod document;
mod ids;
mod polarity;
mod source;
mod time;
mod topic;

pub use channel::{Channel, UnknownChannel};
pub use document::{Document, TextField, site_of_url};
pub use ids::{DocumentId, SourceId, TopicId};
pub use polarity::Polarity;
pub use source::{CursorMapping, FieldMapping, SourceConfig, SourceKind, SourceState};
pub use time::{Timestamp, TimestampError};
pub use topic::Topic;
