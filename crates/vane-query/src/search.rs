//! What a full-text index must find for a query to possibly match: the
//! query's required clauses as literals, so that a store can select
//! candidates from its index and verify them with the percolator. Search
//! and monitoring then agree by construction: the index only narrows, the
//! matcher decides.

use rustc_hash::FxHashSet;
use vane_text::{NormalizedText, TokenKind};

use crate::Query;
use crate::compile::{AnchorKey, Tables};
use crate::presearch::AnchorKind;

/// A literal a full-text index can look up, in the folded form of
/// [`index_tokens`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SearchLiteral {
    /// A whole word token.
    Word(String),
    /// A word token starting with this text (the literal part of a wildcard).
    Prefix(String),
    /// Consecutive Han/kana characters, one token each.
    Han(String),
}

/// A necessary condition for a document to match: every clause holds at
/// least one of its literals. No clauses: the query constrains no text
/// (metadata or ranges only), and every document is a candidate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchPlan {
    pub clauses: Vec<Vec<SearchLiteral>>,
}

impl Query {
    /// The literals a document must contain to match, for a full-text index.
    pub fn search_plan(&self) -> SearchPlan {
        let mut tables = Tables::default();
        let program = tables.compile(self.expr());
        let mut clauses: Vec<Vec<SearchLiteral>> = Vec::new();
        'clauses: for (_, keys) in tables.required_clauses(&program) {
            let mut literals = Vec::new();
            for key in keys {
                // a clause a metadata value can satisfy says nothing of the text
                let AnchorKey::Text(anchor) = key else {
                    continue 'clauses;
                };
                let (text, kind) = &tables.anchors[anchor as usize];
                let literal = match kind {
                    AnchorKind::Word => SearchLiteral::Word(text.clone()),
                    AnchorKind::WordPrefix => SearchLiteral::Prefix(text.clone()),
                    AnchorKind::Han => SearchLiteral::Han(text.clone()),
                };
                if !literals.contains(&literal) {
                    literals.push(literal);
                }
            }
            if !literals.is_empty() && !clauses.contains(&literals) {
                clauses.push(literals);
            }
        }
        SearchPlan { clauses }
    }
}

/// A term of the full-text index: a token, or all tokens starting with it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IndexTerm {
    pub text: String,
    pub prefix: bool,
}

impl SearchLiteral {
    /// The index terms a document holding this literal has, all of them:
    /// a word itself, a prefix's words, a Han run's characters (without
    /// positions in the index, adjacency is left to the verifier).
    pub fn index_terms(&self) -> Vec<IndexTerm> {
        match self {
            SearchLiteral::Word(word) => vec![IndexTerm {
                text: word.clone(),
                prefix: false,
            }],
            SearchLiteral::Prefix(prefix) => vec![IndexTerm {
                text: prefix.clone(),
                prefix: true,
            }],
            SearchLiteral::Han(run) => {
                let mut terms: Vec<IndexTerm> = Vec::new();
                for character in run.chars() {
                    let term = IndexTerm {
                        text: character.to_string(),
                        prefix: false,
                    };
                    if !terms.contains(&term) {
                        terms.push(term);
                    }
                }
                terms
            }
        }
    }
}

/// The distinct tokens of a document's fields as a full-text index without
/// positions should store them, separated by single spaces: words in the
/// folded form anchors are compared in (lower-cased, without accents),
/// Han/kana characters one token each. Each token once: an index without
/// positions keeps only which documents hold a term, and a 2 KB article
/// repeats most of its terms.
pub fn index_tokens(fields: &[&NormalizedText], out: &mut String) {
    // sized for the tokens up front: growing the sets rehashed them
    let tokens: usize = fields.iter().map(|text| text.tokens.len()).sum();
    let mut words: FxHashSet<&str> =
        FxHashSet::with_capacity_and_hasher(tokens / 2, Default::default());
    // the common ideographs in a bit set, the rest of Han and kana in a set
    const COMMON: std::ops::RangeInclusive<u32> = 0x4E00..=0x9FFF;
    let mut common = [0u64; (0x9FFF - 0x4E00) / 64 + 1];
    let mut characters: FxHashSet<char> = FxHashSet::default();
    for text in fields {
        for token in &text.tokens {
            match token.kind {
                TokenKind::Word => {
                    let piece = text.folded_token(token);
                    if piece.is_empty() || !words.insert(piece) {
                        continue;
                    }
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    out.push_str(piece);
                }
                TokenKind::Han => {
                    let Some(character) = text.han_char(token) else {
                        continue;
                    };
                    let fresh = if COMMON.contains(&(character as u32)) {
                        let bit = character as usize - 0x4E00;
                        let word = &mut common[bit / 64];
                        let mask = 1u64 << (bit % 64);
                        let fresh = *word & mask == 0;
                        *word |= mask;
                        fresh
                    } else {
                        characters.insert(character)
                    };
                    if !fresh {
                        continue;
                    }
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    out.push(character);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_tokens_are_each_distinct_token_once_in_order_of_first_occurrence() {
        let title = NormalizedText::new("小米發布 Xiaomi 14");
        // 㐀 (U+3400) and カ are outside the common ideographs
        let body = NormalizedText::new("小米 xiaomi 㐀㐀 カカ 龥 14 新品 发布");
        let mut out = String::new();
        index_tokens(&[&title, &body], &mut out);
        assert_eq!(out, "小 米 发 布 xiaomi 14 㐀 カ 龥 新 品");
    }
}
