//! The security policy's versions (issue 20): the security administrator stores a new version, every version is kept,
//! the highest is in force. Without any, `SecurityPolicy::default()` applies. A version holds the policy as its JSON
//! document (the API's shape).

use crate::lock::{LockKey, xact_lock};
use crate::schema::security_policy;
use crate::tx::write_transaction;
use crate::{DbConnection, Result, StorageError};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::security_policy::SecurityPolicy;

/// A stored version of the policy.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = security_policy)]
pub struct PolicyRow {
    /// 1, 2, 3… without gaps.
    pub version: i64,
    /// The policy as JSON (`passwordMinLength`, …).
    pub policy: String,
    /// The security administrator who stored it.
    pub set_by: String,
    /// When (UTC).
    pub set_at: NaiveDateTime,
}

impl PolicyRow {
    /// The policy this version holds; a document that does not parse is [`StorageError::Corrupt`].
    pub fn policy(&self) -> Result<SecurityPolicy> {
        serde_json::from_str(&self.policy)
            .map_err(|e| StorageError::Corrupt(format!("security policy version {}: {e}", self.version)))
    }
}

/// The version in force, if any was stored.
pub fn current(conn: &mut DbConnection) -> Result<Option<PolicyRow>> {
    Ok(security_policy::table
        .select(PolicyRow::as_select())
        .order(security_policy::version.desc())
        .first(conn)
        .optional()?)
}

/// The policy in force: the highest stored version, or the default.
pub fn in_force(conn: &mut DbConnection) -> Result<SecurityPolicy> {
    policy_of(current(conn)?.as_ref())
}

/// The policy a version holds, or the default when none is stored.
pub fn policy_of(version: Option<&PolicyRow>) -> Result<SecurityPolicy> {
    version.map_or(Ok(SecurityPolicy::default()), PolicyRow::policy)
}

/// Stores `p` (checked by the caller) as the next version; on PostgreSQL two writers take turns.
pub fn set(conn: &mut DbConnection, p: &SecurityPolicy, by: &str, now: NaiveDateTime) -> Result<PolicyRow> {
    let policy = serde_json::to_string(p).map_err(|e| StorageError::Corrupt(e.to_string()))?;
    write_transaction(conn, |c| {
        xact_lock(c, LockKey::Table("security_policy"))?;
        let last: Option<i64> = security_policy::table.select(diesel::dsl::max(security_policy::version)).first(c)?;
        let row = PolicyRow { version: last.unwrap_or(0) + 1, policy, set_by: by.to_owned(), set_at: now };
        crate::backend::db_run!(c: c => diesel::insert_into(security_policy::table).values(&row).execute(c)?);
        Ok(row)
    })
}
