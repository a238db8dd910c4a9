//! Check rows by month of `checkTime` (`docs/scale-out.md`, "Several years online"). An enterprise's history keeps
//! the rows of its resident months in memory ([`EnterpriseHistory::resident_from`] on); the rows of earlier months
//! are stored, one part per (enterprise, local month), and read back only for a window that reaches before the
//! resident months. Every row lives in exactly one place, by its own `checkTime`: a record whose versions moved its
//! `checkTime` across months has each version's row in its own month.

use crate::checkpoint::CheckPart;
use crate::checks::{CheckHistory, HistRow};
use crate::enums::CycleUnit;
use crate::history::EnterpriseHistory;
use crate::snapshot::TaskRow;
use crate::time::{SHANGHAI_OFFSET_SECS, local_midnight_utc, local_to_utc, utc_to_local};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// A local (Asia/Shanghai) month as `yyyymm`, e.g. 202611.
pub type Month = i32;

/// A row and, when a later version replaced it, the time (microseconds) from which it no longer is known.
pub type Row = (HistRow, Option<u64>);

/// The local month of a `checkTime` in seconds since 1970 (UTC).
pub fn month_of(at: u32) -> Month {
    let local = i64::from(at) + i64::from(SHANGHAI_OFFSET_SECS);
    let date = chrono::DateTime::from_timestamp(local, 0).map_or(NaiveDate::MIN, |t| t.date_naive());
    date.year() * 100 + date.month() as i32
}

/// The local month of a UTC time.
pub fn month_of_time(t: NaiveDateTime) -> Month {
    let d = utc_to_local(t).date();
    d.year() * 100 + d.month() as i32
}

/// The month `n` months after `m` (before it when negative).
pub fn add_months(m: Month, n: i32) -> Month {
    let index = (m / 100) * 12 + (m % 100 - 1) + n;
    index.div_euclid(12) * 100 + index.rem_euclid(12) + 1
}

/// The start of a month (local midnight of its first day) in seconds since 1970, UTC; 0 before 1970.
pub fn month_start(m: Month) -> u32 {
    let Some(first) = NaiveDate::from_ymd_opt(m / 100, (m % 100) as u32, 1) else { return 0 };
    u32::try_from(local_midnight_utc(first).and_utc().timestamp()).unwrap_or(0)
}

/// The earliest `checkTime` (seconds since 1970, UTC) of a check that can count for a task's instances due in a
/// window starting at `t0`: an instance due in the window ends after `t0` and starts one step before its end
/// (`metrics.md` §2), so its checks are at or after `t0` less one step. A calendar step of n months is n months back
/// from `t0` in local time: the day clamped to the target month's length makes an instance's start at or after its
/// end less n months.
pub fn reach_from(task: &TaskRow, t0: NaiveDateTime) -> i64 {
    let h = i64::from(task.cycle.hundredths);
    let secs = t0.and_utc().timestamp();
    let months = |n: i64| {
        let local = utc_to_local(t0).checked_sub_months(chrono::Months::new(u32::try_from(n).unwrap_or(u32::MAX)));
        local.map_or(i64::MIN, |l| local_to_utc(l).and_utc().timestamp())
    };
    match task.unit {
        CycleUnit::Hour => secs - h * 36,
        CycleUnit::Day => secs - h * 864,
        CycleUnit::Week => secs - h * 6048,
        CycleUnit::Month => months((h + 99) / 100),
        CycleUnit::Year => months((h + 99) / 100 * 12),
    }
}

/// A lower bound of [`reach_from`] without the calendar (a month step is at most 31 days, a year 366): when it is not
/// before a history's resident months, neither is the exact reach, and the calendar need not be asked.
pub fn reach_lower_bound(task: &TaskRow, t0: NaiveDateTime) -> i64 {
    t0.and_utc().timestamp() - step_bound(task)
}

/// The longest one step of a task's cycle can be, in seconds: exact for hours, days and weeks; 31 days a month and
/// 366 a year.
pub fn step_bound(task: &TaskRow) -> i64 {
    let h = i64::from(task.cycle.hundredths);
    match task.unit {
        CycleUnit::Hour => h * 36,
        CycleUnit::Day => h * 864,
        CycleUnit::Week => h * 6048,
        CycleUnit::Month => (h + 99) / 100 * 31 * 86_400,
        CycleUnit::Year => (h + 99) / 100 * 366 * 86_400,
    }
}

/// Rows of months before the resident ones that a fold replaced (`gone`) or added (`came`), with the history's task
/// ordinals: what the stored months must be patched with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OldRows {
    /// Rows no longer what they were.
    pub gone: Vec<Row>,
    /// Rows as they are now.
    pub came: Vec<Row>,
}

impl OldRows {
    /// Nothing of an older month changed.
    pub fn is_empty(&self) -> bool {
        self.gone.is_empty() && self.came.is_empty()
    }

    /// The months touched.
    pub fn months(&self) -> BTreeSet<Month> {
        self.gone.iter().chain(&self.came).map(|(r, _)| month_of(r.at)).collect()
    }

    /// A stored month's rows (history ordinals) with this fold's changes of that month applied.
    pub fn apply(&self, month: Month, rows: &CheckHistory) -> CheckHistory {
        let of = |v: &[Row]| split(v.iter().filter(|(r, _)| month_of(r.at) == month).copied().collect());
        let (gone_now, gone_then) = of(&self.gone);
        let (came_now, came_then) = of(&self.came);
        CheckHistory {
            rows: patch(&rows.rows, &gone_now, &came_now),
            superseded: patch(&rows.superseded, &gone_then, &came_then),
        }
    }
}

/// Splits rows into the still-known and the superseded, each sorted.
pub(crate) fn split(rows: Vec<Row>) -> (Vec<HistRow>, Vec<(HistRow, u64)>) {
    let (mut now, mut then) = (Vec::new(), Vec::new());
    for (r, until) in rows {
        match until {
            None => now.push(r),
            Some(u) => then.push((r, u)),
        }
    }
    now.sort_unstable();
    then.sort_unstable();
    (now, then)
}

/// Removes `remove` (a sorted multiset) from sorted `base` and merges in sorted `add`.
pub(crate) fn patch<T: Ord + Copy>(base: &[T], remove: &[T], add: &[T]) -> Vec<T> {
    let mut out = Vec::with_capacity(base.len() + add.len());
    let (mut r, mut a) = (0, 0);
    for x in base {
        while r < remove.len() && remove[r] < *x {
            r += 1;
        }
        if r < remove.len() && remove[r] == *x {
            r += 1;
            continue;
        }
        while a < add.len() && add[a] <= *x {
            out.push(add[a]);
            a += 1;
        }
        out.push(*x);
    }
    out.extend_from_slice(&add[a..]);
    out
}

/// The rows of several months (history ordinals) in one history, keeping those `keep` accepts.
pub fn merge(months: &[CheckHistory], keep: impl Fn(&HistRow) -> bool) -> CheckHistory {
    let mut rows: Vec<HistRow> = months.iter().flat_map(|m| m.rows.iter().copied()).filter(|r| keep(r)).collect();
    let mut superseded: Vec<(HistRow, u64)> =
        months.iter().flat_map(|m| m.superseded.iter().copied()).filter(|(r, _)| keep(r)).collect();
    rows.sort_unstable();
    superseded.sort_unstable();
    CheckHistory { rows, superseded }
}

impl EnterpriseHistory {
    /// Moves the rows with `checkTime` before `from` (a month's start) out of the resident rows, by month, and makes
    /// `from` the start of the resident months. Months already out (before [`EnterpriseHistory::resident_from`])
    /// are not among those returned. Nothing moves when `from` is not after the current start.
    pub fn split_before(&mut self, from: u32) -> BTreeMap<Month, CheckHistory> {
        let mut out: BTreeMap<Month, CheckHistory> = BTreeMap::new();
        if from <= self.resident_from {
            return out;
        }
        let (mut rows, mut superseded) = (Vec::new(), Vec::new());
        for r in &self.checks.rows {
            match r.at < from {
                true => out.entry(month_of(r.at)).or_default().rows.push(*r),
                false => rows.push(*r),
            }
        }
        for s in &self.checks.superseded {
            match s.0.at < from {
                true => out.entry(month_of(s.0.at)).or_default().superseded.push(*s),
                false => superseded.push(*s),
            }
        }
        self.checks = Arc::new(CheckHistory { rows, superseded });
        self.resident_from = from;
        out
    }

    /// A month's rows (history ordinals) as stored: with their own task ids, so that they stay readable whatever
    /// ordinals the history gives later.
    pub fn month_part(&self, rows: &CheckHistory) -> CheckPart {
        let used: BTreeSet<u32> =
            rows.rows.iter().chain(rows.superseded.iter().map(|(r, _)| r)).map(|r| r.task).collect();
        let ordinals: Vec<u32> = used.into_iter().collect();
        let task_ids = ordinals.iter().map(|&g| self.task_ids.get(g as usize).cloned().unwrap_or_default()).collect();
        let local = |r: &HistRow| HistRow { task: ordinals.partition_point(|&g| g < r.task) as u32, ..*r };
        let checks = CheckHistory {
            rows: rows.rows.iter().map(local).collect(),
            superseded: rows.superseded.iter().map(|(r, u)| (local(r), *u)).collect(),
        };
        CheckPart {
            check_seq: self.check_seq,
            resident_from: 0,
            task_ids,
            check_received: Arc::from(Vec::new()),
            checks: Arc::new(checks),
        }
    }

    /// A stored month's rows with the history's task ordinals, sorted; rows of a task id the history does not name
    /// (none, as its ids only grow) are left out.
    pub fn from_month_part(&self, part: &CheckPart) -> CheckHistory {
        let map: Vec<Option<u32>> = part.task_ids.iter().map(|id| self.task_ordinal(id)).collect();
        let global = |r: &HistRow| Some(HistRow { task: (*map.get(r.task as usize)?)?, ..*r });
        let mut rows: Vec<HistRow> = part.checks.rows.iter().filter_map(global).collect();
        let mut superseded: Vec<(HistRow, u64)> =
            part.checks.superseded.iter().filter_map(|(r, u)| Some((global(r)?, *u))).collect();
        rows.sort_unstable();
        superseded.sort_unstable();
        CheckHistory { rows, superseded }
    }
}

#[cfg(test)]
#[path = "months_tests.rs"]
pub(crate) mod tests;
