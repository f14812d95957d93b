//! Notifications of warnings: where a level change goes (`routing.rs`:
//! rules by level and topic, throttling, quiet hours that never hold back
//! red, digests of what quiet hours held back), what it looks like in each
//! channel (`message.rs`: generic JSON, WeCom, DingTalk, Feishu, Slack, and
//! e-mail), and delivering it with retries (`deliver.rs`: HTTP webhooks
//! and a small SMTP client).

mod deliver;
mod message;
mod routing;

pub use deliver::{DeliveryError, RetryPolicy, send_email, send_webhook};
pub use message::{Notification, WebhookFormat, email_message, webhook_body};
pub use routing::{Dispatch, EmailTarget, QuietHours, Route, Router, Target, WebhookTarget};
