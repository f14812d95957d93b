//! The feed poller against a local HTTP server: RSS 2.0, Atom, a GBK feed,
//! a malformed feed, conditional GET with 304, back-off, and the refusal
//! of private addresses.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use vane_model::{SourceConfig, SourceId, SourceKind, SourceState};
use vane_pipeline::poll_due_sources;
use vane_sources::{FetchPolicy, Fetcher};

use crate::{pipeline_with, store};

const RSS: &str = r#"<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>
<item><title>Xiaomi recalls power banks</title><link>https://example.com/1</link><guid>r1</guid>
<description>Xiaomi is recalling power banks after reports of overheating.</description>
<pubDate>Fri, 20 Nov 2026 01:30:00 GMT</pubDate></item></channel></rss>"#;

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
<entry><id>urn:a1</id><title>小米发布新手机</title><link href="https://example.com/a1"/>
<updated>2026-11-20T02:00:00Z</updated><summary>小米今天发布了新手机。</summary></entry></feed>"#;

fn gbk_feed() -> Vec<u8> {
    let text = r#"<?xml version="1.0" encoding="gbk"?><rss version="2.0"><channel><title>国内</title>
<item><title>小米汽车召回</title><link>https://example.com/g1</link><guid>g1</guid>
<description>小米汽车宣布召回部分车辆。</description></item></channel></rss>"#;
    encoding_rs::GBK.encode(text).0.into_owned()
}

/// Serves the feeds on a free local port; counts conditional requests.
async fn serve() -> (String, Arc<AtomicUsize>) {
    let conditional = Arc::new(AtomicUsize::new(0));
    let counter = conditional.clone();
    let app = Router::new()
        .route(
            "/rss",
            get(|| async { ([(header::CONTENT_TYPE, "application/rss+xml")], RSS) }),
        )
        .route(
            "/atom",
            get(|| async { ([(header::CONTENT_TYPE, "application/atom+xml")], ATOM) }),
        )
        .route(
            "/gbk",
            get(|| async { ([(header::CONTENT_TYPE, "text/xml")], gbk_feed()) }),
        )
        .route(
            "/broken",
            get(|| async { "<rss><channel><item><title>oops</channel>" }),
        )
        .route("/down", get(|| async { StatusCode::SERVICE_UNAVAILABLE }))
        .route(
            "/etag",
            get(move |headers: HeaderMap| {
                let counter = counter.clone();
                async move {
                    if headers
                        .get(header::IF_NONE_MATCH)
                        .and_then(|v| v.to_str().ok())
                        == Some("\"v1\"")
                    {
                        counter.fetch_add(1, Ordering::SeqCst);
                        return StatusCode::NOT_MODIFIED.into_response();
                    }
                    ([(header::ETAG, "\"v1\"")], RSS.replace("r1", "e1")).into_response()
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{address}"), conditional)
}

fn feed(id: &str, url: String) -> SourceConfig {
    SourceConfig {
        id: SourceId::new(id),
        kind: SourceKind::Feed,
        url,
        interval_seconds: 60,
        enabled: true,
        full_article: false,
        headers: Default::default(),
        channel: None,
        mapping: None,
    }
}

fn allowing_private() -> Fetcher {
    Fetcher::new(FetchPolicy {
        allow_private: true,
        ..FetchPolicy::default()
    })
}

#[tokio::test]
async fn feeds_of_every_kind_are_polled_into_the_store() {
    let (base, _) = serve().await;
    let (_directory, store) = store().await;
    let pipeline = pipeline_with(store.clone(), &[("xiaomi", "小米 OR xiaomi")]).await;
    for (id, path) in [
        ("rss", "/rss"),
        ("atom", "/atom"),
        ("gbk", "/gbk"),
        ("broken", "/broken"),
    ] {
        store
            .put_source(&feed(id, format!("{base}{path}")))
            .await
            .unwrap();
    }
    assert_eq!(
        poll_due_sources(&pipeline, &allowing_private())
            .await
            .unwrap(),
        4
    );
    while pipeline.drain_once().await.unwrap() > 0 {}
    let rss = store
        .document("rss:r1")
        .await
        .unwrap()
        .expect("RSS item stored");
    assert_eq!(rss.document.title, "Xiaomi recalls power banks");
    assert_eq!(rss.published_at.to_string(), "2026-11-20T01:30:00Z");
    let atom = store
        .document("atom:urn:a1")
        .await
        .unwrap()
        .expect("Atom entry stored");
    assert_eq!(atom.document.body, "小米今天发布了新手机。");
    let gbk = store
        .document("gbk:g1")
        .await
        .unwrap()
        .expect("GBK item stored");
    assert_eq!(gbk.document.title, "小米汽车召回");
    assert_eq!(store.counts().await.unwrap().mentions, 3);
    // the malformed feed: a dead letter and an error on the source, nothing else lost
    let letters = store.dead_letters(None, 10).await.unwrap().items;
    assert_eq!(letters.len(), 1);
    assert!(
        letters[0]
            .reason
            .starts_with(&format!("malformed feed {base}/broken")),
        "{}",
        letters[0].reason
    );
    let (_, state) = store
        .source(&SourceId::new("broken"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((state.errors, state.consecutive_failures), (1, 1));
    let (_, state) = store.source(&SourceId::new("rss")).await.unwrap().unwrap();
    assert_eq!((state.items, state.errors, state.last_error), (1, 0, None));
}

#[tokio::test]
async fn an_unchanged_feed_answers_304_and_adds_nothing() {
    let (base, conditional) = serve().await;
    let fetcher = allowing_private();
    let config = feed("etag", format!("{base}/etag"));
    let first = vane_sources::poll(&fetcher, &config, &SourceState::default(), 1_000).await;
    assert_eq!(first.documents.len(), 1);
    assert_eq!(first.state.etag.as_deref(), Some("\"v1\""));
    assert_eq!(first.state.next_fetch_at, Some(1_060));
    let second = vane_sources::poll(&fetcher, &config, &first.state, 1_060).await;
    assert!(second.not_modified && second.documents.is_empty());
    assert_eq!(conditional.load(Ordering::SeqCst), 1);
    assert_eq!(
        second.state.etag.as_deref(),
        Some("\"v1\""),
        "the ETag is kept"
    );
}

#[tokio::test]
async fn failures_back_off_and_private_addresses_are_refused() {
    let (base, _) = serve().await;
    let config = feed("down", format!("{base}/down"));
    let mut state = SourceState::default();
    let mut waits = Vec::new();
    for attempt in 0..3 {
        let now = 10_000 + attempt * 10_000;
        state = vane_sources::poll(&allowing_private(), &config, &state, now)
            .await
            .state;
        waits.push(state.next_fetch_at.unwrap() - now);
    }
    assert_eq!(waits, [120, 240, 480]);
    assert!(state.last_error.as_deref().unwrap().starts_with("HTTP 503"));

    let strict = Fetcher::new(FetchPolicy::default());
    let refused = vane_sources::poll(
        &strict,
        &feed("local", format!("{base}/rss")),
        &SourceState::default(),
        0,
    )
    .await;
    let error = refused.state.last_error.unwrap();
    assert!(error.contains("private, loopback or link-local"), "{error}");
    for url in [
        "http://localhost/",
        "http://10.1.2.3/",
        "http://[::1]/",
        "http://169.254.169.254/latest",
    ] {
        let error = strict.get(url, &Default::default()).await.unwrap_err();
        assert!(
            error
                .to_string()
                .contains("private, loopback or link-local"),
            "{url}: {error}"
        );
    }
}

const SUMMARY_RSS: &str = r#"<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>
<item><title>小米发布会</title><link>LINK</link><guid>s1</guid><description>小米今天开了发布会。</description></item>
</channel></rss>"#;

const ARTICLE: &str = "<html><head><title>小米发布会</title></head><body><nav>首页 新闻</nav><article>\
<p>小米今天在北京举行发布会，推出了新款手机和笔记本电脑，现场来了很多媒体记者和用户。</p>\
<p>发布会上，公司介绍了新产品的电池技术，表示充电速度比上一代提升一倍，而且更加安全可靠。</p>\
<p>业内人士认为，这次发布会展示了公司在高端市场的决心，新产品有望在年底前上市销售。</p>\
</article><footer>版权所有</footer></body></html>";

#[tokio::test]
async fn summary_only_items_get_their_full_article_and_json_apis_page_by_cursor() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let base = format!("http://{address}");
    let summary_feed = SUMMARY_RSS.replace("LINK", &format!("{base}/article"));
    let app = Router::new()
        .route(
            "/summary",
            get(move || async move {
                (
                    [(header::CONTENT_TYPE, "application/rss+xml")],
                    summary_feed,
                )
            }),
        )
        .route(
            "/article",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                    ARTICLE,
                )
            }),
        )
        .route(
            "/api",
            get(|query: axum::extract::RawQuery| async move {
                let page = match query.0.as_deref() {
                    Some("cursor=") | None => serde_json::json!({"next": "p2", "items": [
                        {"id": 1, "text": "小米新品", "likes": "7"}]}),
                    Some("cursor=p2") => serde_json::json!({"next": "p3", "items": [
                        {"id": 2, "text": "小米召回", "likes": 3}, {"text": "no id"}]}),
                    Some(other) => serde_json::json!({"unexpected": other}),
                };
                axum::Json(page)
            }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let fetcher = allowing_private();

    let mut config = feed("summary", format!("{base}/summary"));
    config.full_article = true;
    let outcome = vane_sources::poll(&fetcher, &config, &SourceState::default(), 0).await;
    let body = &outcome.documents[0].body;
    assert!(body.contains("充电速度比上一代提升一倍"), "{body}");
    assert!(
        !body.contains("版权所有") && !body.contains("首页"),
        "{body}"
    );

    let api: SourceConfig = serde_json::from_value(serde_json::json!({
        "id": "api", "kind": "json_api", "url": format!("{base}/api?cursor={{cursor}}"), "channel": "weibo",
        "mapping": {"items": "/items", "id": "/id", "fields": {"body": "/text", "likes": "/likes"},
                    "cursor": {"type": "cursor", "pointer": "/next"}}
    }))
    .unwrap();
    let first = vane_sources::poll(&fetcher, &api, &SourceState::default(), 0).await;
    assert_eq!(first.documents[0].id.as_str(), "api:1");
    assert_eq!(first.documents[0].likes, 7);
    assert_eq!(first.state.cursor.as_deref(), Some("p2"));
    let second = vane_sources::poll(&fetcher, &api, &first.state, 60).await;
    assert_eq!(second.documents.len(), 1);
    assert_eq!(second.documents[0].id.as_str(), "api:2");
    assert_eq!(second.rejected[0].reason, "item 1: no id at /id");
    assert_eq!(second.state.cursor.as_deref(), Some("p3"));
    assert_eq!(second.state.items, 2);
}
