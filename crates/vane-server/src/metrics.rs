//! `/metrics` in the Prometheus text format: ingest counters, queue depth,
//! store sizes, dead letters and per-source poller health.

use std::fmt::Write;
use std::sync::atomic::Ordering;

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

use crate::AppState;
use crate::error::ApiResult;

fn metric(out: &mut String, name: &str, kind: &str, help: &str, value: impl std::fmt::Display) {
    let _ = writeln!(
        out,
        "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}"
    );
}

/// Prometheus metrics.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Prometheus text format", content_type = "text/plain", body = String)))]
pub(crate) async fn metrics(State(state): State<AppState>) -> ApiResult<impl IntoResponse> {
    let counters = &state.pipeline.metrics;
    let counts = state.store.counts().await?;
    let uptime = state.started.elapsed().as_secs_f64();
    let stored = counters.stored.load(Ordering::Relaxed);
    let mut out = String::new();
    metric(
        &mut out,
        "vane_uptime_seconds",
        "gauge",
        "Seconds since the process started.",
        format!("{uptime:.3}"),
    );
    metric(
        &mut out,
        "vane_items_received_total",
        "counter",
        "Items received from sources, pushes and imports.",
        counters.received.load(Ordering::Relaxed),
    );
    metric(
        &mut out,
        "vane_documents_stored_total",
        "counter",
        "New documents stored by this process.",
        stored,
    );
    metric(
        &mut out,
        "vane_ingest_documents_per_second",
        "gauge",
        "Documents stored per second, averaged since start.",
        format!("{:.3}", stored as f64 / uptime.max(1e-3)),
    );
    metric(
        &mut out,
        "vane_duplicates_total",
        "counter",
        "Items already stored or queued.",
        counters.duplicates.load(Ordering::Relaxed),
    );
    metric(
        &mut out,
        "vane_dead_letters_total",
        "counter",
        "Items that could not become documents, since start.",
        counters.dead_letters.load(Ordering::Relaxed),
    );
    metric(
        &mut out,
        "vane_mentions_total",
        "counter",
        "Mentions created by this process.",
        counters.mentions.load(Ordering::Relaxed),
    );
    metric(
        &mut out,
        "vane_pipeline_batches_total",
        "counter",
        "Batches processed.",
        counters.batches.load(Ordering::Relaxed),
    );
    metric(
        &mut out,
        "vane_pipeline_seconds_total",
        "counter",
        "Time spent in the stages and commits.",
        format!(
            "{:.6}",
            counters.processing_micros.load(Ordering::Relaxed) as f64 / 1e6
        ),
    );
    metric(
        &mut out,
        "vane_inbox_depth",
        "gauge",
        "Acknowledged items waiting for the pipeline.",
        counts.inbox,
    );
    metric(
        &mut out,
        "vane_documents",
        "gauge",
        "Documents in the store.",
        counts.documents,
    );
    metric(
        &mut out,
        "vane_mentions",
        "gauge",
        "Mentions in the store.",
        counts.mentions,
    );
    metric(
        &mut out,
        "vane_dead_letters",
        "gauge",
        "Dead letters in the store.",
        counts.dead_letters,
    );
    metric(
        &mut out,
        "vane_topics",
        "gauge",
        "Monitoring topics.",
        counts.topics,
    );
    let sources = state.store.sources().await?;
    let families: [(&str, &str, &str); 4] = [
        (
            "vane_source_fetches_total",
            "counter",
            "Fetches per source.",
        ),
        (
            "vane_source_errors_total",
            "counter",
            "Failed fetches per source.",
        ),
        (
            "vane_source_items_total",
            "counter",
            "Items fetched per source.",
        ),
        (
            "vane_source_consecutive_failures",
            "gauge",
            "Failures since the last success, per source.",
        ),
    ];
    for (index, (name, kind, help)) in families.iter().enumerate() {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
        for (config, source_state) in &sources {
            let value = match index {
                0 => source_state.fetches,
                1 => source_state.errors,
                2 => source_state.items,
                _ => u64::from(source_state.consecutive_failures),
            };
            let label = config
                .id
                .as_str()
                .replace('\\', "\\\\")
                .replace('"', "\\\"");
            let _ = writeln!(out, "{name}{{source=\"{label}\"}} {value}");
        }
    }
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out))
}
