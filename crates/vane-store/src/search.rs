//! Search in the monitoring query language: the full-text index proposes,
//! the percolator disposes. Every result is a document the same query as a
//! topic would have matched, with the same hit spans.

use serde::Serialize;
use vane_model::TopicId;
use vane_query::{MatchScratch, Percolator, PreparedDocument, Query, SearchPlan};

use crate::{Cursor, Filter, MentionHit, Result, Store, StoredDocument};

/// Candidates fetched per round trip.
const CANDIDATES_PER_ROUND: usize = 256;
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
    let mut scratch = MatchScratch::default();
    let mut page = SearchPage {
        items: Vec::new(),
        next: None,
        candidates: 0,
    };
    let mut cursor = after;
    let limit = limit.max(1);
    loop {
        let candidates = store
            .search_candidates(plan, filter, cursor, CANDIDATES_PER_ROUND)
            .await?;
        for document in candidates.items {
            page.candidates += 1;
            let examined = Cursor {
                published_at: document.published_at.0,
                seq: document.seq,
            };
            let prepared = PreparedDocument::new(&document.document);
            if let Some(found) = percolator
                .percolate(&prepared, &mut scratch, true)
                .into_iter()
                .next()
            {
                let hits = found.hits.iter().map(MentionHit::from).collect();
                page.items.push(SearchResult { document, hits });
                if page.items.len() == limit {
                    page.next = Some(examined);
                    return Ok(page);
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
