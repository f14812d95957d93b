//! `vane serve`, `vane ingest`, `vane topics` and `vane search` as
//! processes: the demo answers at once, imports are idempotent, and a
//! server killed with SIGKILL in the middle of a push loses nothing it
//! acknowledged and stores nothing twice.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::{files, text, vane};

/// A minimal HTTP/1.1 exchange: (status, body). `None` when the
/// connection fails (the server is down).
fn http(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &[u8],
) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .ok()?;
    let authorization = token
        .map(|token| format!("Authorization: Bearer {token}\r\n"))
        .unwrap_or_default();
    let content_type = if path.ends_with("/ingest") {
        "application/x-ndjson"
    } else {
        "application/json"
    };
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{authorization}Content-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(body).ok()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).ok()?;
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response.get(9..12)?.parse().ok()?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())?;
    Some((status, body))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(data_dir: &std::path::Path, port: u16, extra: &[&str]) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_vane"))
        .args(["serve", "--data-dir"])
        .arg(data_dir)
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args(extra)
        .env("VANE_API_TOKEN", "secret")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("vane serve starts");
    let server = Server(child);
    let started = Instant::now();
    while http(port, "GET", "/healthz", None, b"").is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "vane serve did not answer"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    server
}

fn metric(port: u16, name: &str) -> u64 {
    let (_, body) = http(port, "GET", "/metrics", None, b"").expect("metrics");
    body.lines()
        .find_map(|line| line.strip_prefix(&format!("{name} ")))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or_else(|| panic!("no metric {name}"))
}

#[test]
fn the_demo_serves_mentions_with_sentiment_and_topics_at_once() {
    let data = files(&[]);
    let port = free_port();
    let _server = serve(&data, port, &["--demo"]);
    let started = Instant::now();
    loop {
        let (status, body) = http(port, "GET", "/api/v1/mentions?limit=5", None, b"").unwrap();
        assert_eq!(status, 200);
        let page: serde_json::Value = serde_json::from_str(&body).unwrap();
        if let Some(first) = page["items"].as_array().and_then(|items| items.first()) {
            assert!(
                ["lumio", "lumio-safety", "norvia", "kestrel"]
                    .contains(&first["topic"].as_str().unwrap())
            );
            assert!(
                ["positive", "neutral", "negative"].contains(&first["sentiment"].as_str().unwrap())
            );
            assert!(
                first["document"]["id"]
                    .as_str()
                    .unwrap()
                    .starts_with("demo:")
            );
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no demo mentions within 60 s"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let (_, topics) = http(port, "GET", "/api/v1/topics", None, b"").unwrap();
    assert!(topics.contains("\"lumio-safety\""), "{topics}");
}

#[test]
fn ingest_prints_a_summary_and_adds_nothing_the_second_time() {
    let documents: String = (0..300)
        .map(|index| {
            format!(
                "{}\n",
                serde_json::json!({"id": format!("i{index}"), "title": "小米新品", "body": format!("小米发布第{index}款产品"),
                    "published_at": "2026-11-20T01:00:00Z"})
            )
        })
        .collect::<String>()
        + "{\"id\": broken\n";
    let data = files(&[
        ("docs.ndjson", &documents),
        ("topics.ndjson", "{\"id\": \"mi\", \"query\": \"小米\"}\n"),
    ]);
    let data_dir = data.join("store");
    let store = data_dir.to_str().unwrap();
    let import = vane(
        &[
            "topics",
            "import",
            data.join("topics.ndjson").to_str().unwrap(),
            "--data-dir",
            store,
        ],
        None,
    );
    assert_eq!(import.status.code(), Some(0), "{}", text(&import.stderr));
    let docs = data.join("docs.ndjson");
    let first = vane(
        &[
            "ingest",
            docs.to_str().unwrap(),
            "--data-dir",
            store,
            "--quiet",
        ],
        None,
    );
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    let summary: serde_json::Value = serde_json::from_str(text(&first.stdout).trim()).unwrap();
    assert_eq!(
        (
            &summary["read"],
            &summary["new"],
            &summary["duplicates"],
            &summary["dead_letters"]
        ),
        (
            &serde_json::json!(301),
            &serde_json::json!(300),
            &serde_json::json!(0),
            &serde_json::json!(1)
        )
    );
    assert!(summary["seconds"].as_f64().unwrap() > 0.0);
    let second = vane(
        &[
            "ingest",
            docs.to_str().unwrap(),
            "--data-dir",
            store,
            "--quiet",
        ],
        None,
    );
    let summary: serde_json::Value = serde_json::from_str(text(&second.stdout).trim()).unwrap();
    assert_eq!(
        (&summary["new"], &summary["duplicates"]),
        (&serde_json::json!(0), &serde_json::json!(300))
    );
    let search = vane(&["search", "小米 AND 第7款", "--data-dir", store], None);
    assert_eq!(search.status.code(), Some(0), "{}", text(&search.stderr));
    let ids: Vec<String> = text(&search.stdout)
        .lines()
        .map(|line| {
            serde_json::from_str::<serde_json::Value>(line).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids, ["i7"]);
    let bad = vane(&["search", "小米 AND", "--data-dir", store], None);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("invalid query"),
        "{}",
        text(&bad.stderr)
    );
    let missing = vane(
        &["ingest", "/nonexistent/file.ndjson", "--data-dir", store],
        None,
    );
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("cannot read /nonexistent/file.ndjson"));
}

/// A push batch of `count` documents numbered from `first`.
fn batch(first: usize, count: usize) -> (Vec<String>, Vec<u8>) {
    let mut ids = Vec::new();
    let mut body = Vec::new();
    for number in first..first + count {
        let id = format!("k{number}");
        let line = serde_json::json!({
            "id": id,
            "title": format!("小米第{number}号通报"),
            "body": format!("小米公司发布第{number}号质量通报，涉及部分充电宝召回。消费者可联系客服更换。{}", "详细内容见官方网站。".repeat(20)),
            "channel": "news",
        });
        body.extend_from_slice(line.to_string().as_bytes());
        body.push(b'\n');
        ids.push(id);
    }
    (ids, body)
}

#[test]
fn a_server_killed_mid_ingest_keeps_every_acknowledged_document_exactly_once() {
    let data = files(&[]);
    let port = free_port();
    let mut server = serve(&data, port, &[]);
    let (status, _) = http(
        port,
        "PUT",
        "/api/v1/topics/mi",
        None,
        r#"{"query": "小米"}"#.as_bytes(),
    )
    .unwrap();
    assert_eq!(status, 201);
    // push from another thread while this one kills the server
    let pusher = std::thread::spawn(move || {
        let mut acknowledged = Vec::new();
        for round in 0.. {
            let (ids, body) = batch(round * 200, 200);
            match http(port, "POST", "/api/v1/ingest", Some("secret"), &body) {
                Some((202, _)) => acknowledged.extend(ids),
                Some((status, body)) => panic!("push answered {status}: {body}"),
                None => break, // the server is gone: this batch was not acknowledged
            }
        }
        acknowledged
    });
    // kill while the worker is busy: some batches stored, some queued
    let started = Instant::now();
    while metric(port, "vane_documents_stored_total") < 1_000 {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "ingest did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    server.0.kill().unwrap(); // SIGKILL
    server.0.wait().unwrap();
    let acknowledged = pusher.join().unwrap();
    assert!(acknowledged.len() >= 1_000, "{}", acknowledged.len());

    let _restarted = serve(&data, port, &[]);
    let started = Instant::now();
    while metric(port, "vane_inbox_depth") > 0 {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the inbox did not drain"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    for id in &acknowledged {
        let (status, body) =
            http(port, "GET", &format!("/api/v1/documents/{id}"), None, b"").unwrap();
        assert_eq!(status, 200, "acknowledged document {id} lost: {body}");
    }
    // exactly once: one mention per stored document, and no more documents
    // than were sent (the batch cut off by the kill may or may not be in)
    let documents = metric(port, "vane_documents");
    let mentions = metric(port, "vane_mentions");
    assert_eq!(
        documents, mentions,
        "a document was stored or matched twice"
    );
    assert!(documents as usize >= acknowledged.len());
    assert!(
        documents as usize <= acknowledged.len() + 200,
        "{documents} > {} + 200",
        acknowledged.len()
    );
    eprintln!(
        "kill -9: {} acknowledged, {documents} stored after restart",
        acknowledged.len()
    );
}

#[test]
fn ingest_reads_csv_with_a_mapping_and_saved_feeds() {
    let csv = "标题,内容,链接,发布时间\n小米召回,小米宣布召回充电宝,https://a.example/1,2026-11-20T01:00:00Z\n坏日期,正文,https://a.example/2,not a date\n";
    let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>小米新品</title><link>https://b.example/1</link><guid>g1</guid><description>小米发布新品</description></item>
</channel></rss>"#;
    let data = files(&[
        ("posts.csv", csv),
        ("feed.xml", rss),
        ("broken.xml", "<rss><channel><item>"),
    ]);
    let store = data.join("store");
    let store = store.to_str().unwrap();
    let summary = |output: std::process::Output| -> serde_json::Value {
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        serde_json::from_str(text(&output.stdout).trim()).unwrap()
    };
    let csv_path = data.join("posts.csv");
    let read = summary(vane(
        &[
            "ingest",
            csv_path.to_str().unwrap(),
            "--map",
            "body=内容",
            "--data-dir",
            store,
            "--quiet",
        ],
        None,
    ));
    assert_eq!(
        (&read["new"], &read["dead_letters"]),
        (&serde_json::json!(1), &serde_json::json!(1))
    );
    let feed_path = data.join("feed.xml");
    let read = summary(vane(
        &[
            "ingest",
            feed_path.to_str().unwrap(),
            "--source",
            "xinhua",
            "--data-dir",
            store,
            "--quiet",
        ],
        None,
    ));
    assert_eq!(read["new"], 1);
    let broken = data.join("broken.xml");
    let read = summary(vane(
        &[
            "ingest",
            broken.to_str().unwrap(),
            "--data-dir",
            store,
            "--quiet",
        ],
        None,
    ));
    assert_eq!(
        (&read["new"], &read["dead_letters"]),
        (&serde_json::json!(0), &serde_json::json!(1))
    );
    let found = vane(&["search", "小米", "--data-dir", store], None);
    let ids: Vec<String> = text(&found.stdout)
        .lines()
        .map(|line| {
            serde_json::from_str::<serde_json::Value>(line).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids, ["xinhua:g1", "url:https://a.example/1"]);
    let unknown = vane(
        &[
            "ingest",
            csv_path.to_str().unwrap(),
            "--map",
            "headline=标题",
            "--data-dir",
            store,
        ],
        None,
    );
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        text(&unknown.stderr).contains("unknown document field `headline`"),
        "{}",
        text(&unknown.stderr)
    );
}
