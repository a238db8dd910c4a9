//! Records held for a missing parent (`data-exchange.md` §6), made visible and discardable:
//! `GET /api/v1/exchange/pending` lists them with the parent they wait for and their age (the enterprise itself, its
//! city, the province), and `DELETE /api/v1/exchange/pending/{table}/{id}` lets the enterprise itself discard one
//! (moved to `discarded_records`, never deleted; a `records.discarded` event).

use super::warnings::company_scope;
use crate::AppState;
use crate::audit::AuditDetail;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Problem};
use crate::error_doc::shared::{NoToken, OutOfScope};
use actix_web::{HttpResponse, delete, get, web};
use chrono::NaiveDateTime;
use domain::time::format_local;
use domain::{Code, ExchangeTable};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Rows per page when `limit` is not given.
const DEFAULT_LIMIT: i64 = 100;
/// The largest `limit`.
const MAX_LIMIT: i64 = 1000;

/// Query of `GET /api/v1/exchange/pending`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PendingQuery {
    /// Only this enterprise (an enterprise sees only itself; a city only its city's enterprises).
    pub company: Option<String>,
    /// At most this many rows (1–1000, default 100), oldest first.
    pub limit: Option<i64>,
    /// Skip this many rows.
    pub offset: Option<i64>,
}

/// One held record.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HeldItem {
    /// The exchange table of the record (`check_record` …).
    pub table: String,
    /// The record id.
    pub id: String,
    /// The enterprise.
    pub company_code: String,
    /// The table of the missing parent.
    pub parent_table: String,
    /// The record's field that names the parent (`checkTaskId` …).
    pub parent_field: Option<String>,
    /// The parent's key the record names (its id, or the `hazardCode` of a hazard source).
    pub parent_key: String,
    /// When the platform received the record (Asia/Shanghai).
    pub received_at: String,
    /// Seconds since it was received.
    pub age_seconds: i64,
    /// The batch that brought it (its receipt: `GET /api/v1/exchange/receipts/{batchId}`).
    pub batch_id: String,
    /// The record's `updateDate` (Asia/Shanghai).
    pub update_date: String,
}

/// `GET /api/v1/exchange/pending`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PendingResponse {
    /// The moment ages are counted to (Asia/Shanghai).
    pub as_of: String,
    /// Held records in the caller's scope (all pages).
    pub total: i64,
    /// When the oldest of them was received (Asia/Shanghai); null when none is held.
    pub oldest_received_at: Option<String>,
    /// Its age in seconds; null when none is held.
    pub oldest_age_seconds: Option<i64>,
    /// The page, oldest received first.
    pub rows: Vec<HeldItem>,
}

/// The field of a `table` record that names a parent in `parent` (`None` for a pair the tables do not link).
fn parent_field(table: &str, parent: &str) -> Option<String> {
    let t = ExchangeTable::parse(table).ok()?;
    t.parents().iter().find(|p| p.table.name() == parent).map(|p| p.field.to_owned())
}

/// Whole seconds from `then` to `now`.
fn age(now: NaiveDateTime, then: NaiveDateTime) -> i64 {
    (now - then).num_seconds()
}

/// Records held for a missing parent, oldest first, with the parent each waits for and its age. The enterprise
/// itself, its city, the province; records held more than 3 days open the `held_records` warning.
#[utoipa::path(tag = "exchange", params(PendingQuery), security(("bearer" = [])), responses(
    (status = 200, description = "held records and their totals", body = PendingResponse),
    (status = 400, description = "bad limit or offset", body = Problem, content_type = "application/problem+json"),
    NoToken, OutOfScope,
))]
#[get("/api/v1/exchange/pending")]
pub async fn list_pending(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<PendingQuery>,
) -> ApiResult<web::Json<PendingResponse>> {
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    let offset = q.offset.unwrap_or(0);
    if !(1..=MAX_LIMIT).contains(&limit) || offset < 0 {
        return Err(ApiError::bad_request(
            Code::BadLimit,
            format!("limit 须在 1 到 {MAX_LIMIT} 之间，offset 不能为负 / limit must be 1 to {MAX_LIMIT}, offset ≥ 0"),
        ));
    }
    // The policy has already refused another city's enterprise and an enterprise asking for another one.
    let company = company_scope(&caller, q.company.as_deref())?;
    let city = caller.city_scope(None)?.map(|c| c.code().to_owned());
    let filter = storage::held::Filter { company, city };
    let now = state.clock.now_utc();
    let (rows, (total, oldest)) = state
        .db(move |c| Ok((storage::held::list(c, &filter, limit, offset)?, storage::held::totals(c, &filter)?)))
        .await?;
    let rows = rows
        .into_iter()
        .map(|r| HeldItem {
            parent_field: parent_field(&r.table_name, &r.parent_table),
            table: r.table_name,
            id: r.record_id,
            company_code: r.company_code,
            parent_table: r.parent_table,
            parent_key: r.parent_key,
            received_at: format_local(r.received_at),
            age_seconds: age(now, r.received_at),
            batch_id: r.batch_id,
            update_date: format_local(r.update_date),
        })
        .collect();
    Ok(web::Json(PendingResponse {
        as_of: format_local(now),
        total,
        oldest_received_at: oldest.map(format_local),
        oldest_age_seconds: oldest.map(|t| age(now, t)),
        rows,
    }))
}

/// What a discard moved.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DiscardedView {
    /// The exchange table (platform name, also when the national alias was asked for).
    pub table: String,
    /// The record id.
    pub id: String,
    /// The enterprise.
    pub company_code: String,
    /// How many held versions were moved to the discarded records.
    pub versions: usize,
    /// When (Asia/Shanghai).
    pub discarded_at: String,
    /// Who discarded it (the token's or the person's `sub`).
    pub discarded_by: String,
}

/// Discards a held record of the caller's own enterprise: every held version of it is moved to the discarded
/// records (kept, with who and when), its figures no longer wait for it, and a `records.discarded` event is sent.
/// Only the enterprise itself (token or session). A record sent again later is new (held while its parent is missing).
#[utoipa::path(tag = "exchange", params(
    ("table" = String, Path, description = "table name or national alias (`check_record`, `sec_hidden_check_record` …)"),
    ("id" = String, Path, description = "the record id")),
    security(("bearer" = [])), responses(
    (status = 200, description = "the record was discarded", body = DiscardedView),
    (status = 400, description = "unknown table (`bad_table`)", body = Problem, content_type = "application/problem+json"),
    NoToken,
    (status = 403, description = "not the enterprise itself", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "the enterprise holds no such record", body = Problem, content_type = "application/problem+json"),
))]
#[delete("/api/v1/exchange/pending/{table}/{id}")]
pub async fn discard_pending(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (name, id) = path.into_inner();
    let table = ExchangeTable::parse(&name)
        .map_err(|_| ApiError::bad_request(Code::BadTable, format!("没有这张交换表 / no exchange table {name:?}")))?;
    let not_held = || ApiError::NotFound(format!("没有暂存的记录 {name}/{id} / no held record {name}/{id}"));
    let company =
        caller.claims.company_code.as_deref().and_then(|c| domain::CompanyCode::parse(c).ok()).ok_or_else(|| {
            ApiError::Forbidden("只有企业本身可以丢弃暂存记录 / only the enterprise itself may discard".into())
        })?;
    // A malformed id names no record: the same 404 as one not held.
    let record = domain::RecordId::parse(&id).map_err(|_| not_held())?;
    let record_id = record.as_str().to_owned();
    let (by, at) = (caller.claims.sub.clone(), state.clock.now_utc());
    let code = company.clone();
    let moved = state
        .db(move |c| {
            let city = storage::registry::row(c, &code)?.map(|r| r.city_code);
            let d =
                storage::held::Discard { table, company: &code, id: &record, by: &by, at, city_code: city.as_deref() };
            storage::held::discard(c, &d)
        })
        .await?;
    if moved.is_empty() {
        return Err(not_held());
    }
    // The event was appended with the move: wake the feed's long-polls, the webhooks and the change detector.
    state.changes.bump();
    let view = DiscardedView {
        table: table.name().to_owned(),
        id: record_id,
        company_code: company.to_string(),
        versions: moved.len(),
        discarded_at: format_local(at),
        discarded_by: caller.claims.sub.clone(),
    };
    let detail = serde_json::json!({"table": view.table, "id": view.id, "companyCode": view.company_code,
        "versions": view.versions});
    let mut res = HttpResponse::Ok().json(view);
    res.extensions_mut().insert(AuditDetail(detail));
    Ok(res)
}
