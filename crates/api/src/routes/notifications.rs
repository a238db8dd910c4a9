//! The signed-in person's notifications (`GET /api/v1/notifications`, `POST /api/v1/notifications/read`): what
//! happened to the warnings in their scope, newest first, with the unread count the dashboard header shows. The
//! province, city and enterprise people take part in handling; the other roles have no notifications (403).

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Problem};
use crate::error_doc::shared::{NoToken, OutOfScope};
use actix_web::{get, post, put, web};
use domain::Code;
use domain::time::format_local;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Query of `GET /api/v1/notifications`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    /// `true`: unread only.
    pub unread: Option<bool>,
    /// At most this many (1–200, default 50).
    pub limit: Option<i64>,
}

/// One notification.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NotificationView {
    /// Its number.
    pub id: i64,
    /// When (Asia/Shanghai).
    pub at: String,
    /// The step: `opened`, `sign`, `respond`, `verify`, `return`, `supervise`, `note`, `escalated`.
    pub kind: String,
    /// The case.
    pub case_id: Option<i64>,
    /// The warning (`/api/v1/warnings/{warningId}`).
    pub warning_id: Option<String>,
    /// One line.
    pub title: String,
    /// The detail.
    pub body: String,
    /// Whether it was read.
    pub read: bool,
}

/// `GET /api/v1/notifications`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NotificationsResponse {
    /// Unread notifications in all.
    pub unread: i64,
    /// Newest first.
    pub rows: Vec<NotificationView>,
}

/// Body of `POST /api/v1/notifications/read`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadBody {
    /// The notifications to mark read; absent: all of them.
    pub ids: Option<Vec<i64>>,
}

/// The caller's notifications, newest first.
#[utoipa::path(tag = "session", params(NotificationQuery), security(("bearer" = [])), responses(
    (status = 200, description = "notifications and the unread count", body = NotificationsResponse),
    (status = 400, description = "bad limit", body = Problem, content_type = "application/problem+json"),
    NoToken, OutOfScope,
))]
#[get("/api/v1/notifications")]
pub async fn list_notifications(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<NotificationQuery>,
) -> ApiResult<web::Json<NotificationsResponse>> {
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::bad_request(Code::BadQuery, format!("limit 须为 1–200 / limit is 1–200: {limit}")));
    }
    let (who, unread_only) = (caller.claims.sub.clone(), q.unread.unwrap_or(false));
    let (rows, unread) = state.db(move |c| storage::handling::notify::of(c, &who, limit, unread_only)).await?;
    let rows = rows
        .into_iter()
        .map(|n| NotificationView {
            id: n.id,
            at: format_local(n.at),
            kind: n.kind,
            case_id: n.case_id,
            warning_id: n.warning_id,
            title: n.title,
            body: n.body,
            read: n.read_at.is_some(),
        })
        .collect();
    Ok(web::Json(NotificationsResponse { unread, rows }))
}

/// `POST /api/v1/notifications/read`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadResponse {
    /// How many were marked read now.
    pub marked: usize,
    /// Unread left.
    pub unread: i64,
}

/// Marks the caller's notifications read: those listed, or all.
#[utoipa::path(tag = "session", request_body = ReadBody, security(("bearer" = [])), responses(
    (status = 200, description = "marked", body = ReadResponse),
    (status = 400, description = "a body that is not JSON", body = Problem, content_type = "application/problem+json"),
    NoToken, OutOfScope,
))]
#[post("/api/v1/notifications/read")]
pub async fn mark_read(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<ReadBody>,
) -> ApiResult<web::Json<ReadResponse>> {
    let (who, now, ids) = (caller.claims.sub.clone(), state.clock.now_utc(), body.into_inner().ids);
    let (marked, unread) = state
        .db(move |c| {
            let marked = storage::handling::notify::mark_read(c, &who, ids.as_deref(), now)?;
            Ok((marked, storage::handling::notify::of(c, &who, 1, true)?.1))
        })
        .await?;
    Ok(web::Json(ReadResponse { marked, unread }))
}

/// Body and answer of `PUT /api/v1/notifications/email`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailSetting {
    /// Send e-mail digests of my notifications (at most one every 15 minutes, to my account's address).
    pub enabled: bool,
}

/// Whether the caller gets e-mail digests.
#[utoipa::path(tag = "session", security(("bearer" = [])), responses(
    (status = 200, description = "the setting", body = EmailSetting),
    NoToken, OutOfScope,
    (status = 404, description = "the caller has no account (a token)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/notifications/email")]
pub async fn get_email(state: web::Data<AppState>, caller: Caller) -> ApiResult<web::Json<EmailSetting>> {
    let who = caller.claims.sub.clone();
    let found = state.db(move |c| storage::accounts::get(c, &who)).await?;
    if found.is_none() {
        return Err(no_account());
    }
    let who = caller.claims.sub.clone();
    let enabled = state.db(move |c| storage::handling::digest::notify_email(c, &who)).await?;
    Ok(web::Json(EmailSetting { enabled }))
}

/// Turns the caller's e-mail digests on or off (opt-in; the address is the account's, set by the system
/// administrator).
#[utoipa::path(tag = "session", request_body = EmailSetting, security(("bearer" = [])), responses(
    (status = 200, description = "stored", body = EmailSetting),
    (status = 400, description = "a body that is not JSON", body = Problem, content_type = "application/problem+json"),
    NoToken, OutOfScope,
    (status = 404, description = "the caller has no account (a token)", body = Problem, content_type = "application/problem+json"),
))]
#[put("/api/v1/notifications/email")]
pub async fn put_email(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<EmailSetting>,
) -> ApiResult<web::Json<EmailSetting>> {
    let (who, on) = (caller.claims.sub.clone(), body.enabled);
    let changed = state.db(move |c| storage::handling::digest::set_notify_email(c, &who, on)).await?;
    if !changed {
        return Err(no_account());
    }
    Ok(web::Json(EmailSetting { enabled: on }))
}

fn no_account() -> ApiError {
    ApiError::NotFound(
        "没有该账号（令牌调用者没有个人设置）/ no such account (a token has no personal settings)".into(),
    )
}
