//! Figures: `GET /api/v1/metrics`, `/api/v1/evaluations`, `/api/v1/rankings`.

use crate::AppState;
use crate::auth::{Caller, Role};
use crate::error::{ApiError, ApiResult, Problem};
use crate::error_doc::shared::{NoToken, OutOfScope};
use crate::figures::{cached_body, json_response, known};
use actix_web::{get, web};
use chrono::NaiveDateTime;
use domain::Code;
use domain::{City, Period};
use report::By;
use report::shape::MetricsResponse;
use report::shape::metrics_response;
use serde::Deserialize;
use utoipa::IntoParams;

/// Parses a period label (400 `bad_period`).
pub fn parse_period(s: &str) -> ApiResult<Period> {
    Period::parse(s).map_err(|e| ApiError::bad_request(e.code(), e.to_string()))
}

/// Parses an optional `asOf` (RFC 3339; absent = now) (400 `bad_as_of`).
pub fn parse_as_of(s: Option<&str>) -> ApiResult<Option<NaiveDateTime>> {
    s.map(|t| {
        chrono::DateTime::parse_from_rfc3339(t).map(|t| t.naive_utc()).map_err(|_| {
            ApiError::bad_request(Code::BadAsOf, format!("asOf 必须是 RFC 3339 时间 / asOf must be RFC 3339: {t:?}"))
        })
    })
    .transpose()
}

/// Parses an optional city code (400 `unknown_city`).
pub fn parse_city(s: Option<&str>) -> ApiResult<Option<City>> {
    s.map(|c| City::from_code(c).map_err(|e| ApiError::bad_request(e.code(), e.to_string()))).transpose()
}

/// Query of `GET /api/v1/metrics`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct MetricsQuery {
    /// `2026-W47`, `2026-11`, `2026-11R` (the report month ending on the 20th) or `2026-11-01..2026-12-01`.
    pub period: String,
    /// `enterprise`, `city`, `batch` or `province`.
    pub by: String,
    /// Only this city (a city token: its own only).
    pub city: Option<String>,
    /// Knowledge moment, RFC 3339 (default: now): reproduces what was known then.
    pub as_of: Option<String>,
}

/// The figures of a period, grouped (`metrics.md` §8). City tokens see their own city's enterprises only. For a
/// calendar month (`2026-11`) or a report month (`2026-11R`) by `city` or `province`, each row also has `handling`:
/// the warning-handling figures of the cases opened in the period as they stand at `asOf` (`metrics.md` §11:
/// 签收率, 按时签收率, 按时办结率, escalations, supervised cases by state).
#[utoipa::path(tag = "figures", params(MetricsQuery), security(("bearer" = [])), responses(
    (status = 200, description = "figures", body = MetricsResponse),
    (status = 400, description = "bad period, grouping, city or asOf", body = Problem, content_type = "application/problem+json"),
    NoToken, OutOfScope,
))]
#[get("/api/v1/metrics")]
pub async fn get_metrics(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<MetricsQuery>,
) -> ApiResult<actix_web::HttpResponse> {
    let period = parse_period(&q.period)?;
    let by = By::parse(&q.by).ok_or_else(|| {
        ApiError::bad_request(
            Code::BadBy,
            format!(
                "by 必须是 enterprise、city、batch 或 province / by must be enterprise, city, batch or province: {:?}",
                q.by
            ),
        )
    })?;
    let as_of = parse_as_of(q.as_of.as_deref())?;
    if caller.role() == Role::Enterprise {
        return own_metrics(&state, &caller, period, by, as_of).await;
    }
    let city = caller.city_scope(parse_city(q.city.as_deref())?)?;
    if q.city.is_some() && by == By::Province {
        return Err(ApiError::bad_request(
            Code::BadQuery,
            "按省汇总不能同时限定地市，请用 by=city / by=province takes no city filter: use by=city",
        ));
    }
    if caller.role() == Role::City && by == By::Province {
        return Err(ApiError::Forbidden(
            "地市令牌只能查看本市数据，请用 by=city / a city token sees its own city: use by=city".into(),
        ));
    }
    let key = format!("metrics|{}|{}|{:?}", period.label(), by.name(), city);
    let (start, end) = period.bounds_utc();
    let st = state.clone();
    let body = cached_body(&state, key, city, as_of, (start, end), move |known| async move {
        let intake = intake(&st, period, known.as_of).await?;
        Ok(metrics_response(&known, period, by, &intake)?)
    })
    .await?;
    if !report::shape::handling::applies(period, by) {
        return Ok(json_response(body));
    }
    with_handling(&state, &body, period, by, city, as_of).await
}

/// Adds the handling figures (`metrics.md` §11) to each row of a month's answer by city or province: the warning
/// cases opened in the period as they stand at `asOf` (now when absent). They are read on every request, after the
/// cache: handling moves on without new exchange data, which is what the cached figures follow.
async fn with_handling(
    state: &AppState,
    body: &[u8],
    period: Period,
    by: By,
    city: Option<City>,
    as_of: Option<NaiveDateTime>,
) -> ApiResult<actix_web::HttpResponse> {
    use storage::handling::figures::{Tally, by_city, total};
    let (from, to) = period.bounds_utc();
    let at = as_of.unwrap_or_else(|| state.clock.now_utc());
    let code = city.map(|c| c.code().to_owned());
    let tallies = state.db(move |c| by_city(c, from, to, code.as_deref(), at)).await?;
    let mut answer: MetricsResponse =
        serde_json::from_slice(body).map_err(|e| ApiError::Internal(format!("cached figures: {e}")))?;
    let (sum, none) = (total(&tallies), Tally::default());
    for row in &mut answer.rows {
        let t = if by == By::Province { &sum } else { tallies.get(&row.key).unwrap_or(&none) };
        row.handling = Some(t.into());
    }
    Ok(actix_web::HttpResponse::Ok().json(answer))
}

/// The held and rejected records of a period (`metrics.md` §9a) at a knowledge moment.
async fn intake(state: &AppState, period: Period, at: NaiveDateTime) -> ApiResult<report::quality::Intake> {
    state.db(move |c| report::quality::Intake::load(c, period, at)).await
}

/// An enterprise token's own figures: `by=enterprise` only, the one row of its company.
async fn own_metrics(
    state: &AppState,
    caller: &Caller,
    period: Period,
    by: By,
    as_of: Option<NaiveDateTime>,
) -> ApiResult<actix_web::HttpResponse> {
    if by != By::Enterprise {
        return Err(ApiError::Forbidden(
            "企业令牌只能查看本企业数据，请用 by=enterprise / an enterprise token sees its own figures: use by=enterprise"
                .into(),
        ));
    }
    let own = caller.claims.company_code.clone().unwrap_or_default();
    let known = known(state, None, as_of, period.bounds_utc().0).await?;
    let intake = intake(state, period, known.as_of).await?;
    let mut answer: MetricsResponse = metrics_response(&known, period, by, &intake)?;
    answer.rows.retain(|r| r.key == own);
    Ok(actix_web::HttpResponse::Ok().json(answer))
}

pub use super::evaluations::{EvaluationQuery, EvaluationsResponse};
