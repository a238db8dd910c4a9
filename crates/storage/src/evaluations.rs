//! Stored weekly evaluations: frozen at the moment the weekly job computed them, never changed afterwards.

use crate::schema::{enterprises, evaluations, job_runs};
use crate::tx::write_transaction;
use crate::{DbConnection, Result};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::City;

/// A stored evaluation of one enterprise for one week.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = evaluations)]
pub struct EvaluationRow {
    /// The ISO week, e.g. `2026-W47`.
    pub week: String,
    /// The enterprise.
    pub company_code: String,
    /// What was known when it was computed (UTC).
    pub as_of: NaiveDateTime,
    /// The score × 10.
    pub score_tenths: i32,
    /// 优, 良, 中 or 差.
    pub grade: String,
    /// Every component, as JSON.
    pub payload: String,
}

/// Stores a week's evaluations unless that week is already stored; returns whether they were stored.
pub fn freeze(conn: &mut DbConnection, week: &str, rows: &[EvaluationRow]) -> Result<bool> {
    write_transaction(conn, |c| {
        let existing: i64 = evaluations::table.filter(evaluations::week.eq(week)).count().get_result(c)?;
        if existing > 0 {
            return Ok(false);
        }
        for chunk in rows.chunks(200) {
            match c {
                DbConnection::Sqlite(s) => diesel::insert_into(evaluations::table).values(chunk).execute(s)?,
                DbConnection::Postgresql(p) => diesel::insert_into(evaluations::table).values(chunk).execute(p)?,
            };
        }
        Ok(true)
    })
}

/// The stored evaluations of a week (one city, or all), by enterprise code; empty when the week is not stored.
pub fn week(conn: &mut DbConnection, week: &str, city: Option<City>) -> Result<Vec<EvaluationRow>> {
    let mut q = evaluations::table
        .filter(evaluations::week.eq(week.to_owned()))
        .select(EvaluationRow::as_select())
        .into_boxed();
    if let Some(city) = city {
        let codes = enterprises::table.filter(enterprises::city_code.eq(city.code())).select(enterprises::company_code);
        q = q.filter(evaluations::company_code.eq_any(codes));
    }
    Ok(q.order(evaluations::company_code.asc()).load(conn)?)
}

/// A claimed run that has not finished after this long is taken to have died with its process.
pub const STALE_CLAIM: chrono::TimeDelta = chrono::TimeDelta::hours(1);

/// Claims a job run for a key: true when this caller should run it (no finished run of the key, and no claim younger
/// than [`STALE_CLAIM`]). Processes that claim the same run at the same moment are serialised (an advisory lock on
/// PostgreSQL, the single writer on SQLite): one gets true, the others false, none an error.
pub fn claim_run(conn: &mut DbConnection, job: &str, key: &str, now: NaiveDateTime) -> Result<bool> {
    write_transaction(conn, |c| {
        if let DbConnection::Postgresql(p) = c {
            diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1))::text")
                .bind::<diesel::sql_types::Text, _>(format!("job_runs:{job}:{key}"))
                .execute(p)?;
        }
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
