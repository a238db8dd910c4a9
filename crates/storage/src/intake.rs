//! Intake quality per enterprise (`metrics.md` §9): records held for a missing parent, and records rejected by
//! validation, by error code.

use crate::schema::{batch_errors, batches, pending_records};
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

/// Records held (pending a parent) now that were received at or before `at`, per enterprise. Held records are kept
/// only while held, so for a past `at` this leaves out those released since (a lower bound).
pub fn held(conn: &mut DbConnection, at: NaiveDateTime) -> Result<BTreeMap<String, Held>> {
    let rows: Vec<(String, NaiveDateTime)> = pending_records::table
        .filter(pending_records::received_at.le(at))
        .select((pending_records::company_code, pending_records::received_at))
        .load(conn)?;
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
        .filter(batch_errors::code.ne(HELD_NOTICE))
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
