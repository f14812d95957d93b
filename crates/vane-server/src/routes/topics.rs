//! `/api/v1/topics` and `/api/v1/topics/{id}`: monitoring topics. A query
//! that does not parse is rejected with its column; saving a topic
//! activates it in the pipeline at once.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use vane_model::TopicId;

use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::params::{ApiJson, ApiPath};
use crate::wire::{TopicInput, TopicView};

fn check_id(id: &str) -> ApiResult<()> {
    let valid = !id.is_empty()
        && id.len() <= 100
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if valid {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "invalid_topic_id",
            format!("topic id `{id}` must be 1–100 letters, digits, `-`, `_` or `.`"),
        ))
    }
}

/// Every topic.
#[utoipa::path(get, path = "/api/v1/topics", tag = "topics",
    responses((status = 200, body = Vec<TopicView>)))]
pub(crate) async fn list(State(state): State<AppState>) -> ApiResult<Json<Vec<TopicView>>> {
    let topics = state.store.topics().await?;
    Ok(Json(topics.into_iter().map(TopicView::of).collect()))
}

/// Creates a topic.
#[utoipa::path(post, path = "/api/v1/topics", tag = "topics", request_body = TopicView,
    responses((status = 201, body = TopicView),
        (status = 400, description = "Invalid query (with its column) or id", body = ErrorBody),
        (status = 409, description = "A topic with this id exists", body = ErrorBody)))]
pub(crate) async fn create(
    State(state): State<AppState>,
    ApiJson(topic): ApiJson<TopicView>,
) -> ApiResult<(StatusCode, Json<TopicView>)> {
    check_id(&topic.id)?;
    let id = TopicId::new(&topic.id);
    if state.store.topic(&id).await?.is_some() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "topic_exists",
            format!("topic `{id}` exists; PUT /api/v1/topics/{id} replaces it"),
        ));
    }
    let topic = TopicInput {
        name: topic.name,
        query: topic.query,
        brand: topic.brand,
        competitor: topic.competitor,
        enabled: topic.enabled,
    }
    .into_topic(id.as_str());
    state.pipeline.put_topic(&topic).await?;
    Ok((StatusCode::CREATED, Json(TopicView::of(topic))))
}

/// One topic.
#[utoipa::path(get, path = "/api/v1/topics/{id}", tag = "topics",
    params(("id" = String, Path, description = "Topic id")),
    responses((status = 200, body = TopicView), (status = 404, body = ErrorBody)))]
pub(crate) async fn show(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<TopicView>> {
    let topic = state
        .store
        .topic(&TopicId::new(&id))
        .await?
        .ok_or_else(|| ApiError::not_found("topic_not_found", format!("no topic `{id}`")))?;
    Ok(Json(TopicView::of(topic)))
}

/// Creates or replaces a topic.
#[utoipa::path(put, path = "/api/v1/topics/{id}", tag = "topics", request_body = TopicInput,
    params(("id" = String, Path, description = "Topic id")),
    responses((status = 200, description = "Replaced", body = TopicView),
        (status = 201, description = "Created", body = TopicView),
        (status = 400, body = ErrorBody)))]
pub(crate) async fn replace(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<TopicInput>,
) -> ApiResult<(StatusCode, Json<TopicView>)> {
    check_id(&id)?;
    let topic = input.into_topic(&id);
    let created = state.pipeline.put_topic(&topic).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(TopicView::of(topic))))
}

/// Deletes a topic; its mentions stay in the store.
#[utoipa::path(delete, path = "/api/v1/topics/{id}", tag = "topics",
    params(("id" = String, Path, description = "Topic id")),
    responses((status = 204, description = "Deleted"), (status = 404, body = ErrorBody)))]
pub(crate) async fn remove(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    if state.pipeline.delete_topic(&TopicId::new(&id)).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(
            "topic_not_found",
            format!("no topic `{id}`"),
        ))
    }
}
