//! Task instances (`metrics.md` §2): the windows in which a check task is due, expanded exactly and only within a
//! query window.
//!
//! A task starting at `s` with step `c` has instance `k` = [s + k·c, s + (k+1)·c). How this module reads the
//! contract, rule by rule:
//!
//! - **Time.** Inputs and outputs are naive UTC. Every calendar question (month and year steps, time of day, working
//!   day) is asked in local time, Asia/Shanghai, the fixed offset +08:00 of [`domain::time`].
//! - **Fixed steps.** 小时, 天 and 周 step by exactly `checkCycle` × 1 h, 24 h or 7 × 24 h. [`Cycle`] holds
//!   `checkCycle` × 100, so the step is 36, 864 or 6048 seconds per hundredth: integer seconds, no floating point
//!   (0.5 天 = 12 h, 1.5 天 = 36 h, 0.25 小时 = 15 min).
//! - **Calendar steps.** 月 steps by n = `checkCycle` months and 年 by 12·n months. Instance k starts at s + k·n
//!   months computed from s itself each time (never from the previous, clamped, start), keeping the local time of
//!   day; a day the target month lacks becomes its last day. From 31 October: 30 November, 31 December, 31 January,
//!   28 February, 31 March. 1 年 from 29 February 2028: 28 February 2029, 2030 and 2031, then 29 February 2032.
//!   A 月/年 cycle that is not a whole number is rejected on ingest; should one arrive here, the task has no
//!   instance.
//! - **End.** Instance k ends where instance k+1 starts, whether or not instance k+1 exists after the filters.
//! - **Work hours** apply to 小时 tasks only (ignored for other units) and look at the local time of day t of the
//!   instance start: it exists when ws ≤ t < we, or, when we < ws (a window spanning midnight), when t ≥ ws or
//!   t < we. ws = we (rejected on ingest) leaves no instance. A 小时 task without work hours is not filtered.
//! - **Working days.** `workDayType` 1 keeps instances whose start falls on a local date that
//!   [`WorkCalendar::is_working_day`] accepts, 2 those it rejects, 0 all. Only the start's date counts (a night
//!   shift starting at 00:00 on a Saturday belongs to the Saturday).
//! - **Stops.** An instance does not exist when its start t satisfies stopStart ≤ t < stopEnd for some window of the
//!   task's unit; a missing stopEnd is +∞. The caller resolves the windows of the unit.
//! - **Life end.** With a life end L (the earliest deletion time of the task and its ancestors), only instances
//!   ending at or before L count.
//! - **Query window.** [`for_each`] over [`Span::Due`] yields the instances with end e in (from, to]; for due(P)
//!   the caller passes from = t0 and to = min(t1, asOf). The expansion jumps straight to the first instance ending after `from` (an
//!   integer division for fixed steps, a month difference for calendar steps), so a task started years before the
//!   window costs nothing extra; the filters are applied per candidate.

mod filter;
mod step;
#[cfg(test)]
mod tests;

use chrono::{NaiveDateTime, NaiveTime};
use domain::calendar::WorkCalendar;
use domain::enums::{CycleUnit, WorkDayType};
use domain::records::{CheckTask, Cycle};
use filter::Filter;
use step::Steps;

/// A stop window of a unit, UTC: [stopStartTime, stopEndTime), open-ended when the end is `None`.
pub type StopWindow = (NaiveDateTime, Option<NaiveDateTime>);

/// What the expansion needs to know about a check task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskSpec {
    /// `taskStartTime` s, UTC.
    pub start: NaiveDateTime,
    /// `checkCycle`.
    pub cycle: Cycle,
    /// `checkCycleUnit`.
    pub unit: CycleUnit,
    /// (`workStartTime`, `workEndTime`), local times of day; used for 小时 tasks only.
    pub work_hours: Option<(NaiveTime, NaiveTime)>,
    /// `workDayType`.
    pub work_day_type: WorkDayType,
    /// The end of the task's life, UTC: the earliest deletion time of the task and its ancestors, if any.
    pub life_end: Option<NaiveDateTime>,
}

impl TaskSpec {
    /// The spec of a check task record, with the life end the caller resolved from the deletion times.
    pub fn from_check_task(task: &CheckTask, life_end: Option<NaiveDateTime>) -> TaskSpec {
        TaskSpec {
            start: task.task_start_time,
            cycle: task.check_cycle,
            unit: task.check_cycle_unit,
            work_hours: task.work_start_time.zip(task.work_end_time),
            work_day_type: task.work_day_type,
            life_end,
        }
    }
}

/// One task instance, UTC: [start, end).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Instance {
    /// The start of the instance (inclusive).
    pub start: NaiveDateTime,
    /// The end of the instance (exclusive): the start of the next step.
    pub end: NaiveDateTime,
}

/// Which instances of a task a walk yields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// Those with end e in (from, to] and e ≤ the life end: the instances due in a period.
    Due(NaiveDateTime, NaiveDateTime),
    /// Those that overlap [from, to) (start < to and end > from) and end at or before the life end.
    Overlapping(NaiveDateTime, NaiveDateTime),
}

/// Calls `f` for every instance of the task in the span, in order, skipping those excluded by work hours,
/// working-day type or a stop window (no allocation).
pub fn for_each(task: &TaskSpec, stops: &[StopWindow], cal: &WorkCalendar, span: Span, f: impl FnMut(Instance)) {
    match span {
        Span::Due(from, to) => expand(task, stops, cal, from, task.life_end.map_or(to, |l| l.min(to)), None, f),
        Span::Overlapping(from, to) => {
            expand(task, stops, cal, from, task.life_end.unwrap_or(NaiveDateTime::MAX), Some(to), f);
        }
    }
}

/// Calls `f` for every kept instance with end e in (after, end_max] and, when given, start < start_before.
fn expand(
    task: &TaskSpec,
    stops: &[StopWindow],
    cal: &WorkCalendar,
    after: NaiveDateTime,
    end_max: NaiveDateTime,
    start_before: Option<NaiveDateTime>,
    mut f: impl FnMut(Instance),
) {
    let Some(steps) = Steps::new(task) else { return };
    if end_max <= after || task.start >= end_max || start_before.is_some_and(|b| b <= task.start) {
        return;
    }
    let mut filter = Filter::new(task, stops, cal);
    let Some(cursor) = steps.cursor_ending_after(after) else { return };
    for instance in cursor {
        if instance.end > end_max || start_before.is_some_and(|b| instance.start >= b) {
            return;
        }
        if instance.end > after && filter.keeps(instance.start) {
            f(instance);
        }
    }
}
