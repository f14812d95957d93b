//! `/api/v1/warnings` (level changes with their evidence, newest first),
//! `/api/v1/warnings/{seq}/acknowledge`, `/api/v1/warnings/current` (every
//! topic's level now) and `/api/v1/topics/{id}/mute`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use vane_model::{Timestamp, TopicId};

use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::params::{self, ApiJson, ApiPath, ApiQuery};
use crate::wire::{CurrentLevel, WarningPage, WarningParams, WarningView};

/// Level changes, newest first.
#[utoipa::path(get, path = "/api/v1/warnings", tag = "warnings", params(WarningParams),
    responses((status = 200, body = WarningPage), (status = 400, body = ErrorBody)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<WarningParams>,
) -> ApiResult<Json<WarningPage>> {
    let limit = params::limit(query.limit.as_deref(), 50)?;
    let after = params::seq_cursor(query.cursor.as_deref())?;
    let topic = query
        .topic
        .filter(|topic| !topic.is_empty())
        .map(TopicId::new);
    let page = state.store.warnings(topic.as_ref(), after, limit).await?;
    Ok(Json(WarningPage {
        items: page.items.into_iter().map(WarningView::of).collect(),
        next: page.next.map(|seq| seq.to_string()),
    }))
}

/// Every topic's warning level now.
#[utoipa::path(get, path = "/api/v1/warnings/current", tag = "warnings",
    responses((status = 200, body = Vec<CurrentLevel>)))]
pub(crate) async fn current(State(state): State<AppState>) -> Json<Vec<CurrentLevel>> {
    Json(
        state
            .pipeline
            .alerts
            .levels()
            .into_iter()
            .map(|(topic, level)| CurrentLevel {
                topic: topic.as_str().to_string(),
                level: level.as_str().to_string(),
            })
            .collect(),
    )
}

/// Who acknowledges.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct Acknowledgement {
    /// A name or handle, for the record.
    pub(crate) by: String,
}

/// Marks a warning as seen by someone.
#[utoipa::path(post, path = "/api/v1/warnings/{seq}/acknowledge", tag = "warnings",
    params(("seq" = i64, Path, description = "Warning number")), request_body = Acknowledgement,
    responses((status = 204, description = "Acknowledged"), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub(crate) async fn acknowledge(
    State(state): State<AppState>,
    ApiPath(seq): ApiPath<i64>,
    ApiJson(body): ApiJson<Acknowledgement>,
) -> ApiResult<StatusCode> {
    if body.by.trim().is_empty() {
        return Err(ApiError::bad_request(
            "invalid_body",
            "say who acknowledges in `by`",
        ));
    }
    if state
        .store
        .acknowledge_warning(seq, body.by.trim(), params::now())
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(
            "warning_not_found",
            format!("no warning {seq}"),
        ))
    }
}

/// How long to mute.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct Mute {
    /// 1 to 10,080 (a week).
    pub(crate) minutes: i64,
}

/// Mutes a topic's notifications (red ones still go out).
#[utoipa::path(put, path = "/api/v1/topics/{id}/mute", tag = "warnings",
    params(("id" = String, Path, description = "Topic id")), request_body = Mute,
    responses((status = 204, description = "Muted"), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn mute(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<Mute>,
) -> ApiResult<StatusCode> {
    if !(1..=10_080).contains(&body.minutes) {
        return Err(ApiError::bad_request(
            "invalid_body",
            "minutes must be from 1 to 10080",
        ));
    }
    let topic = TopicId::new(&id);
    if state.store.topic(&topic).await?.is_none() {
        return Err(ApiError::not_found(
            "topic_not_found",
            format!("no topic `{id}`"),
        ));
    }
    let until = Timestamp(params::now().0 + body.minutes * 60);
    state.pipeline.mute_topic(&topic, Some(until)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Unmutes a topic.
#[utoipa::path(delete, path = "/api/v1/topics/{id}/mute", tag = "warnings",
    params(("id" = String, Path, description = "Topic id")),
    responses((status = 204, description = "Unmuted")))]
pub(crate) async fn unmute(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    state.pipeline.mute_topic(&TopicId::new(&id), None).await?;
    Ok(StatusCode::NO_CONTENT)
}
