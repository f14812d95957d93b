//! Runs the configured pollers on their schedules: every source whose
//! time has come is polled, its documents acknowledged into the inbox, what
//! could not be read dead-lettered, and its state (ETag, cursor, errors,
//! next fetch) stored.

use std::sync::Arc;
use std::time::Duration;

use vane_model::Timestamp;
pub use vane_sources::FetchPolicy;
use vane_sources::Fetcher;
use vane_store::{InboxItem, NewDeadLetter};

use crate::{Pipeline, PipelineError};

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs() as i64)
}

/// Polls every due source once; how many were polled.
pub async fn poll_due_sources(
    pipeline: &Pipeline,
    fetcher: &Fetcher,
) -> Result<usize, PipelineError> {
    let store = pipeline.store();
    let mut polled = 0;
    for (config, state) in store.sources().await? {
        let now = now();
        if !config.enabled || state.next_fetch_at.is_some_and(|next| next > now) {
            continue;
        }
        polled += 1;
        let outcome = vane_sources::poll(fetcher, &config, &state, now).await;
        if let Some(error) = &outcome.state.last_error {
            tracing::warn!(source = %config.id, "poll failed: {error}");
        }
        let items: Vec<InboxItem> = outcome
            .documents
            .into_iter()
            .map(|document| InboxItem {
                source_id: Some(config.id.clone()),
                received_at: Timestamp(now),
                document,
            })
            .collect();
        let dead_letters: Vec<NewDeadLetter> = outcome
            .rejected
            .into_iter()
            .map(|rejected| NewDeadLetter {
                at: Timestamp(now),
                source_id: Some(config.id.clone()),
                item_id: rejected.item_id,
                reason: rejected.reason,
                payload: rejected.payload,
            })
            .collect();
        if !items.is_empty() || !dead_letters.is_empty() {
            pipeline.submit(items, dead_letters).await?;
        }
        store.set_source_state(&config.id, &outcome.state).await?;
    }
    Ok(polled)
}

/// Polls sources on their schedules until `shutdown` resolves.
pub async fn run_sources(
    pipeline: Arc<Pipeline>,
    policy: FetchPolicy,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let fetcher = Fetcher::new(policy);
    tokio::pin!(shutdown);
    loop {
        if let Err(error) = poll_due_sources(&pipeline, &fetcher).await {
            tracing::error!("polling sources failed: {error}");
        }
        tokio::select! {
            _ = &mut shutdown => return,
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
        }
    }
}
