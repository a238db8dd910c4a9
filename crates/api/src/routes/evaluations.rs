//! Weekly evaluations: `GET /api/v1/evaluations` (`metrics.md` §6).

use super::figure_dto::*;
use super::figures::{known, parse_as_of, parse_city, parse_period};
use crate::AppState;
use crate::auth::{Caller, Role};
use crate::error::{ApiError, ApiResult, Problem};
use actix_web::{get, web};
use domain::Period;
use report::Known;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

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
    /// `no_data`, `no_tasks`, `not_in_use`, `major_overdue`.
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
    let week = parse_period(&q.week)?;
    if !matches!(week, Period::Week { .. }) {
        return Err(ApiError::bad_request(
            "bad_period",
            "week 必须是 ISO 周，如 2026-W47 / week must be an ISO week such as 2026-W47",
        ));
    }
    let own = own_company(&caller, q.city.as_deref())?;
    let city = if own.is_some() { None } else { caller.city_scope(parse_city(q.city.as_deref())?)? };
    let as_of = parse_as_of(q.as_of.as_deref())?;
    if as_of.is_none() {
        let label = week.label();
        let stored = state.db(move |c| storage::evaluations::week(c, &label, city)).await?;
        if let Some(first) = stored.first() {
            let at = first.as_of;
            let mut rows = stored
                .iter()
                .map(|r| serde_json::from_str(&r.payload))
                .collect::<Result<Vec<EvaluationRow>, _>>()
                .map_err(|e| ApiError::Internal(format!("stored evaluation: {e}")))?;
            keep_own(&mut rows, own.as_deref());
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
    let mut rows = evaluation_rows(&known, week);
    keep_own(&mut rows, own.as_deref());
    let excellent_good = excellent_good(&rows);
    Ok(web::Json(EvaluationsResponse {
        week: week.label(),
        as_of: domain::time::format_local(known.as_of),
        rows,
        excellent_good,
    }))
}

/// The company of an enterprise caller (which sees its own row only and takes no city filter); `None` for others.
fn own_company(caller: &Caller, city: Option<&str>) -> ApiResult<Option<String>> {
    if caller.role() != Role::Enterprise {
        return Ok(None);
    }
    if city.is_some() {
        return Err(ApiError::Forbidden("企业令牌不能按地市查询 / an enterprise token has no city filter".into()));
    }
    Ok(Some(caller.claims.company_code.clone().unwrap_or_default()))
}

/// Keeps the rows of one company when `own` is set.
fn keep_own(rows: &mut Vec<EvaluationRow>, own: Option<&str>) {
    if let Some(own) = own {
        rows.retain(|r| r.company_code == own);
    }
}
