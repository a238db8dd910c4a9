//! Dangers: effective deadlines, rectification in a period (`metrics.md` §3) and status at a moment (§4).

use crate::figure::Figure;
use chrono::{NaiveDateTime, TimeDelta};
use domain::enums::{DangerLevel, DangerManageType, DangerState};
use domain::records::Deadline;
use domain::snapshot::DangerRow;
use domain::time::{local_date, local_midnight_utc};

/// The effective deadline: `dangerManageDeadline` (a date means the end of that local day, 24:00); for 即查即改
/// sent without one, the end of the local day of `registTime`. `None` when there is none.
pub fn effective_deadline(d: &DangerRow) -> Option<NaiveDateTime> {
    match (d.deadline, d.manage_type) {
        (Some(Deadline::At(t)), _) => Some(t),
        (Some(Deadline::Date(day)), _) => Some(local_midnight_utc(day + TimeDelta::days(1))),
        (None, DangerManageType::Immediate) => Some(local_midnight_utc(local_date(d.regist_time) + TimeDelta::days(1))),
        (None, DangerManageType::Deadline) => None,
    }
}

/// Whether the latest known version is accepted (已验收).
pub fn rectified(d: &DangerRow) -> bool {
    d.state == DangerState::Accepted
}

/// Whether the danger was rectified before `t`: accepted, with `checkAcceptTime` before `t`.
pub fn rectified_before(d: &DangerRow, t: NaiveDateTime) -> bool {
    rectified(d) && d.accept_time.is_some_and(|a| a < t)
}

/// The rectification figures of a period [t0, t1) known at `as_of`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rectification {
    /// 隐患整改率: rectified / should.
    pub all: Figure,
    /// On time: rectified with `checkAcceptTime` ≤ the effective deadline / should.
    pub on_time: Figure,
    /// The same for 重大 dangers.
    pub major: Figure,
    /// On time, 重大 only.
    pub major_on_time: Figure,
    /// 累计整改率: registered before t1 and rectified / registered before t1.
    pub cumulative: Figure,
}

/// Computes the rectification figures; `end` = min(t1, asOf).
pub fn rectification(dangers: &[DangerRow], t0: NaiveDateTime, t1: NaiveDateTime, end: NaiveDateTime) -> Rectification {
    let mut r = Rectification::default();
    for d in dangers {
        if d.regist_time < t1 {
            r.cumulative += Figure::new(u64::from(rectified(d)), 1);
        }
        let Some(deadline) = effective_deadline(d) else { continue };
        if deadline < t0 || deadline >= end {
            continue;
        }
        let done = rectified(d);
        let on_time = done && d.accept_time.is_some_and(|a| a <= deadline);
        let fig = Figure::new(u64::from(done), 1);
        let fig_on_time = Figure::new(u64::from(on_time), 1);
        r.all += fig;
        r.on_time += fig_on_time;
        if d.level == DangerLevel::Major {
            r.major += fig;
            r.major_on_time += fig_on_time;
        }
    }
    r
}

/// Danger counts at a moment `t` = min(t1, asOf).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DangerStatus {
    /// Registered before t, effective deadline before t, not rectified before t.
    pub overdue: u64,
    /// The same, 重大 only.
    pub overdue_major: u64,
    /// 重大, registered before t, not rectified before t.
    pub open_major: u64,
}

/// Counts overdue and open dangers at `t`.
pub fn status(dangers: &[DangerRow], t: NaiveDateTime) -> DangerStatus {
    let mut s = DangerStatus::default();
    for d in dangers.iter().filter(|d| d.regist_time < t && !rectified_before(d, t)) {
        let major = d.level == DangerLevel::Major;
        if effective_deadline(d).is_some_and(|dl| dl < t) {
            s.overdue += 1;
            s.overdue_major += u64::from(major);
        }
        s.open_major += u64::from(major);
    }
    s
}
