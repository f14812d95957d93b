//! Reading query parameters and bodies, with the API's error shape for
//! anything malformed (axum's own rejections are plain text).

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use vane_model::{Channel, Polarity, Timestamp, TopicId};
use vane_store::{Cursor, Filter};

use crate::error::ApiError;

/// `Query<T>` whose rejection is an [`ApiError`].
#[derive(Debug)]
pub(crate) struct ApiQuery<T>(pub(crate) T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|query| ApiQuery(query.0))
            .map_err(|rejection| ApiError::bad_request("invalid_parameter", rejection.body_text()))
    }
}

/// `Path<T>` whose rejection is an [`ApiError`] (axum's is plain text).
#[derive(Debug)]
pub(crate) struct ApiPath<T>(pub(crate) T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|path| ApiPath(path.0))
            .map_err(|rejection| ApiError::bad_request("invalid_path", rejection.body_text()))
    }
}

/// `Json<T>` whose rejection is an [`ApiError`].
#[derive(Debug)]
pub(crate) struct ApiJson<T>(pub(crate) T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::Json::<T>::from_request(request, state)
            .await
            .map(|json| ApiJson(json.0))
            .map_err(|rejection| ApiError::bad_request("invalid_body", rejection.body_text()))
    }
}

pub(crate) fn time(name: &str, value: Option<&str>) -> Result<Option<Timestamp>, ApiError> {
    value
        .filter(|text| !text.is_empty())
        .map(|text| {
            Timestamp::parse(text).map_err(|error| {
                ApiError::bad_request("invalid_parameter", format!("{name}: {error}"))
            })
        })
        .transpose()
}

pub(crate) fn limit(value: Option<&str>, default: usize) -> Result<usize, ApiError> {
    match value.filter(|text| !text.is_empty()) {
        None => Ok(default),
        Some(text) => match text.parse::<usize>() {
            Ok(limit @ 1..=500) => Ok(limit),
            _ => Err(ApiError::bad_request(
                "invalid_parameter",
                format!("limit must be a number from 1 to 500, not `{text}`"),
            )),
        },
    }
}

pub(crate) fn cursor(value: Option<&str>) -> Result<Option<Cursor>, ApiError> {
    value
        .filter(|text| !text.is_empty())
        .map(|text| text.parse::<Cursor>().map_err(ApiError::from))
        .transpose()
}

/// A cursor of a list paged by sequence number.
pub(crate) fn seq_cursor(value: Option<&str>) -> Result<Option<i64>, ApiError> {
    value
        .filter(|text| !text.is_empty())
        .map(|text| {
            text.parse::<i64>().map_err(|_| {
                ApiError::bad_request("invalid_cursor", format!("invalid cursor `{text}`"))
            })
        })
        .transpose()
}

pub(crate) fn channel(value: Option<&str>) -> Result<Option<Channel>, ApiError> {
    value
        .filter(|text| !text.is_empty())
        .map(|text| {
            text.parse::<Channel>().map_err(|error| {
                ApiError::bad_request("invalid_parameter", format!("channel: {error}"))
            })
        })
        .transpose()
}

/// The conditions common to lists.
#[allow(clippy::too_many_arguments)]
pub(crate) fn filter(
    topic: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
    channel_name: Option<&str>,
    sentiment: Option<&str>,
    site: Option<&str>,
    lang: Option<&str>,
) -> Result<Filter, ApiError> {
    let nonempty = |value: Option<&str>| value.filter(|text| !text.is_empty()).map(str::to_string);
    Ok(Filter {
        topic: nonempty(topic).map(TopicId::new),
        from: time("from", from)?,
        to: time("to", to)?,
        channel: channel(channel_name)?,
        sentiment: nonempty(sentiment)
            .map(|text| {
                text.parse::<Polarity>()
                    .map_err(|error| ApiError::bad_request("invalid_parameter", error))
            })
            .transpose()?,
        site: nonempty(site),
        lang: nonempty(lang),
    })
}

/// A time range from `from` and `to` parameters: `to` defaults to now,
/// `from` to seven days before `to`, and `from` must come first.
pub(crate) fn range(
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(Timestamp, Timestamp), ApiError> {
    let to = time("to", to)?.unwrap_or_else(now);
    let from = time("from", from)?.unwrap_or(Timestamp(to.0 - 7 * 86_400));
    if from >= to {
        return Err(ApiError::bad_request(
            "invalid_parameter",
            "from must be before to",
        ));
    }
    Ok((from, to))
}

pub(crate) fn now() -> Timestamp {
    Timestamp(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs() as i64),
    )
}

/// The list filters of a parameter struct with the fields `topic`, `from`,
/// `to`, `channel`, `sentiment`, `site` and `lang`.
macro_rules! filter_of {
    ($($params:ty),*) => {
        $(impl $params {
            pub(crate) fn filter(&self) -> Result<Filter, ApiError> {
                crate::params::filter(
                    self.topic.as_deref(),
                    self.from.as_deref(),
                    self.to.as_deref(),
                    self.channel.as_deref(),
                    self.sentiment.as_deref(),
                    self.site.as_deref(),
                    self.lang.as_deref(),
                )
            }
        })*
    };
}

filter_of!(
    crate::wire::ListParams,
    crate::wire::SearchParams,
    crate::wire::StoryParams
);
