//! The change feed: an ordered log of events that consumers read by cursor (`seq`).
//!
//! **Gap-free as seen by readers.** On PostgreSQL, concurrent transactions may commit sequence numbers out of order,
//! so a reader could see seq 7 before seq 6 commits and then skip 6 for ever. Every append therefore takes one
//! transaction-level advisory lock ([`LOCK_KEY`]) *before* it draws its seq: appenders are serialised until commit,
//! so seqs become visible in increasing order, and a reader that sees seq n has seen every smaller seq that will
//! ever exist (a rolled-back append leaves a hole that never fills, which readers never wait for). SQLite has a single
//! writer anyway. Appends are meant to sit at the end of the writer's transaction, so the lock is held only until
//! its commit.

use crate::DbConnection;
use crate::lock::{LockKey, xact_lock};
use crate::schema::{event_horizon, events};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::CompanyCode;

/// The key of the advisory lock every append takes on PostgreSQL ("dualprev events" as a number).
pub const LOCK_KEY: i64 = 0x6475_616c_6576;

/// An event to append.
#[derive(Debug, Clone, PartialEq, Eq, Insertable)]
#[diesel(table_name = events)]
pub struct NewEvent {
    /// When it happened (UTC).
    pub at: NaiveDateTime,
    /// `batch.stored`, `figure.changed`, `evaluation.published`, `warning.opened`, `warning.closed`,
    /// `report.frozen` or `report.revised`.
    pub kind: String,
    /// The city it concerns; `None` for province-wide events.
    pub city_code: Option<String>,
    /// The enterprise it concerns; `None` when it carries no enterprise detail.
    pub company_code: Option<String>,
    /// The event's data, JSON text.
    pub payload: String,
}

impl NewEvent {
    /// An event of now with a JSON payload.
    pub fn new(
        kind: &str,
        city_code: Option<&str>,
        company_code: Option<&CompanyCode>,
        payload: &serde_json::Value,
        at: NaiveDateTime,
    ) -> NewEvent {
        NewEvent {
            at,
            kind: kind.to_owned(),
            city_code: city_code.map(str::to_owned),
            company_code: company_code.map(CompanyCode::to_string),
            payload: payload.to_string(),
        }
    }
}

/// A stored event.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = events)]
pub struct EventRow {
    /// The cursor.
    pub seq: i64,
    /// When it happened (UTC).
    pub at: NaiveDateTime,
    /// Its kind.
    pub kind: String,
    /// The city, or `None` (province-wide).
    pub city_code: Option<String>,
    /// The enterprise, or `None`.
    pub company_code: Option<String>,
    /// JSON text.
    pub payload: String,
}

/// Which events a reader may see.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Scope {
    /// Every event (province).
    #[default]
    All,
    /// A city: its own events and province-wide events without enterprise detail.
    City(String),
    /// An enterprise: its own events only.
    Company(String),
    /// Every event except these kinds (the service role: no batch-level detail).
    AllBut(Vec<String>),
}

/// Appends events inside the caller's transaction (a savepoint; call [`append_now`] outside one), taking the append
/// lock first on PostgreSQL. Returns the seq of the last event appended.
pub fn append(conn: &mut DbConnection, rows: &[NewEvent]) -> QueryResult<Option<i64>> {
    if rows.is_empty() {
        return Ok(None);
    }
    conn.transaction(|c| {
        xact_lock(c, LockKey::Fixed(LOCK_KEY))?;
        let mut last = None;
        for r in rows {
            last = Some(diesel::insert_into(events::table).values(r).returning(events::seq).get_result(c)?);
        }
        Ok(last)
    })
}

/// Appends events in a write transaction of their own (after the work they report has committed).
pub fn append_now(conn: &mut DbConnection, rows: &[NewEvent]) -> QueryResult<Option<i64>> {
    crate::tx::write_transaction(conn, |c| append(c, rows))
}

/// Up to `limit` events after `cursor` that `scope` may see, optionally of some kinds only, in cursor order.
pub fn after(
    conn: &mut DbConnection,
    cursor: i64,
    limit: i64,
    scope: &Scope,
    kinds: &[String],
) -> QueryResult<Vec<EventRow>> {
    let mut q = events::table.filter(events::seq.gt(cursor)).select(EventRow::as_select()).into_boxed();
    match scope {
        Scope::All => {}
        Scope::City(city) => {
            q = q.filter(
                events::city_code.eq(city.clone()).or(events::city_code.is_null().and(events::company_code.is_null())),
            );
        }
        Scope::Company(company) => q = q.filter(events::company_code.eq(company.clone())),
        Scope::AllBut(excluded) => q = q.filter(events::kind.ne_all(excluded.clone())),
    }
    if !kinds.is_empty() {
        q = q.filter(events::kind.eq_any(kinds.to_vec()));
    }
    q.order(events::seq.asc()).limit(limit.max(0)).load(conn)
}

/// One event by its seq.
pub fn get(conn: &mut DbConnection, seq: i64) -> QueryResult<Option<EventRow>> {
    events::table.find(seq).select(EventRow::as_select()).first(conn).optional()
}

/// The highest seq stored (0 when none).
pub fn last_seq(conn: &mut DbConnection) -> QueryResult<i64> {
    Ok(events::table.select(diesel::dsl::max(events::seq)).first::<Option<i64>>(conn)?.unwrap_or(0))
}

/// The highest seq removed by the retention prune (0 when nothing was): a cursor below it cannot be resumed.
pub fn pruned_through(conn: &mut DbConnection) -> QueryResult<i64> {
    Ok(event_horizon::table.select(event_horizon::pruned_through).first::<i64>(conn).optional()?.unwrap_or(0))
}

/// The oldest seq still stored, if any.
pub fn oldest_seq(conn: &mut DbConnection) -> QueryResult<Option<i64>> {
    events::table.select(diesel::dsl::min(events::seq)).first(conn)
}

/// Removes events older than `before`, always keeping the newest one (so seqs never restart), and records the
/// highest seq removed. Returns how many were removed.
pub fn prune(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    crate::tx::write_transaction(conn, |c| {
        let newest = last_seq(c)?;
        let through: Option<i64> = events::table
            .filter(events::at.lt(before).and(events::seq.lt(newest)))
            .select(diesel::dsl::max(events::seq))
            .first(c)?;
        let Some(through) = through else { return Ok(0) };
        let n = diesel::delete(events::table.filter(events::seq.le(through))).execute(c)?;
        diesel::update(event_horizon::table)
            .filter(event_horizon::pruned_through.lt(through))
            .set(event_horizon::pruned_through.eq(through))
            .execute(c)?;
        Ok(n)
    })
}
