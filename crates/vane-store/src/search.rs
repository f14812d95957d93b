//! Search in the monitoring query language: the full-text index proposes,
//! the percolator disposes. Every result is a document the same query as a
//! topic would have matched, with the same hit spans.

use serde::Serialize;
use vane_model::TopicId;
use vane_query::{MatchScratch, Percolator, PreparedDocument, Query, SearchPlan};
use vane_text::parallel::{cores, map_in_order};

use crate::{Cursor, Filter, MentionHit, Result, Store, StoredDocument};

/// Candidates fetched in the first round trip; each further round fetches
/// twice as many, up to [`MAX_CANDIDATES_PER_ROUND`]: a query whose
/// candidates rarely match reads the index in a few rounds rather than in
/// many (each round seeks the index's segments again).
const CANDIDATES_PER_ROUND: usize = 256;
const MAX_CANDIDATES_PER_ROUND: usize = 4_096;
/// Candidates verified together (split among the cores) before the page is
/// checked for being full.
const VERIFIED_PER_SLICE: usize = 128;
/// Candidates verified for one page at most; a page cut short says where
/// to go on.
const MAX_CANDIDATES_PER_PAGE: usize = 20_000;

/// A verified search result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResult {
    pub document: StoredDocument,
    pub hits: Vec<MentionHit>,
}

/// A page of results, newest stored first.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchPage {
    pub items: Vec<SearchResult>,
    /// Where the next page starts; `None` when nothing is left.
    pub next: Option<Cursor>,
    /// Candidates the index proposed and the matcher checked.
    pub candidates: usize,
}

/// The documents matching `query` and `filter`, newest stored first, at
/// most `limit`, starting after `after`.
pub async fn search(
    store: &dyn Store,
    query: &Query,
    filter: &Filter,
    after: Option<Cursor>,
    limit: usize,
) -> Result<SearchPage> {
    search_with_plan(store, query, &query.search_plan(), filter, after, limit).await
}

/// [`search`] with the candidates selected by `plan`, which must be
/// necessary for `query` (an empty plan reads every document: the
/// benchmark's peer without an index).
pub async fn search_with_plan(
    store: &dyn Store,
    query: &Query,
    plan: &SearchPlan,
    filter: &Filter,
    after: Option<Cursor>,
    limit: usize,
) -> Result<SearchPage> {
    let topic = TopicId::new("search");
    let percolator = Percolator::from_queries([(topic, query.clone())]);
    let mut scratches: Vec<MatchScratch> = (0..cores()).map(|_| MatchScratch::default()).collect();
    let mut page = SearchPage {
        items: Vec::new(),
        next: None,
        candidates: 0,
    };
    let mut cursor = after;
    let limit = limit.max(1);
    let mut round = CANDIDATES_PER_ROUND;
    loop {
        let candidates = store.search_candidates(plan, filter, cursor, round).await?;
        round = (round * 2).min(MAX_CANDIDATES_PER_ROUND);
        // verified a slice at a time, so that a page found early stops
        let mut items = candidates.items.into_iter();
        loop {
            let slice: Vec<StoredDocument> = items.by_ref().take(VERIFIED_PER_SLICE).collect();
            if slice.is_empty() {
                break;
            }
            let verified = verify(&percolator, &slice, &mut scratches);
            for (document, hits) in slice.into_iter().zip(verified) {
                page.candidates += 1;
                let examined = Cursor {
                    published_at: document.published_at.0,
                    seq: document.seq,
                };
                if let Some(hits) = hits {
                    page.items.push(SearchResult { document, hits });
                    if page.items.len() == limit {
                        page.next = Some(examined);
                        return Ok(page);
                    }
                }
            }
        }
        match candidates.next {
            None => return Ok(page),
            Some(next) => cursor = Some(next),
        }
        if page.candidates >= MAX_CANDIDATES_PER_PAGE {
            page.next = cursor;
            return Ok(page);
        }
    }
}

/// The hits of the search's one query in each candidate, `None` where it
/// does not match: a round's candidates are split among the cores, in
/// order (normalising and verifying ~2 KB documents is most of a search's
/// time when the index narrows little; the page is then cut in order).
fn verify(
    percolator: &Percolator,
    candidates: &[StoredDocument],
    scratches: &mut [MatchScratch],
) -> Vec<Option<Vec<MentionHit>>> {
    // a few candidates are not worth a thread
    const PER_THREAD: usize = 32;
    let threads = scratches.len().min(candidates.len() / PER_THREAD).max(1);
    map_in_order(
        candidates,
        &mut scratches[..threads],
        |document, scratch| {
            let prepared = PreparedDocument::new(&document.document);
            percolator
                .percolate(&prepared, scratch, true)
                .into_iter()
                .next()
                .map(|found| found.hits.iter().map(MentionHit::from).collect())
        },
    )
}
