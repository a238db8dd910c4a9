//! Write transactions that behave the same on both backends.

use crate::DbConnection;
use crate::lock::{LockKey, xact_lock};
use diesel::connection::{AnsiTransactionManager, Connection, TransactionManager};

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
    // Backends differ: SQLite needs `BEGIN IMMEDIATE` to take the write lock at once; PostgreSQL locks rows as it goes.
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
pub fn lock_enterprise(conn: &mut DbConnection, company: &domain::CompanyCode) -> diesel::QueryResult<()> {
    xact_lock(conn, LockKey::Named(company.as_str()))
}
