//! The weekly evaluation: components, vetoes, rounding and grades.

use crate::build::*;
use domain::calendar::WorkCalendar;
use domain::enums::*;
use domain::records::Deadline;
use metrics::enterprise::{Window, compute};
use metrics::evaluation::{Grade, Veto, evaluate, excellent_good_rate};

fn week47() -> Window {
    Window { t0: l("2026-11-16 00:00:00"), t1: l("2026-11-23 00:00:00"), as_of: l("2026-11-29 00:00:00") }
}

/// A unit with one daily routine task from 1 Nov 08:00 (7 instances due in W47) and a weekly 包保 task.
fn base() -> B {
    B::new("140100001")
        .unit("u1", None, None)
        .event("e1", "u1", None)
        .measure("m1", "e1", DataSrc::Inspection, None)
        .task("t1", "m1", "2026-11-01 08:00:00", 100, CycleUnit::Day, WorkType::Routine, None)
        .task("t2", "m1", "2026-11-02 09:00:00", 100, CycleUnit::Week, WorkType::Principal, None)
}

#[test]
fn components_and_rounding() {
    // Routine: 5 of 7 checked; 包保: its one instance [9 Nov 09:00, 16 Nov 09:00) unchecked.
    // Task completion = 5/8, so A = 50 × 5/8 − 10 × (1 − 0/1) = 31.25 − 10 = 21.25.
    // Dangers: one due in the week and accepted on time → B = 50 × 1/1 − 0 (a danger in the last 4 weeks) = 50.
    // E = 71.25 → 71.3 (half up), grade 中.
    let mut b = base();
    for day in ["16", "17", "18", "19", "20"] {
        b = b.check("t1", &format!("2026-11-{day} 09:00:00"), CheckStatus::Normal);
    }
    let b = b.danger(
        "d1",
        DangerLevel::General,
        "2026-11-16 10:00:00",
        Some(Deadline::Date(d("2026-11-18"))),
        Some("2026-11-17 10:00:00"),
    );
    let f = compute(&b.0, week47(), &WorkCalendar::shipped().unwrap());
    let e = evaluate(&f);
    assert_eq!((e.a, e.b, e.baobao_deduction, e.few_dangers_deduction), (21.25, 50.0, 10.0, 0.0));
    assert_eq!((e.score, e.grade, e.alpha), (71.3, Grade::Fair, 1));
    assert!(e.vetoes.is_empty());
}

#[test]
fn no_dangers_and_empty_rates() {
    // All 8 instances checked → A = 50 − 0 = 50. No danger due → rate counts as 1, but instances were due and no
    // danger was registered in the 4 weeks before 23 Nov → B = 50 − 5 = 45. E = 95 → 优.
    let mut b = base().check("t2", "2026-11-10 10:00:00", CheckStatus::Normal);
    for day in ["15", "16", "17", "18", "19", "20", "21"] {
        b = b.check("t1", &format!("2026-11-{day} 09:00:00"), CheckStatus::Normal);
    }
    let e = evaluate(&compute(&b.0, week47(), &WorkCalendar::shipped().unwrap()));
    assert_eq!((e.a, e.b, e.score, e.grade), (50.0, 45.0, 95.0, Grade::Excellent));
}

#[test]
fn vetoes_zero_the_score() {
    let cal = WorkCalendar::shipped().unwrap();
    // Instances due but no check record at all in the week: not in use.
    let e = evaluate(&compute(&base().0, week47(), &cal));
    assert_eq!((e.score, e.alpha, e.grade), (0.0, 0, Grade::Poor));
    assert_eq!(e.vetoes, [Veto::NotInUse]);
    // No unit at all: no data (an enterprise that sends nothing is graded 差, not skipped).
    let e = evaluate(&compute(&B::new("140100002").0, week47(), &cal));
    assert_eq!(e.vetoes, [Veto::NoData]);
    // A 重大 danger overdue at the end of the week.
    let b = base().check("t1", "2026-11-20 09:00:00", CheckStatus::Normal).danger(
        "d1",
        DangerLevel::Major,
        "2026-11-01 10:00:00",
        Some(Deadline::Date(d("2026-11-20"))),
        None,
    );
    let e = evaluate(&compute(&b.0, week47(), &cal));
    assert_eq!(e.vetoes, [Veto::MajorOverdue]);
    assert_eq!(e.score, 0.0);
}

#[test]
fn excellent_good_rate_counts_grades() {
    let grades = [Grade::Excellent, Grade::Good, Grade::Fair, Grade::Poor, Grade::Good];
    let f = excellent_good_rate(&grades);
    assert_eq!((f.num, f.den), (3, 5));
    assert_eq!(Grade::of(89.9), Grade::Good);
    assert_eq!(Grade::of(90.0), Grade::Excellent);
    assert_eq!(Grade::of(59.9), Grade::Poor);
}

#[test]
fn an_enterprise_without_inspection_tasks_is_vetoed_no_tasks() {
    let cal = WorkCalendar::shipped().unwrap();
    // The four records of `metrics.md` §6: a hazard source, a unit, an event and a monitoring measure, no task. Without
    // the veto: A = 50 × 1 (nothing due counts as 1) = 50, B = 50 × 1 − 0 (no deduction without due instances) = 50,
    // E = 100.0 优 — full marks for doing nothing. With it: α = 0, E = 0.0, 差.
    let four = B::new("140100003").unit("u1", None, None).event("e1", "u1", None).measure(
        "m1",
        "e1",
        DataSrc::Monitoring,
        None,
    );
    let f = compute(&four.0, week47(), &cal);
    assert_eq!((f.active_units, f.tasks_in_period, f.task_completion.den), (1, false, 0));
    let e = evaluate(&f);
    assert_eq!((e.a, e.b), (50.0, 50.0), "the components stay shown");
    assert_eq!((e.vetoes.as_slice(), e.alpha, e.score, e.grade), (&[Veto::NoTasks][..], 0, 0.0, Grade::Poor));
    // No unit at all is `no_data`, not also `no_tasks`.
    let e = evaluate(&compute(&B::new("140100004").0, week47(), &cal));
    assert_eq!(e.vetoes, [Veto::NoData]);
}

#[test]
fn a_monthly_task_without_an_instance_in_the_week_is_not_vetoed() {
    // A task of 1 月 from 1 Nov 08:00: its instance [1 Nov 08:00, 1 Dec 08:00) ends after W47, so nothing is due in
    // W47 (den 0, rate counts as 1), but the task is active all week: no `no_tasks`, and no `not_in_use` (nothing
    // due). A = 50, B = 50 − 0 (no due instance, so no few-dangers deduction) → 100.0 优.
    let b = B::new("140100005").unit("u1", None, None).event("e1", "u1", None).measure(
        "m1",
        "e1",
        DataSrc::Inspection,
        None,
    );
    let b = b.task("t1", "m1", "2026-11-01 08:00:00", 100, CycleUnit::Month, WorkType::Routine, None);
    let f = compute(&b.0, week47(), &WorkCalendar::shipped().unwrap());
    assert_eq!((f.task_completion.den, f.tasks_in_period), (0, true));
    let e = evaluate(&f);
    assert!(e.vetoes.is_empty());
    assert_eq!((e.score, e.grade), (100.0, Grade::Excellent));
}

#[test]
fn a_task_counts_when_it_is_active_at_any_moment_of_the_week() {
    let cal = WorkCalendar::shipped().unwrap();
    let with_task = |created: &str, deleted: Option<&str>, measure_deleted: Option<&str>| {
        let mut b = B::new("140100006")
            .unit("u1", None, None)
            .event("e1", "u1", None)
            .measure("m1", "e1", DataSrc::Inspection, measure_deleted)
            .task("t1", "m1", "2026-11-01 08:00:00", 100, CycleUnit::Month, WorkType::Routine, deleted);
        b.0.tasks[0].life.created = l(created);
        evaluate(&compute(&b.0, week47(), &cal)).vetoes
    };
    let us = |s: &str, micros: i64| l(s) + chrono::TimeDelta::microseconds(micros);
    // W47 is [16 Nov 00:00, 23 Nov 00:00). A life is active on (created, deleted].
    assert_eq!(with_task("2026-11-18 10:00:00", None, None), [], "created mid-week: active after its creation");
    assert_eq!(with_task("2026-01-01 00:00:00", Some("2026-11-16 00:00:00"), None), [], "deleted at t0: active at t0");
    assert_eq!(with_task("2026-01-01 00:00:00", Some("2026-11-15 23:00:00"), None), [Veto::NoTasks], "deleted before");
    assert_eq!(with_task("2026-11-23 00:00:00", None, None), [Veto::NoTasks], "created at t1");
    assert_eq!(with_task("2026-01-01 00:00:00", None, Some("2026-11-10 00:00:00")), [Veto::NoTasks], "measure gone");
    // The last microsecond: created 1 µs before t1 is active only at t1 (outside); 2 µs before, at t1 − 1 µs.
    let mut b = B::new("140100007").unit("u1", None, None).event("e1", "u1", None).measure(
        "m1",
        "e1",
        DataSrc::Inspection,
        None,
    );
    b = b.task("t1", "m1", "2026-11-01 08:00:00", 100, CycleUnit::Month, WorkType::Routine, None);
    for (micros, vetoed) in [(-1, true), (-2, false)] {
        b.0.tasks[0].life.created = us("2026-11-23 00:00:00", micros);
        let vetoes = evaluate(&compute(&b.0, week47(), &cal)).vetoes;
        assert_eq!(vetoes.contains(&Veto::NoTasks), vetoed, "created {micros} µs before t1");
    }
}
