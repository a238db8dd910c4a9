//! The enterprise registry: `GET /api/v1/enterprises` and `GET /api/v1/enterprises/{companyCode}`.

use crate::AppState;
use crate::auth::{Caller, Role};
use crate::error::{ApiError, ApiResult, Problem};
use actix_web::{get, web};
use domain::{Batch, City};
use serde::{Deserialize, Serialize};
use storage::registry::{self, Filter, Registered};
use utoipa::{IntoParams, ToSchema};

/// A registered enterprise.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"companyCode": "140100001", "name": "中国石化销售股份有限公司山西太原石油分公司油库",
    "cityCode": "140100", "cityName": "太原市", "batch": "1", "flags": ["provisional_code"], "annexNo": 1,
    "creditCode": null, "pullConfigured": false, "aesKeyConfigured": false, "basicAuthConfigured": false,
    "updatedAt": "2026-11-29T22:05:00+08:00"}))]
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

/// The registry rows the caller may see (province: all; city: its own city).
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
    caller.require(&[Role::Province, Role::City])?;
    let city = caller.city_scope(parse_city(query.city.as_deref())?)?;
    let batch = query
        .batch
        .as_deref()
        .map(|b| Batch::parse(b).map_err(|e| ApiError::bad_request(e.code(), e.to_string())))
        .transpose()?;
    let rows = state.db(move |c| registry::list(c, Filter { city, batch })).await?;
    Ok(web::Json(rows.into_iter().map(EnterpriseView::from).collect()))
}

/// One registry row (province; city: its own enterprises only).
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
    caller.require(&[Role::Province, Role::City])?;
    let code = path.into_inner();
    let row = state.db(move |c| registry::get(c, &code)).await?;
    caller.city_scope(Some(row.enterprise.city))?;
    Ok(web::Json(row.into()))
}
