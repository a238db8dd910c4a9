//! People's sign-in sessions (issue 20). A session is known by the SHA-256 of its cookie secret; it ends at
//! sign-out, after the idle timeout (no request for that long) or at its absolute end, whichever comes first.

use crate::schema::sessions;
use crate::{DbConnection, Result};
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

/// A stored session.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    /// SHA-256 of the cookie secret, lowercase hex.
    pub id_hash: String,
    /// Whose.
    pub username: String,
    /// When it began (UTC).
    pub created_at: NaiveDateTime,
    /// The last request made with it (UTC).
    pub last_seen: NaiveDateTime,
    /// Its absolute end (UTC).
    pub expires_at: NaiveDateTime,
    /// When it was ended (sign-out, password change elsewhere), if it was.
    pub ended_at: Option<NaiveDateTime>,
}

/// The stored key of a cookie secret.
pub fn id_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Starts a session for a cookie secret.
pub fn start(
    conn: &mut DbConnection,
    secret: &str,
    username: &str,
    now: NaiveDateTime,
    absolute: TimeDelta,
) -> Result<SessionRow> {
    let row = SessionRow {
        id_hash: id_hash(secret),
        username: username.to_owned(),
        created_at: now,
        last_seen: now,
        expires_at: now + absolute,
        ended_at: None,
    };
    diesel::insert_into(sessions::table).values(&row).execute(conn)?;
    Ok(row)
}

/// The live session of a cookie secret at `now`, its `last_seen` moved to `now`; `None` when unknown, ended, idle
/// for `idle` or more, or past its absolute end.
pub fn touch(conn: &mut DbConnection, secret: &str, now: NaiveDateTime, idle: TimeDelta) -> Result<Option<SessionRow>> {
    let key = id_hash(secret);
    let found: Option<SessionRow> =
        sessions::table.find(&key).select(SessionRow::as_select()).first(conn).optional()?;
    let Some(s) = found.filter(|s| s.ended_at.is_none() && now - s.last_seen < idle && now < s.expires_at) else {
        return Ok(None);
    };
    diesel::update(sessions::table.find(&key)).set(sessions::last_seen.eq(now)).execute(conn)?;
    Ok(Some(SessionRow { last_seen: now, ..s }))
}

/// Ends one session (sign-out).
pub fn end(conn: &mut DbConnection, secret: &str, now: NaiveDateTime) -> Result<bool> {
    let n = diesel::update(sessions::table.find(id_hash(secret)).filter(sessions::ended_at.is_null()))
        .set(sessions::ended_at.eq(Some(now)))
        .execute(conn)?;
    Ok(n > 0)
}

/// Ends every session of a person but one (after a password change, or all when `keep` is `None`).
pub fn end_all(conn: &mut DbConnection, username: &str, keep: Option<&str>, now: NaiveDateTime) -> Result<usize> {
    let keep = keep.map(id_hash).unwrap_or_default();
    Ok(diesel::update(
        sessions::table
            .filter(sessions::username.eq(username))
            .filter(sessions::ended_at.is_null())
            .filter(sessions::id_hash.ne(keep)),
    )
    .set(sessions::ended_at.eq(Some(now)))
    .execute(conn)?)
}

/// How many sessions of a person have not been ended (some may have expired without a request since).
pub fn open_count(conn: &mut DbConnection, username: &str) -> Result<i64> {
    Ok(sessions::table
        .filter(sessions::username.eq(username))
        .filter(sessions::ended_at.is_null())
        .count()
        .get_result(conn)?)
}
