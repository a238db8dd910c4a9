//! A start of the cache: every enterprise's history read back from its checkpoint, with what it stored since folded
//! in, or built from its versions when it has no usable checkpoint.

use super::{CHECKPOINT_AFTER, Mark, Refresh, State, corrupt, resident};
use crate::published::Published;
use chrono::NaiveDateTime;
use domain::history::EnterpriseHistory;
use std::collections::HashMap;
use std::sync::Arc;
use storage::checkpoints::Stored;
use storage::history::Histories;
use storage::stored::Checks;
use storage::{DbConnection, StorageError};

/// Loads every enterprise's history: from its checkpoint and what it stored since, or from its versions. `seq` is the
/// change feed's seq read before anything else; the rows before `cut` (the resident months' start) are left in, or
/// moved to, their stored months.
pub(super) fn start(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    seq: i64,
    cut: u32,
    previous: Option<&State>,
) -> Result<(State, Refresh), StorageError> {
    let mut refresh = Refresh::default();
    let mut histories = Histories::new();
    let t = std::time::Instant::now();
    storage::history::load_small(conn, None, &mut histories)?;
    let small = t.elapsed();
    let pruned = storage::events::pruned_through(conn)?;
    let codes: Vec<String> = storage::history::companies(conn)?;
    let read = std::time::Instant::now();
    let mut checkpoints = read_all(conn, &codes)?;
    let reading = read.elapsed();
    let mut folding = std::time::Duration::ZERO;
    let mut marks = HashMap::new();
    let mut out = HashMap::new();
    let mut snapshots = HashMap::new();
    let mut unmarked = Vec::new();
    for code in codes {
        let mut h = match histories.remove(&code) {
            Some(h) => h,
            None => EnterpriseHistory::empty(domain::CompanyCode::parse(&code).map_err(|e| corrupt(&e))?),
        };
        let stored = checkpoints.remove(&code);
        let mark = match stored {
            Some(Stored { part: Ok(part), written_at, events_seq, .. }) => {
                (h.check_seq, h.resident_from, h.task_ids, h.check_received, h.checks) =
                    (part.check_seq, part.resident_from, part.task_ids, part.check_received, part.checks);
                let fold = std::time::Instant::now();
                // Versions folded, and whether the checkpoint was written with stored months they reached.
                let (folded, written) = match since_checkpoint(conn, &code, events_seq, pruned)? {
                    Since::Nothing => {
                        // No version to fold: no row of any month changes.
                        let _ = h.fold_checks(&[], &[]);
                        refresh.current += 1;
                        (0, false)
                    }
                    Since::From(stored) => {
                        let storage::history::Folded { versions: folded, older } =
                            storage::history::fold_new(conn, &mut h, stored)?;
                        if !older.is_empty() {
                            storage::months::write_fold(conn, &h, &older, seq, now)?;
                            refresh.checkpoints += 1;
                        }
                        if stored.is_none() && folded == 0 {
                            // Current, but the change feed could not tell: marked, so that the next start asks it.
                            unmarked.push((code.clone(), h.check_seq));
                        }
                        (folded, !older.is_empty())
                    }
                };
                folding += fold.elapsed();
                refresh.folded += folded;
                let rolled = resident::roll(conn, &mut h, cut, seq, now)?;
                refresh.checkpoints += usize::from(rolled);
                if rolled || written {
                    Mark { written: now, folded_since: 0 }
                } else if folded >= CHECKPOINT_AFTER {
                    storage::checkpoints::write(conn, &h, seq, now)?;
                    refresh.checkpoints += 1;
                    Mark { written: now, folded_since: 0 }
                } else {
                    Mark { written: written_at, folded_since: folded }
                }
            }
            other => {
                if let Some(Stored { part: Err(e), .. }) = other {
                    tracing::warn!(company = %code, error = %e, "checkpoint not used; rebuilding from the versions");
                }
                let versions = storage::history::all_checks(conn, &code)?;
                h.build_checks(&versions);
                // An enterprise without any version moves nothing: its resident months are only set.
                let rolled = resident::roll(conn, &mut h, cut, seq, now)?;
                if !h.is_empty() {
                    refresh.rebuilt += 1;
                    if !rolled {
                        storage::checkpoints::write(conn, &h, seq, now)?;
                    }
                    refresh.checkpoints += 1;
                }
                Mark { written: now, folded_since: 0 }
            }
        };
        if let Some(s) = h.snapshot_at(now) {
            snapshots.insert(code.clone(), Arc::new(s));
        }
        marks.insert(code.clone(), mark);
        refresh.reloaded += usize::from(!h.is_empty());
        out.insert(code, Arc::new(h));
    }
    let marked = storage::checkpoints::mark(conn, &unmarked, seq)?;
    // Where a start's time goes (small tables, checkpoints, folds), for `DUALPREV_LOG=report=debug`.
    tracing::debug!(
        ?small, ?reading, ?folding, current = refresh.current, marked, total = ?t.elapsed(), "histories started"
    );
    let generation = previous.map_or(1, |s| s.generation + 1);
    refresh.generation = generation;
    let published = Published::load(conn)?;
    let state = State { histories: out, snapshots: Arc::new(snapshots), marks, seq, published, generation };
    Ok((state, refresh))
}

/// What an enterprise stored after its checkpoint, as the change feed tells.
enum Since {
    /// No batch: the checkpoint is current.
    Nothing,
    /// Batches, or unknown (`None`): fold what they stored (`storage::stored`).
    From(Option<Checks>),
}

/// Asks the change feed whether an enterprise stored a batch after its checkpoint's mark. Without a mark (a checkpoint
/// written before migration 000021), or when the prune removed events after it, the answer is unknown and every
/// version after the checkpoint's seq is read.
fn since_checkpoint(
    conn: &mut DbConnection,
    code: &str,
    events_seq: Option<i64>,
    pruned: i64,
) -> Result<Since, StorageError> {
    let Some(mark) = events_seq.filter(|&m| m >= pruned) else {
        return Ok(Since::From(None));
    };
    Ok(match storage::stored::stored_since(conn, code, mark)? {
        None => Since::Nothing,
        Some(checks) => Since::From(Some(checks)),
    })
}

/// Every enterprise's checkpoint, each fetched on this connection while another thread decodes the one before (a
/// province's are about 300 MB: at most two are in flight beside those decoded).
fn read_all(conn: &mut DbConnection, codes: &[String]) -> Result<HashMap<String, Stored>, StorageError> {
    let (tx, rx) = std::sync::mpsc::sync_channel::<storage::checkpoints::Fetched>(1);
    std::thread::scope(|s| {
        let decoder = s.spawn(move || {
            rx.into_iter().map(|f| f.decode()).map(|d| (d.company.clone(), d)).collect::<HashMap<_, _>>()
        });
        let mut fetched = Ok(());
        for code in codes {
            match storage::checkpoints::fetch(conn, code) {
                Ok(Some(f)) => {
                    if tx.send(f).is_err() {
                        break;
                    }
                }
                Ok(None) => {}
                Err(e) => {
                    fetched = Err(e);
                    break;
                }
            }
        }
        drop(tx);
        let decoded = decoder.join().map_err(|_| corrupt(&"the checkpoint decoder stopped"))?;
        fetched.map(|()| decoded)
    })
}
