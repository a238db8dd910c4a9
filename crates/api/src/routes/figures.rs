//! Figures: `GET /api/v1/metrics`, `/api/v1/evaluations`, `/api/v1/rankings`.

use super::figure_dto::*;
use crate::AppState;
use crate::auth::{Caller, Role};
use crate::error::{ApiError, ApiResult, Problem};
use actix_web::{get, web};
use chrono::NaiveDateTime;
use domain::{City, Period};
use report::{By, Known};
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
            ApiError::bad_request("bad_as_of", format!("asOf 必须是 RFC 3339 时间 / asOf must be RFC 3339: {t:?}"))
        })
    })
    .transpose()
}

/// Parses an optional city code (400 `unknown_city`).
pub fn parse_city(s: Option<&str>) -> ApiResult<Option<City>> {
    s.map(|c| City::from_code(c).map_err(|e| ApiError::bad_request(e.code(), e.to_string()))).transpose()
}

/// What is known for the caller's scope: now, from the incrementally refreshed cache; at an explicit earlier
/// moment, loaded from the stored versions.
pub async fn known(state: &AppState, city: Option<City>, as_of: Option<NaiveDateTime>) -> ApiResult<Known> {
    Ok(known_with_generation(state, city, as_of).await?.0)
}

/// [`known`], with the cache generation when it came from the cache (answers can then be reused).
pub async fn known_with_generation(
    state: &AppState,
    city: Option<City>,
    as_of: Option<NaiveDateTime>,
) -> ApiResult<(Known, Option<u64>)> {
    match as_of {
        None => {
            let (cache, now) = (state.cache.clone(), state.clock.now_utc());
            state
                .db(move |c| {
                    let (k, r) = cache.known(c, city, now)?;
                    Ok((k, Some(r.generation)))
                })
                .await
        }
        Some(t) => {
            let calendar = (*state.calendar).clone();
            state.db(move |c| Ok((Known::load(c, city, t, calendar)?, None))).await
        }
    }
}

/// A fingerprint of the registry rows an answer is built from.
fn registry_fingerprint(known: &Known) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for e in &known.registry {
        (e.code.as_str(), &e.name, e.city.code(), e.batch.key(), &e.flags, e.annex_no).hash(&mut h);
    }
    h.finish()
}

/// Answers from the result cache when possible, otherwise computes, stores and answers. `compute` runs only on a
/// miss, so what it reads beyond `known` (the held and rejected records of `/metrics`) costs nothing on a hit.
pub async fn cached_json<T, F>(
    state: &AppState,
    key: String,
    city: Option<City>,
    as_of: Option<NaiveDateTime>,
    period_end: NaiveDateTime,
    compute: impl FnOnce(Known) -> F,
) -> ApiResult<actix_web::HttpResponse>
where
    T: serde::Serialize,
    F: Future<Output = ApiResult<T>>,
{
    let (known, generation) = known_with_generation(state, city, as_of).await?;
    // The registry is part of every answer (names, cities, batches): a change to it is a new answer.
    let key = format!("{key}|{:016x}", registry_fingerprint(&known));
    if let Some(g) = generation
        && let Some(body) = state.results.get(&key, g, known.as_of)
    {
        return Ok(actix_web::HttpResponse::Ok().content_type("application/json").body(body));
    }
    let at = known.as_of;
    let value = compute(known).await?;
    let body = actix_web::web::Bytes::from(serde_json::to_vec(&value).map_err(|e| ApiError::Internal(e.to_string()))?);
    if let Some(g) = generation {
        state.results.put(key, g, at, period_end, body.clone());
    }
    Ok(actix_web::HttpResponse::Ok().content_type("application/json").body(body))
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

/// The figures of a period, grouped (`metrics.md` §8). City tokens see their own city's enterprises only.
#[utoipa::path(tag = "figures", params(MetricsQuery), security(("bearer" = [])), responses(
    (status = 200, description = "figures", body = MetricsResponse),
    (status = 400, description = "bad period, grouping, city or asOf", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "no valid token", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "outside the caller's scope", body = Problem, content_type = "application/problem+json"),
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
            "bad_by",
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
            "bad_query",
            "按省汇总不能同时限定地市，请用 by=city / by=province takes no city filter: use by=city",
        ));
    }
    if caller.role() == Role::City && by == By::Province {
        return Err(ApiError::Forbidden(
            "地市令牌只能查看本市数据，请用 by=city / a city token sees its own city: use by=city".into(),
        ));
    }
    let key = format!("metrics|{}|{}|{:?}", period.label(), by.name(), city);
    let end = period.bounds_utc().1;
    let st = state.clone();
    cached_json(&state, key, city, as_of, end, move |known| async move {
        let intake = intake(&st, period, known.as_of).await?;
        metrics_response(&known, period, by, &intake)
    })
    .await
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
    let known = known(state, None, as_of).await?;
    let intake = intake(state, period, known.as_of).await?;
    let mut answer = metrics_response(&known, period, by, &intake)?;
    answer.rows.retain(|r| r.key == own);
    Ok(actix_web::HttpResponse::Ok().json(answer))
}

/// The figures of a period under some knowledge, in the published shape (shared by the API and the CLI).
pub fn metrics_response(
    known: &Known,
    period: Period,
    by: By,
    intake: &report::quality::Intake,
) -> ApiResult<MetricsResponse> {
    let lines = known.lines(period);
    let groups = report::figures::group(&lines, by)?;
    let sums = intake.by_group(&lines, by);
    let t = period.bounds_utc().1.min(known.as_of);
    Ok(MetricsResponse {
        period: period.into(),
        as_of: domain::time::format_local(known.as_of),
        by: by.name().to_owned(),
        rows: groups
            .iter()
            .map(|g| {
                let quality = DataQualityView::new(&g.figures, sums.get(&g.key), t);
                FigureRow::new(g.key.clone(), g.name.clone(), &g.figures, quality)
            })
            .collect(),
    })
}

pub use super::evaluation_dto::{EvaluationRow, GroupRate, evaluation_rows, excellent_good};
pub use super::evaluations::{EvaluationQuery, EvaluationsResponse};
