//! `/healthz` and the JSON 404 of unknown paths.

use axum::Json;
use axum::http::Uri;

use crate::error::{ApiError, ApiResult};
use crate::wire::Health;

/// The process is up and serving.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "Serving", body = Health)))]
pub(crate) async fn health() -> Json<Health> {
    Json(Health {
        status: "ok".to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
    })
}

pub(crate) async fn not_found(uri: Uri) -> ApiResult<()> {
    Err(ApiError::not_found(
        "not_found",
        format!(
            "no such endpoint: {}; the API is described at /api/v1/openapi.json",
            uri.path()
        ),
    ))
}
