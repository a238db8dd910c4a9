//! The provincial spot checks (抽查): reproducible random draws of a city's enterprises and their findings
//! (`docs/acceptance.md` gives the sampling algorithm).

use super::acceptances::{not_future, parse_day};
use super::figures::parse_city;
use super::spot_dto::{DrawBody, DrawView, FindingBody, FindingView};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Problem};
use crate::error_doc::shared::NoToken;
use actix_web::{HttpResponse, get, post, web};
use domain::City;
use domain::Code;
use domain::sample::{self, MAX_SEED};
use domain::time::local_date;
use serde::Deserialize;
use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use storage::registry::Filter;
use storage::spot_checks::{NewSpotDraw, NewSpotFinding, SpotDraw};
use utoipa::IntoParams;

/// Query of `GET /api/v1/spot-checks`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SpotQuery {
    /// Only this city (a city token: its own only).
    pub city: Option<String>,
}

/// The names of the registered enterprises of a city, or all.
async fn names(state: &AppState, city: Option<City>) -> ApiResult<HashMap<String, String>> {
    let rows = state.db(move |c| storage::registry::list(c, Filter { city, batch: None })).await?;
    Ok(rows.into_iter().map(|r| (r.enterprise.code.to_string(), r.enterprise.name)).collect())
}

/// The views of draws, with their findings.
async fn views(state: &AppState, draws: Vec<SpotDraw>, city: Option<City>) -> ApiResult<Vec<DrawView>> {
    let ids: Vec<i64> = draws.iter().map(|d| d.id).collect();
    let findings = state.db(move |c| storage::spot_checks::findings(c, &ids)).await?;
    let names = names(state, city).await?;
    let name = |c: &str| names.get(c).cloned().unwrap_or_default();
    Ok(draws.iter().map(|d| DrawView::new(d, &findings, &name)).collect())
}

/// The spot-check draws, oldest first, each enterprise with its current finding.
#[utoipa::path(tag = "acceptance", params(SpotQuery), security(("bearer" = [])), responses(
    (status = 200, description = "the draws", body = [DrawView]),
    (status = 400, description = "unknown city", body = Problem, content_type = "application/problem+json"),
    NoToken,
    (status = 403, description = "not province or city, or another city", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/spot-checks")]
pub async fn list_spot_checks(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<SpotQuery>,
) -> ApiResult<web::Json<Vec<DrawView>>> {
    let city = caller.city_scope(parse_city(q.city.as_deref())?)?;
    let draws = state.db(move |c| storage::spot_checks::draws(c, city)).await?;
    Ok(web::Json(views(&state, draws, city).await?))
}

/// Draws a reproducible random sample of a city's registered enterprises (province only); the seed is generated
/// when omitted. The draw is stored with its seed, who drew it and when.
#[utoipa::path(tag = "acceptance", request_body = DrawBody, security(("bearer" = [])), responses(
    (status = 201, description = "the draw as stored", body = DrawView),
    (status = 400, description = "unreadable body (bad_json)", body = Problem, content_type = "application/problem+json"),
    NoToken,
    (status = 403, description = "not the province role", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "unknown_city, bad_size or bad_seed", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/spot-checks")]
pub async fn draw_spot_check(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<DrawBody>,
) -> ApiResult<HttpResponse> {
    let city =
        City::from_code(body.city.trim()).map_err(|e| ApiError::unprocessable(Code::UnknownCity, e.to_string()))?;
    let seed = match body.seed {
        Some(s) if s > MAX_SEED => {
            return Err(ApiError::unprocessable(
                Code::BadSeed,
                format!("seed 须在 0 到 {MAX_SEED} 之间 / seed must be 0 to {MAX_SEED}"),
            ));
        }
        Some(s) => s,
        // A random seed from the process's randomly keyed hasher, kept within MAX_SEED.
        None => RandomState::new().hash_one(state.clock.now_utc()) & MAX_SEED,
    };
    let population: Vec<String> = names(&state, Some(city)).await?.into_keys().collect();
    if body.size == 0 || body.size as usize > population.len() {
        return Err(ApiError::unprocessable(
            Code::BadSize,
            format!(
                "size 须在 1 到 {} 之间 / size must be 1 to {} (enterprises of the city)",
                population.len(),
                population.len()
            ),
        ));
    }
    let new = NewSpotDraw {
        city,
        seed,
        size: body.size,
        companies: sample::draw(&population, body.size as usize, seed),
        drawn_by: caller.claims.sub.clone(),
        drawn_at: state.clock.now_utc(),
    };
    let stored = state.db(move |c| storage::spot_checks::insert_draw(c, &new)).await?;
    let view = views(&state, vec![stored], Some(city)).await?.pop();
    let view = view.ok_or_else(|| ApiError::Internal("the stored draw has no view".into()))?;
    Ok(HttpResponse::Created().json(view))
}

/// Records what the check of one drawn enterprise found (province only; a new version, earlier ones are kept).
#[utoipa::path(tag = "acceptance", params(("id" = i64, Path, description = "the draw's id")), request_body = FindingBody,
    security(("bearer" = [])), responses(
    (status = 201, description = "the finding as stored", body = FindingView),
    (status = 400, description = "unreadable body or path", body = Problem, content_type = "application/problem+json"),
    NoToken,
    (status = 403, description = "not the province role", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such draw", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "not_in_draw, bad_result, bad_date, future_date or checked_before_draw",
        body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/spot-checks/{id}/findings")]
pub async fn record_finding(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    body: web::Json<FindingBody>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let draw = state.db(move |c| storage::spot_checks::draw(c, id)).await?;
    let draw = draw.ok_or_else(|| ApiError::NotFound(format!("没有此抽查 / no spot-check draw {id}")))?;
    let b = body.into_inner();
    let company = b.company_code.trim().to_owned();
    if !draw.draw.companies.contains(&company) {
        return Err(ApiError::unprocessable(
            Code::NotInDraw,
            format!("企业 {company} 不在抽查 {id} 的样本中 / {company} was not drawn in spot check {id}"),
        ));
    }
    let passed = match b.result.trim() {
        "pass" | "合格" => true,
        "fail" | "不合格" => false,
        other => {
            return Err(ApiError::unprocessable(
                Code::BadResult,
                format!("result 应为 pass 或 fail / result must be pass or fail: {other:?}"),
            ));
        }
    };
    let checked_on = not_future("checkedOn", parse_day("checkedOn", &b.checked_on)?, state.clock.today())?;
    if checked_on < local_date(draw.draw.drawn_at) {
        return Err(ApiError::unprocessable(
            Code::CheckedBeforeDraw,
            "检查日期早于抽取日期 / checkedOn is before the draw",
        ));
    }
    let new = NewSpotFinding {
        draw_id: id,
        company_code: company,
        checked_on,
        passed,
        findings: b.findings.trim().to_owned(),
        recorded_by: caller.claims.sub.clone(),
        recorded_at: state.clock.now_utc(),
    };
    let stored = state.db(move |c| storage::spot_checks::insert_finding(c, &new)).await?;
    Ok(HttpResponse::Created().json(FindingView::from(&stored)))
}
