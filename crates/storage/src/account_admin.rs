//! What administrators change on an account after it is made (issue 20, 三员分立): the system administrator its
//! name, e-mail and state; the security administrator its role and scope, its confirmation and its lockout. Which
//! administrator may change what is the API's rule (`api::routes::users`); this module applies a change.

use crate::accounts::{AccountError, NewAccount, check_scope, get};
use crate::schema::accounts;
use crate::{DbConnection, Result};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::account::{AccountRole, AccountState};

/// A change of name or e-mail (`None`: unchanged; `Some(None)`: e-mail removed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    /// The person's name.
    pub display_name: Option<String>,
    /// The e-mail.
    pub email: Option<Option<String>>,
}

/// Changes the name or e-mail.
pub fn set_profile(
    conn: &mut DbConnection,
    username: &str,
    p: &Profile,
    now: NaiveDateTime,
) -> std::result::Result<(), AccountError> {
    exists(conn, username)?;
    let row = accounts::table.find(username);
    if let Some(name) = &p.display_name {
        diesel::update(row).set((accounts::display_name.eq(name), accounts::updated_at.eq(now))).execute(conn)?;
    }
    if let Some(email) = &p.email {
        diesel::update(row).set((accounts::email.eq(email), accounts::updated_at.eq(now))).execute(conn)?;
    }
    Ok(())
}

/// Sets the role and scope (checked to fit: a city account has a city only, an enterprise account its company only).
pub fn set_role(
    conn: &mut DbConnection,
    username: &str,
    role: AccountRole,
    city_code: Option<String>,
    company_code: Option<String>,
    now: NaiveDateTime,
) -> std::result::Result<(), AccountError> {
    let probe = NewAccount {
        username: username.to_owned(),
        display_name: String::new(),
        role,
        city_code: city_code.clone(),
        company_code: company_code.clone(),
        email: None,
    };
    check_scope(&probe)?;
    exists(conn, username)?;
    diesel::update(accounts::table.find(username))
        .set((
            accounts::role.eq(role.key()),
            accounts::city_code.eq(city_code),
            accounts::company_code.eq(company_code),
            accounts::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Confirms a pending account: it may sign in from now on. False when it was not pending.
pub fn confirm(conn: &mut DbConnection, username: &str, now: NaiveDateTime) -> Result<bool> {
    let n = diesel::update(accounts::table.find(username).filter(accounts::state.eq(AccountState::Pending.key())))
        .set((accounts::state.eq(AccountState::Active.key()), accounts::updated_at.eq(now)))
        .execute(conn)?;
    Ok(n == 1)
}

/// Refuses an unknown account.
fn exists(conn: &mut DbConnection, username: &str) -> std::result::Result<(), AccountError> {
    match get(conn, username)? {
        Some(_) => Ok(()),
        None => Err(AccountError::Unknown(username.to_owned())),
    }
}
