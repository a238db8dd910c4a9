//! The enterprise registry: `GET /api/v1/enterprises` and `GET /api/v1/enterprises/{companyCode}`.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Problem};
use crate::error_doc::shared::{NoToken, OutOfScope};
use actix_web::{get, web};
use domain::{City, ConstructionBatch};
use report::shape::enterprises::{Activity, EnterpriseView};
use serde::Deserialize;
use storage::registry::{self, Filter};
use utoipa::IntoParams;

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
    NoToken, OutOfScope,
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
        .map(|b| ConstructionBatch::parse(b).map_err(|e| ApiError::bad_request(e.code(), e.to_string())))
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
    NoToken, OutOfScope,
    (status = 404, description = "no such enterprise", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/enterprises/{companyCode}")]
pub async fn get_enterprise(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<web::Json<EnterpriseView>> {
    let code = path.into_inner();
    let (row, mut activity) = state
        .db(move |c| {
            // A malformed code names no enterprise: the same 404 as an unknown one.
            let company = domain::CompanyCode::parse(&code)
                .map_err(|_| storage::StorageError::NotFound(format!("enterprise {code}")))?;
            Ok((registry::get(c, &company)?, Activity::load(c, Some(&company))?))
        })
        .await?;
    caller.city_scope(Some(row.enterprise.city))?;
    Ok(web::Json(for_caller(&caller, activity.view(row, state.clock.now_utc()))))
}
