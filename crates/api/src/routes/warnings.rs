//! Open warnings, the early-warning model feed, and the records behind a figure.

use super::figure_dto::FigureView;
use super::figures::{known, parse_as_of, parse_city, parse_period};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Problem};
use actix_web::{get, web};
use domain::time::format_local;
use domain::{City, Period};
use report::explain::{self, Metric};
use report::warnings;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Query of `GET /api/v1/warnings`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WarningQuery {
    /// Only this city (a city token: its own only).
    pub city: Option<String>,
    /// `open` (the default and the only status kept: a warning closes when its condition ends).
    pub status: Option<String>,
}

/// An open warning.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WarningView {
    /// The stable id of its cause: `{companyCode}.{kind}`, or `{companyCode}.overdue_major_danger.{dangerId}` (one
    /// per danger). The change feed's `warning.opened` / `warning.closed` carry it as `data.id`.
    pub id: String,
    /// `overdue_major_danger`, `overdue_dangers`, `no_records_24h`, `no_data_7d`, `low_completion`,
    /// `failing_connection`, `reject_spike`.
    pub kind: String,
    /// `red`, `orange` or `yellow`.
    pub level: String,
    /// The enterprise.
    pub company_code: String,
    /// Its name.
    pub company_name: String,
    /// Its city.
    pub city_code: String,
    /// Since when (Asia/Shanghai), when known.
    pub since: Option<String>,
    /// What is wrong (Chinese).
    pub detail: String,
    /// The records behind it.
    pub records: Vec<String>,
}

/// `GET /api/v1/warnings`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WarningsResponse {
    /// The moment the warnings hold at (Asia/Shanghai).
    pub as_of: String,
    /// Warnings, most urgent first (red, orange, yellow; then oldest).
    pub rows: Vec<WarningView>,
}

/// Open warnings: overdue 重大 dangers first, then overdue dangers, stale data, low completion, failing pulls,
/// spikes of rejected records.
#[utoipa::path(tag = "figures", params(WarningQuery), security(("bearer" = [])), responses(
    (status = 200, description = "open warnings", body = WarningsResponse),
    (status = 400, description = "bad city or status", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "no valid token", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "outside the caller's scope", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/warnings")]
pub async fn get_warnings(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<WarningQuery>,
) -> ApiResult<web::Json<WarningsResponse>> {
    if q.status.as_deref().is_some_and(|s| s != "open") {
        return Err(ApiError::bad_request("bad_status", "status 只能是 open / status must be open"));
    }
    let city = caller.city_scope(parse_city(q.city.as_deref())?)?;
    let (as_of, rows) = open_warnings(&state, city).await?;
    Ok(web::Json(WarningsResponse { as_of: format_local(as_of), rows }))
}

/// The open warnings of a scope (every city when `None`), most urgent first, and the moment they hold at.
pub(crate) async fn open_warnings(
    state: &AppState,
    city: Option<City>,
) -> ApiResult<(chrono::NaiveDateTime, Vec<WarningView>)> {
    let known = known(state, city, None).await?;
    let now = known.as_of;
    let (pulls, rejects) = state
        .db(move |c| {
            Ok((storage::pull_state::all(c)?, storage::batches::reject_totals(c, now - chrono::TimeDelta::hours(24))?))
        })
        .await?;
    let rows = warnings::open(&known, &pulls, &rejects, state.thresholds)
        .into_iter()
        .map(|w| WarningView {
            id: w.id(),
            kind: w.kind.key().to_owned(),
            level: w.level.key().to_owned(),
            company_code: w.enterprise.code.to_string(),
            company_name: w.enterprise.name.clone(),
            city_code: w.enterprise.city.code().to_owned(),
            since: w.since.map(format_local),
            detail: w.detail,
            records: w.records,
        })
        .collect();
    Ok((now, rows))
}

/// Query of `GET /api/v1/warning-inputs`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct FeedQuery {
    /// An ISO week, e.g. `2026-W47`.
    pub week: String,
    /// Knowledge moment, RFC 3339 (default: now).
    pub as_of: Option<String>,
}

/// One enterprise's inputs to the early-warning model for a week.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FeedRowView {
    /// The enterprise.
    pub company_code: String,
    /// Its city.
    pub city_code: String,
    /// The week.
    pub period: String,
    /// 安全风险分析完成率.
    pub rate_risk_analysis: FigureView,
    /// 排查任务完成率.
    pub rate_check: FigureView,
    /// 包保 completion.
    pub rate_check_baobao: FigureView,
    /// 隐患整改率.
    pub rate_danger: FigureView,
    /// On-time rectification.
    pub rate_danger_on_time: FigureView,
    /// Overdue dangers at the end of the week.
    pub overdue_danger_count: u64,
    /// Overdue 重大 dangers.
    pub overdue_major_danger_count: u64,
    /// Open 重大 dangers.
    pub open_major_danger_count: u64,
    /// Dangers registered in the week.
    pub danger_found_count: u64,
    /// Active units by risk class [重大, 较大, 一般, 低].
    pub units_by_risk_level: [u64; 4],
    /// The evaluation score E.
    pub score: f64,
    /// A.
    pub a: f64,
    /// B.
    pub b: f64,
    /// 包保 deduction.
    pub deduction_baobao: f64,
    /// Few-dangers deduction.
    pub deduction_few: f64,
    /// Whether a veto applies.
    pub veto: bool,
    /// The veto keys.
    pub vetoes: Vec<String>,
    /// 运行等级: 优, 良, 中 or 差.
    pub run_level: String,
    /// When data was last received (Asia/Shanghai).
    pub last_data_at: Option<String>,
    /// Whether every table with data received some in the last 7 days.
    pub data_complete: bool,
    /// The stored revision the evaluation fields were read from (`docs/metrics.md` §8.5); null while the week is
    /// not stored (computed live, provisional).
    pub revision: Option<i32>,
}

/// `GET /api/v1/warning-inputs`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FeedResponse {
    /// The version of this schema (raised on incompatible changes).
    pub schema_version: u32,
    /// The week.
    pub week: String,
    /// What was known at this moment (Asia/Shanghai).
    pub as_of: String,
    /// One row per registered enterprise.
    pub rows: Vec<FeedRowView>,
}

/// The early-warning model feed for a week: one row per registered enterprise.
#[utoipa::path(tag = "figures", params(FeedQuery), security(("bearer" = [])), responses(
    (status = 200, description = "the feed", body = FeedResponse),
    (status = 400, description = "bad week or asOf", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "no valid token", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "not the service or province role", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/warning-inputs")]
pub async fn get_warning_inputs(
    state: web::Data<AppState>,
    q: web::Query<FeedQuery>,
) -> ApiResult<web::Json<FeedResponse>> {
    let week = parse_period(&q.week)?;
    if !matches!(week, Period::Week { .. }) {
        return Err(ApiError::bad_request(
            "bad_period",
            "week 必须是 ISO 周，如 2026-W47 / week must be an ISO week such as 2026-W47",
        ));
    }
    let as_of = parse_as_of(q.as_of.as_deref())?;
    let known = known(&state, None, as_of).await?;
    let rows = report::feed::rows(&known, week)
        .into_iter()
        .map(|r| FeedRowView {
            company_code: r.company_code,
            city_code: r.city_code,
            period: week.label(),
            rate_risk_analysis: r.risk_analysis.into(),
            rate_check: r.check.into(),
            rate_check_baobao: r.check_baobao.into(),
            rate_danger: r.danger.into(),
            rate_danger_on_time: r.danger_on_time.into(),
            overdue_danger_count: r.overdue,
            overdue_major_danger_count: r.overdue_major,
            open_major_danger_count: r.open_major,
            danger_found_count: r.dangers_found,
            units_by_risk_level: r.units_by_risk_level,
            score: r.score,
            a: r.a,
            b: r.b,
            deduction_baobao: r.baobao_deduction,
            deduction_few: r.few_dangers_deduction,
            veto: r.veto,
            vetoes: r.vetoes.iter().map(|v| (*v).to_owned()).collect(),
            run_level: r.run_level.to_owned(),
            last_data_at: r.last_data_at.map(format_local),
            data_complete: r.data_complete,
            revision: r.revision,
        })
        .collect();
    Ok(web::Json(FeedResponse {
        schema_version: report::feed::SCHEMA_VERSION,
        week: week.label(),
        as_of: format_local(known.as_of),
        rows,
    }))
}

/// Query of `GET /api/v1/metrics/explain`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct ExplainQuery {
    /// The enterprise.
    pub company: String,
    /// The period.
    pub period: String,
    /// `taskCompletion`, `baobaoCompletion`, `rectification`, `majorRectification` or `riskAnalysis`.
    pub metric: String,
    /// Knowledge moment, RFC 3339 (default: now).
    pub as_of: Option<String>,
}

/// One record behind a figure.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExplainItem {
    /// Task, danger or unit id.
    pub id: String,
    /// Instance start, or the danger's registration (Asia/Shanghai).
    pub from: Option<String>,
    /// Instance end, or the danger's effective deadline (Asia/Shanghai).
    pub to: Option<String>,
    /// Whether it counts in the numerator (done, rectified, analysed).
    pub counted: bool,
}

/// `GET /api/v1/metrics/explain`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExplainResponse {
    /// The enterprise.
    pub company: String,
    /// The period.
    pub period: String,
    /// The figure.
    pub metric: String,
    /// The figure itself: counted items / items.
    pub figure: FigureView,
    /// The records behind it; those not counted are the missed instances, unrectified dangers, unanalysed units.
    pub items: Vec<ExplainItem>,
}

/// The records behind one enterprise's figure.
#[utoipa::path(tag = "figures", params(ExplainQuery), security(("bearer" = [])), responses(
    (status = 200, description = "the records behind the figure", body = ExplainResponse),
    (status = 400, description = "bad period, metric or asOf", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "no valid token", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "outside the caller's scope", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such enterprise", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/metrics/explain")]
pub async fn get_explain(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<ExplainQuery>,
) -> ApiResult<web::Json<ExplainResponse>> {
    let period = parse_period(&q.period)?;
    let metric = Metric::parse(&q.metric)
        .ok_or_else(|| ApiError::bad_request("bad_metric", format!("未知指标 / unknown metric {:?}", q.metric)))?;
    let as_of = parse_as_of(q.as_of.as_deref())?;
    let code = q.company.clone();
    let row = state.db(move |c| Ok(storage::registry::get(c, &code).ok())).await?;
    // A city learns nothing about enterprises outside its scope, not even whether they exist.
    let city: City = match (row, caller.city()) {
        (Some(r), None) => r.enterprise.city,
        (Some(r), Some(own)) if own == r.enterprise.city => own,
        (_, Some(_)) => return Err(ApiError::Forbidden("无权访问该企业 / no access to this enterprise".into())),
        (None, None) => return Err(ApiError::NotFound(format!("没有企业 / no enterprise {}", q.company))),
    };
    let known = known(&state, Some(city), as_of).await?;
    let items = explain::items(&known, &q.company, period, metric).unwrap_or_default();
    let counted = items.iter().filter(|i| i.counted).count() as u64;
    Ok(web::Json(ExplainResponse {
        company: q.company.clone(),
        period: period.label(),
        metric: q.metric.clone(),
        figure: metrics::figure::Figure::new(counted, items.len() as u64).into(),
        items: items
            .into_iter()
            .map(|i| ExplainItem {
                id: i.id,
                from: i.from.map(format_local),
                to: i.to.map(format_local),
                counted: i.counted,
            })
            .collect(),
    }))
}
