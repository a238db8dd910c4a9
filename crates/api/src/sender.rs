//! Who is pushing: an enterprise token (role `enterprise`, claim `company_code`), or HTTP Basic with the enterprise
//! code and its configured password for existing clients that cannot send a JWT.

use crate::AppState;
use crate::auth::{AuthConfig, Role};
use crate::error::{ApiError, ApiResult};
use actix_web::{HttpRequest, web};
use domain::CompanyCode;

/// The verified sender of a batch.
#[derive(Debug, Clone)]
pub struct Sender {
    /// The enterprise.
    pub company: CompanyCode,
    /// The actor recorded with the batch: the token subject, or `basic:<code>`.
    pub actor: String,
}

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
        return Ok(Sender { company, actor: claims.sub });
    }
    let Some(b64) = header.strip_prefix("Basic ") else {
        return Err(ApiError::Unauthorized("expected a Bearer token or HTTP Basic".into()));
    };
    let bad = || ApiError::Unauthorized("HTTP Basic: wrong enterprise code or password".into());
    let text = base64_decode(b64.trim()).and_then(|b| String::from_utf8(b).ok()).ok_or_else(bad)?;
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
    Ok(Sender { actor: format!("basic:{company}"), company })
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
