//! One warning by the stable id of its cause (`GET /api/v1/warnings/{id}`, `docs/integration.md`), with its
//! handling case, timeline, escalations and the actions the caller may take (`docs/warnings.md`).

use super::warnings::{WarningView, open_warnings};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Problem};
use crate::error_doc::shared::NoToken;
use crate::handling::scope::may_read;
use crate::handling::view::handling_view;
use actix_web::{get, web};
use domain::{Code, CompanyCode};

/// The enterprise of a warning id (400 `bad_warning_id` when it does not start with one).
pub fn company_of(id: &str) -> ApiResult<CompanyCode> {
    id.split('.')
        .next()
        .and_then(|c| CompanyCode::parse(c).ok())
        .ok_or_else(|| ApiError::bad_request(Code::BadWarningId, format!("预警编号无效 / not a warning id: {id:?}")))
}

/// One warning: open now, or with a case that remains (a cleared red warning awaiting verification, a closed
/// case). The province reads every warning, a city its own city's, an enterprise its own, the service role every
/// one (403 outside the scope, whether the id exists or not); an id with neither an open cause nor a case is 404.
#[utoipa::path(tag = "figures", params(("id" = String, Path,
    description = "`{companyCode}.{kind}` or `{companyCode}.overdue_major_danger.{dangerId}`")),
    security(("bearer" = [])), responses(
    (status = 200, description = "the warning with its handling", body = WarningView),
    (status = 400, description = "not a warning id", body = Problem, content_type = "application/problem+json"),
    NoToken,
    (status = 403, description = "outside the caller's scope", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "no warning has this id", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/warnings/{id}")]
pub async fn get_warning(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<web::Json<WarningView>> {
    warning_item(&state, &caller, &path.into_inner()).await.map(web::Json)
}

/// The warning of an id as the caller may read it, with its latest case in full.
pub async fn warning_item(state: &AppState, caller: &Caller, id: &str) -> ApiResult<WarningView> {
    let company = company_of(id)?;
    let code = company.clone();
    let registered = state.db(move |c| storage::registry::row(c, &code)).await?;
    let city_code = registered.as_ref().map(|r| r.city_code.clone()).unwrap_or_default();
    may_read(caller, company.as_str(), &city_code)
        .map_err(|_| ApiError::Forbidden("无权访问该预警 / no access to this warning".into()))?;
    let key = id.to_owned();
    let full = state
        .db(move |c| {
            let Some(case) = storage::handling::cases::latest(c, &key)? else { return Ok(None) };
            let steps = storage::handling::actions::timeline(c, case.id)?;
            let escalations = storage::handling::escalate::of_case(c, case.id)?;
            Ok(Some((case, steps, escalations)))
        })
        .await?;
    let city = registered.as_ref().and_then(|r| domain::City::from_code(&r.city_code).ok());
    let (_, rows) = open_warnings(state, city, Some(company.as_str())).await?;
    let live = rows.into_iter().find(|w| w.id == id);
    let handling = full.as_ref().map(|(case, steps, esc)| handling_view(caller, case, steps, esc));
    match (live, full) {
        (Some(mut w), _) => {
            w.handling = handling;
            Ok(w)
        }
        (None, Some((case, _, _))) => Ok(WarningView {
            id: id.to_owned(),
            kind: case.kind.clone(),
            level: case.level.clone(),
            company_code: case.company_code.clone(),
            company_name: registered.map(|r| r.name).unwrap_or_default(),
            city_code: case.city_code.clone(),
            since: None,
            detail: case.detail.clone(),
            records: Vec::new(),
            record_details: Vec::new(),
            open: false,
            handling,
        }),
        (None, None) => Err(ApiError::NotFound(format!(
            "没有编号为 {id} 的预警（从未出现，或已关闭且无处置记录）/ no warning {id}"
        ))),
    }
}
