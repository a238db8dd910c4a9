//! People's sessions (issue 20, 等保 level 3): the cookie `dualprev_session` (HttpOnly, SameSite=Strict, `Secure` when
//! configured) carries a random secret; the session ends after the idle timeout, at its absolute end, or at
//! sign-out. A request made with the cookie acts as the person: the same role and scope rules as a token.
//! State-changing requests made with the cookie must carry `X-Requested-With: dualprev` (a header a cross-site form
//! cannot send, and no cross-origin script may: the API answers no CORS), else 403 `csrf`.

use super::{Caller, Claims, Role};
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite};
use chrono::NaiveDateTime;
use domain::Code;
use domain::account::AccountRole;
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::Arc;

/// The session cookie's name.
pub const COOKIE: &str = "dualprev_session";

/// The header a state-changing request made with the session cookie must carry, and its value.
pub const CSRF_HEADER: (&str, &str) = ("X-Requested-With", "dualprev");

/// How sessions are kept: the cookie's `Secure` flag (settings), the security policy in force (the security
/// administrator's, cached: [`AppState::rules`]) and the failures of unknown names.
#[derive(Debug, Clone, Default)]
pub struct SessionPolicy {
    /// Mark the cookie `Secure` (behind TLS).
    pub secure_cookie: bool,
    /// The security policy in force: password rules, lockout, idle and absolute session lifetimes.
    pub rules: super::rules::PolicyCache,
    /// Single sign-on with the province's identity platform, when configured.
    pub sso: super::sso::Sso,
    /// Failed sign-ins with names that do not exist, by name: answered like a real account's, so that names
    /// cannot be probed (kept in this process only).
    pub unknown: UnknownNames,
}

/// Failures in a row and the lockout's end, per unknown name.
pub type UnknownNames = Arc<Mutex<HashMap<String, (u32, Option<NaiveDateTime>)>>>;

/// A new random cookie secret (256 bits from two v4 UUIDs: the operating system's generator).
pub fn new_secret() -> String {
    format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple())
}

/// The cookie that carries a session (or, with an empty value and no age, removes it).
pub fn cookie(secret: &str, policy: &SessionPolicy, remove: bool) -> Cookie<'static> {
    let mut c = Cookie::build(COOKIE, secret.to_owned())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(policy.secure_cookie)
        .finish();
    if remove {
        c.make_removal();
    }
    c
}

/// The caller of a request carrying the session cookie and no token; `None` without the cookie. An ended or
/// unknown session is 401.
pub async fn caller(req: &HttpRequest, state: &AppState) -> ApiResult<Option<Caller>> {
    let Some(secret) = req.cookie(COOKIE).map(|c| c.value().to_owned()) else { return Ok(None) };
    let (now, rules) = (state.clock.now_utc(), state.rules().await?);
    let idle = rules.idle();
    let found = state
        .db(move |c| {
            let Some(s) = storage::sessions::touch(c, &secret, now, idle)? else { return Ok(None) };
            Ok(storage::accounts::get(c, &s.username)?.map(|a| (s, a)))
        })
        .await?;
    let Some((s, a)) = found else {
        return Err(ApiError::Unauthorized("会话已结束，请重新登录 / the session has ended: sign in again".into()));
    };
    if a.state != domain::account::AccountState::Active.key() {
        return Err(ApiError::Unauthorized("账户已停用 / the account is disabled".into()));
    }
    let role = AccountRole::parse(&a.role).map_err(|e| ApiError::Internal(format!("account {}: {e}", a.username)))?;
    let must_change = a.must_change_password || now - a.password_changed_at >= rules.passwords().max_age;
    let claims = Claims {
        sub: a.username.clone(),
        role: Role::of_account(role),
        city_code: a.city_code.clone(),
        company_code: a.company_code.clone(),
        iss: "dualprev-session".into(),
        aud: "dualprev".into(),
        exp: s.expires_at.and_utc().timestamp(),
        nbf: s.created_at.and_utc().timestamp(),
        iat: s.created_at.and_utc().timestamp(),
        jti: "session".into(),
    };
    Ok(Some(Caller { claims, session: true, must_change_password: must_change }))
}

/// Refuses what a session may not do yet: anything but the session routes and reading the security policy while the
/// password must be changed (403 `password_change_required`), and a state-changing request without the CSRF header (403 `csrf`).
pub fn check(req: &actix_web::dev::ServiceRequest, pattern: &str, caller: &Caller) -> ApiResult<()> {
    if !caller.session {
        return Ok(());
    }
    let unsafe_method = !matches!(req.method().as_str(), "GET" | "HEAD" | "OPTIONS");
    let proof = req.headers().get(CSRF_HEADER.0).and_then(|v| v.to_str().ok()) == Some(CSRF_HEADER.1);
    if unsafe_method && !proof {
        return Err(ApiError::account(
            Code::Csrf,
            format!(
                "以会话提交的修改请求须带 {}: {} 请求头 / a state-changing request made with the session cookie needs \
                 the {} header",
                CSRF_HEADER.0, CSRF_HEADER.1, CSRF_HEADER.0
            ),
        ));
    }
    // The rules a new password must meet stay readable: the change-password form shows them.
    let rules = pattern == "/api/v1/security-policy" && req.method() == actix_web::http::Method::GET;
    if caller.must_change_password && !pattern.starts_with("/api/v1/session") && !rules {
        return Err(ApiError::account(
            Code::PasswordChangeRequired,
            "请先修改密码（首次登录、管理员重置或已满 90 天）/ change your password first",
        ));
    }
    Ok(())
}
