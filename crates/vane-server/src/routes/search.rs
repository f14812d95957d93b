//! `/api/v1/search`: stored documents in the monitoring query language.
//! The full-text index proposes candidates, the matcher verifies them, so
//! a search finds exactly what the same query as a topic would.

use axum::Json;
use axum::extract::State;

use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::params::{self, ApiQuery};
use crate::wire::{DocumentView, HitView, SearchHitView, SearchPageView, SearchParams};

/// Searches stored documents, newest stored first.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchParams),
    responses((status = 200, body = SearchPageView),
        (status = 400, description = "Invalid query, with its column", body = ErrorBody)))]
pub(crate) async fn search(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<SearchParams>,
) -> ApiResult<Json<SearchPageView>> {
    let started = std::time::Instant::now();
    let text = query.q.as_deref().unwrap_or("").trim();
    if text.is_empty() {
        return Err(ApiError::bad_request(
            "missing_query",
            "give a query in `q`, e.g. q=(小米 OR xiaomi) AND 召回",
        ));
    }
    let parsed = vane_query::Query::parse(text).map_err(|error| ApiError::invalid_query(&error))?;
    let filter = query.filter()?;
    let limit = params::limit(query.limit.as_deref(), 20)?;
    let cursor = params::cursor(query.cursor.as_deref())?;
    let page = vane_store::search(state.store.as_ref(), &parsed, &filter, cursor, limit).await?;
    Ok(Json(SearchPageView {
        query: parsed.normalized(),
        items: page
            .items
            .into_iter()
            .map(|result| SearchHitView {
                hits: result.hits.iter().map(HitView::of).collect(),
                document: DocumentView::of(result.document),
            })
            .collect(),
        next: page.next.map(|cursor| cursor.to_string()),
        candidates: page.candidates,
        took_ms: started.elapsed().as_secs_f64() * 1_000.0,
    }))
}
