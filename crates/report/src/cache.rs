//! Figures without rescans: the snapshots of every enterprise are kept in memory and refreshed incrementally. A
//! refresh reads the change feed's `batch.stored` events after the last seq it reflected (one range of the feed's
//! primary key) and reloads only those enterprises; requests then compute from memory. Every stored batch appends its
//! event inside its own transaction, and seqs commit in order (`storage::events`), so no batch is missed however its
//! receipt and its commit interleave with others'. When the retention prune has removed events the cache had not
//! read (a cache idle longer than retention), it reloads everything. Tests prove the figures equal a full recompute
//! and that a batch committed after a later-received one is not missed.

use crate::figures::Known;
use crate::published::Published;
use chrono::NaiveDateTime;
use domain::City;
use domain::calendar::WorkCalendar;
use domain::snapshot::EnterpriseSnapshot;
use parking_lot::Mutex;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use storage::registry::{self, Filter};
use storage::snapshot::{self, Scope};
use storage::{DbConnection, StorageError};

/// What the cache holds.
#[derive(Debug, Clone)]
struct State {
    snapshots: Arc<HashMap<String, Arc<EnterpriseSnapshot>>>,
    /// The change feed's seq up to which every stored batch is reflected.
    seq: i64,
    /// The stored evaluations, reread when a revision is added.
    published: Published,
    /// Raised whenever a snapshot changes or a revision is stored.
    generation: u64,
}

/// The in-memory snapshots of every enterprise.
#[derive(Debug)]
pub struct SnapshotCache {
    state: Mutex<Option<State>>,
    calendar: Arc<WorkCalendar>,
}

/// What a refresh did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refresh {
    /// Enterprises reloaded (all of them on the first refresh).
    pub reloaded: usize,
    /// The generation after the refresh.
    pub generation: u64,
}

impl SnapshotCache {
    /// An empty cache; the first refresh loads everything.
    pub fn new(calendar: WorkCalendar) -> SnapshotCache {
        SnapshotCache { state: Mutex::new(None), calendar: Arc::new(calendar) }
    }

    /// Brings the cache up to date with the database at `now` and returns what is known, for one city or all.
    /// Only enterprises with batches received since the last refresh are reloaded.
    pub fn known(
        &self,
        conn: &mut DbConnection,
        city: Option<City>,
        now: NaiveDateTime,
    ) -> Result<(Known, Refresh), StorageError> {
        let refresh = self.refresh(conn, now)?;
        let registry = registry::list(conn, Filter { city, batch: None })?.into_iter().map(|r| r.enterprise).collect();
        let (snapshots, published) =
            self.state.lock().as_ref().map(|s| (s.snapshots.clone(), s.published.clone())).unwrap_or_default();
        Ok((Known::from_parts(now, registry, snapshots, self.calendar.clone(), published), refresh))
    }

    /// Reloads what changed since the last refresh: the snapshots of enterprises with batches stored after the last
    /// seq reflected, and the stored evaluations when a revision was added (one `COUNT` of a table of a row per stored
    /// week revision).
    pub fn refresh(&self, conn: &mut DbConnection, now: NaiveDateTime) -> Result<Refresh, StorageError> {
        let mut guard = self.state.lock();
        let revisions = storage::evaluations::revision_count(conn)?;
        let missed = match guard.as_ref() {
            Some(state) => storage::events::pruned_through(conn)? > state.seq,
            None => true,
        };
        if missed {
            // The seq is read first: a batch that commits meanwhile is reloaded again next time, never lost.
            let seq = storage::events::last_seq(conn)?;
            let all = snapshot::load(conn, &Scope::default(), now)?;
            let reloaded = all.len();
            let snapshots = all.into_iter().map(|s| (s.company.to_string(), Arc::new(s))).collect();
            let published = Published::load(conn)?;
            let generation = guard.as_ref().map_or(1, |s| s.generation + 1);
            *guard = Some(State { snapshots: Arc::new(snapshots), seq, published, generation });
            return Ok(Refresh { reloaded, generation });
        }
        let Some(state) = guard.as_mut() else {
            return Err(StorageError::Corrupt("the snapshot cache has no state after loading".into()));
        };
        let (seq, companies) = storage::events::stored_after(conn, state.seq)?;
        let changed: BTreeSet<String> = companies.into_iter().collect();
        state.seq = seq;
        if revisions != state.published.count() {
            state.published = Published::load(conn)?;
            state.generation += 1;
        }
        if changed.is_empty() {
            return Ok(Refresh { reloaded: 0, generation: state.generation });
        }
        let changed: Vec<String> = changed.into_iter().collect();
        let fresh = snapshot::load(conn, &Scope { companies: Some(changed.clone()) }, now)?;
        let mut map = (*state.snapshots).clone();
        for code in &changed {
            map.remove(code);
        }
        for s in fresh {
            map.insert(s.company.to_string(), Arc::new(s));
        }
        state.snapshots = Arc::new(map);
        state.generation += 1;
        Ok(Refresh { reloaded: changed.len(), generation: state.generation })
    }
}
