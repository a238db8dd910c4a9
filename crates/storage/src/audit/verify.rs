//! Verifying the audit trail: walks the chain by `seq` in batches, so that millions of rows never sit in memory.

use super::{AuditRow, GENESIS, chain};
use crate::schema::audit_log;
use crate::{DbConnection, Result};
use diesel::prelude::*;

/// What a verification found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// Rows checked (up to and including the first bad one).
    pub rows: u64,
    /// The `seq` of the first row that breaks the chain; `None` when the whole chain holds.
    pub first_bad: Option<i64>,
    /// Why that row breaks the chain (English; empty when the chain holds).
    pub reason: String,
}

impl VerifyReport {
    /// Whether the whole chain holds.
    pub fn ok(&self) -> bool {
        self.first_bad.is_none()
    }
}

/// Verifies the whole chain in batches of 1000 rows.
pub fn verify(conn: &mut DbConnection) -> Result<VerifyReport> {
    verify_in_batches(conn, 1000)
}

/// Verifies the whole chain reading `batch` rows at a time: `seq` must run 1, 2, 3… without gaps (a deleted row
/// leaves a gap), each `prev_hash` must equal the previous row's `hash` (a deleted or moved row breaks the link), and
/// each `hash` must equal the recomputed hash of the row's content (an edited or reordered row changes it).
pub fn verify_in_batches(conn: &mut DbConnection, batch: u32) -> Result<VerifyReport> {
    let batch = i64::from(batch.max(1));
    let mut prev_seq = 0_i64;
    let mut prev_hash = GENESIS.to_owned();
    let mut checked = 0_u64;
    loop {
        let rows: Vec<AuditRow> = audit_log::table
            .filter(audit_log::seq.gt(prev_seq))
            .order(audit_log::seq.asc())
            .limit(batch)
            .select(AuditRow::as_select())
            .load(conn)?;
        let done = (rows.len() as i64) < batch;
        for row in rows {
            checked += 1;
            let bad = if row.seq != prev_seq + 1 {
                Some(format!("seq {} follows seq {prev_seq}: rows are missing", row.seq))
            } else if row.prev_hash != prev_hash {
                Some("prev_hash does not match the previous row's hash".to_owned())
            } else if chain::row_hash(&row.prev_hash, &row.hashed()) != row.hash {
                Some("hash does not match the row's content (edited or reordered)".to_owned())
            } else {
                None
            };
            if let Some(reason) = bad {
                return Ok(VerifyReport { rows: checked, first_bad: Some(row.seq), reason });
            }
            prev_seq = row.seq;
            prev_hash = row.hash;
        }
        if done {
            return Ok(VerifyReport { rows: checked, first_bad: None, reason: String::new() });
        }
    }
}
