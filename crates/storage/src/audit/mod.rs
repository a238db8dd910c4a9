//! The tamper-evident audit trail: every request to `/api/v1/*` and every registry change made with the CLI, one
//! row each, chained by SHA-256 (see [`chain`] for the exact bytes). Rows are only ever appended, in one write
//! transaction per call, each getting the next `seq` and the previous row's hash.

pub mod chain;
mod query;
mod verify;

use crate::backend::db_run;
use crate::lock::{LockKey, xact_lock};
use crate::schema::audit_log;
use crate::tx::write_transaction;
use crate::{DbConnection, Result};
use chrono::{NaiveDateTime, TimeDelta, Timelike};
use diesel::prelude::*;

pub use chain::GENESIS;
pub use query::{AuditFilter, AuditPage, list};
pub use verify::{VerifyReport, verify, verify_in_batches};

/// A row to append: everything but `seq` and the hashes, which [`append`] assigns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuditRow {
    /// When (UTC); kept to the microsecond.
    pub at: NaiveDateTime,
    /// The token's `sub`, `-` without a valid token, `cli` for the command line.
    pub actor: String,
    /// The token's role; `None` without a valid token.
    pub role: Option<String>,
    /// A city code or company code; `None` for unscoped roles.
    pub scope: Option<String>,
    /// The HTTP method (`CLI` for the command line).
    pub method: String,
    /// The matched route pattern, e.g. `/api/v1/reports/{id}`.
    pub route: String,
    /// The actual path.
    pub path: String,
    /// The query string (empty when none).
    pub query: String,
    /// The HTTP status.
    pub status: i32,
    /// `ok`, `denied`, `unauthorized`, `rejected` or `error`.
    pub outcome: String,
    /// What the handler added, as JSON text.
    pub detail: Option<String>,
    /// The client address.
    pub client: Option<String>,
}

/// A stored row of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    /// The sequence number: 1, 2, 3… without gaps.
    pub seq: i64,
    /// See [`NewAuditRow::at`].
    pub at: NaiveDateTime,
    /// See [`NewAuditRow::actor`].
    pub actor: String,
    /// See [`NewAuditRow::role`].
    pub role: Option<String>,
    /// See [`NewAuditRow::scope`].
    pub scope: Option<String>,
    /// See [`NewAuditRow::method`].
    pub method: String,
    /// See [`NewAuditRow::route`].
    pub route: String,
    /// See [`NewAuditRow::path`].
    pub path: String,
    /// See [`NewAuditRow::query`].
    pub query: String,
    /// See [`NewAuditRow::status`].
    pub status: i32,
    /// See [`NewAuditRow::outcome`].
    pub outcome: String,
    /// See [`NewAuditRow::detail`].
    pub detail: Option<String>,
    /// See [`NewAuditRow::client`].
    pub client: Option<String>,
    /// The previous row's hash ([`GENESIS`] for the first row).
    pub prev_hash: String,
    /// This row's hash (see [`chain`]).
    pub hash: String,
}

impl AuditRow {
    /// The fields the hash covers.
    pub fn hashed(&self) -> chain::Hashed<'_> {
        chain::Hashed {
            seq: self.seq,
            at: self.at,
            actor: &self.actor,
            role: self.role.as_deref(),
            scope: self.scope.as_deref(),
            method: &self.method,
            route: &self.route,
            path: &self.path,
            query: &self.query,
            status: self.status,
            outcome: &self.outcome,
            detail: self.detail.as_deref(),
            client: self.client.as_deref(),
        }
    }
}

/// The time truncated to microseconds (what both backends keep).
fn to_micros(at: NaiveDateTime) -> NaiveDateTime {
    at - TimeDelta::nanoseconds(i64::from(at.nanosecond() % 1000))
}

/// Appends rows in one write transaction, chaining each to the previous one. On PostgreSQL the table is locked
/// against other appenders for the transaction (readers are not blocked), so that two processes cannot both take
/// the same `seq`; SQLite's `BEGIN IMMEDIATE` already admits one writer.
pub fn append(conn: &mut DbConnection, rows: &[NewAuditRow]) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    write_transaction(conn, |c| {
        xact_lock(c, LockKey::Table("audit_log"))?;
        let last: Option<(i64, String)> = audit_log::table
            .select((audit_log::seq, audit_log::hash))
            .order(audit_log::seq.desc())
            .first(c)
            .optional()?;
        let (mut seq, mut prev) = last.unwrap_or_else(|| (0, GENESIS.to_owned()));
        let mut stored = Vec::with_capacity(rows.len());
        for r in rows {
            seq += 1;
            let mut row = AuditRow {
                seq,
                at: to_micros(r.at),
                actor: r.actor.clone(),
                role: r.role.clone(),
                scope: r.scope.clone(),
                method: r.method.clone(),
                route: r.route.clone(),
                path: r.path.clone(),
                query: r.query.clone(),
                status: r.status,
                outcome: r.outcome.clone(),
                detail: r.detail.clone(),
                client: r.client.clone(),
                prev_hash: prev,
                hash: String::new(),
            };
            row.hash = chain::row_hash(&row.prev_hash, &row.hashed());
            prev = row.hash.clone();
            stored.push(row);
        }
        for chunk in stored.chunks(100) {
            db_run!(c: c => diesel::insert_into(audit_log::table).values(chunk).execute(c)?);
        }
        Ok(())
    })
}
