//! Character-level normalisation: NFKC, Traditional→Simplified, case and
//! accents, keeping for every output character the range of input
//! characters it came from, so that hits can be shown in the original text.

use unicode_normalization::char::{canonical_combining_class, decompose_canonical};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

use crate::traditional_to_simplified::TRADITIONAL_TO_SIMPLIFIED;

/// Calls `visit(normalised_char, source_start, source_end)` for the NFKC and
/// Traditional→Simplified normalisation of `text`, in order. `source_start`
/// and `source_end` are character offsets into `text` (end exclusive); a
/// character that expands (`㍿` → `株式会社`) gives every output character
/// the same source range, and combining sequences that compose give the
/// composed character the range of the whole sequence.
///
/// Normalisation is applied per combining sequence (a starter and the
/// non-starters after it), which is exact for every composition but the
/// conjoining Hangul jamo, which modern text does not use.
pub fn for_each_normalized_char(text: &str, visit: impl FnMut(char, u32, u32)) {
    normalize_chars(text, true, visit);
}

/// Like [`for_each_normalized_char`] with NFKC only: no
/// Traditional→Simplified folding. Query text is read in this form, so
/// that URL values and error columns see what the user typed.
pub fn for_each_nfkc_char(text: &str, visit: impl FnMut(char, u32, u32)) {
    normalize_chars(text, false, visit);
}

fn normalize_chars(text: &str, simplify: bool, mut visit: impl FnMut(char, u32, u32)) {
    for (c, start, end) in NormalizedChars::new(text, simplify) {
        visit(c, start, end);
    }
}

/// The normalised characters of a text with their source ranges, as an
/// iterator: the tokeniser's loop inlines it, which a callback per
/// character would not allow.
#[derive(Debug)]
pub(crate) struct NormalizedChars<'a> {
    text: &'a str,
    /// Byte offset of the next unread character.
    at: usize,
    simplify: bool,
    /// Character offset of the next unread character.
    index: u32,
    /// Output of the slow path not yet returned, with its source range.
    pending: Vec<char>,
    pending_at: usize,
    pending_range: (u32, u32),
    segment: String,
    lookahead: Option<char>,
    /// Where `lookahead` was decoded (`usize::MAX`: nowhere yet).
    lookahead_at: usize,
}

impl<'a> NormalizedChars<'a> {
    pub(crate) fn new(text: &'a str, simplify: bool) -> Self {
        Self {
            text,
            at: 0,
            simplify,
            index: 0,
            pending: Vec::new(),
            pending_at: 0,
            pending_range: (0, 0),
            segment: String::new(),
            lookahead: None,
            lookahead_at: usize::MAX,
        }
    }

    /// The character at `at`, decoded once however often it is looked at.
    #[inline]
    fn peek_char(&mut self) -> Option<char> {
        if self.lookahead_at != self.at {
            self.lookahead = self.text[self.at..].chars().next();
            self.lookahead_at = self.at;
        }
        self.lookahead
    }

    #[inline]
    fn next_char(&mut self) -> Option<char> {
        let c = self.peek_char()?;
        self.at += c.len_utf8();
        Some(c)
    }

    /// The next run of ASCII characters, all of which are their own
    /// normal form, with the character offset of its start: the tokeniser
    /// handles such runs a byte at a time.
    #[inline]
    pub(crate) fn take_ascii_run(&mut self) -> Option<(&'a str, u32)> {
        self.take_run(1, |bytes, at| bytes[at] < 0x80)
    }

    /// The next run of CJK ideographs (U+4E00–U+9FFF), which NFKC leaves
    /// alone, as written (before Traditional→Simplified folding), with the
    /// character offset of its start.
    #[inline]
    pub(crate) fn take_ideograph_run(&mut self) -> Option<(&'a str, u32)> {
        self.take_run(3, |bytes, at| ideograph_at(bytes, at).is_some())
    }

    /// The longest run of characters of `width` bytes each that `member`
    /// accepts, starting here. A last character that a combining mark
    /// follows is left to [`Iterator::next`], which composes them.
    #[inline]
    fn take_run(
        &mut self,
        width: usize,
        member: impl Fn(&[u8], usize) -> bool,
    ) -> Option<(&'a str, u32)> {
        if self.pending_at < self.pending.len() {
            return None;
        }
        let bytes = self.text.as_bytes();
        let start = self.at;
        let mut end = start;
        while end < bytes.len() && member(bytes, end) {
            end += width;
        }
        if end > start
            && self.text[end..]
                .chars()
                .next()
                .is_some_and(|next| !is_starter(next))
        {
            end -= width;
        }
        if end == start {
            return None;
        }
        let index = self.index;
        self.at = end;
        self.index += ((end - start) / width) as u32;
        Some((&self.text[start..end], index))
    }

    #[inline]
    fn simplified(&self, c: char) -> char {
        if self.simplify { to_simplified(c) } else { c }
    }

    #[cold]
    fn slow_path(&mut self, c: char) -> (char, u32, u32) {
        let start = self.index;
        self.segment.clear();
        self.segment.push(c);
        self.index += 1;
        while let Some(next) = self.peek_char() {
            if is_starter(next) {
                break;
            }
            self.segment.push(next);
            self.at += next.len_utf8();
            self.index += 1;
        }
        self.pending.clear();
        self.pending_at = 0;
        self.pending_range = (start, self.index);
        if is_nfkc_quick(self.segment.chars()) == IsNormalized::Yes {
            self.pending.extend(self.segment.chars());
        } else {
            self.pending.extend(self.segment.nfkc());
        }
        if self.simplify {
            for c in &mut self.pending {
                *c = to_simplified(*c);
            }
        }
        self.next_pending().unwrap_or((' ', start, self.index))
    }

    #[inline]
    fn next_pending(&mut self) -> Option<(char, u32, u32)> {
        let c = *self.pending.get(self.pending_at)?;
        self.pending_at += 1;
        Some((c, self.pending_range.0, self.pending_range.1))
    }
}

impl Iterator for NormalizedChars<'_> {
    type Item = (char, u32, u32);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.pending_at < self.pending.len() {
            return self.next_pending();
        }
        let c = self.next_char()?;
        let next_is_starter = self.peek_char().is_none_or(is_starter);
        if next_is_starter {
            // Fast paths: the characters that make up nearly all Chinese and
            // English text are their own NFKC form, or a fixed offset away.
            let index = self.index;
            if c.is_ascii() {
                self.index += 1;
                return Some((c, index, index + 1));
            }
            if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
                self.index += 1;
                return Some((self.simplified(c), index, index + 1));
            }
            if ('\u{FF01}'..='\u{FF5E}').contains(&c) {
                self.index += 1;
                return Some((
                    char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                    index,
                    index + 1,
                ));
            }
            if (c as u32) < 0x10000 {
                let entry = crate::chars::bmp_entry(c);
                if entry.nfkc_stable() {
                    self.index += 1;
                    let c = if self.simplify {
                        entry.simplified(c)
                    } else {
                        c
                    };
                    return Some((c, index, index + 1));
                }
            } else if is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes {
                self.index += 1;
                return Some((self.simplified(c), index, index + 1));
            }
        }
        Some(self.slow_path(c))
    }
}

/// The CJK ideograph (U+4E00–U+9FFF) whose UTF-8 starts at `at`, if one does.
#[inline]
pub(crate) fn ideograph_at(bytes: &[u8], at: usize) -> Option<char> {
    let [lead, second, third] = *bytes.get(at..at + 3)? else {
        return None;
    };
    if !(0xE4..=0xE9).contains(&lead) {
        return None;
    }
    let code = ((lead & 0x0F) as u32) << 12 | ((second & 0x3F) as u32) << 6 | (third & 0x3F) as u32;
    if (0x4E00..=0x9FFF).contains(&code) {
        char::from_u32(code)
    } else {
        None
    }
}

/// Whether `c` starts a combining sequence (canonical combining class 0);
/// nothing below U+0300 and no CJK ideograph combines; the rest of the BMP
/// is answered by the character table.
#[inline]
fn is_starter(c: char) -> bool {
    let code = c as u32;
    if code < 0x300 || (0x4E00..=0x9FFF).contains(&code) {
        true
    } else if code < 0x10000 {
        crate::chars::bmp_entry(c).starter()
    } else {
        canonical_combining_class(c) == 0
    }
}

/// The Simplified form of a Traditional character (OpenCC's character
/// table, first candidate); any other character is returned unchanged.
#[inline]
pub fn to_simplified(c: char) -> char {
    let code = c as u32;
    if code < 0x2E80 {
        c
    } else if code < 0x10000 {
        crate::chars::bmp_entry(c).simplified(c)
    } else {
        simplified_by_search(c)
    }
}

/// OpenCC's Traditional→Simplified pairs (first candidate), sorted by the
/// Traditional character: for generating test variants of real text.
pub fn traditional_to_simplified_pairs() -> &'static [(char, char)] {
    TRADITIONAL_TO_SIMPLIFIED
}

/// The table lookup itself, for characters the BMP table does not cover
/// and for building that table.
pub(crate) fn simplified_by_search(c: char) -> char {
    TRADITIONAL_TO_SIMPLIFIED
        .binary_search_by_key(&c, |&(traditional, _)| traditional)
        .map_or(c, |found| TRADITIONAL_TO_SIMPLIFIED[found].1)
}

/// Appends the matching form of a normalised character: lower case
/// (`char::to_lowercase`) with accents stripped.
#[inline]
pub fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else if ('\u{2E80}'..='\u{9FFF}').contains(&c) {
        out.push(c);
    } else {
        for lower in c.to_lowercase() {
            strip_accent(lower, out);
        }
    }
}

/// Appends the lower-case form of a normalised character, accents kept.
#[inline]
pub fn lower_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else {
        out.extend(c.to_lowercase());
    }
}

/// Appends `text` with accents stripped and case kept.
pub fn strip_accents_into(text: &str, out: &mut String) {
    for c in text.chars() {
        strip_accent(c, out);
    }
}

/// Accents are the combining diacritical marks (U+0300–U+036F) of Latin,
/// Greek and Cyrillic letters; other scripts' marks are letters of their
/// words and are kept.
#[inline]
fn strip_accent(c: char, out: &mut String) {
    let code = c as u32;
    if c.is_ascii() {
        out.push(c);
    } else if (0x300..=0x36F).contains(&code) {
    } else if (0xC0..=0x52F).contains(&code) || (0x1E00..=0x1FFF).contains(&code) {
        decompose_canonical(c, |part| {
            if !(0x300..=0x36F).contains(&(part as u32)) {
                out.push(part);
            }
        });
    } else {
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalised(text: &str) -> Vec<(char, u32, u32)> {
        let mut out = Vec::new();
        for_each_normalized_char(text, |c, start, end| out.push((c, start, end)));
        out
    }

    fn fold(text: &str) -> String {
        let mut out = String::new();
        for (c, _, _) in normalised(text) {
            fold_char(c, &mut out);
        }
        out
    }

    #[test]
    fn nfkc_and_traditional_folding_keep_source_offsets() {
        assert_eq!(normalised("Ａ輿"), vec![('A', 0, 1), ('舆', 1, 2)]);
        // a decomposed accent composes and covers both source characters
        assert_eq!(normalised("e\u{301}x"), vec![('é', 0, 2), ('x', 2, 3)]);
        // one compatibility character expanding to four
        assert_eq!(normalised("㍿").len(), 4);
        assert!(
            normalised("㍿")
                .iter()
                .all(|&(_, start, end)| (start, end) == (0, 1))
        );
    }

    #[test]
    fn folding_lowercases_and_strips_accents() {
        for (input, folded) in [
            ("輿情發佈", "舆情发布"),
            ("ＸＩＡＯＭＩ　ＳＵ７", "xiaomi su7"),
            ("Café São Paulo", "cafe sao paulo"),
            ("ÉCOLE", "ecole"),
            ("Ωμέγα", "ωμεγα"),
            ("İstanbul", "istanbul"),
        ] {
            assert_eq!(fold(input), folded, "{input}");
        }
    }

    #[test]
    fn committed_table_is_generated_from_opencc() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/opencc/TSCharacters.txt"
        );
        let Ok(source) = std::fs::read_to_string(path) else {
            eprintln!("skipped: {path} is not present");
            return;
        };
        let committed = include_str!("traditional_to_simplified.rs");
        let generated = crate::ts_table_source::render_rust_table(&source).unwrap();
        assert!(
            committed == generated,
            "regenerate src/traditional_to_simplified.rs (see examples/generate_ts_table.rs)"
        );
        let pairs = crate::ts_table_source::parse_pairs(&source).unwrap();
        assert!(pairs.len() > 3000, "{}", pairs.len());
        for (traditional, simplified) in pairs {
            assert_eq!(to_simplified(traditional), simplified);
        }
    }
}
