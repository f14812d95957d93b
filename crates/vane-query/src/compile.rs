//! Compiles syntax trees into match programs over shared tables of terms
//! and anchors, and chooses each topic's anchors for the presearcher.
//!
//! Terms are interned: the same term in a thousand topics is looked up
//! once per document. Every term has one anchor, a literal string that
//! must occur in the folded text wherever the term occurs; a topic's
//! anchor set is chosen so that the topic can match only if one of its
//! anchors (or metadata keys) is present.

use std::hash::Hasher;

use rustc_hash::{FxHashMap, FxHasher};

use vane_model::Channel;
use vane_text::TokenKind;

use crate::ast::{
    Expr, ExprKind, FlagField, KeywordField, MetaCondition, NumberField, NumberRange,
};
use crate::presearch::{AnchorIndex, AnchorKind};
use crate::term::{CompareSpace, TermPattern};

pub(crate) type TermId = u32;
pub(crate) type AnchorId = u32;

/// Bit set of text fields: 1 = title, 2 = body.
pub(crate) type FieldMask = u8;
pub(crate) const ALL_FIELDS: FieldMask = 0b11;

#[derive(Debug, Clone)]
pub(crate) enum Node {
    Term {
        term: TermId,
        fields: FieldMask,
    },
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    /// Boxed, like `Meta`, to keep `Node` small: programs are walked for
    /// every candidate, and small nodes share cache lines.
    Near(Box<NearNode>),
    Meta(Box<CompiledMeta>),
}

impl Node {
    /// Order of evaluation inside an AND (stable sort, so equal ranks keep
    /// the order written): metadata, terms, groups and NEAR, negations.
    fn evaluation_rank(&self) -> u8 {
        match self {
            Node::Meta(_) => 0,
            Node::Term { .. } => 1,
            Node::Or(_) | Node::And(_) | Node::Near(_) => 2,
            Node::Not(_) => 3,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct NearNode {
    pub(crate) left: Vec<TermId>,
    pub(crate) right: Vec<TermId>,
    pub(crate) fields: FieldMask,
    pub(crate) distance: u32,
    pub(crate) ordered: bool,
}

#[derive(Debug, Clone)]
pub(crate) enum CompiledMeta {
    Site(Vec<String>),
    Url(Vec<String>),
    Keyword {
        field: KeywordField,
        values: Vec<TermPattern>,
    },
    Channel(Vec<Channel>),
    Flag {
        field: FlagField,
        values: Vec<bool>,
    },
    Range {
        field: NumberField,
        ranges: Vec<NumberRange>,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct TermEntry {
    pub(crate) pattern: TermPattern,
    /// `Some(slop)` for a `"…"~n` phrase of two or more tokens.
    pub(crate) window: Option<u32>,
    pub(crate) anchor: AnchorId,
    /// Index of the token the anchor starts at (sequences only).
    pub(crate) anchor_offset: u32,
    /// The anchor spells the whole term in the folded form it is compared
    /// in: every anchor hit is an occurrence, with nothing to verify.
    pub(crate) anchor_is_term: bool,
    /// For a `~n` window, the anchor of each of its distinct tokens, all of
    /// which must be present.
    pub(crate) window_anchors: Vec<AnchorId>,
}

/// Interned terms and anchor strings, shared by all topics.
#[derive(Debug, Default)]
pub(crate) struct Tables {
    /// Term ids by the term as written: most terms recur across topics.
    written_ids: FxHashMap<(String, bool, Option<u32>), TermId>,
    term_ids: FxHashMap<(TermPattern, Option<u32>), TermId>,
    pub(crate) terms: Vec<TermEntry>,
    anchor_ids: FxHashMap<(String, AnchorKind), AnchorId>,
    pub(crate) anchors: Vec<(String, AnchorKind)>,
    pub(crate) index: AnchorIndex,
}

/// What a topic's match depends on, for the presearcher.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum AnchorKey {
    Text(AnchorId),
    Meta(u64),
}

impl Tables {
    fn anchor(&mut self, text: String, kind: AnchorKind) -> AnchorId {
        let key = (text, kind);
        if let Some(&id) = self.anchor_ids.get(&key) {
            return id;
        }
        let id = self.anchors.len() as AnchorId;
        self.index.add(id, &key.0, kind);
        self.anchors.push(key.clone());
        self.anchor_ids.insert(key, id);
        id
    }

    fn term(&mut self, pattern: TermPattern, slop: Option<u32>) -> TermId {
        let window = slop.filter(|_| pattern.len() > 1);
        let key = (pattern, window);
        if let Some(&id) = self.term_ids.get(&key) {
            return id;
        }
        let (pattern, window) = key;
        let (anchor_text, anchor_kind, anchor_offset) = choose_anchor(&pattern, window.is_some());
        let anchor = self.anchor(anchor_text, anchor_kind);
        let id = self.terms.len() as TermId;
        let anchor_is_term = window.is_none()
            && anchor_offset == 0
            && matches!(anchor_kind, AnchorKind::Word | AnchorKind::Han)
            && pattern
                .tokens
                .iter()
                .all(|token| token.space == CompareSpace::Folded && !token.wildcard)
            && (anchor_kind == AnchorKind::Han
                && pattern
                    .tokens
                    .iter()
                    .all(|token| token.kind == TokenKind::Han)
                && pattern.tokens.iter().skip(1).all(|token| token.must_join)
                || anchor_kind == AnchorKind::Word && pattern.tokens.len() == 1);
        // a `~n` window needs every one of its tokens: each is a required
        // anchor, so a document lacking any of them is never verified
        let mut window_anchors = Vec::new();
        if window.is_some() {
            for token in &pattern.tokens {
                let kind = match token.kind {
                    TokenKind::Han => AnchorKind::Han,
                    TokenKind::Word if token.wildcard => AnchorKind::WordPrefix,
                    TokenKind::Word => AnchorKind::Word,
                };
                let id = self.anchor(token.anchor.clone(), kind);
                if !window_anchors.contains(&id) {
                    window_anchors.push(id);
                }
            }
        }
        self.terms.push(TermEntry {
            pattern: pattern.clone(),
            window,
            anchor,
            anchor_offset,
            anchor_is_term,
            window_anchors,
        });
        self.term_ids.insert((pattern, window), id);
        id
    }

    /// Compiles a parsed, validated tree.
    pub(crate) fn compile(&mut self, expr: &Expr) -> Node {
        self.compile_scoped(expr, ALL_FIELDS)
    }

    fn compile_scoped(&mut self, expr: &Expr, fields: FieldMask) -> Node {
        match &expr.kind {
            ExprKind::Term(term) => Node::Term {
                term: self.compile_term(&term.text, term.case_sensitive, term.slop),
                fields,
            },
            ExprKind::And(children) => Node::And({
                let mut nodes: Vec<Node> = children
                    .iter()
                    .map(|child| self.compile_scoped(child, fields))
                    .collect();
                // cheapest checks first: a failing metadata condition ends
                // the evaluation before any term is looked at
                nodes.sort_by_key(Node::evaluation_rank);
                nodes
            }),
            ExprKind::Or(children) => Node::Or(
                children
                    .iter()
                    .map(|child| self.compile_scoped(child, fields))
                    .collect(),
            ),
            ExprKind::Not(inner) => Node::Not(Box::new(self.compile_scoped(inner, fields))),
            ExprKind::Near {
                left,
                right,
                distance,
                ordered,
            } => Node::Near(Box::new(NearNode {
                left: self.near_operand(left),
                right: self.near_operand(right),
                fields,
                distance: *distance,
                ordered: *ordered,
            })),
            ExprKind::Scoped { field, expr } => {
                self.compile_scoped(expr, fields & (1 << field.index()))
            }
            ExprKind::Meta(condition) => Node::Meta(Box::new(compile_meta(condition))),
        }
    }

    fn compile_term(&mut self, text: &str, case_sensitive: bool, slop: Option<u32>) -> TermId {
        let written = (text.to_string(), case_sensitive, slop);
        if let Some(&id) = self.written_ids.get(&written) {
            return id;
        }
        let compiled =
            TermPattern::compile(text, case_sensitive).expect("terms are validated by the parser");
        let id = self.term(compiled.pattern, slop);
        self.written_ids.insert(written, id);
        id
    }

    fn near_operand(&mut self, expr: &Expr) -> Vec<TermId> {
        let mut terms = Vec::new();
        self.collect_near_terms(expr, &mut terms);
        terms.sort_unstable();
        terms.dedup();
        terms
    }

    fn collect_near_terms(&mut self, expr: &Expr, terms: &mut Vec<TermId>) {
        match &expr.kind {
            ExprKind::Term(term) => {
                terms.push(self.compile_term(&term.text, term.case_sensitive, None))
            }
            ExprKind::Or(children) => children
                .iter()
                .for_each(|child| self.collect_near_terms(child, terms)),
            _ => unreachable!("NEAR operands are validated by the parser"),
        }
    }

    /// The clauses a matching document must satisfy: each clause is a set
    /// of anchors at least one of which is present, with an estimate of how
    /// often that happens. A node with no clause cannot be anchored.
    pub(crate) fn required_clauses(&self, node: &Node) -> Vec<(f64, Vec<AnchorKey>)> {
        match node {
            Node::Term { term, .. } => {
                let entry = &self.terms[*term as usize];
                if entry.window_anchors.is_empty() {
                    vec![self.term_anchor(*term)]
                } else {
                    entry
                        .window_anchors
                        .iter()
                        .map(|&anchor| {
                            let (text, kind) = &self.anchors[anchor as usize];
                            let token_kind = if *kind == AnchorKind::Han {
                                TokenKind::Han
                            } else {
                                TokenKind::Word
                            };
                            (
                                anchor_cost(text, token_kind, *kind == AnchorKind::WordPrefix),
                                vec![AnchorKey::Text(anchor)],
                            )
                        })
                        .collect()
                }
            }
            Node::And(children) => children
                .iter()
                .flat_map(|child| self.required_clauses(child))
                .collect(),
            Node::Or(children) => union(children.iter().map(|child| self.cheapest(child)))
                .into_iter()
                .collect(),
            Node::Not(_) => Vec::new(),
            Node::Near(near) => {
                let (left, right) = (&near.left, &near.right);
                let side = |terms: &[TermId]| {
                    union(terms.iter().map(|&term| Some(self.term_anchor(term))))
                };
                [side(left), side(right)].into_iter().flatten().collect()
            }
            Node::Meta(meta) => meta_anchor(meta).into_iter().collect(),
        }
    }

    /// The most selective clause of a node: what the presearcher posts.
    pub(crate) fn cheapest(&self, node: &Node) -> Option<(f64, Vec<AnchorKey>)> {
        self.required_clauses(node)
            .into_iter()
            .min_by(|a, b| a.0.total_cmp(&b.0))
    }

    fn term_anchor(&self, term: TermId) -> (f64, Vec<AnchorKey>) {
        let entry = &self.terms[term as usize];
        let (text, _) = &self.anchors[entry.anchor as usize];
        let token = &entry.pattern.tokens[entry.anchor_offset as usize];
        (
            anchor_cost(text, token.kind, token.wildcard),
            vec![AnchorKey::Text(entry.anchor)],
        )
    }
}

fn union(
    sets: impl Iterator<Item = Option<(f64, Vec<AnchorKey>)>>,
) -> Option<(f64, Vec<AnchorKey>)> {
    let mut cost = 0.0;
    let mut keys = Vec::new();
    for set in sets {
        let (set_cost, set_keys) = set?;
        cost += set_cost;
        keys.extend(set_keys);
    }
    Some((f64::min(cost, 1.0), keys))
}

/// Rough probability that an anchor occurs in a document: longer literals
/// are rarer; single Han characters and short words are common.
fn anchor_cost(text: &str, kind: TokenKind, wildcard: bool) -> f64 {
    let chars = text.chars().count();
    let base = match kind {
        TokenKind::Han => match chars {
            1 => 0.3,
            2 => 0.03,
            _ => 0.005,
        },
        TokenKind::Word => match chars {
            0..=2 => 0.2,
            3 => 0.05,
            4 | 5 => 0.01,
            _ => 0.003,
        },
    };
    if wildcard {
        f64::min(base * 5.0, 1.0)
    } else {
        base
    }
}

/// Picks the most selective literal of a term. For a sequence, runs of
/// touching Han characters count as one literal; for a `~n` window, tokens
/// stand alone (any order). Returns the literal, how it is found and the
/// index of the token it starts at.
fn choose_anchor(pattern: &TermPattern, window: bool) -> (String, AnchorKind, u32) {
    let mut best: Option<(String, AnchorKind, u32, (bool, usize))> = None;
    let mut index = 0;
    while index < pattern.tokens.len() {
        let token = &pattern.tokens[index];
        let mut text = token.anchor.clone();
        let mut end = index + 1;
        let kind = match token.kind {
            TokenKind::Han => {
                while !window
                    && let Some(next) = pattern.tokens.get(end)
                    && next.kind == TokenKind::Han
                    && next.must_join
                {
                    text.push_str(&next.anchor);
                    end += 1;
                }
                AnchorKind::Han
            }
            TokenKind::Word if token.wildcard => AnchorKind::WordPrefix,
            TokenKind::Word => AnchorKind::Word,
        };
        let rank = (!token.wildcard, text.len());
        if best
            .as_ref()
            .is_none_or(|(_, _, _, best_rank)| rank > *best_rank)
        {
            best = Some((text, kind, index as u32, rank));
        }
        index = end;
    }
    let (text, kind, offset, _) = best.expect("terms have at least one token");
    (text, kind, offset)
}

fn compile_meta(condition: &MetaCondition) -> CompiledMeta {
    match condition {
        MetaCondition::Site(sites) => CompiledMeta::Site(sites.clone()),
        MetaCondition::Url(urls) => CompiledMeta::Url(urls.clone()),
        MetaCondition::Keyword { field, values } => CompiledMeta::Keyword {
            field: *field,
            values: values
                .iter()
                .map(|value| {
                    TermPattern::compile(value, false)
                        .expect("values are validated by the parser")
                        .pattern
                })
                .collect(),
        },
        MetaCondition::Channel(channels) => CompiledMeta::Channel(channels.clone()),
        MetaCondition::Flag { field, values } => CompiledMeta::Flag {
            field: *field,
            values: values.clone(),
        },
        MetaCondition::Range { field, ranges } => CompiledMeta::Range {
            field: *field,
            ranges: ranges.clone(),
        },
    }
}

/// The key a document emits for a metadata value, and a query looks up: a
/// 64-bit hash of the field and the value's parts (the folded tokens of a
/// keyword). A collision only adds a candidate; verification decides.
pub(crate) fn meta_key<'a>(field: &str, parts: impl IntoIterator<Item = &'a str>) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(field.as_bytes());
    hasher.write_u8(0);
    for part in parts {
        hasher.write(part.as_bytes());
        hasher.write_u8(0xFF);
    }
    hasher.finish()
}

fn meta_anchor(meta: &CompiledMeta) -> Option<(f64, Vec<AnchorKey>)> {
    let keys = |values: Vec<u64>, cost: f64| {
        let total = f64::min(cost * values.len() as f64, 1.0);
        Some((total, values.into_iter().map(AnchorKey::Meta).collect()))
    };
    match meta {
        CompiledMeta::Site(sites) => keys(
            sites
                .iter()
                .map(|site| meta_key("site", [site.as_str()]))
                .collect(),
            0.05,
        ),
        CompiledMeta::Channel(channels) => keys(
            channels
                .iter()
                .map(|channel| meta_key("channel", [channel.as_str()]))
                .collect(),
            0.15,
        ),
        CompiledMeta::Flag { field, values } => keys(
            values
                .iter()
                .map(|value| meta_key(field.as_str(), [if *value { "true" } else { "false" }]))
                .collect(),
            0.4,
        ),
        CompiledMeta::Keyword { field, values } => {
            if values
                .iter()
                .any(|value| value.tokens.iter().any(|token| token.wildcard))
            {
                return None;
            }
            let texts = values
                .iter()
                .map(|value| {
                    meta_key(
                        field.as_str(),
                        value.tokens.iter().map(|token| token.anchor.as_str()),
                    )
                })
                .collect();
            let cost = match field {
                KeywordField::Author => 0.01,
                KeywordField::Region => 0.1,
                KeywordField::Lang | KeywordField::Country => 0.4,
            };
            keys(texts, cost)
        }
        CompiledMeta::Url(_) | CompiledMeta::Range { .. } => None,
    }
}
