//! `dualprev migrate-data --from URL --to URL`: moves every record to a new database (storage::copy) and prints
//! the tables with their rows and content digests as JSON on standard output.

use anyhow::{Result, anyhow};
use serde_json::json;
use storage::Db;

/// Runs the move; the target is migrated and must be empty, the source must be at this release's schema.
pub fn run(from: &str, to: &str) -> Result<()> {
    if let storage::DatabaseUrl::Sqlite(path) = storage::DatabaseUrl::parse(from)? {
        super::existing(&path)?;
    }
    let source = Db::open(from)?;
    let target = Db::open(to)?;
    eprintln!("复制中 / copying {} → {}", source.url().redacted(), target.url().redacted());
    let report = storage::copy::copy_database(&source, &target).map_err(|e| anyhow!("[{}] {e}", e.code()))?;
    let secs = report.took.as_secs_f64();
    let tables: Vec<_> =
        report.tables.iter().map(|t| json!({"table": t.table, "rows": t.rows, "digest": t.digest})).collect();
    println!("{}", json!({"tables": tables, "rows": report.rows(), "seconds": secs}));
    eprintln!(
        "已复制并核对 {} 张表、{} 行 / copied and checked {} tables, {} rows in {secs:.2} s ({:.0} rows/s)",
        report.tables.len(),
        report.rows(),
        report.tables.len(),
        report.rows(),
        report.rows() as f64 / secs.max(1e-9)
    );
    Ok(())
}
