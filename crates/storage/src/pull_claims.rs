//! Pull claims: several workers on one database share a pull cycle, each enterprise pulled by one worker at a time.
//!
//! A claim is a row per (cycle, enterprise) held until `claimed_until`. The worker that holds it renews it while it
//! pulls and marks it done at the end (whatever the outcome: a failed pull is recorded in `pull_status` and waits for
//! the next cycle). A claim that is past its time and not done belongs to a worker that died: any worker may take it
//! over. Claiming is one statement (`INSERT … ON CONFLICT … DO UPDATE … WHERE`), so two workers can never both hold
//! the same claim, on either backend.

use crate::backend::db_run;
use crate::schema::pull_claims;
use crate::{DbConnection, Result};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::upsert::excluded;
use domain::CompanyCode;

/// Claims an enterprise's pull in a cycle for `worker` until `until`: true when this worker now holds it (it was
/// free, or its holder's time ran out before `now` and it was not done).
pub fn claim(
    conn: &mut DbConnection,
    cycle: &str,
    company: &CompanyCode,
    worker: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> Result<bool> {
    use pull_claims as p;
    let upsert = diesel::insert_into(p::table)
        .values((
            p::cycle.eq(cycle),
            p::company_code.eq(company.as_str()),
            p::worker.eq(worker),
            p::claimed_until.eq(until),
            p::attempts.eq(1),
            p::done_at.eq(None::<NaiveDateTime>),
        ))
        .on_conflict((p::cycle, p::company_code))
        .do_update()
        .set((
            p::worker.eq(excluded(p::worker)),
            p::claimed_until.eq(excluded(p::claimed_until)),
            p::attempts.eq(p::attempts + 1),
        ));
    // `ON CONFLICT … DO UPDATE … WHERE`: the stored claim is taken over only when it is not done and its time ran
    // out; otherwise nothing is written and no row counts. (`QueryDsl::filter` does not apply to an upsert.)
    let q = diesel::query_dsl::methods::FilterDsl::filter(upsert, p::done_at.is_null().and(p::claimed_until.lt(now)));
    let n = db_run!(conn: c => q.execute(c)?);
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
pub fn renew(
    conn: &mut DbConnection,
    cycle: &str,
    company: &CompanyCode,
    worker: &str,
    until: NaiveDateTime,
) -> Result<bool> {
    let n = diesel::update(held!(cycle, company.as_str(), worker))
        .set(pull_claims::claimed_until.eq(until))
        .execute(conn)?;
    Ok(n == 1)
}

/// Marks a claim this worker holds as done; false when another worker had taken it over.
pub fn finish(
    conn: &mut DbConnection,
    cycle: &str,
    company: &CompanyCode,
    worker: &str,
    now: NaiveDateTime,
) -> Result<bool> {
    let n =
        diesel::update(held!(cycle, company.as_str(), worker)).set(pull_claims::done_at.eq(Some(now))).execute(conn)?;
    Ok(n == 1)
}

/// One claim of a cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// The enterprise.
    pub company_code: String,
    /// The worker that holds (or held) it.
    pub worker: String,
    /// Until when it is held.
    pub claimed_until: NaiveDateTime,
    /// How many workers took it (1, or more after take-overs).
    pub attempts: i64,
    /// When the pull ended.
    pub done_at: Option<NaiveDateTime>,
}

/// Every claim of a cycle, by enterprise.
pub fn of_cycle(conn: &mut DbConnection, cycle: &str) -> Result<Vec<Claim>> {
    use pull_claims as p;
    let rows: Vec<(String, String, NaiveDateTime, i32, Option<NaiveDateTime>)> = p::table
        .filter(p::cycle.eq(cycle))
        .order(p::company_code.asc())
        .select((p::company_code, p::worker, p::claimed_until, p::attempts, p::done_at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(company_code, worker, claimed_until, attempts, done_at)| Claim {
            company_code,
            worker,
            claimed_until,
            attempts: attempts.into(),
            done_at,
        })
        .collect())
}
