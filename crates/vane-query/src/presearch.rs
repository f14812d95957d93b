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

/// An anchor found at a token: the unit the verifier starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct AnchorHit {
    pub(crate) anchor: AnchorId,
    pub(crate) field: u8,
    pub(crate) token: u32,
}

#[derive(Debug, Default)]
pub(crate) struct AnchorIndex {
    words: FxHashMap<Box<str>, AnchorId>,
    prefixes: FxHashMap<Box<str>, AnchorId>,
    /// Byte lengths of the prefixes, ascending.
    prefix_lengths: Vec<usize>,
    han_single: FxHashMap<char, AnchorId>,
    /// Runs of two or more characters by their first two; the rest to compare.
    han_runs: FxHashMap<(char, char), Vec<(AnchorId, Box<[char]>)>>,
}

impl AnchorIndex {
    pub(crate) fn add(&mut self, anchor: AnchorId, text: &str, kind: AnchorKind) {
        match kind {
            AnchorKind::Word => {
                self.words.insert(text.into(), anchor);
            }
            AnchorKind::WordPrefix => {
                self.prefixes.insert(text.into(), anchor);
                if let Err(at) = self.prefix_lengths.binary_search(&text.len()) {
                    self.prefix_lengths.insert(at, text.len());
                }
            }
            AnchorKind::Han => {
                let chars: Vec<char> = text.chars().collect();
                match chars.as_slice() {
                    [single] => {
                        self.han_single.insert(*single, anchor);
                    }
                    [first, second, rest @ ..] => {
                        self.han_runs.entry((*first, *second)).or_default().push((anchor, rest.into()));
                    }
                    [] => {}
                }
            }
        }
    }

    /// Appends the anchors found in one field's tokens.
    pub(crate) fn scan(&self, text: &NormalizedText, field: u8, hits: &mut Vec<AnchorHit>) {
        let tokens = &text.tokens;
        let folded_char = |index: usize| text.folded_token(&tokens[index]).chars().next();
        for (index, token) in tokens.iter().enumerate() {
            let hit = |anchor: AnchorId| AnchorHit { anchor, field, token: index as u32 };
            let folded = text.folded_token(token);
            match token.kind {
                TokenKind::Word => {
                    if let Some(&anchor) = self.words.get(folded) {
                        hits.push(hit(anchor));
                    }
                    for &length in &self.prefix_lengths {
                        if length > folded.len() {
                            break;
                        }
                        if folded.is_char_boundary(length)
                            && let Some(&anchor) = self.prefixes.get(&folded[..length])
                        {
                            hits.push(hit(anchor));
                        }
                    }
                }
                TokenKind::Han => {
                    let Some(first) = folded.chars().next() else { continue };
                    if let Some(&anchor) = self.han_single.get(&first) {
                        hits.push(hit(anchor));
                    }
                    if self.han_runs.is_empty() {
                        continue;
                    }
                    let touching_han = |at: usize| tokens.get(at).is_some_and(|next| next.kind == TokenKind::Han && next.joined);
                    if !touching_han(index + 1) {
                        continue;
                    }
                    let Some(second) = folded_char(index + 1) else { continue };
                    let Some(runs) = self.han_runs.get(&(first, second)) else { continue };
                    for (anchor, rest) in runs {
                        let spelled = rest
                            .iter()
                            .enumerate()
                            .all(|(offset, &c)| touching_han(index + 2 + offset) && folded_char(index + 2 + offset) == Some(c));
                        if spelled {
                            hits.push(hit(*anchor));
                        }
                    }
                }
            }
        }
    }
}
