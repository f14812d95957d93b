//! `/api/v1/query/…`: the query language as the topic editor and the
//! search box use it while the user types — check (the error with its
//! column, lint warnings) and preview (what the query would match among the
//! most recently stored documents, before it is saved as a topic).

use axum::Json;
use axum::extract::State;
use vane_model::TopicId;
use vane_query::{MatchScratch, Percolator, PreparedDocument, Query};
use vane_store::{Filter, MentionHit};

use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::params::{self, ApiJson, ApiQuery};
use crate::wire::{
    DocumentView, HitView, LintView, PreviewParams, PreviewView, QueryCheckRequest, QueryCheckView,
    SearchHitView,
};

/// Documents a preview reads at most: the newest stored.
const PREVIEW_WINDOW: usize = 2_000;

fn parse(text: &str) -> ApiResult<Query> {
    if text.trim().is_empty() {
        return Err(ApiError::bad_request(
            "missing_query",
            "give a query, e.g. (小米 OR xiaomi) AND 召回",
        ));
    }
    Query::parse(text).map_err(|error| ApiError::invalid_query(&error))
}

/// Checks a query: its normalised form and lint warnings, or the error
/// with its column (400).
#[utoipa::path(post, path = "/api/v1/query/check", tag = "search",
    request_body = QueryCheckRequest,
    responses((status = 200, body = QueryCheckView),
        (status = 400, description = "Invalid query, with its column", body = ErrorBody)))]
pub(crate) async fn check(
    ApiJson(request): ApiJson<QueryCheckRequest>,
) -> ApiResult<Json<QueryCheckView>> {
    let query = parse(&request.query)?;
    Ok(Json(QueryCheckView {
        normalized: query.normalized(),
        warnings: query
            .warnings()
            .iter()
            .map(|warning| LintView {
                column: warning.column,
                message: warning.message.clone(),
                hint: warning.hint.clone(),
            })
            .collect(),
    }))
}

/// Tests a query against the most recently stored documents (up to 2,000):
/// how many it matches and the first few, with their hits.
#[utoipa::path(get, path = "/api/v1/query/preview", tag = "search", params(PreviewParams),
    responses((status = 200, body = PreviewView),
        (status = 400, description = "Invalid query, with its column", body = ErrorBody)))]
pub(crate) async fn preview(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<PreviewParams>,
) -> ApiResult<Json<PreviewView>> {
    let started = std::time::Instant::now();
    let query = parse(params.q.as_deref().unwrap_or(""))?;
    let samples_wanted = params::limit(params.limit.as_deref(), 5)?;
    let page = state
        .store
        .documents(&Filter::default(), None, PREVIEW_WINDOW)
        .await?;
    let percolator = Percolator::from_queries([(TopicId::new("preview"), query.clone())]);
    let mut scratch = MatchScratch::default();
    let mut matched = 0;
    let mut samples = Vec::new();
    let scanned = page.items.len();
    for stored in page.items {
        let prepared = PreparedDocument::new(&stored.document);
        let Some(found) = percolator
            .percolate(&prepared, &mut scratch, true)
            .into_iter()
            .next()
        else {
            continue;
        };
        matched += 1;
        if samples.len() < samples_wanted {
            samples.push(SearchHitView {
                hits: found
                    .hits
                    .iter()
                    .map(|hit| HitView::of(&MentionHit::from(hit)))
                    .collect(),
                document: DocumentView::of(stored),
            });
        }
    }
    Ok(Json(PreviewView {
        query: query.normalized(),
        scanned,
        matched,
        samples,
        took_ms: started.elapsed().as_secs_f64() * 1_000.0,
    }))
}
