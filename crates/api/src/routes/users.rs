//! People's accounts, administered with separated duties (三员分立, `docs/security.md`): the system administrator
//! makes accounts and changes their name, e-mail and state; the security administrator assigns roles and scopes,
//! confirms new accounts and unlocks. Neither changes their own account here, and administrators are made only with
//! `dualprev user add`. Every change is audited with the administrator as actor and the fields changed.

use super::user_dto::*;
use super::user_rules::*;
use crate::AppState;
use crate::audit::AuditDetail;
use crate::auth::{Caller, Role};
use crate::error::{ApiError, ApiResult, Problem};
use crate::error_doc::shared::NotSignedIn;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, get, patch, post, web};
use domain::Code;
use domain::account::{AccountRole, AccountState};
use storage::accounts::{self, AccountError, NewAccount};

/// Every account (system and security administrators).
#[utoipa::path(tag = "users", security(("bearer" = [])), responses(
    (status = 200, description = "accounts", body = UsersResponse),
    NotSignedIn,
    (status = 403, description = "not an account administrator", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/users")]
pub async fn list_users(state: web::Data<AppState>) -> ApiResult<web::Json<UsersResponse>> {
    let now = state.clock.now_utc();
    let rows = state.db(accounts::list).await?;
    Ok(web::Json(UsersResponse { rows: rows.iter().map(|a| AccountView::of(a, now)).collect() }))
}

/// Makes a business account (system administrator). It is `pending` until the security administrator confirms its
/// role and scope; the temporary password is answered once and must be changed at the first sign-in.
#[utoipa::path(tag = "users", request_body = NewUserBody, security(("bearer" = [])), responses(
    (status = 201, description = "made, pending confirmation", body = UserAnswer),
    NotSignedIn,
    (status = 403, description = "not the system administrator", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "`username_taken`", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`bad_username`, `admin_role_by_cli`, `bad_scope`, `unknown_city`, `bad_company_code`", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/users")]
pub async fn create_user(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<NewUserBody>,
) -> ApiResult<HttpResponse> {
    let b = body.into_inner();
    check_username(&b.username)?;
    let role = business_role(&b.role)?;
    let (city_code, company_code) = scope(b.city_code, b.company_code)?;
    let new = NewAccount {
        username: b.username.clone(),
        display_name: b.display_name.trim().to_owned(),
        role,
        city_code,
        company_code,
        email: b.email.filter(|e| !e.trim().is_empty()),
    };
    let (now, policy) = (state.clock.now_utc(), state.rules().await?.passwords());
    let password = storage::passwords::temporary(&new.username, &policy);
    let pw = password.clone();
    let made = state
        .db(move |c| Ok(accounts::create_in(c, &new, &pw, &policy, now, AccountState::Pending)))
        .await?
        .map_err(account_error)?;
    req.extensions_mut().insert(AuditDetail(serde_json::json!({
        "username": made.username, "role": made.role, "cityCode": made.city_code, "companyCode": made.company_code,
        "state": made.state,
    })));
    let answer = UserAnswer { account: AccountView::of(&made, now), temporary_password: Some(password) };
    Ok(HttpResponse::Created().json(answer))
}

/// Changes an account within the caller's duty (see [`UserPatch`]); a field of the other administrator's duty is
/// refused whole (403), nothing changed.
#[utoipa::path(tag = "users", request_body = UserPatch, params(("username" = String, Path, description = "the account")),
    security(("bearer" = [])), responses(
    (status = 200, description = "changed", body = UserAnswer),
    NotSignedIn,
    (status = 403, description = "a field of the other administrator's duty, or one's own account", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "no such account", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`no_change`, `bad_scope`, `admin_role_by_cli`, `confirm_required`, `not_pending`, `bad_enum`", body = Problem, content_type = "application/problem+json"),
))]
#[patch("/api/v1/users/{username}")]
pub async fn patch_user(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: web::Json<UserPatch>,
) -> ApiResult<web::Json<UserAnswer>> {
    let (username, p) = (path.into_inner(), body.into_inner());
    let (mine, theirs) = match caller.role() {
        Role::Sysadmin => (p.system_fields(), p.security_fields()),
        _ => (p.security_fields(), p.system_fields()),
    };
    if !theirs.is_empty() {
        let duty = if caller.role() == Role::Sysadmin {
            "安全管理员 / the security administrator"
        } else {
            "系统管理员 / the system administrator"
        };
        return Err(ApiError::Forbidden(format!(
            "{} 属于{duty}的职责 / is another administrator's duty",
            theirs.join("、")
        )));
    }
    if mine.is_empty() {
        return Err(ApiError::unprocessable(Code::NoChange, "没有要修改的内容 / nothing to change"));
    }
    if caller.claims.sub == username {
        return Err(ApiError::Forbidden(
            "管理员不能在此修改自己的账号 / administrators do not change their own account".into(),
        ));
    }
    let new_role = match &p.role {
        Some(r) => Some(business_role(r)?),
        None => None,
    };
    let (city_code, company_code) = scope(p.city_code.clone(), p.company_code.clone())?;
    let new_state = match p.state.as_deref() {
        Some("active") => Some(AccountState::Active),
        Some("disabled") => Some(AccountState::Disabled),
        Some(other) => {
            return Err(ApiError::unprocessable(
                Code::BadEnum,
                format!("state 只能是 active 或 disabled / state must be active or disabled: {other:?}"),
            ));
        }
        None => None,
    };
    let (now, policy) = (state.clock.now_utc(), state.rules().await?.passwords());
    let temporary = p.reset_password.then(|| storage::passwords::temporary(&username, &policy));
    let (user, pw, fields) = (username.clone(), temporary.clone(), mine.clone());
    let changed = state
        .db(move |c| {
            let Some(before) = accounts::get(c, &user)? else { return Ok(Err(not_found(&user))) };
            let role_before = AccountRole::parse(&before.role).map_err(|e| storage::StorageError::Corrupt(e.to_string()))?;
            if role_before.is_admin() && (new_role.is_some() || p.confirm) {
                return Ok(Err(admin_by_cli()));
            }
            if new_state == Some(AccountState::Active) && before.state == AccountState::Pending.key() {
                return Ok(Err(ApiError::unprocessable(Code::ConfirmRequired, "待确认的账号由安全管理员确认后启用 / a pending account is activated by the security administrator's confirmation")));
            }
            if p.confirm && before.state != AccountState::Pending.key() {
                return Ok(Err(ApiError::unprocessable(Code::NotPending, "该账号不是待确认状态 / the account is not pending")));
            }
            let result = apply(c, &user, &p, new_role.map(|r| (r, city_code, company_code)), new_state, pw.as_deref(), now, &policy);
            if let Err(e) = result {
                return match e {
                    AccountError::Storage(e) => Err(e),
                    other => Ok(Err(account_error(other))),
                };
            }
            Ok(Ok(accounts::get(c, &user)?))
        })
        .await??;
    let Some(after) = changed else { return Err(not_found(&username)) };
    req.extensions_mut().insert(AuditDetail(serde_json::json!({"username": username, "changed": fields,
        "role": after.role, "cityCode": after.city_code, "companyCode": after.company_code, "state": after.state})));
    Ok(web::Json(UserAnswer { account: AccountView::of(&after, now), temporary_password: temporary }))
}
