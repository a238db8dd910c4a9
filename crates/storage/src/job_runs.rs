//! Runs of scheduled jobs: a job never runs twice for the same key, even across processes.

use crate::lock::{LockKey, xact_lock};
use crate::schema::job_runs;
use crate::tx::write_transaction;
use crate::{DbConnection, Result};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A claimed run that has not finished after this long is taken to have died with its process.
pub const STALE_CLAIM: chrono::TimeDelta = chrono::TimeDelta::hours(1);

/// Claims a job run for a key: true when this caller should run it (no finished run of the key, and no claim younger
/// than [`STALE_CLAIM`]). Processes that claim the same run at the same moment are serialised (an advisory lock on
/// PostgreSQL, the single writer on SQLite): one gets true, the others false, none an error.
pub fn claim_run(conn: &mut DbConnection, job: &str, key: &str, now: NaiveDateTime) -> Result<bool> {
    write_transaction(conn, |c| {
        xact_lock(c, LockKey::Named(&format!("job_runs:{job}:{key}")))?;
        let run: Option<(NaiveDateTime, Option<NaiveDateTime>)> = job_runs::table
            .find((job, key))
            .select((job_runs::started_at, job_runs::finished_at))
            .first(c)
            .optional()?;
        match run {
            Some((_, Some(_))) => return Ok(false),
            Some((started, None)) if now - started < STALE_CLAIM => return Ok(false),
            Some(_) => {
                diesel::delete(job_runs::table.find((job, key))).execute(c)?;
            }
            None => {}
        }
        diesel::insert_into(job_runs::table)
            .values((job_runs::job.eq(job), job_runs::run_key.eq(key), job_runs::started_at.eq(now)))
            .execute(c)?;
        Ok(true)
    })
}

/// Records how a claimed run ended.
pub fn finish_run(conn: &mut DbConnection, job: &str, key: &str, now: NaiveDateTime, outcome: &str) -> Result<()> {
    diesel::update(job_runs::table.find((job, key)))
        .set((job_runs::finished_at.eq(Some(now)), job_runs::outcome.eq(Some(outcome))))
        .execute(conn)?;
    Ok(())
}

/// Forgets a claimed run that failed, so that a later attempt can run it.
pub fn release_run(conn: &mut DbConnection, job: &str, key: &str) -> Result<()> {
    diesel::delete(job_runs::table.find((job, key))).execute(conn)?;
    Ok(())
}
