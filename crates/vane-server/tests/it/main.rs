//! The API over a real socket and a real SQLite store: topics with query
//! errors at their column, push ingest with its token and dead letters,
//! mentions, search, series, the event stream, metrics and the OpenAPI
//! document.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use vane_model::Timestamp;
use vane_pipeline::{Pipeline, PipelineConfig};

const TOKEN: &str = "test-token";

struct Server {
    base: String,
    pipeline: Arc<Pipeline>,
    _directory: tempfile::TempDir,
    client: reqwest::Client,
}

async fn start() -> Server {
    let directory = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", directory.path().join("vane.db").display());
    let store = vane_store::open(&url).await.unwrap();
    let config = PipelineConfig {
        max_document_bytes: 2_000,
        live_warnings: true,
        ..PipelineConfig::default()
    };
    let pipeline = Pipeline::start(store.clone(), config, Timestamp(0))
        .await
        .unwrap();
    let state = vane_server::AppState {
        pipeline: Arc::clone(&pipeline),
        store,
        api_token: TOKEN.into(),
        max_document_bytes: 2_000,
        started: std::time::Instant::now(),
    };
    tokio::spawn(Arc::clone(&pipeline).run_worker(std::future::pending()));
    let pipeline_for_tests = Arc::clone(&pipeline);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(vane_server::run(listener, state, std::future::pending()));
    Server {
        base,
        pipeline: pipeline_for_tests,
        _directory: directory,
        client: reqwest::Client::new(),
    }
}

impl Server {
    async fn get(&self, path: &str) -> (u16, Value) {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn send(&self, method: reqwest::Method, path: &str, body: Value) -> (u16, Value) {
        let response = self
            .client
            .request(method, format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn push(&self, body: impl Into<reqwest::Body>, token: Option<&str>) -> (u16, Value) {
        let mut request = self
            .client
            .post(format!("{}/api/v1/ingest", self.base))
            .header("content-type", "application/x-ndjson")
            .body(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Waits until the worker has drained the inbox.
    async fn settle(&self) {
        for _ in 0..200 {
            let text = self
                .client
                .get(format!("{}/metrics", self.base))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            if text.contains("\nvane_inbox_depth 0\n") {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("the inbox did not drain");
    }
}

#[tokio::test]
async fn topics_are_created_listed_replaced_and_deleted_and_bad_queries_name_the_column() {
    let server = start().await;
    let (status, body) = server
        .send(
            reqwest::Method::POST,
            "/api/v1/topics",
            json!({"id": "mi", "query": "小米 AND 召回 OR recall"}),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["code"], "invalid_query");
    assert_eq!(body["error"]["column"], 11, "the OR");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("AND and OR mixed")
    );

    let (status, body) = server
        .send(
            reqwest::Method::POST,
            "/api/v1/topics",
            json!({"id": "mi", "query": "小米 OR xiaomi", "brand": "Xiaomi"}),
        )
        .await;
    assert_eq!((status, body["name"].as_str()), (201, Some("mi")));
    let (status, _) = server
        .send(
            reqwest::Method::POST,
            "/api/v1/topics",
            json!({"id": "mi", "query": "x"}),
        )
        .await;
    assert_eq!(status, 409);
    let (status, body) = server
        .send(
            reqwest::Method::PUT,
            "/api/v1/topics/mi",
            json!({"query": "(小米 OR xiaomi) AND 召回"}),
        )
        .await;
    assert_eq!(
        (status, body["query"].as_str()),
        (200, Some("(小米 OR xiaomi) AND 召回"))
    );
    let (_, list) = server.get("/api/v1/topics").await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let (status, body) = server
        .send(
            reqwest::Method::PUT,
            "/api/v1/topics/bad%20id",
            json!({"query": "x"}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("invalid_topic_id"))
    );
    let response = server
        .client
        .delete(format!("{}/api/v1/topics/mi", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 204);
    let (status, body) = server.get("/api/v1/topics/mi").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("topic_not_found"))
    );
}

#[tokio::test]
async fn pushed_documents_become_mentions_and_bad_items_dead_letters() {
    let server = start().await;
    server
        .send(
            reqwest::Method::POST,
            "/api/v1/topics",
            json!({"id": "mi", "query": "小米 OR xiaomi"}),
        )
        .await;
    let good = json!({"id": "n1", "title": "小米召回充电宝", "body": "小米宣布召回部分充电宝，用户很失望。",
        "channel": "weibo", "published_at": "2026-11-20T01:00:00Z", "likes": 10});
    let mut batch = format!("{good}\n{{\"id\": \"n2\", oops\n").into_bytes();
    batch.extend_from_slice(b"\xff\xfe\xfd not utf-8\n");
    batch.extend_from_slice(
        format!("{}\n", json!({"id": "huge", "body": "长".repeat(1_000)})).as_bytes(),
    );

    let (status, body) = server.push(batch.clone(), None).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("unauthorised"))
    );
    let (status, body) = server.push(batch.clone(), Some(TOKEN)).await;
    assert_eq!(status, 202, "{body}");
    assert_eq!(
        (body["accepted"].as_u64(), body["dead_letters"].as_u64()),
        (Some(1), Some(3))
    );
    server.settle().await;

    let (_, mentions) = server.get("/api/v1/mentions?topic=mi").await;
    let first = &mentions["items"][0];
    assert_eq!(first["document"]["id"], "n1");
    assert_eq!(first["sentiment"], "negative");
    assert_eq!(
        first["hits"][0],
        json!({"field": "title", "start": 0, "end": 2})
    );
    let (_, letters) = server.get("/api/v1/dead-letters").await;
    let reasons: Vec<&str> = letters["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|letter| letter["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons.len(), 3);
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("line 2: key must be a string")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("line 3: not UTF-8 text")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("line 4: document too large")),
        "{reasons:?}"
    );

    // the same push again: duplicates, no second mention
    let (_, body) = server.push(format!("{good}\n"), Some(TOKEN)).await;
    assert_eq!(
        (body["accepted"].as_u64(), body["duplicates"].as_u64()),
        (Some(0), Some(1))
    );
    server.settle().await;
    let (_, mentions) = server.get("/api/v1/mentions").await;
    assert_eq!(mentions["items"].as_array().unwrap().len(), 1);

    let (_, search) = server
        .get("/api/v1/search?q=%E5%B0%8F%E7%B1%B3%20AND%20%E5%8F%AC%E5%9B%9E")
        .await;
    assert_eq!(search["items"][0]["document"]["id"], "n1");
    let (status, search) = server
        .get("/api/v1/search?q=%E5%B0%8F%E7%B1%B3%20AND")
        .await;
    assert_eq!(
        (status, search["error"]["code"].as_str()),
        (400, Some("invalid_query"))
    );
    let (_, series) = server
        .get("/api/v1/topics/mi/series?bucket=hour&from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z")
        .await;
    assert_eq!(series["points"][0]["mentions"], 1);
    assert_eq!(series["points"][0]["negative"], 1);
    assert_eq!(series["points"][0]["engagement"], 10);
    let (_, document) = server.get("/api/v1/documents/n1").await;
    assert_eq!(document["mentions"][0]["topic"], "mi");
}

#[tokio::test]
async fn the_event_stream_announces_new_mentions() {
    let server = start().await;
    server
        .send(
            reqwest::Method::POST,
            "/api/v1/topics",
            json!({"id": "mi", "query": "小米"}),
        )
        .await;
    let mut stream = server
        .client
        .get(format!("{}/api/v1/stream?topic=mi", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(
        stream.headers()["content-type"].to_str().unwrap(),
        "text/event-stream"
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    server
        .push(
            format!("{}\n", json!({"id": "s1", "body": "小米发布会"})),
            Some(TOKEN),
        )
        .await;
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !text.contains("\n\n") {
        let chunk = tokio::time::timeout_at(deadline, stream.chunk())
            .await
            .expect("an event within 10 s")
            .unwrap()
            .unwrap();
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(text.starts_with("event: mention\ndata: {"), "{text}");
    // the event is the list's item: a client (the dashboard) renders both alike
    let data = text["event: mention\ndata: ".len()..text.find("\n\n").unwrap()].to_string();
    let event: serde_json::Value = serde_json::from_str(&data).unwrap();
    let (_, page) = server.get("/api/v1/mentions?topic=mi").await;
    assert_eq!(event["document"]["id"], "s1", "{event}");
    assert_eq!(event, page["items"][0]);
}

#[tokio::test]
async fn errors_share_one_shape_and_the_openapi_document_lists_every_route() {
    let server = start().await;
    for (path, code) in [
        ("/api/v1/mentions?limit=0", "invalid_parameter"),
        ("/api/v1/mentions?from=yesterday", "invalid_parameter"),
        ("/api/v1/mentions?channel=fax", "invalid_parameter"),
        ("/api/v1/mentions?cursor=abc", "invalid_cursor"),
        ("/api/v1/search", "missing_query"),
        ("/api/v1/nothing-here", "not_found"),
        ("/api/v1/stories/none", "story_not_found"),
        (
            "/api/v1/warnings/99999999999999999999/acknowledge",
            "invalid_path",
        ),
        ("/api/v1/topics/none/breakdown", "topic_not_found"),
        ("/api/v1/query/preview?q=a%20AND%20(", "invalid_query"),
    ] {
        let (status, body) = if path.ends_with("/acknowledge") {
            server
                .send(reqwest::Method::POST, path, json!({"by": "me"}))
                .await
        } else {
            server.get(path).await
        };
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert_eq!(body["error"]["code"], code, "{path}: {body}");
        assert!(!body["error"]["message"].as_str().unwrap().is_empty());
    }
    let (status, openapi) = server.get("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert_eq!(openapi["openapi"], "3.1.0");
    let paths = openapi["paths"].as_object().unwrap();
    for path in [
        "/api/v1/topics",
        "/api/v1/topics/{id}",
        "/api/v1/topics/{id}/series",
        "/api/v1/topics/{id}/breakdown",
        "/api/v1/query/check",
        "/api/v1/query/preview",
        "/api/v1/sources",
        "/api/v1/sources/activity",
        "/api/v1/mentions",
        "/api/v1/documents",
        "/api/v1/search",
        "/api/v1/stories",
        "/api/v1/dead-letters",
        "/api/v1/ingest",
        "/api/v1/stream",
        "/healthz",
        "/metrics",
    ] {
        assert!(
            paths.contains_key(path),
            "{path} missing from the OpenAPI document"
        );
    }
    let (status, health) = server.get("/healthz").await;
    assert_eq!((status, health["status"].as_str()), (200, Some("ok")));
    let metrics = server
        .client
        .get(format!("{}/metrics", server.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains(
            "# TYPE vane_documents_stored_total counter\nvane_documents_stored_total 0\n"
        ),
        "{metrics}"
    );
}

#[tokio::test]
async fn sources_are_validated_and_kept_with_their_state() {
    let server = start().await;
    let (status, body) = server
        .send(
            reqwest::Method::POST,
            "/api/v1/sources",
            json!({"id": "s", "kind": "feed", "url": "ftp://x"}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("invalid_source"))
    );
    let (status, body) = server
        .send(
            reqwest::Method::POST,
            "/api/v1/sources",
            json!({"id": "s", "kind": "json_api", "url": "https://api.example.com/?c={cursor}"}),
        )
        .await;
    assert_eq!(status, 400);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("needs a mapping")
    );
    let (status, body) = server
        .send(reqwest::Method::POST, "/api/v1/sources", json!({"id": "s", "kind": "feed", "url": "https://example.com/rss", "interval_seconds": 600}))
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["config"]["interval_seconds"], 600);
    assert_eq!(body["state"]["fetches"], 0);
    let (_, list) = server.get("/api/v1/sources").await;
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn warnings_are_listed_acknowledged_and_topics_muted() {
    let server = start().await;
    server
        .send(
            reqwest::Method::POST,
            "/api/v1/topics",
            json!({"id": "mi", "query": "小米"}),
        )
        .await;
    // a central-media mention raises blue by rule at the next evaluation
    let article = json!({"id": "w1", "title": "小米发布新品", "body": "小米今天发布了新品。", "author": "人民日报",
        "published_at": "2026-11-20T01:00:00Z"});
    server.push(format!("{article}\n"), Some(TOKEN)).await;
    server.settle().await;
    let (_, current) = server.get("/api/v1/warnings/current").await;
    assert_eq!(current, json!([{"topic": "mi", "level": "none"}]));
    let (_, list) = server.get("/api/v1/warnings").await;
    assert_eq!(list["items"], json!([]));
    let (status, body) = server
        .send(
            reqwest::Method::POST,
            "/api/v1/warnings/99/acknowledge",
            json!({"by": "me"}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("warning_not_found"))
    );
    let (status, _) = server
        .send(
            reqwest::Method::PUT,
            "/api/v1/topics/mi/mute",
            json!({"minutes": 60}),
        )
        .await;
    assert_eq!(status, 204);
    let (status, body) = server
        .send(
            reqwest::Method::PUT,
            "/api/v1/topics/mi/mute",
            json!({"minutes": 0}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("invalid_body"))
    );
    let (status, body) = server
        .send(
            reqwest::Method::PUT,
            "/api/v1/topics/nope/mute",
            json!({"minutes": 5}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("topic_not_found"))
    );
}

#[tokio::test]
async fn the_event_stream_announces_warnings_and_the_list_shows_them() {
    let server = start().await;
    server
        .send(
            reqwest::Method::POST,
            "/api/v1/topics",
            json!({"id": "mi", "query": "小米"}),
        )
        .await;
    let mut stream = server
        .client
        .get(format!("{}/api/v1/stream", server.base))
        .send()
        .await
        .unwrap();
    let article = json!({"id": "c1", "title": "小米召回", "body": "小米宣布召回部分产品。", "author": "人民日报",
        "published_at": "2026-11-20T01:00:00Z"});
    server.push(format!("{article}\n"), Some(TOKEN)).await;
    server.settle().await;
    let changes = server
        .pipeline
        .evaluate_warnings(Timestamp::parse("2026-11-20T01:02:00Z").unwrap())
        .await
        .unwrap();
    assert_eq!(changes.len(), 1);
    serde_json::to_string(&changes[0]).expect("a level change serialises");
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !text.contains("event: warning") {
        let chunk = tokio::time::timeout_at(deadline, stream.chunk())
            .await
            .unwrap_or_else(|_| panic!("no warning event within 10 s: {text:?}"))
            .unwrap()
            .unwrap();
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    let (_, list) = server.get("/api/v1/warnings?topic=mi").await;
    let first = &list["items"][0];
    assert_eq!(first["level"], changes[0].level.as_str());
    assert!(
        first["evidence"]["rules"][0]
            .as_str()
            .unwrap()
            .starts_with("central media")
    );
    let seq = first["seq"].as_i64().unwrap();
    let response = server
        .client
        .post(format!("{}/api/v1/warnings/{seq}/acknowledge", server.base))
        .json(&json!({"by": "duty officer"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 204);
    let (_, list) = server.get("/api/v1/warnings").await;
    assert_eq!(list["items"][0]["acknowledged_by"], "duty officer");
}

#[tokio::test]
async fn the_editor_checks_and_previews_queries_and_a_topic_breaks_down_by_channel_site_and_author()
{
    let server = start().await;
    // check: the normalised query and lint warnings, or the error's column
    let (status, body) = server
        .send(
            reqwest::Method::POST,
            "/api/v1/query/check",
            json!({"query": "小米 OR xiaomi"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["normalized"], "小米 OR xiaomi");
    let (status, body) = server
        .send(
            reqwest::Method::POST,
            "/api/v1/query/check",
            json!({"query": "小米 AND (召回 OR"}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("invalid_query"))
    );
    assert!(body["error"]["column"].as_u64().unwrap() > 1, "{body}");

    server
        .send(
            reqwest::Method::POST,
            "/api/v1/topics",
            json!({"id": "mi", "query": "小米 OR xiaomi"}),
        )
        .await;
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let now = Timestamp(seconds - 60).to_string();
    let mut batch = String::new();
    for (id, site, author, body) in [
        ("a", "weibo.com", "老王", "小米手机发热严重，非常失望。"),
        ("b", "weibo.com", "老王", "小米汽车质量太差，刹车失灵。"),
        (
            "c",
            "news.example",
            "记者",
            "小米发布新款手机，设计漂亮，性能出色。",
        ),
        ("d", "news.example", "记者", "今天天气很好，公园里人很多。"),
    ] {
        batch.push_str(&format!(
            "{}\n",
            json!({"id": id, "body": body, "site": site, "author": author,
                "channel": if site == "weibo.com" { "weibo" } else { "news" }, "published_at": now})
        ));
    }
    let (status, _) = server.push(batch, Some(TOKEN)).await;
    assert_eq!(status, 202);
    server.settle().await;

    // preview: what the query would match among recent documents
    let (status, preview) = server
        .get("/api/v1/query/preview?q=小米%20AND%20失望")
        .await;
    assert_eq!(status, 200, "{preview}");
    assert_eq!(
        (preview["scanned"].as_u64(), preview["matched"].as_u64()),
        (Some(4), Some(1))
    );
    assert_eq!(preview["samples"][0]["document"]["id"], "a");
    assert_eq!(preview["samples"][0]["hits"].as_array().unwrap().len(), 2);

    // breakdown: channels from the rollups, sites and authors from the mentions
    let (status, breakdown) = server.get("/api/v1/topics/mi/breakdown").await;
    assert_eq!(status, 200, "{breakdown}");
    assert_eq!(
        breakdown["channels"][0],
        json!({"name": "weibo", "mentions": 2, "negative": 2})
    );
    assert_eq!(
        breakdown["channels"][1],
        json!({"name": "news", "mentions": 1, "negative": 0})
    );
    assert_eq!(
        breakdown["sites"][0],
        json!({"name": "weibo.com", "mentions": 2, "negative": 2})
    );
    assert_eq!(breakdown["authors"][0]["name"], "老王");
    let keywords: Vec<&str> = breakdown["keywords"]
        .as_array()
        .unwrap()
        .iter()
        .map(|keyword| keyword["term"].as_str().unwrap())
        .collect();
    assert!(!keywords.is_empty());
    // what else is said, not the topic's own terms
    assert!(!keywords.contains(&"小米"), "{keywords:?}");

    // source health: what arrived in the last day against the week
    let (status, activity) = server.get("/api/v1/sources/activity").await;
    assert_eq!(status, 200, "{activity}");
    assert_eq!(activity[0]["source_id"], Value::Null);
    assert_eq!(
        (
            activity[0]["last_day"].as_u64(),
            activity[0]["last_week"].as_u64()
        ),
        (Some(4), Some(4))
    );
}

#[tokio::test]
async fn the_dashboard_is_served_from_the_binary() {
    let server = start().await;
    for (path, kind, marker) in [
        ("/", "text/html", "/ui/app.js"),
        ("/ui/app.js", "text/javascript", "query/check"),
        ("/ui/app.css", "text/css", ".mention"),
        (
            "/ui/vendor/echarts/echarts.min.js",
            "text/javascript",
            "echarts",
        ),
        ("/ui/vendor/echarts/LICENSE", "text/plain", "Apache License"),
    ] {
        let response = server
            .client
            .get(format!("{}{path}", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200, "{path}");
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(content_type.starts_with(kind), "{path}: {content_type}");
        assert!(response.text().await.unwrap().contains(marker), "{path}");
    }
    let (status, _) = server.get("/ui/nothing.js").await;
    assert_eq!(status, 404);
}
