//! Identifier newtypes, so that a topic id can never be passed where a
//! document id is expected.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

macro_rules! string_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        /// Ids arrive from feeds and partners as strings or as numbers;
        /// both are accepted and kept as their decimal text.
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #[derive(Deserialize)]
                #[serde(untagged)]
                enum Raw {
                    Text(String),
                    Unsigned(u64),
                    Signed(i64),
                }
                Ok(match Raw::deserialize(deserializer).map_err(|_| {
                    serde::de::Error::custom("an id must be a string or an integer")
                })? {
                    Raw::Text(text) => Self(text),
                    Raw::Unsigned(number) => Self(number.to_string()),
                    Raw::Signed(number) => Self(number.to_string()),
                })
            }
        }
    };
}

string_id!(
    /// The id of a monitoring topic (监测专题), chosen by the user.
    TopicId
);
string_id!(
    /// The id of a document, stable across re-delivery.
    DocumentId
);
string_id!(
    /// The id of a configured source (a feed, an API poller), chosen by the user.
    SourceId
);
