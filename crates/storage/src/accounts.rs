//! People's accounts (issue 20): one role and scope each, Argon2id passwords with history, lockout after failed
//! sign-ins. The rules are `domain::account`; this module stores and applies them. No default account exists: the
//! first `sysadmin` is made with `dualprev user add`.

use crate::passwords;
use crate::schema::{accounts, password_history};
use crate::tx::write_transaction;
use crate::{DbConnection, Result, StorageError};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::account::{AccountRole, AccountState, PasswordPolicy, WeakPassword};

/// A stored account (never serialised as is: it holds the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = accounts)]
pub struct AccountRow {
    /// The sign-in name (unique).
    pub username: String,
    /// The person's name, e.g. 张三.
    pub display_name: String,
    /// The role key (`domain::account::AccountRole`).
    pub role: String,
    /// The city of a `city` account.
    pub city_code: Option<String>,
    /// The enterprise of an `enterprise` account.
    pub company_code: Option<String>,
    /// E-mail, when given.
    pub email: Option<String>,
    /// `active` or `disabled`.
    pub state: String,
    /// The Argon2id PHC string.
    pub password_hash: String,
    /// When the password was last set (UTC).
    pub password_changed_at: NaiveDateTime,
    /// The next sign-in must change the password (new accounts, resets).
    pub must_change_password: bool,
    /// Failed sign-ins in a row.
    pub failed_attempts: i32,
    /// Locked until this moment (UTC) after too many failures.
    pub locked_until: Option<NaiveDateTime>,
    /// The last successful sign-in (UTC).
    pub last_sign_in: Option<NaiveDateTime>,
    /// When the account was made (UTC).
    pub created_at: NaiveDateTime,
    /// When it last changed (UTC).
    pub updated_at: NaiveDateTime,
}

/// A new account: who, which role and scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    /// The sign-in name.
    pub username: String,
    /// The person's name.
    pub display_name: String,
    /// The role.
    pub role: AccountRole,
    /// The city of a `city` account.
    pub city_code: Option<String>,
    /// The enterprise of an `enterprise` account.
    pub company_code: Option<String>,
    /// E-mail.
    pub email: Option<String>,
}

impl NewAccount {
    /// An account of `role` without city, enterprise or e-mail.
    pub fn new(username: impl Into<String>, display_name: impl Into<String>, role: AccountRole) -> NewAccount {
        let (username, display_name) = (username.into(), display_name.into());
        NewAccount { username, display_name, role, city_code: None, company_code: None, email: None }
    }

    /// The same account in a city (a `city` account's scope).
    pub fn in_city(self, city: Option<&str>) -> NewAccount {
        NewAccount { city_code: city.map(str::to_owned), ..self }
    }
}

/// Why an account change was refused.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// The password breaks a rule.
    #[error("{}", .0.message)]
    Weak(WeakPassword),
    /// The username is taken.
    #[error("用户名已存在 / the username {0:?} is taken")]
    Taken(String),
    /// No such account.
    #[error("没有该用户 / no account {0:?}")]
    Unknown(String),
    /// The role and scope do not fit (a city account needs a city, and only it; an enterprise account its company).
    #[error("{0}")]
    BadScope(String),
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<diesel::result::Error> for AccountError {
    fn from(e: diesel::result::Error) -> Self {
        AccountError::Storage(e.into())
    }
}

fn hash(password: &str) -> std::result::Result<String, AccountError> {
    passwords::hash_any(password).map_err(|e| AccountError::Storage(StorageError::Corrupt(e)))
}

/// Checks that the scope fits the role.
pub(crate) fn check_scope(a: &NewAccount) -> std::result::Result<(), AccountError> {
    let ok = match a.role {
        AccountRole::City => a.city_code.is_some() && a.company_code.is_none(),
        AccountRole::Enterprise => a.company_code.is_some() && a.city_code.is_none(),
        _ => a.city_code.is_none() && a.company_code.is_none(),
    };
    if ok {
        Ok(())
    } else {
        Err(AccountError::BadScope(format!(
            "{}须{} / a {} account {}",
            a.role.label(),
            match a.role {
                AccountRole::City => "且只能指定城市",
                AccountRole::Enterprise => "且只能指定企业",
                _ => "不指定城市或企业",
            },
            a.role.key(),
            match a.role {
                AccountRole::City => "needs a city and nothing else",
                AccountRole::Enterprise => "needs an enterprise and nothing else",
                _ => "takes no city or enterprise",
            }
        )))
    }
}

/// Creates an active account whose password must be changed at its first sign-in.
pub fn create(
    conn: &mut DbConnection,
    a: &NewAccount,
    password: &str,
    policy: &PasswordPolicy,
    now: NaiveDateTime,
) -> std::result::Result<AccountRow, AccountError> {
    create_in(conn, a, password, policy, now, AccountState::Active)
}

/// Creates an account in a state (`pending` when the system administrator makes it through the API).
pub fn create_in(
    conn: &mut DbConnection,
    a: &NewAccount,
    password: &str,
    policy: &PasswordPolicy,
    now: NaiveDateTime,
    state: AccountState,
) -> std::result::Result<AccountRow, AccountError> {
    check_scope(a)?;
    policy.check(&a.username, password).map_err(AccountError::Weak)?;
    let row = AccountRow {
        username: a.username.clone(),
        display_name: a.display_name.clone(),
        role: a.role.key().to_owned(),
        city_code: a.city_code.clone(),
        company_code: a.company_code.clone(),
        email: a.email.clone(),
        state: state.key().to_owned(),
        password_hash: hash(password)?,
        password_changed_at: now,
        must_change_password: true,
        failed_attempts: 0,
        locked_until: None,
        last_sign_in: None,
        created_at: now,
        updated_at: now,
    };
    let created: bool = write_transaction(conn, |c| -> Result<bool> {
        if get(c, &row.username)?.is_some() {
            return Ok(false);
        }
        diesel::insert_into(accounts::table).values(&row).execute(c)?;
        remember(c, &row.username, now, &row.password_hash)?;
        Ok(true)
    })?;
    if created { Ok(row) } else { Err(AccountError::Taken(row.username)) }
}

fn remember(c: &mut DbConnection, username: &str, at: NaiveDateTime, hash: &str) -> Result<()> {
    diesel::insert_into(password_history::table)
        .values((
            password_history::username.eq(username),
            password_history::set_at.eq(at),
            password_history::password_hash.eq(hash),
        ))
        .execute(c)?;
    Ok(())
}

/// One account.
pub fn get(conn: &mut DbConnection, username: &str) -> Result<Option<AccountRow>> {
    Ok(accounts::table.find(username).select(AccountRow::as_select()).first(conn).optional()?)
}

/// Every account, by username.
pub fn list(conn: &mut DbConnection) -> Result<Vec<AccountRow>> {
    Ok(accounts::table.select(AccountRow::as_select()).order(accounts::username.asc()).load(conn)?)
}

/// Sets a new password, refused when it breaks a rule or repeats one of the last [`PasswordPolicy::history`]. A
/// reset by an administrator (`must_change`) makes the next sign-in change it again.
pub fn set_password(
    conn: &mut DbConnection,
    username: &str,
    password: &str,
    must_change: bool,
    policy: &PasswordPolicy,
    now: NaiveDateTime,
) -> std::result::Result<(), AccountError> {
    policy.check(username, password).map_err(AccountError::Weak)?;
    if get(conn, username)?.is_none() {
        return Err(AccountError::Unknown(username.to_owned()));
    }
    let recent: Vec<String> = password_history::table
        .filter(password_history::username.eq(username))
        .order(password_history::set_at.desc())
        .limit(i64::try_from(policy.history).unwrap_or(i64::MAX))
        .select(password_history::password_hash)
        .load(conn)?;
    if recent.iter().any(|h| passwords::verify(password, h)) {
        return Err(AccountError::Weak(policy.reused()));
    }
    let hashed = hash(password)?;
    write_transaction(conn, |c| {
        diesel::update(accounts::table.find(username))
            .set((
                accounts::password_hash.eq(&hashed),
                accounts::password_changed_at.eq(now),
                accounts::must_change_password.eq(must_change),
                accounts::updated_at.eq(now),
            ))
            .execute(c)?;
        remember(c, username, now, &hashed)
    })?;
    Ok(())
}

/// Turns an account on or off.
pub fn set_state(
    conn: &mut DbConnection,
    username: &str,
    state: AccountState,
    now: NaiveDateTime,
) -> std::result::Result<(), AccountError> {
    let n = diesel::update(accounts::table.find(username))
        .set((accounts::state.eq(state.key()), accounts::updated_at.eq(now)))
        .execute(conn)?;
    if n == 0 { Err(AccountError::Unknown(username.to_owned())) } else { Ok(()) }
}

/// Ends a lockout and forgets the failures.
pub fn unlock(conn: &mut DbConnection, username: &str, now: NaiveDateTime) -> std::result::Result<(), AccountError> {
    let n = diesel::update(accounts::table.find(username))
        .set((
            accounts::failed_attempts.eq(0),
            accounts::locked_until.eq(None::<NaiveDateTime>),
            accounts::updated_at.eq(now),
        ))
        .execute(conn)?;
    if n == 0 { Err(AccountError::Unknown(username.to_owned())) } else { Ok(()) }
}
