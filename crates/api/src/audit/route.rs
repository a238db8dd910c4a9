//! `GET /api/v1/audit`: the audit trail, for the province only.

use crate::AppState;
use crate::auth::Role;
use crate::error::{ApiError, ApiResult, Problem};
use crate::error_doc::shared::NoToken;
use actix_web::{get, web};
use chrono::{DateTime, NaiveDateTime};
use domain::Code;
use domain::time::format_local;
use serde::{Deserialize, Serialize};
use storage::audit::{AuditFilter, AuditRow};
use utoipa::{IntoParams, ToSchema};

/// Rows per page when `limit` is not given.
pub const DEFAULT_LIMIT: u32 = 100;
/// The largest `limit`.
pub const MAX_LIMIT: u32 = 1000;

/// Query of `GET /api/v1/audit`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only this actor (a token's `sub`, e.g. `city:140100`; `-` for requests without a valid token).
    pub actor: Option<String>,
    /// Only this role: `province`, `city`, `enterprise` or `service`.
    pub role: Option<String>,
    /// Only this outcome: `ok`, `denied`, `unauthorized`, `rejected` or `error`.
    pub outcome: Option<String>,
    /// Only rows at or after this time (RFC 3339, e.g. `2026-11-29T08:00:00+08:00`).
    pub since: Option<String>,
    /// Only rows before this time (RFC 3339).
    pub until: Option<String>,
    /// Only routes starting with this text, e.g. `/api/v1/exchange`.
    pub route: Option<String>,
    /// Rows after this `seq` (the `next` of the previous page).
    pub after: Option<i64>,
    /// Rows per page: 1 to 1000, 100 by default.
    pub limit: Option<u32>,
}

/// One recorded request.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    /// The sequence number (1, 2, 3… without gaps).
    pub seq: i64,
    /// When it arrived (Asia/Shanghai).
    pub at: String,
    /// The token's `sub`, `-` without a valid token, `cli` for the command line.
    pub actor: String,
    /// The token's role, null without a valid token.
    pub role: Option<String>,
    /// The token's city or company code.
    pub scope: Option<String>,
    /// The HTTP method (`CLI` for the command line).
    pub method: String,
    /// The matched route pattern, e.g. `/api/v1/reports/{id}`.
    pub route: String,
    /// The path asked for.
    pub path: String,
    /// The query string.
    pub query: String,
    /// The HTTP status answered.
    pub status: i32,
    /// `ok`, `denied`, `unauthorized`, `rejected` or `error`.
    pub outcome: String,
    /// What the handler added (e.g. `{"batchId", "accepted", "rejected"}` for a push).
    #[schema(value_type = Option<Object>)]
    pub detail: Option<serde_json::Value>,
    /// The client address.
    pub client: Option<String>,
    /// The previous row's hash (hex).
    pub prev_hash: String,
    /// This row's hash (hex; see docs/audit.md).
    pub hash: String,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> Self {
        let detail = r.detail.map(|d| serde_json::from_str(&d).unwrap_or(serde_json::Value::String(d)));
        AuditEntry {
            seq: r.seq,
            at: format_local(r.at),
            actor: r.actor,
            role: r.role,
            scope: r.scope,
            method: r.method,
            route: r.route,
            path: r.path,
            query: r.query,
            status: r.status,
            outcome: r.outcome,
            detail,
            client: r.client,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

/// `GET /api/v1/audit`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditResponse {
    /// The rows, oldest first.
    pub rows: Vec<AuditEntry>,
    /// The `after` of the next page; null on the last page.
    pub next: Option<i64>,
}

fn parse_time(name: &str, v: Option<&str>) -> ApiResult<Option<NaiveDateTime>> {
    v.map(|s| {
        DateTime::parse_from_rfc3339(s).map(|t| t.naive_utc()).map_err(|_| {
            ApiError::bad_request(
                Code::BadTime,
                format!("{name} 须为 RFC 3339 时间 / {name} must be an RFC 3339 time: {s}"),
            )
        })
    })
    .transpose()
}

fn filter_of(q: &AuditQuery) -> ApiResult<AuditFilter> {
    if q.role.as_deref().is_some_and(|r| Role::parse(r).is_none()) {
        return Err(ApiError::bad_request(
            Code::BadRole,
            "role 无效 / role must be province, city, enterprise or service",
        ));
    }
    let outcomes = ["ok", "denied", "unauthorized", "rejected", "error"];
    if q.outcome.as_deref().is_some_and(|o| !outcomes.contains(&o)) {
        return Err(ApiError::bad_request(
            Code::BadOutcome,
            "outcome 无效 / outcome must be ok, denied, unauthorized, rejected or error",
        ));
    }
    Ok(AuditFilter {
        actor: q.actor.clone(),
        role: q.role.clone(),
        outcome: q.outcome.clone(),
        since: parse_time("since", q.since.as_deref())?,
        until: parse_time("until", q.until.as_deref())?,
        route_prefix: q.route.clone(),
    })
}

/// Who read or changed what, and when: every request to `/api/v1/*` and every registry import, oldest first, with
/// the hash chain that makes an edit, a deletion or a reordering detectable (`dualprev audit verify`). Rows appear
/// within about 200 ms of the answer.
#[utoipa::path(tag = "audit", params(AuditQuery), security(("bearer" = [])), responses(
    (status = 200, description = "a page of the audit trail", body = AuditResponse),
    (status = 400, description = "bad role, outcome, time or limit", body = Problem, content_type = "application/problem+json"),
    NoToken,
    (status = 403, description = "not a province token", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/audit")]
pub async fn list_audit(state: web::Data<AppState>, q: web::Query<AuditQuery>) -> ApiResult<web::Json<AuditResponse>> {
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::bad_request(
            Code::BadLimit,
            format!("limit 须在 1 到 {MAX_LIMIT} 之间 / limit must be 1 to {MAX_LIMIT}"),
        ));
    }
    let filter = filter_of(&q)?;
    let after = q.after;
    let page = state.db(move |c| storage::audit::list(c, &filter, after, limit)).await?;
    Ok(web::Json(AuditResponse { rows: page.rows.into_iter().map(AuditEntry::from).collect(), next: page.next }))
}
