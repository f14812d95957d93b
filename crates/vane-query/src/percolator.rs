//! The percolator: every active topic compiled together, matched against
//! one document at a time (QUERY-LANGUAGE.md §10).
//!
//! A presearch selects candidate topics: the document's tokens are looked
//! up in an index of the anchors of all terms (`presearch.rs`), and its
//! metadata keys in a hash map; topics that could not be anchored are
//! always candidates. A candidate whose other required clauses have no
//! anchor present is dropped; the rest are verified exactly over token
//! positions, with the occurrences of every term computed once per
//! document and shared between topics.
//!
//! Topics can be added, changed and removed one at a time, at the cost of
//! compiling that topic: the anchor index and the postings are hash maps
//! updated in place. Removed topics' terms and anchors stay until removed
//! topics outnumber live ones; then the live topics are recompiled.

use std::ops::Range;

use rustc_hash::FxHashMap;
use vane_model::{TextField, TopicId};

use crate::Query;
use crate::ast::KeywordField;
use crate::compile::{AnchorKey, CompiledMeta, FieldMask, Node, Tables, TermId, meta_key};
use crate::document::PreparedDocument;
use crate::presearch::AnchorHit;

/// All active topics, ready to match documents.
#[derive(Debug, Default)]
pub struct Percolator {
    tables: Tables,
    topics: Vec<Option<Topic>>,
    /// The compiled program of each slot, apart from the topics so that
    /// verifying a candidate touches one small node first.
    programs: Vec<Option<Node>>,
    slots: FxHashMap<TopicId, u32>,
    /// Topic slots by text anchor id.
    text_postings: Vec<Vec<u32>>,
    meta_postings: FxHashMap<u64, Vec<u32>>,
    /// Slots of topics the presearcher cannot select: verified on every document.
    always: Vec<u32>,
    /// Per slot, a range of `filter_arena`: the topic's other required
    /// clauses made only of text anchors, each as its length and anchors.
    /// A candidate none of whose anchors in some clause is present is
    /// dropped before verification. Kept apart from the topics so that the
    /// check touches two compact arrays, not each topic's heap data.
    filter_ranges: Vec<(u32, u32)>,
    filter_arena: Vec<u32>,
    removed_since_rebuild: usize,
}

#[derive(Debug)]
struct Topic {
    id: TopicId,
    query: Query,
    /// The clause the presearcher posts the topic under; `None`: always a candidate.
    anchors: Option<Vec<AnchorKey>>,
}

/// A topic that matched, with the hit spans that made it match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicMatch<'a> {
    pub topic: &'a TopicId,
    /// Empty unless hits were asked for.
    pub hits: Vec<Hit>,
}

/// A hit: character offsets in the original, un-normalised field text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hit {
    pub field: TextField,
    pub start: u32,
    pub end: u32,
}

/// A term occurrence: tokens `start..end` of a field (0 title, 1 body).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Occurrence {
    field: u8,
    start: u32,
    end: u32,
}

/// How many documents must have been seen before [`Percolator::retune`]
/// trusts the observed frequencies.
pub const MIN_DOCUMENTS_TO_RETUNE: u64 = 500;

/// Per-thread working memory for [`Percolator::percolate`], reused across
/// documents so that matching allocates little.
#[derive(Debug, Default)]
pub struct MatchScratch {
    generation: u32,
    anchor_hits: Vec<AnchorHit>,
    /// One bit per topic slot: set bits are this document's candidates,
    /// read back in slot order (the output order) without sorting.
    candidate_bits: Vec<u64>,
    candidates: Vec<u32>,
    term_stamp: Vec<u32>,
    term_ranges: Vec<(u32, u32)>,
    occurrences: Vec<Occurrence>,
    near_left: Vec<Occurrence>,
    near_right: Vec<Occurrence>,
    meta_keys: Vec<u64>,
    text: String,
    /// Which anchors occur in the current document (bit per anchor id).
    anchor_present: Vec<u64>,
    /// Per anchor, how many documents it was present in.
    anchor_documents: Vec<u32>,
    statistics: MatchStatistics,
}

/// Counters of the work done, summed over the documents matched with one
/// [`MatchScratch`]: how selective the presearch was.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MatchStatistics {
    pub documents: u64,
    /// Anchor literals found at token starts.
    pub anchor_hits: u64,
    /// Topics selected by the presearch.
    pub candidates: u64,
    /// Candidates that passed the clause filter and were verified exactly.
    pub verified: u64,
    pub matches: u64,
}

impl MatchScratch {
    pub fn statistics(&self) -> MatchStatistics {
        self.statistics
    }
}

/// Why a topic could not be added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("topic {topic}: {error}")]
pub struct TopicError {
    pub topic: TopicId,
    pub error: crate::ParseError,
}

impl Percolator {
    pub fn new() -> Self {
        Self::default()
    }

    /// Compiles many topics at once. A later
    /// topic with the same id replaces an earlier one.
    pub fn build<'q>(
        topics: impl IntoIterator<Item = (TopicId, &'q str)>,
    ) -> Result<Self, TopicError> {
        let mut queries = Vec::new();
        let mut terms = crate::TermCache::default();
        for (topic, text) in topics {
            let query = Query::parse_with(text, &mut terms).map_err(|error| TopicError {
                topic: topic.clone(),
                error,
            })?;
            queries.push((topic, query));
        }
        Ok(Self::from_queries(queries))
    }

    /// Like [`Percolator::build`] for queries already parsed.
    pub fn from_queries(topics: impl IntoIterator<Item = (TopicId, Query)>) -> Self {
        let mut percolator = Self::new();
        for (topic, query) in topics {
            percolator.upsert_without_index(topic, query);
        }
        percolator
    }

    /// Adds a topic, or replaces the query of an existing one (keeping its
    /// place in the output order).
    pub fn insert(&mut self, topic: TopicId, query: Query) {
        self.upsert_without_index(topic, query);
    }

    /// Removes a topic; `false` if there was none with this id.
    pub fn remove(&mut self, topic: &TopicId) -> bool {
        let Some(slot) = self.slots.remove(topic) else {
            return false;
        };
        if let Some(old) = self.topics[slot as usize].take() {
            self.unpost(slot, old.anchors.as_deref());
        }
        self.programs[slot as usize] = None;
        self.removed_since_rebuild += 1;
        if self.removed_since_rebuild > 1024 && self.removed_since_rebuild > self.slots.len() {
            self.rebuild_all();
        }
        true
    }

    /// Number of active topics.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The parsed query of a topic.
    pub fn query(&self, topic: &TopicId) -> Option<&Query> {
        let slot = *self.slots.get(topic)?;
        self.topics[slot as usize]
            .as_ref()
            .map(|entry| &entry.query)
    }

    /// Every distinct anchor literal, for benchmarks against a raw scan.
    pub fn anchor_literals(&self) -> Vec<&str> {
        self.tables
            .anchors
            .iter()
            .map(|(text, _)| text.as_str())
            .collect()
    }

    fn upsert_without_index(&mut self, topic: TopicId, query: Query) {
        let program = self.tables.compile(query.expr());
        let clauses = self.tables.required_clauses(&program);
        self.text_postings
            .resize_with(self.tables.anchors.len(), Vec::new);
        let slot = match self.slots.get(&topic) {
            Some(&slot) => {
                if let Some(old) = self.topics[slot as usize].take() {
                    self.unpost(slot, old.anchors.as_deref());
                }
                slot
            }
            None => {
                let slot = self.topics.len() as u32;
                self.topics.push(None);
                self.slots.insert(topic.clone(), slot);
                slot
            }
        };
        self.topics[slot as usize] = Some(Topic {
            id: topic,
            query,
            anchors: None,
        });
        self.programs.resize(self.topics.len(), None);
        self.programs[slot as usize] = Some(program);
        self.place(slot, clauses);
    }

    /// Posts a topic under its cheapest clause and files the others as its
    /// filter.
    fn place(&mut self, slot: u32, mut clauses: Vec<(f64, Vec<AnchorKey>)>) {
        clauses.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut clauses = clauses.into_iter().map(|(_, keys)| keys);
        let anchors = clauses.next();
        let filter_start = self.filter_arena.len() as u32;
        for keys in clauses {
            let anchors: Option<Vec<u32>> = keys
                .iter()
                .map(|key| {
                    if let AnchorKey::Text(anchor) = key {
                        Some(*anchor)
                    } else {
                        None
                    }
                })
                .collect();
            if let Some(anchors) = anchors {
                self.filter_arena.push(anchors.len() as u32);
                self.filter_arena.extend(anchors);
            }
        }
        self.filter_ranges.resize(self.topics.len(), (0, 0));
        self.filter_ranges[slot as usize] = (filter_start, self.filter_arena.len() as u32);
        self.post(slot, anchors.as_deref());
        if let Some(topic) = self.topics[slot as usize].as_mut() {
            topic.anchors = anchors;
        }
    }

    /// Re-plans every topic's presearch with the anchor frequencies
    /// observed in the documents matched so far with `scratch` (at least
    /// `MIN_DOCUMENTS_TO_RETUNE` of them): a topic is posted under the
    /// clause that was really rarest, not the one the static estimate
    /// guessed. Results do not change, only the work to get them.
    pub fn retune(&mut self, scratch: &MatchScratch) -> bool {
        let documents = scratch.statistics.documents;
        if documents < MIN_DOCUMENTS_TO_RETUNE
            || scratch.anchor_documents.len() > self.tables.anchors.len()
        {
            return false;
        }
        let seen = documents as f64;
        let frequency = |key: &AnchorKey| match key {
            AnchorKey::Text(anchor) => {
                let count = scratch
                    .anchor_documents
                    .get(*anchor as usize)
                    .copied()
                    .unwrap_or(0);
                (count as f64 + 0.1) / seen
            }
            AnchorKey::Meta(_) => 0.2,
        };
        // every topic is re-posted: empty the postings at once rather than
        // removing topics from them one by one
        self.filter_arena.clear();
        self.text_postings.iter_mut().for_each(Vec::clear);
        self.meta_postings.values_mut().for_each(Vec::clear);
        self.always.clear();
        for slot in 0..self.topics.len() as u32 {
            let Some(topic) = self.topics[slot as usize].take() else {
                continue;
            };
            let clauses: Vec<(f64, Vec<AnchorKey>)> = self
                .tables
                .required_clauses(
                    self.programs[slot as usize]
                        .as_ref()
                        .expect("live topics have programs"),
                )
                .into_iter()
                .map(|(_, keys)| (f64::min(keys.iter().map(frequency).sum(), 1.0), keys))
                .collect();
            self.topics[slot as usize] = Some(topic);
            self.place(slot, clauses);
        }
        true
    }

    fn post(&mut self, slot: u32, anchors: Option<&[AnchorKey]>) {
        let Some(anchors) = anchors else {
            self.always.push(slot);
            return;
        };
        for key in anchors {
            let postings = match key {
                AnchorKey::Text(anchor) => &mut self.text_postings[*anchor as usize],
                AnchorKey::Meta(key) => self.meta_postings.entry(*key).or_default(),
            };
            if postings.last() != Some(&slot) {
                postings.push(slot);
            }
        }
    }

    fn unpost(&mut self, slot: u32, anchors: Option<&[AnchorKey]>) {
        let Some(anchors) = anchors else {
            self.always.retain(|&other| other != slot);
            return;
        };
        for key in anchors {
            match key {
                AnchorKey::Text(anchor) => {
                    self.text_postings[*anchor as usize].retain(|&other| other != slot)
                }
                AnchorKey::Meta(key) => {
                    if let Some(postings) = self.meta_postings.get_mut(key) {
                        postings.retain(|&other| other != slot);
                    }
                }
            }
        }
    }

    /// Recompiles the live topics into fresh tables, dropping the terms
    /// and anchors of removed topics; output order is kept.
    fn rebuild_all(&mut self) {
        let live: Vec<Topic> = std::mem::take(&mut self.topics)
            .into_iter()
            .flatten()
            .collect();
        *self = Self::default();
        for topic in live {
            self.upsert_without_index(topic.id, topic.query);
        }
    }

    /// The topics `document` matches, in insertion order; with `explain`,
    /// each with the hit spans of the positive terms that made it match.
    pub fn percolate<'p>(
        &'p self,
        document: &PreparedDocument,
        scratch: &mut MatchScratch,
        explain: bool,
    ) -> Vec<TopicMatch<'p>> {
        self.begin(scratch);
        self.presearch(document, scratch);
        let mut matches = Vec::new();
        let mut hits = Vec::new();
        let candidates = std::mem::take(&mut scratch.candidates);
        for &slot in &candidates {
            if !self.passes_filter(slot, &scratch.anchor_present) {
                continue;
            }
            let Some(program) = &self.programs[slot as usize] else {
                continue;
            };
            scratch.statistics.verified += 1;
            hits.clear();
            if self.evaluate(program, document, scratch, &mut hits, explain) {
                let Some(topic) = &self.topics[slot as usize] else {
                    continue;
                };
                matches.push(TopicMatch {
                    topic: &topic.id,
                    hits: if explain {
                        to_hits(document, &mut hits)
                    } else {
                        Vec::new()
                    },
                });
            }
        }
        scratch.statistics.documents += 1;
        scratch.statistics.anchor_hits += scratch.anchor_hits.len() as u64;
        scratch.statistics.candidates += candidates.len() as u64;
        scratch.statistics.matches += matches.len() as u64;
        scratch.candidates = candidates;
        // clear only the bits this document set
        for hit in &scratch.anchor_hits {
            scratch.anchor_present[hit.anchor() as usize / 64] = 0;
        }
        matches
    }

    /// Whether every other required clause of the topic has an anchor present.
    fn passes_filter(&self, slot: u32, present: &[u64]) -> bool {
        let (start, end) = self.filter_ranges[slot as usize];
        let clauses = &self.filter_arena[start as usize..end as usize];
        let mut at = 0;
        while at < clauses.len() {
            let length = clauses[at] as usize;
            let anchors = &clauses[at + 1..at + 1 + length];
            if !anchors
                .iter()
                .any(|&anchor| present[anchor as usize / 64] & (1 << (anchor % 64)) != 0)
            {
                return false;
            }
            at += 1 + length;
        }
        true
    }

    fn begin(&self, scratch: &mut MatchScratch) {
        scratch.generation = scratch.generation.wrapping_add(1);
        if scratch.generation == 0 {
            scratch.term_stamp.iter_mut().for_each(|stamp| *stamp = 0);
            scratch.generation = 1;
        }
        scratch.term_stamp.resize(self.tables.terms.len(), 0);
        scratch.term_ranges.resize(self.tables.terms.len(), (0, 0));
        scratch
            .candidate_bits
            .resize(self.topics.len().div_ceil(64), 0);
        scratch
            .anchor_present
            .resize(self.tables.anchors.len().div_ceil(64), 0);
        if scratch.anchor_documents.len() > self.tables.anchors.len() {
            // the tables were recompiled: old counts name other anchors
            scratch.anchor_documents.clear();
            scratch.statistics = MatchStatistics::default();
        }
        scratch
            .anchor_documents
            .resize(self.tables.anchors.len(), 0);
        scratch.occurrences.clear();
        scratch.anchor_hits.clear();
        scratch.candidates.clear();
    }

    fn presearch(&self, document: &PreparedDocument, scratch: &mut MatchScratch) {
        for field in 0..2 {
            self.tables.index.scan(
                document.field_at(field),
                field as u8,
                &mut scratch.anchor_hits,
            );
        }
        scratch.anchor_hits.sort_unstable();
        let MatchScratch {
            anchor_hits,
            candidate_bits,
            candidates,
            meta_keys,
            anchor_present,
            anchor_documents,
            ..
        } = scratch;
        let mut mark = |slot: u32| candidate_bits[slot as usize / 64] |= 1 << (slot % 64);
        let mut previous = None;
        for hit in anchor_hits.iter() {
            if previous != Some(hit.anchor()) {
                previous = Some(hit.anchor());
                anchor_present[hit.anchor() as usize / 64] |= 1 << (hit.anchor() % 64);
                anchor_documents[hit.anchor() as usize] += 1;
                self.text_postings[hit.anchor() as usize]
                    .iter()
                    .for_each(|&slot| mark(slot));
            }
        }
        if !self.meta_postings.is_empty() {
            document_meta_keys(document, meta_keys);
            for key in meta_keys.iter() {
                if let Some(postings) = self.meta_postings.get(key) {
                    postings.iter().for_each(|&slot| mark(slot));
                }
            }
        }
        self.always.iter().for_each(|&slot| mark(slot));
        // read the bits back in slot order, clearing them for the next document
        for (word_index, word) in candidate_bits.iter_mut().enumerate() {
            let mut bits = std::mem::take(word);
            while bits != 0 {
                candidates.push(word_index as u32 * 64 + bits.trailing_zeros());
                bits &= bits - 1;
            }
        }
    }

    fn evaluate(
        &self,
        node: &Node,
        document: &PreparedDocument,
        scratch: &mut MatchScratch,
        hits: &mut Vec<Occurrence>,
        explain: bool,
    ) -> bool {
        match node {
            Node::Term { term, fields } => {
                let range = self.occurrences(*term, document, scratch);
                let mut found = false;
                for occurrence in &scratch.occurrences[range] {
                    if in_fields(occurrence, *fields) {
                        found = true;
                        if !explain {
                            break;
                        }
                        hits.push(*occurrence);
                    }
                }
                found
            }
            Node::And(children) => {
                let mark = hits.len();
                for child in children {
                    if !self.evaluate(child, document, scratch, hits, explain) {
                        hits.truncate(mark);
                        return false;
                    }
                }
                true
            }
            Node::Or(children) => {
                let mut any = false;
                for child in children {
                    if self.evaluate(child, document, scratch, hits, explain) {
                        any = true;
                        if !explain {
                            break;
                        }
                    }
                }
                any
            }
            Node::Not(inner) => {
                let mark = hits.len();
                let matched = self.evaluate(inner, document, scratch, hits, false);
                hits.truncate(mark);
                !matched
            }
            Node::Near(near) => self.near(
                &near.left,
                &near.right,
                near.fields,
                near.distance,
                near.ordered,
                document,
                scratch,
                hits,
                explain,
            ),
            Node::Meta(meta) => meta_matches(meta, document, &mut scratch.text),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn near(
        &self,
        left: &[TermId],
        right: &[TermId],
        fields: FieldMask,
        distance: u32,
        ordered: bool,
        document: &PreparedDocument,
        scratch: &mut MatchScratch,
        hits: &mut Vec<Occurrence>,
        explain: bool,
    ) -> bool {
        let mut sides = [
            std::mem::take(&mut scratch.near_left),
            std::mem::take(&mut scratch.near_right),
        ];
        for (side, terms) in sides.iter_mut().zip([left, right]) {
            side.clear();
            for &term in terms {
                let range = self.occurrences(term, document, scratch);
                side.extend(
                    scratch.occurrences[range]
                        .iter()
                        .filter(|occurrence| in_fields(occurrence, fields)),
                );
            }
        }
        let [lefts, rights] = &sides;
        let mut found = false;
        let mut used_right = vec![false; if explain { rights.len() } else { 0 }];
        for a in lefts {
            let mut a_used = false;
            for (index, b) in rights.iter().enumerate() {
                if a.field != b.field || (ordered && a.start >= b.start) || gap(a, b) > distance {
                    continue;
                }
                found = true;
                if !explain {
                    break;
                }
                a_used = true;
                used_right[index] = true;
            }
            if found && !explain {
                break;
            }
            if a_used {
                hits.push(*a);
            }
        }
        if explain {
            hits.extend(
                rights
                    .iter()
                    .zip(&used_right)
                    .filter(|(_, used)| **used)
                    .map(|(b, _)| *b),
            );
        }
        let [left_buffer, right_buffer] = sides;
        scratch.near_left = left_buffer;
        scratch.near_right = right_buffer;
        found
    }

    /// The occurrences of a term in this document, computed once.
    fn occurrences(
        &self,
        term: TermId,
        document: &PreparedDocument,
        scratch: &mut MatchScratch,
    ) -> Range<usize> {
        let index = term as usize;
        if scratch.term_stamp[index] == scratch.generation {
            let (start, end) = scratch.term_ranges[index];
            return start as usize..end as usize;
        }
        let entry = &self.tables.terms[index];
        // a term whose anchor is absent cannot occur: no verification needed
        if scratch.anchor_present[entry.anchor as usize / 64] & (1 << (entry.anchor % 64)) == 0 {
            return 0..0;
        }
        let start = scratch.occurrences.len();
        match entry.window {
            None => {
                let hits = &scratch.anchor_hits;
                let first = hits.partition_point(|hit| hit.anchor() < entry.anchor);
                let length = entry.pattern.len() as u32;
                for hit in hits[first..]
                    .iter()
                    .take_while(|hit| hit.anchor() == entry.anchor)
                {
                    if entry.anchor_is_term {
                        scratch.occurrences.push(Occurrence {
                            field: hit.field(),
                            start: hit.token(),
                            end: hit.token() + length,
                        });
                        continue;
                    }
                    let Some(position) = hit.token().checked_sub(entry.anchor_offset) else {
                        continue;
                    };
                    let text = document.field_at(hit.field() as usize);
                    if entry
                        .pattern
                        .matches_at(text, position as usize, &mut scratch.text)
                    {
                        scratch.occurrences.push(Occurrence {
                            field: hit.field(),
                            start: position,
                            end: position + length,
                        });
                    }
                }
            }
            Some(_)
                if !entry
                    .window_anchors
                    .iter()
                    .all(|&anchor| is_present(&scratch.anchor_present, anchor)) => {}
            Some(slop) => {
                let first = scratch
                    .anchor_hits
                    .partition_point(|hit| hit.anchor() < entry.anchor);
                for field in 0..2u8 {
                    let text = document.field_at(field as usize);
                    // anchor hits are sorted by (anchor, field, token)
                    let positions = scratch.anchor_hits[first..]
                        .iter()
                        .take_while(|hit| hit.anchor() == entry.anchor)
                        .filter(|hit| hit.field() == field)
                        .map(|hit| hit.token());
                    crate::window::find_windows(
                        &entry.pattern,
                        slop,
                        text,
                        positions,
                        &mut scratch.text,
                        |start, end| {
                            scratch.occurrences.push(Occurrence { field, start, end });
                        },
                    );
                }
            }
        }
        let end = scratch.occurrences.len();
        scratch.term_stamp[index] = scratch.generation;
        scratch.term_ranges[index] = (start as u32, end as u32);
        start..end
    }
}

#[inline]
fn is_present(present: &[u64], anchor: u32) -> bool {
    present[anchor as usize / 64] & (1 << (anchor % 64)) != 0
}

fn in_fields(occurrence: &Occurrence, fields: FieldMask) -> bool {
    fields & (1 << occurrence.field) != 0
}

/// Tokens strictly between two occurrences; 0 when they touch or overlap.
fn gap(a: &Occurrence, b: &Occurrence) -> u32 {
    if a.end <= b.start {
        b.start - a.end
    } else {
        a.start.saturating_sub(b.end)
    }
}

fn to_hits(document: &PreparedDocument, occurrences: &mut [Occurrence]) -> Vec<Hit> {
    occurrences.sort_unstable();
    let mut hits: Vec<Hit> = occurrences
        .iter()
        .map(|occurrence| {
            let field = TextField::ALL[occurrence.field as usize];
            let (start, end) = document.char_span(field, occurrence.start, occurrence.end);
            Hit { field, start, end }
        })
        .collect();
    hits.dedup();
    hits
}

/// The metadata keys a document emits for the presearcher.
fn document_meta_keys(document: &PreparedDocument, keys: &mut Vec<u64>) {
    keys.clear();
    let site = document.site();
    if !site.is_empty() {
        keys.push(meta_key("site", [site]));
        for (index, c) in site.char_indices() {
            if c == '.' && index + 1 < site.len() {
                keys.push(meta_key("site", [&site[index + 1..]]));
            }
        }
    }
    if let Some(channel) = document.channel() {
        keys.push(meta_key("channel", [channel.as_str()]));
    }
    for field in [
        crate::ast::FlagField::Verified,
        crate::ast::FlagField::Repost,
    ] {
        keys.push(meta_key(
            field.as_str(),
            [if document.flag(field) {
                "true"
            } else {
                "false"
            }],
        ));
    }
    for field in [
        KeywordField::Author,
        KeywordField::Lang,
        KeywordField::Country,
        KeywordField::Region,
    ] {
        let text = document.keyword(field);
        if !text.tokens.is_empty() {
            keys.push(meta_key(
                field.as_str(),
                text.tokens.iter().map(|token| text.folded_token(token)),
            ));
        }
    }
}

pub(crate) fn meta_matches(
    meta: &CompiledMeta,
    document: &PreparedDocument,
    scratch: &mut String,
) -> bool {
    match meta {
        CompiledMeta::Site(sites) => sites.iter().any(|site| document.site_is_within(site)),
        CompiledMeta::Url(parts) => parts
            .iter()
            .any(|part| document.url().contains(part.as_str())),
        CompiledMeta::Keyword { field, values } => {
            let text = document.keyword(*field);
            values.iter().any(|value| {
                value.tokens.len() == text.tokens.len()
                    && value
                        .tokens
                        .iter()
                        .zip(&text.tokens)
                        .all(|(pattern, token)| pattern.matches(text, token, scratch))
            })
        }
        CompiledMeta::Channel(channels) => document
            .channel()
            .is_some_and(|channel| channels.contains(&channel)),
        CompiledMeta::Flag { field, values } => values.contains(&document.flag(*field)),
        CompiledMeta::Range { field, ranges } => ranges
            .iter()
            .any(|range| range.contains(document.number(*field))),
    }
}
