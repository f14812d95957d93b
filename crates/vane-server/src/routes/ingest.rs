//! `POST /api/v1/ingest`: crawlers and partners push documents — a JSON
//! object, a JSON array of objects, or NDJSON — with the API token. The
//! response comes after the items are committed to the inbox: what it
//! counts as accepted is acknowledged and survives a crash.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use vane_model::SourceId;
use vane_sources::{Rejected, document_from_json, ndjson_documents};
use vane_store::{InboxItem, NewDeadLetter};

use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::params::now;
use crate::wire::IngestResult;

fn authorised(headers: &HeaderMap, token: &str) -> bool {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or("");
    // compare in constant time: the token is a secret
    given.len() == token.len()
        && given
            .bytes()
            .zip(token.bytes())
            .fold(0u8, |difference, (a, b)| difference | (a ^ b))
            == 0
}

/// Pushes documents into the pipeline.
#[utoipa::path(post, path = "/api/v1/ingest", tag = "ingest",
    request_body(content = String, description = "A JSON document, a JSON array of documents, or NDJSON (one document per line)",
        content_type = "application/x-ndjson"),
    security(("api_token" = [])),
    responses((status = 202, description = "Accepted into the inbox", body = IngestResult),
        (status = 401, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub(crate) async fn ingest(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<IngestResult>)> {
    if !authorised(&headers, &state.api_token) {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorised",
            "send the API token as `Authorization: Bearer TOKEN`",
        ));
    }
    let received_at = now();
    let source = headers
        .get("x-vane-source")
        .and_then(|value| value.to_str().ok())
        .filter(|value| !value.is_empty())
        .map(SourceId::new);
    let read = read_batch(&body, state.max_document_bytes);
    let mut items = Vec::new();
    let mut dead_letters = Vec::new();
    for entry in read {
        match entry {
            Ok(document) => items.push(InboxItem {
                source_id: source.clone(),
                received_at,
                document,
            }),
            Err(rejected) => dead_letters.push(NewDeadLetter {
                at: received_at,
                source_id: source.clone().or_else(|| Some(SourceId::new("push"))),
                item_id: rejected.item_id,
                reason: rejected.reason,
                payload: rejected.payload,
            }),
        }
    }
    let reasons = dead_letters
        .iter()
        .take(20)
        .map(|letter| letter.reason.clone())
        .collect();
    let enqueued = state.pipeline.submit(items, dead_letters).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(IngestResult {
            accepted: enqueued.new,
            duplicates: enqueued.duplicates,
            dead_letters: enqueued.dead_letters,
            reasons,
        }),
    ))
}

/// The documents of a pushed body; oversized ones become rejections here,
/// before they are parsed.
fn read_batch(
    body: &[u8],
    max_document_bytes: usize,
) -> Vec<Result<vane_model::Document, Rejected>> {
    let trimmed = body.trim_ascii_start();
    let oversized = |what: String, size: usize, payload: &[u8]| Rejected {
        item_id: None,
        reason: format!(
            "{what}: document too large: {size} bytes, the limit is {max_document_bytes}"
        ),
        payload: String::from_utf8_lossy(&payload[..payload.len().min(512)]).into_owned() + "…",
    };
    if trimmed.starts_with(b"[") {
        if body.len() > max_document_bytes * 16 {
            return vec![Err(oversized("batch".to_string(), body.len(), body))];
        }
        return match serde_json::from_slice::<Vec<serde_json::Value>>(trimmed) {
            Err(error) => vec![Err(Rejected {
                item_id: None,
                reason: format!("malformed JSON array: {error}"),
                payload: String::from_utf8_lossy(&body[..body.len().min(4_096)]).into_owned(),
            })],
            Ok(values) => values
                .into_iter()
                .enumerate()
                .map(|(index, value)| {
                    let text = value.to_string();
                    if text.len() > max_document_bytes {
                        return Err(oversized(
                            format!("item {index}"),
                            text.len(),
                            text.as_bytes(),
                        ));
                    }
                    document_from_json(text.as_bytes()).map_err(|reason| Rejected {
                        item_id: None,
                        reason: format!("item {index}: {reason}"),
                        payload: text.chars().take(4_096).collect(),
                    })
                })
                .collect(),
        };
    }
    let mut out = Vec::new();
    for (index, line) in body.split(|&byte| byte == b'\n').enumerate() {
        if line.len() > max_document_bytes {
            out.push(Err(oversized(
                format!("line {}", index + 1),
                line.len(),
                line,
            )));
        } else {
            out.extend(ndjson_documents(line, index + 1));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pushed_batches_are_read_item_by_item() {
        let read = read_batch(
            b"{\"id\":\"a\"}\n\xc3\x28\n{\"id\":\"b\",\"body\":\"0123456789\"}\n",
            20,
        );
        assert!(read[0].is_ok());
        assert!(
            read[1]
                .as_ref()
                .unwrap_err()
                .reason
                .starts_with("line 2: not UTF-8")
        );
        assert!(
            read[2]
                .as_ref()
                .unwrap_err()
                .reason
                .contains("document too large")
        );
        let read = read_batch(br#"[{"id":1},{"title":5}]"#, 1_000);
        assert_eq!(read[0].as_ref().unwrap().id.as_str(), "1");
        assert!(
            read[1]
                .as_ref()
                .unwrap_err()
                .reason
                .starts_with("item 1: invalid type")
        );
        let read = read_batch(b"[{\"id\":1}", 1_000);
        assert!(
            read[0]
                .as_ref()
                .unwrap_err()
                .reason
                .starts_with("malformed JSON array")
        );
    }
}
