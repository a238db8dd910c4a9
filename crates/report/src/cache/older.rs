//! Windows that reach before the resident months (`docs/scale-out.md`, "Several years online"). A figure of a window
//! starting at `since` reads, for each task, the checks from one step of its cycle before `since` on
//! (`domain::months::reach_from`). When that is before an enterprise's resident months, the stored months it reaches
//! are read back (`storage::months`) and only the rows that can count are kept beside the resident ones: about the
//! window's own rows, whatever the years stored. Months more than 31 days before the window are read for the rows of
//! long-cycle tasks only (`domain::month_parts`).

use chrono::NaiveDateTime;
use domain::checks::{CheckHistory, HistRow};
use domain::history::EnterpriseHistory;
use domain::month_parts::short_from;
use domain::months::{Month, add_months, merge, month_of, month_start, reach_from, reach_lower_bound};
use domain::snapshot::EnterpriseSnapshot;
use std::sync::Arc;
use storage::{DbConnection, StorageError};

/// What a question asks of the histories.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ask {
    /// The knowledge moment.
    pub at: NaiveDateTime,
    /// The earliest window start of the figures asked for.
    pub since: NaiveDateTime,
    /// Now (when a damaged stored month is written again).
    pub now: NaiveDateTime,
    /// The change feed's seq the histories reflect (a damaged stored month is written again with its checkpoint at
    /// it).
    pub seq: i64,
}

/// The snapshot of `h` for the question: `current` (the resident rows' snapshot at the same moment) when the resident
/// months suffice, otherwise one with the older rows its windows need.
pub(super) fn snapshot_for(
    conn: &mut DbConnection,
    h: &EnterpriseHistory,
    ask: Ask,
    current: Option<Arc<EnterpriseSnapshot>>,
) -> Result<Option<Arc<EnterpriseSnapshot>>, StorageError> {
    let Some(snapshot) = current.or_else(|| h.snapshot_at(ask.at).map(Arc::new)) else { return Ok(None) };
    let Some(older) = older_rows(conn, h, &snapshot, ask)? else { return Ok(Some(snapshot)) };
    Ok(h.snapshot_with(ask.at, Some(Arc::new(older))).map(Arc::new))
}

/// The rows of stored months that windows starting at `since` need, with the history's ordinals: `None` when they
/// need none (every task's reach is within the resident months).
fn older_rows(
    conn: &mut DbConnection,
    h: &EnterpriseHistory,
    snapshot: &EnterpriseSnapshot,
    ask: Ask,
) -> Result<Option<CheckHistory>, StorageError> {
    let since = ask.since;
    let resident = i64::from(h.resident_from);
    if resident == 0 {
        return Ok(None);
    }
    // A bound first, without the calendar.
    if snapshot.tasks.iter().all(|t| reach_lower_bound(t, since) >= resident) {
        return Ok(None);
    }
    // The reach of each history ordinal that names a task of the snapshot (others are not counted by any figure).
    let mut reach = vec![i64::MAX; h.task_ids.len()];
    for task in &snapshot.tasks {
        if let Some(slot) = h.task_ordinal(&task.id).and_then(|g| reach.get_mut(g as usize)) {
            *slot = (*slot).min(reach_from(task, since));
        }
    }
    let Some(&need) = reach.iter().min().filter(|&&n| n < resident) else { return Ok(None) };
    let first = month_of(u32::try_from(need.max(0)).unwrap_or(0));
    // No row known at `at` has a `checkTime` later than its receipt and the ingest's leeway (`future_time`), so the
    // months after that hold nothing a snapshot at `at` shows.
    let known_until = (ask.at + domain::time::FUTURE_LEEWAY).and_utc().timestamp();
    let last = add_months(month_of(h.resident_from), -1).min(month_of(u32::try_from(known_until.max(0)).unwrap_or(0)));
    if last < first {
        return Ok(None);
    }
    // Before `short_from` a short task's rows cannot count, unless its cycle at `at` is longer than when its rows were
    // written: then a row of the month can be at or after its reach, and that month's short part is read too.
    let short_from = short_from(since);
    let needs_short = |month: Month, ids: &[String]| {
        let next = i64::from(month_start(add_months(month, 1)));
        ids.iter().any(|id| h.task_ordinal(id).and_then(|g| reach.get(g as usize)).is_some_and(|&from| from < next))
    };
    let months: Vec<CheckHistory> = match storage::months::read_reaching(
        conn,
        h,
        (first, last),
        short_from,
        needs_short,
    ) {
        Ok(parts) => parts,
        Err(StorageError::Corrupt(e)) => {
            tracing::warn!(company = %h.company, error = %e, "a stored month is damaged; its months are rebuilt from the versions");
            rebuild(conn, h, ask)?.into_iter().filter(|(m, _)| (first..=last).contains(m)).map(|(_, m)| m).collect()
        }
        Err(e) => return Err(e),
    };
    if months.is_empty() {
        return Ok(None);
    }
    let keep = |r: &HistRow| reach.get(r.task as usize).is_some_and(|&from| i64::from(r.at) >= from);
    Ok(Some(merge(&months, keep)))
}

/// Builds the months before `h`'s resident ones from the versions it reflects (seq up to its check seq), with its
/// task ordinals, and writes them, replacing every stored month of the enterprise, with its checkpoint.
fn rebuild(
    conn: &mut DbConnection,
    h: &EnterpriseHistory,
    ask: Ask,
) -> Result<std::collections::BTreeMap<domain::months::Month, CheckHistory>, StorageError> {
    let versions: Vec<_> =
        storage::history::all_checks(conn, h.company.as_str())?.into_iter().filter(|v| v.seq <= h.check_seq).collect();
    let mut whole = EnterpriseHistory { checks: Arc::default(), ..h.clone() };
    whole.build_checks(&versions);
    let months: std::collections::BTreeMap<_, _> = whole
        .split_before(h.resident_from)
        .into_iter()
        .map(|(m, rows)| (m, h.from_month_part(&whole.month_part(&rows))))
        .collect();
    storage::months::write_split(conn, h, &months, true, ask.seq, ask.now)?;
    Ok(months)
}
