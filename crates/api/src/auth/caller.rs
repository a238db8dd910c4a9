//! The verified caller of a request and its scope rules.

use super::{AuthConfig, Claims, Role};
use crate::error::{ApiError, ApiResult};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use domain::City;
use std::future::{Ready, ready};

/// The verified caller of a request: a token's claims, or a signed-in person's (`sub` is the username).
#[derive(Debug, Clone)]
pub struct Caller {
    /// The token's claims, or the person's as if from a token.
    pub claims: Claims,
    /// Signed in with a session cookie (not a token): unsafe methods need the CSRF header.
    pub session: bool,
    /// A person whose password must be changed before anything else.
    pub must_change_password: bool,
}

impl Caller {
    /// A token's caller.
    pub fn of_token(claims: Claims) -> Caller {
        Caller { claims, session: false, must_change_password: false }
    }
}

impl Caller {
    /// The caller's role.
    pub fn role(&self) -> Role {
        self.claims.role
    }

    /// The city of a city caller.
    pub fn city(&self) -> Option<City> {
        self.claims.city_code.as_deref().and_then(|c| City::from_code(c).ok())
    }

    /// The city filter a query may use: a city caller sees its own city, and asking for another is refused (403),
    /// never silently narrowed. Other roles get what they asked for.
    pub fn city_scope(&self, requested: Option<City>) -> ApiResult<Option<City>> {
        match (self.claims.role, self.city(), requested) {
            (Role::City, Some(own), Some(asked)) if asked != own => Err(ApiError::Forbidden(format!(
                "无权访问其他地市（{}）的数据 / no access to another city's data ({})",
                asked.name(),
                asked.code()
            ))),
            (Role::City, own, _) => Ok(own),
            _ => Ok(requested),
        }
    }
}

impl Caller {
    /// Refuses a caller who may not see an enterprise's data: province sees all, a city its own enterprises, an
    /// enterprise itself; the service role sees no enterprise-level records.
    pub fn may_see_enterprise(&self, company: &str, city_code: Option<&str>) -> ApiResult<()> {
        let ok = match self.claims.role {
            Role::Province => true,
            Role::City => city_code.is_some() && city_code == self.claims.city_code.as_deref(),
            Role::Enterprise => self.claims.company_code.as_deref() == Some(company),
            Role::Service | Role::Sysadmin | Role::Secadmin | Role::Auditor => false,
        };
        if ok {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!("无权访问企业 {company} 的数据 / no access to enterprise {company}")))
        }
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Ready<Result<Caller, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let checked = req.extensions().get::<Caller>().cloned();
        ready(checked.map_or_else(|| verify(req), Ok))
    }
}

/// The caller of a request, from its bearer token (401 when missing, malformed, expired, forged or revoked). The
/// policy middleware calls it once and hands the result to the handler.
pub(crate) fn verify(req: &HttpRequest) -> ApiResult<Caller> {
    let auth = req
        .app_data::<web::Data<AuthConfig>>()
        .ok_or_else(|| ApiError::Internal("no AuthConfig in app data".into()))?;
    let header = req
        .headers()
        .get("Authorization")
        .and_then(|h| h.to_str().ok())
        .ok_or_else(|| ApiError::Unauthorized("missing Authorization header".into()))?;
    let token =
        header.strip_prefix("Bearer ").ok_or_else(|| ApiError::Unauthorized("expected a Bearer token".into()))?;
    Ok(Caller::of_token(auth.verify(token.trim())?))
}
