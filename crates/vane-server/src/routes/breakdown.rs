//! `/api/v1/topics/{id}/breakdown`: what a topic's mentions in a time range
//! are made of — channels (from the rollups), top sites and authors, and
//! the keywords of its most recent mentions.

use axum::Json;
use axum::extract::State;
use vane_model::TopicId;
use vane_store::Filter;

use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::params::{self, ApiPath, ApiQuery};
use crate::wire::{BreakdownParams, BreakdownView, KeywordView, ShareView};

/// Mentions the keywords are drawn from: the newest of the range.
const KEYWORD_MENTIONS: usize = 300;

/// Words news reports are written with whatever they report: not what a
/// topic's coverage is about.
const REPORTING_WORDS: &[&str] = &[
    "记者",
    "近日",
    "日前",
    "获悉",
    "来源",
    "报道",
    "据悉",
    "表示",
    "消息",
    "今天",
    "昨天",
    "reported",
    "according",
    "reporter",
    "reporters",
    "source",
    "today",
    "yesterday",
];

/// Channel mix, top sites and authors (with their negative mentions) and
/// keywords of a topic over a time range (default: the last 7 days).
#[utoipa::path(get, path = "/api/v1/topics/{id}/breakdown", tag = "topics",
    params(("id" = String, Path, description = "Topic id"), BreakdownParams),
    responses((status = 200, body = BreakdownView), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub(crate) async fn breakdown(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<BreakdownParams>,
) -> ApiResult<Json<BreakdownView>> {
    let topic = TopicId::new(&id);
    let Some(definition) = state.store.topic(&topic).await? else {
        return Err(ApiError::not_found(
            "topic_not_found",
            format!("no topic `{id}`"),
        ));
    };
    // the topic's own terms (and the pieces the segmenter cuts them into)
    // are what every mention has: the keywords are what else is said
    let own_terms = definition.query.to_lowercase();
    let (from, to) = params::range(query.from.as_deref(), query.to.as_deref())?;
    let limit = params::limit(query.limit.as_deref(), 10)?;
    let breakdown = state.store.breakdown(&topic, from, to, limit).await?;
    let mentions = state
        .store
        .mentions(
            &Filter {
                topic: Some(topic.clone()),
                from: Some(from),
                to: Some(to),
                ..Filter::default()
            },
            None,
            KEYWORD_MENTIONS,
        )
        .await?;
    let (mut chinese, mut english) = (String::new(), String::new());
    for mention in &mentions.items {
        let document = &mention.document.document;
        let text = if document.lang == "zh" {
            &mut chinese
        } else {
            &mut english
        };
        text.push_str(&document.title);
        text.push('\n');
        text.push_str(&document.body);
        text.push('\n');
    }
    let mut keywords: Vec<KeywordView> = [(chinese, true), (english, false)]
        .into_iter()
        .filter(|(text, _)| !text.is_empty())
        .flat_map(|(text, is_chinese)| vane_text::keywords(&text, is_chinese, limit * 4))
        .filter(|(term, _)| {
            !own_terms.contains(term.as_str()) && !REPORTING_WORDS.contains(&term.as_str())
        })
        .map(|(term, weight)| KeywordView { term, weight })
        .collect();
    keywords.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    keywords.truncate(limit * 2);
    let shares = |shares: Vec<vane_store::Share>| {
        shares
            .into_iter()
            .map(|share| ShareView {
                name: share.name,
                mentions: share.mentions,
                negative: share.negative,
            })
            .collect()
    };
    Ok(Json(BreakdownView {
        topic: id,
        from: from.to_string(),
        to: to.to_string(),
        channels: shares(breakdown.channels),
        sites: shares(breakdown.sites),
        authors: shares(breakdown.authors),
        keywords,
    }))
}
