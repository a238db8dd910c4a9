//! Simulator tests: the generated world (determinism, validity, realism) and the pull endpoint over real HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests unwrap to fail loudly")]

mod config;
mod faults;
mod http;
mod world;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use domain::time::local_midnight_utc;
use sim::{SimConfig, Size};

/// The first day of history of the test worlds.
pub fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}

/// Local `start + days` at `hour`:00, as UTC.
pub fn day(days: i64, hour: i64) -> NaiveDateTime {
    local_midnight_utc(start() + TimeDelta::days(days)) + TimeDelta::hours(hour)
}

/// A small world of the first `n` annex enterprises over 30 days, without faults, answering in clear.
pub fn small(n: usize, seed: u64) -> SimConfig {
    SimConfig { encrypted: Vec::new(), ..SimConfig::for_registry(n, seed, start(), day(30, 10), Size::Small, 0.0) }
}
