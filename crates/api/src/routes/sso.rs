//! Single sign-on routes (issue 20, `docs/security.md` § 统一身份认证): whether it is on, the start that sends the
//! browser to the province's identity provider, and the callback that comes back with a code. The callback never
//! answers JSON: it sends the browser to the dashboard, signed in (`/#/sso`, where the page adopts the session) or to the sign-in page with a code that says
//! why not (`/#/login?sso=<code>`: `sso_off`, `sso_state`, `sso_failed`, `sso_unknown_account`).

use crate::AppState;
use crate::audit::{AuditActor, AuditDetail};
use crate::auth::session;
use crate::auth::sso::{PENDING_COOKIE, SsoError};
use crate::error::ApiResult;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header::LOCATION;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Whether single sign-on is on.
#[derive(Debug, Serialize, ToSchema)]
pub struct SsoStatus {
    /// On: the sign-in page offers the button.
    pub enabled: bool,
    /// The button's label (empty when off).
    pub label: String,
}

/// Whether single sign-on is on, and the sign-in page's button label.
#[utoipa::path(tag = "session", responses((status = 200, description = "on or off", body = SsoStatus)))]
#[get("/api/v1/session/sso")]
pub async fn sso_status(state: web::Data<AppState>) -> web::Json<SsoStatus> {
    let c = state.sessions.sso.config();
    web::Json(SsoStatus { enabled: c.is_some(), label: c.map(|c| c.label).unwrap_or_default() })
}

/// The pending sign-in's cookie: HttpOnly, `SameSite=Lax` (it must come back on the provider's top-level redirect),
/// ten minutes, only on the SSO routes. Empty: removes it.
fn pending_cookie(value: &str, secure: bool) -> Cookie<'static> {
    let mut c = Cookie::build(PENDING_COOKIE, value.to_owned())
        .path("/api/v1/session/sso")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(actix_web::cookie::time::Duration::minutes(10))
        .finish();
    if value.is_empty() {
        c.make_removal();
    }
    c
}

/// To the sign-in page with why single sign-on did not sign the person in.
fn refused(req: &HttpRequest, state: &AppState, code: &str, why: &str) -> HttpResponse {
    req.extensions_mut().insert(AuditDetail(serde_json::json!({ "sso": code, "why": why })));
    HttpResponse::SeeOther()
        .insert_header((LOCATION, format!("/#/login?sso={code}")))
        .cookie(pending_cookie("", state.sessions.secure_cookie))
        .finish()
}

/// Starts a single sign-on: 303 to the identity provider (authorization code with PKCE; state, nonce and verifier
/// kept in a ten-minute HttpOnly cookie).
#[utoipa::path(tag = "session", responses(
    (status = 303, description = "to the identity provider, or to the sign-in page with `sso=sso_off` or `sso=sso_failed`"),
))]
#[get("/api/v1/session/sso/start")]
pub async fn sso_start(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    match state.sessions.sso.start().await {
        Ok(started) => HttpResponse::SeeOther()
            .insert_header((LOCATION, started.url))
            .cookie(pending_cookie(&started.pending, state.sessions.secure_cookie))
            .finish(),
        Err(SsoError::Off) => refused(&req, &state, "sso_off", "single sign-on is off"),
        Err(SsoError::Failed(e)) => {
            tracing::warn!(error = %e, "single sign-on could not start");
            refused(&req, &state, "sso_failed", &e)
        }
    }
}

/// What the identity provider sends back.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallbackQuery {
    /// The authorization code.
    pub code: Option<String>,
    /// The state sent at the start.
    pub state: Option<String>,
    /// The provider's error, when it refused (e.g. `access_denied`).
    pub error: Option<String>,
}

/// The identity provider's redirect: verifies the sign-in, opens a session for the account the ID token names, and
/// sends the browser to the dashboard (303 `/#/sso`, the session cookie set), or to the sign-in page with a code.
#[utoipa::path(tag = "session", params(CallbackQuery), responses(
    (status = 303, description = "to `/#/sso` signed in, or to `/#/login?sso=<code>`: sso_off, sso_state, sso_failed, sso_unknown_account"),
))]
#[get("/api/v1/session/sso/callback")]
pub async fn sso_callback(
    req: HttpRequest,
    state: web::Data<AppState>,
    q: web::Query<CallbackQuery>,
) -> ApiResult<HttpResponse> {
    if let Some(e) = &q.error {
        return Ok(refused(&req, &state, "sso_failed", e));
    }
    let pending = req.cookie(PENDING_COOKIE).map(|c| c.value().to_owned()).unwrap_or_default();
    let (Some(code), Some(returned)) = (&q.code, &q.state) else {
        return Ok(refused(&req, &state, "sso_state", "no code or state"));
    };
    let username = match state.sessions.sso.finish(&pending, returned, code).await {
        Ok(Some(u)) => u,
        Ok(None) => return Ok(refused(&req, &state, "sso_state", "the state is not this browser's pending sign-in")),
        Err(SsoError::Off) => return Ok(refused(&req, &state, "sso_off", "single sign-on is off")),
        Err(SsoError::Failed(e)) => {
            tracing::warn!(error = %e, "single sign-on failed");
            return Ok(refused(&req, &state, "sso_failed", &e));
        }
    };
    req.extensions_mut().insert(AuditActor(username.clone()));
    let now = state.clock.now_utc();
    let name = username.clone();
    let Some(account) = state.db(move |c| storage::sign_in::vouched(c, &name, now)).await? else {
        return Ok(refused(&req, &state, "sso_unknown_account", "no active account has this name"));
    };
    let (secret, _) = super::session::open(&state, account.username, now).await?;
    req.extensions_mut().insert(AuditDetail(serde_json::json!({ "sso": "signed_in" })));
    Ok(HttpResponse::SeeOther()
        .insert_header((LOCATION, "/#/sso"))
        .cookie(session::cookie(&secret, &state.sessions, false))
        .cookie(pending_cookie("", state.sessions.secure_cookie))
        .finish())
}
