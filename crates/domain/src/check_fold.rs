//! Building an enterprise's [`CheckHistory`] from its check record versions, and folding new versions into it.
//!
//! A version `v` of a record is what is known of it at T exactly when it was received at or before T and no version
//! ordered after it (by `updateDate`, then seq) was: from its receipt until the first receipt of a later-ordered
//! version. A version whose record is deleted at that point is not a check; nor is one whose task is unknown or whose
//! `checkTime` is outside 1970–2106 (as in `storage::snapshot`). Lateness uses the record's first receipt, which is
//! the same at every T where the version is known.

use crate::checks::{CheckHistory, HistRow, micros};
use crate::enums::CheckStatus;
use crate::history::EnterpriseHistory;
use crate::months::{OldRows, Row, patch, split};
use crate::snapshot::{entered_late, epoch_secs};
use chrono::NaiveDateTime;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// One stored check record version, as read for the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckVersion {
    /// The record id.
    pub id: String,
    /// Its storage seq.
    pub seq: i64,
    /// `updateDate` (UTC).
    pub update: NaiveDateTime,
    /// `deleted` = "1".
    pub deleted: bool,
    /// When it was received (UTC).
    pub received: NaiveDateTime,
    /// `checkTaskId`.
    pub task_id: String,
    /// `checkTime` (UTC).
    pub check_time: NaiveDateTime,
    /// `checkStatus`.
    pub status: CheckStatus,
}

/// The rows of one record from all its versions known so far (any order).
fn record_rows(versions: &mut [&CheckVersion], ordinal: &impl Fn(&str) -> Option<u32>) -> Vec<Row> {
    versions.sort_by_key(|v| (v.update, v.seq));
    let Some(first) = versions.iter().map(|v| v.received).min() else { return vec![] };
    let mut out = Vec::new();
    let mut until: Option<u64> = None;
    for v in versions.iter().rev() {
        let from = micros(v.received);
        let known = until.is_none_or(|u| from < u);
        if let (true, false, Some(task), Some(at)) = (known, v.deleted, ordinal(&v.task_id), epoch_secs(v.check_time)) {
            let late = entered_late(v.check_time, first);
            out.push((HistRow::new(task, at, v.status, late, from), until));
        }
        until = Some(until.map_or(from, |u| u.min(from)));
    }
    out
}

impl EnterpriseHistory {
    /// Sets the task ids to every task version's id and every id in `named`, keeping the rows' ordinals right.
    fn extend_task_ids<'a>(&mut self, named: impl Iterator<Item = &'a str>) {
        let mut added: BTreeSet<String> = BTreeSet::new();
        for id in self.tasks.iter().map(|t| t.id.as_str()) {
            if self.task_ordinal(id).is_none() && !added.contains(id) {
                added.insert(id.to_owned());
            }
        }
        for id in named {
            if self.task_ordinal(id).is_none() && !added.contains(id) {
                added.insert(id.to_owned());
            }
        }
        if added.is_empty() {
            return;
        }
        let mut ids: Vec<String> = self.task_ids.iter().cloned().chain(added).collect();
        ids.sort_unstable();
        let remap: Vec<u32> =
            self.task_ids.iter().map(|t| ids.binary_search(t).map(|i| i as u32).unwrap_or(u32::MAX)).collect();
        let moved = |r: &HistRow| HistRow { task: remap.get(r.task as usize).copied().unwrap_or(r.task), ..*r };
        // Old ids keep their order among the new ones, so the rows stay sorted.
        let checks = CheckHistory {
            rows: self.checks.rows.iter().map(moved).collect(),
            superseded: self.checks.superseded.iter().map(|(r, u)| (moved(r), *u)).collect(),
        };
        self.checks = Arc::new(checks);
        self.task_ids = ids;
    }

    /// Builds the check rows from every stored version of the enterprise's check records (the task versions must be
    /// set first).
    pub fn build_checks(&mut self, versions: &[CheckVersion]) {
        self.task_ids.clear();
        self.extend_task_ids(versions.iter().map(|v| v.task_id.as_str()));
        let mut by_record: BTreeMap<&str, Vec<&CheckVersion>> = BTreeMap::new();
        for v in versions {
            by_record.entry(v.id.as_str()).or_default().push(v);
        }
        let ordinal = |id: &str| self.task_ordinal(id);
        let rows: Vec<Row> = by_record.into_values().flat_map(|mut vs| record_rows(&mut vs, &ordinal)).collect();
        let (rows, superseded) = split(rows);
        self.checks = Arc::new(CheckHistory { rows, superseded });
        self.resident_from = 0;
        let times: BTreeSet<NaiveDateTime> = versions.iter().map(|v| v.received).collect();
        self.check_received = times.into_iter().collect::<Vec<_>>().into();
        self.check_seq = versions.iter().map(|v| v.seq).max().unwrap_or(0);
    }

    /// Folds in `new` versions (seq above [`EnterpriseHistory::check_seq`]), given `old`: every earlier version of
    /// the records they belong to. The task versions must be current first. Rows with a `checkTime` before the
    /// resident months are not kept here: they are returned, for their stored months (`crate::months`).
    #[must_use = "rows of older months must be written to their stored months"]
    pub fn fold_checks(&mut self, old: &[CheckVersion], new: &[CheckVersion]) -> OldRows {
        if new.is_empty() {
            self.extend_task_ids(std::iter::empty());
            return OldRows::default();
        }
        self.extend_task_ids(new.iter().map(|v| v.task_id.as_str()));
        let mut by_record: BTreeMap<&str, (Vec<&CheckVersion>, Vec<&CheckVersion>)> = BTreeMap::new();
        for v in old {
            by_record.entry(v.id.as_str()).or_default().0.push(v);
        }
        for v in new {
            by_record.entry(v.id.as_str()).or_default().1.push(v);
        }
        let ordinal = |id: &str| self.task_ordinal(id);
        let (mut gone, mut came) = (Vec::new(), Vec::new());
        for (_, (mut before, added)) in by_record {
            if before.is_empty() {
                came.extend(record_rows(&mut added.clone(), &ordinal));
                continue;
            }
            gone.extend(record_rows(&mut before.clone(), &ordinal));
            before.extend(added);
            came.extend(record_rows(&mut before, &ordinal));
        }
        let cut = self.resident_from;
        let (old_gone, gone): (Vec<Row>, Vec<Row>) = gone.into_iter().partition(|(r, _)| r.at < cut);
        let (old_came, came): (Vec<Row>, Vec<Row>) = came.into_iter().partition(|(r, _)| r.at < cut);
        let (gone_now, gone_then) = split(gone);
        let (came_now, came_then) = split(came);
        let checks = CheckHistory {
            rows: patch(&self.checks.rows, &gone_now, &came_now),
            superseded: patch(&self.checks.superseded, &gone_then, &came_then),
        };
        self.checks = Arc::new(checks);
        let mut times: BTreeSet<NaiveDateTime> = self.check_received.iter().copied().collect();
        times.extend(new.iter().map(|v| v.received));
        self.check_received = times.into_iter().collect::<Vec<_>>().into();
        self.check_seq = self.check_seq.max(new.iter().map(|v| v.seq).max().unwrap_or(0));
        OldRows { gone: old_gone, came: old_came }
    }
}

#[cfg(test)]
#[path = "check_fold_tests.rs"]
mod tests;
