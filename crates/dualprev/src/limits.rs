//! `[limits]`: the push rate per enterprise (records, and optionally requests), the largest JSON body of the other routes, and the timeouts that keep
//! slow or idle clients from holding connections.

use serde::Deserialize;
use std::time::Duration;

/// `[limits]` of the settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitSettings {
    /// Pushed records per enterprise and minute (bursts up to that many; a batch is charged once read, so a large one
    /// may overdraw and the next push waits); 0 turns the limit off. Default 60,000.
    pub push_records_per_minute: u32,
    /// Push requests per enterprise and minute, besides the records; 0 (the default) turns it off.
    pub push_per_minute: u32,
    /// The largest JSON request body of the routes other than push, in KiB (push: 8 MiB). Default 64.
    pub json_body_kib: usize,
    /// Time a client has to send the request head, in seconds (slow-loris guard). Default 5.
    pub request_timeout_secs: u64,
    /// Time a client has to acknowledge the closing of a connection, in seconds. Default 2.
    pub disconnect_timeout_secs: u64,
    /// How long an idle keep-alive connection stays open, in seconds; 0 turns keep-alive off. Default 15.
    pub keep_alive_secs: u64,
}

impl Default for LimitSettings {
    fn default() -> Self {
        LimitSettings {
            push_records_per_minute: 60_000,
            push_per_minute: 0,
            json_body_kib: 64,
            request_timeout_secs: 5,
            disconnect_timeout_secs: 2,
            keep_alive_secs: 15,
        }
    }
}

impl LimitSettings {
    /// The API's state with these limits.
    pub fn apply(&self, state: api::AppState) -> api::AppState {
        api::AppState {
            push_limit: std::sync::Arc::new(api::limits::PushLimiter::new(
                self.push_records_per_minute,
                self.push_per_minute,
            )),
            json_limit: self.json_body_kib.max(1) * 1024,
            ..state
        }
    }

    /// Time to receive a request head.
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs.max(1))
    }

    /// Time to close a connection.
    pub fn disconnect_timeout(&self) -> Duration {
        Duration::from_secs(self.disconnect_timeout_secs.max(1))
    }

    /// The keep-alive setting of the server.
    pub fn keep_alive(&self) -> actix_web::http::KeepAlive {
        match self.keep_alive_secs {
            0 => actix_web::http::KeepAlive::Disabled,
            s => actix_web::http::KeepAlive::Timeout(Duration::from_secs(s)),
        }
    }
}
