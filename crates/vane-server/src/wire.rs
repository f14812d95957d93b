//! The JSON shapes of the API, with their OpenAPI schemas. Only this crate
//! knows them (DESIGN §4.6): store and model types are converted here, so
//! the API stays stable when storage changes.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vane_model::{Document, Topic, TopicId};
use vane_pipeline::MentionEvent;
use vane_store::{
    DeadLetter, MentionHit, NewDocument, SeriesPoint, StoredDocument, StoredMention, StorySummary,
};

/// A monitoring topic.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub(crate) struct TopicView {
    /// Chosen by the user: letters, digits, `-`, `_`, `.`.
    pub(crate) id: String,
    #[serde(default)]
    pub(crate) name: String,
    /// The query in Vane's monitoring query language.
    pub(crate) query: String,
    #[serde(default)]
    pub(crate) brand: Option<String>,
    /// A competitor's topic: compared against, not warned about.
    #[serde(default)]
    pub(crate) competitor: bool,
    #[serde(default = "yes")]
    pub(crate) enabled: bool,
    /// Lint findings: legal but probably not what was meant.
    #[serde(default)]
    pub(crate) warnings: Vec<String>,
}

fn yes() -> bool {
    true
}

/// A topic's definition without its id (for `PUT /topics/{id}`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub(crate) struct TopicInput {
    #[serde(default)]
    pub(crate) name: String,
    pub(crate) query: String,
    #[serde(default)]
    pub(crate) brand: Option<String>,
    #[serde(default)]
    pub(crate) competitor: bool,
    #[serde(default = "yes")]
    pub(crate) enabled: bool,
}

impl TopicView {
    pub(crate) fn of(topic: Topic) -> TopicView {
        let warnings = vane_query::Query::parse(&topic.query)
            .map(|query| query.warnings().iter().map(|w| w.to_string()).collect())
            .unwrap_or_default();
        TopicView {
            name: if topic.name.is_empty() {
                topic.id.as_str().to_string()
            } else {
                topic.name
            },
            id: topic.id.as_str().to_string(),
            query: topic.query,
            brand: topic.brand,
            competitor: topic.competitor,
            enabled: topic.enabled,
            warnings,
        }
    }
}

impl TopicInput {
    pub(crate) fn into_topic(self, id: &str) -> Topic {
        Topic {
            id: TopicId::new(id),
            name: self.name,
            query: self.query,
            brand: self.brand,
            competitor: self.competitor,
            enabled: self.enabled,
        }
    }
}

/// A source with its poller's state.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct SourceView {
    /// The configuration as given (`id`, `kind`, `url`, `interval_seconds`,
    /// `enabled`, `full_article`, `headers`, `channel`, `mapping`).
    #[schema(value_type = Object)]
    pub(crate) config: serde_json::Value,
    /// ETag, Last-Modified, cursor, last fetch and success, next fetch,
    /// last error, consecutive failures, counts of fetches, errors and items.
    #[schema(value_type = Object)]
    pub(crate) state: serde_json::Value,
}

/// A hit span: character offsets in the original field text.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct HitView {
    /// `title` or `body`.
    pub(crate) field: String,
    pub(crate) start: u32,
    pub(crate) end: u32,
}

impl HitView {
    pub(crate) fn of(hit: &MentionHit) -> HitView {
        HitView {
            field: hit.field.as_str().to_string(),
            start: hit.start,
            end: hit.end,
        }
    }
}

/// A stored document with what the pipeline found.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct DocumentView {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) body: String,
    pub(crate) url: String,
    pub(crate) site: String,
    pub(crate) author: String,
    pub(crate) lang: String,
    pub(crate) country: String,
    pub(crate) region: String,
    pub(crate) channel: Option<String>,
    pub(crate) verified: bool,
    pub(crate) repost: bool,
    pub(crate) followers: u64,
    pub(crate) likes: u64,
    pub(crate) comments: u64,
    pub(crate) shares: u64,
    pub(crate) views: u64,
    /// RFC 3339.
    pub(crate) published_at: String,
    pub(crate) received_at: String,
    pub(crate) source_id: Option<String>,
    /// `positive`, `neutral` or `negative`: of the whole document.
    pub(crate) sentiment: String,
    /// In [−1, 1].
    pub(crate) sentiment_score: f32,
    pub(crate) emotion: Option<String>,
    /// The syndication story this document belongs to.
    pub(crate) story_id: String,
    /// The earlier copy this one is most similar to.
    pub(crate) parent_id: Option<String>,
    pub(crate) reach: u64,
}

impl DocumentView {
    pub(crate) fn of(stored: StoredDocument) -> DocumentView {
        let StoredDocument {
            seq: _,
            document,
            source_id,
            published_at,
            received_at,
            sentiment,
            sentiment_score,
            emotion,
            story_id,
            parent_id,
            reach,
            signals: _,
        } = stored;
        DocumentView {
            source_id: source_id.map(|id| id.as_str().to_string()),
            published_at: published_at.to_string(),
            received_at: received_at.to_string(),
            sentiment: sentiment.as_str().to_string(),
            sentiment_score,
            emotion,
            story_id,
            parent_id,
            reach,
            ..DocumentView::fields(document)
        }
    }

    /// A document just committed, as the live stream announces it: the
    /// same shape as a stored one.
    pub(crate) fn of_new(new: &NewDocument) -> DocumentView {
        DocumentView {
            source_id: new.source_id.as_ref().map(|id| id.as_str().to_string()),
            published_at: new.published_at.to_string(),
            received_at: new.received_at.to_string(),
            sentiment: new.sentiment.as_str().to_string(),
            sentiment_score: new.sentiment_score,
            emotion: new.emotion.clone(),
            story_id: new.story_id.clone(),
            parent_id: new.parent_id.clone(),
            reach: new.reach,
            ..DocumentView::fields(new.document.clone())
        }
    }

    /// The document's own fields; what the pipeline found left empty.
    fn fields(document: Document) -> DocumentView {
        let Document {
            id,
            title,
            body,
            url,
            site,
            author,
            lang,
            country,
            region,
            channel,
            verified,
            repost,
            followers,
            likes,
            comments,
            shares,
            views,
            published_at: _,
        } = document;
        DocumentView {
            id: id.as_str().to_string(),
            title,
            body,
            url,
            site,
            author,
            lang,
            country,
            region,
            channel: channel.map(|channel| channel.as_str().to_string()),
            verified,
            repost,
            followers,
            likes,
            comments,
            shares,
            views,
            published_at: String::new(),
            received_at: String::new(),
            source_id: None,
            sentiment: String::new(),
            sentiment_score: 0.0,
            emotion: None,
            story_id: String::new(),
            parent_id: None,
            reach: 0,
        }
    }
}

/// A mention: a document matched by a topic.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct MentionView {
    pub(crate) topic: String,
    /// Towards what the topic hit (brand-directed), not of the whole text.
    pub(crate) sentiment: String,
    pub(crate) sentiment_score: f32,
    pub(crate) hits: Vec<HitView>,
    pub(crate) document: DocumentView,
}

impl MentionView {
    pub(crate) fn of(mention: StoredMention) -> MentionView {
        MentionView {
            topic: mention.topic.as_str().to_string(),
            sentiment: mention.sentiment.as_str().to_string(),
            sentiment_score: mention.sentiment_score,
            hits: mention.hits.iter().map(HitView::of).collect(),
            document: DocumentView::of(mention.document),
        }
    }

    /// A new mention of the live stream, in the shape of the list's.
    pub(crate) fn live(event: &MentionEvent) -> MentionView {
        MentionView {
            topic: event.mention.topic.as_str().to_string(),
            sentiment: event.mention.sentiment.as_str().to_string(),
            sentiment_score: event.mention.sentiment_score,
            hits: event.mention.hits.iter().map(HitView::of).collect(),
            document: DocumentView::of_new(&event.document),
        }
    }
}

/// A page of mentions, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct MentionPage {
    pub(crate) items: Vec<MentionView>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub(crate) next: Option<String>,
}

/// A page of documents, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct DocumentPage {
    pub(crate) items: Vec<DocumentView>,
    pub(crate) next: Option<String>,
}

/// A document with its mentions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct DocumentDetail {
    pub(crate) document: DocumentView,
    pub(crate) mentions: Vec<MentionSummary>,
}

/// A mention of a document, without the document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct MentionSummary {
    pub(crate) topic: String,
    pub(crate) sentiment: String,
    pub(crate) sentiment_score: f32,
    pub(crate) hits: Vec<HitView>,
}

/// A search result: the document and where the query hit.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct SearchHitView {
    pub(crate) document: DocumentView,
    pub(crate) hits: Vec<HitView>,
}

/// A page of search results, newest stored first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct SearchPageView {
    /// The query as Vane reads it (every operator spelled out).
    pub(crate) query: String,
    pub(crate) items: Vec<SearchHitView>,
    pub(crate) next: Option<String>,
    /// Candidates the full-text index proposed and the matcher checked.
    pub(crate) candidates: usize,
    pub(crate) took_ms: f64,
}

/// A syndication story.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct StoryView {
    pub(crate) story_id: String,
    pub(crate) documents: u64,
    pub(crate) sites: u64,
    pub(crate) first_published: String,
    pub(crate) last_published: String,
    /// The first publisher (首发).
    pub(crate) first: DocumentView,
}

impl StoryView {
    pub(crate) fn of(story: StorySummary) -> StoryView {
        StoryView {
            story_id: story.story_id,
            documents: story.documents,
            sites: story.sites,
            first_published: story.first_published.to_string(),
            last_published: story.last_published.to_string(),
            first: DocumentView::of(story.first),
        }
    }
}

/// A story's documents in order of publication: its propagation path.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct StoryDetail {
    pub(crate) story_id: String,
    pub(crate) documents: Vec<DocumentView>,
}

/// One bucket of a time series.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct SeriesPointView {
    pub(crate) bucket_start: String,
    pub(crate) mentions: u64,
    /// Syndication stories first seen in the bucket.
    pub(crate) stories: u64,
    pub(crate) positive: u64,
    pub(crate) neutral: u64,
    pub(crate) negative: u64,
    /// Likes + comments + shares.
    pub(crate) engagement: u64,
    pub(crate) views: u64,
    pub(crate) reach: u64,
    /// Mentions by central media, regulators or large verified accounts.
    pub(crate) authority: u64,
}

impl SeriesPointView {
    pub(crate) fn of(point: SeriesPoint) -> SeriesPointView {
        SeriesPointView {
            bucket_start: point.bucket_start.to_string(),
            mentions: point.mentions,
            stories: point.stories,
            positive: point.positive,
            neutral: point.neutral,
            negative: point.negative,
            engagement: point.engagement,
            views: point.views,
            reach: point.reach,
            authority: point.authority,
        }
    }
}

/// A topic's time series, read from the rollups.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct SeriesView {
    pub(crate) topic: String,
    /// `minute`, `hour` or `day`.
    pub(crate) bucket: String,
    pub(crate) from: String,
    pub(crate) to: String,
    /// Only buckets with mentions.
    pub(crate) points: Vec<SeriesPointView>,
}

/// Something that could not become a document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct DeadLetterView {
    pub(crate) seq: i64,
    pub(crate) at: String,
    pub(crate) source_id: Option<String>,
    pub(crate) item_id: Option<String>,
    pub(crate) reason: String,
    /// The offending input, cut to a few kilobytes.
    pub(crate) payload: String,
}

impl DeadLetterView {
    pub(crate) fn of(letter: DeadLetter) -> DeadLetterView {
        DeadLetterView {
            seq: letter.seq,
            at: letter.at.to_string(),
            source_id: letter.source_id.map(|id| id.as_str().to_string()),
            item_id: letter.item_id,
            reason: letter.reason,
            payload: letter.payload,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct DeadLetterPage {
    pub(crate) items: Vec<DeadLetterView>,
    pub(crate) next: Option<String>,
}

/// What a push did with a batch.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct IngestResult {
    /// Items acknowledged into the inbox: they will be stored.
    pub(crate) accepted: usize,
    /// Items already stored or queued.
    pub(crate) duplicates: usize,
    /// Items that could not be read, stored as dead letters.
    pub(crate) dead_letters: usize,
    /// Why, for the first few dead letters.
    pub(crate) reasons: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct Health {
    pub(crate) status: String,
    pub(crate) version: String,
}

/// Filters shared by mentions and documents.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ListParams {
    /// Only mentions of this topic.
    pub(crate) topic: Option<String>,
    /// Published at or after (RFC 3339).
    pub(crate) from: Option<String>,
    /// Published before (RFC 3339).
    pub(crate) to: Option<String>,
    /// news, weibo, wechat, …
    pub(crate) channel: Option<String>,
    /// positive, neutral or negative.
    pub(crate) sentiment: Option<String>,
    /// A site and its sub-domains.
    pub(crate) site: Option<String>,
    /// ISO 639-1 language code.
    pub(crate) lang: Option<String>,
    /// The `next` of the previous page.
    pub(crate) cursor: Option<String>,
    /// Page size, 1–500 (default 50).
    pub(crate) limit: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct SearchParams {
    /// The query, in the monitoring query language.
    pub(crate) q: Option<String>,
    pub(crate) topic: Option<String>,
    pub(crate) from: Option<String>,
    pub(crate) to: Option<String>,
    pub(crate) channel: Option<String>,
    pub(crate) sentiment: Option<String>,
    pub(crate) site: Option<String>,
    pub(crate) lang: Option<String>,
    pub(crate) cursor: Option<String>,
    /// Page size, 1–500 (default 20).
    pub(crate) limit: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct SeriesParams {
    /// minute, hour (default) or day.
    pub(crate) bucket: Option<String>,
    /// Default: 7 days before `to`.
    pub(crate) from: Option<String>,
    /// Default: now.
    pub(crate) to: Option<String>,
    pub(crate) channel: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct StoryParams {
    pub(crate) topic: Option<String>,
    pub(crate) from: Option<String>,
    pub(crate) to: Option<String>,
    pub(crate) channel: Option<String>,
    pub(crate) sentiment: Option<String>,
    pub(crate) site: Option<String>,
    pub(crate) lang: Option<String>,
    /// 1–500 (default 50).
    pub(crate) limit: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct PageParams {
    pub(crate) cursor: Option<String>,
    /// 1–500 (default 50).
    pub(crate) limit: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct StreamParams {
    /// Only mentions of this topic.
    pub(crate) topic: Option<String>,
}

/// A stored level change with its evidence.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct WarningView {
    pub(crate) seq: i64,
    pub(crate) topic: String,
    /// none, blue, yellow, orange or red.
    pub(crate) level: String,
    pub(crate) previous: String,
    pub(crate) at: String,
    pub(crate) score: f64,
    /// Components, weights, volumes, negative share, top mentions and sites, rules.
    #[schema(value_type = Object)]
    pub(crate) evidence: serde_json::Value,
    pub(crate) acknowledged_at: Option<String>,
    pub(crate) acknowledged_by: Option<String>,
}

impl WarningView {
    pub(crate) fn of(warning: vane_store::StoredWarning) -> WarningView {
        WarningView {
            seq: warning.seq,
            topic: warning.topic.as_str().to_string(),
            level: warning.level,
            previous: warning.previous,
            at: warning.at.to_string(),
            score: warning.score,
            evidence: warning.evidence,
            acknowledged_at: warning.acknowledged_at.map(|at| at.to_string()),
            acknowledged_by: warning.acknowledged_by,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct WarningPage {
    pub(crate) items: Vec<WarningView>,
    pub(crate) next: Option<String>,
}

/// A topic's level now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct CurrentLevel {
    pub(crate) topic: String,
    pub(crate) level: String,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct WarningParams {
    /// Only this topic's warnings.
    pub(crate) topic: Option<String>,
    pub(crate) cursor: Option<String>,
    /// 1–500 (default 50).
    pub(crate) limit: Option<String>,
}

/// A query to check.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub(crate) struct QueryCheckRequest {
    pub(crate) query: String,
}

/// A valid query: how Vane reads it and what the linter says.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct QueryCheckView {
    pub(crate) normalized: String,
    pub(crate) warnings: Vec<LintView>,
}

/// A lint warning: legal, but probably not what was meant.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct LintView {
    /// 1-based character column.
    pub(crate) column: usize,
    pub(crate) message: String,
    pub(crate) hint: String,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct PreviewParams {
    /// The query to test.
    pub(crate) q: Option<String>,
    /// Matching documents to return, 1–500 (default 5).
    pub(crate) limit: Option<String>,
}

/// What a query matches among the most recently stored documents.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct PreviewView {
    pub(crate) query: String,
    /// Documents read (the newest stored, up to 2,000).
    pub(crate) scanned: usize,
    /// How many of them the query matches.
    pub(crate) matched: usize,
    pub(crate) samples: Vec<SearchHitView>,
    pub(crate) took_ms: f64,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct BreakdownParams {
    /// Default: 7 days before `to`.
    pub(crate) from: Option<String>,
    /// Default: now.
    pub(crate) to: Option<String>,
    /// Sites and authors to list, 1–500 (default 10; twice as many keywords).
    pub(crate) limit: Option<String>,
}

/// A topic's mentions by channel, site and author, and their keywords.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct BreakdownView {
    pub(crate) topic: String,
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) channels: Vec<ShareView>,
    pub(crate) sites: Vec<ShareView>,
    pub(crate) authors: Vec<ShareView>,
    pub(crate) keywords: Vec<KeywordView>,
}

/// Mentions of one channel, site or author; how many of them negative.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct ShareView {
    pub(crate) name: String,
    pub(crate) mentions: u64,
    pub(crate) negative: u64,
}

/// A keyword of the recent mentions and its TF-IDF weight.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct KeywordView {
    pub(crate) term: String,
    pub(crate) weight: f32,
}

/// What a source delivered lately.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct SourceActivityView {
    /// Null for documents pushed or imported without a source.
    pub(crate) source_id: Option<String>,
    /// Documents received in the last 24 hours.
    pub(crate) last_day: u64,
    /// Documents received in the last 7 days.
    pub(crate) last_week: u64,
    /// `last_week / 7`: the rate the last day is measured against.
    pub(crate) daily_average: f64,
    pub(crate) last_received: Option<String>,
    pub(crate) dead_letters_week: u64,
}
