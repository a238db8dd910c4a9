//! Task instances (metrics.md §2, simplified where generation allows): from `taskStartTime` s with step c, instance
//! k covers [s + k·c, s + (k+1)·c); months and years step by the calendar from s (a day the month lacks becomes its
//! last day); hourly tasks keep only instances starting within their work hours; `workDayType` keeps instances
//! starting on working (or non-working) days of the official calendar. Stops are left to the caller.

use crate::spec::Spec;
use chrono::{Datelike, Months, NaiveDateTime, NaiveTime, TimeDelta};
use domain::calendar::WorkCalendar;
use domain::enums::{CycleUnit, WorkDayType};
use domain::time::{local_to_utc, utc_to_local};

/// One instance of a task, in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    pub(crate) k: u64,
    pub(crate) start: NaiveDateTime,
    pub(crate) end: NaiveDateTime,
}

/// Whether a local time of day lies in work hours [ws, we) (spanning midnight when we < ws).
fn in_hours(t: NaiveTime, (ws, we): (NaiveTime, NaiveTime)) -> bool {
    if ws < we { ws <= t && t < we } else { t >= ws || t < we }
}

/// The local start of calendar instance k (months counted from s, so 31 January + 1 month is 28 February and
/// + 2 months is 31 March).
fn calendar_start(s: NaiveDateTime, months: u32, k: u64) -> Option<NaiveDateTime> {
    let total = u32::try_from(k).ok()?.checked_mul(months)?;
    s.checked_add_months(Months::new(total))
}

/// Calls `f` with every instance of `spec` that ends after `from` and starts at or before `to` (UTC), in order.
pub(crate) fn for_each_window(
    spec: &Spec,
    from: NaiveDateTime,
    to: NaiveDateTime,
    cal: &WorkCalendar,
    mut f: impl FnMut(Window),
) {
    let s = spec.start_local;
    let (from_l, to_l) = (utc_to_local(from), utc_to_local(to));
    let keep = |start: NaiveDateTime| -> bool {
        if let Some(hours) = spec.work.filter(|_| spec.unit == CycleUnit::Hour)
            && !in_hours(start.time(), hours)
        {
            return false;
        }
        match spec.day_type {
            WorkDayType::EveryDay => true,
            WorkDayType::WorkingDays => cal.is_working_day(start.date()),
            WorkDayType::NonWorkingDays => !cal.is_working_day(start.date()),
        }
    };
    let mut emit = |k: u64, a: NaiveDateTime, b: NaiveDateTime| {
        if b > from_l && keep(a) {
            f(Window { k, start: local_to_utc(a), end: local_to_utc(b) });
        }
    };
    let hundredths = i64::from(spec.cycle.hundredths.max(1));
    match spec.unit {
        CycleUnit::Hour | CycleUnit::Day | CycleUnit::Week => {
            let unit = match spec.unit {
                CycleUnit::Hour => 3_600,
                CycleUnit::Day => 86_400,
                _ => 7 * 86_400,
            };
            let step = TimeDelta::seconds(unit * hundredths / 100);
            let first = if from_l > s { ((from_l - s).num_seconds() / step.num_seconds()).max(0) as u64 } else { 0 };
            let mut k = first;
            loop {
                let a = s + step * (k as i32);
                if a > to_l {
                    break;
                }
                emit(k, a, a + step);
                k += 1;
            }
        }
        CycleUnit::Month | CycleUnit::Year => {
            let months = (spec.cycle.hundredths / 100).max(1) * if spec.unit == CycleUnit::Year { 12 } else { 1 };
            let elapsed = if from_l > s {
                let m = (from_l.year() - s.year()) * 12 + from_l.month() as i32 - s.month() as i32;
                (m.max(0) as u32 / months).saturating_sub(1)
            } else {
                0
            };
            let mut k = u64::from(elapsed);
            while let (Some(a), Some(b)) = (calendar_start(s, months, k), calendar_start(s, months, k + 1)) {
                if a > to_l {
                    break;
                }
                emit(k, a, b);
                k += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use domain::enums::WorkType;
    use domain::records::Cycle;

    fn dt(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap_or_default()
    }

    fn spec(unit: CycleUnit, hundredths: u32, start: &str, work: Option<(u32, u32)>) -> Spec {
        let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap_or(NaiveTime::MIN);
        Spec {
            cycle: Cycle { hundredths },
            unit,
            start_local: dt(start),
            work: work.map(|(a, b)| (t(a), t(b))),
            day_type: WorkDayType::EveryDay,
            work_type: WorkType::Routine,
            task_num: None,
        }
    }

    fn local_starts(spec: &Spec, from: &str, to: &str, cal: &WorkCalendar) -> Vec<String> {
        let mut out = Vec::new();
        for_each_window(spec, local_to_utc(dt(from)), local_to_utc(dt(to)), cal, |w| {
            out.push(utc_to_local(w.start).format("%m-%d %H:%M").to_string())
        });
        out
    }

    #[test]
    fn months_from_the_31st_clamp_to_the_last_day() {
        let s = spec(CycleUnit::Month, 100, "2025-10-31 09:00:00", None);
        let cal = WorkCalendar::default();
        let got = local_starts(&s, "2025-11-15 00:00:00", "2026-03-01 00:00:00", &cal);
        assert_eq!(got, ["10-31 09:00", "11-30 09:00", "12-31 09:00", "01-31 09:00", "02-28 09:00"]);
    }

    #[test]
    fn night_hours_span_midnight_and_half_days_step_by_twelve_hours() {
        let cal = WorkCalendar::default();
        let night = spec(CycleUnit::Hour, 200, "2026-05-01 22:00:00", Some((22, 6)));
        let got = local_starts(&night, "2026-05-01 21:00:00", "2026-05-02 12:00:00", &cal);
        assert_eq!(got, ["05-01 22:00", "05-02 00:00", "05-02 02:00", "05-02 04:00"]);
        let half = spec(CycleUnit::Day, 50, "2026-05-01 08:00:00", None);
        assert_eq!(local_starts(&half, "2026-05-01 09:00:00", "2026-05-02 09:00:00", &cal).len(), 3);
    }

    #[test]
    fn working_days_follow_the_calendar() {
        let cal = WorkCalendar::shipped().unwrap_or_default();
        let mut s = spec(CycleUnit::Day, 100, "2026-09-28 08:00:00", None);
        s.day_type = WorkDayType::WorkingDays;
        // 1 October 2026 is a holiday; 30 September (a Wednesday) is a working day.
        let got = local_starts(&s, "2026-09-28 08:00:00", "2026-10-08 09:00:00", &cal);
        assert!(got.contains(&"09-30 08:00".to_owned()));
        assert!(!got.contains(&"10-01 08:00".to_owned()));
        assert_eq!(NaiveDate::from_ymd_opt(2026, 10, 1).map(|d| cal.is_working_day(d)), Some(false));
    }
}
