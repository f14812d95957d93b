//! Early warning (危机预警): a topic's risk score from its stream of
//! mentions, mapped to the graded levels 蓝 (IV) / 黄 (III) / 橙 (II) / 红 (I)
//! with hysteresis, a minimum duration and a cooldown (DESIGN §6).
//!
//! The engine is pure and replayable: mentions are observed with their
//! publication time, and [`WarningEngine::evaluate`] is called with the
//! clock (one call per minute in a replay); the same history gives the same
//! level changes.
//!
//! The score is 100 × the weighted sum of five components, each in [0, 1]:
//! - **velocity**: the last hour's volume as a robust z-score against the
//!   same hour on earlier days (median and MAD; the same hour of the week
//!   once four weeks are known), mapped by `(z − 2) / 8`; zero during the
//!   first day of a topic (warm-up: nothing to compare with);
//! - **negative**: 0.6 × the level of the negative share of the last three
//!   hours above 30 % (full at 60 %) + 0.4 × its rise above the same
//!   window's share on earlier days (full at +30 points), scaled by the
//!   volume it rests on (full at 30 mentions in the three hours);
//! - **authority**: central and state media, regulators and verified
//!   accounts above a follower threshold in the last three hours,
//!   `1 − e^(−n/2)`;
//! - **sensitivity**: mentions with a sensitivity keyword (safety, recall,
//!   litigation, regulator, data leak, labour, discrimination) in the last
//!   three hours, `1 − e^(−n/8)`;
//! - **spread**: channels with two or more negative mentions in the last
//!   hour, `(channels − 1) / 3` (a brand is on many channels every day; a
//!   complaint on many at once is news).
//!
//! Default weights 0.20 / 0.40 / 0.15 / 0.15 / 0.10; levels from 20 (blue),
//! 35 (yellow), 55 (orange) and 75 (red).
//!
//! Volume, authority and spread amplify negativity, not good news: they are
//! scaled by ½ + ½ × min(1, negative share / 40 %), so a launch that every
//! outlet covers does not read as a crisis.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};
use vane_model::{Channel, Polarity, Timestamp, TopicId};

/// The graded levels, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    None,
    /// 蓝 IV: watch.
    Blue,
    /// 黄 III: moderate.
    Yellow,
    /// 橙 II: serious.
    Orange,
    /// 红 I: critical.
    Red,
}

impl Level {
    pub const RAISED: [Level; 4] = [Level::Blue, Level::Yellow, Level::Orange, Level::Red];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Blue => "blue",
            Level::Yellow => "yellow",
            Level::Orange => "orange",
            Level::Red => "red",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Weights of the components; they are shown with every warning.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WarningWeights {
    pub velocity: f32,
    pub negative: f32,
    pub authority: f32,
    pub sensitivity: f32,
    pub spread: f32,
}

impl Default for WarningWeights {
    fn default() -> Self {
        Self {
            velocity: 0.20,
            negative: 0.40,
            authority: 0.15,
            sensitivity: 0.15,
            spread: 0.10,
        }
    }
}

/// How scores become levels (the `[warnings]` section of the configuration).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WarningConfig {
    pub weights: WarningWeights,
    /// Scores at which blue, yellow, orange and red begin.
    pub thresholds: [f32; 4],
    /// A level is left only when the score stays this far below its threshold…
    pub hysteresis: f32,
    /// …for this many minutes.
    pub hold_minutes: i64,
    /// A level, once entered, lasts at least this long.
    pub minimum_minutes: i64,
    /// After leaving a level, entering it again within this many minutes
    /// needs the score to clear the threshold by the hysteresis margin.
    pub cooldown_minutes: i64,
    /// Days of history kept for the baselines.
    pub history_days: i64,
    /// Rules that raise a level whatever the score.
    pub rules: WarningRules,
}

/// Rules beyond the score: single mentions or plain volumes that a PR team
/// wants to hear about at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WarningRules {
    /// Any mention by central or state media or a regulator raises at
    /// least this level (a negative one at least the next).
    pub central_media: Option<Level>,
    /// A mention with a sensitivity keyword from a verified account with
    /// at least `sensitive_verified_followers` followers raises at least this.
    pub sensitive_verified: Option<Level>,
    pub sensitive_verified_followers: u64,
    /// Plain volume thresholds: at least this many mentions in the last
    /// hour raise at least this level.
    pub volume: Vec<(u32, Level)>,
    /// How long a mention rule holds its level.
    pub hold_minutes: i64,
}

impl Default for WarningRules {
    fn default() -> Self {
        Self {
            central_media: Some(Level::Blue),
            sensitive_verified: Some(Level::Yellow),
            sensitive_verified_followers: 100_000,
            volume: Vec::new(),
            hold_minutes: 120,
        }
    }
}

impl Default for WarningConfig {
    fn default() -> Self {
        Self {
            weights: WarningWeights::default(),
            thresholds: [20.0, 35.0, 55.0, 75.0],
            hysteresis: 5.0,
            hold_minutes: 30,
            minimum_minutes: 30,
            cooldown_minutes: 60,
            history_days: 28,
            rules: WarningRules::default(),
        }
    }
}

/// One mention as the engine sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub at: Timestamp,
    pub document_id: String,
    pub site: String,
    pub channel: Option<Channel>,
    /// Towards the topic's brand.
    pub polarity: Polarity,
    /// Central/state media, a regulator, or a verified account above the
    /// follower threshold (see `classify.rs`).
    pub authority: bool,
    /// Holds a sensitivity keyword.
    pub sensitive: bool,
    /// Central or state media or a regulator (not just a large account).
    pub central_media: bool,
    /// The author's followers when the account is verified, else 0.
    pub verified_followers: u64,
    pub engagement: u64,
}

/// The components of a score, each in [0, 1].
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Components {
    pub velocity: f32,
    pub negative: f32,
    pub authority: f32,
    pub sensitivity: f32,
    pub spread: f32,
}

/// What a level change rests on, for the UI to say why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub components: Components,
    pub weights: WarningWeights,
    /// Mentions in the last hour, and the baseline it was compared with.
    pub volume_last_hour: u32,
    pub baseline_median: f32,
    /// Negative share of the last three hours.
    pub negative_share: f32,
    pub authority_mentions: u32,
    pub sensitive_mentions: u32,
    pub channels: u32,
    /// The most engaging mentions of the last three hours, by document id.
    pub top_mentions: Vec<String>,
    /// The sites with the most mentions in the last three hours.
    pub top_sites: Vec<(String, u32)>,
    /// Rules holding a level, with why.
    pub rules: Vec<String>,
}

/// A change of a topic's level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelChange {
    pub topic: TopicId,
    pub level: Level,
    pub previous: Level,
    pub at: Timestamp,
    /// Rounded to two decimals, so that replays print the same text.
    pub score: f64,
    pub evidence: Evidence,
}

/// Counts of one minute.
#[derive(Debug, Clone, Copy, Default)]
struct Minute {
    mentions: u32,
    negative: u32,
    authority: u32,
    sensitive: u32,
}

/// Recent mentions kept for evidence and channel spread.
#[derive(Debug, Clone)]
struct Recent {
    minute: i64,
    document_id: String,
    site: String,
    channel: Option<Channel>,
    negative: bool,
    engagement: u64,
}

/// The state of one topic.
#[derive(Debug)]
pub struct TopicWarnings {
    topic: TopicId,
    config: WarningConfig,
    /// Per-minute counts from `first_minute`, trimmed to the history kept.
    first_minute: Option<i64>,
    minutes: VecDeque<Minute>,
    recent: VecDeque<Recent>,
    level: Level,
    /// When the current level was entered.
    since: i64,
    /// Since when the score has been below the current level's exit line.
    below_since: Option<i64>,
    /// When each level was last left.
    left: [Option<i64>; 5],
    /// Levels raised by mention rules: from, until (minutes), level, why.
    rule_hits: Vec<(i64, i64, Level, String)>,
}

const WINDOW: i64 = 60;
const SHARE_WINDOW: i64 = 180;
const DAY: i64 = 1_440;
const WEEK: i64 = 7 * DAY;

fn minute_of(time: Timestamp) -> i64 {
    time.0.div_euclid(60)
}

fn median(values: &mut [f32]) -> f32 {
    values.sort_by(f32::total_cmp);
    let middle = values.len() / 2;
    if values.len() % 2 == 1 {
        values[middle]
    } else {
        (values[middle - 1] + values[middle]) / 2.0
    }
}

impl TopicWarnings {
    pub fn new(topic: TopicId, config: WarningConfig) -> Self {
        Self {
            topic,
            config,
            first_minute: None,
            minutes: VecDeque::new(),
            recent: VecDeque::new(),
            level: Level::None,
            since: 0,
            below_since: None,
            left: [None; 5],
            rule_hits: Vec::new(),
        }
    }

    pub fn level(&self) -> Level {
        self.level
    }

    fn slot(&mut self, minute: i64) -> Option<&mut Minute> {
        let first = *self.first_minute.get_or_insert(minute);
        if minute < first {
            // older than anything kept: it only counts if within history
            let missing = (first - minute) as usize;
            if missing as i64 > self.config.history_days * DAY {
                return None;
            }
            for _ in 0..missing {
                self.minutes.push_front(Minute::default());
            }
            self.first_minute = Some(minute);
        }
        let first = self.first_minute.unwrap_or(minute);
        let index = (minute - first) as usize;
        if index >= self.minutes.len() {
            self.minutes.resize(index + 1, Minute::default());
        }
        self.minutes.get_mut(index)
    }

    /// Records a mention.
    pub fn observe(&mut self, observation: &Observation) {
        let minute = minute_of(observation.at);
        if let Some(slot) = self.slot(minute) {
            slot.mentions += 1;
            slot.negative += u32::from(observation.polarity == Polarity::Negative);
            slot.authority += u32::from(observation.authority);
            slot.sensitive += u32::from(observation.sensitive);
        }
        let rules = &self.config.rules;
        let mut hits = Vec::new();
        if observation.central_media
            && let Some(level) = rules.central_media
        {
            let level = if observation.polarity == Polarity::Negative {
                Level::RAISED[(level.index()).min(3)]
            } else {
                level
            };
            hits.push((
                level,
                format!("central media or regulator: {}", observation.document_id),
            ));
        }
        if observation.sensitive
            && observation.verified_followers >= rules.sensitive_verified_followers
            && let Some(level) = rules.sensitive_verified
        {
            hits.push((
                level,
                format!(
                    "sensitive words from a verified account with {} followers: {}",
                    observation.verified_followers, observation.document_id
                ),
            ));
        }
        for (level, reason) in hits {
            // effective from the next minute, like everything observed
            self.rule_hits
                .push((minute + 1, minute + 1 + rules.hold_minutes, level, reason));
        }
        self.recent.push_back(Recent {
            minute,
            document_id: observation.document_id.clone(),
            site: observation.site.clone(),
            channel: observation.channel,
            negative: observation.polarity == Polarity::Negative,
            engagement: observation.engagement,
        });
    }

    /// Sums over the minutes `[end − length, end)`.
    fn sum(&self, end: i64, length: i64) -> Minute {
        let mut total = Minute::default();
        let Some(first) = self.first_minute else {
            return total;
        };
        for minute in (end - length).max(first)..end {
            if let Some(counts) = self.minutes.get((minute - first) as usize) {
                total.mentions += counts.mentions;
                total.negative += counts.negative;
                total.authority += counts.authority;
                total.sensitive += counts.sensitive;
            }
        }
        total
    }

    /// Whether history reaches back to `minute`.
    fn known(&self, minute: i64) -> bool {
        self.first_minute.is_some_and(|first| minute >= first)
    }

    /// The score and its evidence at the start of minute `now`.
    fn score(&self, now: i64) -> (f64, Evidence) {
        let weights = self.config.weights;
        let hour = self.sum(now, WINDOW);
        let three = self.sum(now, SHARE_WINDOW);
        // baselines: the same window on earlier weeks, else earlier days
        let mut weekly: Vec<f32> = (1..=4)
            .map(|k| now - k * WEEK)
            .filter(|&at| self.known(at - WINDOW))
            .map(|at| self.sum(at, WINDOW).mentions as f32)
            .collect();
        let mut daily: Vec<f32> = (1..=14)
            .map(|k| now - k * DAY)
            .filter(|&at| self.known(at - WINDOW))
            .map(|at| self.sum(at, WINDOW).mentions as f32)
            .collect();
        let samples = if weekly.len() >= 4 {
            &mut weekly
        } else {
            &mut daily
        };
        let (baseline_median, velocity) = if samples.is_empty() {
            // warm-up: a topic's first day has nothing to compare with
            (0.0, 0.0)
        } else {
            let middle = median(samples);
            let mut deviations: Vec<f32> = samples.iter().map(|v| (v - middle).abs()).collect();
            let mad = median(&mut deviations);
            let spread = (1.4826 * mad).max(middle.sqrt() + 1.0).max(2.0);
            let z = (hour.mentions as f32 - middle) / spread;
            (middle, ((z - 2.0) / 8.0).clamp(0.0, 1.0))
        };
        let share = if three.mentions == 0 {
            0.0
        } else {
            three.negative as f32 / three.mentions as f32
        };
        let mut earlier_shares: Vec<f32> = (1..=14)
            .map(|k| now - k * DAY)
            .filter(|&at| self.known(at - SHARE_WINDOW))
            .map(|at| self.sum(at, SHARE_WINDOW))
            .filter(|counts| counts.mentions >= 5)
            .map(|counts| counts.negative as f32 / counts.mentions as f32)
            .collect();
        let rise = if earlier_shares.is_empty() {
            0.0
        } else {
            ((share - median(&mut earlier_shares)) / 0.3).clamp(0.0, 1.0)
        };
        let level_part = ((share - 0.3) / 0.3).clamp(0.0, 1.0);
        // a share of few mentions says little: full weight from 30 in three hours
        let confidence = (three.mentions as f32 / 30.0).min(1.0);
        let negative = (0.6 * level_part + 0.4 * rise) * confidence;
        let authority = 1.0 - (-(three.authority as f32) / 2.0).exp();
        let sensitivity = 1.0 - (-(three.sensitive as f32) / 8.0).exp();
        let mut channel_counts: Vec<(Option<Channel>, u32)> = Vec::new();
        let mut site_counts: Vec<(String, u32)> = Vec::new();
        let mut top: Vec<(u64, &str)> = Vec::new();
        for mention in self.recent.iter().filter(|m| m.minute < now) {
            if mention.minute >= now - WINDOW && mention.negative {
                match channel_counts
                    .iter_mut()
                    .find(|(c, _)| *c == mention.channel)
                {
                    Some((_, count)) => *count += 1,
                    None => channel_counts.push((mention.channel, 1)),
                }
            }
            if mention.minute >= now - SHARE_WINDOW {
                match site_counts.iter_mut().find(|(s, _)| *s == mention.site) {
                    Some((_, count)) => *count += 1,
                    None => site_counts.push((mention.site.clone(), 1)),
                }
                top.push((mention.engagement, &mention.document_id));
            }
        }
        let channels = channel_counts
            .iter()
            .filter(|(_, count)| *count >= 2)
            .count() as u32;
        let spread = ((channels as f32 - 1.0) / 3.0).clamp(0.0, 1.0);
        let components = Components {
            velocity,
            negative,
            authority,
            sensitivity,
            spread,
        };
        let amplify = 0.5 + 0.5 * (share / 0.4).min(1.0);
        let score = 100.0
            * (weights.velocity * velocity * amplify
                + weights.negative * negative
                + weights.authority * authority * amplify
                + weights.sensitivity * sensitivity
                + weights.spread * spread * amplify);
        top.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        site_counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        site_counts.truncate(5);
        let evidence = Evidence {
            components,
            weights,
            volume_last_hour: hour.mentions,
            baseline_median,
            negative_share: share,
            authority_mentions: three.authority,
            sensitive_mentions: three.sensitive,
            channels,
            top_mentions: top.iter().take(5).map(|(_, id)| id.to_string()).collect(),
            top_sites: site_counts,
            rules: Vec::new(),
        };
        ((f64::from(score) * 100.0).round() / 100.0, evidence)
    }

    fn threshold(&self, level: Level) -> f64 {
        match level {
            Level::None => f64::NEG_INFINITY,
            raised => f64::from(self.config.thresholds[raised.index() - 1]),
        }
    }

    /// Evaluates at `now` (the start of a minute, after every mention
    /// published before it was observed); a level change when there is one.
    pub fn evaluate(&mut self, now: Timestamp) -> Option<LevelChange> {
        let now_minute = minute_of(now);
        self.trim(now_minute);
        let (score, evidence) = self.score(now_minute);
        // the level the score reaches, respecting cooldowns
        let mut target = Level::None;
        for level in Level::RAISED {
            let mut needed = self.threshold(level);
            if self.left[level.index()]
                .is_some_and(|left| now_minute - left < self.config.cooldown_minutes)
            {
                needed += f64::from(self.config.hysteresis);
            }
            if score >= needed {
                target = level;
            }
        }
        // rules hold a floor whatever the score
        let (floor, reasons) = self.rule_floor(now_minute, evidence.volume_last_hour);
        let mut evidence = evidence;
        evidence.rules = reasons;
        target = target.max(floor);
        let previous = self.level;
        if target > self.level {
            self.enter(target, now_minute);
        } else if target < self.level {
            // leave only after the minimum duration, and once the score has
            // stayed below the exit line long enough
            let exit_line = self.threshold(self.level) - f64::from(self.config.hysteresis);
            if score < exit_line {
                let below = *self.below_since.get_or_insert(now_minute);
                if now_minute - self.since >= self.config.minimum_minutes
                    && now_minute - below >= self.config.hold_minutes
                {
                    // fall to the highest level whose exit line the score still holds
                    let mut landing = Level::None;
                    for level in Level::RAISED {
                        if level < self.level
                            && score >= self.threshold(level) - f64::from(self.config.hysteresis)
                        {
                            landing = level;
                        }
                    }
                    let landing = landing.max(floor);
                    if landing < self.level {
                        self.left[self.level.index()] = Some(now_minute);
                        self.enter(landing, now_minute);
                    }
                }
            } else {
                self.below_since = None;
            }
        } else {
            self.below_since = None;
        }
        (self.level != previous).then(|| LevelChange {
            topic: self.topic.clone(),
            level: self.level,
            previous,
            at: now,
            score,
            evidence,
        })
    }

    /// The level rules hold at `now`, with their reasons.
    fn rule_floor(&mut self, now: i64, volume_last_hour: u32) -> (Level, Vec<String>) {
        self.rule_hits.retain(|(_, until, _, _)| *until > now);
        let mut floor = Level::None;
        let mut reasons = Vec::new();
        for (from, _, level, reason) in &self.rule_hits {
            if *from <= now {
                floor = floor.max(*level);
                reasons.push(reason.clone());
            }
        }
        for (threshold, level) in &self.config.rules.volume {
            if volume_last_hour >= *threshold {
                floor = floor.max(*level);
                reasons.push(format!(
                    "{volume_last_hour} mentions in the last hour (rule: {threshold})"
                ));
            }
        }
        (floor, reasons)
    }

    fn enter(&mut self, level: Level, minute: i64) {
        self.level = level;
        self.since = minute;
        self.below_since = None;
    }

    /// Drops history older than the baselines need.
    fn trim(&mut self, now: i64) {
        let keep_from = now - self.config.history_days * DAY - SHARE_WINDOW;
        if let Some(first) = self.first_minute
            && first < keep_from
        {
            let drop = ((keep_from - first) as usize).min(self.minutes.len());
            self.minutes.drain(..drop);
            self.first_minute = Some(first + drop as i64);
        }
        while self
            .recent
            .front()
            .is_some_and(|mention| mention.minute < now - SHARE_WINDOW)
        {
            self.recent.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(minute: i64, polarity: Polarity, channel: Channel, sensitive: bool) -> Observation {
        Observation {
            at: Timestamp(minute * 60),
            document_id: format!("d{minute}"),
            site: format!("{}.example", channel.as_str()),
            channel: Some(channel),
            polarity,
            authority: false,
            sensitive,
            central_media: false,
            verified_followers: 0,
            engagement: 1,
        }
    }

    /// Ten calm days (six mentions an hour, a fifth negative), then what
    /// `surge` adds, evaluated minute by minute; the levels seen per minute.
    fn run(surge: impl Fn(i64) -> Vec<Observation>) -> Vec<(i64, Level)> {
        let mut engine = TopicWarnings::new(TopicId::new("t"), WarningConfig::default());
        let mut levels = Vec::new();
        for minute in 0..(11 * DAY) {
            if minute % 10 == 0 {
                let polarity = if minute % 50 == 0 {
                    Polarity::Negative
                } else {
                    Polarity::Positive
                };
                engine.observe(&mention(minute, polarity, Channel::Weibo, false));
            }
            for observation in surge(minute) {
                engine.observe(&observation);
            }
            if let Some(change) = engine.evaluate(Timestamp((minute + 1) * 60)) {
                levels.push((minute + 1, change.level));
            }
        }
        levels
    }

    #[test]
    fn a_new_topic_has_no_velocity_until_it_has_a_day_to_compare_with() {
        let mut engine = TopicWarnings::new(TopicId::new("t"), WarningConfig::default());
        for second in 0..600 {
            engine.observe(&mention(
                second / 10,
                Polarity::Positive,
                Channel::News,
                false,
            ));
        }
        let (_, evidence) = engine.score(60);
        assert_eq!(evidence.components.velocity, 0.0);
        assert_eq!(evidence.volume_last_hour, 600);
    }

    #[test]
    fn levels_rise_at_once_and_fall_only_after_holding_below() {
        let surge_start = 10 * DAY + 600;
        let levels = run(|minute| {
            if (surge_start..surge_start + 120).contains(&minute) {
                let channel =
                    [Channel::Weibo, Channel::Forum, Channel::News][(minute % 3) as usize];
                (0..3)
                    .map(|_| mention(minute, Polarity::Negative, channel, true))
                    .collect()
            } else {
                Vec::new()
            }
        });
        let before: Vec<_> = levels
            .iter()
            .filter(|(minute, _)| *minute < surge_start)
            .collect();
        assert!(before.is_empty(), "calm days raised {before:?}");
        let yellow = levels
            .iter()
            .find(|(_, level)| *level >= Level::Yellow)
            .map(|(minute, _)| minute - surge_start)
            .unwrap();
        assert!(yellow <= 15, "yellow after {yellow} min: {levels:?}");
        let peak = levels.iter().map(|(_, level)| *level).max().unwrap();
        assert_eq!(peak, Level::Red, "{levels:?}");
        // falling: each lower level entered no sooner than the minimum and
        // hold times after the surge stopped
        let surge_end = surge_start + 120;
        let first_fall = levels
            .windows(2)
            .find(|pair| pair[1].1 < pair[0].1)
            .map(|pair| pair[1].0)
            .unwrap();
        assert!(
            first_fall >= surge_end,
            "fell at {first_fall} during the surge"
        );
        assert_eq!(levels.last().unwrap().1, Level::None, "{levels:?}");
    }

    #[test]
    fn rules_raise_levels_on_single_mentions_and_plain_volume() {
        let config = WarningConfig {
            rules: WarningRules {
                volume: vec![(50, Level::Orange)],
                ..WarningRules::default()
            },
            ..WarningConfig::default()
        };
        let mut engine = TopicWarnings::new(TopicId::new("t"), config);
        let mut central = mention(100, Polarity::Neutral, Channel::News, false);
        central.central_media = true;
        engine.observe(&central);
        let change = engine.evaluate(Timestamp(101 * 60)).expect("raised");
        assert_eq!(change.level, Level::Blue);
        assert!(change.evidence.rules[0].starts_with("central media or regulator"));
        let mut verified = mention(110, Polarity::Negative, Channel::Weibo, true);
        verified.verified_followers = 300_000;
        engine.observe(&verified);
        let change = engine.evaluate(Timestamp(111 * 60)).expect("raised");
        assert_eq!(change.level, Level::Yellow);
        for second in 0..60 {
            engine.observe(&mention(
                120 + second / 60,
                Polarity::Positive,
                Channel::Weibo,
                false,
            ));
        }
        let change = engine.evaluate(Timestamp(121 * 60)).expect("raised");
        assert_eq!(change.level, Level::Orange);
        // the rules lapse: two hours later everything has fallen
        let mut last = Level::Orange;
        for minute in 122..400 {
            if let Some(change) = engine.evaluate(Timestamp(minute * 60)) {
                last = change.level;
            }
        }
        assert_eq!(last, Level::None);
    }
}
