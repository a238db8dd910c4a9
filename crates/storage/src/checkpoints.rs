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
    /// Its decoded check part, or why it cannot be used.
    pub part: std::result::Result<CheckPart, checkpoint::CheckpointError>,
}

/// The check part of a history.
pub fn part_of(h: &EnterpriseHistory) -> CheckPart {
    CheckPart {
        check_seq: h.check_seq,
        task_ids: h.task_ids.clone(),
        check_received: h.check_received.clone(),
        checks: h.checks.clone(),
    }
}

/// Writes (or replaces) the checkpoint of a history. Returns the bytes written.
pub fn write(conn: &mut DbConnection, h: &EnterpriseHistory, now: NaiveDateTime) -> Result<usize> {
    let body = checkpoint::encode(&part_of(h));
    let n = body.len();
    let company = h.company.to_string();
    conn.transaction(|c| {
        diesel::delete(fc::table.filter(fc::company_code.eq(&company))).execute(c)?;
        diesel::insert_into(fc::table)
            .values((
                fc::company_code.eq(&company),
                fc::format.eq(FORMAT as i32),
                fc::check_seq.eq(h.check_seq),
                fc::written_at.eq(now),
                fc::body.eq(&body),
            ))
            .execute(c)?;
        Ok::<_, crate::StorageError>(())
    })?;
    Ok(n)
}

/// The enterprises with a checkpoint.
pub fn companies(conn: &mut DbConnection) -> Result<Vec<String>> {
    Ok(fc::table.select(fc::company_code).order(fc::company_code.asc()).load(conn)?)
}

/// Reads one enterprise's checkpoint, decoded (one at a time: a province's checkpoints are about 300 MB).
pub fn read(conn: &mut DbConnection, company: &str) -> Result<Option<Stored>> {
    let row: Option<(NaiveDateTime, Vec<u8>)> =
        fc::table.filter(fc::company_code.eq(company)).select((fc::written_at, fc::body)).first(conn).optional()?;
    Ok(row.map(|(written_at, body)| Stored {
        company: company.to_owned(),
        written_at,
        part: checkpoint::decode(&body),
    }))
}
