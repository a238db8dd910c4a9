//! `GET /api/v1/changes`: the change feed by cursor, as JSON or NDJSON, with long-poll.

use super::{Event, caller_scope};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Problem};
use crate::error_doc::shared::NoToken;
use actix_web::{HttpRequest, HttpResponse, get, web};
use domain::Code;
use serde::Deserialize;
use std::time::Duration;
use storage::events::Scope;
use utoipa::IntoParams;

/// The longest long-poll.
pub const MAX_WAIT: Duration = Duration::from_secs(30);
/// How often a long-poll looks at the database when no wake-up came (events appended by another process).
const RECHECK: Duration = Duration::from_secs(1);

/// Query of `GET /api/v1/changes`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangesQuery {
    /// The last cursor seen (0, or absent, for the beginning).
    pub after: Option<i64>,
    /// At most this many events (default 100, at most 1000).
    pub limit: Option<i64>,
    /// Long-poll: when nothing follows `after`, wait up to this long for an event (`30s` or `30`; at most 30 s).
    pub wait: Option<String>,
    /// Only these kinds (comma-separated).
    pub kinds: Option<String>,
}

/// A page of the feed.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChangesResponse {
    /// The events after `after`, in cursor order.
    pub events: Vec<Event>,
    /// The cursor to ask with next (`after=`): the last event's, or `after` when there was none.
    pub next: i64,
}

/// Parses `wait`: `30s`, `30` or `500ms`, at most [`MAX_WAIT`].
pub fn parse_wait(s: Option<&str>) -> ApiResult<Duration> {
    let Some(s) = s.map(str::trim).filter(|s| !s.is_empty()) else { return Ok(Duration::ZERO) };
    let bad = || ApiError::bad_request(Code::BadWait, format!("wait 无效（如 30s）/ invalid wait (e.g. 30s): {s}"));
    let d = if let Some(ms) = s.strip_suffix("ms") {
        Duration::from_millis(ms.parse().map_err(|_| bad())?)
    } else {
        Duration::from_secs(s.strip_suffix('s').unwrap_or(s).parse().map_err(|_| bad())?)
    };
    Ok(d.min(MAX_WAIT))
}

/// Reads one page, answering 410 when `after` is older than what retention keeps.
pub async fn page(state: &AppState, after: i64, limit: i64, scope: Scope, kinds: Vec<String>) -> ApiResult<Vec<Event>> {
    let (rows, pruned, oldest) = state
        .db(move |c| {
            let pruned = storage::events::pruned_through(c)?;
            if after < pruned {
                return Ok((vec![], pruned, storage::events::oldest_seq(c)?));
            }
            Ok((storage::events::after(c, after, limit, &scope, &kinds)?, pruned, None))
        })
        .await?;
    if after < pruned {
        return Err(ApiError::CursorExpired { oldest: oldest.unwrap_or(pruned + 1) });
    }
    Ok(rows.into_iter().map(Event::from).collect())
}

/// The change feed: every event after a cursor that the caller may see, in cursor order, each exactly once.
///
/// A province token sees every event; a city token its city's events and province-wide events without enterprise
/// detail; an enterprise token its own; a service token every event but `batch.stored` and `records.discarded`. With
/// `Accept: application/x-ndjson` the answer is one event per line. With `wait=30s` the answer comes as soon as an
/// event follows `after`, or empty after the wait. A cursor older than retention (`[changes] retention_days`) is
/// 410 `cursor_expired` with `oldestCursor`.
#[utoipa::path(tag = "changes", params(ChangesQuery), security(("bearer" = [])), responses(
    (status = 200, description = "events after the cursor (JSON, or NDJSON: one event a line)", content(
        (ChangesResponse = "application/json"), (Event = "application/x-ndjson"))),
    (status = 400, description = "bad cursor, kind or wait", body = Problem, content_type = "application/problem+json"),
    NoToken,
    (status = 403, description = "a kind the caller may not read (batch.stored, records.discarded for a service token)", body = Problem, content_type = "application/problem+json"),
    (status = 410, description = "the cursor is older than retention; oldestCursor says where the feed starts", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/changes")]
pub async fn get_changes(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    q: web::Query<ChangesQuery>,
) -> ApiResult<HttpResponse> {
    let after = q.after.unwrap_or(0);
    if after < 0 {
        return Err(ApiError::bad_request(Code::BadCursor, "after 不能为负 / after must not be negative"));
    }
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    let wait = parse_wait(q.wait.as_deref())?;
    let kinds: Vec<String> = q
        .kinds
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .collect();
    for k in &kinds {
        if !super::KINDS.contains(&k.as_str()) {
            return Err(ApiError::bad_request(Code::BadKind, format!("未知的事件类型 / unknown event kind: {k}")));
        }
        if caller.role() == crate::auth::Role::Service && super::NOT_FOR_SERVICE.contains(&k.as_str()) {
            return Err(ApiError::Forbidden(format!("服务令牌无权读取 {k} / a service token may not read {k}")));
        }
    }
    let scope = caller_scope(&caller);
    let deadline = tokio::time::Instant::now() + wait;
    let mut woken = state.changes.subscribe();
    let events = loop {
        woken.borrow_and_update();
        let events = page(&state, after, limit, scope.clone(), kinds.clone()).await?;
        let now = tokio::time::Instant::now();
        if !events.is_empty() || now >= deadline {
            break events;
        }
        let pause = (deadline - now).min(RECHECK);
        // Either an append in this process wakes us, or we look again after the pause.
        let _ = tokio::time::timeout(pause, woken.changed()).await;
    };
    let next = events.last().map_or(after, |e| e.cursor);
    let ndjson =
        req.headers().get("Accept").and_then(|h| h.to_str().ok()).is_some_and(|a| a.contains("application/x-ndjson"));
    if ndjson {
        let mut body = String::new();
        for e in &events {
            body.push_str(&serde_json::to_string(e).map_err(|e| ApiError::Internal(e.to_string()))?);
            body.push('\n');
        }
        return Ok(HttpResponse::Ok()
            .content_type("application/x-ndjson")
            .insert_header(("X-Next-Cursor", next.to_string()))
            .body(body));
    }
    Ok(HttpResponse::Ok().json(ChangesResponse { events, next }))
}
