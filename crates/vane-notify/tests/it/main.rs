//! Delivery to sinks started by the test: an HTTP sink for every webhook
//! format and an SMTP sink, each failing the first attempt so that the
//! retry is seen.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::post;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use vane_detect::Level;
use vane_notify::{
    DeliveryError, EmailTarget, Notification, RetryPolicy, WebhookFormat, WebhookTarget,
    send_email, send_webhook,
};

fn notification() -> Notification {
    Notification {
        topic: "lumio".to_string(),
        topic_name: "朗铭 Lumio".to_string(),
        level: Level::Red,
        previous: Level::Orange,
        at: "2026-03-16T10:48:00Z".to_string(),
        score: 76.13,
        reasons: vec![
            "mentions in the last hour: 180 (usual: 12)".to_string(),
            "negative share over three hours: 71 %".to_string(),
        ],
        link: "http://127.0.0.1:8080/api/v1/mentions?topic=lumio".to_string(),
        digest: Vec::new(),
    }
}

fn quick() -> RetryPolicy {
    RetryPolicy {
        attempts: 3,
        first_wait: Duration::from_millis(50),
        timeout: Duration::from_secs(5),
    }
}

/// An HTTP sink that answers 503 to the first request of each path, then
/// 200, keeping the bodies it accepted.
async fn http_sink() -> (String, Arc<Mutex<Vec<(String, Value)>>>) {
    let received: Arc<Mutex<Vec<(String, Value)>>> = Arc::default();
    let failed: Arc<Mutex<Vec<String>>> = Arc::default();
    let store = received.clone();
    let app = Router::new().route(
        "/{format}",
        post(
            move |axum::extract::Path(format): axum::extract::Path<String>,
                  body: axum::Json<Value>| {
                let store = store.clone();
                let failed = failed.clone();
                async move {
                    let mut failed = failed.lock().unwrap();
                    if !failed.contains(&format) {
                        failed.push(format);
                        return StatusCode::SERVICE_UNAVAILABLE;
                    }
                    store.lock().unwrap().push((format, body.0));
                    StatusCode::OK
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, received)
}

#[tokio::test]
async fn every_webhook_format_is_delivered_after_a_failed_first_attempt() {
    let (base, received) = http_sink().await;
    let client = reqwest::Client::new();
    let formats = [
        ("generic", WebhookFormat::Generic),
        ("wecom", WebhookFormat::Wecom),
        ("dingtalk", WebhookFormat::Dingtalk),
        ("feishu", WebhookFormat::Feishu),
        ("slack", WebhookFormat::Slack),
    ];
    for (path, format) in formats {
        let target = WebhookTarget {
            url: format!("{base}/{path}"),
            format,
            secret: None,
        };
        let attempts = send_webhook(&client, &target, &notification(), quick())
            .await
            .unwrap();
        assert_eq!(attempts, 2, "{path}");
    }
    let received = received.lock().unwrap();
    let body = |name: &str| &received.iter().find(|(path, _)| path == name).unwrap().1;
    assert_eq!(body("generic")["notification"]["level"], "red");
    assert_eq!(body("wecom")["msgtype"], "markdown");
    assert!(
        body("wecom")["markdown"]["content"]
            .as_str()
            .unwrap()
            .contains("红色预警")
    );
    assert_eq!(
        body("dingtalk")["markdown"]["title"],
        "【红色预警 Red (I)】朗铭 Lumio — score 76.1"
    );
    assert_eq!(body("feishu")["msg_type"], "post");
    assert!(
        body("feishu")["content"]["post"]["zh_cn"]["content"][1][0]["text"]
            .as_str()
            .unwrap()
            .contains("180")
    );
    assert_eq!(body("slack")["blocks"][0]["type"], "header");
}

#[tokio::test]
async fn a_refusing_webhook_fails_at_once_and_a_dead_one_after_its_attempts() {
    let app = Router::new().route(
        "/",
        post(|| async { (StatusCode::BAD_REQUEST, "bad token") }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = reqwest::Client::new();
    let refused = WebhookTarget {
        url: format!("{base}/"),
        format: WebhookFormat::Generic,
        secret: None,
    };
    let error = send_webhook(&client, &refused, &notification(), quick())
        .await
        .unwrap_err();
    assert!(
        matches!(&error, DeliveryError::Refused { status: 400, body, .. } if body == "bad token"),
        "{error}"
    );
    let dead = WebhookTarget {
        url: "http://127.0.0.1:9/".to_string(),
        format: WebhookFormat::Generic,
        secret: None,
    };
    let error = send_webhook(&client, &dead, &notification(), quick())
        .await
        .unwrap_err();
    assert!(
        error.to_string().starts_with("gave up after 3 attempts"),
        "{error}"
    );
}

/// An SMTP sink: the first connection is turned away with 421, the next
/// accepted; returns the address and the messages received.
async fn smtp_sink() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let messages: Arc<Mutex<Vec<String>>> = Arc::default();
    let store = messages.clone();
    tokio::spawn(async move {
        let mut first = true;
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let (reader, mut writer) = stream.into_split();
            if first {
                first = false;
                writer.write_all(b"421 busy, try later\r\n").await.unwrap();
                continue;
            }
            writer.write_all(b"220 sink ESMTP\r\n").await.unwrap();
            let mut reader = BufReader::new(reader);
            let mut line = String::new();
            let mut data = String::new();
            let mut in_data = false;
            loop {
                line.clear();
                if reader.read_line(&mut line).await.unwrap() == 0 {
                    break;
                }
                if in_data {
                    if line == ".\r\n" {
                        in_data = false;
                        store.lock().unwrap().push(std::mem::take(&mut data));
                        writer.write_all(b"250 queued\r\n").await.unwrap();
                    } else {
                        data.push_str(&line);
                    }
                    continue;
                }
                let reply: &[u8] = match line.get(..4).unwrap_or("") {
                    "EHLO" => b"250-sink\r\n250 8BITMIME\r\n",
                    "MAIL" | "RCPT" => b"250 ok\r\n",
                    "DATA" => {
                        in_data = true;
                        b"354 go ahead\r\n"
                    }
                    "QUIT" => b"221 bye\r\n",
                    _ => b"500 what\r\n",
                };
                writer.write_all(reply).await.unwrap();
            }
        }
    });
    (address, messages)
}

#[tokio::test]
async fn e_mail_is_delivered_through_smtp_after_a_temporary_refusal() {
    let (server, messages) = smtp_sink().await;
    let target = EmailTarget {
        server,
        from: "vane@example.com".to_string(),
        to: vec!["pr@example.com".to_string(), "duty@example.com".to_string()],
    };
    let attempts = send_email(&target, &notification(), quick()).await.unwrap();
    assert_eq!(attempts, 2);
    let messages = messages.lock().unwrap();
    assert_eq!(messages.len(), 1);
    let message = &messages[0];
    assert!(
        message.contains("To: pr@example.com, duty@example.com\r\n"),
        "{message}"
    );
    assert!(message.contains("Subject: =?UTF-8?B?"), "{message}");
    assert!(
        message.contains("negative share over three hours: 71 %"),
        "{message}"
    );
    assert!(
        message.contains("Content-Type: text/plain; charset=utf-8"),
        "{message}"
    );
}
