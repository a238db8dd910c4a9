//! Which candidate instances exist: work hours (小时 tasks), working-day type and the unit's stop windows, all judged
//! on the instance start.

use super::step::to_local;
use super::{StopWindow, TaskSpec};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use domain::calendar::WorkCalendar;
use domain::enums::{CycleUnit, WorkDayType};

/// The filters of one task, with a one-day cache of the calendar answer (consecutive instances share dates).
pub(super) struct Filter<'a> {
    /// The work hours [ws, we), local, when they apply (小时 tasks only).
    hours: Option<(NaiveTime, NaiveTime)>,
    /// `Some(true)` keeps working days only, `Some(false)` non-working days only, `None` every day.
    want_working: Option<bool>,
    stops: &'a [StopWindow],
    cal: &'a WorkCalendar,
    /// The last date asked of the calendar and its answer.
    cached: Option<(NaiveDate, bool)>,
}

impl<'a> Filter<'a> {
    /// The filters of `task` with the stop windows of its unit.
    pub(super) fn new(task: &TaskSpec, stops: &'a [StopWindow], cal: &'a WorkCalendar) -> Filter<'a> {
        let hours = if task.unit == CycleUnit::Hour { task.work_hours } else { None };
        let want_working = match task.work_day_type {
            WorkDayType::EveryDay => None,
            WorkDayType::WorkingDays => Some(true),
            WorkDayType::NonWorkingDays => Some(false),
        };
        Filter { hours, want_working, stops, cal, cached: None }
    }

    /// Whether the candidate instance starting at `start` (UTC) exists.
    pub(super) fn keeps(&mut self, start: NaiveDateTime) -> bool {
        if self.stops.iter().any(|&(from, to)| from <= start && to.is_none_or(|to| start < to)) {
            return false;
        }
        if self.hours.is_none() && self.want_working.is_none() {
            return true;
        }
        let Some(local) = to_local(start) else { return false };
        if let Some((ws, we)) = self.hours
            && !in_work_hours(local.time(), ws, we)
        {
            return false;
        }
        match self.want_working {
            None => true,
            Some(want) => self.is_working_day(local.date()) == want,
        }
    }

    fn is_working_day(&mut self, date: NaiveDate) -> bool {
        match self.cached {
            Some((d, working)) if d == date => working,
            _ => {
                let working = self.cal.is_working_day(date);
                self.cached = Some((date, working));
                working
            }
        }
    }
}

/// Whether the local time of day `t` lies in the work hours [ws, we); when we < ws the window spans midnight,
/// [ws, 24:00) ∪ [00:00, we). An empty window (ws = we) holds nothing.
fn in_work_hours(t: NaiveTime, ws: NaiveTime, we: NaiveTime) -> bool {
    if ws <= we { ws <= t && t < we } else { t >= ws || t < we }
}

#[cfg(test)]
mod tests {
    use super::in_work_hours;
    use chrono::NaiveTime;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn work_hours_windows() {
        // Day window [08:00, 18:00): both ends as [ , ).
        assert!(in_work_hours(t(8, 0), t(8, 0), t(18, 0)));
        assert!(in_work_hours(t(17, 59), t(8, 0), t(18, 0)));
        assert!(!in_work_hours(t(18, 0), t(8, 0), t(18, 0)));
        assert!(!in_work_hours(t(7, 59), t(8, 0), t(18, 0)));
        // Night window [22:00, 06:00) spans midnight.
        assert!(in_work_hours(t(22, 0), t(22, 0), t(6, 0)));
        assert!(in_work_hours(t(0, 0), t(22, 0), t(6, 0)));
        assert!(in_work_hours(t(5, 59), t(22, 0), t(6, 0)));
        assert!(!in_work_hours(t(6, 0), t(22, 0), t(6, 0)));
        assert!(!in_work_hours(t(21, 59), t(22, 0), t(6, 0)));
        // An empty window holds nothing.
        assert!(!in_work_hours(t(8, 0), t(8, 0), t(8, 0)));
        assert!(!in_work_hours(t(9, 0), t(8, 0), t(8, 0)));
    }
}
