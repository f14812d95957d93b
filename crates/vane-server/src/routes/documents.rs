//! `/api/v1/documents` and `/api/v1/documents/{id}`.

use axum::Json;
use axum::extract::State;

use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::params::{self, ApiPath, ApiQuery};
use crate::wire::{
    DocumentDetail, DocumentPage, DocumentView, HitView, ListParams, MentionSummary,
};

/// Documents, newest first; with `topic`, the documents it mentions.
#[utoipa::path(get, path = "/api/v1/documents", tag = "documents", params(ListParams),
    responses((status = 200, body = DocumentPage), (status = 400, body = ErrorBody)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ListParams>,
) -> ApiResult<Json<DocumentPage>> {
    let filter = query.filter()?;
    let limit = params::limit(query.limit.as_deref(), 50)?;
    let cursor = params::cursor(query.cursor.as_deref())?;
    let page = state.store.documents(&filter, cursor, limit).await?;
    Ok(Json(DocumentPage {
        items: page.items.into_iter().map(DocumentView::of).collect(),
        next: page.next.map(|cursor| cursor.to_string()),
    }))
}

/// One document with its mentions.
#[utoipa::path(get, path = "/api/v1/documents/{id}", tag = "documents",
    params(("id" = String, Path, description = "Document id")),
    responses((status = 200, body = DocumentDetail), (status = 404, body = ErrorBody)))]
pub(crate) async fn show(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<DocumentDetail>> {
    let document =
        state.store.document(&id).await?.ok_or_else(|| {
            ApiError::not_found("document_not_found", format!("no document `{id}`"))
        })?;
    let mentions = state
        .store
        .document_mentions(&id)
        .await?
        .into_iter()
        .map(|mention| MentionSummary {
            topic: mention.topic.as_str().to_string(),
            sentiment: mention.sentiment.as_str().to_string(),
            sentiment_score: mention.sentiment_score,
            hits: mention.hits.iter().map(HitView::of).collect(),
        })
        .collect();
    Ok(Json(DocumentDetail {
        document: DocumentView::of(document),
        mentions,
    }))
}
