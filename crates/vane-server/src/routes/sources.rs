//! `/api/v1/sources` and `/api/v1/sources/{id}`: feeds and API pollers.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use vane_model::{SourceConfig, SourceId, SourceKind, SourceState};

use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::params::ApiPath;
use crate::wire::{SourceActivityView, SourceView};

fn view(config: &SourceConfig, state: &SourceState) -> SourceView {
    SourceView {
        config: serde_json::to_value(config).unwrap_or_default(),
        state: serde_json::to_value(state).unwrap_or_default(),
    }
}

/// Checks a configuration the way the poller will use it.
pub(crate) fn validate(config: &SourceConfig) -> ApiResult<()> {
    let invalid = |message: String| ApiError::bad_request("invalid_source", message);
    let id = config.id.as_str();
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(invalid(format!(
            "source id `{id}` must be letters, digits, `-`, `_` or `.`"
        )));
    }
    if id == "activity" {
        return Err(invalid(
            "`activity` is reserved: /api/v1/sources/activity is the sources' activity".into(),
        ));
    }
    let scheme_ok = config.url.starts_with("http://") || config.url.starts_with("https://");
    if !scheme_ok {
        return Err(invalid(format!(
            "url `{}` must start with http:// or https://",
            config.url
        )));
    }
    if config.kind == SourceKind::JsonApi && config.mapping.is_none() {
        return Err(invalid(
            "a json_api source needs a mapping (items, id, fields)".to_string(),
        ));
    }
    vane_sources::headers(&config.headers).map_err(invalid)?;
    Ok(())
}

fn parse(body: serde_json::Value) -> ApiResult<SourceConfig> {
    serde_json::from_value(body).map_err(|error| {
        ApiError::bad_request("invalid_source", format!("invalid source: {error}"))
    })
}

/// Every source with its state.
#[utoipa::path(get, path = "/api/v1/sources", tag = "sources",
    responses((status = 200, body = Vec<SourceView>)))]
pub(crate) async fn list(State(state): State<AppState>) -> ApiResult<Json<Vec<SourceView>>> {
    let sources = state.store.sources().await?;
    Ok(Json(
        sources
            .iter()
            .map(|(config, state)| view(config, state))
            .collect(),
    ))
}

/// What each source delivered in the last day against its daily average
/// over the week, with its last arrival and the week's dead letters;
/// `source_id` null: pushed or imported documents.
#[utoipa::path(get, path = "/api/v1/sources/activity", tag = "sources",
    responses((status = 200, body = Vec<SourceActivityView>)))]
pub(crate) async fn activity(
    State(state): State<AppState>,
) -> ApiResult<Json<Vec<SourceActivityView>>> {
    let rows = state.store.source_activity(crate::params::now()).await?;
    Ok(Json(
        rows.into_iter()
            .map(|row| SourceActivityView {
                source_id: row.source_id.map(|id| id.as_str().to_string()),
                last_day: row.last_day,
                last_week: row.last_week,
                daily_average: row.last_week as f64 / 7.0,
                last_received: row.last_received.map(|time| time.to_string()),
                dead_letters_week: row.dead_letters_week,
            })
            .collect(),
    ))
}

/// Adds a source (`kind`: `feed` or `json_api`).
#[utoipa::path(post, path = "/api/v1/sources", tag = "sources",
    request_body(content = Object, description = "A source configuration"),
    responses((status = 201, body = SourceView), (status = 400, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub(crate) async fn create(
    State(state): State<AppState>,
    crate::params::ApiJson(body): crate::params::ApiJson<serde_json::Value>,
) -> ApiResult<(StatusCode, Json<SourceView>)> {
    let config = parse(body)?;
    validate(&config)?;
    if state.store.source(&config.id).await?.is_some() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "source_exists",
            format!("source `{}` exists; PUT replaces it", config.id),
        ));
    }
    state.store.put_source(&config).await?;
    Ok((
        StatusCode::CREATED,
        Json(view(&config, &SourceState::default())),
    ))
}

/// One source.
#[utoipa::path(get, path = "/api/v1/sources/{id}", tag = "sources",
    params(("id" = String, Path, description = "Source id")),
    responses((status = 200, body = SourceView), (status = 404, body = ErrorBody)))]
pub(crate) async fn show(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<SourceView>> {
    let (config, source_state) = state
        .store
        .source(&SourceId::new(&id))
        .await?
        .ok_or_else(|| ApiError::not_found("source_not_found", format!("no source `{id}`")))?;
    Ok(Json(view(&config, &source_state)))
}

/// Creates or replaces a source's configuration; its state is kept.
#[utoipa::path(put, path = "/api/v1/sources/{id}", tag = "sources",
    params(("id" = String, Path, description = "Source id")),
    request_body(content = Object, description = "A source configuration"),
    responses((status = 200, body = SourceView), (status = 201, body = SourceView),
        (status = 400, body = ErrorBody)))]
pub(crate) async fn replace(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    crate::params::ApiJson(mut body): crate::params::ApiJson<serde_json::Value>,
) -> ApiResult<(StatusCode, Json<SourceView>)> {
    if let Some(object) = body.as_object_mut() {
        object.insert("id".to_string(), serde_json::Value::String(id.clone()));
    }
    let config = parse(body)?;
    validate(&config)?;
    let created = state.store.put_source(&config).await?;
    let (config, source_state) = state
        .store
        .source(&config.id)
        .await?
        .ok_or_else(|| ApiError::internal("a stored source vanished"))?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(view(&config, &source_state))))
}

/// Removes a source; its documents stay.
#[utoipa::path(delete, path = "/api/v1/sources/{id}", tag = "sources",
    params(("id" = String, Path, description = "Source id")),
    responses((status = 204, description = "Deleted"), (status = 404, body = ErrorBody)))]
pub(crate) async fn remove(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    if state.store.delete_source(&SourceId::new(&id)).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(
            "source_not_found",
            format!("no source `{id}`"),
        ))
    }
}
