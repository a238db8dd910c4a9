//! Computed answers kept while nothing they depend on has changed, so that repeated figure requests answer in
//! microseconds: an entry is reused while the snapshot generation is the same and either its period had already
//! ended when it was computed, or it is younger than [`MAX_AGE`] (a running period changes as instances end).

use chrono::{NaiveDateTime, TimeDelta};
use parking_lot::Mutex;
use std::collections::HashMap;

/// How long an answer about a running period is reused.
pub const MAX_AGE: TimeDelta = TimeDelta::seconds(30);

/// Entries kept at most; the oldest half is dropped when full.
const CAPACITY: usize = 512;

#[derive(Debug, Clone)]
struct Entry {
    generation: u64,
    computed_at: NaiveDateTime,
    period_end: NaiveDateTime,
    body: bytes::Bytes,
}

/// The cache of computed answers, by request key (route, parameters and the caller's scope).
#[derive(Debug, Default)]
pub struct ResultCache {
    entries: Mutex<HashMap<String, Entry>>,
}

impl ResultCache {
    /// A stored answer still valid at `now` for this generation.
    pub fn get(&self, key: &str, generation: u64, now: NaiveDateTime) -> Option<bytes::Bytes> {
        let entries = self.entries.lock();
        let e = entries.get(key)?;
        let fresh = e.generation == generation && (e.period_end <= e.computed_at || now - e.computed_at < MAX_AGE);
        fresh.then(|| e.body.clone())
    }

    /// Stores an answer.
    pub fn put(
        &self,
        key: String,
        generation: u64,
        computed_at: NaiveDateTime,
        period_end: NaiveDateTime,
        body: bytes::Bytes,
    ) {
        let mut entries = self.entries.lock();
        if entries.len() >= CAPACITY {
            let mut by_age: Vec<(String, NaiveDateTime)> =
                entries.iter().map(|(k, e)| (k.clone(), e.computed_at)).collect();
            by_age.sort_by_key(|(_, t)| *t);
            for (k, _) in by_age.into_iter().take(CAPACITY / 2) {
                entries.remove(&k);
            }
        }
        entries.insert(key, Entry { generation, computed_at, period_end, body });
    }
}
