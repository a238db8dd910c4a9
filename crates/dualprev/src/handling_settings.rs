//! `[handling]` settings: the time limits of warning handling (`docs/warnings.md`). A case must be signed within
//! `sign_within_hours` (red: `sign_within_red_hours`) and closed within `close_within_days` unless the province's
//! supervision set a deadline; a case past a limit is escalated by the escalation job.

use anyhow::{Result, bail};
use chrono::TimeDelta;
use serde::Deserialize;

/// `[handling]` settings; minutes for short limits in tests and drills.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HandlingSettings {
    /// Hours to sign a case (24).
    pub sign_within_hours: f64,
    /// Hours to sign a red case (2).
    pub sign_within_red_hours: f64,
    /// Days to close a case (7).
    pub close_within_days: f64,
}

impl Default for HandlingSettings {
    fn default() -> Self {
        HandlingSettings { sign_within_hours: 24.0, sign_within_red_hours: 2.0, close_within_days: 7.0 }
    }
}

impl HandlingSettings {
    /// The limits, checked: each positive and at most a year.
    pub fn limits(&self) -> Result<storage::handling::Limits> {
        let span = |name: &str, seconds: f64| -> Result<TimeDelta> {
            if !(seconds.is_finite() && (60.0..=366.0 * 86_400.0).contains(&seconds)) {
                bail!("[handling] {name}: 须在 1 分钟至 366 天之间 / must be between one minute and 366 days");
            }
            // Whole seconds: the cast is exact in range.
            #[allow(clippy::cast_possible_truncation)]
            Ok(TimeDelta::seconds(seconds.round() as i64))
        };
        Ok(storage::handling::Limits {
            sign_within: span("sign_within_hours", self.sign_within_hours * 3600.0)?,
            sign_within_red: span("sign_within_red_hours", self.sign_within_red_hours * 3600.0)?,
            close_within: span("close_within_days", self.close_within_days * 86_400.0)?,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn defaults_and_short_limits() {
        assert_eq!(HandlingSettings::default().limits().unwrap(), storage::handling::Limits::default());
        let short = HandlingSettings { sign_within_hours: 0.05, sign_within_red_hours: 0.02, close_within_days: 0.01 };
        let l = short.limits().unwrap();
        assert_eq!((l.sign_within, l.sign_within_red), (TimeDelta::minutes(3), TimeDelta::seconds(72)));
        let zero = HandlingSettings { sign_within_hours: 0.0, ..HandlingSettings::default() };
        assert!(zero.limits().unwrap_err().to_string().contains("sign_within_hours"));
    }
}
