//! The unfiltered sequence of instance windows of a task, and the jump to the first window ending after a moment.

use super::{Instance, TaskSpec};
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use domain::enums::CycleUnit;
use domain::time::SHANGHAI_OFFSET_SECS;

/// Seconds per hundredth of a cycle of each fixed unit: 3600 / 100, 86 400 / 100, 604 800 / 100.
const HOUR_SECS_PER_HUNDREDTH: i64 = 36;
const DAY_SECS_PER_HUNDREDTH: i64 = 864;
const WEEK_SECS_PER_HUNDREDTH: i64 = 6048;

/// How a task steps from one instance to the next.
#[derive(Debug, Clone, Copy)]
pub(super) enum Steps {
    /// A fixed step of `secs` seconds from `start` (UTC).
    Fixed { start: NaiveDateTime, secs: i64 },
    /// A step of `months` calendar months from the local start.
    Months { base: LocalStart, months: i64 },
}

/// The local start of a calendar-stepped task, split for month arithmetic.
#[derive(Debug, Clone, Copy)]
pub(super) struct LocalStart {
    /// The month index of the start: year × 12 + (month − 1).
    month_index: i64,
    /// The day of the month (1–31); clamped to the target month's length.
    day: u32,
    /// The local time of day, kept by every instance.
    time: NaiveTime,
}

impl Steps {
    /// The steps of a task, or `None` when it has no instance (a zero cycle, a fractional 月/年 cycle, a start out of
    /// range).
    pub(super) fn new(task: &TaskSpec) -> Option<Steps> {
        let h = i64::from(task.cycle.hundredths);
        if h == 0 {
            return None;
        }
        let fixed = |per: i64| Some(Steps::Fixed { start: task.start, secs: h * per });
        let calendar = |per: i64| {
            if h % 100 != 0 {
                return None;
            }
            let local = to_local(task.start)?;
            let month_index = month_index(local.date());
            Some(Steps::Months {
                base: LocalStart { month_index, day: local.day(), time: local.time() },
                months: h / 100 * per,
            })
        };
        match task.unit {
            CycleUnit::Hour => fixed(HOUR_SECS_PER_HUNDREDTH),
            CycleUnit::Day => fixed(DAY_SECS_PER_HUNDREDTH),
            CycleUnit::Week => fixed(WEEK_SECS_PER_HUNDREDTH),
            CycleUnit::Month => calendar(1),
            CycleUnit::Year => calendar(12),
        }
    }

    /// A cursor at the first instance whose end is after `after`, or a few instances before it (for calendar steps);
    /// `None` when that instance lies outside the representable range.
    pub(super) fn cursor_ending_after(self, after: NaiveDateTime) -> Option<Cursor> {
        match self {
            Steps::Fixed { start, secs } => {
                // The first k with start + (k+1)·c > after is ⌊(after − start) / c⌋; whole seconds suffice since c is.
                let k = if after < start { 0 } else { after.signed_duration_since(start).num_seconds() / secs };
                let first = start.checked_add_signed(TimeDelta::try_seconds(k.checked_mul(secs)?)?)?;
                Some(Cursor::Fixed { start: first, step: TimeDelta::try_seconds(secs)? })
            }
            Steps::Months { base, months } => {
                // Instance j starts in month base + j·n. With m the month difference of `after`, instance ⌊m/n⌋ − 1
                // starts in a month before that of `after`, so every instance before ⌊m/n⌋ − 1 ends at or before it.
                let k = if after < from_local(base.at(0)?)? {
                    0
                } else {
                    let m = month_index(to_local(after)?.date()) - base.month_index;
                    (m.div_euclid(months) - 1).max(0)
                };
                let start = from_local(base.at(k.checked_mul(months)?)?)?;
                Some(Cursor::Months { base, months, k, start })
            }
        }
    }
}

impl LocalStart {
    /// The local start moved by `offset` months, the day clamped to the target month's last day.
    fn at(&self, offset: i64) -> Option<NaiveDateTime> {
        let index = self.month_index.checked_add(offset)?;
        let year = i32::try_from(index.div_euclid(12)).ok()?;
        let month = u32::try_from(index.rem_euclid(12)).ok()? + 1;
        let day = self.day.min(days_in_month(year, month));
        Some(NaiveDate::from_ymd_opt(year, month, day)?.and_time(self.time))
    }
}

/// Walks the instance windows in order.
#[derive(Debug, Clone, Copy)]
pub(super) enum Cursor {
    /// Fixed steps: the next instance starts at `start`.
    Fixed { start: NaiveDateTime, step: TimeDelta },
    /// Calendar steps: the next instance is number `k`, starting at `start` (UTC).
    Months { base: LocalStart, months: i64, k: i64, start: NaiveDateTime },
}

impl Iterator for Cursor {
    type Item = Instance;

    fn next(&mut self) -> Option<Instance> {
        match self {
            Cursor::Fixed { start, step } => {
                let end = start.checked_add_signed(*step)?;
                let instance = Instance { start: *start, end };
                *start = end;
                Some(instance)
            }
            Cursor::Months { base, months, k, start } => {
                let next = k.checked_add(1)?;
                let end = from_local(base.at(next.checked_mul(*months)?)?)?;
                let instance = Instance { start: *start, end };
                (*k, *start) = (next, end);
                Some(instance)
            }
        }
    }
}

/// year × 12 + (month − 1).
fn month_index(date: NaiveDate) -> i64 {
    i64::from(date.year()) * 12 + i64::from(date.month0())
}

/// The number of days of a month (Gregorian).
fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

/// UTC to local wall-clock time, as [`domain::time::utc_to_local`] but `None` instead of overflowing.
pub(super) fn to_local(utc: NaiveDateTime) -> Option<NaiveDateTime> {
    utc.checked_add_signed(TimeDelta::seconds(SHANGHAI_OFFSET_SECS.into()))
}

/// Local wall-clock time to UTC, as [`domain::time::local_to_utc`] but `None` instead of overflowing.
fn from_local(local: NaiveDateTime) -> Option<NaiveDateTime> {
    local.checked_sub_signed(TimeDelta::seconds(SHANGHAI_OFFSET_SECS.into()))
}

#[cfg(test)]
mod tests {
    use super::days_in_month;

    #[test]
    fn february_lengths() {
        // Gregorian: every 4th year is leap, except centuries not divisible by 400.
        assert_eq!([2027, 2028, 2100, 2000].map(|y| days_in_month(y, 2)), [28, 29, 28, 29]);
        assert_eq!([1, 4, 6, 9, 11, 12].map(|m| days_in_month(2026, m)), [31, 30, 30, 30, 30, 31]);
    }
}
