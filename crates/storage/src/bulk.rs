//! Bulk loading of versions for benchmarks and data moves: many versions in few large transactions, without the
//! checks of the ingest path (parents, heads, pending). Never used for data from enterprises. On PostgreSQL the
//! months received into get their partitions first ([`crate::partitions::cover`]).

use crate::tx::write_transaction;
use crate::versions::VersionRows;
use crate::{DbConnection, Result};
use chrono::NaiveDateTime;
use domain::BatchId;
use domain::records::Record;

/// Versions per transaction.
pub const CHUNK: usize = 20_000;

/// Inserts versions as they are, all received at `received_at` in batch `batch_id`; returns how many.
pub fn insert_versions(
    conn: &mut DbConnection,
    records: &[Record],
    batch_id: &BatchId,
    received_at: NaiveDateTime,
) -> Result<usize> {
    insert_versions_received(conn, records, batch_id, |_| received_at)
}

/// Inserts versions as they are in batch `batch_id`, each received when `received` says; returns how many.
pub fn insert_versions_received(
    conn: &mut DbConnection,
    records: &[Record],
    batch_id: &BatchId,
    received: impl Fn(&Record) -> NaiveDateTime,
) -> Result<usize> {
    let mut n = 0;
    for chunk in records.chunks(CHUNK) {
        let mut rows = VersionRows::default();
        let mut range: Option<(NaiveDateTime, NaiveDateTime)> = None;
        for r in chunk {
            let at = received(r);
            range = Some(range.map_or((at, at), |(lo, hi)| (lo.min(at), hi.max(at))));
            rows.push(r, batch_id, at);
        }
        if let Some((first, last)) = range {
            crate::partitions::cover(conn, first, last)?;
        }
        n += write_transaction(conn, |c| Ok::<_, crate::StorageError>(rows.insert(c)?))?;
    }
    Ok(n)
}
