//! Pull claims: several workers on one database share a pull cycle, each enterprise pulled by one worker at a time.
//!
//! A claim is a row per (cycle, enterprise) held until `claimed_until`. The worker that holds it renews it while it
//! pulls and marks it done at the end (whatever the outcome: a failed pull is recorded in `pull_status` and waits for
//! the next cycle). A claim that is past its time and not done belongs to a worker that died: any worker may take it
//! over. Claiming is one statement (`INSERT … ON CONFLICT … DO UPDATE … WHERE`), so two workers can never both hold
//! the same claim, on either backend.

use crate::schema::pull_claims;
use crate::{DbConnection, Result};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamp};
use diesel::{QueryableByName, RunQueryDsl};

const CLAIM_SQLITE: &str = "INSERT INTO pull_claims (cycle, company_code, worker, claimed_until, attempts, done_at) \
     VALUES (?, ?, ?, ?, 1, NULL) ON CONFLICT (cycle, company_code) DO UPDATE SET worker = excluded.worker, \
     claimed_until = excluded.claimed_until, attempts = pull_claims.attempts + 1 \
     WHERE pull_claims.done_at IS NULL AND pull_claims.claimed_until < ?";
const CLAIM_POSTGRES: &str = "INSERT INTO pull_claims (cycle, company_code, worker, claimed_until, attempts, \
     done_at) VALUES ($1, $2, $3, $4, 1, NULL) ON CONFLICT (cycle, company_code) DO UPDATE SET \
     worker = excluded.worker, claimed_until = excluded.claimed_until, attempts = pull_claims.attempts + 1 \
     WHERE pull_claims.done_at IS NULL AND pull_claims.claimed_until < $5";

/// Claims an enterprise's pull in a cycle for `worker` until `until`: true when this worker now holds it (it was
/// free, or its holder's time ran out before `now` and it was not done).
pub fn claim(
    conn: &mut DbConnection,
    cycle: &str,
    company: &str,
    worker: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> Result<bool> {
    let n = match conn {
        DbConnection::Sqlite(c) => diesel::sql_query(CLAIM_SQLITE)
            .bind::<Text, _>(cycle)
            .bind::<Text, _>(company)
            .bind::<Text, _>(worker)
            .bind::<Timestamp, _>(until)
            .bind::<Timestamp, _>(now)
            .execute(c)?,
        DbConnection::Postgresql(c) => diesel::sql_query(CLAIM_POSTGRES)
            .bind::<Text, _>(cycle)
            .bind::<Text, _>(company)
            .bind::<Text, _>(worker)
            .bind::<Timestamp, _>(until)
            .bind::<Timestamp, _>(now)
            .execute(c)?,
    };
    Ok(n == 1)
}

/// The claim of (cycle, company) while `worker` holds it and it is not done.
macro_rules! held {
    ($cycle:expr, $company:expr, $worker:expr) => {
        pull_claims::table
            .filter(pull_claims::cycle.eq($cycle))
            .filter(pull_claims::company_code.eq($company))
            .filter(pull_claims::worker.eq($worker))
            .filter(pull_claims::done_at.is_null())
    };
}

/// Extends a claim this worker holds; false when it no longer holds it (taken over after its time ran out).
pub fn renew(conn: &mut DbConnection, cycle: &str, company: &str, worker: &str, until: NaiveDateTime) -> Result<bool> {
    let n = diesel::update(held!(cycle, company, worker)).set(pull_claims::claimed_until.eq(until)).execute(conn)?;
    Ok(n == 1)
}

/// Marks a claim this worker holds as done; false when another worker had taken it over.
pub fn finish(conn: &mut DbConnection, cycle: &str, company: &str, worker: &str, now: NaiveDateTime) -> Result<bool> {
    let n = diesel::update(held!(cycle, company, worker)).set(pull_claims::done_at.eq(Some(now))).execute(conn)?;
    Ok(n == 1)
}

/// One claim of a cycle.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Claim {
    /// The enterprise.
    #[diesel(sql_type = Text)]
    pub company_code: String,
    /// The worker that holds (or held) it.
    #[diesel(sql_type = Text)]
    pub worker: String,
    /// Until when it is held.
    #[diesel(sql_type = Timestamp)]
    pub claimed_until: NaiveDateTime,
    /// How many workers took it (1, or more after take-overs).
    #[diesel(sql_type = BigInt)]
    pub attempts: i64,
    /// When the pull ended.
    #[diesel(sql_type = Nullable<Timestamp>)]
    pub done_at: Option<NaiveDateTime>,
}

/// Every claim of a cycle, by enterprise.
pub fn of_cycle(conn: &mut DbConnection, cycle: &str) -> Result<Vec<Claim>> {
    let cols = "company_code, worker, claimed_until, CAST(attempts AS BIGINT) AS attempts, done_at";
    Ok(match conn {
        DbConnection::Sqlite(c) => {
            diesel::sql_query(format!("SELECT {cols} FROM pull_claims WHERE cycle = ? ORDER BY company_code"))
                .bind::<Text, _>(cycle)
                .load(c)?
        }
        DbConnection::Postgresql(c) => {
            diesel::sql_query(format!("SELECT {cols} FROM pull_claims WHERE cycle = $1 ORDER BY company_code"))
                .bind::<Text, _>(cycle)
                .load(c)?
        }
    })
}
