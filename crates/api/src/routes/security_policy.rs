//! The security policy (issue 20, 三员分立): every signed-in caller may read the rules in force (the change-password
//! form shows them); only the security administrator sets them, each number within the bounds of
//! `domain::security_policy` (422 `bad_policy`, nothing stored). Every version is kept; the change is audited with the
//! administrator as actor and the new numbers, and applies to the next sign-in, password change and request
//! (`docs/security.md`).

use crate::AppState;
use crate::audit::AuditDetail;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Problem};
use crate::error_doc::shared::NoToken;
use actix_web::{HttpMessage, HttpRequest, get, put, web};
use domain::Code;
use domain::security_policy::SecurityPolicy;
use domain::time::format_local;
use serde::Serialize;
use storage::security_policy::PolicyRow;
use utoipa::ToSchema;

/// The policy in force.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PolicyView {
    /// The stored version in force; 0 while the defaults apply (none stored).
    pub version: i64,
    /// The numbers (what `PUT` takes).
    pub policy: SecurityPolicy,
    /// The security administrator who set it; null for the defaults.
    pub set_by: Option<String>,
    /// When (Asia/Shanghai); null for the defaults.
    pub set_at: Option<String>,
    /// The bounds of each number, in field order (what `PUT` accepts).
    pub bounds: Vec<Bound>,
}

/// The bounds of one number of the policy.
#[derive(Debug, Serialize, ToSchema)]
pub struct Bound {
    /// The field, e.g. `passwordMinLength`.
    pub field: &'static str,
    /// The smallest value accepted.
    pub min: u32,
    /// The largest value accepted.
    pub max: u32,
}

impl PolicyView {
    fn of(p: SecurityPolicy, row: Option<&PolicyRow>) -> PolicyView {
        PolicyView {
            version: row.map_or(0, |r| r.version),
            policy: p,
            set_by: row.map(|r| r.set_by.clone()),
            set_at: row.map(|r| format_local(r.set_at)),
            bounds: SecurityPolicy::BOUNDS.into_iter().map(|(field, min, max)| Bound { field, min, max }).collect(),
        }
    }
}

/// The refusals of `PUT /api/v1/security-policy` (OpenAPI only).
#[derive(utoipa::IntoResponses)]
pub enum PutRefused {
    /// Not JSON, or not the eight numbers.
    #[response(
        status = 400,
        description = "not a JSON body with the eight numbers",
        content_type = "application/problem+json"
    )]
    NotPolicy(Problem),
    /// No valid token or session.
    #[response(status = 401, description = "no valid token", content_type = "application/problem+json")]
    NoToken(Problem),
    /// Another role than the security administrator.
    #[response(status = 403, description = "not the security administrator", content_type = "application/problem+json")]
    NotSecadmin(Problem),
    /// A number outside its bounds.
    #[response(
        status = 422,
        description = "`bad_policy`: a number outside its bounds",
        content_type = "application/problem+json"
    )]
    OutOfBounds(Problem),
}

/// The security policy in force.
#[utoipa::path(tag = "users", security(("bearer" = [])), responses(
    (status = 200, description = "the policy in force", body = PolicyView),
    NoToken,
    (status = 403, description = "refused by the access policy (every role may read this)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/security-policy")]
pub async fn get_policy(state: web::Data<AppState>) -> ApiResult<web::Json<PolicyView>> {
    let row = state.db(storage::security_policy::current).await?;
    let policy = storage::security_policy::policy_of(row.as_ref())?;
    Ok(web::Json(PolicyView::of(policy, row.as_ref())))
}

/// Sets the security policy (the security administrator): stored as the next version, in force at once.
#[utoipa::path(tag = "users", request_body = SecurityPolicy, security(("bearer" = [])),
    responses((status = 200, description = "stored and in force", body = PolicyView), PutRefused))]
#[put("/api/v1/security-policy")]
pub async fn put_policy(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<SecurityPolicy>,
) -> ApiResult<web::Json<PolicyView>> {
    let policy = body.into_inner();
    policy.check().map_err(|e| ApiError::account(Code::BadPolicy, e.to_string()))?;
    let (by, now) = (caller.claims.sub.clone(), state.clock.now_utc());
    let row = state.db(move |c| storage::security_policy::set(c, &policy, &by, now)).await?;
    state.sessions.rules.put(policy);
    req.extensions_mut().insert(AuditDetail(serde_json::json!({ "version": row.version, "policy": policy })));
    Ok(web::Json(PolicyView::of(policy, Some(&row))))
}
