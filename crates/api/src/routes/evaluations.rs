//! Weekly evaluations: `GET /api/v1/evaluations` (`metrics.md` §6).

use super::figures::{parse_as_of, parse_city, parse_period};
use crate::AppState;
use crate::auth::{Caller, Role};
use crate::error::{ApiError, ApiResult, Problem};
use crate::error_doc::shared::{NoToken, OutOfScope};
use crate::figures::known;
use actix_web::{get, web};
use domain::Code;
use domain::Period;
use report::shape::evaluations::*;
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
    /// Knowledge moment, RFC 3339 (default: now): the revision published then, or the live figures of a week not
    /// stored by then.
    pub as_of: Option<String>,
    /// A stored revision of the week (1 = the weekly job's); not with `asOf`.
    pub revision: Option<i32>,
}

/// `GET /api/v1/evaluations`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EvaluationsResponse {
    /// The week.
    pub week: String,
    /// What was known at this moment (Asia/Shanghai): the revision's, when stored.
    pub as_of: String,
    /// True while the week is not stored (computed live; it may still change).
    pub provisional: bool,
    /// The stored revision served; null when provisional.
    pub revision: Option<i32>,
    /// Every stored revision of the week, oldest first (empty while provisional).
    pub revisions: Vec<RevisionView>,
    /// One row per enterprise.
    pub rows: Vec<EvaluationRow>,
    /// 优良率 per city and per batch: enterprises graded 优 or 良 / enterprises evaluated.
    pub excellent_good: Vec<GroupRate>,
}

/// The weekly evaluation of every enterprise in scope (`metrics.md` §6). A stored week is answered from the revision
/// published at `asOf` (default: now), never recomputed; `revision` reads an older one. A week not stored is
/// computed live and marked `provisional`.
#[utoipa::path(tag = "figures", params(EvaluationQuery), security(("bearer" = [])), responses(
    (status = 200, description = "evaluations", body = EvaluationsResponse),
    (status = 400, description = "bad week, city, asOf or revision", body = Problem, content_type = "application/problem+json"),
    NoToken, OutOfScope,
    (status = 404, description = "no such stored revision", body = Problem, content_type = "application/problem+json"),
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
            Code::BadPeriod,
            "week 必须是 ISO 周，如 2026-W47 / week must be an ISO week such as 2026-W47",
        ));
    }
    let own = own_company(&caller, q.city.as_deref())?;
    let city = if own.is_some() { None } else { caller.city_scope(parse_city(q.city.as_deref())?)? };
    let as_of = parse_as_of(q.as_of.as_deref())?;
    if q.revision.is_some() && as_of.is_some() {
        return Err(ApiError::bad_request(
            Code::BadQuery,
            "revision 与 asOf 不能同时使用 / give revision or asOf, not both",
        ));
    }
    let known = known(&state, city, as_of, week.bounds_utc().0).await?;
    let label = week.label();
    let stored = match q.revision {
        Some(n) => Some(known.all_published().revision(&label, n).ok_or_else(|| {
            ApiError::NotFound(format!("{label} 没有第 {n} 版评估 / {label} has no stored revision {n}"))
        })?),
        None => known.published(week),
    };
    let revisions = known.all_published().revisions(&label).into_iter().map(RevisionView::from).collect();
    let (mut rows, at, revision) = match stored {
        Some(w) => {
            let rows = stored_rows(&known, w).map_err(|e| ApiError::Internal(format!("stored evaluation: {e}")))?;
            (rows, w.meta.as_of, Some(w.meta.revision))
        }
        None => (evaluation_rows(&known, week), known.as_of, None),
    };
    keep_own(&mut rows, own.as_deref());
    let excellent_good = excellent_good(&rows);
    Ok(web::Json(EvaluationsResponse {
        week: label,
        as_of: domain::time::format_local(at),
        provisional: revision.is_none(),
        revision,
        revisions,
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
