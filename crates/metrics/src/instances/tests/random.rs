//! The bounded expansion against a naive reference that walks every instance from k = 0, on many random tasks
//! (seeded, so reproducible) across all units, work hours, working-day types, stops and life ends.

use super::all;
use super::cal;
use crate::instances::{Instance, Span, StopWindow, TaskSpec, for_each};
use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike};
use domain::calendar::WorkCalendar;
use domain::enums::{CycleUnit, WorkDayType};
use domain::records::Cycle;
use domain::time::{local_to_utc, utc_to_local};

/// A seeded generator (fastrand's wyrand) with the draws the cases need.
struct Rng(fastrand::Rng);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0.u64(..n)
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.0.usize(..items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    /// A local moment between 2020 and 2027 on a whole hour (so that boundaries often coincide), sometimes with
    /// minutes.
    fn moment(&mut self) -> NaiveDateTime {
        let day = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + TimeDelta::days(self.below(8 * 365) as i64);
        let minute = if self.chance(20) { self.below(60) as u32 } else { 0 };
        local_to_utc(day.and_hms_opt(self.below(24) as u32, minute, 0).unwrap())
    }
}

/// Start of instance k, computed independently: fixed steps as k·c seconds, calendar steps with chrono's `Months`.
fn nth_start(t: &TaskSpec, k: u32) -> NaiveDateTime {
    let h = i64::from(t.cycle.hundredths);
    let secs = |unit_secs: i64| t.start + TimeDelta::seconds(i64::from(k) * h * unit_secs / 100);
    let months = |per: u32| {
        let local = utc_to_local(t.start).checked_add_months(Months::new(k * per * t.cycle.hundredths / 100));
        local_to_utc(local.unwrap())
    };
    match t.unit {
        CycleUnit::Hour => secs(3600),
        CycleUnit::Day => secs(86_400),
        CycleUnit::Week => secs(7 * 86_400),
        CycleUnit::Month => months(1),
        CycleUnit::Year => months(12),
    }
}

/// Whether the instance starting at `start` exists, by the contract's words.
fn exists(t: &TaskSpec, stops: &[StopWindow], cal: &WorkCalendar, start: NaiveDateTime) -> bool {
    let local = utc_to_local(start);
    let secs = |x: NaiveTime| x.num_seconds_from_midnight();
    let hours_ok = match (t.unit, t.work_hours) {
        (CycleUnit::Hour, Some((ws, we))) => {
            let (s, ws, we) = (secs(local.time()), secs(ws), secs(we));
            if ws < we { (ws..we).contains(&s) } else { ws != we && !(we..ws).contains(&s) }
        }
        _ => true,
    };
    let day_ok = match t.work_day_type {
        WorkDayType::EveryDay => true,
        WorkDayType::WorkingDays => cal.is_working_day(local.date()),
        WorkDayType::NonWorkingDays => !cal.is_working_day(local.date()),
    };
    let stopped = stops.iter().any(|&(a, b)| a <= start && b.is_none_or(|b| start < b));
    hours_ok && day_ok && !stopped
}

/// Every kept instance from k = 0 that passes `keep(instance)`, until one ends after `last_end` (or the life end) or
/// starts at or after `last_start`.
fn naive(
    t: &TaskSpec,
    stops: &[StopWindow],
    (last_end, last_start): (NaiveDateTime, NaiveDateTime),
    keep: impl Fn(&Instance) -> bool,
) -> Vec<Instance> {
    let cal = cal();
    let last_end = t.life_end.map_or(last_end, |l| l.min(last_end));
    let mut out = Vec::new();
    for k in 0.. {
        let i = Instance { start: nth_start(t, k), end: nth_start(t, k + 1) };
        if i.end > last_end || i.start >= last_start {
            return out;
        }
        if keep(&i) && exists(t, stops, &cal, i.start) {
            out.push(i);
        }
    }
    out
}

fn random_task(r: &mut Rng, window_from: NaiveDateTime) -> TaskSpec {
    let unit = r.pick(&CycleUnit::ALL);
    let hundredths = match unit {
        CycleUnit::Hour => r.pick(&[25, 37, 50, 100, 133, 150, 200, 300, 400, 800, 1200, 2400, 2500]),
        CycleUnit::Day => r.pick(&[25, 50, 100, 101, 150, 200, 300, 700]),
        CycleUnit::Week => r.pick(&[4, 50, 100, 150, 200]),
        CycleUnit::Month => r.pick(&[100, 200, 300, 600, 1200]),
        CycleUnit::Year => r.pick(&[100, 200]),
    };
    // Mostly before the window (up to 6 years), sometimes anywhere.
    let mut start = if r.chance(80) { window_from - TimeDelta::hours(r.below(6 * 8760) as i64) } else { r.moment() };
    if matches!(unit, CycleUnit::Month | CycleUnit::Year) && r.chance(50) {
        // Month ends and 29 February, to exercise clamping.
        let day = r.pick(&[28, 29, 30, 31]);
        let local = utc_to_local(start);
        let (year, month) = (local.year(), r.pick(&[1, 2, 3, 8, 10, 12]));
        let date = (1..=day).rev().find_map(|d| NaiveDate::from_ymd_opt(year, month, d)).unwrap();
        start = local_to_utc(date.and_time(local.time()));
    }
    let hm = |r: &mut Rng| NaiveTime::from_hms_opt(r.below(24) as u32, r.pick(&[0, 0, 30]), 0).unwrap();
    let work_hours = if r.chance(80) { Some((hm(r), hm(r))) } else { None };
    let work_day_type = r.pick(WorkDayType::ALL);
    TaskSpec { start, cycle: Cycle { hundredths }, unit, work_hours, work_day_type, life_end: None }
}

#[test]
fn bounded_expansion_equals_naive_walk() {
    let mut r = Rng(fastrand::Rng::with_seed(0x5EED_2026));
    let (mut cases, mut total) = (0, 0);
    for _ in 0..1500 {
        let from = r.moment();
        let to = from + TimeDelta::hours(r.below(62 * 24) as i64);
        let mut t = random_task(&mut r, from);
        if r.chance(30) {
            t.life_end = Some(from + TimeDelta::hours(r.below(70 * 24) as i64) - TimeDelta::hours(120));
        }
        let stops: Vec<StopWindow> = (0..r.below(4))
            .map(|_| {
                let a = from + TimeDelta::hours(r.below(62 * 24) as i64) - TimeDelta::hours(240);
                (a, if r.chance(25) { None } else { Some(a + TimeDelta::hours(r.below(400) as i64)) })
            })
            .collect();
        let cal = cal();
        let got = all(|f| for_each(&t, &stops, &cal, Span::Due(from, to), f));
        let want = naive(&t, &stops, (to, NaiveDateTime::MAX), |i| i.end > from);
        assert_eq!(got, want, "due: task {t:?}, stops {stops:?}, window ({from}, {to}]");
        let got = all(|f| for_each(&t, &stops, &cal, Span::Overlapping(from, to), f));
        let want = naive(&t, &stops, (NaiveDateTime::MAX, to), |i| i.end > from);
        assert_eq!(got, want, "overlapping: task {t:?}, stops {stops:?}, window [{from}, {to})");
        cases += 1;
        total += want.len();
    }
    // The sample is not degenerate: many instances overall.
    assert!(cases == 1500 && total > 10_000, "{total}");
}

/// `domain::months::reach_from` bounds what the figures read of the check history (`docs/scale-out.md`): every
/// instance due in a window starting at `from` starts at or after it, so no check before it can count.
#[test]
fn every_due_instance_starts_within_its_reach() {
    let mut r = Rng(fastrand::Rng::with_seed(0x4EAC_2026));
    let (mut instances, mut tight) = (0, 0);
    for _ in 0..1500 {
        let from = r.moment();
        let to = from + TimeDelta::hours(r.below(62 * 24) as i64);
        let t = random_task(&mut r, from);
        let row = domain::snapshot::TaskRow {
            id: "k".into(),
            measure_id: "m".into(),
            start: t.start,
            cycle: t.cycle,
            unit: t.unit,
            work_hours: t.work_hours,
            work_day_type: t.work_day_type,
            work_type: domain::enums::WorkType::Routine,
            life: domain::snapshot::Life { created: t.start, deleted: None },
        };
        let reach = domain::months::reach_from(&row, from);
        for i in all(|f| for_each(&t, &[], &cal(), Span::Due(from, to), f)) {
            let start = i.start.and_utc().timestamp();
            assert!(start >= reach, "task {t:?}: instance {i:?} starts before the reach {reach} of {from}");
            instances += 1;
            tight += usize::from(start - reach < 86_400);
        }
    }
    // Many instances, and the bound is met within a day for many of them: it is not loose.
    assert!(instances > 10_000 && tight > 1_000, "{instances} instances, {tight} within a day of the reach");
}
