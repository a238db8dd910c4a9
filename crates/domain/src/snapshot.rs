//! What the figures are computed from: each enterprise's records as known at a moment `asOf` (`metrics.md`,
//! "Knowledge"): per record, its latest version received at or before `asOf`, with its deletion time.

use crate::enums::{
    CheckStatus, CycleUnit, DangerLevel, DangerManageType, DangerState, DataSrc, RiskClass, WorkDayType, WorkType,
};
use crate::records::{Cycle, Deadline};
use crate::{CompanyCode, ExchangeTable};
use chrono::{NaiveDateTime, NaiveTime};

/// When a record exists: from its `createDate` to its deletion time (both UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Life {
    /// `createDate` of the latest known version.
    pub created: NaiveDateTime,
    /// The deletion time: the `updateDate` of the known version with `deleted` = "1" (the first of the final run of
    /// deleted versions); `None` when the latest known version is not deleted.
    pub deleted: Option<NaiveDateTime>,
}

impl Life {
    /// Active at business time `t`: created before `t`, and not deleted or deleted at or after `t`.
    pub fn active_at(&self, t: NaiveDateTime) -> bool {
        self.created < t && self.deleted.is_none_or(|d| d >= t)
    }
}

/// A hazard source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HazardRow {
    /// Its `hazardCode`.
    pub hazard_code: String,
    /// Its life.
    pub life: Life,
}

/// A risk unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRow {
    /// The id.
    pub id: String,
    /// The hazard code of its parent.
    pub hazard_code: String,
    /// Its risk class, when sent.
    pub risk_class: Option<RiskClass>,
    /// Its life.
    pub life: Life,
}

/// A risk event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    /// The id.
    pub id: String,
    /// Its unit.
    pub unit_id: String,
    /// Its life.
    pub life: Life,
}

/// A control measure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureRow {
    /// The id.
    pub id: String,
    /// Its event.
    pub event_id: String,
    /// 管控方式: only 隐患排查 measures need tasks.
    pub data_src: DataSrc,
    /// Its life.
    pub life: Life,
}

/// A check task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRow {
    /// The id.
    pub id: String,
    /// Its measure.
    pub measure_id: String,
    /// `taskStartTime` (UTC).
    pub start: NaiveDateTime,
    /// `checkCycle`.
    pub cycle: Cycle,
    /// `checkCycleUnit`.
    pub unit: CycleUnit,
    /// Work hours (local times of day), for 小时 tasks.
    pub work_hours: Option<(NaiveTime, NaiveTime)>,
    /// `workDayType`.
    pub work_day_type: WorkDayType,
    /// `workType` (包保 when not routine).
    pub work_type: WorkType,
    /// Its life.
    pub life: Life,
}

/// A check record whose latest known version is not deleted, kept compact (12 bytes): a province-year holds about
/// 20 million of them.
///
/// The one bit of its receipt the figures need is [`CheckRow::late`]: whether its first version reached the platform
/// more than [`LATE_AFTER`] after its `checkTime` (`metrics.md` §9, filled in after the fact).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckRow {
    /// Its task: an index into [`EnterpriseSnapshot::tasks`].
    pub task: u32,
    /// `checkTime` (UTC) as seconds since 1970-01-01 (wire times have whole seconds, and lie in 1970–2106).
    pub at: u32,
    /// `checkStatus`.
    pub status: CheckStatus,
    /// Its first version was received more than [`LATE_AFTER`] after `checkTime`.
    pub late: bool,
}

/// How long after the business time a record may reach the platform and still count as entered on time
/// (`metrics.md` §9): 24 hours.
pub const LATE_AFTER: chrono::TimeDelta = chrono::TimeDelta::hours(24);

/// Whether a record whose business time is `at` and whose first version was received at `first_received` was
/// entered late: more than [`LATE_AFTER`] after (exactly 24 h is on time).
pub fn entered_late(at: NaiveDateTime, first_received: NaiveDateTime) -> bool {
    first_received - at > LATE_AFTER
}

/// A UTC time as the seconds of [`CheckRow::at`]; `None` outside 1970–2106.
pub fn epoch_secs(t: NaiveDateTime) -> Option<u32> {
    u32::try_from(t.and_utc().timestamp()).ok()
}

impl CheckRow {
    /// `checkTime` (UTC).
    pub fn check_time(&self) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(i64::from(self.at), 0).map(|t| t.naive_utc()).unwrap_or_default()
    }
}

/// A danger whose latest known version is not deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DangerRow {
    /// The id.
    pub id: String,
    /// 隐患等级.
    pub level: DangerLevel,
    /// 治理类型.
    pub manage_type: DangerManageType,
    /// `registTime` (UTC).
    pub regist_time: NaiveDateTime,
    /// `dangerManageDeadline`.
    pub deadline: Option<Deadline>,
    /// 隐患状态 of the latest known version.
    pub state: DangerState,
    /// `checkAcceptTime` (UTC).
    pub accept_time: Option<NaiveDateTime>,
    /// When its first version was received (UTC).
    pub first_received: NaiveDateTime,
}

/// A unit stop whose latest known version is not deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StopRow {
    /// The stopped unit.
    pub unit_id: String,
    /// `stopStartTime` (UTC).
    pub start: NaiveDateTime,
    /// `stopEndTime` (UTC); `None` while open-ended.
    pub end: Option<NaiveDateTime>,
}

/// Distinct receipt times, ascending: a prefix of a list shared with the history it was read from (a province's check
/// records arrive at about 1.5 million distinct times a year; every snapshot copying them cost 18 MB).
#[derive(Clone, Default)]
pub struct Received {
    times: std::sync::Arc<[NaiveDateTime]>,
    len: usize,
}

impl Received {
    /// The first `len` times of a shared list.
    pub fn prefix(times: std::sync::Arc<[NaiveDateTime]>, len: usize) -> Received {
        let len = len.min(times.len());
        Received { times, len }
    }

    /// The times.
    pub fn as_slice(&self) -> &[NaiveDateTime] {
        &self.times[..self.len]
    }
}

impl From<Vec<NaiveDateTime>> for Received {
    fn from(times: Vec<NaiveDateTime>) -> Received {
        let len = times.len();
        Received { times: times.into(), len }
    }
}

impl PartialEq for Received {
    fn eq(&self, other: &Received) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Received {}

impl std::fmt::Debug for Received {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_slice().fmt(f)
    }
}

/// One enterprise's records as known at `asOf`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnterpriseSnapshot {
    /// The enterprise.
    pub company: CompanyCode,
    /// Hazard sources.
    pub hazards: Vec<HazardRow>,
    /// Risk units.
    pub units: Vec<UnitRow>,
    /// Risk events.
    pub events: Vec<EventRow>,
    /// Control measures.
    pub measures: Vec<MeasureRow>,
    /// Check tasks.
    pub tasks: Vec<TaskRow>,
    /// Check records (not deleted): a view on the enterprise's check history at the snapshot's moment.
    pub checks: crate::checks::Checks,
    /// Dangers (not deleted).
    pub dangers: Vec<DangerRow>,
    /// Unit stops (not deleted).
    pub stops: Vec<StopRow>,
    /// Per table, the distinct times (UTC, ascending) at which its accepted versions were received, up to `asOf`.
    pub received: Vec<(ExchangeTable, Received)>,
}

impl EnterpriseSnapshot {
    /// An enterprise without records.
    pub fn empty(company: CompanyCode) -> EnterpriseSnapshot {
        EnterpriseSnapshot {
            company,
            hazards: vec![],
            units: vec![],
            events: vec![],
            measures: vec![],
            tasks: vec![],
            checks: crate::checks::Checks::default(),
            dangers: vec![],
            stops: vec![],
            received: vec![],
        }
    }

    /// Per table that had received data by `t`, the last time it did (at or before `t`).
    pub fn last_received_by(&self, t: NaiveDateTime) -> Vec<(ExchangeTable, NaiveDateTime)> {
        self.received
            .iter()
            .filter_map(|(table, times)| {
                let times = times.as_slice();
                let n = times.partition_point(|x| *x <= t);
                n.checked_sub(1).map(|i| (*table, times[i]))
            })
            .collect()
    }
}

/// Folds the versions of one record, in `updateDate` order, into its deletion time (see [`Life::deleted`]).
pub fn deletion_time(versions: impl IntoIterator<Item = (NaiveDateTime, bool)>) -> Option<NaiveDateTime> {
    let mut run_start = None;
    for (update_date, deleted) in versions {
        run_start = match (deleted, run_start) {
            (true, None) => Some(update_date),
            (true, Some(s)) => Some(s),
            (false, _) => None,
        };
    }
    run_start
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn deletion_time_is_the_start_of_the_final_deleted_run() {
        let (a, b, c) = (t("2026-11-01 00:00:00"), t("2026-11-02 00:00:00"), t("2026-11-03 00:00:00"));
        assert_eq!(deletion_time([(a, false)]), None);
        assert_eq!(deletion_time([(a, false), (b, true)]), Some(b));
        assert_eq!(deletion_time([(a, false), (b, true), (c, true)]), Some(b), "a resent deletion keeps the first");
        assert_eq!(deletion_time([(a, true), (b, false)]), None, "restored");
        assert_eq!(deletion_time([(a, true), (b, false), (c, true)]), Some(c));
    }

    #[test]
    fn active_means_created_before_and_not_yet_deleted() {
        let life = Life { created: t("2026-11-01 00:00:00"), deleted: Some(t("2026-11-05 00:00:00")) };
        assert!(!life.active_at(t("2026-11-01 00:00:00")), "createDate < t is strict");
        assert!(life.active_at(t("2026-11-01 00:00:01")));
        assert!(life.active_at(t("2026-11-05 00:00:00")), "deletion time ≥ t keeps it active");
        assert!(!life.active_at(t("2026-11-05 00:00:01")));
    }
}
