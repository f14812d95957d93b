//! Vane's pipeline: items from sources go into the durable inbox, a worker
//! drains it in batches through the stages (`stages.rs`) and commits the
//! results, removing the inbox entries in the same transaction.
//!
//! Delivery is at least once and writes are idempotent: an item is
//! acknowledged when its inbox row is committed; a crash before the
//! commit of its batch leaves it in the inbox, and a crash after leaves it
//! stored, never both. A document id already stored is a duplicate, at
//! the inbox and again at the commit.
//!
//! [`Pipeline::ingest`] runs the same stages over items that need no
//! acknowledgement (a file the user can import again), committing them
//! straight to the store.

mod alerts;
mod replay;
mod scheduler;
mod stages;

pub use alerts::Alerts;
pub use replay::{replay_warnings, run_engine};
pub use scheduler::{FetchPolicy, poll_due_sources, run_sources};
pub use stages::{Analyser, PipelineConfig, Processed, Received, payload_excerpt};

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use tokio::sync::{Notify, broadcast};
use vane_model::{Timestamp, Topic, TopicId};
use vane_query::Query;
use vane_store::{
    Commit, Enqueued, InboxItem, NewDeadLetter, NewDocument, NewMention, Store, StoreError,
};

/// What can stop the pipeline.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("topic `{topic}` has an invalid query: {error}")]
    InvalidTopic {
        topic: TopicId,
        error: vane_query::ParseError,
    },
    #[error("the pipeline worker stopped: {0}")]
    Worker(String),
}

/// A new mention, as the live stream announces it: the topic's match and
/// the whole new document, shared by the document's mentions.
#[derive(Debug, Clone)]
pub struct MentionEvent {
    pub mention: NewMention,
    pub document: Arc<NewDocument>,
}

/// Counters since the process started, for `/metrics`.
#[derive(Debug, Default)]
pub struct Metrics {
    pub received: AtomicU64,
    pub stored: AtomicU64,
    pub duplicates: AtomicU64,
    pub dead_letters: AtomicU64,
    pub mentions: AtomicU64,
    pub batches: AtomicU64,
    /// Microseconds spent in the stages and the commit.
    pub processing_micros: AtomicU64,
}

/// How an ingest went: the one-line summary `vane ingest` prints.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct IngestSummary {
    pub read: u64,
    pub new: u64,
    pub duplicates: u64,
    pub dead_letters: u64,
    pub seconds: f64,
}

/// A batch through the stages, not yet stored ([`Pipeline::prepare`]).
#[derive(Debug)]
pub struct Prepared {
    commit: Commit,
    read: u64,
    fresh: u64,
    dead: u64,
    rejected: u64,
    micros: u64,
}

impl Prepared {
    /// Items the batch held, dead letters included.
    pub fn read(&self) -> u64 {
        self.read
    }

    /// Adds a later batch, to be stored in the same transaction: after this
    /// one's documents, as if both had been one batch.
    pub fn absorb(&mut self, later: Prepared) {
        let Prepared {
            commit,
            read,
            fresh,
            dead,
            rejected,
            micros,
        } = later;
        self.commit.documents.extend(commit.documents);
        self.commit.dead_letters.extend(commit.dead_letters);
        self.commit.inbox_done.extend(commit.inbox_done);
        self.read += read;
        self.fresh += fresh;
        self.dead += dead;
        self.rejected += rejected;
        self.micros += micros;
    }
}

/// The pipeline of one process: the stages' state, the store, the live
/// stream of new mentions.
#[derive(Debug)]
pub struct Pipeline {
    store: Arc<dyn Store>,
    analyser: Arc<Mutex<Analyser>>,
    events: broadcast::Sender<MentionEvent>,
    wake: Notify,
    pub metrics: Metrics,
    /// The live warning engines and notification routes.
    pub alerts: Alerts,
    live_warnings: bool,
    warning_events: broadcast::Sender<vane_detect::LevelChange>,
}

fn lock(analyser: &Mutex<Analyser>) -> std::sync::MutexGuard<'_, Analyser> {
    // a panic while holding the lock leaves consistent state: every
    // mutation is a single call on plain data
    analyser
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Pipeline {
    /// A pipeline over `store`: its topics compiled, the story index of
    /// the window rebuilt from stored documents.
    pub async fn start(
        store: Arc<dyn Store>,
        config: PipelineConfig,
        now: Timestamp,
    ) -> Result<Arc<Pipeline>, PipelineError> {
        let since = Timestamp(now.0 - config.story_window_seconds);
        let alerts = Alerts::new(config.warnings.clone(), config.routes.clone());
        let live_warnings = config.live_warnings;
        let mut analyser = Analyser::new(config);
        for topic in store.topics().await? {
            if !topic.enabled {
                continue;
            }
            match Query::parse(&topic.query) {
                Ok(query) => analyser.set_topic(topic.id, &topic.query, query),
                Err(error) => {
                    tracing::warn!(topic = %topic.id, "stored topic does not parse: {error}")
                }
            }
        }
        // the story index of the window: a page's keys are computed while
        // the next page is read
        const RESTORE_PAGE: usize = 5_000;
        type Keyed = (
            Vec<vane_store::StoredStoryMember>,
            Vec<vane_detect::StoryKey>,
        );
        let mut numbers = std::collections::HashMap::new();
        let mut after = None;
        let mut more = true;
        let mut computing: Option<tokio::task::JoinHandle<Keyed>> = None;
        while more || computing.is_some() {
            let page = if more {
                store
                    .recent_story_members(since, after, RESTORE_PAGE)
                    .await?
            } else {
                Vec::new()
            };
            more = page.len() == RESTORE_PAGE;
            after = page.last().map(|member| member.seq).or(after);
            if let Some(task) = computing.take() {
                let (members, keys) = task
                    .await
                    .map_err(|error| PipelineError::Worker(error.to_string()))?;
                analyser.restore_documents(&members, keys, &mut numbers);
            }
            if !page.is_empty() {
                computing = Some(tokio::task::spawn_blocking(move || {
                    let keys = Analyser::story_keys(&page);
                    (page, keys)
                }));
            }
        }
        for (topic, story) in store.recent_topic_stories(since).await? {
            analyser.restore_topic_story(topic, story);
        }
        // the warning engines: two weeks of mentions, oldest first, without
        // their text
        const REPLAY_PAGE: usize = 10_000;
        let since = Timestamp(now.0 - 14 * 86_400);
        let mut after: Option<vane_store::WarningMention> = None;
        let mut more = live_warnings;
        while more {
            let page = store
                .warning_mentions(since, after.as_ref(), REPLAY_PAGE)
                .await?;
            for mention in &page {
                alerts.observe_stored(mention);
            }
            more = page.len() == REPLAY_PAGE;
            after = page.into_iter().next_back();
        }
        for (topic, until) in store.mutes().await? {
            alerts.mute(&topic, Some(until));
        }
        let (events, _) = broadcast::channel(4_096);
        let (warning_events, _) = broadcast::channel(256);
        Ok(Arc::new(Pipeline {
            warning_events,
            store,
            analyser: Arc::new(Mutex::new(analyser)),
            events,
            wake: Notify::new(),
            metrics: Metrics::default(),
            alerts,
            live_warnings,
        }))
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The live stream of new mentions.
    pub fn subscribe(&self) -> broadcast::Receiver<MentionEvent> {
        self.events.subscribe()
    }

    /// The live stream of warning level changes (the in-app notification).
    pub fn subscribe_warnings(&self) -> broadcast::Receiver<vane_detect::LevelChange> {
        self.warning_events.subscribe()
    }

    /// Validates, stores and activates a topic.
    pub async fn put_topic(&self, topic: &Topic) -> Result<bool, PipelineError> {
        let query = Query::parse(&topic.query).map_err(|error| PipelineError::InvalidTopic {
            topic: topic.id.clone(),
            error,
        })?;
        let created = self.store.put_topic(topic).await?;
        let mut analyser = lock(&self.analyser);
        if topic.enabled {
            analyser.set_topic(topic.id.clone(), &topic.query, query);
        } else {
            analyser.remove_topic(&topic.id);
        }
        Ok(created)
    }

    pub async fn delete_topic(&self, id: &TopicId) -> Result<bool, PipelineError> {
        let deleted = self.store.delete_topic(id).await?;
        lock(&self.analyser).remove_topic(id);
        Ok(deleted)
    }

    /// Makes the active topics those stored: added, changed and removed
    /// ones are applied; unchanged ones are left alone.
    pub async fn sync_topics(&self) -> Result<(), PipelineError> {
        let stored = self.store.topics().await?;
        let mut analyser = lock(&self.analyser);
        let mut wanted = std::collections::HashSet::new();
        for topic in stored {
            if !topic.enabled {
                continue;
            }
            wanted.insert(topic.id.clone());
            if analyser.query_text(&topic.id) == Some(topic.query.as_str()) {
                continue;
            }
            match Query::parse(&topic.query) {
                Ok(query) => analyser.set_topic(topic.id, &topic.query, query),
                Err(error) => {
                    tracing::warn!(topic = %topic.id, "stored topic does not parse: {error}")
                }
            }
        }
        for id in analyser.topic_ids() {
            if !wanted.contains(&id) {
                analyser.remove_topic(&id);
            }
        }
        Ok(())
    }

    /// Evaluates every topic's warning level at `now`: level changes are
    /// stored and notified.
    pub async fn evaluate_warnings(
        &self,
        now: Timestamp,
    ) -> Result<Vec<vane_detect::LevelChange>, PipelineError> {
        let names = self
            .store
            .topics()
            .await?
            .into_iter()
            .map(|topic| {
                let name = if topic.name.is_empty() {
                    topic.id.as_str().to_string()
                } else {
                    topic.name
                };
                (topic.id, name)
            })
            .collect();
        let changes = self
            .alerts
            .evaluate(self.store.as_ref(), &names, now)
            .await?;
        for change in &changes {
            // nobody listening is fine
            let _ = self.warning_events.send(change.clone());
        }
        Ok(changes)
    }

    /// Mutes a topic's notifications until `until` (red still goes out);
    /// `None` unmutes.
    pub async fn mute_topic(
        &self,
        topic: &TopicId,
        until: Option<Timestamp>,
    ) -> Result<(), PipelineError> {
        self.store.set_mute(topic, until).await?;
        self.alerts.mute(topic, until);
        Ok(())
    }

    /// Acknowledges items into the durable inbox (and dead letters beside
    /// them) and wakes the worker.
    pub async fn submit(
        &self,
        items: Vec<InboxItem>,
        dead_letters: Vec<NewDeadLetter>,
    ) -> Result<Enqueued, PipelineError> {
        let enqueued = self.store.enqueue(&items, &dead_letters).await?;
        self.metrics
            .received
            .fetch_add((items.len() + dead_letters.len()) as u64, Ordering::Relaxed);
        self.metrics
            .duplicates
            .fetch_add(enqueued.duplicates as u64, Ordering::Relaxed);
        self.metrics
            .dead_letters
            .fetch_add(dead_letters.len() as u64, Ordering::Relaxed);
        self.wake.notify_one();
        Ok(enqueued)
    }

    /// Drains the inbox until `shutdown` resolves: the worker of the
    /// embedded mode. A batch is analysed while the one before it is
    /// committed (on two cores the stages and the database each have one);
    /// commits stay in inbox order, one at a time. A store error is logged
    /// and retried after a pause; the items stay in the inbox and are read
    /// again from the oldest.
    pub async fn run_worker(self: Arc<Self>, shutdown: impl std::future::Future<Output = ()>) {
        tokio::pin!(shutdown);
        let mut last_sync = std::time::Instant::now();
        let mut committing: Option<tokio::task::JoinHandle<Result<u64, PipelineError>>> = None;
        // the newest inbox entry handed to a commit: the next batch is after it
        let mut taken: Option<i64> = None;
        loop {
            // topics changed by another process (`vane topics add`) take
            // effect within seconds
            if last_sync.elapsed() >= Duration::from_secs(5) {
                last_sync = std::time::Instant::now();
                if let Err(error) = self.sync_topics().await {
                    tracing::error!("reloading topics failed: {error}");
                }
            }
            // entries up to `taken` are still in the inbox only while their
            // commit runs; once it has landed the inbox may be empty, and
            // SQLite numbers new entries from 1 again
            let after = if committing.is_some() { taken } else { None };
            let failed = match self.next_batch(after).await {
                Ok(Some((commit, micros))) => {
                    let last = commit.inbox_done.last().copied();
                    // the batch before lands first
                    let landed = match committing.take() {
                        Some(previous) => Self::landed(previous.await),
                        None => true,
                    };
                    if landed {
                        taken = last;
                        let this = Arc::clone(&self);
                        committing =
                            Some(tokio::spawn(
                                async move { this.commit(commit, micros).await },
                            ));
                        continue;
                    }
                    true
                }
                Ok(None) => match committing.take() {
                    Some(previous) => !Self::landed(previous.await),
                    None => false,
                },
                Err(error) => {
                    tracing::error!("pipeline batch failed, will retry: {error}");
                    // what is being committed may land; what follows is read again
                    if let Some(previous) = committing.take() {
                        Self::landed(previous.await);
                    }
                    true
                }
            };
            tokio::select! {
                _ = &mut shutdown => return,
                _ = self.wake.notified(), if !failed => {}
                _ = tokio::time::sleep(Duration::from_millis(500)) => {}
            }
        }
    }

    /// Whether a spawned commit succeeded, logging why not.
    fn landed(outcome: Result<Result<u64, PipelineError>, tokio::task::JoinError>) -> bool {
        match outcome {
            Ok(Ok(_)) => true,
            Ok(Err(error)) => {
                tracing::error!("pipeline commit failed, will retry: {error}");
                false
            }
            Err(error) => {
                tracing::error!("pipeline commit task failed, will retry: {error}");
                false
            }
        }
    }

    /// The next batch of the inbox after the entry `after`, through the
    /// stages: the commit to make and the microseconds it took. `None`
    /// when nothing is queued.
    async fn next_batch(&self, after: Option<i64>) -> Result<Option<(Commit, u64)>, PipelineError> {
        let batch_size = lock(&self.analyser).config().batch_size;
        let entries = self.store.queued(after, batch_size).await?;
        if entries.is_empty() {
            return Ok(None);
        }
        let started = std::time::Instant::now();
        let inbox_done: Vec<i64> = entries.iter().map(|entry| entry.seq).collect();
        let items = entries
            .into_iter()
            .map(|entry| Received {
                source_id: entry.source_id,
                received_at: entry.received_at,
                document: entry.document,
            })
            .collect();
        let analyser = Arc::clone(&self.analyser);
        let processed = tokio::task::spawn_blocking(move || lock(&analyser).process(items))
            .await
            .map_err(|error| PipelineError::Worker(error.to_string()))?;
        Ok(Some((
            Commit {
                documents: processed.documents,
                dead_letters: processed.dead_letters,
                inbox_done,
            },
            started.elapsed().as_micros() as u64,
        )))
    }

    /// Processes one batch from the inbox and commits it; how many items it
    /// held.
    pub async fn drain_once(&self) -> Result<usize, PipelineError> {
        let Some((commit, micros)) = self.next_batch(None).await? else {
            return Ok(0);
        };
        let count = commit.inbox_done.len();
        self.commit(commit, micros).await?;
        Ok(count)
    }

    /// Runs the stages over items and commits them: the path of a file
    /// import, which needs no inbox (importing again is harmless).
    /// Documents already stored are counted as duplicates without being
    /// processed again.
    pub async fn ingest(
        &self,
        items: Vec<Received>,
        dead_letters: Vec<NewDeadLetter>,
    ) -> Result<IngestSummary, PipelineError> {
        let prepared = self.prepare(items, dead_letters).await?;
        self.store_prepared(prepared).await
    }

    /// The first half of [`Pipeline::ingest`]: the stages. A caller can
    /// store one batch while the next is prepared.
    pub async fn prepare(
        &self,
        items: Vec<Received>,
        dead_letters: Vec<NewDeadLetter>,
    ) -> Result<Prepared, PipelineError> {
        let started = std::time::Instant::now();
        let read = (items.len() + dead_letters.len()) as u64;
        let ids: Vec<&str> = items.iter().map(|item| item.document.id.as_str()).collect();
        let stored: rustc_hash::FxHashSet<String> =
            self.store.stored_ids(&ids).await?.into_iter().collect();
        let mut seen = rustc_hash::FxHashSet::default();
        let fresh: Vec<Received> = items
            .into_iter()
            .filter(|item| {
                let id = item.document.id.as_str();
                !stored.contains(id) && seen.insert(id.to_string())
            })
            .collect();
        let fresh_count = fresh.len() as u64;
        let dead = dead_letters.len() as u64;
        let analyser = Arc::clone(&self.analyser);
        let processed = tokio::task::spawn_blocking(move || lock(&analyser).process(fresh))
            .await
            .map_err(|error| PipelineError::Worker(error.to_string()))?;
        let rejected = processed.dead_letters.len() as u64;
        let mut all_dead = dead_letters;
        all_dead.extend(processed.dead_letters);
        Ok(Prepared {
            commit: Commit {
                documents: processed.documents,
                dead_letters: all_dead,
                inbox_done: Vec::new(),
            },
            read,
            fresh: fresh_count,
            dead,
            rejected,
            micros: started.elapsed().as_micros() as u64,
        })
    }

    /// The second half of [`Pipeline::ingest`]: one commit.
    pub async fn store_prepared(&self, prepared: Prepared) -> Result<IngestSummary, PipelineError> {
        let Prepared {
            commit,
            read,
            fresh,
            dead,
            rejected,
            micros,
        } = prepared;
        self.metrics.received.fetch_add(read, Ordering::Relaxed);
        let new = self.commit(commit, micros).await?;
        let duplicates = read - dead - fresh + (fresh - new - rejected);
        self.metrics
            .duplicates
            .fetch_add(duplicates, Ordering::Relaxed);
        Ok(IngestSummary {
            read,
            new,
            duplicates,
            dead_letters: dead + rejected,
            seconds: 0.0,
        })
    }

    /// Commits a batch, announces its new mentions, counts; returns how
    /// many documents were new.
    async fn commit(&self, batch: Commit, micros: u64) -> Result<u64, PipelineError> {
        let started = std::time::Instant::now();
        let committed = self.store.commit(&batch).await?;
        let mut new = 0u64;
        let mut mentions = 0u64;
        let listening = self.events.receiver_count() > 0;
        let dead_letters = batch.dead_letters.len() as u64;
        for (document, &inserted) in batch.documents.into_iter().zip(&committed.inserted) {
            if !inserted {
                continue;
            }
            new += 1;
            mentions += document.mentions.len() as u64;
            if self.live_warnings {
                self.alerts.observe_new(&document);
            }
            if !listening || document.mentions.is_empty() {
                continue;
            }
            let document = Arc::new(document);
            for mention in &document.mentions {
                // a receiver gone since is fine
                let _ = self.events.send(MentionEvent {
                    mention: mention.clone(),
                    document: Arc::clone(&document),
                });
            }
        }
        let metrics = &self.metrics;
        metrics.stored.fetch_add(new, Ordering::Relaxed);
        metrics.mentions.fetch_add(mentions, Ordering::Relaxed);
        metrics
            .dead_letters
            .fetch_add(dead_letters, Ordering::Relaxed);
        metrics.batches.fetch_add(1, Ordering::Relaxed);
        metrics.processing_micros.fetch_add(
            micros + started.elapsed().as_micros() as u64,
            Ordering::Relaxed,
        );
        Ok(new)
    }
}
