//! Warning handling (issue 21, `docs/warnings.md`): cases, their timeline, escalations, notifications and the files
//! attached to actions. A case is opened by the change detector in the transaction that emits `warning.opened`
//! ([`cases::open`]), and every action, escalation and notification is written with its event in one transaction.

pub mod actions;
pub mod attachments;
pub mod cases;
pub mod digest;
pub mod escalate;
pub mod figures;
pub mod notify;

use chrono::TimeDelta;

/// The time limits of handling (settings `[handling]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// A case must be signed within this time (24 h)…
    pub sign_within: TimeDelta,
    /// …and a red one within this (2 h).
    pub sign_within_red: TimeDelta,
    /// A case must be closed within this time (7 days), unless supervision set a deadline.
    pub close_within: TimeDelta,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            sign_within: TimeDelta::hours(24),
            sign_within_red: TimeDelta::hours(2),
            close_within: TimeDelta::days(7),
        }
    }
}

/// The actor of what the platform does itself (opening, clearing, escalating).
pub const SYSTEM: &str = "system";
