//! Transaction-level locks that serialise writers on PostgreSQL ([`xact_lock`]). SQLite needs none: a write
//! transaction there starts with `BEGIN IMMEDIATE` ([`crate::tx::write_transaction`]), which admits one writer at a
//! time.
//!
//! Every key is the one earlier releases took, so that during a rolling upgrade an old and a new process still
//! exclude each other. (Leadership, [`crate::leader`], is a different lock: a session-level try-lock held by a
//! connection of its own for as long as the process leads, not for one transaction.)

use crate::DbConnection;
use diesel::RunQueryDsl;
use diesel::sql_types::{BigInt, Text};

/// What a transaction locks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockKey<'a> {
    /// An advisory lock with a fixed key: `pg_advisory_xact_lock(key)` (the change feed's appends,
    /// [`crate::events::LOCK_KEY`]).
    Fixed(i64),
    /// An advisory lock keyed by a name: `pg_advisory_xact_lock(hashtext(name))` (an enterprise's batches, a job
    /// run).
    Named(&'a str),
    /// A table against other writers, readers not blocked: `LOCK TABLE name IN SHARE ROW EXCLUSIVE MODE` (the audit
    /// trail's appends). The name is written into the statement, hence `'static`: never a value from outside.
    Table(&'static str),
}

/// Takes `key` until the end of the current transaction on PostgreSQL, waiting for any other holder; does nothing
/// on SQLite. Call it inside a transaction (outside one, PostgreSQL releases the lock at once).
pub fn xact_lock(conn: &mut DbConnection, key: LockKey<'_>) -> diesel::QueryResult<()> {
    // Backends differ: SQLite's write transaction already excludes every other writer.
    let DbConnection::Postgresql(pg) = conn else { return Ok(()) };
    // raw SQL: `pg_advisory_xact_lock` returns `void`, which diesel has no type for (cast to text, executed only),
    // and `LOCK TABLE` is not in diesel's DSL.
    match key {
        LockKey::Fixed(k) => {
            diesel::sql_query("SELECT pg_advisory_xact_lock($1)::text").bind::<BigInt, _>(k).execute(pg)
        }
        LockKey::Named(name) => {
            diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1))::text").bind::<Text, _>(name).execute(pg)
        }
        LockKey::Table(table) => {
            diesel::sql_query(format!("LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")).execute(pg)
        }
    }?;
    Ok(())
}
