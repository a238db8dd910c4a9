//! An enterprise's whole history, from which its snapshot at any moment is read without touching storage: every
//! version of the small tables (hazards to tasks, dangers, stops: about 85,000 versions in a province-year), and the
//! check records as a [`CheckHistory`] (`checks.rs`). Storage builds it from the stored versions or from a checkpoint
//! and folds new batches into it (`storage::history`); the figures service keeps one per enterprise.

use crate::checks::{CheckHistory, Checks};
use crate::snapshot::*;
use crate::{CompanyCode, ExchangeTable};
use chrono::NaiveDateTime;
use std::collections::BTreeSet;
use std::sync::Arc;

/// One stored version of a record of a small table, with its row as the snapshot shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version<R> {
    /// The record id.
    pub id: String,
    /// `updateDate` (UTC).
    pub update: NaiveDateTime,
    /// Its storage seq (orders versions with the same `updateDate`).
    pub seq: i64,
    /// `deleted` = "1".
    pub deleted: bool,
    /// `createDate` (UTC).
    pub created: NaiveDateTime,
    /// When it was received (UTC).
    pub received: NaiveDateTime,
    /// The row (its life and first receipt are set when a snapshot is read).
    pub row: R,
}

/// A row of a small table: how a snapshot settles it from its record's versions.
pub trait Settle: Clone {
    /// Sets what depends on the versions known (life, first receipt); `false` drops the record from the snapshot
    /// (dangers and stops whose latest known version is deleted).
    fn settle(&mut self, life: Life, first_received: NaiveDateTime) -> bool;
}

macro_rules! settle_life {
    ($($t:ty),+) => {$(
        impl Settle for $t {
            fn settle(&mut self, life: Life, _: NaiveDateTime) -> bool {
                self.life = life;
                true
            }
        }
    )+};
}
settle_life!(HazardRow, UnitRow, EventRow, MeasureRow, TaskRow);

impl Settle for DangerRow {
    fn settle(&mut self, life: Life, first_received: NaiveDateTime) -> bool {
        self.first_received = first_received;
        life.deleted.is_none()
    }
}

impl Settle for StopRow {
    fn settle(&mut self, life: Life, _: NaiveDateTime) -> bool {
        life.deleted.is_none()
    }
}

/// The records of a small table known at `t`, from its versions sorted by (id, updateDate, seq): per record its
/// latest version received at or before `t`, settled. Returns the rows with their ids, and the distinct receipt
/// times up to `t`.
pub fn fold_at<R: Settle>(versions: &[Version<R>], t: NaiveDateTime) -> (Vec<(String, R)>, BTreeSet<NaiveDateTime>) {
    let (mut out, mut times) = (Vec::new(), BTreeSet::new());
    for record in versions.chunk_by(|a, b| a.id == b.id) {
        let known: Vec<&Version<R>> = record.iter().filter(|v| v.received <= t).collect();
        let Some(latest) = known.last() else { continue };
        times.extend(known.iter().map(|v| v.received));
        let first = known.iter().map(|v| v.received).min().unwrap_or(latest.received);
        let life =
            Life { created: latest.created, deleted: deletion_time(known.iter().map(|v| (v.update, v.deleted))) };
        let mut row = latest.row.clone();
        if row.settle(life, first) {
            out.push((latest.id.clone(), row));
        }
    }
    (out, times)
}

/// An enterprise's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnterpriseHistory {
    /// The enterprise.
    pub company: CompanyCode,
    /// Hazard source versions, sorted by (id, updateDate, seq).
    pub hazards: Vec<Version<HazardRow>>,
    /// Risk unit versions.
    pub units: Vec<Version<UnitRow>>,
    /// Risk event versions.
    pub events: Vec<Version<EventRow>>,
    /// Control measure versions.
    pub measures: Vec<Version<MeasureRow>>,
    /// Check task versions.
    pub tasks: Vec<Version<TaskRow>>,
    /// Danger versions.
    pub dangers: Vec<Version<DangerRow>>,
    /// Unit stop versions.
    pub stops: Vec<Version<StopRow>>,
    /// The task ids the check rows name by ordinal: every id of a task version or named by a check, sorted.
    pub task_ids: Vec<String>,
    /// The check records of the resident months: those with `checkTime` at or after
    /// [`EnterpriseHistory::resident_from`]; the earlier ones are stored by month (`crate::months`).
    pub checks: Arc<CheckHistory>,
    /// The start of the resident months, seconds since 1970 (UTC; a local month's start): 0 when every row is
    /// resident.
    pub resident_from: u32,
    /// The distinct times at which check record versions were received, ascending (shared with the snapshots).
    pub check_received: Arc<[NaiveDateTime]>,
    /// The highest seq of the enterprise's check record versions reflected (0 for none).
    pub check_seq: i64,
}

impl EnterpriseHistory {
    /// A history without records.
    pub fn empty(company: CompanyCode) -> EnterpriseHistory {
        EnterpriseHistory {
            company,
            hazards: vec![],
            units: vec![],
            events: vec![],
            measures: vec![],
            tasks: vec![],
            dangers: vec![],
            stops: vec![],
            task_ids: vec![],
            checks: Arc::new(CheckHistory::default()),
            resident_from: 0,
            check_received: Arc::from(Vec::new()),
            check_seq: 0,
        }
    }

    /// No version of any table is known.
    pub fn is_empty(&self) -> bool {
        self.hazards.is_empty()
            && self.units.is_empty()
            && self.events.is_empty()
            && self.measures.is_empty()
            && self.tasks.is_empty()
            && self.dangers.is_empty()
            && self.stops.is_empty()
            && self.check_seq == 0
    }

    /// The ordinal of a task id in [`EnterpriseHistory::task_ids`].
    pub fn task_ordinal(&self, id: &str) -> Option<u32> {
        self.task_ids.binary_search_by(|t| t.as_str().cmp(id)).ok().map(|i| i as u32)
    }

    /// The snapshot at `t`: what `storage::snapshot::load` gives at `t`, read from memory. `None` when no record
    /// was known at `t`.
    pub fn snapshot_at(&self, t: NaiveDateTime) -> Option<EnterpriseSnapshot> {
        self.snapshot_with(t, None)
    }

    /// The snapshot at `t`, with the rows of older months a window needs (`crate::months`) beside the resident ones:
    /// without them, only the checks of the resident months are in it.
    pub fn snapshot_with(&self, t: NaiveDateTime, older: Option<Arc<CheckHistory>>) -> Option<EnterpriseSnapshot> {
        let mut s = EnterpriseSnapshot::empty(self.company.clone());
        let mut received: Vec<(ExchangeTable, Received)> = Vec::new();
        s.hazards = rows_at(&self.hazards, t, ExchangeTable::HazardSource, &mut received);
        s.units = rows_at(&self.units, t, ExchangeTable::RiskUnit, &mut received);
        s.events = rows_at(&self.events, t, ExchangeTable::RiskEvent, &mut received);
        s.measures = rows_at(&self.measures, t, ExchangeTable::ControlMeasure, &mut received);
        let (tasks, times) = fold_at(&self.tasks, t);
        push_times(&mut received, ExchangeTable::CheckTask, times);
        let ordinals: Vec<u32> =
            tasks.iter().map(|(id, _)| self.task_ordinal(id).unwrap_or(crate::checks::NO_TASK)).collect();
        s.tasks = tasks.into_iter().map(|(_, r)| r).collect();
        let n = self.check_received.partition_point(|x| *x <= t);
        if n > 0 {
            received.push((ExchangeTable::CheckRecord, Received::prefix(self.check_received.clone(), n)));
        }
        s.checks = Checks::view(self.checks.clone(), t, ordinals, self.task_ids.len());
        if let Some(older) = older {
            s.checks = s.checks.with_older(older);
        }
        s.dangers = rows_at(&self.dangers, t, ExchangeTable::Danger, &mut received);
        s.stops = rows_at(&self.stops, t, ExchangeTable::UnitStop, &mut received);
        s.received = received;
        (!s.received.is_empty()).then_some(s)
    }
}

/// The rows of a small table known at `t`, noting its receipt times.
fn rows_at<R: Settle>(
    versions: &[Version<R>],
    t: NaiveDateTime,
    table: ExchangeTable,
    received: &mut Vec<(ExchangeTable, Received)>,
) -> Vec<R> {
    let (rows, times) = fold_at(versions, t);
    push_times(received, table, times);
    rows.into_iter().map(|(_, r)| r).collect()
}

/// Notes a table's receipt times when it has any.
fn push_times(received: &mut Vec<(ExchangeTable, Received)>, table: ExchangeTable, times: BTreeSet<NaiveDateTime>) {
    if !times.is_empty() {
        received.push((table, times.into_iter().collect::<Vec<_>>().into()));
    }
}
