//! Detection over the stream of documents: syndication stories with their
//! first publisher and propagation path (`stories.rs`), and the text
//! clustering that hot-topic events will be built on (`cluster.rs`). Pure: time is a
//! parameter (each document's publication time), nothing reads a clock.

mod cluster;
mod events;
mod stories;

pub use cluster::{SparseVector, Vectorizer, k_means, normalized_mutual_information};
pub use events::{Event, EventConfig, EventDocument, HeatWeights, detect_events};
pub use stories::{Assignment, StoryConfig, StoryIndex, StoryKey, StoryMember, strip_credits};
