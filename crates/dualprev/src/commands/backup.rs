//! `dualprev backup --out FILE`: an online, consistent copy of the SQLite database (storage::backup).

use anyhow::{Result, anyhow};
use std::path::Path;
use storage::Db;

/// Backs up the database at `url` into the new file `out` and prints what was written on standard error. The
/// database is opened as it is, without applying migrations: a backup taken before an upgrade is of the old schema.
pub fn run(url: &str, out: &Path) -> Result<()> {
    match storage::DatabaseUrl::parse(url)? {
        storage::DatabaseUrl::Postgres(_) => {
            let e = storage::backup::BackupError::Postgres;
            return Err(anyhow!("[{}] {e}", e.code()));
        }
        storage::DatabaseUrl::Sqlite(path) => super::existing(&path)?,
    }
    let db = Db::open(url)?;
    let report = storage::backup::sqlite_backup(&db, out).map_err(|e| anyhow!("[{}] {e}", e.code()))?;
    eprintln!(
        "备份完成 / backup written: {} ({} bytes, {} migrations, integrity ok, {:.2} s)",
        report.path.display(),
        report.bytes,
        report.migrations,
        report.took.as_secs_f64()
    );
    Ok(())
}
