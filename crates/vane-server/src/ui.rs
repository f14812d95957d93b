//! The dashboard: static files compiled into the binary (no Node.js to
//! build or run Vane), a single page that reads everything from
//! `/api/v1/`. ECharts is vendored from the npm package's `dist` with its
//! licence (`assets/vendor/echarts/`).

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// (path under `/ui/`, content type, bytes)
const FILES: &[(&str, &str, &[u8])] = &[
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/app.js"),
    ),
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/app.css"),
    ),
    (
        "vendor/echarts/echarts.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/vendor/echarts/echarts.min.js"),
    ),
    (
        "vendor/echarts/LICENSE",
        "text/plain; charset=utf-8",
        include_bytes!("../assets/vendor/echarts/LICENSE"),
    ),
    (
        "vendor/echarts/NOTICE",
        "text/plain; charset=utf-8",
        include_bytes!("../assets/vendor/echarts/NOTICE"),
    ),
];

const INDEX: &str = include_str!("../assets/index.html");

/// `/`: the dashboard's page.
pub(crate) async fn index() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        INDEX,
    )
        .into_response()
}

/// `/ui/{*path}`: the dashboard's scripts, styles and vendored libraries.
pub(crate) async fn asset(Path(path): Path<String>) -> Response {
    match FILES.iter().find(|(name, _, _)| *name == path) {
        Some((_, content_type, bytes)) => (
            [
                (header::CONTENT_TYPE, *content_type),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            *bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such file").into_response(),
    }
}
