//! `/api/v1/topics/{id}/series`: a topic's time series, from the rollups.

use axum::Json;
use axum::extract::State;
use vane_model::TopicId;
use vane_store::{Bucket, SeriesRequest};

use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::params::{self, ApiPath, ApiQuery};
use crate::wire::{SeriesParams, SeriesPointView, SeriesView};

/// Volume, stories, sentiment split, engagement and reach per bucket.
#[utoipa::path(get, path = "/api/v1/topics/{id}/series", tag = "topics",
    params(("id" = String, Path, description = "Topic id"), SeriesParams),
    responses((status = 200, body = SeriesView), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub(crate) async fn series(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<SeriesParams>,
) -> ApiResult<Json<SeriesView>> {
    let topic = TopicId::new(&id);
    if state.store.topic(&topic).await?.is_none() {
        return Err(ApiError::not_found(
            "topic_not_found",
            format!("no topic `{id}`"),
        ));
    }
    let bucket = match query.bucket.as_deref().filter(|text| !text.is_empty()) {
        None => Bucket::Hour,
        Some(text) => text
            .parse::<Bucket>()
            .map_err(|error| ApiError::bad_request("invalid_parameter", error))?,
    };
    let (from, to) = params::range(query.from.as_deref(), query.to.as_deref())?;
    // a minute series over a year would be half a million points
    if (to.0 - from.0) / bucket.seconds() > 20_000 {
        return Err(ApiError::bad_request(
            "invalid_parameter",
            "more than 20,000 buckets: choose a larger bucket or a shorter range",
        ));
    }
    let points = state
        .store
        .series(&SeriesRequest {
            topic,
            bucket,
            from,
            to,
            channel: params::channel(query.channel.as_deref())?,
        })
        .await?;
    Ok(Json(SeriesView {
        topic: id,
        bucket: format!("{bucket:?}").to_lowercase(),
        from: from.to_string(),
        to: to.to_string(),
        points: points.into_iter().map(SeriesPointView::of).collect(),
    }))
}
