//! The `vane` binary as a user runs it: exit codes, output shapes and the
//! messages of every error a user can cause.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn vane(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vane"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("vane starts");
    if let Some(input) = stdin {
        // a command that fails before reading its input closes the pipe early
        let _ = child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes());
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("vane finishes")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A scratch folder with the given files.
fn files(contents: &[(&str, &str)]) -> std::path::PathBuf {
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "vane-cli-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, content) in contents {
        std::fs::write(dir.join(name), content).unwrap();
    }
    dir
}

const TOPICS: &str = r#"{"id": "safety", "query": "(小米 OR xiaomi) AND (召回 OR recall)"}
{"id": "weibo", "query": "channel:weibo"}
{"id": "brand", "query": "xiaomi OR 小米"}
"#;

#[test]
fn check_prints_the_normalised_query_and_warnings() {
    let output = vane(
        &["query", "check", "（小米 OR xiaomi） -site:www.mi.com xi*"],
        None,
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    let mut lines = stdout.lines();
    assert_eq!(
        lines.next(),
        Some("(小米 OR xiaomi) AND NOT site:mi.com AND xi*")
    );
    assert!(
        lines
            .next()
            .is_some_and(|line| line.starts_with("warning at column 35:")),
        "{stdout}"
    );
}

#[test]
fn check_rejects_an_invalid_query_with_exit_code_2_and_the_column() {
    let output = vane(&["query", "check", "a AND b OR c"], None);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(
        stderr.starts_with(
            "error at column 9: AND and OR mixed without parentheses — write (a AND b) OR c"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("        ^"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn match_prints_one_line_per_document_in_input_order() {
    let dir = files(&[
        ("topics.ndjson", TOPICS),
        (
            "docs.ndjson",
            concat!(
                r#"{"id": "d1", "title": "小米召回", "channel": "weibo"}"#,
                "\n\n",
                r#"{"id": 2, "body": "nothing here", "url": "https://weibo.com/x"}"#,
                "\n",
                r#"{"id": "d3", "body": "Xiaomi issues a recall"}"#,
                "\n"
            ),
        ),
    ]);
    let output = vane(
        &[
            "query",
            "match",
            "--topics",
            dir.join("topics.ndjson").to_str().unwrap(),
            "--docs",
            dir.join("docs.ndjson").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        concat!(
            r#"{"id":"d1","topics":["safety","weibo","brand"]}"#,
            "\n",
            r#"{"id":"2","topics":[]}"#,
            "\n",
            r#"{"id":"d3","topics":["safety","brand"]}"#,
            "\n"
        )
    );
}

#[test]
fn match_reads_standard_input_and_explains_hits() {
    let dir = files(&[("topics.ndjson", TOPICS)]);
    let output = vane(
        &[
            "query",
            "match",
            "--topics",
            dir.join("topics.ndjson").to_str().unwrap(),
            "--explain",
        ],
        Some(r#"{"id": "d1", "title": "輿情：小米召回"}"#),
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let line: serde_json::Value = serde_json::from_str(text(&output.stdout).trim()).unwrap();
    assert_eq!(line["topics"], serde_json::json!(["safety", "brand"]));
    assert_eq!(
        line["hits"]["safety"],
        serde_json::json!([
            {"field": "title", "start": 3, "end": 5, "text": "小米"},
            {"field": "title", "start": 5, "end": 7, "text": "召回"}
        ])
    );
}

#[test]
fn an_invalid_topic_names_the_topic_and_column_and_matches_nothing() {
    let dir = files(&[
        (
            "topics.ndjson",
            "{\"id\": \"ok\", \"query\": \"xiaomi\"}\n{\"id\": \"broken\", \"query\": \"xiaomi AND\"}\n",
        ),
        ("docs.ndjson", "{\"id\": \"d1\", \"body\": \"xiaomi\"}\n"),
    ]);
    let output = vane(
        &[
            "query",
            "match",
            "--topics",
            dir.join("topics.ndjson").to_str().unwrap(),
            "--docs",
            dir.join("docs.ndjson").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("line 2: topic broken: error at column 8"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

/// Runs `vane query match` with a topics file and standard input.
fn match_topics(topics: &std::path::Path, stdin: &str, extra: &[&str]) -> Output {
    let mut args = vec!["query", "match", "--topics", topics.to_str().unwrap()];
    args.extend_from_slice(extra);
    vane(&args, Some(stdin))
}

/// Asserts the exit code and a piece of the message on standard error.
fn assert_fails(output: &Output, code: i32, message: &str) {
    assert_eq!(output.status.code(), Some(code), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains(message),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn malformed_topics_files_are_reported_with_their_line() {
    let dir = files(&[
        (
            "topics.ndjson",
            "{\"id\": \"a\", \"query\": \"x\"}\n{\"id\": \"a\", \"query\": \"y\"}\n",
        ),
        ("bad.ndjson", "not json\n"),
    ]);
    let duplicate = match_topics(&dir.join("topics.ndjson"), "", &[]);
    assert_fails(&duplicate, 2, "line 2: topic id a appears twice");
    let malformed = match_topics(&dir.join("bad.ndjson"), "", &[]);
    assert_fails(&malformed, 2, "line 1: not a topic");
    let missing = match_topics(&dir.join("missing.ndjson"), "", &[]);
    assert_fails(&missing, 1, "cannot read topics file");
}

#[test]
fn a_malformed_document_stops_the_run_at_its_line_unless_skipped() {
    let dir = files(&[("topics.ndjson", TOPICS)]);
    let docs = "{\"id\": \"d1\", \"body\": \"xiaomi\"}\n{\"id\": \"d2\", \"followers\": -5}\n{\"body\": \"no id\"}\n{\"id\": \"d4\", \"body\": \"小米\"}\n";
    let topics = dir.join("topics.ndjson");
    let stopped = match_topics(&topics, docs, &[]);
    assert_fails(&stopped, 1, "standard input line 2: malformed document");
    assert_eq!(
        text(&stopped.stdout),
        "{\"id\":\"d1\",\"topics\":[\"brand\"]}\n"
    );

    let skipped = match_topics(&topics, docs, &["--skip-bad"]);
    assert_fails(
        &skipped,
        0,
        "skipped 2 malformed document line(s) in standard input; first at line 2",
    );
    assert_eq!(text(&skipped.stdout).lines().count(), 2);
}

#[test]
fn an_unknown_channel_in_a_document_is_a_malformed_line() {
    let dir = files(&[("topics.ndjson", TOPICS)]);
    let output = vane(
        &[
            "query",
            "match",
            "--topics",
            dir.join("topics.ndjson").to_str().unwrap(),
        ],
        Some("{\"id\": \"d1\", \"channel\": \"myspace\"}\n"),
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("line 1"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn sentiment_score_prints_one_json_object_per_line() {
    let output = vane(
        &["sentiment", "score"],
        Some(
            "质量太差了，不推荐购买。\nThe staff were friendly and the room was spotless. Loved it!\n",
        ),
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let lines: Vec<serde_json::Value> = text(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["label"], "negative");
    assert_eq!(lines[0]["lang"], "zh");
    assert_eq!(lines[1]["label"], "positive");
    assert_eq!(lines[1]["lang"], "en");
    for line in &lines {
        let score = line["score"].as_f64().unwrap();
        let confidence = line["confidence"].as_f64().unwrap();
        assert!(
            (-1.0..=1.0).contains(&score) && (0.0..=1.0).contains(&confidence),
            "{line}"
        );
    }
}

#[test]
fn sentiment_errors_say_what_and_where() {
    assert_fails(
        &vane(&["sentiment", "score", "--lang", "fr"], Some("x")),
        2,
        "use zh, en or auto",
    );
    let dir = files(&[
        ("bad.tsv", "label\ttext\n1\tgood\nmaybe\tbad\n"),
        ("headless.tsv", "1\tgood\n"),
    ]);
    let bad = vane(
        &[
            "sentiment",
            "eval",
            "--all",
            "--data",
            dir.join("bad.tsv").to_str().unwrap(),
        ],
        None,
    );
    assert_fails(&bad, 2, "line 3: label `maybe` is not 0 or 1");
    let headless = vane(
        &[
            "sentiment",
            "eval",
            "--data",
            dir.join("headless.tsv").to_str().unwrap(),
        ],
        None,
    );
    assert_fails(
        &headless,
        2,
        "line 1: expected a header with `label` and `text` columns",
    );
}

#[test]
fn text_lang_and_keywords_answer_per_line() {
    let output = vane(
        &["text", "lang"],
        Some("小米发布会\nDas ist sehr gut und schnell\n삼성전자\n"),
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        "{\"lang\":\"zh\"}\n{\"lang\":\"de\"}\n{\"lang\":\"ko\"}\n"
    );
    let output = vane(
        &["text", "keywords", "--top", "1"],
        Some("小米汽车的销量，小米汽车的价格\n"),
    );
    let line: serde_json::Value = serde_json::from_str(text(&output.stdout).trim()).unwrap();
    assert_eq!(line["keywords"][0]["word"], "小米");
    assert_fails(
        &vane(&["text", "keywords", "--lang", "xx"], Some("a")),
        2,
        "use zh or en",
    );
}

#[test]
fn text_extract_prints_the_article_of_a_page() {
    let dir = files(&[(
        "page.html",
        "<html><head><title>T</title></head><body><nav><a href='/'>Home</a></nav><article><h1>Recall announced</h1><p>Xiaomi is recalling cars, the company said on Friday.</p></article><footer>Copyright</footer></body></html>",
    )]);
    let output = vane(
        &["text", "extract", dir.join("page.html").to_str().unwrap()],
        None,
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let page: serde_json::Value = serde_json::from_str(&text(&output.stdout)).unwrap();
    assert_eq!(page["title"], "Recall announced");
    assert_eq!(
        page["text"],
        "Xiaomi is recalling cars, the company said on Friday."
    );
    assert_eq!(page["lang"], "en");
    assert_eq!(page["encoding"], "UTF-8");
    assert_fails(
        &vane(
            &[
                "text",
                "extract",
                dir.join("missing.html").to_str().unwrap(),
            ],
            None,
        ),
        1,
        "cannot read",
    );
}

#[test]
fn dedupe_prints_story_and_first_publisher_in_input_order() {
    let article = "小米汽车宣布召回部分SU7车辆，共计约三万辆。据介绍，本次召回范围内的车辆在特定情况下可能出现制动系统软件异常，存在安全隐患。";
    let docs = [
        serde_json::json!({"id": "copy", "body": format!("来源：新华社\n{article}"), "channel": "news", "published_at": "2026-11-20T10:00:00+08:00"}),
        serde_json::json!({"id": "other", "body": "华为今天发布了新款折叠屏手机，售价一万元起，首批用户评价很高。", "published_at": "2026-11-20T09:00:00+08:00"}),
        serde_json::json!({"id": "original", "body": article, "channel": "weibo", "published_at": "2026-11-20T01:00:00Z"}),
    ];
    let lines: String = docs.iter().map(|doc| format!("{doc}\n")).collect();
    let dir = files(&[
        ("docs.ndjson", &lines),
        (
            "bad.ndjson",
            "{\"id\": \"a\", \"published_at\": \"yesterday\"}\n",
        ),
    ]);
    let output = vane(
        &[
            "dedupe",
            "--docs",
            dir.join("docs.ndjson").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let lines: Vec<serde_json::Value> = text(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(
        lines
            .iter()
            .map(|line| line["id"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["copy", "other", "original"]
    );
    assert_eq!(lines[0]["story"], lines[2]["story"]);
    assert_ne!(lines[0]["story"], lines[1]["story"]);
    assert_eq!(lines[0]["first"], "original");
    assert_eq!(lines[1]["first"], "other");

    let output = vane(
        &[
            "stories",
            "--docs",
            dir.join("docs.ndjson").to_str().unwrap(),
            "--min-size",
            "2",
        ],
        None,
    );
    let story: serde_json::Value = serde_json::from_str(text(&output.stdout).trim()).unwrap();
    assert_eq!(story["first"], "original");
    assert_eq!(story["path"], serde_json::json!(["weibo", "news"]));
    assert_eq!(story["members"][1]["parent"], "original");

    let bad = vane(
        &["dedupe", "--docs", dir.join("bad.ndjson").to_str().unwrap()],
        None,
    );
    assert_fails(&bad, 1, "line 1: malformed document: published_at");
}

#[test]
fn hot_ranks_events_with_their_figures() {
    let docs = [
        (
            "a",
            "小米汽车宣布召回部分SU7车辆，原因是制动软件异常",
            "2026-11-20T01:00:00Z",
            "news",
        ),
        (
            "b",
            "小米SU7召回：车主可免费升级制动软件",
            "2026-11-20T20:00:00Z",
            "weibo",
        ),
        (
            "c",
            "SU7召回范围公布，小米汽车回应车主关切",
            "2026-11-20T21:00:00Z",
            "weibo",
        ),
        (
            "d",
            "国足今晚对阵日本队，比赛将在北京举行",
            "2026-11-20T02:00:00Z",
            "news",
        ),
    ];
    let lines: String = docs
        .iter()
        .map(|(id, body, time, channel)| format!("{}\n", serde_json::json!({"id": id, "body": body, "published_at": time, "channel": channel})))
        .collect();
    let dir = files(&[("docs.ndjson", &lines)]);
    let output = vane(
        &[
            "hot",
            "--docs",
            dir.join("docs.ndjson").to_str().unwrap(),
            "--window",
            "24h",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let events: Vec<serde_json::Value> = text(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[0]["volume"], 3);
    assert_eq!(events[0]["first_seen"], "2026-11-20T01:00:00Z");
    assert_eq!(
        events[0]["lead_story_first"]
            .as_str()
            .map(|id| ["a", "b", "c"].contains(&id)),
        Some(true)
    );
    assert!(events[0]["heat"].as_f64() > events[1]["heat"].as_f64());
    assert_fails(
        &vane(
            &[
                "hot",
                "--docs",
                dir.join("docs.ndjson").to_str().unwrap(),
                "--window",
                "24x",
            ],
            None,
        ),
        2,
        "the unit is s, m, h or d",
    );
}

#[test]
fn feed_files_become_documents_for_matching() {
    let dir = files(&[
        (
            "tech.xml",
            "<rss version=\"2.0\"><channel><title>T</title><item><title>小米汽车召回</title><link>https://news.example.cn/1</link><guid>g1</guid><description>&lt;p&gt;小米汽车宣布召回部分车辆。&lt;/p&gt;</description><pubDate>Fri, 20 Nov 2026 01:30:00 GMT</pubDate></item></channel></rss>",
        ),
        ("broken.xml", "<rss><channel><item></channel></rss>"),
        ("topics.ndjson", TOPICS),
    ]);
    let output = vane(&["feed", dir.join("tech.xml").to_str().unwrap()], None);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let document: serde_json::Value = serde_json::from_str(text(&output.stdout).trim()).unwrap();
    assert_eq!(document["id"], "tech:g1");
    assert_eq!(document["body"], "小米汽车宣布召回部分车辆。");
    assert_eq!(document["published_at"], "2026-11-20T01:30:00Z");
    let matched = match_topics(&dir.join("topics.ndjson"), &text(&output.stdout), &[]);
    assert_eq!(
        text(&matched.stdout),
        "{\"id\":\"tech:g1\",\"topics\":[\"safety\",\"brand\"]}\n"
    );
    assert_fails(
        &vane(&["feed", dir.join("broken.xml").to_str().unwrap()], None),
        2,
        "malformed XML at line 1",
    );
}

mod serve;
