//! Figures: `GET /api/v1/metrics`, `/api/v1/evaluations`, `/api/v1/rankings`.

use super::figure_dto::*;
use crate::AppState;
use crate::auth::{Caller, Role};
use crate::error::{ApiError, ApiResult, Problem};
use actix_web::{get, web};
use chrono::NaiveDateTime;
use domain::{City, Period};
use report::{By, Known};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

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
            let cache = state.cache.clone();
            state
                .db(move |c| {
                    let (k, r) = cache.known(c, city, domain::time::now_utc())?;
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

/// Answers from the result cache when possible, otherwise computes, stores and answers.
pub async fn cached_json<T: serde::Serialize>(
    state: &AppState,
    key: String,
    city: Option<City>,
    as_of: Option<NaiveDateTime>,
    period_end: NaiveDateTime,
    compute: impl FnOnce(&Known) -> ApiResult<T>,
) -> ApiResult<actix_web::HttpResponse> {
    let (known, generation) = known_with_generation(state, city, as_of).await?;
    // The registry is part of every answer (names, cities, batches): a change to it is a new answer.
    let key = format!("{key}|{:016x}", registry_fingerprint(&known));
    if let Some(g) = generation
        && let Some(body) = state.results.get(&key, g, known.as_of)
    {
        return Ok(actix_web::HttpResponse::Ok().content_type("application/json").body(body));
    }
    let value = compute(&known)?;
    let body = actix_web::web::Bytes::from(serde_json::to_vec(&value).map_err(|e| ApiError::Internal(e.to_string()))?);
    if let Some(g) = generation {
        state.results.put(key, g, known.as_of, period_end, body.clone());
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
    caller.require(&[Role::Province, Role::City, Role::Service])?;
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
    let as_of = parse_as_of(q.as_of.as_deref())?;
    let key = format!("metrics|{}|{}|{:?}", period.label(), by.name(), city);
    cached_json(&state, key, city, as_of, period.bounds_utc().1, |known| metrics_response(known, period, by)).await
}

/// The figures of a period under some knowledge, in the published shape (shared by the API and the CLI).
pub fn metrics_response(known: &Known, period: Period, by: By) -> ApiResult<MetricsResponse> {
    let lines = known.lines(period);
    let groups = report::figures::group(&lines, by)?;
    Ok(MetricsResponse {
        period: period.into(),
        as_of: domain::time::format_local(known.as_of),
        by: by.name().to_owned(),
        rows: groups.iter().map(|g| FigureRow::new(g.key.clone(), g.name.clone(), &g.figures)).collect(),
    })
}

/// Query of `GET /api/v1/evaluations`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct EvaluationQuery {
    /// An ISO week, e.g. `2026-W47`.
    pub week: String,
    /// Only this city (a city token: its own only).
    pub city: Option<String>,
    /// Knowledge moment, RFC 3339 (default: now).
    pub as_of: Option<String>,
}

/// One enterprise's weekly evaluation with every component.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EvaluationRow {
    /// The enterprise.
    pub company_code: String,
    /// Its name.
    pub name: String,
    /// Its city.
    pub city_code: String,
    /// Its batch: `1`, `2` or `unknown`.
    pub batch: String,
    /// E = max(0, (A + B) × α), one decimal.
    pub score: f64,
    /// 优, 良, 中 or 差.
    pub grade: String,
    /// A = 50 × task completion rate − 包保 deduction.
    pub a: f64,
    /// B = 50 × rectification rate − few-dangers deduction.
    pub b: f64,
    /// 包保 deduction.
    pub baobao_deduction: f64,
    /// Few-dangers deduction.
    pub few_dangers_deduction: f64,
    /// 0 under a veto, else 1.
    pub alpha: u8,
    /// `no_data`, `not_in_use`, `major_overdue`.
    pub vetoes: Vec<String>,
    /// 排查任务完成率 of the week.
    pub task_completion: FigureView,
    /// 包保 completion of the week.
    pub baobao_completion: FigureView,
    /// 隐患整改率 of the week.
    pub rectification: FigureView,
}

/// `GET /api/v1/evaluations`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EvaluationsResponse {
    /// The week.
    pub week: String,
    /// What was known at this moment (Asia/Shanghai).
    pub as_of: String,
    /// One row per enterprise.
    pub rows: Vec<EvaluationRow>,
    /// 优良率 per city and per batch: enterprises graded 优 or 良 / enterprises evaluated.
    pub excellent_good: Vec<GroupRate>,
}

/// 优良率 of a group.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GroupRate {
    /// `city` or `batch`.
    pub by: String,
    /// City code, or batch `1`, `2`, `unknown`.
    pub key: String,
    /// 优良率.
    pub rate: FigureView,
}

/// 优良率 per city and per batch of evaluation rows.
pub fn excellent_good(rows: &[EvaluationRow]) -> Vec<GroupRate> {
    let mut groups: std::collections::BTreeMap<(&str, &str), metrics::figure::Figure> = Default::default();
    for r in rows {
        let good = metrics::figure::Figure::new(u64::from(r.grade == "优" || r.grade == "良"), 1);
        *groups.entry(("city", r.city_code.as_str())).or_default() += good;
        *groups.entry(("batch", r.batch.as_str())).or_default() += good;
    }
    groups
        .into_iter()
        .map(|((by, key), f)| GroupRate { by: by.to_owned(), key: key.to_owned(), rate: f.into() })
        .collect()
}

/// The evaluation rows of a week under some knowledge.
pub fn evaluation_rows(known: &Known, week: Period) -> Vec<EvaluationRow> {
    known
        .evaluations(week)
        .into_iter()
        .map(|(l, e)| EvaluationRow {
            company_code: l.enterprise.code.to_string(),
            name: l.enterprise.name.clone(),
            city_code: l.enterprise.city.code().to_owned(),
            batch: l.enterprise.batch.key().to_owned(),
            score: e.score,
            grade: e.grade.label().to_owned(),
            a: e.a,
            b: e.b,
            baobao_deduction: e.baobao_deduction,
            few_dangers_deduction: e.few_dangers_deduction,
            alpha: e.alpha,
            vetoes: e.vetoes.iter().map(|v| v.key().to_owned()).collect(),
            task_completion: l.figures.task_completion.into(),
            baobao_completion: l.figures.baobao_completion.into(),
            rectification: l.figures.rectification.all.into(),
        })
        .collect()
}

/// The weekly evaluation of every enterprise in scope (`metrics.md` §6). A week frozen by the weekly job is answered
/// as stored (its `asOf` is the moment it was frozen); pass `asOf` to recompute what was known at another moment.
#[utoipa::path(tag = "figures", params(EvaluationQuery), security(("bearer" = [])), responses(
    (status = 200, description = "evaluations", body = EvaluationsResponse),
    (status = 400, description = "bad week, city or asOf", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "no valid token", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "outside the caller's scope", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/evaluations")]
pub async fn get_evaluations(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<EvaluationQuery>,
) -> ApiResult<web::Json<EvaluationsResponse>> {
    caller.require(&[Role::Province, Role::City, Role::Service])?;
    let week = parse_period(&q.week)?;
    if !matches!(week, Period::Week { .. }) {
        return Err(ApiError::bad_request(
            "bad_period",
            "week 必须是 ISO 周，如 2026-W47 / week must be an ISO week such as 2026-W47",
        ));
    }
    let city = caller.city_scope(parse_city(q.city.as_deref())?)?;
    let as_of = parse_as_of(q.as_of.as_deref())?;
    if as_of.is_none() {
        let label = week.label();
        let stored = state.db(move |c| storage::evaluations::week(c, &label, city)).await?;
        if let Some(first) = stored.first() {
            let at = first.as_of;
            let rows = stored
                .iter()
                .map(|r| serde_json::from_str(&r.payload))
                .collect::<Result<Vec<EvaluationRow>, _>>()
                .map_err(|e| ApiError::Internal(format!("stored evaluation: {e}")))?;
            let excellent_good = excellent_good(&rows);
            return Ok(web::Json(EvaluationsResponse {
                week: week.label(),
                as_of: domain::time::format_local(at),
                rows,
                excellent_good,
            }));
        }
    }
    let known = known(&state, city, as_of).await?;
    let rows = evaluation_rows(&known, week);
    let excellent_good = excellent_good(&rows);
    Ok(web::Json(EvaluationsResponse {
        week: week.label(),
        as_of: domain::time::format_local(known.as_of),
        rows,
        excellent_good,
    }))
}
