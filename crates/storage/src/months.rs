//! The stored months of enterprises' check rows (`domain::months`): the rows of the months before a history's
//! resident ones, one part per (enterprise, local month of `checkTime`), table `check_month_parts`. A history's
//! checkpoint and its months are written in one transaction, so that a restart finds every row exactly once: in the
//! checkpoint when its `checkTime` is at or after the resident start the checkpoint records, in its month otherwise.

use crate::schema::check_month_parts as cm;
use crate::{DbConnection, Result, StorageError};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::checkpoint::{self, FORMAT};
use domain::checks::CheckHistory;
use domain::history::EnterpriseHistory;
use domain::months::{Month, OldRows};
use std::collections::BTreeMap;

/// Replaces one month's part.
fn put_month(
    c: &mut DbConnection,
    h: &EnterpriseHistory,
    month: Month,
    rows: &CheckHistory,
    now: NaiveDateTime,
) -> Result<usize> {
    let company = h.company.to_string();
    let body = checkpoint::encode(&h.month_part(rows));
    diesel::delete(cm::table.filter(cm::company_code.eq(&company)).filter(cm::month.eq(month))).execute(c)?;
    diesel::insert_into(cm::table)
        .values((
            cm::company_code.eq(&company),
            cm::month.eq(month),
            cm::format.eq(FORMAT as i32),
            cm::written_at.eq(now),
            cm::body.eq(&body),
        ))
        .execute(c)?;
    Ok(body.len())
}

/// Writes the months a history split off (`EnterpriseHistory::split_before`) and then its checkpoint, in one
/// transaction. With `whole` (a history that held every month: built from its versions, or read from a checkpoint of
/// format 1), every stored month of the enterprise before its resident start is deleted first, so none is left from
/// an earlier build. Returns the bytes written.
pub fn write_split(
    conn: &mut DbConnection,
    h: &EnterpriseHistory,
    months: &BTreeMap<Month, CheckHistory>,
    whole: bool,
    events_seq: i64,
    now: NaiveDateTime,
) -> Result<usize> {
    let company = h.company.to_string();
    crate::tx::write_transaction(conn, |c| {
        if whole {
            diesel::delete(cm::table.filter(cm::company_code.eq(&company))).execute(c)?;
        }
        let mut n = 0;
        for (month, rows) in months {
            n += put_month(c, h, *month, rows, now)?;
        }
        Ok::<_, StorageError>(n + crate::checkpoints::put(c, h, events_seq, now)?)
    })
}

/// Applies what a fold changed in months before the resident ones (back-dated versions) to their stored parts, and
/// writes the history's checkpoint, in one transaction: a stop between the two cannot apply a fold twice. Returns the
/// bytes written.
pub fn write_fold(
    conn: &mut DbConnection,
    h: &EnterpriseHistory,
    changed: &OldRows,
    events_seq: i64,
    now: NaiveDateTime,
) -> Result<usize> {
    crate::tx::write_transaction(conn, |c| {
        let mut n = 0;
        for month in changed.months() {
            let stored = read(c, h, month, month)?.pop().map(|(_, rows)| rows).unwrap_or_default();
            n += put_month(c, h, month, &changed.apply(month, &stored), now)?;
        }
        Ok::<_, StorageError>(n + crate::checkpoints::put(c, h, events_seq, now)?)
    })
}

/// The stored months `from..=to` of a history's enterprise, each with the history's task ordinals, in month order.
/// A part that does not decode is an error ([`StorageError::Corrupt`]): the caller rebuilds the enterprise from its
/// versions.
pub fn read(
    conn: &mut DbConnection,
    h: &EnterpriseHistory,
    from: Month,
    to: Month,
) -> Result<Vec<(Month, CheckHistory)>> {
    let rows: Vec<(i32, Vec<u8>)> = cm::table
        .filter(cm::company_code.eq(h.company.as_str()))
        .filter(cm::month.between(from, to))
        .order(cm::month.asc())
        .select((cm::month, cm::body))
        .load(conn)?;
    rows.into_iter()
        .map(|(month, body)| {
            let part = checkpoint::decode(&body)
                .map_err(|e| StorageError::Corrupt(format!("stored month {month} of {}: {e}", h.company)))?;
            Ok((month, h.from_month_part(&part)))
        })
        .collect()
}
