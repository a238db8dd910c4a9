//! Figures without rescans: every enterprise's whole history (`domain::history`) is kept in memory, compact, and
//! brought up to date per batch; the snapshot at now, or at any earlier `asOf`, is read from it without touching the
//! stored versions.
//!
//! - **Start** (`start`). Each enterprise's check history is read back from its checkpoint (`storage::checkpoints`,
//!   fetched while another thread decodes the one before); the change feed tells whether it stored any batch after
//!   the checkpoint's mark, and only then are the check versions stored since folded in, read from the earliest such
//!   batch's receipt on, up to the last check version they wrote. The small tables are read whole. An enterprise
//!   without a usable checkpoint is built from its versions once, and its checkpoint written.
//! - **Refresh.** The change feed's `batch.stored` events after the last seq reflected name the enterprises to bring up
//!   to date (one range of the feed's primary key). Every stored batch appends its event inside its own transaction,
//!   and seqs commit in order (`storage::events`), so no batch is missed however its receipt and its commit
//!   interleave with others'. Per enterprise only the versions after its last folded seq are read (an index on
//!   `(company_code, seq)`, from the earliest new batch's receipt on, up to the last check version those batches
//!   wrote: `storage::stored`), with the earlier versions of the records they touch: the cost follows the batch. The
//!   small tables are read again only when a batch stored more than check records
//!   (`storage::stored::StoredBatch::checks_only`).
//! - **Checkpoints** are rewritten for an enterprise once [`CHECKPOINT_AFTER`] versions were folded since, or its
//!   checkpoint is a day old, so a restart folds at most that much.
//!
//! When the retention prune has removed events the cache had not read (a cache idle longer than retention), every
//! enterprise is brought up to date. Tests prove that the figures equal a full recompute from the versions, after a
//! restart, at random past moments and after folded batches.

use crate::figures::Known;
use crate::published::Published;
use chrono::{NaiveDateTime, TimeDelta};
use domain::City;
use domain::calendar::WorkCalendar;
use domain::history::EnterpriseHistory;
use domain::snapshot::EnterpriseSnapshot;
use parking_lot::Mutex;
use start::start;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use storage::history::Histories;
use storage::registry::{self, Filter};
use storage::stored::Checks;
use storage::{DbConnection, StorageError};

mod older;
mod resident;
mod start;

/// The months held in memory before the current one (`docs/scale-out.md`, "Several years online"): the previous
/// month's window with a yearly task reaches 13 months back.
pub const RESIDENT_MONTHS: i32 = 13;

/// Check versions folded into an enterprise's history after which its checkpoint is rewritten.
pub const CHECKPOINT_AFTER: usize = 10_000;
/// The age after which an enterprise's checkpoint is rewritten when it has anything new.
pub const CHECKPOINT_AGE: TimeDelta = TimeDelta::hours(24);

/// Where an enterprise's checkpoint stands.
#[derive(Debug, Clone, Copy)]
struct Mark {
    written: NaiveDateTime,
    folded_since: usize,
}

/// What the cache holds.
#[derive(Debug, Clone)]
struct State {
    histories: HashMap<String, Arc<EnterpriseHistory>>,
    /// The snapshots at the last refresh.
    snapshots: Arc<HashMap<String, Arc<EnterpriseSnapshot>>>,
    marks: HashMap<String, Mark>,
    /// The change feed's seq up to which every stored batch is reflected.
    seq: i64,
    /// The stored evaluations, reread when a revision is added.
    published: Published,
    /// Raised whenever a snapshot changes or a revision is stored.
    generation: u64,
}

/// The in-memory histories of every enterprise.
#[derive(Debug)]
pub struct SnapshotCache {
    state: Mutex<Option<State>>,
    calendar: Arc<WorkCalendar>,
    /// [`RESIDENT_MONTHS`], or fewer in tests.
    resident_months: i32,
}

/// What a refresh did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Refresh {
    /// Enterprises brought up to date (all of them on the first refresh).
    pub reloaded: usize,
    /// On a start, enterprises read from a checkpoint after which the change feed shows no stored batch of theirs:
    /// none of their versions was read.
    pub current: usize,
    /// Check record versions folded in.
    pub folded: usize,
    /// Enterprises built from their versions (no usable checkpoint).
    pub rebuilt: usize,
    /// Checkpoints written.
    pub checkpoints: usize,
    /// The generation after the refresh.
    pub generation: u64,
}

impl SnapshotCache {
    /// An empty cache; the first refresh loads everything.
    pub fn new(calendar: WorkCalendar) -> SnapshotCache {
        SnapshotCache::with_resident_months(calendar, RESIDENT_MONTHS)
    }

    /// A cache holding `months` months before the current one in memory, the earlier ones stored
    /// (`storage::months`); tests use a short span so that past windows read stored months.
    pub fn with_resident_months(calendar: WorkCalendar, months: i32) -> SnapshotCache {
        SnapshotCache { state: Mutex::new(None), calendar: Arc::new(calendar), resident_months: months.max(0) }
    }

    /// Where the resident months start at `now` (a local month's start, seconds since 1970).
    fn resident_from(&self, now: NaiveDateTime) -> u32 {
        domain::months::month_start(domain::months::add_months(
            domain::months::month_of_time(now),
            -self.resident_months,
        ))
    }

    /// Waits, without a database connection, until no refresh is running: callers wait here rather than on a pooled
    /// connection while the first start reads every history, so that the pool stays free for everything else.
    pub fn wait_idle(&self) {
        drop(self.state.lock());
    }

    /// Brings the cache up to date with the database at `now` and returns what is known now, for one city or all,
    /// for figures of windows starting at or after `since` (older months are read back when a window reaches them).
    pub fn known(
        &self,
        conn: &mut DbConnection,
        city: Option<City>,
        now: NaiveDateTime,
        since: NaiveDateTime,
    ) -> Result<(Known, Refresh), StorageError> {
        let refresh = self.refresh(conn, now)?;
        let registry: Vec<domain::Enterprise> =
            registry::list(conn, Filter { city, batch: None })?.into_iter().map(|r| r.enterprise).collect();
        let (histories, mut snapshots, published, seq) = self
            .state
            .lock()
            .as_ref()
            .map(|s| (s.histories.clone(), s.snapshots.clone(), s.published.clone(), s.seq))
            .unwrap_or_default();
        let mut widened = Vec::new();
        let ask = older::Ask { at: now, since, now, seq };
        for e in &registry {
            let (Some(h), Some(current)) = (histories.get(e.code.as_str()), snapshots.get(e.code.as_str())) else {
                continue;
            };
            if let Some(s) = older::snapshot_for(conn, h, ask, Some(current.clone()))?
                && !Arc::ptr_eq(&s, current)
            {
                widened.push((e.code.to_string(), s));
            }
        }
        if !widened.is_empty() {
            let mut all = (*snapshots).clone();
            all.extend(widened);
            snapshots = Arc::new(all);
        }
        Ok((Known::from_parts(now, registry, snapshots, self.calendar.clone(), published, since), refresh))
    }

    /// What was known at an earlier moment `at`, read from the histories after bringing them up to date at `now`,
    /// for figures of windows starting at or after `since`.
    pub fn known_at(
        &self,
        conn: &mut DbConnection,
        city: Option<City>,
        at: NaiveDateTime,
        now: NaiveDateTime,
        since: NaiveDateTime,
    ) -> Result<(Known, Refresh), StorageError> {
        let refresh = self.refresh(conn, now)?;
        let registry: Vec<domain::Enterprise> =
            registry::list(conn, Filter { city, batch: None })?.into_iter().map(|r| r.enterprise).collect();
        let (histories, published, seq) =
            self.state.lock().as_ref().map(|s| (s.histories.clone(), s.published.clone(), s.seq)).unwrap_or_default();
        let mut snapshots = HashMap::new();
        let ask = older::Ask { at, since, now, seq };
        for h in registry.iter().filter_map(|e| histories.get(e.code.as_str())) {
            if let Some(s) = older::snapshot_for(conn, h, ask, None)? {
                snapshots.insert(s.company.to_string(), s);
            }
        }
        let snapshots = Arc::new(snapshots);
        Ok((Known::from_parts(at, registry, snapshots, self.calendar.clone(), published, since), refresh))
    }

    /// Brings the histories up to date: those of enterprises with batches stored after the last seq reflected, and
    /// the stored evaluations when a revision was added (one `COUNT` of a table of a row per stored week revision).
    pub fn refresh(&self, conn: &mut DbConnection, now: NaiveDateTime) -> Result<Refresh, StorageError> {
        let mut guard = self.state.lock();
        let revisions = storage::evaluations::revision_count(conn)?;
        let missed = match guard.as_ref() {
            Some(state) => storage::events::pruned_through(conn)? > state.seq,
            None => true,
        };
        let Some(state) = guard.as_mut().filter(|_| !missed) else {
            // The seq is read first: a batch that commits meanwhile is folded in again next time, never lost.
            let seq = storage::events::last_seq(conn)?;
            let (state, refresh) = start(conn, now, seq, self.resident_from(now), guard.as_ref())?;
            *guard = Some(state);
            return Ok(refresh);
        };
        let (seq, stored) = storage::stored::stored_after(conn, state.seq)?;
        // Each enterprise with what its new batches stored (the check versions up to a seq, received since a moment:
        // `storage::stored`), and whether they stored check records only.
        let mut changed: BTreeMap<String, (Checks, bool)> = BTreeMap::new();
        for b in stored {
            let (checks, checks_only) = changed.entry(b.company).or_insert((Checks::Nothing, true));
            (*checks, *checks_only) = (checks.and(b.checks), *checks_only && b.checks_only);
        }
        if revisions != state.published.count() {
            state.published = Published::load(conn)?;
            state.generation += 1;
        }
        let mut refresh = Refresh { generation: state.generation, ..Refresh::default() };
        let cut = self.resident_from(now);
        if changed.is_empty() && state.histories.values().all(|h| h.resident_from >= cut) {
            state.seq = seq;
            return Ok(refresh);
        }
        let mut snapshots = (*state.snapshots).clone();
        for (code, &(checks, checks_only)) in &changed {
            let mut one = Histories::new();
            // A history held reflects every batch up to the last seq; one not held yet is read whole.
            let mut told = None;
            let held = state.histories.get(code);
            if let Some(h) = held {
                one.insert(code.clone(), (**h).clone());
                told = Some(checks);
            }
            let t = std::time::Instant::now();
            if held.is_none() || !checks_only {
                storage::history::load_small(conn, Some(std::slice::from_ref(code)), &mut one)?;
            }
            let small = t.elapsed();
            let mut h = match one.remove(code) {
                Some(h) => h,
                None => EnterpriseHistory::empty(domain::CompanyCode::parse(code).map_err(|e| corrupt(&e))?),
            };
            let storage::history::Folded { versions: folded, older } = storage::history::fold_new(conn, &mut h, told)?;
            let fold = t.elapsed() - small;
            refresh.folded += folded;
            let mark = state.marks.entry(code.clone()).or_insert(Mark { written: now, folded_since: 0 });
            mark.folded_since += folded;
            if !older.is_empty() {
                // Back-dated rows of stored months: those months and the checkpoint are written together.
                storage::months::write_fold(conn, &h, &older, seq, now)?;
                *mark = Mark { written: now, folded_since: 0 };
                refresh.checkpoints += 1;
            } else if mark.folded_since >= CHECKPOINT_AFTER || (folded > 0 && now - mark.written >= CHECKPOINT_AGE) {
                storage::checkpoints::write(conn, &h, seq, now)?;
                *mark = Mark { written: now, folded_since: 0 };
                refresh.checkpoints += 1;
            }
            if resident::roll(conn, &mut h, cut, seq, now)? {
                *mark = Mark { written: now, folded_since: 0 };
                refresh.checkpoints += 1;
            }
            match h.snapshot_at(now) {
                Some(s) => snapshots.insert(code.clone(), Arc::new(s)),
                None => snapshots.remove(code),
            };
            tracing::debug!(company = %code, folded, ?small, ?fold, total = ?t.elapsed(), "history brought up to date");
            state.histories.insert(code.clone(), Arc::new(h));
        }
        // A new month: the month leaving the resident ones is moved out of every other history too. Its checkpoint is
        // written with it (at the seq of its last fold, which the change feed after it still tells).
        let rolling: Vec<String> =
            state.histories.iter().filter(|(_, h)| h.resident_from < cut).map(|(c, _)| c.clone()).collect();
        for code in rolling {
            let Some(held) = state.histories.get(&code) else { continue };
            let mut h = (**held).clone();
            if resident::roll(conn, &mut h, cut, state.seq, now)? {
                state.marks.insert(code.clone(), Mark { written: now, folded_since: 0 });
                refresh.checkpoints += 1;
            }
            if let Some(s) = h.snapshot_at(now) {
                snapshots.insert(code.clone(), Arc::new(s));
            }
            state.histories.insert(code, Arc::new(h));
        }
        // Only now: an error above leaves the seq where it was, and the next refresh folds these enterprises again
        // (what was folded already is not folded twice: each history keeps the seq it reflects).
        state.seq = seq;
        state.snapshots = Arc::new(snapshots);
        state.generation += 1;
        refresh.reloaded = changed.len();
        refresh.generation = state.generation;
        Ok(refresh)
    }
}

fn corrupt(e: &dyn std::fmt::Display) -> StorageError {
    StorageError::Corrupt(e.to_string())
}
