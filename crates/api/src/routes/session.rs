//! Sign-in for people (issue 20): `POST /api/v1/session` sets the session cookie, `GET` says who is signed in,
//! `DELETE` signs out, `PUT /api/v1/session/password` changes the password. Tokens stay for machines.

use crate::AppState;
use crate::audit::AuditActor;
use crate::auth::Caller;
use crate::auth::session::{self, COOKIE};
use crate::error::{ApiError, ApiResult, Problem};
use crate::error_doc::shared::NotSignedIn;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, delete, get, post, put, web};
use domain::Code;
use domain::account::PasswordPolicy;
use domain::time::format_local;
use serde::{Deserialize, Serialize};
use storage::accounts::AccountError;
use storage::sign_in::SignIn;
use utoipa::ToSchema;

/// Body of `POST /api/v1/session`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SignInBody {
    /// The sign-in name.
    pub username: String,
    /// The password.
    pub password: String,
}

/// Who is signed in (`GET /api/v1/session`, and the answer of a sign-in).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WhoAmI {
    /// The username (a token's `sub`).
    pub username: String,
    /// `province`, `city`, `enterprise`, `service`, `sysadmin`, `secadmin` or `auditor`.
    pub role: String,
    /// The city of a city account.
    pub city_code: Option<String>,
    /// The enterprise of an enterprise account.
    pub company_code: Option<String>,
    /// When the session (or token) ends at the latest (Asia/Shanghai).
    pub expires_at: String,
    /// The password must be changed before anything else.
    pub must_change_password: bool,
}

impl WhoAmI {
    fn of(c: &Caller) -> WhoAmI {
        let exp = chrono::DateTime::from_timestamp(c.claims.exp, 0).map(|t| t.naive_utc()).unwrap_or_default();
        WhoAmI {
            username: c.claims.sub.clone(),
            role: c.claims.role.key().to_owned(),
            city_code: c.claims.city_code.clone(),
            company_code: c.claims.company_code.clone(),
            expires_at: format_local(exp),
            must_change_password: c.must_change_password,
        }
    }
}

/// Body of `PUT /api/v1/session/password`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PasswordBody {
    /// The current password.
    pub old_password: String,
    /// The new one (at least 10 characters, 3 of 4 classes, not the username, none of the last 5).
    pub new_password: String,
}

fn bad_credentials() -> ApiError {
    ApiError::account(Code::BadCredentials, "用户名或密码错误 / wrong username or password")
}

fn locked(until: chrono::NaiveDateTime) -> ApiError {
    ApiError::account(
        Code::AccountLocked,
        format!("登录失败次数过多，账户锁定至 {} / too many failed sign-ins: locked until then", format_local(until)),
    )
}

/// Signs in: sets the session cookie. 401 `bad_credentials`, 423 `account_locked` (also for an unknown name after as
/// many failures, so names cannot be probed). A password that must be changed is said in the answer; every other
/// route then answers 403 `password_change_required` until it is.
#[utoipa::path(tag = "session", request_body = SignInBody, responses(
    (status = 200, description = "signed in; the cookie is set", body = WhoAmI),
    (status = 400, description = "not a JSON body with username and password", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "`bad_credentials`", body = Problem, content_type = "application/problem+json"),
    (status = 423, description = "`account_locked`", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/session")]
pub async fn sign_in(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<SignInBody>,
) -> ApiResult<HttpResponse> {
    let SignInBody { username, password } = body.into_inner();
    req.extensions_mut().insert(AuditActor(username.clone()));
    let (now, rules) = (state.clock.now_utc(), state.rules().await?);
    let policy = rules.passwords();
    let name = username.clone();
    let outcome = state.db(move |c| storage::sign_in::attempt(c, &name, &password, &policy, now)).await?;
    let (account, must_change) = match outcome {
        SignIn::Accepted { account, must_change } => (account, must_change),
        SignIn::Locked { until } => return Err(locked(until)),
        SignIn::Disabled => return Err(bad_credentials()),
        SignIn::Rejected { failures: 0 } => return Err(unknown_name(&state, &policy, &username, now)),
        SignIn::Rejected { .. } => return Err(bad_credentials()),
    };
    let (secret, started) = open(&state, account.username.clone(), now).await?;
    let role = domain::account::AccountRole::parse(&account.role).map_err(|e| ApiError::Internal(e.to_string()))?;
    let who = WhoAmI {
        username: account.username.clone(),
        role: crate::auth::Role::of_account(role).key().to_owned(),
        city_code: account.city_code.clone(),
        company_code: account.company_code.clone(),
        expires_at: format_local(started.expires_at),
        must_change_password: must_change,
    };
    Ok(HttpResponse::Ok().cookie(session::cookie(&secret, &state.sessions, false)).json(who))
}

/// Starts a session for an account that has just proved who it is (a password, or the identity provider); returns
/// the cookie secret and the stored session.
pub(crate) async fn open(
    state: &AppState,
    username: String,
    now: chrono::NaiveDateTime,
) -> ApiResult<(String, storage::sessions::SessionRow)> {
    let secret = session::new_secret();
    let (key, absolute) = (secret.clone(), state.rules().await?.absolute());
    let started = state.db(move |c| storage::sessions::start(c, &key, &username, now, absolute)).await?;
    Ok((secret, started))
}

/// How many unknown names' failure counts are kept before the ones not locked are forgotten.
pub const UNKNOWN_NAMES_KEPT: usize = 10_000;

/// An unknown name fails like a real account: `bad_credentials` until as many failures as lock one, then
/// `account_locked` for as long.
fn unknown_name(state: &AppState, p: &PasswordPolicy, username: &str, now: chrono::NaiveDateTime) -> ApiError {
    let mut map = state.sessions.unknown.lock();
    // Bounded: random names from the internet must not grow it without end; live lockouts are kept.
    if map.len() >= UNKNOWN_NAMES_KEPT {
        map.retain(|_, (_, until)| until.is_some_and(|u| u > now));
    }
    let entry = map.entry(username.to_owned()).or_insert((0, None));
    if let Some(until) = entry.1.filter(|u| *u > now) {
        return locked(until);
    }
    if entry.1.is_some() {
        *entry = (0, None);
    }
    entry.0 += 1;
    if entry.0 >= p.lock_after {
        let until = now + p.lock_for;
        entry.1 = Some(until);
        return locked(until);
    }
    bad_credentials()
}

/// Who is signed in (a token's holder too).
#[utoipa::path(tag = "session", security(("bearer" = [])), responses(
    (status = 200, description = "the caller", body = WhoAmI),
    NotSignedIn,
    (status = 403, description = "refused by the access policy", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/session")]
pub async fn who_am_i(caller: Caller) -> ApiResult<web::Json<WhoAmI>> {
    Ok(web::Json(WhoAmI::of(&caller)))
}

/// Signs out: ends the session and removes the cookie.
#[utoipa::path(tag = "session", security(("bearer" = [])), responses(
    (status = 204, description = "signed out"),
    NotSignedIn,
    (status = 403, description = "`csrf`: the X-Requested-With header is missing", body = Problem, content_type = "application/problem+json"),
))]
#[delete("/api/v1/session")]
pub async fn sign_out(req: HttpRequest, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    if let Some(secret) = req.cookie(COOKIE).map(|c| c.value().to_owned()) {
        let now = state.clock.now_utc();
        state.db(move |c| storage::sessions::end(c, &secret, now)).await?;
    }
    Ok(HttpResponse::NoContent().cookie(session::cookie("", &state.sessions, true)).finish())
}

/// Changes the signed-in person's password; the person's other sessions end.
#[utoipa::path(tag = "session", request_body = PasswordBody, security(("bearer" = [])), responses(
    (status = 204, description = "changed"),
    (status = 400, description = "not a JSON body with oldPassword and newPassword", body = Problem, content_type = "application/problem+json"),
    (status = 401, description = "not signed in, or the old password is wrong (`bad_credentials`)", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "a token, not a person; or `csrf`", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`weak_password`", body = Problem, content_type = "application/problem+json"),
))]
#[put("/api/v1/session/password")]
pub async fn change_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<PasswordBody>,
) -> ApiResult<HttpResponse> {
    if !caller.session {
        return Err(ApiError::Forbidden("令牌没有密码 / a token has no password: sign in as a person".into()));
    }
    let PasswordBody { old_password, new_password } = body.into_inner();
    let (now, policy) = (state.clock.now_utc(), state.rules().await?.passwords());
    let user = caller.claims.sub.clone();
    let keep = req.cookie(COOKIE).map(|c| c.value().to_owned());
    let result = state
        .db(move |c| {
            let Some(a) = storage::accounts::get(c, &user)? else { return Ok(Err(bad_credentials())) };
            if !storage::passwords::verify(&old_password, &a.password_hash) {
                return Ok(Err(bad_credentials()));
            }
            match storage::accounts::set_password(c, &user, &new_password, false, &policy, now) {
                Ok(()) => {}
                Err(AccountError::Weak(w)) => return Ok(Err(ApiError::account(Code::WeakPassword, w.message))),
                Err(AccountError::Storage(e)) => return Err(e),
                Err(other) => return Ok(Err(ApiError::Internal(other.to_string()))),
            }
            storage::sessions::end_all(c, &user, keep.as_deref(), now)?;
            Ok(Ok(()))
        })
        .await?;
    result?;
    Ok(HttpResponse::NoContent().finish())
}
