//! The query text as typed and as parsed (NFKC), with the mapping between
//! them, so that errors point at the column the user sees.

use vane_text::for_each_nfkc_char;

#[derive(Debug, Clone)]
pub(crate) struct QuerySource {
    pub(crate) original: String,
    pub(crate) normalized: String,
    /// For every character of `normalized`: its byte offset there and the
    /// character offset in `original` it came from.
    chars: Vec<(usize, u32)>,
}

impl QuerySource {
    pub(crate) fn new(original: &str) -> Self {
        let mut normalized = String::with_capacity(original.len());
        let mut chars = Vec::with_capacity(original.len());
        for_each_nfkc_char(original, |c, source_start, _| {
            chars.push((normalized.len(), source_start));
            normalized.push(c);
        });
        Self {
            original: original.to_string(),
            normalized,
            chars,
        }
    }

    /// The 1-based character column in the original text of a byte offset
    /// in the normalised text, and the byte offset in the original.
    pub(crate) fn locate(&self, normalized_offset: usize) -> (usize, usize) {
        let original_char = match self
            .chars
            .binary_search_by_key(&normalized_offset, |&(byte, _)| byte)
        {
            Ok(index) => self.chars[index].1 as usize,
            Err(index) if index < self.chars.len() => self.chars[index].1 as usize,
            Err(_) => self.original.chars().count(),
        };
        let original_byte = self
            .original
            .char_indices()
            .nth(original_char)
            .map_or(self.original.len(), |(byte, _)| byte);
        (original_char + 1, original_byte)
    }
}
