//! The last values the change detector emitted (figures and open warnings), so that the next pass emits only what
//! differs. The marks and the events they lead to are written in one transaction ([`apply`]).

use crate::DbConnection;
use crate::events::{self, NewEvent};
use crate::schema::event_marks;
use crate::tx::write_transaction;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use std::collections::BTreeMap;

/// A mark: the enterprise and the value (JSON text) last emitted under a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// The enterprise.
    pub company_code: String,
    /// JSON text.
    pub value: String,
}

/// Every mark by key.
pub fn all(conn: &mut DbConnection) -> QueryResult<BTreeMap<String, Mark>> {
    let rows: Vec<(String, String, String)> =
        event_marks::table.select((event_marks::mark_key, event_marks::company_code, event_marks::value)).load(conn)?;
    Ok(rows.into_iter().map(|(k, company_code, value)| (k, Mark { company_code, value })).collect())
}

/// What a detector pass writes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pass {
    /// The marks the pass compared against (as read by [`all`]).
    pub expected: BTreeMap<String, Mark>,
    /// Marks to store (new or changed).
    pub set: BTreeMap<String, Mark>,
    /// Marks to remove.
    pub gone: Vec<String>,
    /// The events of the differences.
    pub emitted: Vec<NewEvent>,
    /// Warnings open without an open handling case (new, or open before handling existed): cases to open.
    pub opened: Vec<crate::handling::cases::Opened>,
    /// Warning ids whose open case's cause has cleared.
    pub cleared: Vec<String>,
    /// The handling time limits new cases get.
    pub limits: crate::handling::Limits,
}

/// Stores a pass's marks and appends its events in one write transaction, unless the marks changed since the pass
/// read them (another detector ran meanwhile): then nothing is written and the answer is `false`, so two detectors
/// never emit the same difference twice.
pub fn apply(conn: &mut DbConnection, pass: &Pass, now: NaiveDateTime) -> crate::Result<bool> {
    write_transaction(conn, |c| {
        if all(c)? != pass.expected {
            return Ok(false);
        }
        write(c, &pass.set, &pass.gone, &pass.emitted, now)?;
        crate::handling::cases::follow(c, &pass.opened, &pass.cleared, &pass.limits, now)?;
        Ok(true)
    })
}

fn write(
    c: &mut DbConnection,
    set: &BTreeMap<String, Mark>,
    gone: &[String],
    emitted: &[NewEvent],
    now: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    for key in gone {
        diesel::delete(event_marks::table.find(key)).execute(c)?;
    }
    for (key, m) in set {
        diesel::delete(event_marks::table.find(key)).execute(c)?;
        diesel::insert_into(event_marks::table)
            .values((
                event_marks::mark_key.eq(key),
                event_marks::company_code.eq(&m.company_code),
                event_marks::value.eq(&m.value),
                event_marks::at.eq(now),
            ))
            .execute(c)?;
    }
    events::append(c, emitted)
}
