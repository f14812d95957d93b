//! What a full-text index must find for a query to possibly match: the
//! query's required clauses as literals, so that a store can select
//! candidates from its index and verify them with the percolator. Search
//! and monitoring then agree by construction: the index only narrows, the
//! matcher decides.

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

/// The tokens of a text as a full-text index should store them, separated
/// by single spaces: words in the folded form anchors are compared in
/// (lower-cased, without accents), Han/kana characters one token each.
pub fn index_tokens(text: &NormalizedText, out: &mut String) {
    for token in &text.tokens {
        let piece = match token.kind {
            TokenKind::Word => text.folded_token(token),
            TokenKind::Han => match text.han_char(token) {
                Some(character) => {
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    out.push(character);
                    continue;
                }
                None => continue,
            },
        };
        if piece.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(piece);
    }
}
