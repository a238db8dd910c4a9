//! The figures service's checkpoints: per enterprise, its check history as one compact blob
//! (`domain::checkpoint`), so that a restart reads it back instead of folding every stored version again. Each is
//! written in a transaction of its own; derived data, rebuilt from the versions when missing or unreadable.

use crate::schema::figure_checkpoints as fc;
use crate::{DbConnection, Result};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::checkpoint::{self, CheckPart, FORMAT};
use domain::history::EnterpriseHistory;

/// A stored checkpoint as read.
#[derive(Debug, Clone)]
pub struct Stored {
    /// The enterprise.
    pub company: String,
    /// When it was written.
    pub written_at: NaiveDateTime,
    /// The change feed's seq through which it reflects the enterprise's stored batches (`None`: written before
    /// migration 000021, unknown).
    pub events_seq: Option<i64>,
    /// Its decoded check part, or why it cannot be used.
    pub part: std::result::Result<CheckPart, checkpoint::CheckpointError>,
}

/// The check part of a history.
pub fn part_of(h: &EnterpriseHistory) -> CheckPart {
    CheckPart {
        check_seq: h.check_seq,
        resident_from: h.resident_from,
        task_ids: h.task_ids.clone(),
        check_received: h.check_received.clone(),
        checks: h.checks.clone(),
    }
}

/// Writes (or replaces) the checkpoint of a history that reflects every `batch.stored` event of its enterprise up to
/// `events_seq` (the change feed's seq read before its versions were). Returns the bytes written.
pub fn write(conn: &mut DbConnection, h: &EnterpriseHistory, events_seq: i64, now: NaiveDateTime) -> Result<usize> {
    conn.transaction(|c| put(c, h, events_seq, now))
}

/// [`write`] inside the caller's transaction (`storage::months` writes a history's months with it).
pub fn put(c: &mut DbConnection, h: &EnterpriseHistory, events_seq: i64, now: NaiveDateTime) -> Result<usize> {
    let body = checkpoint::encode(&part_of(h));
    let n = body.len();
    let company = h.company.to_string();
    diesel::delete(fc::table.filter(fc::company_code.eq(&company))).execute(c)?;
    diesel::insert_into(fc::table)
        .values((
            fc::company_code.eq(&company),
            fc::format.eq(FORMAT as i32),
            fc::check_seq.eq(h.check_seq),
            fc::written_at.eq(now),
            fc::body.eq(&body),
            fc::events_seq.eq(Some(events_seq)),
        ))
        .execute(c)?;
    Ok(n)
}

/// Sets the change-feed mark of checkpoints that a start found current without one (written before migration 000021,
/// or a mark the retention prune passed): each `(company, check_seq)` had no check version after its seq when the
/// change feed stood at `events_seq`. A checkpoint rewritten meanwhile (another `check_seq`) is left alone. One
/// transaction; returns how many were marked.
pub fn mark(conn: &mut DbConnection, current: &[(String, i64)], events_seq: i64) -> Result<usize> {
    if current.is_empty() {
        return Ok(0);
    }
    crate::tx::write_transaction(conn, |c| {
        let mut n = 0;
        for (company, check_seq) in current {
            let row = fc::table.filter(fc::company_code.eq(company)).filter(fc::check_seq.eq(check_seq));
            n += diesel::update(row).set(fc::events_seq.eq(Some(events_seq))).execute(c)?;
        }
        Ok::<_, crate::StorageError>(n)
    })
}

/// The enterprises with a checkpoint.
pub fn companies(conn: &mut DbConnection) -> Result<Vec<String>> {
    Ok(fc::table.select(fc::company_code).order(fc::company_code.asc()).load(conn)?)
}

/// A stored checkpoint as fetched, not decoded yet: a start fetches the next while another thread decodes this one.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The enterprise.
    pub company: String,
    written_at: NaiveDateTime,
    events_seq: Option<i64>,
    body: Vec<u8>,
}

impl Fetched {
    /// Decodes the body.
    pub fn decode(self) -> Stored {
        Stored {
            company: self.company,
            written_at: self.written_at,
            events_seq: self.events_seq,
            part: checkpoint::decode(&self.body),
        }
    }
}

/// Fetches one enterprise's checkpoint (one at a time: a province's checkpoints are about 300 MB).
pub fn fetch(conn: &mut DbConnection, company: &str) -> Result<Option<Fetched>> {
    let row: Option<(NaiveDateTime, Option<i64>, Vec<u8>)> = fc::table
        .filter(fc::company_code.eq(company))
        .select((fc::written_at, fc::events_seq, fc::body))
        .first(conn)
        .optional()?;
    Ok(row.map(|(written_at, events_seq, body)| Fetched { company: company.to_owned(), written_at, events_seq, body }))
}

/// Reads one enterprise's checkpoint, decoded.
pub fn read(conn: &mut DbConnection, company: &str) -> Result<Option<Stored>> {
    Ok(fetch(conn, company)?.map(Fetched::decode))
}
