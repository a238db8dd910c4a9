//! The check records of a snapshot, as a view on an enterprise's whole check history at one moment.
//!
//! A province-year holds about 18 million check record versions. Each version is kept once, in 16 bytes, with the
//! time from which it is what is known of its record ([`HistRow`]); the few versions that a later one replaced keep
//! the time until which they were ([`CheckHistory::superseded`]). A snapshot at any moment T is then the rows known
//! at T, read in place: no copy per moment, so a past `asOf` costs no memory and no load (`docs/performance.md`).

use crate::enums::CheckStatus;
use crate::snapshot::CheckRow;
use chrono::NaiveDateTime;
use std::sync::Arc;

/// The bits of [`HistRow::packed`] that hold the receipt time in microseconds since 1970 (until 2112).
const MICROS: u64 = (1 << 52) - 1;
/// Where the check status starts in [`HistRow::packed`].
const STATUS_SHIFT: u32 = 52;
/// The late bit of [`HistRow::packed`].
const LATE: u64 = 1 << 55;
/// A task ordinal that no snapshot task maps to.
pub const NO_TASK: u32 = u32::MAX;

/// One version of a check record as known from its receipt on (16 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HistRow {
    /// Its task: an ordinal in the enterprise's history's task ids (not a snapshot's task index).
    pub task: u32,
    /// `checkTime` (UTC) in seconds since 1970, as [`CheckRow::at`].
    pub at: u32,
    /// The receipt time in microseconds (52 bits), the status code (3 bits) and the late bit.
    pub packed: u64,
}

impl HistRow {
    /// A row known from `from` (microseconds since 1970).
    pub fn new(task: u32, at: u32, status: CheckStatus, late: bool, from: u64) -> HistRow {
        let late = if late { LATE } else { 0 };
        HistRow { task, at, packed: (from & MICROS) | (u64::from(status.code()) << STATUS_SHIFT) | late }
    }

    /// From when (microseconds since 1970) this version is what is known of its record.
    pub fn from_micros(&self) -> u64 {
        self.packed & MICROS
    }

    /// `checkStatus`.
    pub fn status(&self) -> CheckStatus {
        let code = (self.packed >> STATUS_SHIFT) & 0b111;
        CheckStatus::ALL.iter().copied().find(|s| u64::from(s.code()) == code).unwrap_or(CheckStatus::Other)
    }

    /// Its first version was received late.
    pub fn late(&self) -> bool {
        self.packed & LATE != 0
    }
}

/// A UTC time in microseconds since 1970 (0 before).
pub fn micros(t: NaiveDateTime) -> u64 {
    u64::try_from(t.and_utc().timestamp_micros()).unwrap_or(0)
}

/// Every version of an enterprise's check records that was ever what was known of its record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckHistory {
    /// The versions still known now, sorted.
    pub rows: Vec<HistRow>,
    /// The versions a later one replaced, with the time (microseconds) from which they no longer are; sorted.
    pub superseded: Vec<(HistRow, u64)>,
}

/// The check records of one snapshot: the rows of a [`CheckHistory`] known at its moment, with their tasks mapped to
/// the snapshot's task indexes. Cheap to clone.
#[derive(Clone)]
pub struct Checks {
    history: Arc<CheckHistory>,
    /// Rows of months no longer resident (`checkTime` before the history's resident months), read back for a window
    /// that reaches before them ([`Checks::with_older`]); same task ordinals as `history`.
    older: Option<Arc<CheckHistory>>,
    /// The moment (microseconds; `u64::MAX` for all).
    at: u64,
    /// Snapshot task index → history ordinal.
    to_history: Arc<[u32]>,
    /// History ordinal → snapshot task index, or [`NO_TASK`].
    to_snapshot: Arc<[u32]>,
}

impl Checks {
    /// The rows of `history` known at `at`; `tasks` gives, per snapshot task, its history ordinal.
    pub fn view(history: Arc<CheckHistory>, at: NaiveDateTime, tasks: Vec<u32>, ordinals: usize) -> Checks {
        let mut to_snapshot = vec![NO_TASK; ordinals];
        for (i, g) in tasks.iter().enumerate() {
            if let Some(slot) = to_snapshot.get_mut(*g as usize) {
                *slot = i as u32;
            }
        }
        Checks { history, older: None, at: micros(at), to_history: tasks.into(), to_snapshot: to_snapshot.into() }
    }

    /// The same view with the rows of older months beside the resident ones (`crate::months`): every row of
    /// `older` has a `checkTime` before every resident row's, and the same task ordinals.
    pub fn with_older(mut self, older: Arc<CheckHistory>) -> Checks {
        self.older = Some(older);
        self
    }

    /// Rows given directly, each known since always (tests and hand-built snapshots).
    pub fn from_rows(rows: Vec<CheckRow>) -> Checks {
        let tasks = rows.iter().map(|c| c.task as usize + 1).max().unwrap_or(0);
        let mut hist: Vec<HistRow> = rows.iter().map(|c| HistRow::new(c.task, c.at, c.status, c.late, 0)).collect();
        hist.sort_unstable();
        let identity: Arc<[u32]> = (0..tasks as u32).collect();
        Checks {
            history: Arc::new(CheckHistory { rows: hist, superseded: vec![] }),
            older: None,
            at: u64::MAX,
            to_history: identity.clone(),
            to_snapshot: identity,
        }
    }

    /// Adds a row known since always (hand-built snapshots).
    pub fn push(&mut self, row: CheckRow) {
        let mut rows = self.to_vec();
        rows.push(row);
        *self = Checks::from_rows(rows);
    }

    /// The checks of one snapshot task.
    pub fn of_task(&self, task: u32) -> TaskChecks<'_> {
        let Some(&g) = self.to_history.get(task as usize) else {
            return TaskChecks { parts: [TaskPart::EMPTY, TaskPart::EMPTY], at: self.at };
        };
        let older = self.older.as_deref().map_or(TaskPart::EMPTY, |h| TaskPart::of(h, g));
        TaskChecks { parts: [older, TaskPart::of(&self.history, g)], at: self.at }
    }

    /// Every check known at the moment whose task is in the snapshot (in no particular order).
    pub fn iter(&self) -> impl Iterator<Item = CheckRow> + '_ {
        let at = self.at;
        let parts = self.older.as_deref().into_iter().chain(std::iter::once(&*self.history));
        let known = parts.flat_map(move |h| {
            let now = h.rows.iter().filter(move |r| r.from_micros() <= at);
            let then = h.superseded.iter().filter(move |(r, until)| r.from_micros() <= at && at < *until);
            now.chain(then.map(|(r, _)| r))
        });
        known.filter_map(|r| {
            let task = *self.to_snapshot.get(r.task as usize)?;
            (task != NO_TASK).then(|| CheckRow { task, at: r.at, status: r.status(), late: r.late() })
        })
    }

    /// How many checks are known (counts them).
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// No check is known.
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }

    /// The checks known, sorted by (task, time, status, late).
    pub fn to_vec(&self) -> Vec<CheckRow> {
        let mut v: Vec<CheckRow> = self.iter().collect();
        v.sort_unstable_by_key(|c| (c.task, c.at, c.status.code(), c.late));
        v
    }
}

impl Default for Checks {
    fn default() -> Checks {
        Checks::from_rows(vec![])
    }
}

impl PartialEq for Checks {
    fn eq(&self, other: &Checks) -> bool {
        self.to_vec() == other.to_vec()
    }
}

impl Eq for Checks {}

impl std::fmt::Debug for Checks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.to_vec()).finish()
    }
}

impl From<Vec<CheckRow>> for Checks {
    fn from(rows: Vec<CheckRow>) -> Checks {
        Checks::from_rows(rows)
    }
}

/// The rows of one task in one part of a history.
#[derive(Debug, Clone, Copy)]
struct TaskPart<'a> {
    rows: &'a [HistRow],
    superseded: &'a [(HistRow, u64)],
}

impl<'a> TaskPart<'a> {
    const EMPTY: TaskPart<'static> = TaskPart { rows: &[], superseded: &[] };

    /// The rows of history ordinal `g`, found by binary search.
    fn of(h: &'a CheckHistory, g: u32) -> TaskPart<'a> {
        let lo = h.rows.partition_point(|r| r.task < g);
        let hi = lo + h.rows[lo..].partition_point(|r| r.task == g);
        let slo = h.superseded.partition_point(|r| r.0.task < g);
        let shi = slo + h.superseded[slo..].partition_point(|r| r.0.task == g);
        TaskPart { rows: &h.rows[lo..hi], superseded: &h.superseded[slo..shi] }
    }
}

/// The checks of one task known at a snapshot's moment: those of older months read back, if any, and the resident
/// ones.
#[derive(Debug, Clone, Copy)]
pub struct TaskChecks<'a> {
    parts: [TaskPart<'a>; 2],
    at: u64,
}

impl TaskChecks<'_> {
    /// Whether a check other than 未排查 with `checkTime` in [start, end) (seconds) is known.
    pub fn any_done(&self, start: i64, end: i64) -> bool {
        let done = |r: &HistRow| r.status() != CheckStatus::NotChecked && r.from_micros() <= self.at;
        self.parts.iter().any(|p| {
            let first = p.rows.partition_point(|r| i64::from(r.at) < start);
            let now = p.rows[first..].iter().take_while(|r| i64::from(r.at) < end).any(done);
            now || {
                let first = p.superseded.partition_point(|r| i64::from(r.0.at) < start);
                p.superseded[first..]
                    .iter()
                    .take_while(|r| i64::from(r.0.at) < end)
                    .any(|(r, until)| done(r) && self.at < *until)
            }
        })
    }
}
