//! Moving a whole database from one backend to another (`dualprev migrate-data`): every table, parents first, in
//! pages, read from one snapshot of the source and written in one transaction on the target, then checked row for
//! row (count and content digest of every table) before the target commits. All or nothing: a failed or refused
//! move leaves the target as it was (migrated and empty), so the rule for resuming is simply to run it again.
//!
//! Rows are copied with every column as stored, keys included: the audit trail's `seq`, `at` and hashes are
//! unchanged, so its hash chain verifies on the target. PostgreSQL sequences are set past the copied keys.

mod rows;

pub use rows::{Cell, Table};

use crate::introspect::{ColumnInfo, columns};
use crate::tx::write_transaction;
use crate::{DatabaseUrl, Db, DbConnection};
use diesel::connection::{AnsiTransactionManager, Connection, TransactionManager};
use diesel::{QueryableByName, RunQueryDsl};
use domain::Code;
use sha2::{Digest, Sha256};
use std::time::{Duration, Instant};
use thiserror::Error;

/// Why a move failed or was refused. Each variant has a stable [`code`](CopyError::code).
#[derive(Debug, Error)]
pub enum CopyError {
    /// The target already holds data: a move only fills a new database.
    #[error("目标数据库不是空的 / the target database is not empty: table {table} has {rows} rows")]
    TargetNotEmpty {
        /// The first table found with rows.
        table: String,
        /// Its row count.
        rows: i64,
    },
    /// The source has migrations the binary does not know, or lacks some it knows.
    #[error(
        "源数据库的迁移与本程序不一致 / the source database is not at this release's schema ({0}): run `dualprev migrate --database SOURCE` with this binary first"
    )]
    SourceNotMigrated(String),
    /// Source and target are the same database.
    #[error("源与目标是同一个数据库 / the source and the target are the same database")]
    SameDatabase,
    /// The tables of the two databases differ (a bug in the migration trees).
    #[error("两个数据库的表结构不同 / the schemas of the two databases differ: {0}")]
    SchemaDiffers(String),
    /// A stored value does not fit its column's type.
    #[error("无法读取的值 / unreadable value: {0}")]
    BadValue(String),
    /// After the copy, a table's rows on the target are not those of the source; nothing was committed.
    #[error("复制校验失败，目标未提交 / the copy does not match the source, nothing committed: table {0}")]
    Mismatch(String),
    /// A storage failure.
    #[error(transparent)]
    Storage(#[from] crate::StorageError),
}

impl CopyError {
    /// The stable snake_case code of this error.
    pub fn code(&self) -> Code {
        match self {
            Self::TargetNotEmpty { .. } => Code::TargetNotEmpty,
            Self::SourceNotMigrated(_) => Code::SourceNotMigrated,
            Self::SameDatabase => Code::SameDatabase,
            Self::SchemaDiffers(_) => Code::SchemaDiffers,
            Self::BadValue(_) => Code::BadValue,
            Self::Mismatch(_) => Code::CopyMismatch,
            Self::Storage(e) => e.code(),
        }
    }
}

impl From<diesel::result::Error> for CopyError {
    fn from(e: diesel::result::Error) -> Self {
        CopyError::Storage(e.into())
    }
}

/// Tables that others reference (foreign keys), copied before every other table, in this order.
pub const PARENTS_FIRST: [&str; 6] =
    ["enterprises", "batches", "spot_draws", "webhooks", "warning_cases", "push_groups"];

/// Bound parameters per INSERT statement (SQLite allows 32766, PostgreSQL 65535).
const PARAMS_PER_INSERT: usize = 8_000;
/// Rows read per page.
const PAGE: i64 = 2_000;

/// The tables of a migrated database, in copy order: [`PARENTS_FIRST`], then the others by name.
pub fn tables(conn: &mut DbConnection) -> Result<Vec<Table>, CopyError> {
    let mut out: Vec<Table> = Vec::new();
    for col in columns(conn)? {
        match out.last_mut() {
            Some(t) if t.name == col.table => t.columns.push(col),
            _ => out.push(Table { name: col.table.clone(), columns: vec![col] }),
        }
    }
    let rank = |t: &Table| PARENTS_FIRST.iter().position(|p| *p == t.name).unwrap_or(PARENTS_FIRST.len());
    out.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.name.cmp(&b.name)));
    Ok(out)
}

/// The row count and content digest of one table: SHA-256 over the sum (mod 2^256, so that the order rows are read
/// in does not matter) of the SHA-256 of each row's typed cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableDigest {
    /// The table.
    pub table: String,
    /// Its rows.
    pub rows: i64,
    /// Lowercase hex digest of its content.
    pub digest: String,
}

/// Computes [`TableDigest`] of a table, reading it page by page.
pub fn digest(conn: &mut DbConnection, table: &Table) -> Result<TableDigest, CopyError> {
    let mut sum = [0u8; 32];
    let mut rows = 0i64;
    let mut after: Option<Vec<Cell>> = None;
    loop {
        let page = rows::read_page(conn, table, after.as_deref(), PAGE)?;
        after = page.last().map(|r| table.key_cells(r));
        for row in &page {
            let h = Sha256::digest(format!("{row:?}").as_bytes());
            let mut carry = 0u16;
            for i in (0..32).rev() {
                let s = u16::from(sum[i]) + u16::from(h[i]) + carry;
                sum[i] = (s & 0xff) as u8;
                carry = s >> 8;
            }
        }
        rows += page.len() as i64;
        if (page.len() as i64) < PAGE {
            break;
        }
    }
    let digest = hex::encode(Sha256::digest(sum));
    Ok(TableDigest { table: table.name.clone(), rows, digest })
}

/// What a move copied.
#[derive(Debug, Clone)]
pub struct CopyReport {
    /// Every table with its rows and digest, equal on both sides, in copy order.
    pub tables: Vec<TableDigest>,
    /// How long the copy took, the check included.
    pub took: Duration,
}

impl CopyReport {
    /// Rows copied over all tables.
    pub fn rows(&self) -> i64 {
        self.tables.iter().map(|t| t.rows).sum()
    }
}

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = diesel::sql_types::Text)]
    version: String,
}

fn versions(conn: &mut DbConnection) -> Result<Vec<String>, CopyError> {
    // raw SQL: diesel's own migrations table is not in schema.rs.
    let sql = "SELECT version FROM __diesel_schema_migrations ORDER BY version";
    Ok(diesel::sql_query(sql).load::<Version>(conn)?.into_iter().map(|v| v.version).collect())
}

/// Tables whose rows migrating writes (a migration's single settings row, the marks of the upgrade steps done in
/// Rust): a freshly migrated target holds them, and the copy replaces them with the source's.
const SEEDED_BY_MIGRATIONS: [&str; 2] = ["event_horizon", "upgrade_steps"];

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Copies every table of `source` into `target`, which is migrated here and must hold no row. The source must be
/// at this binary's schema. See the module documentation for the guarantees.
pub fn copy_database(source: &Db, target: &Db) -> Result<CopyReport, CopyError> {
    if same_database(source.url(), target.url()) {
        return Err(CopyError::SameDatabase);
    }
    if !source.is_ready() {
        return Err(CopyError::SourceNotMigrated("migrations pending".into()));
    }
    target.migrate()?;
    let started = Instant::now();
    let mut src = source.conn()?;
    let mut dst = target.conn()?;
    let (sv, tv) = (versions(&mut src)?, versions(&mut dst)?);
    if sv != tv {
        return Err(CopyError::SourceNotMigrated(format!("source {sv:?}, this release {tv:?}")));
    }
    let target_tables = tables(&mut dst)?;
    let tables = tables(&mut src)?;
    let names = |t: &[Table]| t.iter().map(|t| (t.name.clone(), t.columns.clone())).collect::<Vec<_>>();
    if names(&tables) != names(&target_tables) {
        return Err(CopyError::SchemaDiffers("tables or columns".into()));
    }
    let report = read_snapshot(&mut src, |src| {
        write_transaction(&mut dst, |dst| {
            for t in &tables {
                if SEEDED_BY_MIGRATIONS.contains(&t.name.as_str()) {
                    // The migration's own row gives way to the source's (raw SQL: a table named at run time).
                    diesel::sql_query(format!("DELETE FROM \"{}\"", t.name)).execute(dst)?;
                    continue;
                }
                // raw SQL: a table named at run time.
                let n =
                    diesel::sql_query(format!("SELECT count(*) AS n FROM \"{}\"", t.name)).get_result::<Count>(dst)?.n;
                if n > 0 {
                    return Err(CopyError::TargetNotEmpty { table: t.name.clone(), rows: n });
                }
            }
            let mut done = Vec::new();
            for t in &tables {
                copy_table(src, dst, t)?;
                let (a, b) = (digest(src, t)?, digest(dst, t)?);
                if a != b {
                    return Err(CopyError::Mismatch(format!("{}: {} rows → {} rows", t.name, a.rows, b.rows)));
                }
                tracing::info!(table = %t.name, rows = a.rows, "copied");
                done.push(a);
            }
            reset_sequences(dst, &tables)?;
            Ok(done)
        })
    })?;
    Ok(CopyReport { tables: report, took: started.elapsed() })
}

/// Copies into `target` the rows of every table of `source` that `target` also has with the same columns (or the
/// first of them: columns a later release added are left out), in dependency order, and resets the target's sequences. For tests of upgrades: a database at an older schema gets
/// the rows a previous release would have written (the tables it knew). The target's tables must be empty.
pub fn copy_tables_present(source: &Db, target: &Db) -> Result<Vec<String>, CopyError> {
    let mut src = source.conn()?;
    let mut dst = target.conn()?;
    let present = tables(&mut dst)?;
    // The same columns, or the target's are the source's first ones (a later release added columns at the end, as
    // migration 000017 did to `enterprises`: an older schema gets the rows without them); the keys may differ (a later
    // release may key a table anew), which the rows do not see. Read and written with the target's columns.
    let shared: Vec<Table> = tables(&mut src)?
        .into_iter()
        .filter_map(|t| {
            let p = present.iter().find(|p| p.name == t.name)?;
            leading_columns(&p.columns, &t.columns).then(|| p.clone())
        })
        .collect();
    write_transaction(&mut dst, |dst| {
        for t in &shared {
            copy_table(&mut src, dst, t)?;
        }
        reset_sequences(dst, &shared)?;
        Ok(shared.iter().map(|t| t.name.clone()).collect())
    })
}

/// Whether the columns `a` are the first columns of `b` (names, types, nullability, order), whatever their keys:
/// the same columns, or `b` with columns added at the end.
fn leading_columns(a: &[ColumnInfo], b: &[ColumnInfo]) -> bool {
    let shape = |c: &ColumnInfo| (c.position, c.name.clone(), c.kind, c.nullable);
    a.len() <= b.len() && a.iter().zip(b).all(|(x, y)| shape(x) == shape(y))
}

/// Whether two URLs name the same database (SQLite paths compared after resolving them).
fn same_database(a: &DatabaseUrl, b: &DatabaseUrl) -> bool {
    match (a, b) {
        (DatabaseUrl::Sqlite(x), DatabaseUrl::Sqlite(y)) => {
            let canonical = |p: &std::path::Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_owned());
            canonical(x) == canonical(y)
        }
        _ => a == b,
    }
}

/// Runs `f` inside one read snapshot of the source: a deferred transaction on SQLite (WAL keeps its snapshot), a
/// read-only repeatable-read transaction on PostgreSQL. Always rolled back (nothing is written).
fn read_snapshot<T>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, CopyError>,
) -> Result<T, CopyError> {
    // Backends differ: each names its read snapshot in its own `BEGIN`.
    match conn {
        DbConnection::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN DEFERRED")?,
        DbConnection::Postgresql(c) => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?
        }
    }
    let out = f(conn);
    let end = <DbConnection as Connection>::TransactionManager::rollback_transaction(conn);
    let out = out?;
    end?;
    Ok(out)
}

/// Copies one table page by page.
fn copy_table(src: &mut DbConnection, dst: &mut DbConnection, table: &Table) -> Result<i64, CopyError> {
    let per_insert = (PARAMS_PER_INSERT / table.columns.len().max(1)).max(1);
    let mut copied = 0i64;
    let mut after: Option<Vec<Cell>> = None;
    loop {
        let page = rows::read_page(src, table, after.as_deref(), PAGE)?;
        after = page.last().map(|r| table.key_cells(r));
        for chunk in page.chunks(per_insert) {
            rows::insert_rows(dst, table, chunk)?;
        }
        copied += page.len() as i64;
        if (page.len() as i64) < PAGE {
            return Ok(copied);
        }
    }
}

/// Sets each PostgreSQL sequence of a BIGSERIAL key past the largest copied key (SQLite needs nothing: a rowid key
/// continues from the largest row).
fn reset_sequences(conn: &mut DbConnection, tables: &[Table]) -> Result<(), CopyError> {
    // Backends differ: only PostgreSQL has sequences.
    let DbConnection::Postgresql(c) = conn else { return Ok(()) };
    for t in tables {
        if let Some(key) = t.serial() {
            let sql = format!(
                "SELECT COALESCE(setval(pg_get_serial_sequence('\"{0}\"', '{1}'), COALESCE(max(\"{1}\"), 0) + 1, false), 0) \
                 AS n \
                 FROM \"{0}\"",
                t.name, key
            );
            // raw SQL: sequences and `setval` are not in diesel's DSL.
            diesel::sql_query(sql).get_result::<Count>(c)?;
        }
    }
    Ok(())
}
