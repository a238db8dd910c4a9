//! Revoked tokens, by `jti`. Revoking is idempotent: revoking an id again keeps the first row (its reason and time).
//! The API's verifier holds the ids in memory and reloads them from here.

use crate::schema::revoked_tokens;
use crate::{DbConnection, Result};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A revoked token.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = revoked_tokens)]
pub struct Revocation {
    /// The token's `jti`.
    pub jti: String,
    /// Why it was revoked.
    pub reason: String,
    /// Who revoked it (a token subject, or `cli` for `dualprev token revoke`).
    pub revoked_by: String,
    /// When (UTC).
    pub revoked_at: NaiveDateTime,
    /// The token's expiry (UTC) when known; the row can be pruned after it.
    pub expires_at: Option<NaiveDateTime>,
}

/// Revokes a token; `false` when it was already revoked (the stored row is kept).
pub fn revoke(conn: &mut DbConnection, r: &Revocation) -> Result<bool> {
    crate::tx::write_transaction(conn, |conn| {
        let exists: i64 = revoked_tokens::table.filter(revoked_tokens::jti.eq(&r.jti)).count().get_result(conn)?;
        if exists > 0 {
            return Ok(false);
        }
        diesel::insert_into(revoked_tokens::table).values(r).execute(conn)?;
        Ok(true)
    })
}

/// The revocation of one token id, if any.
pub fn get(conn: &mut DbConnection, jti: &str) -> Result<Option<Revocation>> {
    Ok(revoked_tokens::table
        .filter(revoked_tokens::jti.eq(jti))
        .select(Revocation::as_select())
        .first(conn)
        .optional()?)
}

/// Every revocation, newest first.
pub fn list(conn: &mut DbConnection) -> Result<Vec<Revocation>> {
    Ok(revoked_tokens::table
        .select(Revocation::as_select())
        .order((revoked_tokens::revoked_at.desc(), revoked_tokens::jti.asc()))
        .load(conn)?)
}

/// The ids still worth refusing at `now`: those whose expiry is unknown or not yet past.
pub fn active_ids(conn: &mut DbConnection, now: NaiveDateTime) -> Result<Vec<String>> {
    Ok(revoked_tokens::table
        .filter(revoked_tokens::expires_at.is_null().or(revoked_tokens::expires_at.gt(now)))
        .select(revoked_tokens::jti)
        .load(conn)?)
}
