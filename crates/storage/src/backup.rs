//! Online backups of the embedded SQLite database with `VACUUM INTO`.
//!
//! `VACUUM INTO` writes a consistent copy of the database as of the start of its read transaction, while other
//! connections go on writing (WAL: readers and the one writer do not block each other), into a new compact file
//! that is a complete database by itself (no `-wal` beside it). It was chosen over the `sqlite3_backup_*` API because
//! it is plain SQL: the workspace forbids `unsafe` code, which calling the C API from Rust would need, and the backup
//! API restarts its copy whenever another connection writes, so under a steady load of pushes it may never finish.
//!
//! PostgreSQL is backed up with its own tools (`pg_dump -Fc`, docs/operations.md); [`sqlite_backup`] refuses it.

use crate::{DatabaseUrl, Db, DbConnection};
use diesel::sql_types::Text;
use diesel::{QueryableByName, RunQueryDsl};
use domain::Code;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use thiserror::Error;

/// Why a backup was not made. Each variant has a stable [`code`](BackupError::code).
#[derive(Debug, Error)]
pub enum BackupError {
    /// The database is PostgreSQL: use `pg_dump`.
    #[error(
        "PostgreSQL 数据库请用 pg_dump 备份 / a PostgreSQL database is backed up with pg_dump: \
         pg_dump -Fc -f dualprev.dump DATABASE_URL (docs/operations.md, \"Back up\")"
    )]
    Postgres,
    /// The output file exists; a backup never overwrites.
    #[error("备份文件已存在，不会覆盖 / the backup file {0} already exists and is never overwritten")]
    Exists(PathBuf),
    /// The output's folder does not exist.
    #[error("备份目录不存在 / the folder of the backup file {0} does not exist")]
    NoFolder(PathBuf),
    /// The copy failed, or the copy does not pass `PRAGMA integrity_check`.
    #[error("备份失败 / backup failed: {0}")]
    Failed(String),
}

impl BackupError {
    /// The stable snake_case code of this error.
    pub fn code(&self) -> Code {
        match self {
            Self::Postgres => Code::BackupPostgresUsePgDump,
            Self::Exists(_) => Code::BackupExists,
            Self::NoFolder(_) => Code::BackupNoFolder,
            Self::Failed(_) => Code::BackupFailed,
        }
    }
}

/// What a backup made.
#[derive(Debug, Clone)]
pub struct BackupReport {
    /// The file written.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// How long the copy and its check took.
    pub took: Duration,
    /// The number of migrations recorded in the copy.
    pub migrations: i64,
}

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Writes a consistent copy of the SQLite database to `out` (a new file) while the database stays in use, then
/// opens the copy and checks it with `PRAGMA integrity_check`.
pub fn sqlite_backup(db: &Db, out: &Path) -> Result<BackupReport, BackupError> {
    if matches!(db.url(), DatabaseUrl::Postgres(_)) {
        return Err(BackupError::Postgres);
    }
    if out.exists() {
        return Err(BackupError::Exists(out.to_owned()));
    }
    let folder = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !folder.is_dir() {
        return Err(BackupError::NoFolder(out.to_owned()));
    }
    let failed = |e: &dyn std::fmt::Display| BackupError::Failed(e.to_string());
    let started = Instant::now();
    let target = out.to_string_lossy().into_owned();
    let mut conn = db.conn().map_err(|e| failed(&e))?;
    // Backends differ: `VACUUM INTO` is SQLite's; PostgreSQL is backed up with its own tools.
    match &mut *conn {
        DbConnection::Sqlite(c) => {
            // raw SQL: `VACUUM INTO` is not in diesel's DSL.
            diesel::sql_query("VACUUM INTO ?").bind::<Text, _>(&target).execute(c).map_err(|e| failed(&e))?
        }
        DbConnection::Postgresql(_) => return Err(BackupError::Postgres),
    };
    drop(conn);
    let copy = Db::open(&format!("sqlite://{target}")).map_err(|e| failed(&e))?;
    let mut c = copy.conn().map_err(|e| failed(&e))?;
    // raw SQL: SQLite's pragmas are not in diesel's DSL.
    let check: Vec<Line> = diesel::sql_query("SELECT integrity_check AS line FROM pragma_integrity_check")
        .load(&mut *c)
        .map_err(|e| failed(&e))?;
    if check.len() != 1 || check[0].line != "ok" {
        let lines: Vec<String> = check.into_iter().map(|l| l.line).collect();
        return Err(BackupError::Failed(format!("integrity_check: {}", lines.join("; "))));
    }
    // raw SQL: diesel's own migrations table is not in schema.rs.
    let migrations = diesel::sql_query("SELECT count(*) AS n FROM __diesel_schema_migrations")
        .get_result::<Count>(&mut *c)
        .map_err(|e| failed(&e))?
        .n;
    drop(c);
    drop(copy);
    let bytes = std::fs::metadata(out).map_err(|e| failed(&e))?.len();
    Ok(BackupReport { path: out.to_owned(), bytes, took: started.elapsed(), migrations })
}
