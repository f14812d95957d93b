//! `/api/v1/mentions`: mentions newest first, filtered, paged by cursor.

use axum::Json;
use axum::extract::State;

use crate::AppState;
use crate::error::{ApiResult, ErrorBody};
use crate::params::{self, ApiQuery};
use crate::wire::{ListParams, MentionPage, MentionView};

/// Mentions (document × topic), newest first.
#[utoipa::path(get, path = "/api/v1/mentions", tag = "mentions", params(ListParams),
    responses((status = 200, body = MentionPage), (status = 400, body = ErrorBody)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ListParams>,
) -> ApiResult<Json<MentionPage>> {
    let filter = query.filter()?;
    let limit = params::limit(query.limit.as_deref(), 50)?;
    let cursor = params::cursor(query.cursor.as_deref())?;
    let page = state.store.mentions(&filter, cursor, limit).await?;
    Ok(Json(MentionPage {
        items: page.items.into_iter().map(MentionView::of).collect(),
        next: page.next.map(|cursor| cursor.to_string()),
    }))
}
