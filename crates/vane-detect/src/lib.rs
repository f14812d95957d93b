//! Detection over the stream of documents: syndication stories with their
//! first publisher and propagation path (`stories.rs`). Pure: time is a
//! parameter (each document's publication time), nothing reads a clock.

mod stories;

pub use stories::{Assignment, StoryConfig, StoryIndex, StoryMember, strip_credits};
