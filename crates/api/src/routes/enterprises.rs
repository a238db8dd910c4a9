//! The enterprise registry: `GET /api/v1/enterprises` and `GET /api/v1/enterprises/{companyCode}`.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Problem};
use actix_web::{get, web};
use domain::connection::Connection;
use domain::{Batch, City};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use storage::registry::{self, Filter, Registered};
use utoipa::{IntoParams, ToSchema};

/// A registered enterprise.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"companyCode": "140100001", "name": "中国石化销售股份有限公司山西太原石油分公司油库",
    "cityCode": "140100", "cityName": "太原市", "batch": "1", "flags": ["provisional_code"], "annexNo": 1,
    "creditCode": null, "pullConfigured": false, "aesKeyConfigured": false, "basicAuthConfigured": false,
    "updatedAt": "2026-11-29T22:05:00+08:00", "lastDataAt": null, "connection": "none", "lastPull": null}))]
pub struct EnterpriseView {
    /// The 9-digit enterprise code.
    pub company_code: String,
    /// The name as in the notice's annex.
    pub name: String,
    /// GB/T 2260 city code.
    pub city_code: String,
    /// City name.
    pub city_name: String,
    /// Construction batch: `"1"`, `"2"` or `"unknown"`.
    pub batch: String,
    /// Registry flags: `batch_unknown`, `not_connected`, `provisional_code`.
    pub flags: Vec<String>,
    /// Row number in the notice's annex.
    pub annex_no: Option<u32>,
    /// Unified social credit code, when known.
    pub credit_code: Option<String>,
    /// Whether a pull endpoint is configured.
    pub pull_configured: bool,
    /// Whether an AES key for the `datas` envelope is configured.
    pub aes_key_configured: bool,
    /// Whether an HTTP Basic password is configured for the exchange routes.
    pub basic_auth_configured: bool,
    /// When the registry row last changed (Asia/Shanghai).
    pub updated_at: String,
    /// When a batch with valid records last arrived, push or pull (Asia/Shanghai); null without data.
    pub last_data_at: Option<String>,
    /// `connected` (data in the last 7 days in every table that has data), `partial` or `none`.
    pub connection: String,
    /// The last pull attempt, for enterprises that are pulled.
    pub last_pull: Option<PullView>,
}

/// The outcome of an enterprise's last pull attempt.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PullView {
    /// When the attempt started (Asia/Shanghai).
    pub attempt_at: String,
    /// When a pull last completed every table (Asia/Shanghai).
    pub success_at: Option<String>,
    /// The error of the last attempt, when it failed.
    pub error: Option<String>,
    /// Failed attempts in a row.
    pub consecutive_failures: i32,
    /// Records received in the last attempt.
    pub received: i32,
    /// Records accepted in the last attempt.
    pub accepted: i32,
    /// Records rejected in the last attempt.
    pub rejected: i32,
}

impl From<storage::pull_state::PullStatus> for PullView {
    fn from(p: storage::pull_state::PullStatus) -> Self {
        PullView {
            attempt_at: domain::time::format_local(p.last_attempt_at),
            success_at: p.last_success_at.map(domain::time::format_local),
            error: p.last_error,
            consecutive_failures: p.consecutive_failures,
            received: p.last_received,
            accepted: p.last_accepted,
            rejected: p.last_rejected,
        }
    }
}

/// What the registry rows are shown with: per enterprise, the last data per table and the last pull.
#[derive(Debug, Default)]
pub struct Activity {
    last_data: HashMap<String, Vec<chrono::NaiveDateTime>>,
    pulls: HashMap<String, storage::pull_state::PullStatus>,
}

impl Activity {
    /// Loads the activity of every enterprise (or one).
    pub fn load(c: &mut storage::DbConnection, company: Option<&str>) -> storage::Result<Activity> {
        let mut a = Activity::default();
        for (code, _table, at) in storage::batches::last_data(c, company)? {
            a.last_data.entry(code).or_default().push(at);
        }
        for p in storage::pull_state::all(c)? {
            a.pulls.insert(p.company_code.clone(), p);
        }
        Ok(a)
    }

    /// The view of one registry row.
    pub fn view(&mut self, r: Registered, now: chrono::NaiveDateTime) -> EnterpriseView {
        let code = r.enterprise.code.to_string();
        let last = self.last_data.remove(&code).unwrap_or_default();
        let connection = Connection::from_last_data(&last, now);
        let mut v = EnterpriseView::from(r);
        v.last_data_at = last.iter().max().copied().map(domain::time::format_local);
        v.connection = connection.key().to_owned();
        v.last_pull = self.pulls.remove(&code).map(PullView::from);
        v
    }
}

impl From<Registered> for EnterpriseView {
    fn from(r: Registered) -> Self {
        let e = r.enterprise;
        EnterpriseView {
            company_code: e.code.to_string(),
            name: e.name,
            city_code: e.city.code().to_owned(),
            city_name: e.city.name().to_owned(),
            batch: e.batch.key().to_owned(),
            flags: e.flags.iter().map(|f| f.key().to_owned()).collect(),
            annex_no: e.annex_no,
            credit_code: r.credit_code,
            pull_configured: r.base_url.is_some(),
            aes_key_configured: r.has_aes_key,
            basic_auth_configured: r.has_basic_password,
            updated_at: domain::time::format_local(r.updated_at),
            last_data_at: None,
            connection: "none".into(),
            last_pull: None,
        }
    }
}

/// Filters of the registry list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EnterpriseQuery {
    /// GB/T 2260 city code; a city token may only name its own city.
    pub city: Option<String>,
    /// Batch: `1`, `2` or `unknown`.
    pub batch: Option<String>,
}

fn parse_city(s: Option<&str>) -> ApiResult<Option<City>> {
    s.map(|c| City::from_code(c).map_err(|e| ApiError::bad_request(e.code(), e.to_string()))).transpose()
}

/// The registry rows the caller may see (province and the service role: all; city: its own city). The service role
/// gets the master data without the last pull's detail.
#[utoipa::path(tag = "registry", params(EnterpriseQuery), security(("bearer" = [])), responses(
    (status = 200, description = "registry rows", body = [EnterpriseView]),
    (status = 400, description = "bad filter", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "no valid token", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "outside the caller's scope", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/enterprises")]
pub async fn list_enterprises(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<EnterpriseQuery>,
) -> ApiResult<web::Json<Vec<EnterpriseView>>> {
    let city = caller.city_scope(parse_city(query.city.as_deref())?)?;
    let batch = query
        .batch
        .as_deref()
        .map(|b| Batch::parse(b).map_err(|e| ApiError::bad_request(e.code(), e.to_string())))
        .transpose()?;
    let (rows, mut activity) =
        state.db(move |c| Ok((registry::list(c, Filter { city, batch })?, Activity::load(c, None)?))).await?;
    let now = state.clock.now_utc();
    Ok(web::Json(rows.into_iter().map(|r| for_caller(&caller, activity.view(r, now))).collect()))
}

/// The monitoring system (service role) maps codes to its own enterprises from the master data: it gets no pull
/// detail (endpoint errors may name internal addresses). Keys and passwords are never in a view, only whether one
/// is configured.
fn for_caller(caller: &Caller, mut view: EnterpriseView) -> EnterpriseView {
    if caller.role() == crate::auth::Role::Service {
        view.last_pull = None;
    }
    view
}

/// One registry row (province and the service role; city: its own enterprises only).
#[utoipa::path(tag = "registry", params(("companyCode" = String, Path, description = "9-digit enterprise code")),
    security(("bearer" = [])), responses(
    (status = 200, description = "the registry row", body = EnterpriseView),
    (status = 401, description = "no valid token", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "outside the caller's scope", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such enterprise", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/enterprises/{companyCode}")]
pub async fn get_enterprise(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<web::Json<EnterpriseView>> {
    let code = path.into_inner();
    let (row, mut activity) =
        state.db(move |c| Ok((registry::get(c, &code)?, Activity::load(c, Some(&code))?))).await?;
    caller.city_scope(Some(row.enterprise.city))?;
    Ok(web::Json(for_caller(&caller, activity.view(row, state.clock.now_utc()))))
}
