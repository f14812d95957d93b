//! `/api/v1/stream`: new mentions (`event: mention`, each in the shape of
//! an item of `/api/v1/mentions`) and warning level
//! changes (`event: warning`) as server-sent events with JSON data,
//! optionally for one topic. A slow client skips what it
//! missed rather than holding the pipeline up.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use crate::AppState;
use crate::params::ApiQuery;
use crate::wire::{MentionView, StreamParams};

/// The live stream of new mentions and warning level changes.
#[utoipa::path(get, path = "/api/v1/stream", tag = "mentions", params(StreamParams),
    responses((status = 200, description = "Server-sent events: `mention` (JSON in the shape of an item of `/api/v1/mentions`) and `warning` (JSON)", content_type = "text/event-stream", body = String)))]
pub(crate) async fn stream(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<StreamParams>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let topic = query.topic.filter(|topic| !topic.is_empty());
    let warning_topic = topic.clone();
    let mentions = BroadcastStream::new(state.pipeline.subscribe()).filter_map(move |event| {
        let event = event.ok()?;
        if topic
            .as_deref()
            .is_some_and(|topic| topic != event.mention.topic.as_str())
        {
            return None;
        }
        let data = serde_json::to_string(&MentionView::live(&event)).ok()?;
        Some(Ok(Event::default().event("mention").data(data)))
    });
    let warnings =
        BroadcastStream::new(state.pipeline.subscribe_warnings()).filter_map(move |change| {
            let change = change.ok()?;
            if warning_topic
                .as_deref()
                .is_some_and(|topic| topic != change.topic.as_str())
            {
                return None;
            }
            let data = serde_json::to_string(&change).ok()?;
            Some(Ok(Event::default().event("warning").data(data)))
        });
    Sse::new(mentions.merge(warnings))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
