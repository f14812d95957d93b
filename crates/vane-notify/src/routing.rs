//! Where a warning goes: routes by level and topic, throttling, quiet hours
//! (never for red), digests of what quiet hours held back, and muted
//! topics. Pure: time is a parameter.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use vane_detect::Level;
use vane_model::Timestamp;

use crate::message::{Notification, WebhookFormat};

/// A webhook and the message format it speaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookTarget {
    pub url: String,
    pub format: WebhookFormat,
    /// The signing secret of a DingTalk or Feishu robot with signatures on.
    #[serde(default)]
    pub secret: Option<String>,
}

/// An SMTP relay (`host:port`) and the addresses to write to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailTarget {
    pub server: String,
    pub from: String,
    pub to: Vec<String>,
}

/// Where a route delivers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Target {
    Webhook(WebhookTarget),
    Email(EmailTarget),
}

/// Hours in which only red goes out at once; the rest waits for a digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietHours {
    /// Local hour the quiet begins (0–23)…
    pub start_hour: u8,
    /// …and ends (exclusive); may wrap past midnight (23 → 7).
    pub end_hour: u8,
    /// The team's time zone as minutes east of UTC (480 for China).
    pub utc_offset_minutes: i32,
}

impl QuietHours {
    pub fn contains(&self, time: Timestamp) -> bool {
        let local = time.0 + i64::from(self.utc_offset_minutes) * 60;
        let hour = (local.rem_euclid(86_400) / 3_600) as u8;
        if self.start_hour <= self.end_hour {
            (self.start_hour..self.end_hour).contains(&hour)
        } else {
            hour >= self.start_hour || hour < self.end_hour
        }
    }
}

/// A routing rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    pub name: String,
    /// Changes to or from at least this level go out.
    pub min_level: Level,
    /// Only these topics; empty: all.
    #[serde(default)]
    pub topics: Vec<String>,
    pub targets: Vec<Target>,
    /// After a notification for a topic, nothing more for it within this
    /// many minutes unless the level rises.
    #[serde(default)]
    pub throttle_minutes: i64,
    #[serde(default)]
    pub quiet_hours: Option<QuietHours>,
}

/// A notification to deliver to a route's targets.
#[derive(Debug, Clone, PartialEq)]
pub struct Dispatch {
    pub route: String,
    pub targets: Vec<Target>,
    pub notification: Notification,
}

/// The routes and what they remember.
#[derive(Debug, Default)]
pub struct Router {
    routes: Vec<Route>,
    /// (route, topic) → when and at which level it was last notified.
    last_sent: HashMap<(usize, String), (i64, Level)>,
    /// Per route, what quiet hours held back.
    held: HashMap<usize, Vec<Notification>>,
    /// Topic → muted until (Unix seconds).
    muted: HashMap<String, i64>,
}

impl Router {
    pub fn new(routes: Vec<Route>) -> Router {
        Router {
            routes,
            ..Router::default()
        }
    }

    /// Mutes a topic's notifications until `until`; red still goes out.
    pub fn mute(&mut self, topic: &str, until: Timestamp) {
        self.muted.insert(topic.to_string(), until.0);
    }

    pub fn unmute(&mut self, topic: &str) {
        self.muted.remove(topic);
    }

    /// What to send now for a level change.
    pub fn route(&mut self, notification: &Notification, now: Timestamp) -> Vec<Dispatch> {
        let mut out = Vec::new();
        let red = notification.level == Level::Red;
        if !red
            && self
                .muted
                .get(&notification.topic)
                .is_some_and(|&until| now.0 < until)
        {
            return out;
        }
        for (index, route) in self.routes.iter().enumerate() {
            // a change matters to a route when either side reaches its level
            if notification.level.max(notification.previous) < route.min_level
                || (!route.topics.is_empty() && !route.topics.contains(&notification.topic))
            {
                continue;
            }
            let key = (index, notification.topic.clone());
            if let Some(&(when, level)) = self.last_sent.get(&key)
                && now.0 - when < route.throttle_minutes * 60
                && notification.level <= level
            {
                continue;
            }
            if !red && route.quiet_hours.is_some_and(|quiet| quiet.contains(now)) {
                self.held
                    .entry(index)
                    .or_default()
                    .push(notification.clone());
                continue;
            }
            self.last_sent.insert(key, (now.0, notification.level));
            out.push(Dispatch {
                route: route.name.clone(),
                targets: route.targets.clone(),
                notification: notification.clone(),
            });
        }
        out
    }

    /// Digests of what quiet hours held back, for routes whose quiet hours
    /// are over: the latest change with the others listed.
    pub fn flush_digests(&mut self, now: Timestamp) -> Vec<Dispatch> {
        let mut out = Vec::new();
        let mut indexes: Vec<usize> = self.held.keys().copied().collect();
        indexes.sort_unstable();
        for index in indexes {
            let route = &self.routes[index];
            if route.quiet_hours.is_some_and(|quiet| quiet.contains(now)) {
                continue;
            }
            let Some(held) = self.held.remove(&index).filter(|held| !held.is_empty()) else {
                continue;
            };
            let mut latest = held[held.len() - 1].clone();
            latest.digest = held[..held.len() - 1]
                .iter()
                .map(|earlier| {
                    format!(
                        "{} {} → {} at {} (score {:.1})",
                        earlier.topic_name,
                        earlier.previous.as_str(),
                        earlier.level.as_str(),
                        earlier.at,
                        earlier.score
                    )
                })
                .collect();
            self.last_sent
                .insert((index, latest.topic.clone()), (now.0, latest.level));
            out.push(Dispatch {
                route: route.name.clone(),
                targets: route.targets.clone(),
                notification: latest,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notification(topic: &str, previous: Level, level: Level) -> Notification {
        Notification {
            topic: topic.to_string(),
            topic_name: topic.to_string(),
            level,
            previous,
            at: "2026-03-16T10:00:00Z".to_string(),
            score: 50.0,
            reasons: Vec::new(),
            link: String::new(),
            digest: Vec::new(),
        }
    }

    fn route(min_level: Level, quiet: Option<QuietHours>) -> Route {
        Route {
            name: "pr-team".to_string(),
            min_level,
            topics: Vec::new(),
            targets: vec![Target::Webhook(WebhookTarget {
                url: "http://sink.example/".to_string(),
                format: WebhookFormat::Generic,
                secret: None,
            })],
            throttle_minutes: 60,
            quiet_hours: quiet,
        }
    }

    /// 2026-03-16 at `hour`:00 in China (UTC+8).
    fn china(hour: i64) -> Timestamp {
        Timestamp(1_773_619_200 - 8 * 3_600 + hour * 3_600)
    }

    #[test]
    fn levels_below_the_route_do_not_go_out_and_escalations_pass_the_throttle() {
        let mut router = Router::new(vec![route(Level::Yellow, None)]);
        assert!(
            router
                .route(&notification("mi", Level::None, Level::Blue), china(10))
                .is_empty()
        );
        assert_eq!(
            router
                .route(&notification("mi", Level::Blue, Level::Yellow), china(10))
                .len(),
            1
        );
        // within the throttle: a repeat is held, an escalation is not
        assert!(
            router
                .route(&notification("mi", Level::Orange, Level::Yellow), china(10))
                .is_empty()
        );
        assert_eq!(
            router
                .route(&notification("mi", Level::Yellow, Level::Orange), china(10))
                .len(),
            1
        );
        // after the throttle, the fall is told
        assert_eq!(
            router
                .route(&notification("mi", Level::Orange, Level::Yellow), china(12))
                .len(),
            1
        );
    }

    #[test]
    fn quiet_hours_hold_all_but_red_and_release_a_digest() {
        let quiet = QuietHours {
            start_hour: 23,
            end_hour: 7,
            utc_offset_minutes: 480,
        };
        assert!(quiet.contains(china(2)) && quiet.contains(china(23)) && !quiet.contains(china(7)));
        let mut router = Router::new(vec![route(Level::Blue, Some(quiet))]);
        assert!(
            router
                .route(&notification("mi", Level::None, Level::Yellow), china(2))
                .is_empty()
        );
        assert!(
            router
                .route(&notification("hw", Level::None, Level::Blue), china(3))
                .is_empty()
        );
        let red = router.route(&notification("mi", Level::Yellow, Level::Red), china(4));
        assert_eq!(red.len(), 1, "red is never held");
        assert!(router.flush_digests(china(5)).is_empty(), "still quiet");
        let digest = router.flush_digests(china(7));
        assert_eq!(digest.len(), 1);
        assert_eq!(digest[0].notification.topic, "hw");
        assert_eq!(digest[0].notification.digest.len(), 1);
        assert!(digest[0].notification.digest[0].starts_with("mi none → yellow"));
        assert!(router.flush_digests(china(8)).is_empty());
    }

    #[test]
    fn muted_topics_stay_silent_except_for_red() {
        let mut router = Router::new(vec![route(Level::Blue, None)]);
        router.mute("mi", china(12));
        assert!(
            router
                .route(&notification("mi", Level::None, Level::Orange), china(10))
                .is_empty()
        );
        assert_eq!(
            router
                .route(&notification("mi", Level::Orange, Level::Red), china(10))
                .len(),
            1
        );
        assert_eq!(
            router
                .route(&notification("hw", Level::None, Level::Blue), china(10))
                .len(),
            1
        );
    }
}
