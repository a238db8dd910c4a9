//! The exchange routes: `POST /api/v1/exchange/{table}` (push) and the stored receipts.

use crate::AppState;
use crate::auth::{Caller, Role};
use crate::error::{ApiError, ApiResult, Problem};
use crate::error_doc::shared::{NoToken, OutOfScope};
use crate::sender::sender_of;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use domain::Code;
use domain::ExchangeTable;
use exchange::Receipt;
use futures_util::StreamExt;
use serde::Deserialize;
use utoipa::IntoParams;

/// The largest request body, in bytes.
pub const MAX_BODY: usize = 8 * 1024 * 1024;

/// Options of a push.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct PushQuery {
    /// Validate and check everything (referential checks included) but store nothing.
    #[serde(default)]
    pub dry_run: bool,
}

// The records of a danger push without their photos are held to the same bound as every other body.
const _: () = assert!(MAX_BODY == ingest::photos::MAX_BODY_WITHOUT_PHOTOS);

/// The largest body of a push of `table`: [`MAX_BODY`]; for dangers, whose photos may come as base64 inside the
/// records, `ingest::photos::MAX_BODY_WITH_PHOTOS` (64 MiB), of which the records without their photo fields may
/// still take only [`MAX_BODY`] (checked once the body is parsed, `ingest::photos::check_body`; 413 `too_large`).
pub fn push_body_limit(table: ExchangeTable) -> usize {
    if table == ExchangeTable::Danger { ingest::photos::MAX_BODY_WITH_PHOTOS } else { MAX_BODY }
}

/// Reads the body up to [`MAX_BODY`]; more is 413.
pub(crate) async fn read_body(payload: web::Payload) -> ApiResult<web::BytesMut> {
    read_body_up_to(payload, MAX_BODY).await
}

/// Reads the body up to `limit` bytes; more is 413.
pub(crate) async fn read_body_up_to(mut payload: web::Payload, limit: usize) -> ApiResult<web::BytesMut> {
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk
            .map_err(|e| ApiError::bad_request(Code::BadBody, format!("请求体读取失败 / cannot read the body: {e}")))?;
        if body.len() + chunk.len() > limit {
            let mib = limit / (1024 * 1024);
            return Err(ApiError::TooLarge(format!("请求体超过 {mib} MiB / the body exceeds {limit} bytes")));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Push a batch of records of one table (JSON array, or `{"datas": …}` encrypted with the enterprise's key).
///
/// The table is one of `hazard_source`, `risk_unit`, `risk_event`, `control_measure`, `check_task`, `check_record`,
/// `danger`, `unit_stop`, or a national endpoint name (`sec_security_risk_unit`, …). The answer is the receipt:
/// 200 when nothing was rejected, 207 when some records were rejected and the others stored, 422 when every record
/// was rejected. At most 500 records and 8 MiB a request; a `danger` push may take 64 MiB with the photos of its
/// records in base64 (`dangerImg`, `dangerAcceptImg`, `attachments1`–`3`), its records without them still 8 MiB.
#[utoipa::path(tag = "exchange", params(("table" = String, Path, description = "table name or national alias"), PushQuery),
    request_body(content = Vec<Object>, description = "records, or {\"datas\": \"<base64 AES-128-CBC>\"}", content_type = "application/json",
        example = json!([{"id": "0d1c5e4a9b8f4e2d8c7b6a5f4e3d2c1b", "companyCode": "140100001", "deleted": "0",
            "createDate": "2026-11-23 09:12:00", "createBy": "张三", "updateDate": "2026-11-23 09:12:00", "updateBy": "张三",
            "checkTaskId": "9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c", "checkTime": "2026-11-23 09:05:00", "checkStatus": "0"}])),
    security(("bearer" = []), ("basic" = [])), responses(
    (status = 200, description = "every record stored, unchanged or held", body = Receipt),
    (status = 207, description = "some records rejected, the others stored", body = Receipt),
    (status = 422, description = "every record rejected", body = Receipt),
    (status = 400, description = "not a JSON array, empty, or cannot be decrypted", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "no valid token or Basic credentials", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "the token's role may not push", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such table", body = Problem, content_type = "application/problem+json"),
    (status = 413, description = "over 500 records or 8 MiB (a danger push: 64 MiB with its photos, 8 MiB without them)", body = Problem, content_type = "application/problem+json"),
    (status = 429, description = "over the enterprise's push rate ([limits] push_records_per_minute, push_per_minute); see Retry-After", body = Problem, content_type = "application/problem+json"),
    (status = 503, description = "the database cannot be written (disk_full, database_read_only, database_io_error) or is unreachable (database_unavailable): nothing stored; resend after Retry-After", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/exchange/{table}")]
pub async fn push(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<PushQuery>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let sender = sender_of(&req, &state).await?;
    crate::push::accept(state, req, sender, &path, query.dry_run, payload).await
}

/// A stored receipt with the raw JSON of the rejected records.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StoredReceipt {
    /// The receipt as answered.
    #[serde(flatten)]
    pub receipt: Receipt,
    /// The rejected records as sent (re-serialised JSON), by index.
    pub rejected_records: Vec<RejectedRecord>,
}

/// One rejected record as sent.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RejectedRecord {
    /// Its index in the batch.
    pub index: usize,
    /// The record.
    pub record: serde_json::Value,
}

/// One stored receipt (the enterprise itself, its city, or the province).
#[utoipa::path(tag = "exchange", params(("batchId" = String, Path, description = "the batch id of the receipt")),
    security(("bearer" = [])), responses(
    (status = 200, description = "the stored receipt", body = StoredReceipt),
    NoToken, OutOfScope,
    (status = 404, description = "no such batch", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/exchange/receipts/{batchId}")]
pub async fn get_receipt(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<web::Json<StoredReceipt>> {
    let id = domain::BatchId::new(path.into_inner());
    let stored = state
        .db(move |c| {
            let b =
                storage::batches::get(c, &id)?.ok_or_else(|| storage::StorageError::NotFound(format!("batch {id}")))?;
            let city = match domain::CompanyCode::parse(&b.batch.company_code) {
                Ok(code) => storage::registry::row(c, &code)?.map(|r| r.city_code),
                Err(_) => None,
            };
            Ok((b, city))
        })
        .await?;
    let (b, city) = stored;
    caller.may_see_enterprise(&b.batch.company_code, city.as_deref())?;
    let receipt = ingest::receipts::receipt_of(&b)?;
    let rejected_records = b
        .rejects
        .iter()
        .map(|r| RejectedRecord {
            index: usize::try_from(r.record_index).unwrap_or(0),
            record: serde_json::from_str(&r.raw).unwrap_or(serde_json::Value::String(r.raw.clone())),
        })
        .collect();
    Ok(web::Json(StoredReceipt { receipt, rejected_records }))
}

/// Filters of the receipt list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReceiptQuery {
    /// Only this enterprise (an enterprise token sees only itself; a city token only its city's enterprises).
    pub company: Option<String>,
    /// Only batches received at or after this moment (RFC 3339, or `yyyy-MM-dd` for local midnight).
    pub since: Option<String>,
    /// At most this many, newest first (default 100, at most 1000).
    pub limit: Option<i64>,
}

/// One line of the receipt list: the counts of a batch (fetch the receipt for its errors).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReceiptSummary {
    /// The batch id.
    pub batch_id: String,
    /// The table.
    pub table: String,
    /// The sending enterprise.
    pub company_code: String,
    /// `push` or `pull`.
    pub source: String,
    /// When it was received (Asia/Shanghai).
    pub received_at: String,
    /// Records in the batch.
    pub received: i32,
    /// Records stored as new versions.
    pub accepted: i32,
    /// Records identical to the stored version.
    pub unchanged: i32,
    /// Records held for their parent.
    pub pending: i32,
    /// Records rejected.
    pub rejected: i32,
}

impl From<storage::batches::BatchRow> for ReceiptSummary {
    fn from(b: storage::batches::BatchRow) -> Self {
        ReceiptSummary {
            batch_id: b.batch_id,
            table: b.table_name,
            company_code: b.company_code,
            source: b.source,
            received_at: domain::time::format_local(b.received_at),
            received: b.received,
            accepted: b.accepted,
            unchanged: b.unchanged,
            pending: b.pending,
            rejected: b.rejected,
        }
    }
}

/// Stored receipts, newest first: their counts (fetch one receipt for its errors and rejected records).
#[utoipa::path(tag = "exchange", params(ReceiptQuery), security(("bearer" = [])), responses(
    (status = 200, description = "receipt counts, newest first", body = [ReceiptSummary]),
    (status = 400, description = "bad filter", body = Problem, content_type = "application/problem+json"),
    NoToken, OutOfScope,
))]
#[get("/api/v1/exchange/receipts")]
pub async fn list_receipts(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ReceiptQuery>,
) -> ApiResult<web::Json<Vec<ReceiptSummary>>> {
    let since = query.since.as_deref().map(parse_since).transpose()?;
    let mut filter =
        storage::batches::BatchFilter { since, limit: query.limit.unwrap_or(100).clamp(1, 1000), ..Default::default() };
    match caller.role() {
        Role::Enterprise => {
            let own = caller.claims.company_code.clone();
            if query.company.is_some() && query.company != own {
                return Err(ApiError::Forbidden(
                    "企业只能查看自己的回执 / an enterprise sees only its own receipts".into(),
                ));
            }
            filter.company = own;
        }
        _ => {
            filter.city = caller.city_scope(None)?;
            filter.company = query.company.clone();
        }
    }
    if let (Some(company), Some(city)) = (filter.company.clone(), filter.city) {
        // A malformed code names no enterprise (and no batch): nothing to refuse.
        let row = match domain::CompanyCode::parse(&company) {
            Ok(code) => state.db(move |c| storage::registry::row(c, &code)).await?,
            Err(_) => None,
        };
        if row.is_some_and(|r| r.city_code != city.code()) {
            return Err(ApiError::Forbidden(
                "无权访问其他地市企业的回执 / no access to another city's enterprises".into(),
            ));
        }
    }
    let rows = state.db(move |c| Ok(storage::batches::list(c, &filter)?)).await?;
    Ok(web::Json(rows.into_iter().map(ReceiptSummary::from).collect()))
}

/// An RFC 3339 moment or a local date, as naive UTC.
fn parse_since(s: &str) -> ApiResult<chrono::NaiveDateTime> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(t.naive_utc());
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map(domain::time::local_midnight_utc).map_err(|_| {
        ApiError::bad_request(
            Code::BadSince,
            format!("since 必须是 RFC 3339 时间或日期 / since must be RFC 3339 or yyyy-MM-dd: {s:?}"),
        )
    })
}
