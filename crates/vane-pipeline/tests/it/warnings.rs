//! The scenario library (`examples/scenarios`, made by `vane warnings
//! scenarios` from real sentences) through the whole pipeline and the
//! warning engine: quiet when it should be, early when it matters, and the
//! same every time.

use vane_detect::{Level, LevelChange, WarningConfig};
use vane_model::{Document, Timestamp, Topic};

use crate::store;

fn scenario_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/scenarios")
}

fn read<T: serde::de::DeserializeOwned>(name: &str) -> Vec<T> {
    let path = scenario_dir().join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

async fn replay(name: &str) -> Vec<LevelChange> {
    let topics: Vec<Topic> = read("topics.ndjson");
    let documents: Vec<Document> = read(&format!("{name}.ndjson"));
    let (_directory, store) = store().await;
    vane_pipeline::replay_warnings(store, &topics, documents, &WarningConfig::default())
        .await
        .unwrap()
}

fn highest(changes: &[LevelChange]) -> Level {
    changes
        .iter()
        .map(|change| change.level)
        .max()
        .unwrap_or(Level::None)
}

/// Minutes from `onset` until the level first reached `level`.
fn delay(changes: &[LevelChange], level: Level, onset: Timestamp) -> Option<i64> {
    changes
        .iter()
        .find(|change| change.level >= level && change.at >= onset)
        .map(|change| (change.at.0 - onset.0) / 60)
}

/// Day 14 of the scenarios at `hour`:00 UTC.
fn day14(hour: i64) -> Timestamp {
    Timestamp(1_772_409_600 + 14 * 86_400 + hour * 3_600)
}

#[tokio::test]
async fn a_calm_fortnight_never_goes_above_blue() {
    let changes = replay("calm").await;
    assert!(highest(&changes) <= Level::Blue, "{:?}", highest(&changes));
}

#[tokio::test]
async fn a_safety_crisis_is_orange_within_90_minutes_and_red_within_4_hours() {
    let changes = replay("crisis").await;
    let onset = day14(10);
    let before: Vec<&LevelChange> = changes.iter().filter(|change| change.at < onset).collect();
    assert!(
        before.iter().all(|change| change.level <= Level::Blue),
        "{before:?}"
    );
    let orange = delay(&changes, Level::Orange, onset).expect("reaches orange");
    let red = delay(&changes, Level::Red, onset).expect("reaches red");
    eprintln!("crisis: orange after {orange} min, red after {red} min");
    assert!(orange <= 90, "orange after {orange} min");
    assert!(red <= 240, "red after {red} min");
    // the evidence says why: negative, sensitive, across channels
    let red_change = changes
        .iter()
        .find(|change| change.level == Level::Red)
        .unwrap();
    let evidence = &red_change.evidence;
    assert!(
        evidence.negative_share > 0.5 && evidence.sensitive_mentions > 10,
        "{evidence:?}"
    );
    assert!(!evidence.top_mentions.is_empty() && !evidence.top_sites.is_empty());
    // and it ends: the level falls within twelve hours of the last surge
    assert!(changes.last().unwrap().level < Level::Orange);
}

#[tokio::test]
async fn a_product_launch_never_goes_above_yellow() {
    let changes = replay("launch").await;
    assert!(
        highest(&changes) <= Level::Yellow,
        "{:?}",
        highest(&changes)
    );
}

#[tokio::test]
async fn a_slow_burn_of_growing_negativity_reaches_yellow() {
    let changes = replay("slow-burn").await;
    let creep = Timestamp(1_772_409_600 + 12 * 86_400);
    let yellow = delay(&changes, Level::Yellow, creep).expect("reaches yellow");
    eprintln!("slow burn: yellow {} h after the creep began", yellow / 60);
    assert!(
        changes
            .iter()
            .filter(|change| change.at < creep)
            .all(|change| change.level <= Level::Blue)
    );
}

#[tokio::test]
async fn a_night_burst_of_neutral_reposts_stays_at_blue() {
    let changes = replay("night-reposts").await;
    assert!(highest(&changes) <= Level::Blue, "{:?}", highest(&changes));
}

#[tokio::test]
async fn replay_is_deterministic() {
    let first = replay("crisis").await;
    let second = replay("crisis").await;
    assert_eq!(first, second);
}

#[tokio::test]
async fn live_warnings_are_stored_and_sent_to_their_route() {
    use std::sync::{Arc, Mutex};
    let received: Arc<Mutex<Vec<serde_json::Value>>> = Arc::default();
    let sink = received.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |body: axum::Json<serde_json::Value>| {
            let sink = sink.clone();
            async move {
                sink.lock().unwrap().push(body.0);
                axum::http::StatusCode::OK
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let (_directory, store) = store().await;
    let config = vane_pipeline::PipelineConfig {
        routes: vec![vane_notify::Route {
            name: "pr".to_string(),
            min_level: Level::Blue,
            topics: Vec::new(),
            targets: vec![vane_notify::Target::Webhook(vane_notify::WebhookTarget {
                url,
                format: vane_notify::WebhookFormat::Dingtalk,
                secret: None,
            })],
            throttle_minutes: 30,
            quiet_hours: None,
        }],
        live_warnings: true,
        ..vane_pipeline::PipelineConfig::default()
    };
    let pipeline = vane_pipeline::Pipeline::start(store.clone(), config, Timestamp(1_795_000_000))
        .await
        .unwrap();
    pipeline
        .put_topic(&Topic {
            id: vane_model::TopicId::new("mi"),
            name: "小米".to_string(),
            query: "小米".to_string(),
            brand: None,
            competitor: false,
            enabled: true,
        })
        .await
        .unwrap();
    let mut article = crate::document("p1", "小米发布新品", "小米今天发布了新品。", 0);
    article.author = "新华社".to_string();
    pipeline
        .ingest(vec![crate::received(article)], Vec::new())
        .await
        .unwrap();
    let stored = store.document("p1").await.unwrap().unwrap();
    assert!(stored.signals.central_media && stored.signals.authority);

    let changes = pipeline
        .evaluate_warnings(Timestamp(1_795_000_000 + 120))
        .await
        .unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].level, Level::Blue);
    let warnings = store.warnings(None, None, 10).await.unwrap().items;
    assert_eq!(
        (warnings[0].level.as_str(), warnings[0].topic.as_str()),
        ("blue", "mi")
    );
    assert!(
        warnings[0].evidence["rules"][0]
            .as_str()
            .unwrap()
            .starts_with("central media")
    );
    for _ in 0..100 {
        if !received.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let received = received.lock().unwrap().clone();
    assert_eq!(received.len(), 1, "one notification");
    assert!(
        received[0]["markdown"]["title"]
            .as_str()
            .unwrap()
            .contains("蓝色预警")
    );
    assert!(
        store
            .acknowledge_warning(warnings[0].seq, "duty officer", Timestamp(1_795_000_300))
            .await
            .unwrap()
    );
    let acknowledged = &store.warnings(None, None, 10).await.unwrap().items[0];
    assert_eq!(
        acknowledged.acknowledged_by.as_deref(),
        Some("duty officer")
    );
}
