//! Replaying warnings over history: documents go through the whole
//! pipeline into a store (sentiment scored, topics matched), in order of
//! publication with each document's `published_at` as the clock; then the
//! mentions are fed to the warning engine minute by minute. The same input
//! gives the same level changes, to the byte.

use std::collections::BTreeMap;
use std::sync::Arc;

use vane_detect::{Classifier, LevelChange, Observation, TopicWarnings, WarningConfig};
use vane_model::{Document, Timestamp, Topic, TopicId};
use vane_store::{Filter, Store};

use crate::{Pipeline, PipelineConfig, PipelineError, Received};

/// Minutes evaluated after the last mention, so that levels can fall.
const TAIL_MINUTES: i64 = 12 * 60;

/// Runs the pipeline over `documents` into `store` (which should be empty)
/// and replays the warning engine over the resulting mentions.
pub async fn replay_warnings(
    store: Arc<dyn Store>,
    topics: &[Topic],
    mut documents: Vec<Document>,
    config: &WarningConfig,
) -> Result<Vec<LevelChange>, PipelineError> {
    // publication order is the clock; documents without a time take the
    // time of the one before them
    let mut timed: Vec<(Timestamp, Document)> = Vec::with_capacity(documents.len());
    let mut last = Timestamp(0);
    for document in documents.drain(..) {
        let time = document
            .published_at
            .as_deref()
            .and_then(|text| Timestamp::parse(text).ok())
            .unwrap_or(last);
        last = time;
        timed.push((time, document));
    }
    timed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
    let start = timed.first().map_or(Timestamp(0), |(time, _)| *time);
    let pipeline = Pipeline::start(Arc::clone(&store), PipelineConfig::default(), start).await?;
    for topic in topics {
        pipeline.put_topic(topic).await?;
    }
    for chunk in timed.chunks(2_000) {
        let items = chunk
            .iter()
            .map(|(time, document)| Received {
                source_id: None,
                received_at: *time,
                document: document.clone(),
            })
            .collect();
        pipeline.ingest(items, Vec::new()).await?;
    }

    // every mention, oldest first
    let mut mentions = Vec::new();
    let mut cursor = None;
    loop {
        let page = store.mentions(&Filter::default(), cursor, 500).await?;
        mentions.extend(page.items);
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    mentions.reverse();
    let classifier = Classifier::default();
    let mut observations: Vec<(TopicId, Observation)> = mentions
        .into_iter()
        .map(|mention| {
            let document = &mention.document.document;
            let observation = Observation {
                at: mention.document.published_at,
                document_id: document.id.as_str().to_string(),
                site: document.site.clone(),
                channel: document.channel,
                polarity: mention.sentiment,
                authority: classifier.authority(document),
                sensitive: !classifier.sensitivity(document).is_empty(),
                central_media: classifier.central_media(document),
                verified_followers: if document.verified {
                    document.followers
                } else {
                    0
                },
                engagement: document.likes + document.comments + document.shares,
            };
            (mention.topic, observation)
        })
        .collect();
    observations
        .sort_by(|a, b| (a.1.at, &a.0, &a.1.document_id).cmp(&(b.1.at, &b.0, &b.1.document_id)));
    Ok(run_engine(topics, &observations, config))
}

/// Feeds observations to one engine per topic, evaluating at the start of
/// every minute from the first observation to twelve hours after the last.
pub fn run_engine(
    topics: &[Topic],
    observations: &[(TopicId, Observation)],
    config: &WarningConfig,
) -> Vec<LevelChange> {
    let mut engines: BTreeMap<TopicId, TopicWarnings> = topics
        .iter()
        .map(|topic| {
            (
                topic.id.clone(),
                TopicWarnings::new(topic.id.clone(), config.clone()),
            )
        })
        .collect();
    let (Some(first), Some(last)) = (observations.first(), observations.last()) else {
        return Vec::new();
    };
    let first_minute = first.1.at.0.div_euclid(60) + 1;
    let last_minute = last.1.at.0.div_euclid(60) + TAIL_MINUTES;
    let mut changes = Vec::new();
    let mut next = 0;
    for minute in first_minute..=last_minute {
        while next < observations.len() && observations[next].1.at.0.div_euclid(60) < minute {
            let (topic, observation) = &observations[next];
            if let Some(engine) = engines.get_mut(topic) {
                engine.observe(observation);
            }
            next += 1;
        }
        for engine in engines.values_mut() {
            if let Some(change) = engine.evaluate(Timestamp(minute * 60)) {
                changes.push(change);
            }
        }
    }
    changes
}
