//! Figures without rescans: the snapshots of every enterprise are kept in memory and refreshed incrementally. A
//! refresh asks the database for the batches received since shortly before the last refresh (one indexed query) and
//! reloads only the enterprises of batches it has not seen; requests then compute from memory. The look-back
//! ([`OVERLAP`]) covers batches whose transaction committed after a later batch's (a batch's time is taken when it
//! is received, not when it commits). A test proves the figures equal a full recompute.

use crate::figures::Known;
use crate::published::Published;
use chrono::{NaiveDateTime, TimeDelta};
use domain::City;
use domain::calendar::WorkCalendar;
use domain::snapshot::EnterpriseSnapshot;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex};
use storage::registry::{self, Filter};
use storage::snapshot::{self, Scope};
use storage::{DbConnection, StorageError};

/// How far before the last refresh a refresh looks for batches it has not seen.
pub const OVERLAP: TimeDelta = TimeDelta::seconds(120);

/// What the cache holds.
#[derive(Debug, Clone)]
struct State {
    snapshots: Arc<HashMap<String, Arc<EnterpriseSnapshot>>>,
    /// When the last refresh started (UTC).
    refreshed: NaiveDateTime,
    /// The batches received within the look-back of the last refresh, already reflected.
    seen: HashSet<String>,
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
        let (snapshots, published) = self
            .state
            .lock()
            .map_err(|_| poisoned())?
            .as_ref()
            .map(|s| (s.snapshots.clone(), s.published.clone()))
            .unwrap_or_default();
        Ok((Known::from_parts(now, registry, snapshots, self.calendar.clone(), published), refresh))
    }

    /// Reloads what changed since the last refresh: the snapshots of enterprises with new batches, and the stored
    /// evaluations when a revision was added (one `COUNT` of a table of a row per stored week revision).
    pub fn refresh(&self, conn: &mut DbConnection, now: NaiveDateTime) -> Result<Refresh, StorageError> {
        let mut guard = self.state.lock().map_err(|_| poisoned())?;
        let revisions = storage::evaluations::revision_count(conn)?;
        let Some(state) = guard.as_mut() else {
            // The batches of the look-back are read first: one that commits meanwhile is read again next time.
            let recent = storage::batches::since(conn, now - OVERLAP)?;
            let all = snapshot::load(conn, &Scope::default(), now)?;
            let reloaded = all.len();
            let snapshots = all.into_iter().map(|s| (s.company.to_string(), Arc::new(s))).collect();
            let seen = recent.into_iter().map(|(id, _)| id).collect();
            let published = Published::load(conn)?;
            *guard = Some(State { snapshots: Arc::new(snapshots), refreshed: now, seen, published, generation: 1 });
            return Ok(Refresh { reloaded, generation: 1 });
        };
        let recent = storage::batches::since(conn, state.refreshed - OVERLAP)?;
        let changed: BTreeSet<String> =
            recent.iter().filter(|(id, _)| !state.seen.contains(id)).map(|(_, company)| company.clone()).collect();
        state.seen = recent.into_iter().map(|(id, _)| id).collect();
        state.refreshed = now;
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

fn poisoned() -> StorageError {
    StorageError::Corrupt("the snapshot cache lock is poisoned".into())
}
