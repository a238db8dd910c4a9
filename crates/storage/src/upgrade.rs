//! Upgrades are forward-only: the binary applies pending migrations (`dualprev migrate`, and every start) and never
//! reverts one; the `down.sql` files exist for development only. [`released`] names the last migration of the
//! previous release, from which the upgrade test starts.
//!
//! What SQL cannot do runs in Rust right after the migrations, as upgrade steps ([`run_steps`]): each is idempotent,
//! resumes where an interrupted run stopped, and is marked in `upgrade_steps` when done, so that later starts skip
//! it.

use crate::conn::{POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};
use crate::{DbConnection, Result, StorageError};
use diesel::migration::MigrationSource;
use diesel_migrations::MigrationHarness;

/// The last migration of the previous release (`migrations/RELEASED`, its one line that is not a comment).
pub fn released() -> &'static str {
    include_str!("../../../migrations/RELEASED")
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or_default()
}

/// The names of the embedded migrations of the connection's backend (`2026-11-29-000001_init`, …), in order.
pub fn names(conn: &DbConnection) -> Result<Vec<String>> {
    // Backends differ: each has its own migration tree.
    let mut names: Vec<String> = match conn {
        DbConnection::Sqlite(_) => MigrationSource::<diesel::sqlite::Sqlite>::migrations(&SQLITE_MIGRATIONS)
            .map_err(|e| StorageError::Migration(e.to_string()))?
            .iter()
            .map(|m| m.name().to_string())
            .collect(),
        DbConnection::Postgresql(_) => MigrationSource::<diesel::pg::Pg>::migrations(&POSTGRES_MIGRATIONS)
            .map_err(|e| StorageError::Migration(e.to_string()))?
            .iter()
            .map(|m| m.name().to_string())
            .collect(),
    };
    names.sort();
    Ok(names)
}

/// Applies the pending migrations up to and including `last` (a migration name), as the release that ended with it
/// would have; returns the names applied. Unknown names are an error.
pub fn migrate_until(conn: &mut DbConnection, last: &str) -> Result<Vec<String>> {
    if !names(conn)?.iter().any(|n| n == last) {
        return Err(StorageError::Migration(format!("no migration named {last}")));
    }
    let mut applied = Vec::new();
    macro_rules! run {
        ($c:expr, $backend:ty, $source:expr) => {{
            let all = MigrationSource::<$backend>::migrations(&$source)
                .map_err(|e| StorageError::Migration(e.to_string()))?;
            let done: Vec<String> = $c
                .applied_migrations()
                .map_err(|e| StorageError::Migration(e.to_string()))?
                .iter()
                .map(|v| v.to_string())
                .collect();
            let mut all: Vec<_> = all.into_iter().filter(|m| m.name().to_string().as_str() <= last).collect();
            all.sort_by_key(|m| m.name().to_string());
            for m in all {
                if done.contains(&m.name().version().to_string()) {
                    continue;
                }
                $c.run_migration(&m).map_err(|e| StorageError::Migration(e.to_string()))?;
                applied.push(m.name().to_string());
            }
        }};
    }
    // Backends differ: each has its own migration tree.
    match conn {
        DbConnection::Sqlite(c) => run!(c, diesel::sqlite::Sqlite, SQLITE_MIGRATIONS),
        DbConnection::Postgresql(c) => run!(c, diesel::pg::Pg, POSTGRES_MIGRATIONS),
    }
    Ok(applied)
}

/// Runs the upgrade steps that are not done yet (after the SQL migrations, which create `upgrade_steps`): today
/// the rehash of content hashes to SHA-256 ([`crate::rehash`]).
pub fn run_steps(conn: &mut DbConnection) -> Result<()> {
    crate::rehash::run(conn)?;
    Ok(())
}
