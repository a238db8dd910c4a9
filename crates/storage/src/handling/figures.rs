//! The handling figures of a month (`docs/metrics.md` §11): per city, 签收率, 按时签收率, 按时办结率, escalations and
//! supervised cases by state, counted over the cases opened in the month as they stand at a moment `at`.
//!
//! - A case opened after `at` is not counted at all.
//! - Signing: a case counts once it was signed, or once its sign time ran out (`sign_due < at`) while it still
//!   needed signing. A case the platform closed (a non-red cause cleared) at or before its sign time and never signed
//!   is not counted. Signed on time: `signed_at ≤ sign_due`.
//! - Closing: a case counts once a person closed it (核销), or once its close time ran out (`close_due < at`) unless
//!   the platform closed it at or before that time. Closed on time: closed by a person at or before the close time.
//!   The close time is the supervision deadline once supervised (挂牌督办), otherwise opened + 7 days. A case the
//!   platform closed after its close time counts, and not on time.
//! - Escalated: escalated by `at`; open escalation: escalated and not closed at `at`. Supervised: supervised by `at`,
//!   by its state at `at`; overdue: its deadline before `at` and not closed.
//!
//! The row holds a case as it stands now; for an earlier `at` the state, the deadline and the close time are read
//! from the timeline (the last action and the last supervision by `at`). When the first supervision that set a
//! deadline came after `at`, the ordinary close time is not on record and the stored one (that deadline) is used.

use super::SYSTEM;
use super::cases::CaseRow;
use crate::schema::{warning_actions, warning_cases};
use crate::{DbConnection, Result};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::handling::{Action, HandlingState};
use std::collections::{BTreeMap, HashMap};

/// The handling figures of one city (or of the province) over one month.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Cases opened in the month (up to the moment).
    pub opened: i64,
    /// Cases that count towards signing.
    pub sign_base: i64,
    /// Of those, signed by the moment.
    pub signed: i64,
    /// Of those, signed by their sign time.
    pub signed_on_time: i64,
    /// Cases that count towards closing.
    pub close_base: i64,
    /// Of those, closed by a person by their close time (the supervision deadline when supervised).
    pub closed_on_time: i64,
    /// Cases escalated by the moment.
    pub escalated: i64,
    /// Of those, not closed.
    pub open_escalations: i64,
    /// Cases supervised (挂牌督办) by the moment.
    pub supervised: i64,
    /// Supervised cases by state key (`domain::handling::HandlingState::key`) at the moment.
    pub supervised_by_state: BTreeMap<String, i64>,
    /// Supervised cases past their deadline and not closed.
    pub supervised_overdue: i64,
}

/// One step of a case's timeline, as far as the figures read it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Step {
    /// The case.
    pub case_id: i64,
    /// The action key (`sign` …) or system step.
    pub action: String,
    /// When (UTC).
    pub at: NaiveDateTime,
    /// The deadline a supervision set.
    pub deadline: Option<NaiveDateTime>,
    /// The state after, for actions.
    pub to_state: Option<String>,
}

/// What a case was at a moment: its state, its supervision deadline and its close time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    /// Its state.
    pub state: HandlingState,
    /// The supervision deadline in force.
    pub deadline: Option<NaiveDateTime>,
    /// The close time in force.
    pub close_due: NaiveDateTime,
}

impl Standing {
    /// The case at `at`: the row itself when it has not changed since, otherwise from its steps up to `at` (any
    /// order; steps of other cases and later steps are ignored).
    pub fn of(c: &CaseRow, steps: &[Step], at: NaiveDateTime) -> Standing {
        if c.updated_at <= at {
            return Standing { state: c.handling_state(), deadline: c.supervise_deadline, close_due: c.close_due };
        }
        let mut mine: Vec<&Step> = steps.iter().filter(|s| s.case_id == c.id && s.at <= at).collect();
        mine.sort_by_key(|s| s.at);
        let state = if c.closed_at.is_some_and(|t| t <= at) {
            HandlingState::Closed
        } else {
            let last = mine.iter().rev().find_map(|s| s.to_state.as_deref().and_then(HandlingState::parse));
            last.unwrap_or(HandlingState::PendingSign)
        };
        let supervisions: Vec<&&Step> = mine.iter().filter(|s| s.action == Action::Supervise.key()).collect();
        let deadline = supervisions.last().and_then(|s| s.deadline);
        let close_due = supervisions.iter().rev().find_map(|s| s.deadline).unwrap_or(c.close_due);
        Standing { state, deadline, close_due }
    }
}

impl Tally {
    /// Adds one case as it stands at `at` (see [`Standing::of`] for `steps`).
    pub fn add(&mut self, c: &CaseRow, steps: &[Step], at: NaiveDateTime) {
        if c.opened_at > at {
            return;
        }
        let now = Standing::of(c, steps, at);
        let by = |t: Option<NaiveDateTime>| t.filter(|t| *t <= at);
        self.opened += 1;
        let signed = by(c.signed_at);
        let closed = by(c.closed_at);
        let system_closed = closed.filter(|_| c.closed_by.as_deref() == Some(SYSTEM));
        let sign_ran_out = c.sign_due < at && system_closed.is_none_or(|t| t > c.sign_due);
        if signed.is_some() || sign_ran_out {
            self.sign_base += 1;
            self.signed += i64::from(signed.is_some());
            self.signed_on_time += i64::from(signed.is_some_and(|s| s <= c.sign_due));
        }
        let person_closed = closed.filter(|_| system_closed.is_none());
        let close_ran_out = now.close_due < at && system_closed.is_none_or(|t| t > now.close_due);
        if person_closed.is_some() || close_ran_out {
            self.close_base += 1;
            self.closed_on_time += i64::from(person_closed.is_some_and(|t| t <= now.close_due));
        }
        if by(c.escalated_at).is_some() {
            self.escalated += 1;
            self.open_escalations += i64::from(closed.is_none());
        }
        if by(c.supervised_at).is_some() {
            self.supervised += 1;
            *self.supervised_by_state.entry(now.state.key().to_owned()).or_default() += 1;
            self.supervised_overdue += i64::from(now.deadline.is_some_and(|d| d < at) && closed.is_none());
        }
    }

    /// Adds another tally (a city's into the province's).
    pub fn absorb(&mut self, o: &Tally) {
        self.opened += o.opened;
        self.sign_base += o.sign_base;
        self.signed += o.signed;
        self.signed_on_time += o.signed_on_time;
        self.close_base += o.close_base;
        self.closed_on_time += o.closed_on_time;
        self.escalated += o.escalated;
        self.open_escalations += o.open_escalations;
        self.supervised += o.supervised;
        for (k, n) in &o.supervised_by_state {
            *self.supervised_by_state.entry(k.clone()).or_default() += n;
        }
        self.supervised_overdue += o.supervised_overdue;
    }
}

/// The cases opened in `[from, to)` (UTC), of one city or of all.
pub fn opened_between(
    conn: &mut DbConnection,
    from: NaiveDateTime,
    to: NaiveDateTime,
    city: Option<&str>,
) -> Result<Vec<CaseRow>> {
    let mut q = warning_cases::table
        .filter(warning_cases::opened_at.ge(from))
        .filter(warning_cases::opened_at.lt(to))
        .into_boxed();
    if let Some(c) = city {
        q = q.filter(warning_cases::city_code.eq(c.to_owned()));
    }
    Ok(q.order(warning_cases::id.asc()).select(CaseRow::as_select()).load(conn)?)
}

/// The steps up to `at` of the cases opened in `[from, to)` that changed after `at` (the others are read from their
/// rows).
fn steps_before(
    conn: &mut DbConnection,
    from: NaiveDateTime,
    to: NaiveDateTime,
    at: NaiveDateTime,
) -> Result<Vec<Step>> {
    use warning_actions as a;
    let changed = warning_cases::table
        .filter(warning_cases::opened_at.ge(from))
        .filter(warning_cases::opened_at.lt(to))
        .filter(warning_cases::updated_at.gt(at))
        .select(warning_cases::id);
    Ok(a::table
        .filter(a::case_id.eq_any(changed))
        .filter(a::at.le(at))
        .order(a::id.asc())
        .select((a::case_id, a::action, a::at, a::deadline, a::to_state))
        .load(conn)?)
}

/// The tallies by city code of the cases opened in `[from, to)`, as they stand at `at`.
pub fn by_city(
    conn: &mut DbConnection,
    from: NaiveDateTime,
    to: NaiveDateTime,
    city: Option<&str>,
    at: NaiveDateTime,
) -> Result<BTreeMap<String, Tally>> {
    let cases = opened_between(conn, from, to, city)?;
    let mut steps: HashMap<i64, Vec<Step>> = HashMap::new();
    for s in steps_before(conn, from, to, at)? {
        steps.entry(s.case_id).or_default().push(s);
    }
    let mut out: BTreeMap<String, Tally> = BTreeMap::new();
    for c in cases {
        let own = steps.get(&c.id).map_or(&[][..], Vec::as_slice);
        out.entry(c.city_code.clone()).or_default().add(&c, own, at);
    }
    Ok(out)
}

/// The province's tally: the sum of the cities'.
pub fn total(by_city: &BTreeMap<String, Tally>) -> Tally {
    let mut t = Tally::default();
    for x in by_city.values() {
        t.absorb(x);
    }
    t
}
