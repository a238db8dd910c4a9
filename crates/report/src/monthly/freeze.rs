//! Making and freezing reports: the job of the 20th (08:00 Asia/Shanghai) stores revision 1 of the province's and
//! every city's report, made as of that moment; a correction stores a new revision with its own `asOf` and note.
//! Made from the same `asOf`, a report is byte-identical (nothing in it reads the clock).

use super::build::{Basis, Extras, Request, build, month_label};
use super::content::{MonthlyReport, ReportScope};
use super::{RenderError, docx, extras, html, xlsx};
use crate::figures::Source;
use chrono::{Datelike, NaiveDateTime, NaiveTime};
use domain::Code;
use domain::time::{local_to_utc, utc_to_local};
use domain::{City, Period};
use storage::reports::{self, ReportMeta, ReportRow, report_id};
use storage::{DbConnection, StorageError};
use thiserror::Error;

/// A failure to make a report.
#[derive(Debug, Error)]
pub enum ReportError {
    /// Reading or storing failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// Rendering failed.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// The period is not a report month.
    #[error("不是报告月份 / not a report month: {0}")]
    NotReportMonth(String),
    /// The report of the month is not due yet (its 20th 08:00 has not come).
    #[error("报告尚未到期 / the report of {0} is not due yet")]
    NotDue(String),
    /// The content could not be serialised.
    #[error("报告内容无效 / invalid report content: {0}")]
    Content(String),
}

impl ReportError {
    /// The stable snake_case code.
    pub fn code(&self) -> Code {
        match self {
            ReportError::Storage(e) => e.code(),
            ReportError::Render(e) => e.code(),
            ReportError::NotReportMonth(_) => Code::BadPeriod,
            ReportError::NotDue(_) => Code::ReportNotDue,
            ReportError::Content(_) => Code::RenderFailed,
        }
    }
}

/// The time of day the report of the 20th is made (Asia/Shanghai).
pub const REPORT_TIME: NaiveTime = NaiveTime::from_hms_opt(8, 0, 0).expect("08:00 is a valid time");

/// The report month of a month label `2026-11` (the period ending on 2026-11-20).
pub fn report_month(label: &str) -> Result<Period, ReportError> {
    match Period::parse(label) {
        Ok(Period::Month { year, month }) => Ok(Period::ReportMonth { year, month }),
        Ok(p @ Period::ReportMonth { .. }) => Ok(p),
        _ => Err(ReportError::NotReportMonth(label.to_owned())),
    }
}

/// When the report of a month is due and made: its 20th at 08:00 Asia/Shanghai, as UTC.
pub fn scheduled_as_of(month: Period) -> NaiveDateTime {
    local_to_utc(month.to_date().and_time(REPORT_TIME))
}

/// The latest report month whose report is due at `now` (UTC).
pub fn last_due(now: NaiveDateTime) -> Period {
    let local = utc_to_local(now);
    let this = Period::ReportMonth { year: local.year(), month: local.month() };
    if now >= scheduled_as_of(this) { this } else { this.previous() }
}

/// Every scope a month has reports for: the province, then the 11 cities in GB/T order.
pub fn scopes() -> Vec<ReportScope> {
    std::iter::once(ReportScope::Province)
        .chain(City::ALL.iter().map(|c| ReportScope::City(c.code().to_owned())))
        .collect()
}

/// The key of a scope in ids and storage: `province` or the city code.
pub fn scope_key(scope: &ReportScope) -> &str {
    match scope {
        ReportScope::Province => "province",
        ReportScope::City(code) => code,
    }
}

/// A report with its renderings, ready to store.
pub fn render(report: &MonthlyReport, created_at: NaiveDateTime, created_by: &str) -> Result<ReportRow, ReportError> {
    let content = serde_json::to_string(report).map_err(|e| ReportError::Content(e.to_string()))?;
    let revision = i32::try_from(report.revision).map_err(|e| ReportError::Content(e.to_string()))?;
    let meta = ReportMeta {
        id: report_id(&report.month, scope_key(&report.scope), revision),
        month: report.month.clone(),
        scope: scope_key(&report.scope).to_owned(),
        revision,
        as_of: report.as_of,
        note: report.note.clone(),
        created_at,
        created_by: created_by.to_owned(),
    };
    Ok(ReportRow { meta, content, html: html::to_html(report), xlsx: xlsx::to_xlsx(report)? })
}

/// The .docx of a stored revision, made from its stored content (the JSON of [`ReportRow::content`]): the .docx
/// is not stored, and the same content always gives the same bytes (`docs/reports.md`).
pub fn docx_of_content(content: &str) -> Result<Vec<u8>, ReportError> {
    let report: MonthlyReport = serde_json::from_str(content).map_err(|e| ReportError::Content(e.to_string()))?;
    Ok(docx::to_docx(&report)?)
}

/// Builds one report from the database as of `as_of` (the province's data is loaded: the city ranking needs it).
pub fn make(
    conn: &mut DbConnection,
    source: &dyn Source,
    month: Period,
    scope: ReportScope,
    revision: u32,
    note: &str,
    as_of: NaiveDateTime,
) -> Result<MonthlyReport, ReportError> {
    let known = source.known_at(conn, None, as_of, as_of, crate::figures::since(month))?;
    let extras = extras::load(conn, &known, month)?;
    let basis = Basis::compute(&known, month);
    Ok(build(&known, &basis, &Request { month, scope, revision, note: note.to_owned() }, extras)?)
}

/// The scopes whose report of a month is not stored yet.
pub fn missing(conn: &mut DbConnection, month: Period) -> Result<Vec<ReportScope>, StorageError> {
    let stored = reports::list(conn, Some(&month_label(month)), None)?;
    Ok(scopes().into_iter().filter(|s| !stored.iter().any(|r| r.scope == scope_key(s))).collect())
}

/// Stores revision 1 of every scope of a month not stored yet, made as of `now` (on the 20th at 08:00, or later when
/// catching up after downtime: the report then holds what was known when it was made, and says so). Returns the ids
/// stored; nothing when every scope is stored.
pub fn freeze_month(
    conn: &mut DbConnection,
    source: &dyn Source,
    month: Period,
    now: NaiveDateTime,
    created_by: &str,
) -> Result<Vec<String>, ReportError> {
    if now < scheduled_as_of(month) {
        return Err(ReportError::NotDue(month_label(month)));
    }
    let missing = missing(conn, month)?;
    if missing.is_empty() {
        return Ok(Vec::new());
    }
    let known = source.known_at(conn, None, now, now, crate::figures::since(month))?;
    let extras: Extras = extras::load(conn, &known, month)?;
    let basis = Basis::compute(&known, month);
    let mut stored = Vec::new();
    for scope in missing {
        let req = Request { month, scope, revision: 1, note: String::new() };
        let row = render(&build(&known, &basis, &req, extras.clone())?, now, created_by)?;
        if reports::insert(conn, &row)? {
            stored.push(row.meta.id);
        }
    }
    Ok(stored)
}

/// Stores a correction: the next revision of a month and scope, made as of `now`, with a note of what changed.
pub fn revise(
    conn: &mut DbConnection,
    source: &dyn Source,
    month: Period,
    scope: ReportScope,
    note: &str,
    now: NaiveDateTime,
    created_by: &str,
) -> Result<ReportRow, ReportError> {
    if now < scheduled_as_of(month) {
        return Err(ReportError::NotDue(month_label(month)));
    }
    let revision = reports::next_revision(conn, &month_label(month), scope_key(&scope))?;
    let revision = u32::try_from(revision).map_err(|e| ReportError::Content(e.to_string()))?;
    let report = make(conn, source, month, scope, revision, note, now)?;
    let row = render(&report, now, created_by)?;
    reports::insert(conn, &row)?;
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn the_report_of_the_20th_is_due_at_08_00_local() {
        let nov = Period::ReportMonth { year: 2026, month: 11 };
        assert_eq!(scheduled_as_of(nov), utc("2026-11-20 00:00:00"), "08:00 +08:00 is 00:00 UTC");
        assert_eq!(last_due(utc("2026-11-19 23:59:59")), Period::ReportMonth { year: 2026, month: 10 });
        assert_eq!(last_due(utc("2026-11-20 00:00:00")), nov);
        assert_eq!(last_due(utc("2026-12-19 23:59:59")), nov);
        // Local 2027-01-05 is still before the January report: the December one is the last due.
        assert_eq!(last_due(utc("2027-01-05 03:00:00")), Period::ReportMonth { year: 2026, month: 12 });
        // UTC 2026-12-31 20:00 is local 2027-01-01 04:00.
        assert_eq!(last_due(utc("2026-12-31 20:00:00")), Period::ReportMonth { year: 2026, month: 12 });
        assert_eq!(report_month("2026-11").unwrap(), nov);
        assert_eq!(report_month("2026-11R").unwrap(), nov);
        assert_eq!(report_month("2026-W47").unwrap_err().code(), "bad_period");
        assert_eq!(scopes().len(), 12);
        assert_eq!(reports_id_of(&ReportScope::City("140100".into())), "2026-11.140100.r1");
    }

    fn reports_id_of(scope: &ReportScope) -> String {
        report_id("2026-11", scope_key(scope), 1)
    }
}
