//! The rules of `/api/v1/users` beside the handlers: what a username, a role and a scope may be, how a change is
//! applied, and how a refused change is answered.

use super::user_dto::UserPatch;
use crate::error::ApiError;
use chrono::NaiveDateTime;
use domain::account::{AccountRole, AccountState, PasswordPolicy};
use domain::{City, Code, CompanyCode};
use storage::DbConnection;
use storage::account_admin::{self, Profile};
use storage::accounts::{self, AccountError};

/// A username: 3 to 32 of `a-z A-Z 0-9 . _ -` (422 `bad_username`).
pub fn check_username(u: &str) -> Result<(), ApiError> {
    let ok =
        (3..=32).contains(&u.len()) && u.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(ApiError::unprocessable(
            Code::BadUsername,
            format!("用户名须为 3 至 32 个字母、数字或 . _ - / a username is 3 to 32 of a-z, 0-9, . _ -: {u:?}"),
        ))
    }
}

/// A business role (`province`, `city`, `enterprise`); administrators are made with the CLI only (422).
pub fn business_role(s: &str) -> Result<AccountRole, ApiError> {
    let role = AccountRole::parse(s).map_err(|e| ApiError::unprocessable(Code::BadRole, e.to_string()))?;
    if role.is_admin() { Err(admin_by_cli()) } else { Ok(role) }
}

/// The answer to an administrator role asked of the API.
pub fn admin_by_cli() -> ApiError {
    ApiError::unprocessable(
        Code::AdminRoleByCli,
        "管理员账号只能在服务器上用 dualprev user add 建立 / administrator accounts are made on the server with dualprev user add",
    )
}

/// A scope as given: a known city code and a well-formed company code (422 `unknown_city`, `bad_company_code`).
pub fn scope(city: Option<String>, company: Option<String>) -> Result<(Option<String>, Option<String>), ApiError> {
    let city = city.filter(|c| !c.trim().is_empty());
    let company = company.filter(|c| !c.trim().is_empty());
    if let Some(c) = &city {
        City::from_code(c.trim()).map_err(|e| ApiError::unprocessable(e.code(), e.to_string()))?;
    }
    if let Some(c) = &company {
        CompanyCode::parse(c.trim()).map_err(|e| ApiError::unprocessable(e.code(), e.to_string()))?;
    }
    Ok((city.map(|c| c.trim().to_owned()), company.map(|c| c.trim().to_owned())))
}

/// No such account (404).
pub fn not_found(username: &str) -> ApiError {
    ApiError::NotFound(format!("没有该用户 / no account {username:?}"))
}

/// The answer to a refused account change.
pub fn account_error(e: AccountError) -> ApiError {
    match e {
        AccountError::Weak(w) => ApiError::account(Code::WeakPassword, w.message),
        AccountError::Taken(u) => {
            ApiError::account(Code::UsernameTaken, format!("用户名已存在 / the username {u:?} is taken"))
        }
        AccountError::Unknown(u) => not_found(&u),
        AccountError::BadScope(m) => ApiError::unprocessable(Code::BadScope, m),
        AccountError::Storage(e) => ApiError::Storage(e),
    }
}

/// Applies a change the caller may make, in the order: profile, state, password, role and scope, confirmation,
/// unlock.
#[expect(clippy::too_many_arguments, reason = "one change, spelled out as the handler checked it")]
pub fn apply(
    c: &mut DbConnection,
    user: &str,
    p: &UserPatch,
    role: Option<(AccountRole, Option<String>, Option<String>)>,
    state: Option<AccountState>,
    temporary: Option<&str>,
    now: NaiveDateTime,
    policy: &PasswordPolicy,
) -> Result<(), AccountError> {
    let email = p.email.as_ref().map(|e| Some(e.trim().to_owned()).filter(|e| !e.is_empty()));
    let profile = Profile { display_name: p.display_name.as_ref().map(|n| n.trim().to_owned()), email };
    account_admin::set_profile(c, user, &profile, now)?;
    if let Some(s) = state {
        accounts::set_state(c, user, s, now)?;
    }
    if let Some(pw) = temporary {
        accounts::set_password(c, user, pw, true, policy, now)?;
    }
    if let Some((r, city, company)) = role {
        account_admin::set_role(c, user, r, city, company, now)?;
    }
    if p.confirm {
        account_admin::confirm(c, user, now)?;
    }
    if p.unlock {
        accounts::unlock(c, user, now)?;
    }
    Ok(())
}
