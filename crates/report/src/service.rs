//! The figures service: what routes, jobs, the change detector and the CLI ask for figures. It owns the in-memory
//! snapshots (refreshed from the change feed), the cache of computed answers and the warning thresholds; callers
//! parse, authorize and shape, and never load what a figure is computed from themselves.

use crate::cache::SnapshotCache;
use crate::figures::Known;
use crate::foreground::Foreground;
use crate::results::ResultCache;
use crate::warnings::{Inputs, Thresholds, Warning};
use bytes::Bytes;
use chrono::NaiveDateTime;
use domain::City;
use domain::calendar::WorkCalendar;
use std::sync::Arc;
use storage::{DbConnection, StorageError};

/// What is known for a scope, with the snapshot generation when it came from the cache (answers computed from it
/// can then be reused while the generation holds).
#[derive(Debug)]
pub struct Knowledge {
    /// What is known.
    pub known: Known,
    /// The cache generation the knowledge was read at: answers computed from it are reused while it holds.
    pub generation: Option<u64>,
    /// Whether the moment was asked for (`asOf`): then the answer is kept under that moment too, so the same past
    /// moment asked twice is computed once.
    pub explicit: bool,
}

/// Where a computed answer is kept ([`Figures::slot`]).
#[derive(Debug, Clone)]
pub struct Slot {
    key: String,
    generation: u64,
    at: NaiveDateTime,
}

/// The figures service (one per process, shared by every handler and job).
#[derive(Debug)]
pub struct Figures {
    cache: SnapshotCache,
    results: ResultCache,
    calendar: Arc<WorkCalendar>,
    thresholds: Thresholds,
    foreground: Foreground,
}

impl Figures {
    /// A service over a working-day calendar, with the default warning thresholds.
    pub fn new(calendar: Arc<WorkCalendar>) -> Figures {
        Figures::with_thresholds(calendar, Thresholds::default())
    }

    /// A service with the operator's warning thresholds.
    pub fn with_thresholds(calendar: Arc<WorkCalendar>, thresholds: Thresholds) -> Figures {
        Figures {
            cache: SnapshotCache::new((*calendar).clone()),
            results: ResultCache::default(),
            calendar,
            thresholds,
            foreground: Foreground::default(),
        }
    }

    /// The working-day calendar figures are computed with.
    pub fn calendar(&self) -> &Arc<WorkCalendar> {
        &self.calendar
    }

    /// The warning thresholds.
    pub fn thresholds(&self) -> Thresholds {
        self.thresholds
    }

    /// What is known for a scope (every city when `None`): at `now`, or at an explicit earlier `as_of`, both read
    /// from the in-memory histories brought up to date at `now` (`report::cache`), for figures of windows starting
    /// at or after `since` ([`crate::figures::since`]).
    pub fn known(
        &self,
        conn: &mut DbConnection,
        city: Option<City>,
        as_of: Option<NaiveDateTime>,
        now: NaiveDateTime,
        since: NaiveDateTime,
    ) -> Result<Knowledge, StorageError> {
        match as_of {
            None => {
                let (known, refresh) = self.cache.known(conn, city, now, since)?;
                Ok(Knowledge { known, generation: Some(refresh.generation), explicit: false })
            }
            Some(t) => {
                let (known, refresh) = self.cache.known_at(conn, city, t, now, since)?;
                Ok(Knowledge { known, generation: Some(refresh.generation), explicit: true })
            }
        }
    }

    /// The answers being computed for requests ([`Foreground`]): requests enter it, background work waits for it to
    /// be quiet.
    pub fn foreground(&self) -> &Foreground {
        &self.foreground
    }

    /// Waits until no refresh of the histories is running; call it before taking a pooled connection for
    /// [`Figures::known`] (see `SnapshotCache::wait_idle`).
    pub fn wait_idle(&self) {
        self.cache.wait_idle();
    }

    /// Where an answer computed from this knowledge is kept: under the request, and for an explicit `asOf` under that
    /// moment too (what was known then does not change while no batch arrives: any batch is a new generation).
    /// The registry is part of every answer (names, cities, batches), so its fingerprint is part of the key.
    pub fn slot(&self, key: &str, k: &Knowledge) -> Option<Slot> {
        let key = match k.explicit {
            true => format!("{}|asOf={}", answer_key(key, &k.known), k.known.as_of),
            false => answer_key(key, &k.known),
        };
        Some(Slot { key, generation: k.generation?, at: k.known.as_of })
    }

    /// The answer kept in a slot, while still valid.
    pub fn cached(&self, slot: &Slot) -> Option<Bytes> {
        self.results.get(&slot.key, slot.generation, slot.at)
    }

    /// Keeps an answer about a period ending at `period_end` (a running period's answer is kept briefly).
    pub fn keep(&self, slot: Slot, period_end: NaiveDateTime, body: Bytes) {
        self.results.put(slot.key, slot.generation, slot.at, period_end, body);
    }

    /// The open warnings under some knowledge and the inputs loaded at its moment ([`Inputs::load`]).
    pub fn open_warnings(&self, known: &Known, inputs: &Inputs) -> Vec<Warning> {
        crate::warnings::open(known, inputs, self.thresholds)
    }

    /// Brings the snapshots up to date now (tests and benchmarks observe what a refresh reloaded).
    pub fn refresh(&self, conn: &mut DbConnection, now: NaiveDateTime) -> Result<crate::cache::Refresh, StorageError> {
        self.cache.refresh(conn, now)
    }
}

impl crate::figures::Source for Figures {
    fn known_at(
        &self,
        conn: &mut DbConnection,
        city: Option<City>,
        at: NaiveDateTime,
        now: NaiveDateTime,
        since: NaiveDateTime,
    ) -> Result<Known, StorageError> {
        Ok(self.cache.known_at(conn, city, at, now, since)?.0)
    }
}

/// A request key with the fingerprint of the registry rows the answer is built from.
fn answer_key(key: &str, known: &Known) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for e in &known.registry {
        (e.code.as_str(), &e.name, e.city.code(), e.batch.key(), &e.flags, e.annex_no).hash(&mut h);
    }
    format!("{key}|{:016x}", h.finish())
}
