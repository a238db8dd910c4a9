//! Stored weekly evaluations (`metrics.md` §6, "published means stored"). The weekly job stores revision 1 of a week
//! (in `evaluations`, as every release did); a correction stores the whole week again as the next revision (in
//! `evaluation_revision_rows`). `evaluation_revisions` describes each revision. Nothing stored is ever changed or
//! deleted, so every revision stays readable.

use crate::backend::db_run;
use crate::schema::{evaluation_revision_rows, evaluation_revisions, evaluations};
use crate::tx::write_transaction;
use crate::{DbConnection, Result};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A stored evaluation of one enterprise for one week, in any revision.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = evaluation_revision_rows)]
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
    /// Every component, as JSON (the API's evaluation row).
    pub payload: String,
    /// 1 for the weekly job's evaluation, then one more for each correction.
    pub revision: i32,
}

/// A row of revision 1, as `evaluations` holds it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = evaluations)]
struct FirstRow {
    week: String,
    company_code: String,
    as_of: NaiveDateTime,
    score_tenths: i32,
    grade: String,
    payload: String,
}

impl FirstRow {
    fn of(r: &EvaluationRow) -> FirstRow {
        FirstRow {
            week: r.week.clone(),
            company_code: r.company_code.clone(),
            as_of: r.as_of,
            score_tenths: r.score_tenths,
            grade: r.grade.clone(),
            payload: r.payload.clone(),
        }
    }

    fn into_row(self) -> EvaluationRow {
        let FirstRow { week, company_code, as_of, score_tenths, grade, payload } = self;
        EvaluationRow { week, company_code, as_of, score_tenths, grade, payload, revision: 1 }
    }
}

/// One stored revision of a week.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = evaluation_revisions)]
pub struct RevisionRow {
    /// The ISO week.
    pub week: String,
    /// The revision, from 1.
    pub revision: i32,
    /// What was known when it was computed (UTC); it is published from this moment.
    pub as_of: NaiveDateTime,
    /// Who stored it: `job` for the weekly job, else the caller's subject.
    pub actor: String,
    /// Why (empty for revision 1).
    pub reason: String,
    /// How many enterprises it evaluates.
    pub enterprises: i32,
}

/// Stores a week's evaluations as revision 1 unless the week is already stored; returns whether they were stored.
pub fn freeze(conn: &mut DbConnection, week: &str, as_of: NaiveDateTime, rows: &[EvaluationRow]) -> Result<bool> {
    write_transaction(conn, |c| {
        if latest_revision(c, week)?.is_some() {
            return Ok(false);
        }
        insert(c, &revision_row(week, 1, as_of, "job", "", rows), rows)?;
        Ok(true)
    })
}

/// Stores a correction of a stored week as its next revision; `None` when the week has no stored revision (a
/// provisional week is not corrected, it is computed live). Returns the new revision.
pub fn revise(
    conn: &mut DbConnection,
    week: &str,
    as_of: NaiveDateTime,
    actor: &str,
    reason: &str,
    rows: &[EvaluationRow],
) -> Result<Option<i32>> {
    write_transaction(conn, |c| {
        let Some(latest) = latest_revision(c, week)? else {
            return Ok(None);
        };
        let revision = latest + 1;
        insert(c, &revision_row(week, revision, as_of, actor, reason, rows), rows)?;
        Ok(Some(revision))
    })
}

fn revision_row(
    week: &str,
    revision: i32,
    as_of: NaiveDateTime,
    actor: &str,
    reason: &str,
    rows: &[EvaluationRow],
) -> RevisionRow {
    RevisionRow {
        week: week.to_owned(),
        revision,
        as_of,
        actor: actor.to_owned(),
        reason: reason.to_owned(),
        enterprises: i32::try_from(rows.len()).unwrap_or(i32::MAX),
    }
}

fn insert(c: &mut DbConnection, head: &RevisionRow, rows: &[EvaluationRow]) -> Result<()> {
    diesel::insert_into(evaluation_revisions::table).values(head).execute(c)?;
    for chunk in rows.chunks(200) {
        if head.revision == 1 {
            let chunk: Vec<FirstRow> = chunk.iter().map(FirstRow::of).collect();
            db_run!(c: c => diesel::insert_into(evaluations::table).values(&chunk).execute(c)?);
        } else {
            let chunk: Vec<EvaluationRow> =
                chunk.iter().cloned().map(|r| EvaluationRow { revision: head.revision, ..r }).collect();
            db_run!(c: c => diesel::insert_into(evaluation_revision_rows::table).values(&chunk).execute(c)?);
        }
    }
    Ok(())
}

/// The newest revision of a week, `None` when it is not stored.
pub fn latest_revision(conn: &mut DbConnection, week: &str) -> Result<Option<i32>> {
    Ok(evaluation_revisions::table
        .filter(evaluation_revisions::week.eq(week))
        .select(diesel::dsl::max(evaluation_revisions::revision))
        .first(conn)?)
}

/// Every stored revision of every week, by week and revision.
pub fn revisions(conn: &mut DbConnection) -> Result<Vec<RevisionRow>> {
    Ok(evaluation_revisions::table
        .select(RevisionRow::as_select())
        .order((evaluation_revisions::week.asc(), evaluation_revisions::revision.asc()))
        .load(conn)?)
}

/// How many revisions are stored in all: revisions are only ever added, so a cache of them is current while this
/// number is unchanged.
pub fn revision_count(conn: &mut DbConnection) -> Result<i64> {
    Ok(evaluation_revisions::table.count().get_result(conn)?)
}

/// Every stored row of every revision, by week, revision and enterprise (a province-year holds 176 × 52 = 9,152
/// rows of revision 1).
pub fn all_rows(conn: &mut DbConnection) -> Result<Vec<EvaluationRow>> {
    let first: Vec<FirstRow> = evaluations::table.select(FirstRow::as_select()).load(conn)?;
    let later: Vec<EvaluationRow> = evaluation_revision_rows::table.select(EvaluationRow::as_select()).load(conn)?;
    let mut all: Vec<EvaluationRow> = first.into_iter().map(FirstRow::into_row).chain(later).collect();
    all.sort_by(|a, b| (&a.week, a.revision, &a.company_code).cmp(&(&b.week, b.revision, &b.company_code)));
    Ok(all)
}
