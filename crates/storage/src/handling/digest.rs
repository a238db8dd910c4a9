//! E-mail digests of notifications (issue 21): who has opted in, who is due a digest, and the claim that lets exactly
//! one of several workers send each digest.
//!
//! A person is due when their account is active, has `notify_email` on and an e-mail address, holds notifications
//! neither read nor mailed, and their last digest (`accounts.digest_at`) is at least `every` ago. A worker first
//! [`claim`]s the digest (a conditional `UPDATE` of `digest_at`: only the worker whose update changed the row sends),
//! then sends, then [`mark_emailed`]; a failed send is [`release`]d so that the next pass tries again.

use super::notify::NotificationRow;
use crate::schema::{accounts, notifications};
use crate::{DbConnection, Result};
use chrono::{NaiveDateTime, TimeDelta};
use diesel::dsl::exists;
use diesel::prelude::*;

/// A person due a digest.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Due {
    /// The account.
    pub username: String,
    /// The person's name.
    pub display_name: String,
    /// Where the digest goes.
    pub email: String,
    /// When the last digest was sent (`None`: never), for [`release`].
    pub digest_at: Option<NaiveDateTime>,
}

/// What one digest carries: the oldest unread, unmailed notifications (at most the limit asked for), how many there
/// are in all, and the highest id among them (the bound of [`mark_emailed`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// The notifications listed, oldest first.
    pub rows: Vec<NotificationRow>,
    /// How many unread, unmailed notifications there are (may exceed `rows.len()`).
    pub total: i64,
    /// The highest id of them all (0 when there are none).
    pub up_to_id: i64,
}

/// Turns e-mail digests on or off for an account; returns `false` when there is no such account.
pub fn set_notify_email(conn: &mut DbConnection, username: &str, on: bool) -> Result<bool> {
    let n = diesel::update(accounts::table.find(username)).set(accounts::notify_email.eq(on)).execute(conn)?;
    Ok(n == 1)
}

/// Whether an account receives e-mail digests (`false` when there is no such account).
pub fn notify_email(conn: &mut DbConnection, username: &str) -> Result<bool> {
    let on: Option<bool> = accounts::table.find(username).select(accounts::notify_email).first(conn).optional()?;
    Ok(on.unwrap_or(false))
}

/// The people due a digest at `now` when digests go out at most every `every`, by username.
pub fn due(conn: &mut DbConnection, now: NaiveDateTime, every: TimeDelta) -> Result<Vec<Due>> {
    let since = now - every;
    let waiting = notifications::table
        .filter(notifications::username.eq(accounts::username))
        .filter(notifications::emailed_at.is_null())
        .filter(notifications::read_at.is_null());
    let rows: Vec<(String, String, Option<String>, Option<NaiveDateTime>)> = accounts::table
        .filter(accounts::state.eq("active"))
        .filter(accounts::notify_email.eq(true))
        .filter(accounts::email.is_not_null().and(accounts::email.ne("")))
        .filter(accounts::digest_at.is_null().or(accounts::digest_at.le(since)))
        .filter(exists(waiting))
        .order(accounts::username.asc())
        .select((accounts::username, accounts::display_name, accounts::email, accounts::digest_at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(username, display_name, email, digest_at)| {
            let email = email?.trim().to_owned();
            (!email.is_empty()).then_some(Due { username, display_name, email, digest_at })
        })
        .collect())
}

/// Claims a person's digest at `now`: sets `digest_at` to `now` unless a digest was sent (or claimed) less than
/// `every` ago. Returns whether this call changed the row — only then may the caller send.
pub fn claim(conn: &mut DbConnection, username: &str, now: NaiveDateTime, every: TimeDelta) -> Result<bool> {
    let since = now - every;
    let n = diesel::update(
        accounts::table.find(username).filter(accounts::digest_at.is_null().or(accounts::digest_at.le(since))),
    )
    .set(accounts::digest_at.eq(now))
    .execute(conn)?;
    Ok(n == 1)
}

/// The unread, unmailed notifications of a person, oldest first, at most `limit` of them listed.
pub fn pending(conn: &mut DbConnection, username: &str, limit: i64) -> Result<Pending> {
    let mine = || {
        notifications::table
            .filter(notifications::username.eq(username))
            .filter(notifications::emailed_at.is_null())
            .filter(notifications::read_at.is_null())
    };
    let rows = mine().order(notifications::id.asc()).limit(limit).select(NotificationRow::as_select()).load(conn)?;
    let total: i64 = mine().count().get_result(conn)?;
    let up_to_id: Option<i64> = mine().select(diesel::dsl::max(notifications::id)).first(conn)?;
    Ok(Pending { rows, total, up_to_id: up_to_id.unwrap_or(0) })
}

/// Records that a digest sent at `now` carried a person's unread notifications numbered up to `up_to_id`; returns how
/// many were marked.
pub fn mark_emailed(conn: &mut DbConnection, username: &str, up_to_id: i64, now: NaiveDateTime) -> Result<usize> {
    Ok(diesel::update(
        notifications::table
            .filter(notifications::username.eq(username))
            .filter(notifications::id.le(up_to_id))
            .filter(notifications::emailed_at.is_null())
            .filter(notifications::read_at.is_null()),
    )
    .set(notifications::emailed_at.eq(now))
    .execute(conn)?)
}

/// Gives back a claim whose e-mail could not be sent: `digest_at` returns to `previous` if it still holds the claim
/// made at `claimed_at`, so that the next pass tries again. Returns whether it did.
pub fn release(
    conn: &mut DbConnection,
    username: &str,
    claimed_at: NaiveDateTime,
    previous: Option<NaiveDateTime>,
) -> Result<bool> {
    let n = diesel::update(accounts::table.find(username).filter(accounts::digest_at.eq(claimed_at)))
        .set(accounts::digest_at.eq(previous))
        .execute(conn)?;
    Ok(n == 1)
}
