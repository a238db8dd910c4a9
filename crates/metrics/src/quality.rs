//! Data quality (`metrics.md` §9, 防止“两张皮”): records entered long after the fact. A check record or danger whose
//! first version reached the platform more than 24 hours after its business time (`checkTime`, `registTime`) is
//! late. The shares are published beside the three rates and never change a score.

use crate::figure::Figure;
use chrono::NaiveDateTime;
use domain::snapshot::{EnterpriseSnapshot, entered_late};

/// The late-entry figures of one enterprise for a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Lateness {
    /// Late check records / check records (not deleted) with `checkTime` in [t0, t1): `lateShare`.
    pub checks: Figure,
    /// Late dangers / dangers (not deleted) with `registTime` in [t0, t1).
    pub dangers: Figure,
}

/// The late-entry figures of a snapshot for [t0, t1) (only what was received by the snapshot's `asOf` is in it).
pub fn lateness(s: &EnterpriseSnapshot, t0: NaiveDateTime, t1: NaiveDateTime) -> Lateness {
    let (a, b) = (t0.and_utc().timestamp(), t1.and_utc().timestamp());
    let checks = s
        .checks
        .iter()
        .filter(|c| (a..b).contains(&i64::from(c.at)))
        .fold(Figure::default(), |f, c| f + Figure::new(u64::from(c.late), 1));
    let dangers =
        s.dangers.iter().filter(|d| d.regist_time >= t0 && d.regist_time < t1).fold(Figure::default(), |f, d| {
            f + Figure::new(u64::from(entered_late(d.regist_time, d.first_received)), 1)
        });
    Lateness { checks, dangers }
}

/// The `late_entry` warning's rule (`metrics.md` §9): more than 20 % of a week's check records late, in a week with at
/// least 20 check records. Exact: late × 5 > all.
pub fn late_entry(checks: Figure) -> bool {
    checks.den >= 20 && checks.num * 5 > checks.den
}
