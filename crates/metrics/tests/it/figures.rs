//! Figures of one enterprise: risk analysis, task completion, rectification, status.

use crate::build::*;
use domain::calendar::WorkCalendar;
use domain::enums::*;
use domain::records::Deadline;
use metrics::enterprise::{Window, compute};
use metrics::figure::Figure;

fn week47() -> Window {
    // 2026-W47: Monday 16 November to Monday 23 November, local.
    Window { t0: l("2026-11-16 00:00:00"), t1: l("2026-11-23 00:00:00"), as_of: l("2026-11-29 00:00:00") }
}

fn cal() -> WorkCalendar {
    WorkCalendar::shipped().unwrap()
}

#[test]
fn risk_analysis_needs_events_measures_and_tasks() {
    let s = B::new("140100001")
        // u1: event e1 → inspection measure m1 with task t1, monitoring measure m2 (needs no task): analysed.
        .unit("u1", Some(RiskClass::Major), None)
        .event("e1", "u1", None)
        .measure("m1", "e1", DataSrc::Inspection, None)
        .measure("m2", "e1", DataSrc::Monitoring, None)
        .task("t1", "m1", "2026-11-01 08:00:00", 100, CycleUnit::Day, WorkType::Routine, None)
        // u2: an event without any measure: not analysed.
        .unit("u2", Some(RiskClass::Low), None)
        .event("e2", "u2", None)
        // u3: an inspection measure whose only task was deleted before t1: not analysed.
        .unit("u3", None, None)
        .event("e3", "u3", None)
        .measure("m3", "e3", DataSrc::Inspection, None)
        .task("t3", "m3", "2026-11-01 08:00:00", 100, CycleUnit::Day, WorkType::Routine, Some("2026-11-20 00:00:00"))
        // u4: deleted before t1: not counted at all.
        .unit("u4", Some(RiskClass::Low), Some("2026-11-18 00:00:00"))
        // u5: its only event was deleted, so it has no active event: not analysed.
        .unit("u5", Some(RiskClass::General), None)
        .event("e5", "u5", Some("2026-11-17 00:00:00"))
        .0;
    let f = compute(&s, week47(), &cal());
    // Active at t1: u1, u2, u3, u5 = 4; analysed: u1 = 1.
    assert_eq!(f.risk_analysis, Figure::new(1, 4));
    // Units by class at T (= t1): u1 重大, u2 低, u5 一般; u3 has no class.
    assert_eq!(f.units_by_class, [1, 0, 1, 1]);
    assert_eq!(f.active_units, 4);
}

#[test]
fn a_soft_deleted_parent_hides_its_children() {
    let s = B::new("140100001")
        .unit("u1", None, Some("2026-11-19 12:00:00"))
        .event("e1", "u1", None)
        .measure("m1", "e1", DataSrc::Inspection, None)
        // A daily task from 16 Nov 08:00; instances end 17 Nov 08:00, 18 Nov 08:00, … The unit is deleted on
        // 19 Nov 12:00, so only instances ending at or before then count: ends on 17, 18, 19 Nov 08:00 → due 3.
        .task("t1", "m1", "2026-11-16 08:00:00", 100, CycleUnit::Day, WorkType::Routine, None)
        .check("t1", "2026-11-16 09:00:00", CheckStatus::Normal)
        .check("t1", "2026-11-20 09:00:00", CheckStatus::Normal)
        .0;
    let f = compute(&s, week47(), &cal());
    assert_eq!(f.task_completion, Figure::new(1, 3));
    assert_eq!(f.risk_analysis, Figure::new(0, 0), "no unit active at t1");
    assert_eq!(f.risk_analysis.rate(), None);
}

#[test]
fn task_completion_over_a_week() {
    let s = B::new("140100001")
        .unit("u1", None, None)
        .event("e1", "u1", None)
        .measure("m1", "e1", DataSrc::Inspection, None)
        // Daily from 1 Nov 08:00: instances ending in (16 Nov 00:00, 23 Nov 00:00] end on 16…22 Nov 08:00 → 7.
        // Checks: 15 Nov 09:00 (instance [15 08:00, 16 08:00): done), 17 Nov 07:59 (instance [16, 17): done),
        // 18 Nov 10:00 status 2 未排查 (not done), 20 Nov 08:00 exactly (instance [20, 21): done).
        .task("t1", "m1", "2026-11-01 08:00:00", 100, CycleUnit::Day, WorkType::Routine, None)
        .check("t1", "2026-11-15 09:00:00", CheckStatus::Normal)
        .check("t1", "2026-11-17 07:59:00", CheckStatus::HazardFound)
        .check("t1", "2026-11-18 10:00:00", CheckStatus::NotChecked)
        .check("t1", "2026-11-20 08:00:00", CheckStatus::Other)
        // A weekly 包保 task from Monday 2 Nov 09:00: instances end 16 Nov 09:00 and 23 Nov 09:00; only the first
        // ends in the week → due 1; its check on 10 Nov lies in [9 Nov, 16 Nov) → done.
        .task("t2", "m1", "2026-11-02 09:00:00", 100, CycleUnit::Week, WorkType::Technical, None)
        .check("t2", "2026-11-10 15:00:00", CheckStatus::Normal)
        // A task deleted on 19 Nov 00:00 (12-hourly from 16 Nov 00:00): ends 16 12:00, 17 00:00, 17 12:00, 18 00:00,
        // 18 12:00, 19 00:00 → 6 due, none checked.
        .task("t3", "m1", "2026-11-16 00:00:00", 50, CycleUnit::Day, WorkType::Routine, Some("2026-11-19 00:00:00"))
        .0;
    let f = compute(&s, week47(), &cal());
    assert_eq!(f.task_completion, Figure::new(3 + 1, 7 + 1 + 6));
    assert_eq!(f.baobao_completion, Figure::new(1, 1));
    // Checks of any status in the week [16 Nov, 23 Nov): the three on 17, 18 and 20 Nov.
    assert_eq!(f.checks_in_period, 3);
}

#[test]
fn a_running_period_counts_only_what_has_ended() {
    let s = B::new("140100001")
        .unit("u1", None, None)
        .event("e1", "u1", None)
        .measure("m1", "e1", DataSrc::Inspection, None)
        .task("t1", "m1", "2026-11-01 08:00:00", 100, CycleUnit::Day, WorkType::Routine, None)
        .0;
    // As of Wednesday 18 Nov 12:00: instances ending 16 and 17 and 18 Nov 08:00 have ended → due 3.
    let w = metrics::enterprise::Window { as_of: l("2026-11-18 12:00:00"), ..week47() };
    assert_eq!(compute(&s, w, &cal()).task_completion, Figure::new(0, 3));
}

#[test]
fn a_stop_window_removes_instances() {
    let s = B::new("140100001")
        .unit("u1", None, None)
        .event("e1", "u1", None)
        .measure("m1", "e1", DataSrc::Inspection, None)
        .task("t1", "m1", "2026-11-01 08:00:00", 100, CycleUnit::Day, WorkType::Routine, None)
        // Stopped from 17 Nov 08:00 (an instance starting exactly then does not exist) to 19 Nov 08:00 (one starting
        // exactly then exists): starts on 17 and 18 Nov are removed. Due in the week: ends 16…22 Nov minus the
        // instances starting 17 and 18 (ending 18 and 19) → 5.
        .stop("u1", "2026-11-17 08:00:00", Some("2026-11-19 08:00:00"))
        .0;
    assert_eq!(compute(&s, week47(), &cal()).task_completion, Figure::new(0, 5));
}

#[test]
fn rectification_deadlines_and_status() {
    let date = |s: &str| Some(Deadline::Date(d(s)));
    let at = |s: &str| Some(Deadline::At(l(s)));
    let s = B::new("140100001")
        // A date-only deadline 20 Nov means 21 Nov 00:00; accepted 20 Nov 23:00: should, rectified, on time.
        .danger("d1", DangerLevel::General, "2026-11-10 10:00:00", date("2026-11-20"), Some("2026-11-20 23:00:00"))
        // 即查即改 without a deadline registered 18 Nov: deadline 19 Nov 00:00; never accepted: should, overdue.
        .danger("d2", DangerLevel::General, "2026-11-18 10:00:00", None, None)
        // 重大, deadline 21 Nov 18:00, accepted after it on 22 Nov: rectified, not on time.
        .danger("d3", DangerLevel::Major, "2026-11-01 10:00:00", at("2026-11-21 18:00:00"), Some("2026-11-22 09:00:00"))
        // Deadline 23 Nov 00:00 = t1: outside [t0, t1); registered before t1, so still in the cumulative figure.
        .danger("d4", DangerLevel::Major, "2026-11-15 10:00:00", at("2026-11-23 00:00:00"), None)
        // Registered after the week: only in nothing of this week.
        .danger("d5", DangerLevel::General, "2026-11-24 10:00:00", date("2026-11-25"), None)
        .0;
    let f = compute(&s, week47(), &cal());
    let r = f.rectification;
    assert_eq!(r.all, Figure::new(2, 3), "d1, d3 of d1, d2, d3");
    assert_eq!(r.on_time, Figure::new(1, 3), "d1 only");
    assert_eq!(r.major, Figure::new(1, 1), "d3");
    assert_eq!(r.major_on_time, Figure::new(0, 1));
    assert_eq!(r.cumulative, Figure::new(2, 4), "d1…d4 registered before t1; d1, d3 accepted");
    // At T = 23 Nov 00:00: d2 overdue (deadline 19 Nov); d4 not yet (deadline = T is not before T);
    // d3 was rectified before T. Open 重大: d4.
    assert_eq!((f.dangers.overdue, f.dangers.overdue_major, f.dangers.open_major), (1, 0, 1));
}

#[test]
fn an_empty_denominator_is_null_not_100_percent() {
    let f = compute(&B::new("140100001").0, week47(), &cal());
    assert_eq!(f.task_completion.rate(), None);
    assert_eq!(f.rectification.all.rate(), None);
    assert_eq!(f.risk_analysis.rate(), None);
}
