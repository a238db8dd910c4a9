//! Write transactions that behave the same on both backends.

use crate::DbConnection;
use diesel::RunQueryDsl;
use diesel::connection::{AnsiTransactionManager, Connection, TransactionManager};
use diesel::sql_types::Text;

type Tm = <DbConnection as Connection>::TransactionManager;

/// Runs `f` in a transaction that is a writer from its first statement: `BEGIN IMMEDIATE` on SQLite (so that a
/// read-then-write transaction waits for the lock instead of failing with "database is locked"), a plain `BEGIN` on
/// PostgreSQL. Commits when `f` succeeds and rolls back when it fails.
pub fn write_transaction<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match conn {
        DbConnection::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?,
        DbConnection::Postgresql(_) => Tm::begin_transaction(conn)?,
    }
    match f(conn) {
        Ok(v) => {
            Tm::commit_transaction(conn)?;
            Ok(v)
        }
        Err(e) => {
            // The original error is the one worth reporting; a failed rollback leaves the connection broken, which
            // the pool notices.
            if let Err(rb) = Tm::rollback_transaction(conn) {
                tracing::error!(error = %rb, "rollback failed");
            }
            Err(e)
        }
    }
}

/// Serialises writers of one enterprise inside a transaction (PostgreSQL advisory lock; SQLite already has a single
/// writer), so that two concurrent batches of an enterprise cannot both take the same record's head.
pub fn lock_enterprise(conn: &mut DbConnection, company: &str) -> diesel::QueryResult<()> {
    if let DbConnection::Postgresql(c) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1))::text").bind::<Text, _>(company).execute(c)?;
    }
    Ok(())
}
