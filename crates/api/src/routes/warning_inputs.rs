//! The early-warning model feed (`GET /api/v1/warning-inputs`, `docs/early-warning-feed.md`).

use super::figures::{parse_as_of, parse_period};
use crate::AppState;
use crate::error::{ApiError, ApiResult, Problem};
use crate::error_doc::shared::NoToken;
use crate::figures::known;
use actix_web::{get, web};
use domain::Code;
use domain::Period;
use domain::time::format_local;
use report::shape::FigureView;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

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
    NoToken,
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
            Code::BadPeriod,
            "week 必须是 ISO 周，如 2026-W47 / week must be an ISO week such as 2026-W47",
        ));
    }
    let as_of = parse_as_of(q.as_of.as_deref())?;
    let known = known(&state, None, as_of, week.bounds_utc().0).await?;
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
