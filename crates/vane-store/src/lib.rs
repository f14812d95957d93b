//! Vane's store: everything that outlives a process.
//!
//! [`Store`] is the one interface the pipeline, the server and the CLI use;
//! [`SqliteStore`] is the embedded implementation (one file, WAL, zero
//! set-up) and a PostgreSQL implementation will sit beside it without
//! changing the callers. The store holds the durable inbox, documents with
//! their full-text index, mentions, stories, rollups, topics, sources and
//! dead letters. It computes nothing but rollup sums: analysis happens
//! before a document reaches it.
//!
//! Search ([`search`]) selects candidates from the full-text index with a
//! query's [`vane_query::SearchPlan`] and verifies every one with the
//! percolator, so a search returns exactly what monitoring would match.

mod search;
mod sqlite;
mod types;

pub use search::{SearchPage, SearchResult, search, search_with_plan};
pub use sqlite::SqliteStore;
pub use types::*;

use async_trait::async_trait;
use vane_model::{Document, SourceConfig, SourceId, SourceState, Timestamp, Topic, TopicId};
use vane_query::SearchPlan;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("invalid cursor `{0}`: pass back the `next` value of the previous page")]
    InvalidCursor(String),
    #[error("unsupported database url `{0}`: use sqlite://PATH")]
    UnsupportedUrl(String),
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The store, as every component sees it. Writes of one call are atomic.
#[async_trait]
pub trait Store: Send + Sync + std::fmt::Debug {
    // --- the inbox: acknowledged items waiting for the pipeline ---

    /// Appends items to the inbox and records dead letters, in one
    /// transaction: once this returns, the items are acknowledged. Items
    /// whose id is already stored or queued are counted as duplicates.
    async fn enqueue(
        &self,
        items: &[InboxItem],
        dead_letters: &[NewDeadLetter],
    ) -> Result<Enqueued>;
    /// The oldest queued items after the entry `after` (all when `None`),
    /// at most `limit`: the worker reads the next batch while the one
    /// before is still being committed.
    async fn queued(&self, after: Option<i64>, limit: usize) -> Result<Vec<InboxEntry>>;
    async fn inbox_depth(&self) -> Result<u64>;

    // --- the pipeline's output ---

    /// Stores analysed documents with their mentions, adds them to the
    /// rollups, records dead letters and removes the processed inbox
    /// entries, in one transaction. A document whose id is already stored
    /// is skipped with its mentions: re-delivery never counts twice.
    async fn commit(&self, batch: &Commit) -> Result<Committed>;
    /// Which of these document ids are already stored.
    async fn stored_ids(&self, ids: &[&str]) -> Result<Vec<String>>;
    /// Up to `limit` mentions published since `since`, oldest first (by
    /// time, document, topic) after `after`, with what the warning engines
    /// weigh and none of the text: the engines' history after a restart.
    async fn warning_mentions(
        &self,
        since: Timestamp,
        after: Option<&WarningMention>,
        limit: usize,
    ) -> Result<Vec<WarningMention>>;
    /// Up to `limit` documents received since `since`, in order of storage
    /// after the one stored as `after`, with what the story index needs of
    /// them, to rebuild it after a restart.
    async fn recent_story_members(
        &self,
        since: Timestamp,
        after: Option<i64>,
        limit: usize,
    ) -> Result<Vec<StoredStoryMember>>;
    /// (topic, story) pairs with a mention published since `since`.
    async fn recent_topic_stories(&self, since: Timestamp) -> Result<Vec<(TopicId, String)>>;

    // --- reads ---

    async fn document(&self, id: &str) -> Result<Option<StoredDocument>>;
    /// The mentions of one document.
    async fn document_mentions(&self, id: &str) -> Result<Vec<StoredMention>>;
    /// Mentions, newest first.
    async fn mentions(
        &self,
        filter: &Filter,
        after: Option<Cursor>,
        limit: usize,
    ) -> Result<Page<StoredMention>>;
    /// Documents, newest first; with a topic in the filter, its mentions' documents.
    async fn documents(
        &self,
        filter: &Filter,
        after: Option<Cursor>,
        limit: usize,
    ) -> Result<Page<StoredDocument>>;
    /// Documents the full-text index holds every clause of `plan` for,
    /// newest first: candidates, not yet verified.
    async fn search_candidates(
        &self,
        plan: &SearchPlan,
        filter: &Filter,
        after: Option<Cursor>,
        limit: usize,
    ) -> Result<Page<StoredDocument>>;
    /// Stories with mentions matching the filter, largest first.
    async fn stories(&self, filter: &Filter, limit: usize) -> Result<Vec<StorySummary>>;
    /// The documents of a story, in order of publication.
    async fn story(&self, story_id: &str) -> Result<Vec<StoredDocument>>;
    /// Rollup sums per bucket over channels (or one channel), oldest first.
    async fn series(&self, request: &SeriesRequest) -> Result<Vec<SeriesPoint>>;
    async fn counts(&self) -> Result<Counts>;
    /// What a topic's mentions published in `[from, to)` are made of:
    /// mentions per channel (from the rollups), the `limit` sites and
    /// authors with the most mentions.
    async fn breakdown(
        &self,
        topic: &TopicId,
        from: Timestamp,
        to: Timestamp,
        limit: usize,
    ) -> Result<Breakdown>;

    // --- topics ---

    async fn topics(&self) -> Result<Vec<Topic>>;
    async fn topic(&self, id: &TopicId) -> Result<Option<Topic>>;
    /// Creates or replaces; true when it was created.
    async fn put_topic(&self, topic: &Topic) -> Result<bool>;
    async fn delete_topic(&self, id: &TopicId) -> Result<bool>;

    // --- sources ---

    async fn sources(&self) -> Result<Vec<(SourceConfig, SourceState)>>;
    async fn source(&self, id: &SourceId) -> Result<Option<(SourceConfig, SourceState)>>;
    /// Creates or replaces the configuration, keeping the state; true when created.
    async fn put_source(&self, config: &SourceConfig) -> Result<bool>;
    async fn set_source_state(&self, id: &SourceId, state: &SourceState) -> Result<()>;
    async fn delete_source(&self, id: &SourceId) -> Result<bool>;

    // --- warnings ---

    /// Stores a level change; its sequence number.
    async fn add_warning(&self, warning: &NewWarning) -> Result<i64>;
    /// Level changes, newest first; of one topic when given.
    async fn warnings(
        &self,
        topic: Option<&TopicId>,
        after: Option<i64>,
        limit: usize,
    ) -> Result<Page<StoredWarning, i64>>;
    /// Marks a warning acknowledged; false when there is no such warning.
    async fn acknowledge_warning(&self, seq: i64, by: &str, at: Timestamp) -> Result<bool>;
    /// Mutes a topic's notifications until `until`; `None` unmutes.
    async fn set_mute(&self, topic: &TopicId, until: Option<Timestamp>) -> Result<()>;
    async fn mutes(&self) -> Result<Vec<(TopicId, Timestamp)>>;

    // --- dead letters ---

    /// Newest first.
    async fn dead_letters(&self, after: Option<i64>, limit: usize)
    -> Result<Page<DeadLetter, i64>>;
    /// Documents received per source (`None`: pushed or imported without
    /// one) in the day and the week before `now`, with the last arrival and
    /// the dead letters of the week: a source's health is its last day
    /// against its usual rate.
    async fn source_activity(&self, now: Timestamp) -> Result<Vec<SourceActivity>>;
}

/// The document of an inbox item as stored: what the pipeline gets back.
pub fn inbox_payload(document: &Document) -> String {
    serde_json::to_string(document).expect("documents serialise")
}

/// Opens the store a database URL names: `sqlite://PATH` (created when missing).
pub async fn open(url: &str) -> Result<std::sync::Arc<dyn Store>> {
    if url.starts_with("sqlite:") {
        Ok(std::sync::Arc::new(SqliteStore::open(url).await?))
    } else {
        Err(StoreError::UnsupportedUrl(url.to_string()))
    }
}
