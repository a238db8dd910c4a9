//! Cases: opened and cleared by the change detector, read by the routes, listed with filters.

use super::{Limits, SYSTEM, actions, notify};
use crate::schema::warning_cases;
use crate::{DbConnection, Result};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::handling::HandlingState;

/// A stored case.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = warning_cases)]
pub struct CaseRow {
    /// The case number (1, 2, …).
    pub id: i64,
    /// The stable id of the warning's cause (`{companyCode}.{kind}[.{dangerId}]`).
    pub warning_id: String,
    /// The enterprise.
    pub company_code: String,
    /// Its city.
    pub city_code: String,
    /// The warning's kind key.
    pub kind: String,
    /// `red`, `orange` or `yellow`.
    pub level: String,
    /// What was wrong when it opened (Chinese).
    pub detail: String,
    /// When the warning opened (UTC).
    pub opened_at: NaiveDateTime,
    /// By when it must be signed.
    pub sign_due: NaiveDateTime,
    /// By when it must be closed (the supervision deadline once supervised).
    pub close_due: NaiveDateTime,
    /// The state key (`domain::handling::HandlingState`).
    pub state: String,
    /// When it was signed.
    pub signed_at: Option<NaiveDateTime>,
    /// Who signed it.
    pub signed_by: Option<String>,
    /// When it was closed.
    pub closed_at: Option<NaiveDateTime>,
    /// Who closed it (`system` when a non-red cause cleared).
    pub closed_by: Option<String>,
    /// When its cause cleared, while cleared.
    pub cleared_at: Option<NaiveDateTime>,
    /// When the province supervised it (挂牌督办).
    pub supervised_at: Option<NaiveDateTime>,
    /// The supervision deadline.
    pub supervise_deadline: Option<NaiveDateTime>,
    /// How many times it was returned.
    pub returns: i32,
    /// When it was first escalated.
    pub escalated_at: Option<NaiveDateTime>,
    /// How many reasons escalated it (0–3).
    pub escalation_level: i32,
    /// When it last changed.
    pub updated_at: NaiveDateTime,
}

impl CaseRow {
    /// Its state (a stored key that is not one reads as pending, the state that asks for attention).
    pub fn handling_state(&self) -> HandlingState {
        HandlingState::parse(&self.state).unwrap_or(HandlingState::PendingSign)
    }

    /// Whether it is red.
    pub fn is_red(&self) -> bool {
        self.level == "red"
    }
}

/// A warning as the detector saw it open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    /// The stable id of its cause.
    pub warning_id: String,
    /// The enterprise.
    pub company_code: String,
    /// Its city.
    pub city_code: String,
    /// The kind key.
    pub kind: String,
    /// The level key.
    pub level: String,
    /// What is wrong.
    pub detail: String,
}

/// The latest case of a warning id.
pub fn latest(conn: &mut DbConnection, warning_id: &str) -> Result<Option<CaseRow>> {
    Ok(warning_cases::table
        .filter(warning_cases::warning_id.eq(warning_id))
        .order(warning_cases::id.desc())
        .select(CaseRow::as_select())
        .first(conn)
        .optional()?)
}

/// A case by number.
pub fn by_id(conn: &mut DbConnection, id: i64) -> Result<Option<CaseRow>> {
    Ok(warning_cases::table.find(id).select(CaseRow::as_select()).first(conn).optional()?)
}

/// Opens a case for a warning that opened at `now`, inside the caller's transaction: a new case, or, when the
/// latest case of the same cause is still open (a red one cleared and not yet verified), that case again. Notifies
/// the people in scope. Returns the case number.
pub fn open(conn: &mut DbConnection, w: &Opened, limits: &Limits, now: NaiveDateTime) -> Result<i64> {
    if let Some(case) = latest(conn, &w.warning_id)?.filter(|c| c.handling_state() != HandlingState::Closed) {
        if case.cleared_at.is_none() {
            // Already open (another detector opened it first): nothing to do.
            return Ok(case.id);
        }
        diesel::update(warning_cases::table.find(case.id))
            .set((warning_cases::cleared_at.eq(None::<NaiveDateTime>), warning_cases::updated_at.eq(now)))
            .execute(conn)?;
        actions::system_step(conn, case.id, "reopened", "预警原因再次出现", now)?;
        return Ok(case.id);
    }
    let red = w.level == "red";
    let sign_due = now + if red { limits.sign_within_red } else { limits.sign_within };
    let id: i64 = diesel::insert_into(warning_cases::table)
        .values((
            warning_cases::warning_id.eq(&w.warning_id),
            warning_cases::company_code.eq(&w.company_code),
            warning_cases::city_code.eq(&w.city_code),
            warning_cases::kind.eq(&w.kind),
            warning_cases::level.eq(&w.level),
            warning_cases::detail.eq(&w.detail),
            warning_cases::opened_at.eq(now),
            warning_cases::sign_due.eq(sign_due),
            warning_cases::close_due.eq(now + limits.close_within),
            warning_cases::state.eq(HandlingState::PendingSign.key()),
            warning_cases::returns.eq(0),
            warning_cases::escalation_level.eq(0),
            warning_cases::updated_at.eq(now),
        ))
        .returning(warning_cases::id)
        .get_result(conn)?;
    actions::system_step(conn, id, "opened", &w.detail, now)?;
    let case = by_id(conn, id)?.ok_or(diesel::result::Error::NotFound)?;
    notify::about(conn, &case, "opened", None, now)?;
    Ok(id)
}

/// Marks the open case of a warning whose cause cleared at `now`, inside the caller's transaction: a red case stays
/// open until verified; any other is closed by the system. Returns whether a case was closed.
pub fn clear(conn: &mut DbConnection, warning_id: &str, now: NaiveDateTime) -> Result<bool> {
    let Some(case) =
        latest(conn, warning_id)?.filter(|c| c.handling_state() != HandlingState::Closed && c.cleared_at.is_none())
    else {
        return Ok(false);
    };
    if case.is_red() {
        diesel::update(warning_cases::table.find(case.id))
            .set((warning_cases::cleared_at.eq(now), warning_cases::updated_at.eq(now)))
            .execute(conn)?;
        actions::system_step(conn, case.id, "cleared", "预警原因已消除，红色预警仍需核销办结", now)?;
        return Ok(false);
    }
    diesel::update(warning_cases::table.find(case.id))
        .set((
            warning_cases::cleared_at.eq(now),
            warning_cases::state.eq(HandlingState::Closed.key()),
            warning_cases::closed_at.eq(now),
            warning_cases::closed_by.eq(SYSTEM),
            warning_cases::updated_at.eq(now),
        ))
        .execute(conn)?;
    actions::system_step(conn, case.id, "cleared", "预警原因已消除，自动办结", now)?;
    Ok(true)
}

/// The warning ids of the cases not closed, each with whether its cause has cleared.
pub fn open_ids(conn: &mut DbConnection) -> Result<std::collections::HashMap<String, bool>> {
    let rows: Vec<(String, Option<NaiveDateTime>)> = warning_cases::table
        .filter(warning_cases::state.ne(HandlingState::Closed.key()))
        .select((warning_cases::warning_id, warning_cases::cleared_at))
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, cleared)| (id, cleared.is_some())).collect())
}

/// Opens and clears cases as a detector pass found them, in one transaction (a savepoint inside the caller's): on
/// PostgreSQL two detectors take turns, and [`open`] and [`clear`] do nothing twice.
pub fn follow(
    conn: &mut DbConnection,
    opened: &[Opened],
    cleared: &[String],
    limits: &Limits,
    now: NaiveDateTime,
) -> Result<()> {
    if opened.is_empty() && cleared.is_empty() {
        return Ok(());
    }
    // A transaction of its own, or a savepoint in the caller's.
    conn.transaction(|c| {
        crate::lock::xact_lock(c, crate::lock::LockKey::Table("warning_cases"))?;
        for w in opened {
            open(c, w, limits, now)?;
        }
        for id in cleared {
            clear(c, id, now)?;
        }
        Ok(())
    })
}

/// Filters of [`list`]; `None` is any.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// One city.
    pub city: Option<String>,
    /// One enterprise.
    pub company: Option<String>,
    /// One state key.
    pub state: Option<String>,
    /// One level key.
    pub level: Option<String>,
    /// One kind key.
    pub kind: Option<String>,
    /// Only escalated (true) or only not escalated (false).
    pub escalated: Option<bool>,
    /// Only supervised (true) or only not (false).
    pub supervised: Option<bool>,
    /// Only cases still open (not 已办结).
    pub open: bool,
}

/// The query of the cases matching a filter.
fn filtered(f: &Filter) -> warning_cases::BoxedQuery<'static, crate::conn::MultiBackend> {
    let mut q = warning_cases::table.into_boxed();
    if let Some(c) = &f.city {
        q = q.filter(warning_cases::city_code.eq(c.clone()));
    }
    if let Some(c) = &f.company {
        q = q.filter(warning_cases::company_code.eq(c.clone()));
    }
    if let Some(s) = &f.state {
        q = q.filter(warning_cases::state.eq(s.clone()));
    }
    if f.open {
        q = q.filter(warning_cases::state.ne(HandlingState::Closed.key()));
    }
    if let Some(l) = &f.level {
        q = q.filter(warning_cases::level.eq(l.clone()));
    }
    if let Some(k) = &f.kind {
        q = q.filter(warning_cases::kind.eq(k.clone()));
    }
    match f.escalated {
        Some(true) => q = q.filter(warning_cases::escalation_level.gt(0)),
        Some(false) => q = q.filter(warning_cases::escalation_level.eq(0)),
        None => {}
    }
    match f.supervised {
        Some(true) => q = q.filter(warning_cases::supervised_at.is_not_null()),
        Some(false) => q = q.filter(warning_cases::supervised_at.is_null()),
        None => {}
    }
    q
}

/// The cases matching a filter, newest first, at most `limit` from `offset`.
pub fn list(conn: &mut DbConnection, f: &Filter, limit: i64, offset: i64) -> Result<Vec<CaseRow>> {
    Ok(filtered(f)
        .order(warning_cases::id.desc())
        .limit(limit)
        .offset(offset)
        .select(CaseRow::as_select())
        .load(conn)?)
}

/// How many cases match a filter.
pub fn count(conn: &mut DbConnection, f: &Filter) -> Result<i64> {
    Ok(filtered(f).count().get_result(conn)?)
}

/// How many cases match a filter, by state key.
pub fn counts(conn: &mut DbConnection, f: &Filter) -> Result<Vec<(String, i64)>> {
    let mut q = warning_cases::table
        .group_by(warning_cases::state)
        .select((warning_cases::state, diesel::dsl::count_star()))
        .into_boxed();
    if let Some(c) = &f.city {
        q = q.filter(warning_cases::city_code.eq(c.clone()));
    }
    if let Some(c) = &f.company {
        q = q.filter(warning_cases::company_code.eq(c.clone()));
    }
    Ok(q.load(conn)?)
}

/// The registry names of enterprises, by code (codes not registered are absent).
pub fn company_names(conn: &mut DbConnection, codes: &[String]) -> Result<std::collections::HashMap<String, String>> {
    use crate::schema::enterprises;
    let rows: Vec<(String, String)> = enterprises::table
        .filter(enterprises::company_code.eq_any(codes))
        .select((enterprises::company_code, enterprises::name))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}
