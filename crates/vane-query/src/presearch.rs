//! The presearcher's index of anchors, looked up with the document's own
//! tokens: one hash probe per word token (plus one per wildcard prefix
//! length), and for each Han/kana character one probe for single-character
//! anchors and one for runs starting with that character pair.
//!
//! Keyed by tokens rather than scanning bytes, the cost per document grows
//! with its length, not with the number of anchors, and adding an anchor is
//! one insertion: no automaton to rebuild when a topic changes.

use rustc_hash::FxHashMap;
use vane_text::{NormalizedText, TokenKind};

use crate::compile::AnchorId;

/// How an anchor is found among the tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum AnchorKind {
    /// A whole word token (folded) equals the anchor.
    Word,
    /// A word token (folded) starts with the anchor: the literal part of a
    /// wildcard token.
    WordPrefix,
    /// Consecutive touching Han/kana tokens spell the anchor.
    Han,
}

/// An anchor found at a token: the unit the verifier starts from. Packed
/// in one `u64` (anchor, field, token from the high bits down) so that
/// sorting by anchor is a sort of integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct AnchorHit(u64);

impl AnchorHit {
    #[inline]
    pub(crate) fn new(anchor: AnchorId, field: u8, token: u32) -> Self {
        Self((anchor as u64) << 32 | (field as u64) << 31 | (token & 0x7FFF_FFFF) as u64)
    }

    #[inline]
    pub(crate) fn anchor(self) -> AnchorId {
        (self.0 >> 32) as AnchorId
    }

    #[inline]
    pub(crate) fn field(self) -> u8 {
        (self.0 >> 31 & 1) as u8
    }

    #[inline]
    pub(crate) fn token(self) -> u32 {
        (self.0 & 0x7FFF_FFFF) as u32
    }
}

/// A Han anchor of three or more characters: its id and the characters
/// after the first two.
type LongerRun = (AnchorId, Box<[char]>);

#[derive(Debug)]
pub(crate) struct AnchorIndex {
    words: FxHashMap<Box<str>, AnchorId>,
    prefixes: FxHashMap<Box<str>, AnchorId>,
    /// Byte lengths of the prefixes, ascending.
    prefix_lengths: Vec<usize>,
    /// Bits set for (length, first bytes) of every word and prefix anchor:
    /// most tokens are rejected here, in a table that stays in L1 cache,
    /// without hashing the whole token.
    word_filter: Vec<u64>,
    han_single: FxHashMap<char, AnchorId>,
    /// Two-character runs (the common case), value inline.
    han_pairs: FxHashMap<(char, char), AnchorId>,
    /// Longer runs by their first two characters; the rest to compare.
    han_longer: FxHashMap<(char, char), Vec<LongerRun>>,
    /// Bits set for the character of every single-character anchor (in the
    /// BMP; characters beyond it always pass).
    han_single_filter: Vec<u64>,
    /// Bits set for the first two characters of every longer run.
    han_pair_filter: Vec<u64>,
}

const WORD_FILTER_BITS: usize = 1 << 16;
const PAIR_FILTER_BITS: usize = 1 << 18;

#[inline]
fn pair_filter_bit(first: char, second: char) -> usize {
    let key = (first as u64) << 21 | second as u64;
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - 18)) as usize
}

#[inline]
fn set_bit(bits: &mut [u64], bit: usize) {
    bits[bit / 64] |= 1 << (bit % 64);
}

impl Default for AnchorIndex {
    fn default() -> Self {
        Self {
            words: FxHashMap::default(),
            prefixes: FxHashMap::default(),
            prefix_lengths: Vec::new(),
            word_filter: vec![0; WORD_FILTER_BITS / 64],
            han_single: FxHashMap::default(),
            han_pairs: FxHashMap::default(),
            han_longer: FxHashMap::default(),
            han_single_filter: vec![0; 0x10000 / 64],
            han_pair_filter: vec![0; PAIR_FILTER_BITS / 64],
        }
    }
}

/// The filter bit of a word or prefix of `length` bytes starting `bytes`.
#[inline]
fn word_filter_bit(length: usize, bytes: &[u8]) -> usize {
    let mut key = length as u32;
    for &byte in bytes.iter().take(3) {
        key = key.wrapping_mul(31).wrapping_add(byte as u32);
    }
    (key.wrapping_mul(0x9E37_79B1) >> 16) as usize
}

#[inline]
fn test_bit(bits: &[u64], bit: usize) -> bool {
    bits[bit / 64] & (1 << (bit % 64)) != 0
}

impl AnchorIndex {
    pub(crate) fn add(&mut self, anchor: AnchorId, text: &str, kind: AnchorKind) {
        match kind {
            AnchorKind::Word => {
                let bit = word_filter_bit(text.len(), text.as_bytes());
                self.word_filter[bit / 64] |= 1 << (bit % 64);
                self.words.insert(text.into(), anchor);
            }
            AnchorKind::WordPrefix => {
                let bit = word_filter_bit(text.len(), text.as_bytes());
                self.word_filter[bit / 64] |= 1 << (bit % 64);
                self.prefixes.insert(text.into(), anchor);
                if let Err(at) = self.prefix_lengths.binary_search(&text.len()) {
                    self.prefix_lengths.insert(at, text.len());
                }
            }
            AnchorKind::Han => {
                let chars: Vec<char> = text.chars().collect();
                match chars.as_slice() {
                    [single] => {
                        if (*single as u32) < 0x10000 {
                            set_bit(&mut self.han_single_filter, *single as usize);
                        }
                        self.han_single.insert(*single, anchor);
                    }
                    [first, second] => {
                        set_bit(&mut self.han_pair_filter, pair_filter_bit(*first, *second));
                        self.han_pairs.insert((*first, *second), anchor);
                    }
                    [first, second, rest @ ..] => {
                        set_bit(&mut self.han_pair_filter, pair_filter_bit(*first, *second));
                        self.han_longer
                            .entry((*first, *second))
                            .or_default()
                            .push((anchor, rest.into()));
                    }
                    [] => {}
                }
            }
        }
    }

    /// Appends the anchors found in one field's tokens.
    pub(crate) fn scan(&self, text: &NormalizedText, field: u8, hits: &mut Vec<AnchorHit>) {
        let tokens = &text.tokens;
        let folded_char = |index: usize| text.han_char(&tokens[index]);
        for (index, token) in tokens.iter().enumerate() {
            let hit = |anchor: AnchorId| AnchorHit::new(anchor, field, index as u32);
            match token.kind {
                TokenKind::Word => {
                    let folded = text.folded_token(token);
                    let bytes = folded.as_bytes();
                    if test_bit(&self.word_filter, word_filter_bit(bytes.len(), bytes))
                        && let Some(&anchor) = self.words.get(folded)
                    {
                        hits.push(hit(anchor));
                    }
                    for &length in &self.prefix_lengths {
                        if length > folded.len() {
                            break;
                        }
                        if test_bit(&self.word_filter, word_filter_bit(length, &bytes[..length]))
                            && folded.is_char_boundary(length)
                            && let Some(&anchor) = self.prefixes.get(&folded[..length])
                        {
                            hits.push(hit(anchor));
                        }
                    }
                }
                TokenKind::Han => {
                    let Some(first) = text.han_char(token) else {
                        continue;
                    };
                    if ((first as u32) >= 0x10000
                        || test_bit(&self.han_single_filter, first as usize))
                        && let Some(&anchor) = self.han_single.get(&first)
                    {
                        hits.push(hit(anchor));
                    }
                    let touching_han = |at: usize| {
                        tokens
                            .get(at)
                            .is_some_and(|next| next.kind == TokenKind::Han && next.joined)
                    };
                    if !touching_han(index + 1) {
                        continue;
                    }
                    let Some(second) = folded_char(index + 1) else {
                        continue;
                    };
                    if !test_bit(&self.han_pair_filter, pair_filter_bit(first, second)) {
                        continue;
                    }
                    if let Some(&anchor) = self.han_pairs.get(&(first, second)) {
                        hits.push(hit(anchor));
                    }
                    let Some(runs) = self.han_longer.get(&(first, second)) else {
                        continue;
                    };
                    for (anchor, rest) in runs {
                        let spelled = rest.iter().enumerate().all(|(offset, &c)| {
                            touching_han(index + 2 + offset)
                                && folded_char(index + 2 + offset) == Some(c)
                        });
                        if spelled {
                            hits.push(hit(*anchor));
                        }
                    }
                }
            }
        }
    }
}
