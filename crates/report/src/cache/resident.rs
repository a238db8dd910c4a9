//! Keeping the resident months: a history's rows before the resident start are moved to their stored months
//! (`storage::months`) when a start reads it and when a new month begins.

use chrono::NaiveDateTime;
use domain::history::EnterpriseHistory;
use storage::{DbConnection, StorageError};

/// Moves the rows of `h` with `checkTime` before `cut` to their stored months, and writes those months with its
/// checkpoint in one transaction when any row moved. A history that held every month (built from its versions, or
/// read from a checkpoint of format 1) replaces every month stored for its enterprise. Returns whether it wrote.
pub(super) fn roll(
    conn: &mut DbConnection,
    h: &mut EnterpriseHistory,
    cut: u32,
    seq: i64,
    now: NaiveDateTime,
) -> Result<bool, StorageError> {
    if h.resident_from >= cut {
        return Ok(false);
    }
    let whole = h.resident_from == 0;
    let moved = h.split_before(cut);
    if moved.is_empty() {
        return Ok(false);
    }
    let rows: usize = moved.values().map(|m| m.rows.len() + m.superseded.len()).sum();
    storage::months::write_split(conn, h, &moved, whole, seq, now)?;
    tracing::debug!(company = %h.company, months = moved.len(), rows, whole, "months moved out of memory");
    Ok(true)
}
