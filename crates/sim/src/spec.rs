//! Task schedules: cycle, unit, start, work hours and working days of routine tasks.

use crate::profile::Ctx;
use crate::rng::Rng;
use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use domain::enums::{CycleUnit, WorkDayType, WorkType};
use domain::records::Cycle;
use domain::time::local_date;

/// The schedule and kind of a task.
#[derive(Debug, Clone)]
pub(crate) struct Spec {
    pub(crate) cycle: Cycle,
    pub(crate) unit: CycleUnit,
    /// `taskStartTime`, local.
    pub(crate) start_local: NaiveDateTime,
    /// Work hours (local), for hourly tasks.
    pub(crate) work: Option<(NaiveTime, NaiveTime)>,
    pub(crate) day_type: WorkDayType,
    pub(crate) work_type: WorkType,
    pub(crate) task_num: Option<u8>,
}

pub(crate) fn at(date: NaiveDate, h: u32, m: u32, s: u32) -> NaiveDateTime {
    date.and_time(NaiveTime::from_hms_opt(h, m, s).unwrap_or(NaiveTime::MIN))
}

pub(crate) fn cycle(hundredths: u32) -> Cycle {
    Cycle { hundredths }
}

fn day_type(rng: &mut Rng) -> WorkDayType {
    [WorkDayType::EveryDay, WorkDayType::WorkingDays, WorkDayType::NonWorkingDays][rng.weighted(&[0.8, 0.15, 0.05])]
}

/// The last 31st on or before `d`.
fn last_31st(d: NaiveDate) -> NaiveDate {
    let mut m = d.with_day(1).unwrap_or(d);
    loop {
        if let Some(x) = m.with_day(31).filter(|x| *x <= d) {
            return x;
        }
        m = m.checked_sub_months(Months::new(1)).unwrap_or(m);
    }
}

/// A routine schedule for a task created at `created` (UTC); `back` days earlier for tasks configured before the
/// platform saw them.
pub(crate) fn routine(rng: &mut Rng, ctx: &Ctx<'_>, created: NaiveDateTime, back: i64) -> Spec {
    let base = local_date(created) - TimeDelta::days(1 + back);
    let h = ctx.knobs.hourly_share.clamp(0.0, 1.0);
    let rest = 1.0 - h;
    let kind = rng.weighted(&[h, rest * 0.66, rest * 0.03, rest * 0.14, rest * 0.13, rest * 0.04]);
    let mut spec = Spec {
        cycle: cycle(100),
        unit: CycleUnit::Day,
        start_local: at(base, 8, 0, 0),
        work: None,
        day_type: WorkDayType::EveryDay,
        work_type: WorkType::Routine,
        task_num: None,
    };
    match kind {
        0 => {
            let hours = *rng.pick(if ctx.knobs.hourly_cycles.is_empty() { &[4] } else { &ctx.knobs.hourly_cycles });
            let (ws, we) = [((8, 0, 0), (18, 0, 0)), ((22, 0, 0), (6, 0, 0)), ((0, 0, 0), (23, 59, 59))]
                [rng.weighted(&[0.6, 0.2, 0.2])];
            let t = |(h, m, s): (u32, u32, u32)| NaiveTime::from_hms_opt(h, m, s).unwrap_or(NaiveTime::MIN);
            spec.cycle = cycle(hours.max(1) * 100);
            spec.unit = CycleUnit::Hour;
            spec.start_local = base.and_time(t(ws));
            spec.work = Some((t(ws), t(we)));
            spec.day_type = if rng.chance(0.15) { WorkDayType::WorkingDays } else { WorkDayType::EveryDay };
        }
        1 => {
            spec.cycle = cycle(if rng.chance(0.85) { 100 } else { 200 });
            spec.start_local = at(base, if rng.chance(0.7) { 8 } else { 0 }, 0, 0);
            spec.day_type = day_type(rng);
        }
        2 => spec.cycle = cycle(*rng.pick(&[50, 150])),
        3 => {
            spec.cycle = cycle(if rng.chance(0.85) { 100 } else { 200 });
            spec.unit = CycleUnit::Week;
            let monday = base - TimeDelta::days(i64::from(base.weekday().num_days_from_monday()));
            spec.start_local = at(monday, 8, 0, 0);
        }
        4 => {
            spec.cycle = cycle(*rng.pick(&[100, 100, 100, 100, 200, 300]));
            spec.unit = CycleUnit::Month;
            let day = if rng.chance(0.3) { last_31st(base) } else { base };
            spec.start_local = at(day, 9, 0, 0);
        }
        _ => {
            spec.unit = CycleUnit::Year;
            spec.start_local = at(base - TimeDelta::days(rng.range_i64(0, 200)), 9, 0, 0);
        }
    }
    spec
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_31st_goes_back_to_a_month_that_has_one() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default();
        assert_eq!(last_31st(d("2026-05-10")), d("2026-03-31"));
        assert_eq!(last_31st(d("2026-05-31")), d("2026-05-31"));
        assert_eq!(last_31st(d("2026-03-01")), d("2026-01-31"));
    }
}
