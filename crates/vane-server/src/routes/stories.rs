//! `/api/v1/stories` and `/api/v1/stories/{id}`: syndication stories and
//! their propagation paths.

use axum::Json;
use axum::extract::State;

use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::params::{self, ApiPath, ApiQuery};
use crate::wire::{DocumentView, StoryDetail, StoryParams, StoryView};

/// Stories within the filter, largest first.
#[utoipa::path(get, path = "/api/v1/stories", tag = "stories", params(StoryParams),
    responses((status = 200, body = Vec<StoryView>), (status = 400, body = ErrorBody)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<StoryParams>,
) -> ApiResult<Json<Vec<StoryView>>> {
    let filter = query.filter()?;
    let limit = params::limit(query.limit.as_deref(), 50)?;
    let stories = state.store.stories(&filter, limit).await?;
    Ok(Json(stories.into_iter().map(StoryView::of).collect()))
}

/// A story's documents in order of publication, each with its parent.
#[utoipa::path(get, path = "/api/v1/stories/{id}", tag = "stories",
    params(("id" = String, Path, description = "Story id")),
    responses((status = 200, body = StoryDetail), (status = 404, body = ErrorBody)))]
pub(crate) async fn show(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<StoryDetail>> {
    let documents = state.store.story(&id).await?;
    if documents.is_empty() {
        return Err(ApiError::not_found(
            "story_not_found",
            format!("no story `{id}`"),
        ));
    }
    Ok(Json(StoryDetail {
        story_id: id,
        documents: documents.into_iter().map(DocumentView::of).collect(),
    }))
}
