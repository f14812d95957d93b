//! The records the store takes and gives back.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use vane_model::{Channel, Document, Polarity, SourceId, TextField, Timestamp, TopicId};

use crate::StoreError;

/// An item acknowledged into the inbox. Its id is the document's id,
/// which sources make stable (source + item id, else the canonical URL,
/// else a content hash).
#[derive(Debug, Clone)]
pub struct InboxItem {
    pub source_id: Option<SourceId>,
    pub received_at: Timestamp,
    pub document: Document,
}

/// An item taken from the inbox.
#[derive(Debug, Clone)]
pub struct InboxEntry {
    pub seq: i64,
    pub source_id: Option<SourceId>,
    pub received_at: Timestamp,
    pub document: Document,
}

/// How an enqueue went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Enqueued {
    pub new: usize,
    pub duplicates: usize,
    pub dead_letters: usize,
}

/// Something that could not become a document, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDeadLetter {
    pub at: Timestamp,
    pub source_id: Option<SourceId>,
    pub item_id: Option<String>,
    /// A readable reason: `line 7: expected value at column 1`.
    pub reason: String,
    /// The offending input, lossily decoded and cut to a few kilobytes.
    pub payload: String,
}

/// A stored dead letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadLetter {
    pub seq: i64,
    pub at: Timestamp,
    pub source_id: Option<SourceId>,
    pub item_id: Option<String>,
    pub reason: String,
    pub payload: String,
}

/// A hit span of a mention: character offsets in the original field text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionHit {
    pub field: TextField,
    pub start: u32,
    pub end: u32,
}

impl From<&vane_query::Hit> for MentionHit {
    fn from(hit: &vane_query::Hit) -> Self {
        MentionHit {
            field: hit.field,
            start: hit.start,
            end: hit.end,
        }
    }
}

/// A topic's match of a new document.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMention {
    pub topic: TopicId,
    /// Sentiment towards what the topic hit (brand-directed).
    pub sentiment: Polarity,
    pub sentiment_score: f32,
    pub hits: Vec<MentionHit>,
    /// The first mention of its story for this topic: counted in `stories`.
    pub new_story: bool,
}

/// A document after the pipeline, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewDocument {
    pub document: Document,
    pub source_id: Option<SourceId>,
    pub published_at: Timestamp,
    pub received_at: Timestamp,
    /// Sentiment of the whole document.
    pub sentiment: Polarity,
    pub sentiment_score: f32,
    pub emotion: Option<String>,
    /// The story (syndication cluster): the id of its first-arrived document.
    pub story_id: String,
    /// The earlier copy this one is most similar to.
    pub parent_id: Option<String>,
    /// Estimated audience.
    pub reach: u64,
    /// Who said it and what about (`vane_detect::Classifier`).
    pub signals: Signals,
    /// Title and body tokens for the full-text index (`vane_query::index_tokens`).
    pub index_tokens: String,
    pub mentions: Vec<NewMention>,
}

/// One transaction of pipeline output.
#[derive(Debug, Clone, Default)]
pub struct Commit {
    pub documents: Vec<NewDocument>,
    pub dead_letters: Vec<NewDeadLetter>,
    /// Inbox entries this batch consumed.
    pub inbox_done: Vec<i64>,
}

/// How a commit went: per document of the batch, whether it was new.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Committed {
    pub inserted: Vec<bool>,
}

impl Committed {
    pub fn new_documents(&self) -> usize {
        self.inserted.iter().filter(|&&new| new).count()
    }
}

/// A stored document with what the pipeline found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredDocument {
    /// Order of storage; the tie-breaker of time order.
    pub seq: i64,
    #[serde(flatten)]
    pub document: Document,
    pub source_id: Option<SourceId>,
    #[serde(rename = "published")]
    pub published_at: Timestamp,
    pub received_at: Timestamp,
    pub sentiment: Polarity,
    pub sentiment_score: f32,
    pub emotion: Option<String>,
    pub story_id: String,
    pub parent_id: Option<String>,
    pub reach: u64,
    pub signals: Signals,
}

/// A stored document as the story index is rebuilt from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredStoryMember {
    /// Order of storage.
    pub seq: i64,
    pub id: String,
    pub title: String,
    pub body: String,
    pub published_at: Timestamp,
    pub story_id: String,
    pub parent_id: Option<String>,
}

/// A stored mention as the warning engines read it again after a restart:
/// what makes it weigh, without the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarningMention {
    pub topic: TopicId,
    pub sentiment: Polarity,
    pub document_seq: i64,
    pub document_id: String,
    pub published_at: Timestamp,
    pub site: String,
    pub channel: Option<Channel>,
    pub verified: bool,
    pub followers: u64,
    /// Likes, comments and shares.
    pub engagement: u64,
    pub signals: Signals,
}

/// What makes a mention weigh in a warning.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signals {
    /// Central or state media, a regulator, or a large verified account.
    pub authority: bool,
    /// Central or state media or a regulator.
    pub central_media: bool,
    /// Sensitivity classes touched (`safety`, `recall`, …).
    pub sensitivity: Vec<String>,
}

/// A level change to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewWarning {
    pub topic: TopicId,
    pub level: String,
    pub previous: String,
    pub at: Timestamp,
    pub score: f64,
    pub evidence: serde_json::Value,
}

/// A stored level change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredWarning {
    pub seq: i64,
    pub topic: TopicId,
    pub level: String,
    pub previous: String,
    pub at: Timestamp,
    pub score: f64,
    pub evidence: serde_json::Value,
    pub acknowledged_at: Option<Timestamp>,
    pub acknowledged_by: Option<String>,
}

/// A stored mention with its document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredMention {
    pub topic: TopicId,
    pub sentiment: Polarity,
    pub sentiment_score: f32,
    pub hits: Vec<MentionHit>,
    pub document: StoredDocument,
}

/// Conditions on mentions or documents; all optional, all must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub topic: Option<TopicId>,
    /// Published at or after.
    pub from: Option<Timestamp>,
    /// Published before.
    pub to: Option<Timestamp>,
    pub channel: Option<Channel>,
    /// Of the mention (brand-directed) when a topic is given, else of the document.
    pub sentiment: Option<Polarity>,
    pub site: Option<String>,
    pub lang: Option<String>,
}

/// A position in a newest-first list: the last item's publication time
/// and sequence number, written `TIME.SEQ`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub published_at: i64,
    pub seq: i64,
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.published_at, self.seq)
    }
}

impl FromStr for Cursor {
    type Err = StoreError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || StoreError::InvalidCursor(text.to_string());
        let (time, seq) = text.split_once('.').ok_or_else(invalid)?;
        Ok(Cursor {
            published_at: time.parse().map_err(|_| invalid())?,
            seq: seq.parse().map_err(|_| invalid())?,
        })
    }
}

/// A page of a list and where the next one starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T, C = Cursor> {
    pub items: Vec<T>,
    pub next: Option<C>,
}

/// A story: a syndication cluster within the filter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StorySummary {
    pub story_id: String,
    /// Documents of the story within the filter.
    pub documents: u64,
    pub sites: u64,
    pub first_published: Timestamp,
    pub last_published: Timestamp,
    /// The first publisher (首发): the earliest document within the filter.
    pub first: StoredDocument,
}

/// Bucket sizes the rollups keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Bucket {
    Minute,
    Hour,
    Day,
}

impl Bucket {
    pub const ALL: [Bucket; 3] = [Bucket::Minute, Bucket::Hour, Bucket::Day];

    pub fn seconds(self) -> i64 {
        match self {
            Bucket::Minute => 60,
            Bucket::Hour => 3_600,
            Bucket::Day => 86_400,
        }
    }

    /// The start of the bucket holding `time`.
    pub fn start(self, time: Timestamp) -> i64 {
        time.0.div_euclid(self.seconds()) * self.seconds()
    }
}

impl FromStr for Bucket {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "minute" => Ok(Bucket::Minute),
            "hour" => Ok(Bucket::Hour),
            "day" => Ok(Bucket::Day),
            _ => Err(format!(
                "unknown bucket `{text}`; the buckets are minute, hour, day"
            )),
        }
    }
}

/// Which rollups to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesRequest {
    pub topic: TopicId,
    pub bucket: Bucket,
    pub from: Timestamp,
    pub to: Timestamp,
    pub channel: Option<Channel>,
}

/// Sums of one bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesPoint {
    pub bucket_start: Timestamp,
    pub mentions: u64,
    pub stories: u64,
    pub positive: u64,
    pub neutral: u64,
    pub negative: u64,
    /// Likes + comments + shares.
    pub engagement: u64,
    pub views: u64,
    pub reach: u64,
    /// Mentions by central media, regulators or large verified accounts.
    pub authority: u64,
}

/// Sizes of the store, for metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub documents: u64,
    pub mentions: u64,
    pub dead_letters: u64,
    pub inbox: u64,
    pub topics: u64,
    pub sources: u64,
}

/// A topic's mentions in a time range by channel, site and author
/// ([`crate::Store::breakdown`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breakdown {
    pub channels: Vec<Share>,
    pub sites: Vec<Share>,
    pub authors: Vec<Share>,
}

/// Mentions of one channel, site or author, and how many are negative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    pub name: String,
    pub mentions: u64,
    pub negative: u64,
}

/// What one source delivered lately ([`crate::Store::source_activity`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceActivity {
    pub source_id: Option<SourceId>,
    pub last_day: u64,
    pub last_week: u64,
    pub last_received: Option<Timestamp>,
    pub dead_letters_week: u64,
}
