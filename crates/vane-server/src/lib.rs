//! Vane's HTTP server: `/healthz`, `/metrics` (Prometheus text) and the
//! versioned REST API under `/api/v1/`, described by the OpenAPI 3.1
//! document at `/api/v1/openapi.json` that is generated from the handlers
//! below (`openapi.rs`). Handlers live in `routes/`, one module per URL.
//!
//! [`router`] builds the app over an [`AppState`] without a socket, for
//! tests; [`run`] serves it on a bound listener until a shutdown future
//! resolves.

mod error;
mod metrics;
mod openapi;
mod params;
mod routes;
mod ui;
mod wire;

pub use error::{ApiError, ErrorBody};
pub use openapi::openapi_json;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use vane_pipeline::Pipeline;
use vane_store::Store;

/// What every handler can reach.
#[derive(Debug, Clone)]
pub struct AppState {
    pub pipeline: Arc<Pipeline>,
    pub store: Arc<dyn Store>,
    /// The bearer token `POST /api/v1/ingest` requires.
    pub api_token: Arc<str>,
    /// Pushed items larger than this become dead letters.
    pub max_document_bytes: usize,
    pub started: std::time::Instant,
}

/// The largest push body accepted.
const MAX_PUSH_BYTES: usize = 64 << 20;

/// The application's routes.
pub fn router(state: AppState) -> Router {
    use routes::*;
    Router::new()
        .route("/", get(ui::index))
        .route("/ui/{*path}", get(ui::asset))
        .route("/healthz", get(health::health))
        .route("/metrics", get(metrics::metrics))
        .route("/api/v1/openapi.json", get(openapi::serve))
        .route("/api/v1/topics", get(topics::list).post(topics::create))
        .route(
            "/api/v1/topics/{id}",
            get(topics::show)
                .put(topics::replace)
                .delete(topics::remove),
        )
        .route("/api/v1/topics/{id}/series", get(series::series))
        .route("/api/v1/topics/{id}/breakdown", get(breakdown::breakdown))
        .route("/api/v1/query/check", post(query::check))
        .route("/api/v1/query/preview", get(query::preview))
        .route("/api/v1/sources", get(sources::list).post(sources::create))
        .route("/api/v1/sources/activity", get(sources::activity))
        .route(
            "/api/v1/sources/{id}",
            get(sources::show)
                .put(sources::replace)
                .delete(sources::remove),
        )
        .route("/api/v1/mentions", get(mentions::list))
        .route("/api/v1/documents", get(documents::list))
        .route("/api/v1/documents/{id}", get(documents::show))
        .route("/api/v1/search", get(search::search))
        .route("/api/v1/stories", get(stories::list))
        .route("/api/v1/stories/{id}", get(stories::show))
        .route("/api/v1/dead-letters", get(dead_letters::list))
        .route(
            "/api/v1/ingest",
            post(ingest::ingest).layer(DefaultBodyLimit::max(MAX_PUSH_BYTES)),
        )
        .route("/api/v1/stream", get(stream::stream))
        .route("/api/v1/warnings", get(warnings::list))
        .route("/api/v1/warnings/current", get(warnings::current))
        .route(
            "/api/v1/warnings/{seq}/acknowledge",
            post(warnings::acknowledge),
        )
        .route(
            "/api/v1/topics/{id}/mute",
            axum::routing::put(warnings::mute).delete(warnings::unmute),
        )
        .fallback(health::not_found)
        .with_state(state)
}

/// Serves the app on `listener` until `shutdown` resolves.
pub async fn run(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}
