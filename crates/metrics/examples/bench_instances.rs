//! Expands the due instances of 10,000 tasks of a realistic mix (hourly, daily, weekly, monthly, yearly; work hours,
//! working-day types, a few stops, starts up to five years back) over one month, and prints instances per second.
//!
//! `cargo run --release -p metrics --example bench_instances`

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use domain::calendar::WorkCalendar;
use domain::enums::{CycleUnit, WorkDayType};
use domain::records::Cycle;
use domain::time::local_midnight_utc;
use fastrand::Rng;
use metrics::instances::{Span, StopWindow, TaskSpec, for_each};
use std::time::Instant;

/// One of `items`, drawn from the seeded generator.
fn pick<T: Copy>(r: &mut Rng, items: &[T]) -> T {
    items[r.usize(..items.len())]
}

fn time(h: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, 0, 0).unwrap_or(NaiveTime::MIN)
}

/// One task of the mix with the stop windows of its unit.
fn task(r: &mut Rng, month_start: NaiveDateTime) -> (TaskSpec, Vec<StopWindow>) {
    let (unit, hundredths) = match r.u64(..100) {
        0..30 => (CycleUnit::Hour, pick(r, &[100, 200, 400, 800, 1200])),
        30..70 => (CycleUnit::Day, pick(r, &[100, 100, 100, 50, 200])),
        70..85 => (CycleUnit::Week, pick(r, &[100, 200])),
        85..97 => (CycleUnit::Month, pick(r, &[100, 300, 600])),
        _ => (CycleUnit::Year, 100),
    };
    let start = month_start - TimeDelta::hours(r.u64(..5 * 8760) as i64);
    let work_hours = pick(r, &[(8, 18), (0, 0), (20, 8), (8, 20)]);
    let work_hours = (work_hours != (0, 0)).then(|| (time(work_hours.0), time(work_hours.1)));
    let work_day_type = pick(r, &[WorkDayType::EveryDay, WorkDayType::EveryDay, WorkDayType::WorkingDays]);
    let stops = if r.u64(..10) == 0 {
        let from = month_start + TimeDelta::hours(r.u64(..30 * 24) as i64);
        vec![(from, Some(from + TimeDelta::hours(r.u64(..100) as i64)))]
    } else {
        Vec::new()
    };
    let spec = TaskSpec { start, cycle: Cycle { hundredths }, unit, work_hours, work_day_type, life_end: None };
    (spec, stops)
}

fn main() {
    let cal = WorkCalendar::shipped().unwrap_or_default();
    let (Some(nov), Some(dec)) = (NaiveDate::from_ymd_opt(2026, 11, 1), NaiveDate::from_ymd_opt(2026, 12, 1)) else {
        return;
    };
    let (from, to) = (local_midnight_utc(nov), local_midnight_utc(dec));
    let mut r = Rng::with_seed(2026);
    let tasks: Vec<_> = (0..10_000).map(|_| task(&mut r, from)).collect();
    let rounds = 50;
    let began = Instant::now();
    let (mut count, mut checksum) = (0u64, 0i64);
    for _ in 0..rounds {
        for (spec, stops) in &tasks {
            for_each(spec, stops, &cal, Span::Due(from, to), |i| {
                count += 1;
                checksum = checksum.wrapping_add(i.end.and_utc().timestamp());
            });
        }
    }
    let secs = began.elapsed().as_secs_f64();
    println!(
        "{} tasks × {rounds} rounds: {} instances per round, {:.3} ms per round, {:.1} M instances/s (checksum {checksum})",
        tasks.len(),
        count / rounds,
        secs * 1000.0 / rounds as f64,
        count as f64 / secs / 1e6
    );
}
