//! A document prepared for matching: its text fields normalised and
//! tokenised once, its metadata in the forms the conditions compare.

use vane_model::{Channel, Document, TextField};
use vane_text::NormalizedText;

use crate::ast::{FlagField, KeywordField, NumberField};

/// A document as the matcher sees it. Reusable: [`PreparedDocument::reset`]
/// keeps the buffers, so a stream of documents allocates little.
#[derive(Debug, Clone, Default)]
pub struct PreparedDocument {
    fields: [NormalizedText; 2],
    keywords: [NormalizedText; 4],
    site: String,
    url: String,
    channel: Option<Channel>,
    flags: [bool; 2],
    numbers: [u64; 5],
}

impl PreparedDocument {
    pub fn new(document: &Document) -> Self {
        let mut prepared = Self::default();
        prepared.reset(document);
        prepared
    }

    pub fn reset(&mut self, document: &Document) {
        self.fields[0].reset(&document.title);
        self.fields[1].reset(&document.body);
        self.keywords[0].reset(&document.author);
        // Feeds write `zh-CN` or `en_US`; the query language compares the language alone.
        let lang = document.lang.split(['-', '_']).next().unwrap_or_default();
        self.keywords[1].reset(lang);
        self.keywords[2].reset(&document.country);
        self.keywords[3].reset(&document.region);
        self.site = document.effective_site();
        self.url.clear();
        self.url
            .extend(document.url.chars().flat_map(char::to_lowercase));
        self.channel = document.channel;
        self.flags = [document.verified, document.repost];
        self.numbers = [
            document.followers,
            document.likes,
            document.comments,
            document.shares,
            document.views,
        ];
    }

    pub fn text(&self, field: TextField) -> &NormalizedText {
        &self.fields[field.index()]
    }

    pub(crate) fn field_at(&self, index: usize) -> &NormalizedText {
        &self.fields[index]
    }

    pub fn keyword(&self, field: KeywordField) -> &NormalizedText {
        &self.keywords[field as usize]
    }

    /// Lower-case host without `www.`.
    pub fn site(&self) -> &str {
        &self.site
    }

    /// The URL, lower-case.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn channel(&self) -> Option<Channel> {
        self.channel
    }

    pub fn flag(&self, field: FlagField) -> bool {
        self.flags[field as usize]
    }

    pub fn number(&self, field: NumberField) -> u64 {
        self.numbers[field as usize]
    }

    /// Whether the site is `host` or one of its sub-domains.
    pub fn site_is_within(&self, host: &str) -> bool {
        self.site == host
            || (self.site.len() > host.len()
                && self.site.ends_with(host)
                && self.site.as_bytes()[self.site.len() - host.len() - 1] == b'.')
    }

    /// Character span in the original text of tokens `start..end` of a field.
    pub fn char_span(&self, field: TextField, start: u32, end: u32) -> (u32, u32) {
        let tokens = &self.fields[field.index()].tokens;
        (
            tokens[start as usize].char_start,
            tokens[end as usize - 1].char_end,
        )
    }
}
