//! Stored monthly reports: frozen when made, never changed. A correction is a new revision of the same month and
//! scope; every revision stays readable.

use crate::backend::db_run;
use crate::schema::reports;
use crate::tx::write_transaction;
use crate::{DbConnection, Result};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A stored report with its files.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = reports)]
pub struct ReportRow {
    /// What the report is, without its files.
    #[diesel(embed)]
    pub meta: ReportMeta,
    /// The report content as JSON.
    pub content: String,
    /// The HTML rendering.
    pub html: String,
    /// The XLSX rendering.
    pub xlsx: Vec<u8>,
}

/// A stored report without its files (for listings).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = reports)]
pub struct ReportMeta {
    /// The id, e.g. `2026-11.province.r1` or `2026-11.140100.r2` (see [`report_id`]).
    pub id: String,
    /// The month whose 20th ends the report period, e.g. `2026-11`.
    pub month: String,
    /// `province` or a city code.
    pub scope: String,
    /// 1 for the report of the 20th; corrections count up.
    pub revision: i32,
    /// What was known when it was made (UTC).
    pub as_of: NaiveDateTime,
    /// What a revision changed (empty for revision 1).
    pub note: String,
    /// When it was stored (UTC).
    pub created_at: NaiveDateTime,
    /// Who made it: `job` for the scheduled job, else the caller.
    pub created_by: String,
}

/// The id of a report: `{month}.{scope}.r{revision}`.
pub fn report_id(month: &str, scope: &str, revision: i32) -> String {
    format!("{month}.{scope}.r{revision}")
}

/// The revision the next report of a month and scope gets (1 when there is none).
pub fn next_revision(conn: &mut DbConnection, month: &str, scope: &str) -> Result<i32> {
    let max: Option<i32> = reports::table
        .filter(reports::month.eq(month))
        .filter(reports::scope.eq(scope))
        .select(diesel::dsl::max(reports::revision))
        .first(conn)?;
    Ok(max.unwrap_or(0) + 1)
}

/// Stores a report unless its id is taken; returns whether it was stored. A stored report is never overwritten.
pub fn insert(conn: &mut DbConnection, row: &ReportRow) -> Result<bool> {
    write_transaction(conn, |c| {
        let taken: i64 = reports::table.filter(reports::id.eq(&row.meta.id)).count().get_result(c)?;
        if taken > 0 {
            return Ok(false);
        }
        db_run!(c: c => diesel::insert_into(reports::table).values(row).execute(c)?);
        Ok(true)
    })
}

/// Stored reports, newest month first, then scope (province first) and revision; optionally one month and/or a set
/// of scopes.
pub fn list(conn: &mut DbConnection, month: Option<&str>, scopes: Option<&[String]>) -> Result<Vec<ReportMeta>> {
    let mut q = reports::table.select(ReportMeta::as_select()).into_boxed();
    if let Some(m) = month {
        q = q.filter(reports::month.eq(m.to_owned()));
    }
    if let Some(scopes) = scopes {
        q = q.filter(reports::scope.eq_any(scopes.to_vec()));
    }
    let mut rows: Vec<ReportMeta> = q.load(conn)?;
    rows.sort_by(|a, b| {
        b.month
            .cmp(&a.month)
            .then_with(|| (a.scope != "province").cmp(&(b.scope != "province")))
            .then_with(|| a.scope.cmp(&b.scope))
            .then_with(|| a.revision.cmp(&b.revision))
    });
    Ok(rows)
}

/// One stored report with its files.
pub fn get(conn: &mut DbConnection, id: &str) -> Result<Option<ReportRow>> {
    Ok(reports::table.find(id).select(ReportRow::as_select()).first(conn).optional()?)
}
