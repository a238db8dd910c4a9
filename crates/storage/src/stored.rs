//! What the change feed says an enterprise's batches stored: the figures service reads the `batch.stored` events
//! (`docs/integration.md`) to know which enterprises to fold, from which moment, and up to which check version.
//!
//! **Why the check versions' upper bound.** A batch's `now` is taken when it arrives, before it waits for its
//! enterprise's lock, so a batch can commit after another of the same enterprise received later. A reader that took
//! "received at or after the earliest event's moment" as its only bound could, while a slow batch B (received early)
//! and a quick one C (received late) commit between its read of the events and its read of the versions, read C's
//! versions and not B's, and its history's seq would pass B's for ever. Each event therefore says the highest check
//! version seq its batch wrote (`checkSeq`). An enterprise's batches hold its lock from their first write to their
//! commit, so the versions of the batches a reader has the events of are exactly those up to the highest such seq;
//! it folds those, and the later ones with their own events.

use crate::DbConnection;
use crate::schema::{check_record_versions, events};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::CompanyCode;

/// The check record versions some batches of one enterprise stored, as their `batch.stored` events tell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checks {
    /// None: they stored other tables only.
    Nothing,
    /// Up to version seq `through`, every one received at or after `since` (the earliest of those batches).
    Through {
        /// The earliest receipt among the batches that stored check versions.
        since: NaiveDateTime,
        /// The highest check version seq they wrote.
        through: i64,
    },
    /// Not told: an event from before 2026-12-07 (no `checkSeq`), or one whose payload does not read. The reader
    /// then reads every check version after its history's seq.
    Unknown,
}

impl Checks {
    /// What two sets of batches stored together.
    pub fn and(self, other: Checks) -> Checks {
        match (self, other) {
            (Checks::Unknown, _) | (_, Checks::Unknown) => Checks::Unknown,
            (Checks::Nothing, x) | (x, Checks::Nothing) => x,
            (Checks::Through { since: a, through: x }, Checks::Through { since: b, through: y }) => {
                Checks::Through { since: a.min(b), through: x.max(y) }
            }
        }
    }

    /// What one event's payload says of its batch, received at `at`.
    fn of(at: NaiveDateTime, data: &serde_json::Value) -> Checks {
        match data.get("checkSeq") {
            Some(serde_json::Value::Null) => Checks::Nothing,
            Some(v) => v.as_i64().map_or(Checks::Unknown, |through| Checks::Through { since: at, through }),
            None => Checks::Unknown,
        }
    }
}

/// A `batch.stored` event as the figures service reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBatch {
    /// The enterprise.
    pub company: String,
    /// The event's moment: its versions' receipt.
    pub at: NaiveDateTime,
    /// Whether it stored check record versions only: a `check_record` batch that released no held record (an event
    /// without `released`, from before 2026-12-07, or one whose payload does not read, is taken to have stored
    /// anything: the reader then reads more, never less).
    pub checks_only: bool,
    /// The check versions it stored.
    pub checks: Checks,
}

impl StoredBatch {
    fn read(company: String, at: NaiveDateTime, payload: &str) -> StoredBatch {
        let data = payload_of(payload);
        let checks_only = data["table"] == "check_record" && data["released"] == 0;
        StoredBatch { company, at, checks_only, checks: Checks::of(at, &data) }
    }
}

/// An event's payload; one that does not read is empty (its batch is then taken to have stored anything).
fn payload_of(payload: &str) -> serde_json::Value {
    serde_json::from_str(payload).unwrap_or_default()
}

/// The `batch.stored` events after `seq`, in seq order, and the highest seq stored when they were read (`seq` itself
/// when there is none). That seq is read first: seqs commit in order (the append lock of `events`), so a reader that
/// remembers it never misses a batch, whatever order the batches were received in, and never reads the events of
/// other kinds (`figure.changed`, …) twice.
pub fn stored_after(conn: &mut DbConnection, seq: i64) -> QueryResult<(i64, Vec<StoredBatch>)> {
    let last = crate::events::last_seq(conn)?.max(seq);
    let rows: Vec<(Option<String>, NaiveDateTime, String)> = events::table
        .filter(events::seq.gt(seq).and(events::seq.le(last)))
        .filter(events::kind.eq("batch.stored"))
        .select((events::company_code, events::at, events::payload))
        .order(events::seq.asc())
        .load(conn)?;
    let stored =
        rows.into_iter().filter_map(|(company, at, payload)| Some(StoredBatch::read(company?, at, &payload))).collect();
    Ok((last, stored))
}

/// What the `batch.stored` events of one enterprise after `seq` say it stored (`None` when there is none): one range
/// of the index on `(company_code, kind, seq)`.
pub fn stored_since(conn: &mut DbConnection, company: &str, seq: i64) -> QueryResult<Option<Checks>> {
    let rows: Vec<(NaiveDateTime, String)> = events::table
        .filter(events::company_code.eq(company))
        .filter(events::kind.eq("batch.stored"))
        .filter(events::seq.gt(seq))
        .select((events::at, events::payload))
        .load(conn)?;
    Ok(rows.into_iter().map(|(at, payload)| Checks::of(at, &payload_of(&payload))).reduce(Checks::and))
}

/// The highest seq of the check record versions of `company` received at `received_at`: in the transaction of the
/// batch that wrote them (holding its enterprise's lock), that batch's last one. `None` when there is none.
pub fn last_check_seq(
    conn: &mut DbConnection,
    company: &CompanyCode,
    received_at: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    check_record_versions::table
        .filter(check_record_versions::company_code.eq(company.as_str()))
        .filter(check_record_versions::received_at.eq(received_at))
        .select(check_record_versions::seq)
        .order(check_record_versions::seq.desc())
        .first(conn)
        .optional()
}
