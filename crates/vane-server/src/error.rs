//! The one error shape of the API: `{"error": {"code": "…", "message": "…"}}`,
//! with the HTTP status owned by the code. Server errors say nothing
//! internal; the details go to the log.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// An error as the API reports it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable: `invalid_query`, `topic_not_found`, …
    pub code: String,
    /// For people: what is wrong and where.
    pub message: String,
    /// For query errors: the 1-based column the error is at.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

/// An error a handler returns.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub column: Option<usize>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            column: None,
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, message)
    }

    /// A query that does not parse, with its column.
    pub fn invalid_query(error: &vane_query::ParseError) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            code: "invalid_query",
            message: error.to_string(),
            column: Some(error.column),
        }
    }

    pub fn internal(error: impl std::fmt::Display) -> Self {
        tracing::error!("internal error: {error}");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error; the server log has the details",
        )
    }
}

impl From<vane_store::StoreError> for ApiError {
    fn from(error: vane_store::StoreError) -> Self {
        match error {
            vane_store::StoreError::InvalidCursor(_) => {
                ApiError::bad_request("invalid_cursor", error.to_string())
            }
            other => ApiError::internal(other),
        }
    }
}

impl From<vane_pipeline::PipelineError> for ApiError {
    fn from(error: vane_pipeline::PipelineError) -> Self {
        match error {
            vane_pipeline::PipelineError::InvalidTopic { error, .. } => {
                ApiError::invalid_query(&error)
            }
            vane_pipeline::PipelineError::Store(store) => store.into(),
            other => ApiError::internal(other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(ErrorBody {
                error: ErrorDetail {
                    code: self.code.to_string(),
                    message: self.message,
                    column: self.column,
                },
            }),
        )
            .into_response()
    }
}

pub(crate) type ApiResult<T> = Result<T, ApiError>;
