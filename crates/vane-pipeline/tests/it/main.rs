//! The pipeline end to end over a real SQLite store: stages, idempotence,
//! dead letters, the inbox, restarts, search against the matcher, rollups,
//! and the feed poller against a local HTTP server.

mod pipeline;
mod poller;
mod warnings;

use std::sync::Arc;

use vane_model::{Channel, Document, DocumentId, Timestamp, Topic, TopicId};
use vane_pipeline::{Pipeline, PipelineConfig, Received};
use vane_store::Store;

/// A store in a fresh temporary directory (kept alive by the guard).
pub(crate) async fn store() -> (tempfile::TempDir, Arc<dyn Store>) {
    let directory = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", directory.path().join("vane.db").display());
    let store = vane_store::open(&url).await.unwrap();
    (directory, store)
}

pub(crate) async fn pipeline_with(store: Arc<dyn Store>, topics: &[(&str, &str)]) -> Arc<Pipeline> {
    pipeline_configured(store, PipelineConfig::default(), topics).await
}

/// A pipeline with `config` over `store`, with these topics.
pub(crate) async fn pipeline_configured(
    store: Arc<dyn Store>,
    config: PipelineConfig,
    topics: &[(&str, &str)],
) -> Arc<Pipeline> {
    let pipeline = Pipeline::start(store, config, Timestamp(1_795_000_000))
        .await
        .unwrap();
    for (id, query) in topics {
        pipeline
            .put_topic(&Topic {
                id: TopicId::new(*id),
                name: String::new(),
                query: query.to_string(),
                brand: None,
                competitor: false,
                enabled: true,
            })
            .await
            .unwrap();
    }
    pipeline
}

pub(crate) fn document(id: &str, title: &str, body: &str, minute: i64) -> Document {
    Document {
        id: DocumentId::new(id),
        title: title.to_string(),
        body: body.to_string(),
        url: format!("https://news.example.com/{id}"),
        channel: Some(Channel::News),
        likes: 3,
        comments: 2,
        shares: 1,
        published_at: Some(Timestamp(1_795_000_000 + minute * 60).to_string()),
        ..Document::default()
    }
}

pub(crate) fn received(document: Document) -> Received {
    Received {
        source_id: None,
        received_at: Timestamp(1_795_000_000),
        document,
    }
}
