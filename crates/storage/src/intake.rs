//! Intake quality per enterprise (`metrics.md` §9): records held for a missing parent, and records rejected by
//! validation, by error code.

use crate::schema::{batch_errors, batches, discarded_records, pending_records};
use crate::{DbConnection, Result};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use std::collections::{BTreeMap, HashSet};

/// Records held at a moment for one enterprise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    /// How many.
    pub records: u64,
    /// When the oldest of them was received (UTC).
    pub oldest: NaiveDateTime,
}

/// Records held (pending a parent) at `at`, per enterprise: those held now that were received at or before `at`,
/// and those discarded after `at` that were received at or before it (a discard keeps its receipt time, so figures
/// of a moment before it stay as they were). Records released by their parent leave no trace, so for a past `at`
/// this leaves out those released since (a lower bound).
pub fn held(conn: &mut DbConnection, at: NaiveDateTime) -> Result<BTreeMap<String, Held>> {
    let mut rows: Vec<(String, NaiveDateTime)> = pending_records::table
        .filter(pending_records::received_at.le(at))
        .select((pending_records::company_code, pending_records::received_at))
        .load(conn)?;
    rows.extend(
        discarded_records::table
            .filter(discarded_records::received_at.le(at).and(discarded_records::discarded_at.gt(at)))
            .select((discarded_records::company_code, discarded_records::received_at))
            .load::<(String, NaiveDateTime)>(conn)?,
    );
    let mut out: BTreeMap<String, Held> = BTreeMap::new();
    for (company, received) in rows {
        let h = out.entry(company).or_insert(Held { records: 0, oldest: received });
        h.records += 1;
        h.oldest = h.oldest.min(received);
    }
    Ok(out)
}

/// The receipt's notice for a held record: not a rejection (`docs/data-exchange.md`).
pub const HELD_NOTICE: &str = "pending_parent";

/// The codes stored among a batch's errors that reject nothing: the held notice and the receipt's warnings
/// (`alias_used`, `epoch_time`; `docs/data-exchange.md` §10).
pub const NOT_REJECTIONS: [&str; 3] = [HELD_NOTICE, "alias_used", "epoch_time"];

/// Records rejected in batches received in [from, to), per enterprise and error code: a record with several errors
/// of one code counts once for it, and once under each of its codes. `pending_parent` notices are not rejections.
pub fn rejected(
    conn: &mut DbConnection,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<BTreeMap<String, BTreeMap<String, u64>>> {
    let rows: Vec<(String, String, String, i32)> = batch_errors::table
        .inner_join(batches::table.on(batches::batch_id.eq(batch_errors::batch_id)))
        .filter(batches::received_at.ge(from).and(batches::received_at.lt(to)))
        .filter(batch_errors::code.ne_all(NOT_REJECTIONS))
        .select((batches::company_code, batch_errors::code, batch_errors::batch_id, batch_errors::record_index))
        .load(conn)?;
    let mut seen: HashSet<(String, String, i32)> = HashSet::new();
    let mut out: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for (company, code, batch, index) in rows {
        if seen.insert((code.clone(), batch, index)) {
            *out.entry(company).or_default().entry(code).or_default() += 1;
        }
    }
    Ok(out)
}
