//! Expands the due instances of 10,000 tasks of a realistic mix (hourly, daily, weekly, monthly, yearly; work hours,
//! working-day types, a few stops, starts up to five years back) over one month, and prints instances per second.
//!
//! `cargo run --release -p metrics --example bench_instances`

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use domain::calendar::WorkCalendar;
use domain::enums::{CycleUnit, WorkDayType};
use domain::records::Cycle;
use domain::time::local_midnight_utc;
use metrics::instances::{Span, StopWindow, TaskSpec, for_each};
use std::time::Instant;

/// A tiny deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[usize::try_from(self.below(items.len() as u64)).unwrap_or(0)]
    }
}

fn time(h: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, 0, 0).unwrap_or(NaiveTime::MIN)
}

/// One task of the mix with the stop windows of its unit.
fn task(r: &mut Rng, month_start: NaiveDateTime) -> (TaskSpec, Vec<StopWindow>) {
    let (unit, hundredths) = match r.below(100) {
        0..30 => (CycleUnit::Hour, r.pick(&[100, 200, 400, 800, 1200])),
        30..70 => (CycleUnit::Day, r.pick(&[100, 100, 100, 50, 200])),
        70..85 => (CycleUnit::Week, r.pick(&[100, 200])),
        85..97 => (CycleUnit::Month, r.pick(&[100, 300, 600])),
        _ => (CycleUnit::Year, 100),
    };
    let start = month_start - TimeDelta::hours(r.below(5 * 8760) as i64);
    let work_hours = r.pick(&[(8, 18), (0, 0), (20, 8), (8, 20)]);
    let work_hours = (work_hours != (0, 0)).then(|| (time(work_hours.0), time(work_hours.1)));
    let work_day_type = r.pick(&[WorkDayType::EveryDay, WorkDayType::EveryDay, WorkDayType::WorkingDays]);
    let stops = if r.below(10) == 0 {
        let from = month_start + TimeDelta::hours(r.below(30 * 24) as i64);
        vec![(from, Some(from + TimeDelta::hours(r.below(100) as i64)))]
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
    let mut r = Rng(2026);
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
