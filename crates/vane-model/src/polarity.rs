//! The three sentiment labels as stored and served.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Positive, neutral or negative: of a document, or of a mention towards
/// its topic's brand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Polarity {
    Positive,
    Neutral,
    Negative,
}

impl Polarity {
    pub const ALL: [Polarity; 3] = [Polarity::Positive, Polarity::Neutral, Polarity::Negative];

    pub fn as_str(self) -> &'static str {
        match self {
            Polarity::Positive => "positive",
            Polarity::Neutral => "neutral",
            Polarity::Negative => "negative",
        }
    }
}

impl fmt::Display for Polarity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Polarity {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Polarity::ALL
            .into_iter()
            .find(|polarity| polarity.as_str() == text)
            .ok_or_else(|| {
                format!(
                    "unknown sentiment `{text}`; the sentiments are positive, neutral, negative"
                )
            })
    }
}
