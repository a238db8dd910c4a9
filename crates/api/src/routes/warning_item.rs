//! `GET /api/v1/warnings/{id}`: one open warning by the stable id of its cause (`docs/integration.md`).

use super::warnings::{WarningView, open_warnings};
use crate::AppState;
use crate::auth::{Caller, Role};
use crate::error::{ApiError, ApiResult, Problem};
use crate::error_doc::shared::{NoToken, OutOfScope};
use actix_web::{get, web};
use domain::Code;
use domain::CompanyCode;

/// One open warning. A city token asks for its own city's warnings only (403 for any other id, whether it exists or
/// not); an id that is not open (never was, or its cause has cleared) is 404.
#[utoipa::path(tag = "figures", params(("id" = String, Path,
    description = "`{companyCode}.{kind}` or `{companyCode}.overdue_major_danger.{dangerId}`")),
    security(("bearer" = [])), responses(
    (status = 200, description = "the open warning", body = WarningView),
    (status = 400, description = "not a warning id", body = Problem, content_type = "application/problem+json"),
    NoToken, OutOfScope,
    (status = 404, description = "no open warning has this id", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/warnings/{id}")]
pub async fn get_warning(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<web::Json<WarningView>> {
    let id = path.into_inner();
    let company =
        id.split('.').next().and_then(|c| CompanyCode::parse(c).ok()).ok_or_else(|| {
            ApiError::bad_request(Code::BadWarningId, format!("预警编号无效 / not a warning id: {id:?}"))
        })?;
    let city = caller.city_scope(None)?;
    if caller.role() == Role::City {
        let code = company.clone();
        let found = state.db(move |c| storage::registry::row(c, &code)).await?;
        if found.is_none_or(|row| Some(row.city_code.as_str()) != city.map(|c| c.code())) {
            return Err(ApiError::Forbidden(
                "无权访问其他地市企业的预警 / no access to another city's warnings".into(),
            ));
        }
    }
    let (_, rows) = open_warnings(&state, city).await?;
    rows.into_iter().find(|w| w.id == id).map(web::Json).ok_or_else(|| {
        ApiError::NotFound(format!("没有编号为 {id} 的未关闭预警（从未出现或已关闭）/ no open warning {id}"))
    })
}
