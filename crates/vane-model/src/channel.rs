//! The channels a document can come from (QUERY-LANGUAGE.md §1).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

macro_rules! channels {
    ($($variant:ident => $name:literal),* $(,)?) => {
        /// Where a document was published: a news site, a social platform, a forum…
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "lowercase")]
        pub enum Channel {
            $($variant,)*
        }

        impl Channel {
            /// Every channel, in the order of the specification.
            pub const ALL: &'static [Channel] = &[$(Channel::$variant,)*];

            /// The lower-case name used in queries, the API and files.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Channel::$variant => $name,)*
                }
            }
        }
    };
}

channels! {
    News => "news", Weibo => "weibo", Wechat => "wechat", Douyin => "douyin",
    Kuaishou => "kuaishou", Bilibili => "bilibili", Xiaohongshu => "xiaohongshu",
    Zhihu => "zhihu", Forum => "forum", Blog => "blog", Video => "video", Tv => "tv",
    Print => "print", Review => "review", Web => "web", X => "x", Facebook => "facebook",
    Instagram => "instagram", Youtube => "youtube", Reddit => "reddit", Other => "other",
}

/// A channel name that is not one of [`Channel::ALL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownChannel(pub String);

impl fmt::Display for UnknownChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let known: Vec<&str> = Channel::ALL
            .iter()
            .map(|channel| channel.as_str())
            .collect();
        write!(
            f,
            "unknown channel `{}`; the channels are {}",
            self.0,
            known.join(", ")
        )
    }
}

impl std::error::Error for UnknownChannel {}

impl FromStr for Channel {
    type Err = UnknownChannel;

    /// Case-insensitive, surrounding whitespace ignored.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim();
        Channel::ALL
            .iter()
            .copied()
            .find(|channel| channel.as_str().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| UnknownChannel(text.to_string()))
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_names_parse_case_insensitively() {
        assert_eq!("Weibo".parse::<Channel>(), Ok(Channel::Weibo));
        assert_eq!("x".parse::<Channel>(), Ok(Channel::X));
        let error = "myspace".parse::<Channel>().unwrap_err();
        assert!(error.to_string().contains("xiaohongshu"), "{error}");
    }
}
