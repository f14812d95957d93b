//! Live warnings: every new mention is observed by its topic's warning
//! engine; `evaluate` (called each minute by `vane serve`) records level
//! changes in the store and sends them where the routes say.

use std::collections::BTreeMap;
use std::sync::Mutex;

use vane_detect::{LevelChange, Observation, TopicWarnings, WarningConfig};
use vane_model::{Timestamp, TopicId};
use vane_notify::{Dispatch, Notification, RetryPolicy, Route, Router, Target};
use vane_store::{NewDocument, NewWarning, Store};

use crate::PipelineError;

/// The engines of all topics and the notification routes.
#[derive(Debug)]
pub struct Alerts {
    config: WarningConfig,
    engines: Mutex<BTreeMap<TopicId, TopicWarnings>>,
    router: Mutex<Router>,
    client: reqwest::Client,
    retry: RetryPolicy,
    /// Links in notifications start here (`http://host:port`), once known.
    pub link_base: std::sync::OnceLock<String>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// What the engine needs of a new document's mention.
pub(crate) fn observation(
    document: &vane_model::Document,
    published: Timestamp,
    signals: &vane_store::Signals,
    polarity: vane_model::Polarity,
) -> Observation {
    Observation {
        at: published,
        document_id: document.id.as_str().to_string(),
        site: document.site.clone(),
        channel: document.channel,
        polarity,
        authority: signals.authority,
        sensitive: !signals.sensitivity.is_empty(),
        central_media: signals.central_media,
        verified_followers: if document.verified {
            document.followers
        } else {
            0
        },
        engagement: document.likes + document.comments + document.shares,
    }
}

impl Alerts {
    pub fn new(config: WarningConfig, routes: Vec<Route>) -> Alerts {
        Alerts {
            config,
            engines: Mutex::new(BTreeMap::new()),
            router: Mutex::new(Router::new(routes)),
            client: reqwest::Client::new(),
            retry: RetryPolicy::default(),
            link_base: std::sync::OnceLock::new(),
        }
    }

    pub fn observe(&self, topic: &TopicId, observation: &Observation) {
        let mut engines = lock(&self.engines);
        engines
            .entry(topic.clone())
            .or_insert_with(|| TopicWarnings::new(topic.clone(), self.config.clone()))
            .observe(observation);
    }

    /// Observes the mentions of a committed document.
    pub(crate) fn observe_new(&self, document: &NewDocument) {
        for mention in &document.mentions {
            let observation = observation(
                &document.document,
                document.published_at,
                &document.signals,
                mention.sentiment,
            );
            self.observe(&mention.topic, &observation);
        }
    }

    /// Observes a stored mention (rebuilding after a restart).
    pub(crate) fn observe_stored(&self, mention: &vane_store::WarningMention) {
        let observation = Observation {
            at: mention.published_at,
            document_id: mention.document_id.clone(),
            site: mention.site.clone(),
            channel: mention.channel,
            polarity: mention.sentiment,
            authority: mention.signals.authority,
            sensitive: !mention.signals.sensitivity.is_empty(),
            central_media: mention.signals.central_media,
            verified_followers: if mention.verified {
                mention.followers
            } else {
                0
            },
            engagement: mention.engagement,
        };
        self.observe(&mention.topic, &observation);
    }

    /// The current level of every topic with an engine.
    pub fn levels(&self) -> Vec<(TopicId, vane_detect::Level)> {
        lock(&self.engines)
            .iter()
            .map(|(topic, engine)| (topic.clone(), engine.level()))
            .collect()
    }

    pub fn mute(&self, topic: &TopicId, until: Option<Timestamp>) {
        let mut router = lock(&self.router);
        match until {
            Some(until) => router.mute(topic.as_str(), until),
            None => router.unmute(topic.as_str()),
        }
    }

    /// Evaluates every topic at `now`: stores the level changes, sends
    /// their notifications (and digests due), and returns the changes.
    pub async fn evaluate(
        &self,
        store: &dyn Store,
        topic_names: &BTreeMap<TopicId, String>,
        now: Timestamp,
    ) -> Result<Vec<LevelChange>, PipelineError> {
        let changes: Vec<LevelChange> = {
            let mut engines = lock(&self.engines);
            engines
                .values_mut()
                .filter_map(|engine| engine.evaluate(now))
                .collect()
        };
        let mut dispatches = Vec::new();
        for change in &changes {
            store
                .add_warning(&NewWarning {
                    topic: change.topic.clone(),
                    level: change.level.as_str().to_string(),
                    previous: change.previous.as_str().to_string(),
                    at: change.at,
                    score: change.score,
                    evidence: serde_json::to_value(&change.evidence).unwrap_or_default(),
                })
                .await?;
            let name = topic_names
                .get(&change.topic)
                .cloned()
                .unwrap_or_else(|| change.topic.as_str().to_string());
            let base = self.link_base.get().map_or("", String::as_str);
            let link = format!("{base}/api/v1/warnings?topic={}", change.topic);
            let notification = Notification::of(change, &name, &link);
            dispatches.extend(lock(&self.router).route(&notification, now));
        }
        dispatches.extend(lock(&self.router).flush_digests(now));
        for dispatch in dispatches {
            self.deliver(dispatch);
        }
        Ok(changes)
    }

    /// Sends a dispatch in the background; failures are logged.
    fn deliver(&self, dispatch: Dispatch) {
        for target in dispatch.targets {
            let client = self.client.clone();
            let retry = self.retry;
            let notification = dispatch.notification.clone();
            let route = dispatch.route.clone();
            tokio::spawn(async move {
                let result = match &target {
                    Target::Webhook(webhook) => {
                        vane_notify::send_webhook(&client, webhook, &notification, retry).await
                    }
                    Target::Email(email) => {
                        vane_notify::send_email(email, &notification, retry).await
                    }
                };
                match result {
                    Ok(attempts) => {
                        tracing::info!(route, topic = %notification.topic, attempts, "warning delivered")
                    }
                    Err(error) => {
                        tracing::error!(route, topic = %notification.topic, "warning not delivered: {error}")
                    }
                }
            });
        }
    }
}
