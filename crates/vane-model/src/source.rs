//! A configured source: what to fetch, how often, and how to read it, plus
//! the state its poller keeps between fetches.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Channel, SourceId};

/// What kind of endpoint a source polls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// RSS 2.0, RSS 1.0, Atom or JSON Feed.
    Feed,
    /// A platform's JSON API read through a [`FieldMapping`].
    JsonApi,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Feed => "feed",
            SourceKind::JsonApi => "json_api",
        }
    }
}

/// A source as configured through the API or the CLI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceConfig {
    pub id: SourceId,
    pub kind: SourceKind,
    /// The feed URL, or for a JSON API the URL template: `{cursor}` and
    /// `{since_id}` are replaced by the paging state (empty at first).
    pub url: String,
    /// Seconds between fetches when all is well.
    #[serde(default = "default_interval")]
    pub interval_seconds: u64,
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    /// Fetch each item's page when the feed carries only a summary.
    #[serde(default)]
    pub full_article: bool,
    /// Extra request headers, such as `Authorization` for an API.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// The channel of the documents when the payload does not say.
    #[serde(default)]
    pub channel: Option<Channel>,
    /// How a JSON API's payload maps to documents (JSON API sources only).
    #[serde(default)]
    pub mapping: Option<FieldMapping>,
}

fn default_interval() -> u64 {
    300
}

fn enabled_by_default() -> bool {
    true
}

/// Where each document field is in a platform's JSON: JSON Pointers
/// (RFC 6901) relative to one item, e.g. `/user/followers_count`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldMapping {
    /// Pointer to the array of items in the response; empty: the response is the array.
    #[serde(default)]
    pub items: String,
    /// Pointer to the item's id (required: ids make re-delivery harmless).
    pub id: String,
    /// Document field → pointer within an item: `title`, `body`, `url`,
    /// `author`, `published_at`, `lang`, `country`, `region`, `channel`,
    /// `verified`, `repost`, `followers`, `likes`, `comments`, `shares`, `views`.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// How the next page is requested.
    #[serde(default)]
    pub cursor: Option<CursorMapping>,
}

/// Paging of a JSON API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum CursorMapping {
    /// The response carries the next cursor at `pointer`; it replaces
    /// `{cursor}` in the URL of the next fetch.
    Cursor { pointer: String },
    /// The largest item id seen replaces `{since_id}` in the URL.
    SinceId,
}

/// What a poller remembers between fetches.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceState {
    #[serde(default)]
    pub etag: Option<String>,
    #[serde(default)]
    pub last_modified: Option<String>,
    /// The paging cursor or largest id seen of a JSON API.
    #[serde(default)]
    pub cursor: Option<String>,
    /// Unix seconds.
    #[serde(default)]
    pub last_fetch_at: Option<i64>,
    #[serde(default)]
    pub last_success_at: Option<i64>,
    #[serde(default)]
    pub next_fetch_at: Option<i64>,
    #[serde(default)]
    pub last_error: Option<String>,
    #[serde(default)]
    pub consecutive_failures: u32,
    #[serde(default)]
    pub fetches: u64,
    #[serde(default)]
    pub errors: u64,
    /// Items handed to the pipeline, new or not.
    #[serde(default)]
    pub items: u64,
}
