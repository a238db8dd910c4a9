//! The request and answer bodies of the webhook routes.

use domain::time::format_local;
use serde::{Deserialize, Serialize};
use storage::webhooks::{DeliveryRow, WebhookRow};
use utoipa::ToSchema;

/// A new subscription.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SubscribeRequest {
    /// Where deliveries are POSTed (`http://` or `https://`).
    pub url: String,
    /// The event kinds to receive; absent or empty for every kind the role may see.
    #[serde(default)]
    pub kinds: Vec<String>,
    /// The HMAC secret (16 to 200 characters); generated and answered once when absent.
    pub secret: Option<String>,
    /// Deliver the events after this cursor (default: only events from now on).
    pub after: Option<i64>,
}

/// A subscription as answered.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookView {
    /// Its id.
    pub id: i64,
    /// Where deliveries are POSTed.
    pub url: String,
    /// The event kinds (empty: every kind the owner may see).
    pub kinds: Vec<String>,
    /// `province` or `service`.
    pub owner_role: String,
    /// `active` or `paused` (after repeated failure; `POST …/resume`).
    pub state: String,
    /// The last event cursor queued for it.
    pub cursor: i64,
    /// Consecutive failed attempts.
    pub failures: i32,
    /// When it was created (Asia/Shanghai).
    pub created_at: String,
    /// When it was paused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paused_at: Option<String>,
    /// The secret: answered only when the subscription is created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

impl From<WebhookRow> for WebhookView {
    fn from(w: WebhookRow) -> Self {
        WebhookView {
            id: w.id,
            kinds: w.sub.kind_list(),
            url: w.sub.url,
            owner_role: w.sub.owner_role,
            state: w.sub.state,
            cursor: w.sub.cursor,
            failures: w.sub.failures,
            created_at: format_local(w.sub.created_at),
            paused_at: w.paused_at.map(format_local),
            secret: None,
        }
    }
}

/// One delivery and its attempts.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryView {
    /// Its id (`X-Dualprev-Delivery`).
    pub id: i64,
    /// The event's cursor.
    pub cursor: i64,
    /// The event's kind.
    pub kind: String,
    /// `pending`, `delivered` or `failed`.
    pub state: String,
    /// Attempts made.
    pub attempts: i32,
    /// The first attempt.
    pub first_attempt_at: Option<String>,
    /// The next attempt, while pending.
    pub next_attempt_at: Option<String>,
    /// The HTTP status of the last attempt.
    pub last_status: Option<i32>,
    /// What went wrong on the last attempt.
    pub last_error: Option<String>,
    /// When a 2xx came back.
    pub delivered_at: Option<String>,
}

impl From<DeliveryRow> for DeliveryView {
    fn from(d: DeliveryRow) -> Self {
        DeliveryView {
            id: d.id,
            cursor: d.seq,
            kind: d.kind,
            next_attempt_at: (d.state == "pending").then(|| format_local(d.next_attempt_at)),
            state: d.state,
            attempts: d.attempts,
            first_attempt_at: d.first_attempt_at.map(format_local),
            last_status: d.last_status,
            last_error: d.last_error,
            delivered_at: d.delivered_at.map(format_local),
        }
    }
}

/// The refusals of a route that names one of the caller's subscriptions by id (OpenAPI only).
#[derive(utoipa::IntoResponses)]
pub enum ByIdRefused {
    /// The id is not a number in range.
    #[response(
        status = 400,
        description = "an id or a parameter that is not a number in range",
        content_type = "application/problem+json"
    )]
    BadId(crate::error::Problem),
    /// No valid token.
    #[response(status = 401, description = "no valid token", content_type = "application/problem+json")]
    NoToken(crate::error::Problem),
    /// Another caller's subscription.
    #[response(status = 403, description = "not the caller's", content_type = "application/problem+json")]
    NotCallers(crate::error::Problem),
}

/// 404 of a subscription route (OpenAPI only).
#[derive(utoipa::IntoResponses)]
#[response(status = 404, description = "no such subscription", content_type = "application/problem+json")]
pub struct NoSuchSubscription(#[allow(dead_code)] crate::error::Problem);
