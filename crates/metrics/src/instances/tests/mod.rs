//! Tests of the expansion: hand-computed cases for every rule, each comment showing the arithmetic, and a randomised
//! comparison with a naive walk. This file holds the helpers the cases share.

mod filters;
mod random;
mod units;
mod windows;

use crate::instances::{Instance, Span, StopWindow, TaskSpec, for_each};
use chrono::{NaiveDateTime, NaiveTime};
use domain::calendar::WorkCalendar;
use domain::enums::{CycleUnit, WorkDayType};
use domain::records::Cycle;
use domain::time::{local_to_utc, utc_to_local};

/// A local (Asia/Shanghai) time `YYYY-MM-DD HH:MM` as naive UTC.
pub fn lt(s: &str) -> NaiveDateTime {
    local_to_utc(NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap())
}

/// A UTC time `YYYY-MM-DD HH:MM`.
pub fn utc(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

/// A local time of day `HH:MM:SS`.
pub fn tod(s: &str) -> NaiveTime {
    NaiveTime::parse_from_str(s, "%H:%M:%S").unwrap()
}

/// An every-day task starting at the local time `start`, with `hundredths` = checkCycle × 100.
pub fn task(start: &str, hundredths: u32, unit: CycleUnit) -> TaskSpec {
    TaskSpec {
        start: lt(start),
        cycle: Cycle { hundredths },
        unit,
        work_hours: None,
        work_day_type: WorkDayType::EveryDay,
        life_end: None,
    }
}

/// The same task with work hours `ws`–`we` (local, `HH:MM:SS`).
pub fn with_hours(mut t: TaskSpec, ws: &str, we: &str) -> TaskSpec {
    t.work_hours = Some((tod(ws), tod(we)));
    t
}

/// The shipped calendar.
pub fn cal() -> WorkCalendar {
    WorkCalendar::shipped().unwrap()
}

/// The instances a `for_each_*` walk yields, in order.
pub fn all(walk: impl FnOnce(&mut dyn FnMut(Instance))) -> Vec<Instance> {
    let mut out = Vec::new();
    walk(&mut |i| out.push(i));
    out
}

/// The due instances for the local window (from, to], checked to be in order and not to overlap.
pub fn due(t: &TaskSpec, stops: &[StopWindow], from: &str, to: &str) -> Vec<Instance> {
    let cal = cal();
    let list = all(|f| for_each(t, stops, &cal, Span::Due(lt(from), lt(to)), f));
    for w in list.windows(2) {
        assert!(w[0].end <= w[1].start, "instances out of order: {w:?}");
    }
    list
}

/// Local start times `YYYY-MM-DD HH:MM` of instances.
pub fn starts(list: &[Instance]) -> Vec<String> {
    list.iter().map(|i| local(i.start)).collect()
}

/// Local end times `YYYY-MM-DD HH:MM` of instances.
pub fn ends(list: &[Instance]) -> Vec<String> {
    list.iter().map(|i| local(i.end)).collect()
}

/// A UTC instant as local `YYYY-MM-DD HH:MM`.
pub fn local(t: NaiveDateTime) -> String {
    utc_to_local(t).format("%Y-%m-%d %H:%M").to_string()
}

/// Local start times of the due instances for the local window (from, to].
pub fn due_starts(t: &TaskSpec, stops: &[StopWindow], from: &str, to: &str) -> Vec<String> {
    starts(&due(t, stops, from, to))
}
