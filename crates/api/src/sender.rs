//! Who is pushing: an enterprise token (role `enterprise`, claim `company_code`), HTTP Basic with the enterprise code
//! and its configured password for existing clients that cannot send a JWT, HTTP Basic as `group:<name>` for a group
//! credential (集团/园区) that pushes for its members, or (in `routes::exchange_secret`) the enterprise's secret base
//! address.

use crate::AppState;
use crate::auth::{AuthConfig, Role};
use crate::error::{ApiError, ApiResult};
use actix_web::{HttpRequest, web};
use domain::CompanyCode;

/// The verified sender of a batch.
#[derive(Debug, Clone)]
pub struct Sender {
    /// Who may push: one enterprise, or a group's members.
    pub pusher: Pusher,
    /// The actor recorded with the batch: the token subject, `basic:<code>`, `group:<name>` or `secret:<code>`.
    pub actor: String,
}

/// For whom a verified sender may push.
#[derive(Debug, Clone)]
pub enum Pusher {
    /// One enterprise.
    Enterprise(CompanyCode),
    /// A group credential: the batch is the enterprise its records name, which must be one of these.
    Group(Vec<CompanyCode>),
}

impl Sender {
    /// The key of the push rate limit: the enterprise, or the group's actor.
    pub fn limit_key(&self) -> String {
        match &self.pusher {
            Pusher::Enterprise(c) => c.to_string(),
            Pusher::Group(_) => self.actor.clone(),
        }
    }
}

/// The prefix of a group credential's Basic user name.
pub const GROUP_PREFIX: &str = "group:";

/// Decodes standard base64, padded or not (for the Basic header).
fn base64_decode(s: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD_PAD_INDIFFERENT.decode(s).ok()
}

/// Verifies the sender of an exchange request.
pub async fn sender_of(req: &HttpRequest, state: &AppState) -> ApiResult<Sender> {
    sender(req, state).await.map_err(|e| match e {
        ApiError::Unauthorized(why) => ApiError::UnauthorizedExchange(why),
        other => other,
    })
}

async fn sender(req: &HttpRequest, state: &AppState) -> ApiResult<Sender> {
    let header = req
        .headers()
        .get("Authorization")
        .and_then(|h| h.to_str().ok())
        .ok_or_else(|| ApiError::Unauthorized("missing Authorization header".into()))?;
    if let Some(token) = header.strip_prefix("Bearer ") {
        let auth = req
            .app_data::<web::Data<AuthConfig>>()
            .ok_or_else(|| ApiError::Internal("no AuthConfig in app data".into()))?;
        let claims = auth.verify(token.trim())?;
        if claims.role != Role::Enterprise {
            return Err(ApiError::Forbidden(format!(
                "只有企业令牌可以推送数据，当前角色为 {:?} / only enterprise tokens may push (role {:?})",
                claims.role, claims.role
            )));
        }
        let company = claims
            .company_code
            .as_deref()
            .and_then(|c| CompanyCode::parse(c).ok())
            .ok_or_else(|| ApiError::Unauthorized("enterprise token without company_code".into()))?;
        return Ok(Sender { pusher: Pusher::Enterprise(company), actor: claims.sub });
    }
    let Some(b64) = header.strip_prefix("Basic ") else {
        return Err(ApiError::Unauthorized("expected a Bearer token or HTTP Basic".into()));
    };
    let bad = || ApiError::Unauthorized("HTTP Basic: wrong enterprise code or password".into());
    let text = base64_decode(b64.trim()).and_then(|b| String::from_utf8(b).ok()).ok_or_else(bad)?;
    // The user name of a group credential holds a colon itself (`group:<name>`): the password follows the next one.
    if let Some((name, password)) = text.strip_prefix(GROUP_PREFIX).and_then(|rest| rest.split_once(':')) {
        return group(state, name, password).await;
    }
    let (user, password) = text.split_once(':').ok_or_else(bad)?;
    let company = CompanyCode::parse(user).map_err(|_| bad())?;
    let (code, password) = (company.clone(), password.to_owned());
    let ok = state
        .db(move |c| {
            let row = storage::registry::row(c, &code)?;
            // The slow hash runs on the blocking pool, not on the server's threads.
            Ok(row.and_then(|r| r.basic_password_hash).is_some_and(|h| storage::passwords::verify(&password, &h)))
        })
        .await?;
    if !ok {
        return Err(bad());
    }
    Ok(Sender { actor: format!("basic:{company}"), pusher: Pusher::Enterprise(company) })
}

/// Verifies a group credential (`group:<name>` and its password).
async fn group(state: &AppState, name: &str, password: &str) -> ApiResult<Sender> {
    let bad = || ApiError::Unauthorized("HTTP Basic: wrong group name or password".into());
    let (owned, password) = (name.to_owned(), password.to_owned());
    let members = state
        .db(move |c| {
            let found = storage::push_groups::credential(c, &owned)?;
            Ok(found.filter(|(hash, _)| storage::passwords::verify(&password, hash)).map(|(_, m)| m))
        })
        .await?
        .ok_or_else(bad)?;
    Ok(Sender { actor: format!("{GROUP_PREFIX}{name}"), pusher: Pusher::Group(members) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_basic_credentials() {
        assert_eq!(base64_decode("MTQwMTAwMDAxOnNlY3JldA==").unwrap(), b"140100001:secret");
        assert_eq!(base64_decode("YQ==").unwrap(), b"a");
        assert_eq!(base64_decode("YWI=").unwrap(), b"ab");
        assert!(base64_decode("***").is_none());
    }
}
