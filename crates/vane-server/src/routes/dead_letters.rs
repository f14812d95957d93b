//! `/api/v1/dead-letters`: what could not become a document, and why.

use axum::Json;
use axum::extract::State;

use crate::AppState;
use crate::error::{ApiResult, ErrorBody};
use crate::params::{self, ApiQuery};
use crate::wire::{DeadLetterPage, DeadLetterView, PageParams};

/// Dead letters, newest first.
#[utoipa::path(get, path = "/api/v1/dead-letters", tag = "operations", params(PageParams),
    responses((status = 200, body = DeadLetterPage), (status = 400, body = ErrorBody)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<PageParams>,
) -> ApiResult<Json<DeadLetterPage>> {
    let limit = params::limit(query.limit.as_deref(), 50)?;
    let after = params::seq_cursor(query.cursor.as_deref())?;
    let page = state.store.dead_letters(after, limit).await?;
    Ok(Json(DeadLetterPage {
        items: page.items.into_iter().map(DeadLetterView::of).collect(),
        next: page.next.map(|seq| seq.to_string()),
    }))
}
