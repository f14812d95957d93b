//! What a warning says, in each channel's own message format.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use vane_detect::{Level, LevelChange};

/// A warning (or a digest of several) ready to be sent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Notification {
    pub topic: String,
    pub topic_name: String,
    pub level: Level,
    pub previous: Level,
    /// RFC 3339.
    pub at: String,
    pub score: f64,
    /// One line per reason, for people.
    pub reasons: Vec<String>,
    /// Where to look: the dashboard or API link of the topic.
    pub link: String,
    /// Other changes folded into this one by a digest, oldest first.
    pub digest: Vec<String>,
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::None => "解除 cleared",
        Level::Blue => "蓝色预警 Blue (IV)",
        Level::Yellow => "黄色预警 Yellow (III)",
        Level::Orange => "橙色预警 Orange (II)",
        Level::Red => "红色预警 Red (I)",
    }
}

impl Notification {
    /// A level change as a notification, its evidence in words.
    pub fn of(change: &LevelChange, topic_name: &str, link: &str) -> Notification {
        let evidence = &change.evidence;
        let components = evidence.components;
        let mut reasons = vec![
            format!(
                "mentions in the last hour: {} (usual: {:.0})",
                evidence.volume_last_hour, evidence.baseline_median
            ),
            format!(
                "negative share over three hours: {:.0} %",
                evidence.negative_share * 100.0
            ),
        ];
        if evidence.authority_mentions > 0 {
            reasons.push(format!(
                "central media, regulators or large verified accounts: {}",
                evidence.authority_mentions
            ));
        }
        if evidence.sensitive_mentions > 0 {
            reasons.push(format!(
                "mentions with sensitive words (safety, recall, litigation…): {}",
                evidence.sensitive_mentions
            ));
        }
        if evidence.channels > 1 {
            reasons.push(format!(
                "negative mentions on {} channels",
                evidence.channels
            ));
        }
        reasons.push(format!(
            "components: velocity {:.2}, negative {:.2}, authority {:.2}, sensitivity {:.2}, spread {:.2}",
            components.velocity,
            components.negative,
            components.authority,
            components.sensitivity,
            components.spread
        ));
        if !evidence.top_sites.is_empty() {
            let sites: Vec<String> = evidence
                .top_sites
                .iter()
                .map(|(site, count)| format!("{site} ({count})"))
                .collect();
            reasons.push(format!("top sites: {}", sites.join(", ")));
        }
        Notification {
            topic: change.topic.as_str().to_string(),
            topic_name: topic_name.to_string(),
            level: change.level,
            previous: change.previous,
            at: change.at.to_string(),
            score: change.score,
            reasons,
            link: link.to_string(),
            digest: Vec::new(),
        }
    }

    /// The headline: `【红色预警 Red (I)】小米 — score 81.5`.
    pub fn title(&self) -> String {
        format!(
            "【{}】{} — score {:.1}",
            level_name(self.level),
            self.topic_name,
            self.score
        )
    }

    /// The text body, shared by the plain formats.
    pub fn text(&self) -> String {
        let mut text = format!(
            "{}\n{} → {} at {}\n",
            self.title(),
            self.previous.as_str(),
            self.level.as_str(),
            self.at
        );
        for reason in &self.reasons {
            text.push_str("• ");
            text.push_str(reason);
            text.push('\n');
        }
        if !self.digest.is_empty() {
            text.push_str("held back during quiet hours:\n");
            for line in &self.digest {
                text.push_str("• ");
                text.push_str(line);
                text.push('\n');
            }
        }
        if !self.link.is_empty() {
            text.push_str(&self.link);
            text.push('\n');
        }
        text
    }
}

/// The message formats of webhooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WebhookFormat {
    /// Vane's own JSON: the notification as is.
    Generic,
    /// 企业微信 group robot: markdown message.
    Wecom,
    /// 钉钉 custom robot: markdown message.
    Dingtalk,
    /// 飞书 custom bot: post (rich text) message.
    Feishu,
    /// Slack incoming webhook: blocks with a text fallback.
    Slack,
}

/// The JSON body a webhook of `format` expects.
pub fn webhook_body(format: WebhookFormat, notification: &Notification) -> Value {
    let title = notification.title();
    let text = notification.text();
    let markdown: String = {
        let mut markdown = format!("### {title}\n");
        for line in text.lines().skip(1) {
            markdown.push_str(&format!("> {line}\n"));
        }
        markdown
    };
    match format {
        WebhookFormat::Generic => json!({
            "type": "vane.warning",
            "notification": notification,
        }),
        WebhookFormat::Wecom => json!({
            "msgtype": "markdown",
            "markdown": { "content": markdown },
        }),
        WebhookFormat::Dingtalk => json!({
            "msgtype": "markdown",
            "markdown": { "title": title, "text": markdown },
        }),
        WebhookFormat::Feishu => {
            let lines: Vec<Value> = text
                .lines()
                .skip(1)
                .map(|line| json!([{ "tag": "text", "text": line }]))
                .collect();
            json!({
                "msg_type": "post",
                "content": { "post": { "zh_cn": { "title": title, "content": lines } } },
            })
        }
        WebhookFormat::Slack => json!({
            "text": text,
            "blocks": [
                { "type": "header", "text": { "type": "plain_text", "text": title } },
                { "type": "section", "text": { "type": "mrkdwn", "text": text.lines().skip(1).collect::<Vec<_>>().join("\n") } },
            ],
        }),
    }
}

/// An RFC 5322 message (UTF-8 text, subject encoded per RFC 2047).
pub fn email_message(from: &str, to: &[String], notification: &Notification) -> String {
    let subject = encode_header(&notification.title());
    let mut body = String::new();
    for line in notification.text().lines() {
        // a line starting with a dot would end the SMTP data early
        if line.starts_with('.') {
            body.push('.');
        }
        body.push_str(line);
        body.push_str("\r\n");
    }
    format!(
        "From: {from}\r\nTo: {}\r\nSubject: {subject}\r\nDate: {}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}",
        to.join(", "),
        notification.at,
    )
}

fn encode_header(text: &str) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    format!("=?UTF-8?B?{}?=", base64(text.as_bytes()))
}

/// Standard base64 with padding.
pub(crate) fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut encoded = String::new();
    for chunk in bytes.chunks(3) {
        let value = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for index in 0..4 {
            if index <= chunk.len() {
                encoded.push(TABLE[(value >> (18 - index * 6) & 63) as usize] as char);
            } else {
                encoded.push('=');
            }
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_are_base64_encoded_words() {
        assert_eq!(encode_header("plain"), "plain");
        // "红" is E7 BA A2 → 57qi
        assert_eq!(encode_header("红"), "=?UTF-8?B?57qi?=");
        assert_eq!(encode_header("红色"), "=?UTF-8?B?57qi6Imy?=");
    }
}
