//! A monitoring topic (监测专题): a named query, optionally tied to a brand
//! so that brands can be compared side by side.

use serde::{Deserialize, Serialize};

use crate::TopicId;

/// A monitoring topic as the user defines it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    pub id: TopicId,
    /// Display name; the id when not given.
    #[serde(default)]
    pub name: String,
    /// The query in the monitoring query language (QUERY-LANGUAGE.md).
    pub query: String,
    /// The brand this topic monitors, for share of voice; topics of the
    /// same brand are one brand in comparisons.
    #[serde(default)]
    pub brand: Option<String>,
    /// Competitors' topics are compared against, not warned about.
    #[serde(default)]
    pub competitor: bool,
    /// A disabled topic keeps its mentions but matches nothing new.
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
}

fn enabled_by_default() -> bool {
    true
}
