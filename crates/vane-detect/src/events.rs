//! Hot topics (热点事件): stories grouped into events over a sliding window,
//! each with a label, volume, growth, sentiment mix, first sighting and a
//! heat score (DESIGN §5): a weighted sum of normalised volume, engagement,
//! authority of the sources and growth, with the weights part of the result.
//!
//! Events are formed single-pass in order of first publication: a story
//! joins the event whose centroid its TF-IDF vector (the clustering
//! machinery of `cluster.rs`) is most similar to, above a threshold, or
//! starts one. Pure: the window ends at the newest publication time given.

use rustc_hash::FxHashMap;
use vane_model::Timestamp;

use crate::cluster::{SparseVector, Vectorizer};

/// One document as the event detector needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct EventDocument {
    pub story: usize,
    /// Title and opening text: what the event's vector and label come from.
    pub text: String,
    pub published: Timestamp,
    /// likes + comments + shares.
    pub engagement: u64,
    /// From an authoritative source: central media, news/print/TV, or a
    /// verified account with a large following (the caller decides).
    pub authority: bool,
    /// −1 negative, 0 neutral, +1 positive.
    pub sentiment: i8,
}

/// The weights of the heat score; shown with every event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeatWeights {
    pub volume: f64,
    pub engagement: f64,
    pub authority: f64,
    pub growth: f64,
}

impl Default for HeatWeights {
    fn default() -> Self {
        Self {
            volume: 0.4,
            engagement: 0.25,
            authority: 0.2,
            growth: 0.15,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EventConfig {
    pub window_seconds: i64,
    /// Minimum cosine similarity of a story to an event's centroid.
    pub similarity: f32,
    pub weights: HeatWeights,
}

impl Default for EventConfig {
    fn default() -> Self {
        Self {
            window_seconds: 86_400,
            similarity: 0.35,
            weights: HeatWeights::default(),
        }
    }
}

/// A hot topic.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Its top keywords.
    pub label: Vec<String>,
    /// Documents in the window.
    pub volume: usize,
    pub stories: Vec<usize>,
    /// (later half − earlier half) ÷ max(earlier half, 1), in documents.
    pub growth: f64,
    pub positive: usize,
    pub neutral: usize,
    pub negative: usize,
    pub first_seen: Timestamp,
    pub engagement: u64,
    pub authority: usize,
    pub heat: f64,
}

/// The events of the documents published in the window ending at the
/// newest of them, hottest first.
pub fn detect_events(documents: &[EventDocument], config: &EventConfig) -> Vec<Event> {
    let Some(end) = documents.iter().map(|document| document.published).max() else {
        return Vec::new();
    };
    let start = end.0 - config.window_seconds;
    let middle = start + config.window_seconds / 2;
    let in_window: Vec<&EventDocument> = documents
        .iter()
        .filter(|document| document.published.0 > start)
        .collect();

    // one text per story: its earliest document
    let mut stories: FxHashMap<usize, Vec<&EventDocument>> = FxHashMap::default();
    for document in &in_window {
        stories.entry(document.story).or_default().push(document);
    }
    let mut story_order: Vec<(Timestamp, usize)> = stories
        .iter()
        .map(|(&story, members)| {
            (
                members
                    .iter()
                    .map(|member| member.published)
                    .min()
                    .unwrap_or(end),
                story,
            )
        })
        .collect();
    story_order.sort();
    let leading = |story: usize| {
        stories[&story]
            .iter()
            .min_by_key(|member| member.published)
            .map(|member| member.text.as_str())
            .unwrap_or("")
    };
    let vectorizer = Vectorizer::fit(story_order.iter().map(|&(_, story)| leading(story)));

    // single pass: each story joins the most similar event centroid
    let mut centroids: Vec<FxHashMap<u32, f32>> = Vec::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    for &(_, story) in &story_order {
        let vector = vectorizer.vector(leading(story));
        let best = centroids
            .iter()
            .enumerate()
            .map(|(event, centroid)| (event, cosine(&vector, centroid)))
            .filter(|&(_, similarity)| similarity >= config.similarity)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        let event = match best {
            Some((event, _)) => event,
            None => {
                centroids.push(FxHashMap::default());
                members.push(Vec::new());
                centroids.len() - 1
            }
        };
        for &(feature, weight) in &vector {
            *centroids[event].entry(feature).or_default() += weight;
        }
        members[event].push(story);
    }

    let mut events: Vec<Event> = members
        .into_iter()
        .map(|stories_of_event| {
            let documents: Vec<&EventDocument> = stories_of_event
                .iter()
                .flat_map(|story| stories[story].iter().copied())
                .collect();
            let later = documents
                .iter()
                .filter(|document| document.published.0 > middle)
                .count();
            let earlier = documents.len() - later;
            let text: String = stories_of_event
                .iter()
                .map(|&story| leading(story))
                .collect::<Vec<_>>()
                .join("\n");
            let chinese = vane_text::detect_language(&text) == "zh";
            Event {
                label: vane_text::keywords(&text, chinese, 3)
                    .into_iter()
                    .map(|(word, _)| word)
                    .collect(),
                volume: documents.len(),
                growth: (later as f64 - earlier as f64) / earlier.max(1) as f64,
                positive: documents
                    .iter()
                    .filter(|document| document.sentiment > 0)
                    .count(),
                neutral: documents
                    .iter()
                    .filter(|document| document.sentiment == 0)
                    .count(),
                negative: documents
                    .iter()
                    .filter(|document| document.sentiment < 0)
                    .count(),
                first_seen: documents
                    .iter()
                    .map(|document| document.published)
                    .min()
                    .unwrap_or(end),
                engagement: documents.iter().map(|document| document.engagement).sum(),
                authority: documents
                    .iter()
                    .filter(|document| document.authority)
                    .count(),
                stories: stories_of_event,
                heat: 0.0,
            }
        })
        .collect();

    // heat: each component over its largest value among the events
    let largest = |value: &dyn Fn(&Event) -> f64| {
        events
            .iter()
            .map(value)
            .fold(0.0f64, f64::max)
            .max(f64::MIN_POSITIVE)
    };
    let (volume_max, engagement_max, authority_max) = (
        largest(&|event: &Event| event.volume as f64),
        largest(&|event: &Event| (event.engagement as f64).ln_1p()),
        largest(&|event: &Event| event.authority as f64),
    );
    let weights = config.weights;
    for event in events.iter_mut() {
        // growth of −1…∞ mapped to 0…1
        let growth = (event.growth.max(0.0) / (1.0 + event.growth.max(0.0))).clamp(0.0, 1.0);
        event.heat = weights.volume * event.volume as f64 / volume_max
            + weights.engagement * (event.engagement as f64).ln_1p() / engagement_max
            + weights.authority * event.authority as f64 / authority_max
            + weights.growth * growth;
    }
    events.sort_by(|a, b| {
        b.heat
            .total_cmp(&a.heat)
            .then(a.first_seen.cmp(&b.first_seen))
    });
    events
}

fn cosine(vector: &SparseVector, centroid: &FxHashMap<u32, f32>) -> f32 {
    let norm = centroid
        .values()
        .map(|weight| weight * weight)
        .sum::<f32>()
        .sqrt();
    if norm == 0.0 {
        return 0.0;
    }
    vector
        .iter()
        .map(|(feature, weight)| weight * centroid.get(feature).copied().unwrap_or(0.0))
        .sum::<f32>()
        / norm
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(story: usize, text: &str, hour: i64, sentiment: i8) -> EventDocument {
        EventDocument {
            story,
            text: text.to_string(),
            published: Timestamp(hour * 3_600),
            engagement: 10,
            authority: false,
            sentiment,
        }
    }

    #[test]
    fn stories_on_one_subject_form_one_event_and_growth_ranks_it() {
        let documents = vec![
            document(0, "小米汽车宣布召回部分SU7车辆", 1, -1),
            document(1, "小米SU7召回：车主可免费升级制动软件", 20, -1),
            document(1, "小米SU7召回：车主可免费升级制动软件", 21, -1),
            document(2, "SU7召回范围公布，小米汽车回应", 22, 0),
            document(3, "国足今晚对阵日本队，比赛将在北京举行", 2, 0),
            document(4, "国足对阵日本队比赛门票售罄", 3, 1),
            document(5, "去年的旧闻，不在窗口之内", -30, 0),
        ];
        let events = detect_events(&documents, &EventConfig::default());
        assert_eq!(events.len(), 2, "{events:#?}");
        let recall = &events[0];
        assert_eq!(recall.volume, 4);
        assert_eq!(recall.stories.len(), 3);
        assert_eq!(
            (recall.positive, recall.neutral, recall.negative),
            (0, 1, 3)
        );
        assert_eq!(recall.first_seen, Timestamp(3_600));
        assert!(recall.growth > 0.0, "{recall:?}");
        assert!(
            recall
                .label
                .iter()
                .any(|word| word.contains("召回") || word.contains("小米")),
            "{:?}",
            recall.label
        );
        assert!(events[1].growth <= 0.0);
        assert!(events[0].heat > events[1].heat);
    }
}
