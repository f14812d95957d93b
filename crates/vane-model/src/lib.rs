//! The vocabulary of Vane: the types every other crate speaks in.
//!
//! This crate holds plain data (documents, topics, channels, ids) and the
//! few rules that belong to the data itself, such as deriving a document's
//! site from its URL. It does no I/O and depends on nothing but `serde`.

mod channel;
mod document;
mod ids;
mod time;

pub use channel::{Channel, UnknownChannel};
pub use document::{Document, TextField, site_of_url};
pub use ids::{DocumentId, TopicId};
pub use time::{Timestamp, TimestampError};
