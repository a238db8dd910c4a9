//! The monthly reports on the 20th: the frozen revisions, their files (XLSX, HTML, .docx, JSON content), and
//! corrections.

use super::figures::parse_city;
use crate::AppState;
use crate::audit::AuditDetail;
use crate::auth::{Caller, Role};
use crate::error::{ApiError, ApiResult, Problem};
use crate::error_doc::shared::{NoToken, OutOfScope};
use actix_web::http::header;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, get, post, web};
use domain::City;
use domain::Code;
use domain::time::format_local;
use report::monthly::ReportScope;
use report::monthly::freeze::{docx_of_content, report_month, revise};
use serde::{Deserialize, Serialize};
use storage::reports::{self, ReportMeta};
use utoipa::{IntoParams, ToSchema};

/// The media type of XLSX files.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The media type of Word (.docx) files.
pub const DOCX: &str = report::monthly::docx::DOCX_MEDIA_TYPE;

/// Query of `GET /api/v1/reports`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// The month whose 20th ends the report period, e.g. `2026-11`.
    pub month: Option<String>,
    /// One city's reports (a city token: its own only). Without it, a province token also gets the province report.
    pub city: Option<String>,
}

/// A stored report (without its files).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReportView {
    /// The id, e.g. `2026-11.province.r1`.
    pub id: String,
    /// The month, e.g. `2026-11` (period 2026-10-20 to 2026-11-20).
    pub month: String,
    /// `province` or the city code.
    pub scope: String,
    /// 山西省 or the city name.
    pub scope_name: String,
    /// 1 for the report of the 20th; corrections count up.
    pub revision: i32,
    /// What was known when it was made (Asia/Shanghai).
    pub as_of: String,
    /// What the revision changed.
    pub note: String,
    /// When it was stored (Asia/Shanghai).
    pub created_at: String,
    /// `job` or who made the correction.
    pub created_by: String,
    /// The XLSX file.
    pub xlsx: String,
    /// The HTML file.
    pub html: String,
    /// The Word (.docx) file, made from the stored content of the revision (byte-identical on every request).
    pub docx: String,
}

impl From<ReportMeta> for ReportView {
    fn from(m: ReportMeta) -> Self {
        let scope_name = if m.scope == "province" {
            "山西省".to_owned()
        } else {
            City::from_code(&m.scope).map_or_else(|_| m.scope.clone(), |c| c.name().to_owned())
        };
        ReportView {
            xlsx: format!("/api/v1/reports/{}.xlsx", m.id),
            html: format!("/api/v1/reports/{}.html", m.id),
            docx: format!("/api/v1/reports/{}.docx", m.id),
            id: m.id,
            month: m.month,
            scope: m.scope,
            scope_name,
            revision: m.revision,
            as_of: format_local(m.as_of),
            note: m.note,
            created_at: format_local(m.created_at),
            created_by: m.created_by,
        }
    }
}

/// `GET /api/v1/reports`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportsResponse {
    /// Newest month first; province first, then cities in code order; revisions in order.
    pub rows: Vec<ReportView>,
}

/// The frozen monthly reports and their revisions.
#[utoipa::path(tag = "reports", params(ReportQuery), security(("bearer" = [])), responses(
    (status = 200, description = "stored reports", body = ReportsResponse),
    (status = 400, description = "bad month or city", body = Problem, content_type = "application/problem+json"),
    NoToken, OutOfScope,
))]
#[get("/api/v1/reports")]
pub async fn list_reports(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<ReportQuery>,
) -> ApiResult<web::Json<ReportsResponse>> {
    let month = q.month.as_deref().map(check_month).transpose()?;
    let city = caller.city_scope(parse_city(q.city.as_deref())?)?;
    let scopes = city.map(|c| vec![c.code().to_owned()]);
    let rows = state.db(move |c| reports::list(c, month.as_deref(), scopes.as_deref())).await?;
    Ok(web::Json(ReportsResponse { rows: rows.into_iter().map(ReportView::from).collect() }))
}

fn check_month(m: &str) -> ApiResult<String> {
    match domain::Period::parse(m) {
        Ok(domain::Period::Month { .. }) => Ok(m.to_owned()),
        _ => Err(ApiError::bad_request(
            Code::BadMonth,
            format!("月份格式应为 2026-11 / month must look like 2026-11: {m:?}"),
        )),
    }
}

/// One report: `{id}.xlsx`, `{id}.html`, `{id}.docx`, `{id}.json`, or by `Accept` (the XLSX or .docx media type,
/// `text/html`, else the JSON content). The XLSX, HTML and JSON bytes are those stored when the report was frozen;
/// the .docx is made from the stored content on each request, byte-identical every time.
#[utoipa::path(tag = "reports", params(("id" = String, Path, description = "report id, optionally with .xlsx, .html, .docx or .json")),
    security(("bearer" = [])), responses(
    (status = 200, description = "the report: JSON content, XLSX, HTML or Word (.docx)",
        content((String = "application/json"), (String = "text/html"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))),
    NoToken,
    (status = 403, description = "another city's report", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such report", body = Problem, content_type = "application/problem+json"),
))]
// Compressed on the wire when the client accepts it: the .docx is a stored (not deflated) zip, 1.5 MB for a
// province report, about 35 KB gzipped (docs/reports.md).
#[get("/api/v1/reports/{id}", wrap = "actix_web::middleware::Compress::default()")]
pub async fn get_report(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    req: HttpRequest,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let accept = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    let (id, format) = format_of(id, accept);
    let detail = serde_json::json!({"reportId": id, "format": format});
    req.extensions_mut().insert(AuditDetail(detail));
    let key = id.clone();
    let row = state
        .db(move |c| reports::get(c, &key))
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("没有此报告 / no such report: {id}")))?;
    if caller.role() == Role::City && caller.city().map(|c| c.code()) != Some(row.meta.scope.as_str()) {
        return Err(ApiError::Forbidden("无权访问其他地市的报告 / no access to another city's report".to_owned()));
    }
    let mut res = HttpResponse::Ok();
    res.insert_header((header::CACHE_CONTROL, "private, max-age=86400, immutable"));
    let name = |ext: &str| format!("attachment; filename=\"dualprev-{}.{ext}\"", row.meta.id);
    Ok(match format {
        "xlsx" => res.insert_header((header::CONTENT_DISPOSITION, name("xlsx"))).content_type(XLSX).body(row.xlsx),
        "docx" => {
            let disposition = name("docx");
            let content = row.content;
            let bytes = web::block(move || docx_of_content(&content)).await??;
            res.insert_header((header::CONTENT_DISPOSITION, disposition)).content_type(DOCX).body(bytes)
        }
        "html" => res.content_type("text/html; charset=utf-8").body(row.html),
        _ => res.content_type("application/json").body(row.content),
    })
}

/// The report id and the format asked for: by the suffix of the id, else by `Accept`, else JSON.
fn format_of(id: String, accept: &str) -> (String, &'static str) {
    for format in ["xlsx", "html", "docx", "json"] {
        if let Some(bare) = id.strip_suffix(&format!(".{format}")) {
            return (bare.to_owned(), format);
        }
    }
    let format = if accept.contains("spreadsheetml") {
        "xlsx"
    } else if accept.contains("wordprocessingml") {
        "docx"
    } else if accept.contains("text/html") {
        "html"
    } else {
        "json"
    };
    (id, format)
}

/// Body of `POST /api/v1/reports`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReviseRequest {
    /// The month, e.g. `2026-11`; its report must be due (its 20th 08:00 has come).
    pub month: String,
    /// A city's report; without it the province's.
    pub city: Option<String>,
    /// What the correction changes and why (required).
    pub note: String,
}

/// A correction: stores the next revision of a month's report, made from what is known now, with a note.
#[utoipa::path(tag = "reports", request_body = ReviseRequest, security(("bearer" = [])), responses(
    (status = 201, description = "the new revision", body = ReportView),
    (status = 400, description = "bad month, city or note", body = Problem, content_type = "application/problem+json"),
    NoToken,
    (status = 403, description = "not the province", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "the report is not due yet", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/reports")]
pub async fn revise_report(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<ReviseRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let month = report_month(&check_month(&body.month)?)?;
    let scope = match parse_city(body.city.as_deref())? {
        Some(c) => ReportScope::City(c.code().to_owned()),
        None => ReportScope::Province,
    };
    let note = body.note.trim().to_owned();
    if note.is_empty() || note.chars().count() > 2000 {
        return Err(ApiError::bad_request(
            Code::BadNote,
            "更正说明必填且不超过2000字 / a note of 1 to 2000 characters is required",
        ));
    }
    let figures = state.figures.clone();
    let by = caller.claims.sub.clone();
    let now = state.clock.now_utc();
    let row = state.run(move |c| Ok(revise(c, &*figures, month, scope, &note, now, &by)?)).await?;
    let meta = row.meta.clone();
    let event = crate::jobs::report_event("report.revised", &meta.id, meta.created_at);
    crate::changes::emit(&state, vec![event]).await;
    let detail = serde_json::json!({"reportId": meta.id, "format": "json"});
    let mut res = HttpResponse::Created().json(ReportView::from(meta));
    res.extensions_mut().insert(AuditDetail(detail));
    Ok(res)
}
