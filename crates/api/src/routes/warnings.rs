//! Open warnings (`GET /api/v1/warnings`), each with the records behind it as an inspector reads them, and one
//! open warning by the stable id of its cause (`GET /api/v1/warnings/{id}`, `docs/integration.md`).

use super::figures::parse_city;
use super::record_dto::{RecordSummary, summaries};
use crate::AppState;
use crate::auth::{Caller, Role};
use crate::error::{ApiError, ApiResult, Problem};
use crate::error_doc::shared::{NoToken, OutOfScope};
use crate::figures::{known, warning_inputs};
use crate::handling::view::{HandlingView, handling_view};
use actix_web::{get, web};
use domain::time::format_local;
use domain::{City, Code};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use utoipa::{IntoParams, ToSchema};

/// Query of `GET /api/v1/warnings`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WarningQuery {
    /// Only this city (a city token: its own only).
    pub city: Option<String>,
    /// Only this enterprise (an enterprise token: itself, which is also the default).
    pub company: Option<String>,
    /// `open` (the default and the only status kept: a warning closes when its condition ends).
    pub status: Option<String>,
}

/// An open warning.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WarningView {
    /// The stable id of its cause: `{companyCode}.{kind}`, or `{companyCode}.overdue_major_danger.{dangerId}` (one
    /// per danger). The change feed's `warning.opened` / `warning.closed` carry it as `data.id`.
    pub id: String,
    /// `overdue_major_danger`, `overdue_dangers`, `no_records_24h`, `no_data_7d`, `low_completion`,
    /// `failing_connection`, `reject_spike`, `late_entry`, `held_records`.
    pub kind: String,
    /// `red`, `orange` or `yellow`.
    pub level: String,
    /// The enterprise.
    pub company_code: String,
    /// Its name.
    pub company_name: String,
    /// Its city.
    pub city_code: String,
    /// Since when (Asia/Shanghai), when known.
    pub since: Option<String>,
    /// What is wrong (Chinese).
    pub detail: String,
    /// The ids of the records behind it (the overdue dangers).
    pub records: Vec<String>,
    /// The same records as an inspector reads them (name, level, description, 责任人, deadline, state), in the
    /// order of `records`.
    pub record_details: Vec<RecordSummary>,
    /// Whether its cause holds now (`false`: a case that remains, e.g. a red one cleared and not yet verified).
    pub open: bool,
    /// Its handling case, once the change detector opened one (in lists without timeline and escalations).
    pub handling: Option<HandlingView>,
}

/// `GET /api/v1/warnings`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WarningsResponse {
    /// The moment the warnings hold at (Asia/Shanghai).
    pub as_of: String,
    /// Warnings, most urgent first (red, orange, yellow; then oldest).
    pub rows: Vec<WarningView>,
}

/// Open warnings: overdue 重大 dangers first, then overdue dangers, stale data, low completion, failing pulls,
/// spikes of rejected records.
#[utoipa::path(tag = "figures", params(WarningQuery), security(("bearer" = [])), responses(
    (status = 200, description = "open warnings", body = WarningsResponse),
    (status = 400, description = "bad city or status", body = Problem, content_type = "application/problem+json"),
    NoToken, OutOfScope,
))]
#[get("/api/v1/warnings")]
pub async fn get_warnings(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<WarningQuery>,
) -> ApiResult<web::Json<WarningsResponse>> {
    if q.status.as_deref().is_some_and(|s| s != "open") {
        return Err(ApiError::bad_request(Code::BadStatus, "status 只能是 open / status must be open"));
    }
    let city = caller.city_scope(parse_city(q.city.as_deref())?)?;
    let company = company_scope(&caller, q.company.as_deref())?;
    let (as_of, mut rows) = open_warnings(&state, city, company.as_deref()).await?;
    let wanted = storage::handling::cases::Filter {
        city: city.map(|c| c.code().to_owned()),
        company,
        open: true,
        ..Default::default()
    };
    let cases = state.db(move |c| storage::handling::cases::list(c, &wanted, i64::MAX, 0)).await?;
    let by_id: HashMap<&str, &storage::handling::cases::CaseRow> =
        cases.iter().map(|c| (c.warning_id.as_str(), c)).collect();
    for w in &mut rows {
        w.handling = by_id.get(w.id.as_str()).map(|case| handling_view(&caller, case, &[], &[]));
    }
    Ok(web::Json(WarningsResponse { as_of: format_local(as_of), rows }))
}

/// The enterprise filter a query may use: an enterprise sees itself only (403 for another), others what they ask.
pub(crate) fn company_scope(caller: &Caller, asked: Option<&str>) -> ApiResult<Option<String>> {
    if caller.role() != Role::Enterprise {
        return Ok(asked.map(str::to_owned));
    }
    let own = caller.claims.company_code.clone().unwrap_or_default();
    match asked {
        Some(a) if a != own => {
            Err(ApiError::Forbidden(format!("无权访问企业 {a} 的数据 / no access to enterprise {a}")))
        }
        _ => Ok(Some(own)),
    }
}

/// The open warnings of a scope (every city when `None`; one enterprise when `company` is given), most urgent first,
/// and the moment they hold at. The records behind them are read for the warnings answered only.
pub(crate) async fn open_warnings(
    state: &AppState,
    city: Option<City>,
    company: Option<&str>,
) -> ApiResult<(chrono::NaiveDateTime, Vec<WarningView>)> {
    let known = known(state, city, None, report::warnings::since(state.clock.now_utc())).await?;
    let now = known.as_of;
    let inputs = warning_inputs(state, now).await?;
    let rows = state
        .figures
        .open_warnings(&known, &inputs)
        .into_iter()
        .filter(|w| company.is_none_or(|c| w.enterprise.code.as_str() == c))
        .map(|w| WarningView {
            id: w.id(),
            kind: w.kind.key().to_owned(),
            level: w.level.key().to_owned(),
            company_code: w.enterprise.code.to_string(),
            company_name: w.enterprise.name.clone(),
            city_code: w.enterprise.city.code().to_owned(),
            since: w.since.map(format_local),
            detail: w.detail,
            records: w.records,
            record_details: Vec::new(),
            open: true,
            handling: None,
        })
        .collect();
    Ok((now, with_details(state, rows).await?))
}

/// Fills each warning's `record_details` from the stored dangers (one query per enterprise with any).
async fn with_details(state: &AppState, mut rows: Vec<WarningView>) -> ApiResult<Vec<WarningView>> {
    let mut wanted: BTreeMap<domain::CompanyCode, Vec<String>> = BTreeMap::new();
    for w in rows.iter().filter(|w| !w.records.is_empty()) {
        // Warnings are made from valid codes (a code that were not would have no stored dangers to show).
        let Ok(company) = domain::CompanyCode::parse(&w.company_code) else { continue };
        wanted.entry(company).or_default().extend(w.records.iter().cloned());
    }
    let found = state
        .db(move |c| {
            let mut out: HashMap<(String, String), RecordSummary> = HashMap::new();
            for (company, ids) in wanted {
                for (id, r) in summaries(c, "danger", &company, &ids)? {
                    out.insert((company.to_string(), id), r);
                }
            }
            Ok(out)
        })
        .await?;
    for w in &mut rows {
        let company = w.company_code.clone();
        w.record_details =
            w.records.iter().filter_map(|id| found.get(&(company.clone(), id.clone())).cloned()).collect();
    }
    Ok(rows)
}
