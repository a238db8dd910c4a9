//! The records behind one enterprise's figure (`GET /api/v1/metrics/explain`), each with what an inspector reads of
//! it (`record`).

use super::figures::{parse_as_of, parse_period};
use super::record_dto::{RecordSummary, summaries};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Problem};
use crate::error_doc::shared::{NoToken, OutOfScope};
use crate::figures::known;
use actix_web::{get, web};
use domain::City;
use domain::Code;
use domain::time::format_local;
use report::explain::{self, Metric};
use report::shape::FigureView;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

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
    /// What an inspector reads of the record (the task, danger or unit); null when no version is stored.
    pub record: Option<RecordSummary>,
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
    NoToken, OutOfScope,
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
        .ok_or_else(|| ApiError::bad_request(Code::BadMetric, format!("未知指标 / unknown metric {:?}", q.metric)))?;
    let as_of = parse_as_of(q.as_of.as_deref())?;
    let code = domain::CompanyCode::parse(&q.company).ok();
    let row = state.db(move |c| Ok(code.and_then(|code| storage::registry::get(c, &code).ok()))).await?;
    // A city learns nothing about enterprises outside its scope, not even whether they exist.
    let (city, company): (City, domain::CompanyCode) = match (row, caller.city()) {
        (Some(r), None) => (r.enterprise.city, r.enterprise.code),
        (Some(r), Some(own)) if own == r.enterprise.city => (own, r.enterprise.code),
        (_, Some(_)) => return Err(ApiError::Forbidden("无权访问该企业 / no access to this enterprise".into())),
        (None, None) => return Err(ApiError::NotFound(format!("没有企业 / no enterprise {}", q.company))),
    };
    let known = known(&state, Some(city), as_of, period.bounds_utc().0).await?;
    let items = explain::items(&known, &q.company, period, metric).unwrap_or_default();
    let counted = items.iter().filter(|i| i.counted).count() as u64;
    let table = match metric {
        Metric::TaskCompletion | Metric::BaobaoCompletion => "check_task",
        Metric::Rectification | Metric::MajorRectification => "danger",
        Metric::RiskAnalysis => "risk_unit",
    };
    let mut ids: Vec<String> = items.iter().map(|i| i.id.clone()).collect();
    ids.sort();
    ids.dedup();
    let records = state.db(move |c| summaries(c, table, &company, &ids)).await?;
    Ok(web::Json(ExplainResponse {
        company: q.company.clone(),
        period: period.label(),
        metric: q.metric.clone(),
        figure: metrics::figure::Figure::new(counted, items.len() as u64).into(),
        items: items
            .into_iter()
            .map(|i| ExplainItem {
                record: records.get(&i.id).cloned(),
                id: i.id,
                from: i.from.map(format_local),
                to: i.to.map(format_local),
                counted: i.counted,
            })
            .collect(),
    }))
}
