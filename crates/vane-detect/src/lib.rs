//! Detection over the stream of documents: syndication stories with their
//! first publisher and propagation path (`stories.rs`), the text
//! clustering hot-topic events are built on (`cluster.rs`, `events.rs`), and
//! early warnings: authority and sensitivity of mentions (`classify.rs`) and
//! the risk score with its graded levels (`warnings.rs`). Pure: time is a
//! parameter (each document's publication time), nothing reads a clock.

mod classify;
mod cluster;
mod events;
mod stories;
mod warnings;

pub use classify::{
    AUTHORITY_AUTHORS, AUTHORITY_SITES, Classifier, SENSITIVITY_KEYWORDS, Sensitivity,
    SignalSettings,
};
pub use cluster::{SparseVector, Vectorizer, k_means, normalized_mutual_information};
pub use events::{Event, EventConfig, EventDocument, HeatWeights, detect_events};
pub use stories::{
    Assignment, StoryConfig, StoryIndex, StoryKey, StoryMember, may_have_credits, strip_credits,
};
pub use warnings::{
    Components, Evidence, Level, LevelChange, Observation, TopicWarnings, WarningConfig,
    WarningWeights,
};
