//! `dualprev audit verify`: checks the hash chain of the audit trail.

use anyhow::Result;
use storage::Db;

/// Verifies the audit trail and prints the result; returns whether the chain holds.
pub fn verify(db: &Db) -> Result<bool> {
    let report = db.with(storage::audit::verify)?;
    match report.first_bad {
        None => {
            println!("审计日志完整：已核对 {} 行 / audit trail OK: {} rows checked", report.rows, report.rows);
            Ok(true)
        }
        Some(seq) => {
            println!(
                "审计日志被篡改：第 {seq} 行（seq {seq}）/ audit trail broken at seq {seq}: {} ({} rows checked)",
                report.reason, report.rows
            );
            Ok(false)
        }
    }
}
