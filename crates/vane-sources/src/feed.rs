//! Syndication feeds to documents: RSS 2.0, RSS 1.0 (RDF), Atom and JSON
//! Feed, decoded from any charset (GBK feeds exist) by `vane_text::decode`.
//! HTML in descriptions and content is reduced to text; dates are RFC 3339
//! or, in RSS, RFC 2822.

use vane_model::{Channel, Document, DocumentId, Timestamp};

use crate::xml::{Element, parse};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedFormat {
    Rss2,
    Rss1,
    Atom,
    JsonFeed,
}

/// One entry of a feed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedItem {
    /// The feed's own id for the entry (guid, Atom id, rdf:about, JSON id),
    /// else its link.
    pub id: String,
    pub title: String,
    pub url: String,
    /// Content or summary, as text.
    pub text: String,
    pub author: String,
    pub published: Option<Timestamp>,
}

/// A parsed feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    pub format: FeedFormat,
    pub title: String,
    pub items: Vec<FeedItem>,
}

/// Why a feed could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeedError {
    #[error("malformed XML at line {line}: {message}")]
    Xml { line: usize, message: String },
    #[error("malformed JSON Feed: {0}")]
    Json(String),
    #[error("not a feed: the root element is <{0}> (expected rss, rdf:RDF or feed)")]
    NotAFeed(String),
}

/// HTML (descriptions and content are HTML, plain text included) to
/// clean text: tags dropped, entities decoded.
fn text_of(html: &str) -> String {
    vane_text::extract_article(html).text()
}

fn date(text: Option<&str>) -> Option<Timestamp> {
    let text = text?.trim();
    Timestamp::parse(text)
        .or_else(|_| Timestamp::parse_rfc2822(text))
        .ok()
}

/// Parses a feed from its bytes and, if known, the HTTP Content-Type.
pub fn parse_feed(bytes: &[u8], content_type: Option<&str>) -> Result<Feed, FeedError> {
    let decoded = vane_text::decode(bytes, content_type);
    let text = decoded.text.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with('{') {
        return json_feed(text);
    }
    let root = parse(text).map_err(|error| FeedError::Xml {
        line: error.line,
        message: error.message,
    })?;
    match root.local() {
        "rss" => {
            let channel = root
                .child("channel")
                .ok_or_else(|| FeedError::NotAFeed("rss without <channel>".to_string()))?;
            Ok(Feed {
                format: FeedFormat::Rss2,
                title: channel.child_text("title").unwrap_or_default().to_string(),
                items: channel.children_named("item").map(rss_item).collect(),
            })
        }
        "RDF" => {
            let title = root
                .child("channel")
                .and_then(|channel| channel.child_text("title"))
                .unwrap_or_default()
                .to_string();
            Ok(Feed {
                format: FeedFormat::Rss1,
                title,
                items: root.children_named("item").map(rss_item).collect(),
            })
        }
        "feed" => Ok(Feed {
            format: FeedFormat::Atom,
            title: text_of(root.child_text("title").unwrap_or_default()),
            items: root.children_named("entry").map(atom_entry).collect(),
        }),
        other => Err(FeedError::NotAFeed(other.to_string())),
    }
}

fn rss_item(item: &Element) -> FeedItem {
    let url = item.child_text("link").unwrap_or_default().to_string();
    let id = item
        .child_text("guid")
        .map(str::to_string)
        .or_else(|| item.attribute("about").map(str::to_string))
        .unwrap_or_else(|| url.clone());
    let body = item
        .child("content:encoded")
        .or_else(|| item.child("encoded"))
        .map(|content| content.text.as_str())
        .filter(|text| !text.trim().is_empty())
        .or_else(|| item.child_text("description"))
        .unwrap_or_default();
    FeedItem {
        id,
        title: text_of(item.child_text("title").unwrap_or_default()),
        url,
        text: text_of(body),
        author: item
            .child_text("dc:creator")
            .or_else(|| item.child_text("author"))
            .unwrap_or_default()
            .to_string(),
        published: date(
            item.child_text("pubDate")
                .or_else(|| item.child_text("dc:date"))
                .or_else(|| item.child_text("date")),
        ),
    }
}

fn atom_entry(entry: &Element) -> FeedItem {
    let url = entry
        .children_named("link")
        .find(|link| link.attribute("rel").is_none_or(|rel| rel == "alternate"))
        .and_then(|link| link.attribute("href"))
        .unwrap_or_default()
        .to_string();
    let body = entry
        .child_text("content")
        .or_else(|| entry.child_text("summary"))
        .unwrap_or_default();
    FeedItem {
        id: entry
            .child_text("id")
            .map_or_else(|| url.clone(), str::to_string),
        title: text_of(entry.child_text("title").unwrap_or_default()),
        url,
        text: text_of(body),
        author: entry
            .child("author")
            .and_then(|author| author.child_text("name"))
            .unwrap_or_default()
            .to_string(),
        published: date(
            entry
                .child_text("published")
                .or_else(|| entry.child_text("updated")),
        ),
    }
}

fn json_feed(text: &str) -> Result<Feed, FeedError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|error| FeedError::Json(error.to_string()))?;
    if !value
        .get("version")
        .and_then(|version| version.as_str())
        .is_some_and(|version| version.contains("jsonfeed.org"))
    {
        return Err(FeedError::Json(
            "no \"version\" naming jsonfeed.org".to_string(),
        ));
    }
    let string = |item: &serde_json::Value, key: &str| {
        item.get(key)
            .and_then(|value| value.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let items = value
        .get("items")
        .and_then(|items| items.as_array())
        .ok_or_else(|| FeedError::Json("no \"items\" array".to_string()))?
        .iter()
        .map(|item| {
            let url = string(item, "url");
            let html = string(item, "content_html");
            let body = if html.is_empty() {
                string(item, "content_text")
            } else {
                text_of(&html)
            };
            let author = item
                .get("authors")
                .and_then(|authors| authors.get(0))
                .or_else(|| item.get("author"))
                .and_then(|author| author.get("name"))
                .and_then(|name| name.as_str())
                .unwrap_or_default()
                .to_string();
            FeedItem {
                id: item
                    .get("id")
                    .map(|id| id.as_str().map_or_else(|| id.to_string(), str::to_string))
                    .unwrap_or_else(|| url.clone()),
                title: string(item, "title"),
                url,
                text: if body.is_empty() {
                    string(item, "summary")
                } else {
                    body
                },
                author,
                published: date(item.get("date_published").and_then(|value| value.as_str())),
            }
        })
        .collect();
    Ok(Feed {
        format: FeedFormat::JsonFeed,
        title: string(&value, "title"),
        items,
    })
}

impl FeedItem {
    /// The item as a document of `source` (its id scoped by the source, so
    /// that re-polling the feed gives the same id).
    pub fn to_document(&self, source: &str) -> Document {
        Document {
            id: DocumentId::new(format!("{source}:{}", self.id)),
            title: self.title.clone(),
            body: self.text.clone(),
            url: self.url.clone(),
            author: self.author.clone(),
            channel: Some(Channel::News),
            published_at: self.published.map(|time| time.to_string()),
            ..Document::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss2_items_with_cdata_entities_and_rfc2822_dates() {
        let feed = br#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Tech &amp; Cars</title>
<item><title>Xiaomi recalls SU7</title><link>https://example.com/a</link><guid isPermaLink="false">a-1</guid>
<description><![CDATA[<p>Xiaomi is recalling <b>30,000</b> cars.</p>]]></description>
<pubDate>Fri, 20 Nov 2026 01:30:00 GMT</pubDate><dc:creator>Jane Doe</dc:creator></item>
<item><title>Second</title><link>https://example.com/b</link><description>Plain &amp;lt;text&amp;gt; &lt;br&gt;two</description></item>
</channel></rss>"#;
        let parsed = parse_feed(feed, None).unwrap();
        assert_eq!(
            (parsed.format, parsed.title.as_str()),
            (FeedFormat::Rss2, "Tech & Cars")
        );
        let first = &parsed.items[0];
        assert_eq!(
            (first.id.as_str(), first.title.as_str(), first.url.as_str()),
            ("a-1", "Xiaomi recalls SU7", "https://example.com/a")
        );
        assert_eq!(first.text, "Xiaomi is recalling 30,000 cars.");
        assert_eq!(first.author, "Jane Doe");
        assert_eq!(
            first.published,
            Some(Timestamp::parse("2026-11-20T01:30:00Z").unwrap())
        );
        assert_eq!(parsed.items[1].id, "https://example.com/b");
        assert_eq!(parsed.items[1].text, "Plain <text>\ntwo");
        let document = first.to_document("rss-7");
        assert_eq!(document.id.as_str(), "rss-7:a-1");
        assert_eq!(
            document.published_at.as_deref(),
            Some("2026-11-20T01:30:00Z")
        );
        assert_eq!(document.effective_site(), "example.com");
    }

    #[test]
    fn gbk_rss_decodes_by_its_declaration() {
        let xml = "<?xml version=\"1.0\" encoding=\"gb2312\"?><rss version=\"2.0\"><channel><title>新闻</title><item><title>小米汽车召回</title><link>http://news.example.cn/1</link><description>小米汽车宣布召回部分车辆。</description><pubDate>20 Nov 2026 09:30 +0800</pubDate></item></channel></rss>";
        let (bytes, _, _) = encoding_rs::GBK.encode(xml);
        let parsed = parse_feed(&bytes, Some("text/xml; charset=gbk")).unwrap();
        assert_eq!(parsed.items[0].title, "小米汽车召回");
        assert_eq!(parsed.items[0].text, "小米汽车宣布召回部分车辆。");
        assert_eq!(
            parsed.items[0].published,
            Some(Timestamp::parse("2026-11-20T01:30:00Z").unwrap())
        );
    }

    #[test]
    fn rss1_atom_and_json_feed() {
        let rdf = br#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://example.com/"><title>RDF news</title></channel>
<item rdf:about="http://example.com/1"><title>One</title><link>http://example.com/1</link><description>First item</description><dc:date>2026-11-20T09:30:00+08:00</dc:date></item>
</rdf:RDF>"#;
        let parsed = parse_feed(rdf, None).unwrap();
        assert_eq!(
            (
                parsed.format,
                parsed.items.len(),
                parsed.items[0].id.as_str()
            ),
            (FeedFormat::Rss1, 1, "http://example.com/1")
        );
        assert!(parsed.items[0].published.is_some());

        let atom = br#"<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">Atom news</title>
<entry><id>tag:example.com,2026:1</id><title>Entry</title><link rel="self" href="http://example.com/self"/><link href="http://example.com/entry"/>
<updated>2026-11-20T01:30:00Z</updated><author><name>Li Hua</name></author><content type="html">&lt;p&gt;Hello &amp;amp; welcome&lt;/p&gt;</content></entry></feed>"#;
        let parsed = parse_feed(atom, None).unwrap();
        let entry = &parsed.items[0];
        assert_eq!(
            (entry.id.as_str(), entry.url.as_str(), entry.author.as_str()),
            (
                "tag:example.com,2026:1",
                "http://example.com/entry",
                "Li Hua"
            )
        );
        assert_eq!(entry.text, "Hello & welcome");

        let json = br#"{"version": "https://jsonfeed.org/version/1.1", "title": "JSON news", "items": [{"id": "7", "url": "https://example.com/7", "title": "Seven", "content_html": "<p>Body</p>", "date_published": "2026-11-20T01:30:00Z", "authors": [{"name": "Ann"}]}]}"#;
        let parsed = parse_feed(json, Some("application/feed+json")).unwrap();
        assert_eq!(
            (
                parsed.format,
                parsed.items[0].text.as_str(),
                parsed.items[0].author.as_str()
            ),
            (FeedFormat::JsonFeed, "Body", "Ann")
        );
    }

    #[test]
    fn random_bytes_never_panic() {
        let alphabet: Vec<Vec<u8>> = [
            "<",
            ">",
            "/",
            "rss",
            "channel",
            "item",
            "feed",
            "entry",
            "title",
            "&amp;",
            "&#x",
            ";",
            "<![CDATA[",
            "]]>",
            "<!--",
            "-->",
            "\"",
            "=",
            " ",
            "{",
            "}",
            "小米",
            "link href",
            "rdf:RDF",
        ]
        .iter()
        .map(|piece| piece.as_bytes().to_vec())
        .chain([vec![0xFF, 0xFE]])
        .collect();
        let mut random = vane_text::Seeded::new(11);
        for _ in 0..3000 {
            let mut bytes: Vec<u8> = Vec::new();
            for _ in 0..random.below(40) {
                let piece: &Vec<u8> = random.pick(&alphabet);
                bytes.extend_from_slice(piece);
            }
            let _ = parse_feed(&bytes, None);
        }
    }

    #[test]
    fn broken_feeds_say_what_and_where() {
        let unclosed = parse_feed(
            b"<rss><channel>\n<item><title>x</title>\n</channel></rss>",
            None,
        )
        .unwrap_err();
        assert!(
            matches!(unclosed, FeedError::Xml { line: 3, .. }),
            "{unclosed}"
        );
        assert_eq!(
            parse_feed(b"<html><body>no feed</body></html>", None).unwrap_err(),
            FeedError::NotAFeed("html".to_string())
        );
        assert!(matches!(
            parse_feed(b"{\"items\": []}", None).unwrap_err(),
            FeedError::Json(_)
        ));
        assert!(matches!(
            parse_feed(b"{ not json", None).unwrap_err(),
            FeedError::Json(_)
        ));
        assert!(parse_feed(b"", None).is_err());
    }
}
