//! Escalation: a case not signed in time, supervised and past its deadline, or returned twice climbs to the province.
//! Each (case, reason) escalates once: the primary key of `warning_escalations` decides, so two workers running the
//! job at once write one escalation, one timeline step, one event and one set of notifications.

use super::actions::system_step;
use super::cases::CaseRow;
use super::notify;
use crate::events::{self, NewEvent};
use crate::schema::{warning_cases, warning_escalations};
use crate::tx::write_transaction;
use crate::{DbConnection, Result};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::handling::{Escalation, HandlingState};
use std::collections::HashSet;

/// How many escalations one transaction writes (keeps write locks short when thousands fall due at once).
const CHUNK: usize = 200;

/// The reasons that hold for an open case at `now`.
pub fn reasons(case: &CaseRow, now: NaiveDateTime) -> Vec<Escalation> {
    let state = case.handling_state();
    let mut out = Vec::new();
    if state == HandlingState::Closed {
        return out;
    }
    if state == HandlingState::PendingSign && case.sign_due < now {
        out.push(Escalation::Unsigned);
    }
    if case.supervise_deadline.is_some_and(|d| d < now) {
        out.push(Escalation::SupervisionOverdue);
    }
    if case.returns >= 2 {
        out.push(Escalation::ReturnedTwice);
    }
    out
}

/// The escalations of a case, oldest first: (reason key, when).
pub fn of_case(conn: &mut DbConnection, case_id: i64) -> Result<Vec<(String, NaiveDateTime)>> {
    Ok(warning_escalations::table
        .filter(warning_escalations::case_id.eq(case_id))
        .order(warning_escalations::at.asc())
        .select((warning_escalations::reason, warning_escalations::at))
        .load(conn)?)
}

/// Escalates every open case a reason holds for at `now` and that was not escalated for it; returns the
/// escalations written by this call (case number, reason).
pub fn run(conn: &mut DbConnection, now: NaiveDateTime) -> Result<Vec<(i64, Escalation)>> {
    use warning_cases as w;
    let candidates: Vec<CaseRow> = w::table
        .filter(w::state.ne(HandlingState::Closed.key()))
        .filter(
            (w::state.eq(HandlingState::PendingSign.key()).and(w::sign_due.lt(now)))
                .or(w::supervise_deadline.lt(now))
                .or(w::returns.ge(2)),
        )
        .select(CaseRow::as_select())
        .load(conn)?;
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    let open_ids = w::table.filter(w::state.ne(HandlingState::Closed.key())).select(w::id);
    let done: HashSet<(i64, String)> = warning_escalations::table
        .filter(warning_escalations::case_id.eq_any(open_ids))
        .select((warning_escalations::case_id, warning_escalations::reason))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let due: Vec<(&CaseRow, Escalation)> = candidates
        .iter()
        .flat_map(|c| reasons(c, now).into_iter().map(move |r| (c, r)))
        .filter(|(c, r)| !done.contains(&(c.id, r.key().to_owned())))
        .collect();
    let mut written = Vec::new();
    for chunk in due.chunks(CHUNK) {
        written.extend(write_transaction(conn, |c| {
            let mut out = Vec::new();
            for (case, reason) in chunk {
                if escalate(c, case.id, *reason, now)? {
                    out.push((case.id, *reason));
                }
            }
            Ok::<_, crate::StorageError>(out)
        })?);
    }
    Ok(written)
}

/// Writes one escalation unless it exists; returns whether it was written.
fn escalate(c: &mut DbConnection, case_id: i64, reason: Escalation, now: NaiveDateTime) -> Result<bool> {
    use warning_cases as w;
    let row = (
        warning_escalations::case_id.eq(case_id),
        warning_escalations::reason.eq(reason.key()),
        warning_escalations::at.eq(now),
    );
    let inserted = crate::backend::db_run!(c: c => diesel::insert_into(warning_escalations::table)
        .values(row)
        .on_conflict_do_nothing()
        .execute(c)?);
    if inserted == 0 {
        return Ok(false);
    }
    let first: Option<NaiveDateTime> = w::table.find(case_id).select(w::escalated_at).first(c)?;
    diesel::update(w::table.find(case_id))
        .set((
            w::escalation_level.eq(w::escalation_level + 1),
            w::escalated_at.eq(first.unwrap_or(now)),
            w::updated_at.eq(now),
        ))
        .execute(c)?;
    system_step(c, case_id, "escalated", reason.label(), now)?;
    let case: CaseRow = w::table.find(case_id).select(CaseRow::as_select()).first(c)?;
    let data = serde_json::json!({
        "id": case.warning_id, "caseId": case.id, "reason": reason.key(), "reasonLabel": reason.label(),
        "escalationLevel": case.escalation_level, "level": case.level, "state": case.state,
    });
    let company = domain::CompanyCode::parse(&case.company_code).ok();
    events::append(c, &[NewEvent::new("warning.escalated", Some(&case.city_code), company.as_ref(), &data, now)])?;
    notify::about(c, &case, "escalated", None, now)?;
    Ok(true)
}
