//! The timeline of a case and the actions people take on it. An action, its timeline row, its event and its
//! notifications are written in one transaction; the state changes only from the state the action was checked
//! against, so two people acting at once cannot both move the case.

use super::attachments::{self, FileRef, NewFile};
use super::cases::{self, CaseRow};
use super::notify;
use crate::events::{self, NewEvent};
use crate::schema::{warning_actions, warning_cases};
use crate::tx::write_transaction;
use crate::{DbConnection, Result};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::handling::{Action, HandlingState};

/// One row of a timeline.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = warning_actions)]
pub struct StepRow {
    /// Its number.
    pub id: i64,
    /// The case.
    pub case_id: i64,
    /// An action key (`sign` …) or a system step (`opened`, `cleared`, `reopened`, `escalated`).
    pub action: String,
    /// The username, or `system`.
    pub actor: String,
    /// The actor's role key, for people.
    pub role: Option<String>,
    /// When (UTC).
    pub at: NaiveDateTime,
    /// The note (measures, reason, instruction).
    pub note: String,
    /// The deadline a supervision set.
    pub deadline: Option<NaiveDateTime>,
    /// The files, JSON `[{sha256, name, contentType, size}]`.
    pub attachments: String,
    /// The state before, for actions.
    pub from_state: Option<String>,
    /// The state after, for actions.
    pub to_state: Option<String>,
}

impl StepRow {
    /// The files attached (a stored list that does not parse reads as none).
    pub fn files(&self) -> Vec<FileRef> {
        serde_json::from_str(&self.attachments).unwrap_or_default()
    }
}

/// The timeline of a case, oldest first.
pub fn timeline(conn: &mut DbConnection, case_id: i64) -> Result<Vec<StepRow>> {
    Ok(warning_actions::table
        .filter(warning_actions::case_id.eq(case_id))
        .order(warning_actions::id.asc())
        .select(StepRow::as_select())
        .load(conn)?)
}

/// Appends a step the platform took (no state change of its own), inside the caller's transaction.
pub fn system_step(conn: &mut DbConnection, case_id: i64, step: &str, note: &str, now: NaiveDateTime) -> Result<()> {
    diesel::insert_into(warning_actions::table)
        .values((
            warning_actions::case_id.eq(case_id),
            warning_actions::action.eq(step),
            warning_actions::actor.eq(super::SYSTEM),
            warning_actions::at.eq(now),
            warning_actions::note.eq(note),
            warning_actions::attachments.eq("[]"),
        ))
        .execute(conn)?;
    Ok(())
}

/// A person's action, checked for permission by the caller.
#[derive(Debug, Clone)]
pub struct Act {
    /// What.
    pub action: Action,
    /// The username.
    pub actor: String,
    /// The role key.
    pub role: String,
    /// The note.
    pub note: String,
    /// The deadline (supervise).
    pub deadline: Option<NaiveDateTime>,
    /// Respond's flag: measures complete, for verification (default) or progress only.
    pub done: bool,
    /// Files to attach.
    pub files: Vec<NewFile>,
}

/// What came of an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Acted {
    /// Done: the case as it is now.
    Done(Box<CaseRow>),
    /// The action does not apply in the case's state.
    Refused(HandlingState),
}

/// Takes an action on a case at `now`.
pub fn act(conn: &mut DbConnection, case_id: i64, act: &Act, now: NaiveDateTime) -> Result<Acted> {
    write_transaction(conn, |c| {
        let case = cases::by_id(c, case_id)?.ok_or(diesel::result::Error::NotFound)?;
        let from = case.handling_state();
        let Some(to) = act.action.next(from, act.done) else { return Ok(Acted::Refused(from)) };
        let changed = apply(c, &case, act, to, now)?;
        if changed == 0 {
            // Someone moved it first (PostgreSQL); read the state that holds now. Nothing was written.
            let now_state = cases::by_id(c, case_id)?.map_or(from, |x| x.handling_state());
            return Ok(Acted::Refused(now_state));
        }
        let files: Vec<FileRef> =
            act.files.iter().map(|f| attachments::put(c, case_id, f, now)).collect::<Result<_>>()?;
        let listed = serde_json::to_string(&files).unwrap_or_else(|_| "[]".into());
        diesel::insert_into(warning_actions::table)
            .values((
                warning_actions::case_id.eq(case_id),
                warning_actions::action.eq(act.action.key()),
                warning_actions::actor.eq(&act.actor),
                warning_actions::role.eq(&act.role),
                warning_actions::at.eq(now),
                warning_actions::note.eq(&act.note),
                warning_actions::deadline.eq(act.deadline),
                warning_actions::attachments.eq(listed),
                warning_actions::from_state.eq(from.key()),
                warning_actions::to_state.eq(to.key()),
            ))
            .execute(c)?;
        let case = cases::by_id(c, case_id)?.ok_or(diesel::result::Error::NotFound)?;
        let data = serde_json::json!({
            "id": case.warning_id, "caseId": case.id, "action": act.action.key(), "level": case.level,
            "from": from.key(), "state": to.key(), "stateLabel": to.label(), "actor": act.actor,
            "note": act.note, "deadline": act.deadline.map(domain::time::format_local),
        });
        let company = domain::CompanyCode::parse(&case.company_code).ok();
        let event = NewEvent::new(act.action.event(), Some(&case.city_code), company.as_ref(), &data, now);
        events::append(c, &[event])?;
        notify::about(c, &case, act.action.key(), Some(&act.actor), now)?;
        Ok(Acted::Done(Box::new(case)))
    })
}

/// Moves the case to `to` with the action's own fields, only if it is still in the state it was read in.
fn apply(c: &mut DbConnection, case: &CaseRow, act: &Act, to: HandlingState, now: NaiveDateTime) -> Result<usize> {
    use warning_cases as w;
    let target = w::table.filter(w::id.eq(case.id)).filter(w::state.eq(case.state.clone()));
    let base = (w::state.eq(to.key()), w::updated_at.eq(now));
    let n = match act.action {
        Action::Sign => {
            diesel::update(target).set((base, w::signed_at.eq(now), w::signed_by.eq(&act.actor))).execute(c)?
        }
        Action::Verify => {
            diesel::update(target).set((base, w::closed_at.eq(now), w::closed_by.eq(&act.actor))).execute(c)?
        }
        Action::Return => diesel::update(target).set((base, w::returns.eq(w::returns + 1))).execute(c)?,
        Action::Supervise => diesel::update(target)
            .set((
                base,
                w::supervised_at.eq(case.supervised_at.unwrap_or(now)),
                w::supervise_deadline.eq(act.deadline),
                w::close_due.eq(act.deadline.unwrap_or(case.close_due)),
            ))
            .execute(c)?,
        Action::Respond | Action::Note => diesel::update(target).set(base).execute(c)?,
    };
    Ok(n)
}
