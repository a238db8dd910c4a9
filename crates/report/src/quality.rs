//! Data quality of a period per group (`metrics.md` §9): late check records and dangers (from the snapshots, in
//! [`metrics::aggregate::Aggregate::lateness`]), records held for a missing parent at T, and records rejected in
//! batches received in [t0, T), by error code. Published beside the three rates; never part of a score.

use crate::figures::{By, Line, group_key};
use chrono::NaiveDateTime;
use domain::Period;
use std::collections::BTreeMap;
use storage::intake::{self, Held};
use storage::{DbConnection, StorageError};

/// What the database knows of held and rejected records for a period, per enterprise.
#[derive(Debug, Clone, Default)]
pub struct Intake {
    /// Held at T, per enterprise.
    pub held: BTreeMap<String, Held>,
    /// Rejected in [t0, T), per enterprise and code.
    pub rejected: BTreeMap<String, BTreeMap<String, u64>>,
}

/// The held and rejected records of a group of enterprises.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IntakeSums {
    /// Records held at T.
    pub held: u64,
    /// When the oldest of them was received (UTC).
    pub oldest_held: Option<NaiveDateTime>,
    /// Records rejected, by error code.
    pub rejected: BTreeMap<String, u64>,
}

impl IntakeSums {
    /// Records rejected, all codes.
    pub fn rejected_total(&self) -> u64 {
        self.rejected.values().sum()
    }
}

impl Intake {
    /// Reads the held and rejected records of a period at knowledge moment `as_of` (T = min(t1, asOf)).
    pub fn load(conn: &mut DbConnection, period: Period, as_of: NaiveDateTime) -> Result<Intake, StorageError> {
        let (t0, t1) = period.bounds_utc();
        let t = t1.min(as_of);
        Ok(Intake { held: intake::held(conn, t)?, rejected: intake::rejected(conn, t0, t)? })
    }

    /// The sums per group key, as [`crate::figures::group`] keys its rows.
    pub fn by_group(&self, lines: &[Line], by: By) -> BTreeMap<String, IntakeSums> {
        let mut out: BTreeMap<String, IntakeSums> = BTreeMap::new();
        for l in lines {
            let code = l.enterprise.code.as_str();
            let sums = out.entry(group_key(l, by)).or_default();
            if let Some(h) = self.held.get(code) {
                sums.held += h.records;
                sums.oldest_held = Some(sums.oldest_held.map_or(h.oldest, |o| o.min(h.oldest)));
            }
            for (code, n) in self.rejected.get(code).into_iter().flatten() {
                *sums.rejected.entry(code.clone()).or_default() += n;
            }
        }
        out
    }
}
