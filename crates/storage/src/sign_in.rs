//! Checking a person's password (issue 20): a disabled account never signs in, a locked one not until its lockout
//! ends, and [`PasswordPolicy::lock_after`] failures in a row lock it for [`PasswordPolicy::lock_for`]. The session
//! layer answers `bad_credentials` or `account_locked`; it must answer an unknown name like a locked one after the
//! same failures, so that names cannot be probed.

use crate::accounts::{AccountRow, get};
use crate::passwords;
use crate::schema::accounts;
use crate::tx::write_transaction;
use crate::{DbConnection, Result};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::account::{AccountState, PasswordPolicy};

/// How a sign-in attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignIn {
    /// The password matched: the account (its failures forgotten, `last_sign_in` set). `must_change` when the
    /// password is new (first sign-in, reset) or older than the policy allows.
    Accepted {
        /// The account.
        account: Box<AccountRow>,
        /// The password must be changed before anything else.
        must_change: bool,
    },
    /// Wrong password (or no such account): `failures` in a row now.
    Rejected {
        /// Failures in a row, this one included (0 for an unknown name).
        failures: u32,
    },
    /// Locked until this moment (UTC), whatever the password.
    Locked {
        /// When the lockout ends.
        until: NaiveDateTime,
    },
    /// Turned off by an administrator, or made and not yet confirmed (`pending`).
    Disabled,
}

/// Checks a password at `now`, counting failures and locking as the policy says.
pub fn attempt(
    conn: &mut DbConnection,
    username: &str,
    password: &str,
    policy: &PasswordPolicy,
    now: NaiveDateTime,
) -> Result<SignIn> {
    let Some(a) = get(conn, username)? else {
        return Ok(SignIn::Rejected { failures: 0 });
    };
    if a.state != AccountState::Active.key() {
        return Ok(SignIn::Disabled);
    }
    if let Some(until) = a.locked_until.filter(|u| *u > now) {
        return Ok(SignIn::Locked { until });
    }
    // Argon2 takes tens of milliseconds: verified outside the write transaction.
    if passwords::verify(password, &a.password_hash) {
        write_transaction(conn, |c| -> Result<()> {
            diesel::update(accounts::table.find(username))
                .set((
                    accounts::failed_attempts.eq(0),
                    accounts::locked_until.eq(None::<NaiveDateTime>),
                    accounts::last_sign_in.eq(Some(now)),
                ))
                .execute(c)?;
            Ok(())
        })?;
        let must_change = a.must_change_password || now - a.password_changed_at >= policy.max_age;
        let account = Box::new(AccountRow { failed_attempts: 0, locked_until: None, last_sign_in: Some(now), ..a });
        return Ok(SignIn::Accepted { account, must_change });
    }
    // An expired lockout starts the count again.
    let before = if a.locked_until.is_some() { 0 } else { u32::try_from(a.failed_attempts).unwrap_or(0) };
    let failures = before + 1;
    let lock = (failures >= policy.lock_after).then(|| now + policy.lock_for);
    write_transaction(conn, |c| -> Result<()> {
        diesel::update(accounts::table.find(username))
            .set((
                accounts::failed_attempts.eq(i32::try_from(failures).unwrap_or(i32::MAX)),
                accounts::locked_until.eq(lock),
            ))
            .execute(c)?;
        Ok(())
    })?;
    Ok(match lock {
        Some(until) => SignIn::Locked { until },
        None => SignIn::Rejected { failures },
    })
}

/// A sign-in vouched for by the province's identity provider (single sign-on): the active account of that name, its
/// `last_sign_in` set; `None` when no active account has the name. No password is involved, so the failure count and
/// a lockout are left as they are.
pub fn vouched(conn: &mut DbConnection, username: &str, now: NaiveDateTime) -> Result<Option<AccountRow>> {
    let Some(a) = get(conn, username)?.filter(|a| a.state == AccountState::Active.key()) else { return Ok(None) };
    write_transaction(conn, |c| -> Result<()> {
        diesel::update(accounts::table.find(username)).set(accounts::last_sign_in.eq(Some(now))).execute(c)?;
        Ok(())
    })?;
    Ok(Some(AccountRow { last_sign_in: Some(now), ..a }))
}
