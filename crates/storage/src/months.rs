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
use domain::months::{Month, OldRows, add_months, merge};
use std::collections::BTreeMap;

/// Replaces one month's parts (`domain::month_parts`): the short tasks' rows, the others', and the short part's
/// task ids.
fn put_month(
    c: &mut DbConnection,
    h: &EnterpriseHistory,
    month: Month,
    rows: &CheckHistory,
    short: &[bool],
    now: NaiveDateTime,
) -> Result<usize> {
    let company = h.company.to_string();
    let parts = h.month_parts(rows, short);
    let body = checkpoint::encode(&parts.short);
    let long_body = checkpoint::encode(&parts.long);
    let short_tasks =
        serde_json::to_string(&parts.short.task_ids).map_err(|e| StorageError::Corrupt(format!("task ids: {e}")))?;
    diesel::delete(cm::table.filter(cm::company_code.eq(&company)).filter(cm::month.eq(month))).execute(c)?;
    diesel::insert_into(cm::table)
        .values((
            cm::company_code.eq(&company),
            cm::month.eq(month),
            cm::format.eq(FORMAT as i32),
            cm::written_at.eq(now),
            cm::body.eq(&body),
            cm::long_body.eq(Some(&long_body)),
            cm::short_tasks.eq(Some(&short_tasks)),
        ))
        .execute(c)?;
    Ok(body.len() + long_body.len() + short_tasks.len())
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
        let (mut n, short) = (0, h.short_tasks());
        for (month, rows) in months {
            n += put_month(c, h, *month, rows, &short, now)?;
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
        let (mut n, short) = (0, h.short_tasks());
        for month in changed.months() {
            let stored = read(c, h, month, month)?.pop().map(|(_, rows)| rows).unwrap_or_default();
            n += put_month(c, h, month, &changed.apply(month, &stored), &short, now)?;
        }
        Ok::<_, StorageError>(n + crate::checkpoints::put(c, h, events_seq, now)?)
    })
}

/// The stored months `from..=to` of a history's enterprise, each with every row (both parts) and the history's task
/// ordinals, in month order. A part that does not decode is an error ([`StorageError::Corrupt`]): the caller rebuilds
/// the enterprise from its versions.
pub fn read(
    conn: &mut DbConnection,
    h: &EnterpriseHistory,
    from: Month,
    to: Month,
) -> Result<Vec<(Month, CheckHistory)>> {
    let rows: Vec<(i32, Vec<u8>, Option<Vec<u8>>)> = cm::table
        .filter(cm::company_code.eq(h.company.as_str()))
        .filter(cm::month.between(from, to))
        .order(cm::month.asc())
        .select((cm::month, cm::body, cm::long_body))
        .load(conn)?;
    rows.into_iter()
        .map(|(month, body, long)| {
            let mut parts = vec![part(h, month, &body)?];
            if let Some(long) = long {
                parts.push(part(h, month, &long)?);
            }
            Ok((month, merge(&parts, |_| true)))
        })
        .collect()
}

/// The rows of the stored months `from..=to` a window can need (`domain::month_parts`): both parts of the months from
/// `short_from` on; before it, the long part, and the short part only of a month whose short task ids `needs_short`
/// accepts (a task written as short that is not short at the moment asked) or that was stored whole (before the
/// split). Parts of one month may come as several histories; each has the history's task ordinals.
pub fn read_reaching(
    conn: &mut DbConnection,
    h: &EnterpriseHistory,
    (from, to): (Month, Month),
    short_from: Month,
    needs_short: impl Fn(Month, &[String]) -> bool,
) -> Result<Vec<CheckHistory>> {
    let mut out = Vec::new();
    let early_to = to.min(add_months(short_from, -1));
    let mut bodies: Vec<Month> = Vec::new();
    if from <= early_to {
        let rows: Vec<(i32, Option<Vec<u8>>, Option<String>)> = cm::table
            .filter(cm::company_code.eq(h.company.as_str()))
            .filter(cm::month.between(from, early_to))
            .select((cm::month, cm::long_body, cm::short_tasks))
            .load(conn)?;
        for (month, long, short_tasks) in rows {
            let Some(long) = long else {
                bodies.push(month);
                continue;
            };
            out.push(part(h, month, &long)?);
            let ids: Vec<String> = serde_json::from_str(short_tasks.as_deref().unwrap_or("[]"))
                .map_err(|e| StorageError::Corrupt(format!("stored month {month} of {}: task ids: {e}", h.company)))?;
            if needs_short(month, &ids) {
                bodies.push(month);
            }
        }
    }
    let company = cm::company_code.eq(h.company.as_str());
    if !bodies.is_empty() {
        // Their long parts, when they have one, are read above.
        let rows: Vec<(i32, Vec<u8>)> =
            cm::table.filter(company).filter(cm::month.eq_any(bodies)).select((cm::month, cm::body)).load(conn)?;
        for (month, body) in rows {
            out.push(part(h, month, &body)?);
        }
    }
    if from.max(short_from) <= to {
        let rows: Vec<(i32, Vec<u8>, Option<Vec<u8>>)> = cm::table
            .filter(company)
            .filter(cm::month.between(from.max(short_from), to))
            .select((cm::month, cm::body, cm::long_body))
            .load(conn)?;
        for (month, body, long) in rows {
            out.push(part(h, month, &body)?);
            if let Some(long) = long {
                out.push(part(h, month, &long)?);
            }
        }
    }
    Ok(out)
}

/// One stored part with the history's task ordinals.
fn part(h: &EnterpriseHistory, month: Month, body: &[u8]) -> Result<CheckHistory> {
    let part = checkpoint::decode(body)
        .map_err(|e| StorageError::Corrupt(format!("stored month {month} of {}: {e}", h.company)))?;
    Ok(h.from_month_part(&part))
}
