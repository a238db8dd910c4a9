//! `[changes]`: the change feed's retention and the webhook worker's retries (`docs/integration.md`).

use serde::Deserialize;
use std::time::Duration;

/// `[changes]` settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ChangeSettings {
    /// Days the change feed keeps events; an older cursor gets 410 `cursor_expired`.
    pub retention_days: u64,
    /// Seconds between two passes of the change detector (figure and warning events).
    pub detect_secs: u64,
    /// Consecutive failed webhook attempts after which a subscription is paused.
    pub webhook_pause_after: i32,
    /// Seconds a webhook receiver has to answer.
    pub webhook_timeout_secs: u64,
}

impl Default for ChangeSettings {
    fn default() -> Self {
        ChangeSettings { retention_days: 30, detect_secs: 60, webhook_pause_after: 20, webhook_timeout_secs: 10 }
    }
}

impl ChangeSettings {
    /// The change worker's configuration.
    pub fn change_config(&self) -> api::changes::ChangeConfig {
        api::changes::ChangeConfig {
            retention: Duration::from_secs(self.retention_days.max(1) * 86_400),
            detect_every: Duration::from_secs(self.detect_secs.max(1)),
            ..Default::default()
        }
    }

    /// The webhook worker's configuration.
    pub fn webhook_config(&self) -> api::webhooks::WebhookConfig {
        api::webhooks::WebhookConfig {
            pause_after: self.webhook_pause_after.max(1),
            timeout: Duration::from_secs(self.webhook_timeout_secs.clamp(1, 60)),
            ..Default::default()
        }
    }
}
