//! A document: one article, post or comment as it arrives from a source,
//! with the metadata fields of QUERY-LANGUAGE.md §1.

use serde::{Deserialize, Serialize};

use crate::{Channel, DocumentId};

/// One article, post, comment or video description.
///
/// Every field but `id` is optional on the wire; numbers are 0 when unknown.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Required: a document without an id cannot be tracked or de-duplicated.
    pub id: DocumentId,
    #[serde(default)]
    pub title: String,
    /// Article or post text, HTML already reduced to text.
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub url: String,
    /// Host of the URL, lower-case, without `www.`; derived from `url` when absent.
    #[serde(default)]
    pub site: String,
    #[serde(default)]
    pub author: String,
    /// ISO 639-1 code.
    #[serde(default)]
    pub lang: String,
    /// ISO 3166-1 alpha-2, lower-case.
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub channel: Option<Channel>,
    /// The author is verified (加V).
    #[serde(default)]
    pub verified: bool,
    /// The document is a repost or forward, not an original.
    #[serde(default)]
    pub repost: bool,
    #[serde(default)]
    pub followers: u64,
    #[serde(default)]
    pub likes: u64,
    #[serde(default)]
    pub comments: u64,
    #[serde(default)]
    pub shares: u64,
    #[serde(default)]
    pub views: u64,
    /// RFC 3339 time of publication as the source states it.
    #[serde(default)]
    pub published_at: Option<String>,
}

impl Document {
    /// The site the query language matches `site:` against: the given
    /// `site` normalised, or else the host of `url`.
    pub fn effective_site(&self) -> String {
        if self.site.trim().is_empty() {
            site_of_url(&self.url).unwrap_or_default()
        } else {
            normalise_host(self.site.trim())
        }
    }

    /// The text of a text field.
    pub fn text(&self, field: TextField) -> &str {
        match field {
            TextField::Title => &self.title,
            TextField::Body => &self.body,
        }
    }
}

/// The two text fields a term can search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextField {
    Title,
    Body,
}

impl TextField {
    pub const ALL: [TextField; 2] = [TextField::Title, TextField::Body];

    pub fn as_str(self) -> &'static str {
        match self {
            TextField::Title => "title",
            TextField::Body => "body",
        }
    }

    /// Dense index, for per-field arrays.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// The host of a URL, lower-case, without `www.`, a port or a trailing dot.
/// `None` when the text has no host (`/relative/path`, empty).
pub fn site_of_url(url: &str) -> Option<String> {
    let url = url.trim();
    let after_scheme = match url.find("://") {
        Some(index)
            if url[..index]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            &url[index + 3..]
        }
        _ if url.starts_with("//") => &url[2..],
        _ => url,
    };
    let authority_end = after_scheme
        .find(['/', '?', '#'])
        .unwrap_or(after_scheme.len());
    let authority = &after_scheme[..authority_end];
    let host_and_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host = if let Some(bracketed) = host_and_port.strip_prefix('[') {
        bracketed.split(']').next().unwrap_or_default()
    } else {
        host_and_port.split(':').next().unwrap_or_default()
    };
    let host = normalise_host(host);
    (!host.is_empty() && !host.contains(char::is_whitespace)).then_some(host)
}

fn normalise_host(host: &str) -> String {
    let lower = host.to_lowercase();
    let trimmed = lower.trim_end_matches('.');
    trimmed.strip_prefix("www.").unwrap_or(trimmed).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_is_derived_from_url() {
        for (url, site) in [
            ("https://www.Mi.com/news/1", Some("mi.com")),
            (
                "http://user:pw@news.sina.com.cn:8080/a?b#c",
                Some("news.sina.com.cn"),
            ),
            ("weibo.com/u/123", Some("weibo.com")),
            ("https://example.com.", Some("example.com")),
            ("", None),
            ("/relative/only", None),
        ] {
            assert_eq!(site_of_url(url).as_deref(), site, "{url}");
        }
    }

    #[test]
    fn documents_parse_with_only_an_id() {
        let document: Document = serde_json::from_str(r#"{"id": 7}"#).unwrap();
        assert_eq!(document.id.as_str(), "7");
        assert_eq!(document.followers, 0);
        let document: Document = serde_json::from_str(
            r#"{"id": "a", "url": "https://www.people.com.cn/x", "channel": "news"}"#,
        )
        .unwrap();
        assert_eq!(document.effective_site(), "people.com.cn");
        assert_eq!(document.channel, Some(Channel::News));
    }

    #[test]
    fn documents_without_an_id_or_with_bad_values_are_rejected() {
        for line in [
            r#"{"body": "no id"}"#,
            r#"{"id": "a", "followers": -1}"#,
            r#"{"id": "a", "channel": "myspace"}"#,
            r#"{"id": true}"#,
        ] {
            assert!(serde_json::from_str::<Document>(line).is_err(), "{line}");
        }
    }
}
