//! A stored month in two parts (`docs/scale-out.md`, "Several years online"): the rows of tasks whose cycle is at
//! most [`SHORT_STEP_DAYS`] (daily, weekly, monthly inspections: nearly every row) and those of longer cycles
//! (quarterly, yearly). A window starting at `since` needs the rows of a short task from `since` less 31 days on
//! only, so the months before [`short_from`] are read for their long part; the short part's task ids are stored
//! beside it, so that a reader sees when a task written as short has a longer cycle at the moment it asks (a later
//! version changed it) and reads that month's short part too. Nothing depends on the split being current: it only
//! decides which part a row is in.

use crate::checkpoint::CheckPart;
use crate::checks::CheckHistory;
use crate::history::EnterpriseHistory;
use crate::months::{Month, month_of_time, step_bound};
use crate::snapshot::TaskRow;
use chrono::{NaiveDateTime, TimeDelta};

/// The longest cycle step of a short task, in days.
pub const SHORT_STEP_DAYS: i64 = 31;

/// Whether one step of a task's cycle is at most [`SHORT_STEP_DAYS`]: its checks count only for windows starting
/// within that many days after them ([`crate::months::reach_from`]).
pub fn is_short(task: &TaskRow) -> bool {
    step_bound(task) <= SHORT_STEP_DAYS * 86_400
}

/// The first month whose short part a window starting at `since` can need: the month of `since` less
/// [`SHORT_STEP_DAYS`]. A task short at the moment asked reaches no earlier ([`is_short`]).
pub fn short_from(since: NaiveDateTime) -> Month {
    month_of_time(since - TimeDelta::days(SHORT_STEP_DAYS))
}

/// A stored month's two parts, each with its own task ids ([`EnterpriseHistory::month_part`]).
#[derive(Debug, Clone)]
pub struct MonthParts {
    /// The rows of the tasks short when written.
    pub short: CheckPart,
    /// The rows of every other task (longer cycles, and ids without a task version).
    pub long: CheckPart,
}

impl EnterpriseHistory {
    /// For each task ordinal, whether the task is short: it has a version, and every version of it is short
    /// ([`is_short`]). A task that ever had a longer cycle stays long, so that its rows are where a window asking
    /// at any moment looks first.
    pub fn short_tasks(&self) -> Vec<bool> {
        let mut short = vec![false; self.task_ids.len()];
        let mut seen = vec![false; self.task_ids.len()];
        for v in &self.tasks {
            let Some(g) = self.task_ordinal(&v.id).map(|g| g as usize) else { continue };
            let (Some(s), Some(first)) = (short.get_mut(g), seen.get_mut(g)) else { continue };
            *s = if *first { *s && is_short(&v.row) } else { is_short(&v.row) };
            *first = true;
        }
        short
    }

    /// A month's rows (history ordinals) as stored, split by `short` ([`EnterpriseHistory::short_tasks`]).
    pub fn month_parts(&self, rows: &CheckHistory, short: &[bool]) -> MonthParts {
        let is = |task: u32| short.get(task as usize).copied().unwrap_or(false);
        let pick = |want: bool| CheckHistory {
            rows: rows.rows.iter().filter(|r| is(r.task) == want).copied().collect(),
            superseded: rows.superseded.iter().filter(|(r, _)| is(r.task) == want).copied().collect(),
        };
        MonthParts { short: self.month_part(&pick(true)), long: self.month_part(&pick(false)) }
    }
}

#[cfg(test)]
#[path = "month_parts_tests.rs"]
mod tests;
