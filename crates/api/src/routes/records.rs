//! `GET /api/v1/records/{table}/{id}`: one record as stored, for an inspector checking a figure or a warning: what it
//! says now, every version with the batch it came in and when it was received, and what is held of it.

use super::record_dto::{RecordSummary, summaries};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Problem};
use crate::error_doc::shared::NoToken;
use actix_web::{get, web};
use domain::Code;
use domain::ExchangeTable;
use domain::time::format_local;
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// One stored version.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VersionView {
    /// The batch it came in (its receipt: `GET /api/v1/exchange/receipts/{batchId}`).
    pub batch_id: String,
    /// When the platform received it (Asia/Shanghai).
    pub received_at: String,
    /// Its `updateDate` (Asia/Shanghai).
    pub update_date: String,
    /// Whether this version deletes the record.
    pub deleted: bool,
    /// Every stored column, by column name (times in UTC as stored, `YYYY-MM-DD HH:MM:SS[.ffffff]`).
    #[schema(value_type = Object)]
    pub fields: Map<String, Value>,
}

/// A version held for a missing parent.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HeldView {
    /// The batch it came in.
    pub batch_id: String,
    /// When it was received (Asia/Shanghai).
    pub received_at: String,
    /// The parent table it waits for.
    pub parent_table: String,
    /// The parent's key.
    pub parent_key: String,
    /// The record as received.
    #[schema(value_type = Object)]
    pub record: Value,
}

/// The record of one enterprise.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecordOf {
    /// The enterprise.
    pub company_code: String,
    /// What an inspector reads of it now (dangers, tasks and units); null for other tables.
    pub summary: Option<RecordSummary>,
    /// Every stored version, oldest first.
    pub versions: Vec<VersionView>,
    /// Versions held for a missing parent.
    pub held: Vec<HeldView>,
}

/// `GET /api/v1/records/{table}/{id}`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecordResponse {
    /// The exchange table.
    pub table: String,
    /// The record id.
    pub id: String,
    /// Per enterprise in the caller's scope that has a record with this id (ids are unique per enterprise).
    pub records: Vec<RecordOf>,
}

/// Every stored version of one record. Province: any enterprise; city: its own city's; enterprise: its own. A record
/// outside the caller's scope is answered like one that does not exist (404), so a caller learns nothing outside it.
#[utoipa::path(tag = "figures", params(
    ("table" = String, Path, description = "`hazard_source`, `risk_unit`, `risk_event`, `control_measure`, `check_task`, `check_record`, `danger`, `unit_stop`"),
    ("id" = String, Path, description = "the record id")),
    security(("bearer" = [])), responses(
    (status = 200, description = "the record", body = RecordResponse),
    (status = 400, description = "unknown table (`bad_table`)", body = Problem, content_type = "application/problem+json"),
    NoToken,
    (status = 403, description = "a role without record access", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such record in the caller's scope", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/records/{table}/{id}")]
pub async fn get_record(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> ApiResult<web::Json<RecordResponse>> {
    let (name, id) = path.into_inner();
    let table = ExchangeTable::parse(&name)
        .map_err(|_| ApiError::bad_request(Code::BadTable, format!("没有这张交换表 / no exchange table {name:?}")))?;
    // A malformed id names no record: the same 404 as an unknown one.
    let not_found = || ApiError::NotFound(format!("没有记录 {name}/{id} / no record {name}/{id} in your scope"));
    let record_id = domain::RecordId::parse(&id).map_err(|_| not_found())?;
    let records = state
        .db(move |c| {
            let mut out = Vec::new();
            for company in storage::record_page::companies_of(c, table, &record_id)? {
                let city = storage::registry::row(c, &company)?.map(|r| r.city_code);
                if caller.may_see_enterprise(company.as_str(), city.as_deref()).is_err() {
                    continue;
                }
                out.push(record_of(c, table, &company, &record_id)?);
            }
            Ok(out)
        })
        .await?;
    if records.is_empty() {
        return Err(not_found());
    }
    Ok(web::Json(RecordResponse { table: name, id, records }))
}

/// The versions, held versions and summary of one enterprise's record.
fn record_of(
    c: &mut storage::DbConnection,
    table: ExchangeTable,
    company: &domain::CompanyCode,
    id: &domain::RecordId,
) -> Result<RecordOf, storage::StorageError> {
    let time = |m: &Map<String, Value>, key: &str| -> String {
        let raw = m.get(key).and_then(Value::as_str).unwrap_or_default();
        chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M:%S%.f").map_or_else(|_| raw.to_owned(), format_local)
    };
    let versions = storage::record_page::versions(c, table, company, id)?
        .into_iter()
        .map(|fields| VersionView {
            batch_id: fields.get("batch_id").and_then(Value::as_str).unwrap_or_default().to_owned(),
            received_at: time(&fields, "received_at"),
            update_date: time(&fields, "update_date"),
            deleted: fields.get("deleted").and_then(Value::as_bool).unwrap_or(false),
            fields,
        })
        .collect();
    let held = storage::record_page::held(c, table, company, id)?
        .into_iter()
        .map(|h| HeldView {
            batch_id: h.batch_id,
            received_at: format_local(h.received_at),
            parent_table: h.parent_table,
            parent_key: h.parent_key,
            record: serde_json::from_str(&h.payload).unwrap_or(Value::String(h.payload)),
        })
        .collect();
    let mut summary = summaries(c, table.name(), company, &[id.to_string()])?;
    Ok(RecordOf { company_code: company.to_string(), summary: summary.remove(id.as_str()), versions, held })
}
