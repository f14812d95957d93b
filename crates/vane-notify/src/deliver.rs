//! Delivering a notification: an HTTP POST to a webhook, or a message to an
//! SMTP relay, each retried with doubling back-off when the other side
//! fails (network errors, HTTP 5xx and 429, SMTP 4xx replies). A client
//! error (HTTP 4xx, SMTP 5xx) is reported at once: retrying would not help.

use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use crate::message::{Notification, email_message, webhook_body};
use crate::routing::{EmailTarget, WebhookTarget};

/// How often and how patiently to try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub attempts: u32,
    /// Wait before the second attempt; doubled after each failure.
    pub first_wait: Duration,
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 5,
            first_wait: Duration::from_secs(2),
            timeout: Duration::from_secs(15),
        }
    }
}

/// Why a delivery failed, after its attempts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    #[error("webhook {url} refused the message: HTTP {status}: {body}")]
    Refused {
        url: String,
        status: u16,
        body: String,
    },
    #[error("gave up after {attempts} attempts: {last}")]
    GaveUp { attempts: u32, last: String },
    #[error("the SMTP server refused the message: {0}")]
    SmtpRefused(String),
}

/// Posts a notification to a webhook; the attempts it took.
pub async fn send_webhook(
    client: &reqwest::Client,
    target: &WebhookTarget,
    notification: &Notification,
    policy: RetryPolicy,
) -> Result<u32, DeliveryError> {
    let body = webhook_body(target.format, notification);
    retry(policy, |_| async {
        // signatures hold a timestamp: made afresh for every attempt
        let (url, body) = signed(target, &body, now_millis());
        let response = client
            .post(url)
            .timeout(policy.timeout)
            .json(&body)
            .send()
            .await
            .map_err(|error| Attempt::Retry(format!("{}: {error}", target.url)))?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        let text: String = response
            .text()
            .await
            .unwrap_or_default()
            .chars()
            .take(300)
            .collect();
        if status.is_server_error() || status.as_u16() == 429 {
            Err(Attempt::Retry(format!("{}: HTTP {status}", target.url)))
        } else {
            Err(Attempt::Fail(DeliveryError::Refused {
                url: target.url.clone(),
                status: status.as_u16(),
                body: text,
            }))
        }
    })
    .await
}

fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_millis() as i64)
}

fn hmac_sha256_base64(key: &[u8], message: &[u8]) -> String {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key);
    crate::message::base64(ring::hmac::sign(&key, message).as_ref())
}

/// The URL and body with the robot's signature, when it has a secret:
/// DingTalk signs `timestamp\nsecret` with the secret (milliseconds, in the
/// query string); Feishu signs an empty message with `timestamp\nsecret`
/// as the key (seconds, in the body).
pub(crate) fn signed(
    target: &WebhookTarget,
    body: &serde_json::Value,
    now_millis: i64,
) -> (String, serde_json::Value) {
    let Some(secret) = target.secret.as_deref().filter(|secret| !secret.is_empty()) else {
        return (target.url.clone(), body.clone());
    };
    match target.format {
        crate::message::WebhookFormat::Dingtalk => {
            let sign = hmac_sha256_base64(
                secret.as_bytes(),
                format!("{now_millis}\n{secret}").as_bytes(),
            );
            let url = match reqwest::Url::parse(&target.url) {
                Ok(mut url) => {
                    url.query_pairs_mut()
                        .append_pair("timestamp", &now_millis.to_string())
                        .append_pair("sign", &sign);
                    url.to_string()
                }
                Err(_) => target.url.clone(),
            };
            (url, body.clone())
        }
        crate::message::WebhookFormat::Feishu => {
            let seconds = now_millis / 1_000;
            let sign = hmac_sha256_base64(format!("{seconds}\n{secret}").as_bytes(), b"");
            let mut body = body.clone();
            if let Some(object) = body.as_object_mut() {
                object.insert(
                    "timestamp".into(),
                    serde_json::Value::String(seconds.to_string()),
                );
                object.insert("sign".into(), serde_json::Value::String(sign));
            }
            (target.url.clone(), body)
        }
        _ => (target.url.clone(), body.clone()),
    }
}

/// Sends a notification by e-mail through an SMTP relay (plain SMTP, as to
/// a local relay or a test sink); the attempts it took.
pub async fn send_email(
    target: &EmailTarget,
    notification: &Notification,
    policy: RetryPolicy,
) -> Result<u32, DeliveryError> {
    let message = email_message(&target.from, &target.to, notification);
    retry(policy, |_| async {
        tokio::time::timeout(policy.timeout, smtp_session(target, &message))
            .await
            .map_err(|_| Attempt::Retry(format!("{}: timed out", target.server)))?
    })
    .await
}

enum Attempt {
    Retry(String),
    Fail(DeliveryError),
}

async fn retry<F, Fut>(policy: RetryPolicy, mut attempt: F) -> Result<u32, DeliveryError>
where
    F: FnMut(u32) -> Fut,
    Fut: std::future::Future<Output = Result<(), Attempt>>,
{
    let mut wait = policy.first_wait;
    let mut last = String::new();
    for number in 1..=policy.attempts.max(1) {
        match attempt(number).await {
            Ok(()) => return Ok(number),
            Err(Attempt::Fail(error)) => return Err(error),
            Err(Attempt::Retry(reason)) => last = reason,
        }
        if number < policy.attempts {
            tokio::time::sleep(wait).await;
            wait *= 2;
        }
    }
    Err(DeliveryError::GaveUp {
        attempts: policy.attempts.max(1),
        last,
    })
}

/// One SMTP conversation: greeting, EHLO, MAIL, RCPT, DATA, QUIT.
async fn smtp_session(target: &EmailTarget, message: &str) -> Result<(), Attempt> {
    let stream = TcpStream::connect(&target.server)
        .await
        .map_err(|error| Attempt::Retry(format!("{}: {error}", target.server)))?;
    let (reader, mut writer) = stream.into_split();
    let mut reader = BufReader::new(reader);
    expect(&mut reader, 220).await?;
    let steps: Vec<(String, u16)> = std::iter::once(("EHLO vane".to_string(), 250))
        .chain(std::iter::once((
            format!("MAIL FROM:<{}>", target.from),
            250,
        )))
        .chain(target.to.iter().map(|to| (format!("RCPT TO:<{to}>"), 250)))
        .chain(std::iter::once(("DATA".to_string(), 354)))
        .collect();
    for (line, code) in steps {
        writer
            .write_all(format!("{line}\r\n").as_bytes())
            .await
            .map_err(io_retry)?;
        expect(&mut reader, code).await?;
    }
    writer
        .write_all(message.as_bytes())
        .await
        .map_err(io_retry)?;
    writer.write_all(b"\r\n.\r\n").await.map_err(io_retry)?;
    expect(&mut reader, 250).await?;
    writer.write_all(b"QUIT\r\n").await.map_err(io_retry)?;
    Ok(())
}

fn io_retry(error: std::io::Error) -> Attempt {
    Attempt::Retry(format!("SMTP connection: {error}"))
}

/// Reads a (possibly multi-line) reply and checks its code: 4xx is worth
/// retrying, 5xx is not.
async fn expect(
    reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
    code: u16,
) -> Result<(), Attempt> {
    let mut line = String::new();
    loop {
        line.clear();
        let read = reader.read_line(&mut line).await.map_err(io_retry)?;
        if read == 0 {
            return Err(Attempt::Retry("SMTP server closed the connection".into()));
        }
        // `250-…` continues, `250 …` ends
        if line.len() < 4 || line.as_bytes()[3] != b'-' {
            break;
        }
    }
    let got: u16 = line.get(..3).and_then(|c| c.parse().ok()).unwrap_or(0);
    if got == code {
        Ok(())
    } else if (400..500).contains(&got) {
        Err(Attempt::Retry(format!("SMTP {}", line.trim_end())))
    } else {
        Err(Attempt::Fail(DeliveryError::SmtpRefused(
            line.trim_end().to_string(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::WebhookFormat;

    #[test]
    fn dingtalk_and_feishu_robots_get_their_signatures() {
        // the well-known vector: f7bc83f4…2d1a3cd8 in hex
        assert_eq!(
            hmac_sha256_base64(b"key", b"The quick brown fox jumps over the lazy dog"),
            "97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg="
        );
        let target = |format| WebhookTarget {
            url: "https://oapi.dingtalk.com/robot/send?access_token=abc".to_string(),
            format,
            secret: Some("SEC123".to_string()),
        };
        let body = serde_json::json!({"msgtype": "markdown"});
        let (url, _) = signed(&target(WebhookFormat::Dingtalk), &body, 1_700_000_000_000);
        let expected = hmac_sha256_base64(b"SEC123", b"1700000000000\nSEC123");
        let parsed = reqwest::Url::parse(&url).unwrap();
        let pairs: Vec<(String, String)> = parsed.query_pairs().into_owned().collect();
        assert_eq!(
            pairs,
            [
                ("access_token".to_string(), "abc".to_string()),
                ("timestamp".to_string(), "1700000000000".to_string()),
                ("sign".to_string(), expected),
            ]
        );
        let (_, signed_body) = signed(&target(WebhookFormat::Feishu), &body, 1_700_000_000_000);
        assert_eq!(signed_body["timestamp"], "1700000000");
        assert_eq!(
            signed_body["sign"],
            hmac_sha256_base64(b"1700000000\nSEC123", b"")
        );
        let plain = WebhookTarget {
            secret: None,
            ..target(WebhookFormat::Dingtalk)
        };
        assert_eq!(signed(&plain, &body, 0).0, plain.url);
    }
}
