//! Expert acceptance (验收): each city bureau records the acceptance of its enterprises; a city passes only when
//! every registered enterprise's current acceptance is 优 or 良 (`docs/acceptance.md`).

use super::acceptance_dto::{
    AcceptanceBody, AcceptanceCityView, AcceptanceView, AcceptancesResponse, EnterpriseAcceptance,
};
use super::figures::parse_city;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Problem};
use crate::error_doc::shared::NoToken;
use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDate;
use domain::Code;
use domain::time::local_date;
use metrics::evaluation::Grade;
use report::acceptance::{city_lines, current, parse_grade};
use serde::Deserialize;
use std::collections::BTreeMap;
use storage::acceptance::NewAcceptance;
use storage::registry::Filter;
use utoipa::IntoParams;

/// Query of `GET /api/v1/acceptances`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AcceptanceQuery {
    /// Only this city (a city token: its own only).
    pub city: Option<String>,
}

/// Parses a local date `YYYY-MM-DD` of a body field (422 `bad_date`).
pub(crate) fn parse_day(field: &str, s: &str) -> ApiResult<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        ApiError::unprocessable(
            Code::BadDate,
            format!("{field} 日期无效，应为 YYYY-MM-DD / {field} must be a date YYYY-MM-DD: {s:?}"),
        )
    })
}

/// Refuses a date after `today` (Asia/Shanghai) (422 `future_date`).
pub(crate) fn not_future(field: &str, d: NaiveDate, today: NaiveDate) -> ApiResult<NaiveDate> {
    if d > today {
        return Err(ApiError::unprocessable(
            Code::FutureDate,
            format!("{field} 不能晚于今天 / {field} may not be in the future: {d}"),
        ));
    }
    Ok(d)
}

fn grade(field: &str, s: &str) -> ApiResult<Grade> {
    parse_grade(s).ok_or_else(|| {
        ApiError::unprocessable(
            Code::BadGrade,
            format!(
                "{field} 应为 优、良、中、差 / {field} must be 优, 良, 中, 差 (or excellent, good, fair, poor): {s:?}"
            ),
        )
    })
}

/// The current acceptance of every enterprise in scope, and each city's pass status (优良率 must be 100 %).
#[utoipa::path(tag = "acceptance", params(AcceptanceQuery), security(("bearer" = [])), responses(
    (status = 200, description = "current acceptances and per-city pass status", body = AcceptancesResponse),
    (status = 400, description = "unknown city", body = Problem, content_type = "application/problem+json"),
    NoToken,
    (status = 403, description = "not province or city, or another city", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/acceptances")]
pub async fn list_acceptances(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<AcceptanceQuery>,
) -> ApiResult<web::Json<AcceptancesResponse>> {
    let city = caller.city_scope(parse_city(q.city.as_deref())?)?;
    let (registry, rows) = state
        .db(move |c| {
            Ok((storage::registry::list(c, Filter { city, batch: None })?, storage::acceptance::list(c, city)?))
        })
        .await?;
    let enterprises: Vec<domain::Enterprise> = registry.into_iter().map(|r| r.enterprise).collect();
    let cities = city_lines(&enterprises, &rows)
        .into_iter()
        .filter(|l| city.is_none_or(|c| c.code() == l.city))
        .map(AcceptanceCityView::from)
        .collect();
    let now: BTreeMap<&str, &storage::acceptance::Acceptance> =
        current(&rows).into_iter().map(|a| (a.record.company_code.as_str(), a)).collect();
    let enterprises = enterprises
        .iter()
        .map(|e| EnterpriseAcceptance {
            company_code: e.code.to_string(),
            company_name: e.name.clone(),
            city_code: e.city.code().to_owned(),
            current: now.get(e.code.as_str()).map(|a| AcceptanceView::from(*a)),
        })
        .collect();
    Ok(web::Json(AcceptancesResponse { cities, enterprises }))
}

/// Records an acceptance of one of the caller's city's enterprises (a new version; earlier ones are kept).
#[utoipa::path(tag = "acceptance", request_body = AcceptanceBody, security(("bearer" = [])), responses(
    (status = 201, description = "the acceptance as stored", body = AcceptanceView),
    (status = 400, description = "unreadable body (bad_json)", body = Problem, content_type = "application/problem+json"),
    NoToken,
    (status = 403, description = "not a city token, or another city's enterprise", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "a rule is broken: unknown_company, bad_grade, bad_date, future_date, no_experts, \
        rectify_by_required, rectify_before_acceptance, recheck_incomplete, recheck_before_acceptance",
        body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/acceptances")]
pub async fn record_acceptance(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<AcceptanceBody>,
) -> ApiResult<HttpResponse> {
    let b = body.into_inner();
    let code = b.company_code.trim().to_owned();
    let lookup = domain::CompanyCode::parse(&code).ok();
    let found = state.db(move |c| Ok(lookup.and_then(|lookup| storage::registry::get(c, &lookup).ok()))).await?;
    let Some(found) = found else {
        return Err(ApiError::unprocessable(
            Code::UnknownCompany,
            format!("没有企业 / no registered enterprise {code:?}"),
        ));
    };
    let city = found.enterprise.city;
    if caller.city() != Some(city) {
        return Err(ApiError::Forbidden(format!(
            "无权为其他地市的企业 {code} 登记验收 / {code} belongs to another city"
        )));
    }
    let new = validate(b, code, city, caller.claims.sub.clone(), state.clock.now_utc())?;
    let stored = state.db(move |c| storage::acceptance::insert(c, &new)).await?;
    Ok(HttpResponse::Created().json(AcceptanceView::from(&stored)))
}

/// Checks the body's rules; the enterprise and its city are already checked.
fn validate(
    b: AcceptanceBody,
    code: String,
    city: domain::City,
    by: String,
    now: chrono::NaiveDateTime,
) -> ApiResult<NewAcceptance> {
    let today = local_date(now);
    let g = grade("grade", &b.grade)?;
    let accepted_on = not_future("acceptedOn", parse_day("acceptedOn", &b.accepted_on)?, today)?;
    let experts: Vec<String> = b.experts.iter().map(|e| e.trim().to_owned()).filter(|e| !e.is_empty()).collect();
    if experts.is_empty() || experts.len() != b.experts.len() {
        return Err(ApiError::unprocessable(
            Code::NoExperts,
            "experts 须列出每位专家的姓名 / experts must name every expert",
        ));
    }
    let rectify_by = b.rectify_by.as_deref().map(|s| parse_day("rectifyBy", s)).transpose()?;
    if !g.is_excellent_or_good() && rectify_by.is_none() {
        return Err(ApiError::unprocessable(
            Code::RectifyByRequired,
            "评为中或差时须给出整改期限 rectifyBy / a grade of 中 or 差 needs a rectification deadline rectifyBy",
        ));
    }
    if rectify_by.is_some_and(|r| r < accepted_on) {
        return Err(ApiError::unprocessable(
            Code::RectifyBeforeAcceptance,
            "整改期限早于验收日期 / rectifyBy is before acceptedOn",
        ));
    }
    let (recheck_on, recheck_grade) = match (b.recheck_on.as_deref(), b.recheck_grade.as_deref()) {
        (None, None) => (None, None),
        (Some(on), Some(gr)) => {
            let on = not_future("recheckOn", parse_day("recheckOn", on)?, today)?;
            if on < accepted_on {
                return Err(ApiError::unprocessable(
                    Code::RecheckBeforeAcceptance,
                    "复核日期早于验收日期 / recheckOn is before acceptedOn",
                ));
            }
            (Some(on), Some(grade("recheckGrade", gr)?.label().to_owned()))
        }
        _ => {
            return Err(ApiError::unprocessable(
                Code::RecheckIncomplete,
                "recheckOn 与 recheckGrade 须同时给出 / recheckOn and recheckGrade go together",
            ));
        }
    };
    Ok(NewAcceptance {
        company_code: code,
        city,
        accepted_on,
        experts,
        grade: g.label().to_owned(),
        findings: b.findings.trim().to_owned(),
        rectify_by,
        recheck_on,
        recheck_grade,
        recorded_by: by,
        recorded_at: now,
    })
}
