//! `POST /api/v1/tokens/revoke`: the province revokes a token by its `jti`. The revocation is stored and takes
//! effect on this server at once and on the others at their next reload (at most 30 s).

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Problem};
use crate::error_doc::shared::NoToken;
use actix_web::{HttpResponse, post, web};
use domain::Code;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The body of a revocation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"jti": "3f2a9c0e5b7d4e1fa6c8b0d2e4f60718", "reason": "令牌泄露 / token leaked"}))]
pub struct RevokeBody {
    /// The token's `jti` claim.
    pub jti: String,
    /// Why (kept with the revocation).
    #[serde(default)]
    pub reason: String,
    /// The token's expiry (RFC 3339) when known; the revocation can be pruned after it.
    pub expires: Option<String>,
}

/// A stored revocation.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RevocationView {
    /// The revoked `jti`.
    pub jti: String,
    /// Why.
    pub reason: String,
    /// Who revoked it.
    pub revoked_by: String,
    /// When (`+08:00`).
    pub revoked_at: String,
    /// Whether this request revoked it (false: it already was; the first revocation stands and is shown).
    pub created: bool,
}

/// Revoke a token by its `jti` (province only): every server refuses it within 30 seconds, this one at once.
#[utoipa::path(tag = "operations", request_body = RevokeBody, security(("bearer" = [])), responses(
    (status = 201, description = "revoked (or already revoked)", body = RevocationView),
    (status = 400, description = "bad body", body = Problem, content_type = "application/problem+json"),
    NoToken,
    (status = 403, description = "not the province", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "empty or over-long jti, or a bad expiry (code bad_jti, bad_expires)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/tokens/revoke")]
pub async fn revoke_token(
    state: web::Data<AppState>,
    auth: web::Data<crate::AuthConfig>,
    caller: Caller,
    body: web::Json<RevokeBody>,
) -> ApiResult<HttpResponse> {
    let jti = body.jti.trim().to_owned();
    if jti.is_empty() || jti.len() > 200 {
        return Err(ApiError::unprocessable(
            Code::BadJti,
            "jti 必须为 1 到 200 个字符 / jti must have 1 to 200 characters",
        ));
    }
    let expires_at = match body.expires.as_deref() {
        Some(e) => Some(chrono::DateTime::parse_from_rfc3339(e).map(|t| t.naive_utc()).map_err(|_| {
            ApiError::unprocessable(
                Code::BadExpires,
                format!("expires 必须是 RFC 3339 时间 / expires must be RFC 3339: {e:?}"),
            )
        })?),
        None => None,
    };
    let r = storage::revocations::Revocation {
        jti: jti.clone(),
        reason: body.reason.chars().take(2000).collect(),
        revoked_by: caller.claims.sub.clone(),
        revoked_at: state.clock.now_utc(),
        expires_at,
    };
    let key = jti.clone();
    let (created, stored) = state
        .db(move |c| {
            let created = storage::revocations::revoke(c, &r)?;
            // Revoking again keeps the first revocation: answer with what is stored.
            Ok((created, storage::revocations::get(c, &key)?.unwrap_or(r)))
        })
        .await?;
    auth.revoked.insert(&jti);
    Ok(HttpResponse::Created().json(RevocationView {
        jti,
        reason: stored.reason,
        revoked_by: stored.revoked_by,
        revoked_at: domain::time::format_local(stored.revoked_at),
        created,
    }))
}
