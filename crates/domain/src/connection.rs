//! Connection status of an enterprise (`metrics.md` §4): connected when data was accepted in the last 7 days in
//! every table that has data, partial when in some, none otherwise.

use chrono::{NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};

/// How recent data must be to count as connected.
pub const WINDOW: TimeDelta = TimeDelta::days(7);

/// Connection status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Connection {
    /// Every table that has data received some in the last 7 days.
    Connected,
    /// Some tables did, others did not.
    Partial,
    /// No table did (or there is no data at all).
    None,
}

impl Connection {
    /// The status from the last time each table that has data received some, at moment `at` (all UTC).
    pub fn from_last_data(last_per_table: &[NaiveDateTime], at: NaiveDateTime) -> Connection {
        let fresh = last_per_table.iter().filter(|t| at - **t <= WINDOW && **t <= at).count();
        match fresh {
            0 => Connection::None,
            n if n == last_per_table.len() => Connection::Connected,
            _ => Connection::Partial,
        }
    }

    /// The stable key: `connected`, `partial` or `none`.
    pub fn key(self) -> &'static str {
        match self {
            Connection::Connected => "connected",
            Connection::Partial => "partial",
            Connection::None => "none",
        }
    }

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Connection::Connected => "已接入",
            Connection::Partial => "部分接入",
            Connection::None => "未接入",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn seven_days_in_every_table() {
        let at = t("2026-11-29 00:00:00");
        assert_eq!(Connection::from_last_data(&[], at), Connection::None);
        let fresh = t("2026-11-22 00:00:00");
        let stale = t("2026-11-21 23:59:59");
        assert_eq!(Connection::from_last_data(&[fresh, at], at), Connection::Connected);
        assert_eq!(Connection::from_last_data(&[fresh, stale], at), Connection::Partial);
        assert_eq!(Connection::from_last_data(&[stale], at), Connection::None);
    }
}
