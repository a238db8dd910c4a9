//! The middleware that enforces [`super::policy::POLICY`] in front of every handler: it verifies the token, checks
//! the role against the route's rule, refuses a parameter that would widen the caller's scope, and hands the
//! verified [`Caller`] to the handler. It sits inside the audit middleware, so every refusal is audited.

use super::policy::{Access, path_param, query_param, rule_for};
use super::{Caller, Role, caller};
use crate::AppState;
use crate::error::ApiError;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, web};

/// Enforces the policy. Requests that match no route pass through (they are answered 404); a route without a rule
/// is refused (403 `forbidden`) and logged as a programming error.
pub async fn authorize(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(pattern) = req.match_pattern() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let Some(rule) = rule_for(req.method().as_str(), &pattern) else {
        tracing::error!(method = %req.method(), route = %pattern, "a route without an access rule was refused");
        let e = ApiError::Forbidden(format!("此接口未配置访问规则 / no access rule for {} {pattern}", req.method()));
        return Ok(req.error_response(e));
    };
    match rule.access {
        Access::Public | Access::Exchange => Ok(next.call(req).await?.map_into_boxed_body()),
        Access::Roles(roles) => match admit(&req, &pattern, roles).await {
            Ok(caller) => {
                req.extensions_mut().insert(caller);
                Ok(next.call(req).await?.map_into_boxed_body())
            }
            // A refusal is an answer like a handler's (so outer middleware see its status and add their headers).
            Err(e) => Ok(req.error_response(e)),
        },
    }
}

/// The verified caller, when its role is one of `roles` and its parameters stay in its scope. A request without a
/// token but with the session cookie acts as the signed-in person (`super::session`).
async fn admit(req: &ServiceRequest, pattern: &str, roles: &[Role]) -> Result<Caller, ApiError> {
    let person = match (req.headers().contains_key("Authorization"), req.app_data::<web::Data<AppState>>()) {
        (false, Some(state)) => super::session::caller(req.request(), state).await?,
        _ => None,
    };
    let caller = match person {
        Some(p) => p,
        None => caller::verify(req.request())?,
    };
    super::session::check(req, pattern, &caller)?;
    if !roles.contains(&caller.role()) {
        return Err(ApiError::Forbidden(format!(
            "角色 {:?} 无权访问此接口 / the {:?} role may not use {} {pattern}",
            caller.role(),
            caller.role(),
            req.method()
        )));
    }
    check_parameters(req, pattern, &caller).await?;
    Ok(caller)
}

/// Refuses `?city=` other than a city token's own, and `?company=` / `{companyCode}` outside the caller's
/// enterprises; for a city token an unknown company is refused like another city's (403 either way).
async fn check_parameters(req: &ServiceRequest, pattern: &str, caller: &Caller) -> Result<(), ApiError> {
    let query = req.query_string();
    if let Some(city) = query_param(query, "city") {
        match (caller.role(), caller.claims.city_code.as_deref()) {
            (Role::City, Some(own)) if own != city => {
                return Err(ApiError::Forbidden(format!(
                    "无权访问其他地市（{city}）的数据 / no access to another city's data ({city})"
                )));
            }
            (Role::Enterprise, _) => {
                return Err(ApiError::Forbidden(
                    "企业令牌不能按地市查询 / an enterprise token has no city filter".into(),
                ));
            }
            _ => {}
        }
    }
    let company =
        path_param(pattern, req.path(), "companyCode").map(str::to_owned).or_else(|| query_param(query, "company"));
    let Some(company) = company else { return Ok(()) };
    // One answer whether the enterprise exists elsewhere or not at all: a caller learns nothing outside its scope.
    let refused = || ApiError::Forbidden("无权访问该企业的数据 / no access to this enterprise's data".into());
    match caller.role() {
        Role::Province => Ok(()),
        // The registry's master data is the monitoring system's map of codes (`docs/integration.md` §2.0).
        Role::Service if pattern == "/api/v1/enterprises/{companyCode}" => Ok(()),
        Role::Enterprise | Role::Service | Role::Sysadmin | Role::Secadmin | Role::Auditor => {
            caller.may_see_enterprise(&company, None).map_err(|_| refused())
        }
        Role::City => {
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| ApiError::Internal("no AppState in app data".into()))?;
            // A malformed code names no enterprise: found nowhere, as before.
            let found = match domain::CompanyCode::parse(&company) {
                Ok(code) => state.db(move |c| storage::registry::row(c, &code)).await?,
                Err(_) => None,
            };
            let city = found.map(|row| row.city_code);
            caller.may_see_enterprise(&company, city.as_deref()).map_err(|_| refused())
        }
    }
}
