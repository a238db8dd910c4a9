//! The handling figures of a month (`docs/metrics.md` §11): per city, 签收率, 按时签收率, 按时办结率, escalations and
//! supervised cases by state, counted over the cases opened in the month as they stand at a moment.
//!
//! A case counts towards signing once it was signed or its sign time ran out while it still needed signing (a
//! non-red case whose cause cleared before its sign time is not counted); towards closing once it was closed by a
//! person or its close time ran out while open (a case the system closed before its close time is not counted).

use super::SYSTEM;
use super::cases::CaseRow;
use crate::schema::warning_cases;
use crate::{DbConnection, Result};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use std::collections::BTreeMap;

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
    /// Supervised cases by state key.
    pub supervised_by_state: BTreeMap<String, i64>,
    /// Supervised cases past their deadline and not closed.
    pub supervised_overdue: i64,
}

impl Tally {
    /// Adds one case as it stands at `at`.
    pub fn add(&mut self, c: &CaseRow, at: NaiveDateTime) {
        let by = |t: Option<NaiveDateTime>| t.filter(|t| *t <= at);
        if c.opened_at > at {
            return;
        }
        self.opened += 1;
        let signed = by(c.signed_at);
        let closed = by(c.closed_at);
        let system_closed = closed.filter(|_| c.closed_by.as_deref() == Some(SYSTEM));
        let sign_ran_out = c.sign_due <= at && system_closed.is_none_or(|t| t > c.sign_due);
        if signed.is_some() || sign_ran_out {
            self.sign_base += 1;
            self.signed += i64::from(signed.is_some());
            self.signed_on_time += i64::from(signed.is_some_and(|s| s <= c.sign_due));
        }
        let person_closed = closed.filter(|_| system_closed.is_none());
        let close_ran_out = c.close_due <= at && system_closed.is_none_or(|t| t > c.close_due);
        if person_closed.is_some() || close_ran_out {
            self.close_base += 1;
            self.closed_on_time += i64::from(person_closed.is_some_and(|t| t <= c.close_due));
        }
        if by(c.escalated_at).is_some() {
            self.escalated += 1;
            self.open_escalations += i64::from(closed.is_none());
        }
        if by(c.supervised_at).is_some() {
            self.supervised += 1;
            let state = if closed.is_some() { "closed".to_owned() } else { c.state.clone() };
            *self.supervised_by_state.entry(state).or_default() += 1;
            let overdue = c.supervise_deadline.is_some_and(|d| d < at) && closed.is_none();
            self.supervised_overdue += i64::from(overdue);
        }
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

/// The tallies by city code of the cases opened in `[from, to)`, as they stand at `at`.
pub fn by_city(
    conn: &mut DbConnection,
    from: NaiveDateTime,
    to: NaiveDateTime,
    city: Option<&str>,
    at: NaiveDateTime,
) -> Result<BTreeMap<String, Tally>> {
    let mut out: BTreeMap<String, Tally> = BTreeMap::new();
    for c in opened_between(conn, from, to, city)? {
        out.entry(c.city_code.clone()).or_default().add(&c, at);
    }
    Ok(out)
}
