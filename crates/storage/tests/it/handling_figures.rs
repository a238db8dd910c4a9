//! The handling figures (`docs/metrics.md` §11), each rule on a hand-built case, then the worked example of §11.3
//! played through storage (open, act, clear, escalate) and tallied for November 2026 at two moments.

#[path = "handling_example.rs"]
mod example;

use chrono::TimeDelta;
use example::{local, worked_example};
use storage::Db;
use storage::handling::cases::CaseRow;
use storage::handling::figures::{Tally, by_city, total};

/// A yellow case opened 11-02 09:00 (sign due 11-03 09:00, close due 11-09 09:00), as it stands when last changed.
fn case() -> CaseRow {
    let opened = local("11-02 09:00");
    CaseRow {
        id: 1,
        warning_id: "140100001.overdue_tasks".into(),
        company_code: "140100001".into(),
        city_code: "140100".into(),
        kind: "overdue_tasks".into(),
        level: "yellow".into(),
        detail: String::new(),
        opened_at: opened,
        sign_due: opened + TimeDelta::hours(24),
        close_due: opened + TimeDelta::days(7),
        state: "pending_sign".into(),
        signed_at: None,
        signed_by: None,
        closed_at: None,
        closed_by: None,
        cleared_at: None,
        supervised_at: None,
        supervise_deadline: None,
        returns: 0,
        escalated_at: None,
        escalation_level: 0,
        updated_at: opened,
    }
}

fn tally(c: &CaseRow, at: &str) -> Tally {
    let mut t = Tally::default();
    t.add(c, &[], local(at));
    t
}

/// (opened, sign base, signed, signed on time, close base, closed on time).
fn core(t: &Tally) -> (i64, i64, i64, i64, i64, i64) {
    (t.opened, t.sign_base, t.signed, t.signed_on_time, t.close_base, t.closed_on_time)
}

fn signed(c: &mut CaseRow, at: &str) {
    (c.signed_at, c.state, c.updated_at) = (Some(local(at)), "signed".into(), local(at));
}

fn closed(c: &mut CaseRow, at: &str, by: &str) {
    (c.closed_at, c.closed_by, c.state, c.updated_at) = (Some(local(at)), Some(by.into()), "closed".into(), local(at));
}

#[test]
fn signing() {
    let mut c = case();
    assert_eq!(core(&tally(&c, "11-02 12:00")), (1, 0, 0, 0, 0, 0), "not signed, not due yet: not counted");
    assert_eq!(core(&tally(&c, "11-03 09:00")), (1, 0, 0, 0, 0, 0), "at the sign time itself it can still be signed");
    assert_eq!(core(&tally(&c, "11-03 09:01")), (1, 1, 0, 0, 0, 0), "never signed, past its sign time");
    signed(&mut c, "11-02 10:00");
    assert_eq!(core(&tally(&c, "11-02 12:00")), (1, 1, 1, 1, 0, 0), "signed on time counts at once");
    assert_eq!(core(&tally(&c, "11-02 09:30")), (1, 0, 0, 0, 0, 0), "signed after the moment: not yet");
    signed(&mut c, "11-03 10:00");
    assert_eq!(core(&tally(&c, "11-04 00:00")), (1, 1, 1, 0, 0, 0), "signed late");
    assert_eq!(core(&tally(&c, "11-01 00:00")), (0, 0, 0, 0, 0, 0), "opened after the moment: ignored");
}

#[test]
fn closing() {
    let mut c = case();
    signed(&mut c, "11-02 10:00");
    closed(&mut c, "11-05 09:00", "taiyuan");
    assert_eq!(core(&tally(&c, "11-06 00:00")), (1, 1, 1, 1, 1, 1), "verified on time");
    closed(&mut c, "11-10 09:00", "taiyuan");
    assert_eq!(core(&tally(&c, "11-09 12:00")), (1, 1, 1, 1, 1, 0), "open past its close time");
    assert_eq!(core(&tally(&c, "11-11 00:00")), (1, 1, 1, 1, 1, 0), "verified late");
    c.supervised_at = Some(local("11-04 09:00"));
    c.supervise_deadline = Some(local("11-12 18:00"));
    c.close_due = local("11-12 18:00");
    let t = tally(&c, "11-11 00:00");
    assert_eq!(core(&t), (1, 1, 1, 1, 1, 1), "supervised: the deadline is the close time, 11-10 is on time");
    assert_eq!((t.supervised, t.supervised_by_state.get("closed"), t.supervised_overdue), (1, Some(&1), 0));
}

#[test]
fn closed_by_the_platform() {
    let mut c = case();
    closed(&mut c, "11-02 20:00", "system");
    assert_eq!(core(&tally(&c, "11-20 00:00")), (1, 0, 0, 0, 0, 0), "cleared before its sign time: counts nowhere");
    assert_eq!(core(&tally(&c, "11-02 19:00")), (1, 0, 0, 0, 0, 0));
    closed(&mut c, "11-04 09:00", "system");
    assert_eq!(core(&tally(&c, "11-20 00:00")), (1, 1, 0, 0, 0, 0), "unsigned past its sign time, then cleared");
    signed(&mut c, "11-02 10:00");
    closed(&mut c, "11-09 09:00", "system");
    assert_eq!(core(&tally(&c, "11-20 00:00")), (1, 1, 1, 1, 0, 0), "cleared at its close time: not against it");
    closed(&mut c, "11-10 09:00", "system");
    assert_eq!(core(&tally(&c, "11-20 00:00")), (1, 1, 1, 1, 1, 0), "cleared after its close time: late");
}

#[test]
fn escalations_and_supervision() {
    let mut c = case();
    (c.escalated_at, c.escalation_level, c.updated_at) = (Some(local("11-03 09:05")), 1, local("11-03 09:05"));
    let t = tally(&c, "11-04 00:00");
    assert_eq!((t.escalated, t.open_escalations), (1, 1), "escalated and open");
    assert_eq!((tally(&c, "11-03 09:00").escalated), 0, "escalated after the moment");
    signed(&mut c, "11-03 10:00");
    (c.supervised_at, c.supervise_deadline) = (Some(local("11-04 09:00")), Some(local("11-06 18:00")));
    (c.close_due, c.state) = (local("11-06 18:00"), "handling".into());
    let t = tally(&c, "11-07 00:00");
    assert_eq!((t.supervised, t.supervised_by_state.get("handling"), t.supervised_overdue), (1, Some(&1), 1));
    assert_eq!((t.close_base, t.closed_on_time), (1, 0), "open past the supervision deadline");
    closed(&mut c, "11-06 12:00", "taiyuan");
    let t = tally(&c, "11-07 00:00");
    assert_eq!((t.escalated, t.open_escalations, t.supervised_overdue), (1, 0, 0), "escalated, then closed");
    assert_eq!((t.close_base, t.closed_on_time), (1, 1));
}

fn november(db: &Db, at: &str) -> std::collections::BTreeMap<String, Tally> {
    let (from, to) = domain::Period::Month { year: 2026, month: 11 }.bounds_utc();
    db.with(|c| by_city(c, from, to, None, local(at))).unwrap()
}

/// (escalated, open escalations, supervised, supervised overdue).
fn watch(t: &Tally) -> (i64, i64, i64, i64) {
    (t.escalated, t.open_escalations, t.supervised, t.supervised_overdue)
}

fn worked_example_of_section_11(db: &Db) {
    db.with(|c| {
        worked_example(c);
        Ok(())
    })
    .unwrap();
    // At 12-06 12:00: c1–c6 in 太原 (c6 opened 11-30 23:30 local is November's; c7, 12-01 00:30, is not).
    let at = november(db, "12-06 12:00");
    let ty = &at["140100"];
    assert_eq!(core(ty), (6, 5, 4, 3, 4, 1), "签收率 4/5, 按时签收率 3/5, 按时办结率 1/4");
    assert_eq!(watch(ty), (3, 2, 2, 1));
    let states: Vec<_> = ty.supervised_by_state.iter().map(|(k, n)| (k.as_str(), *n)).collect();
    assert_eq!(states, [("pending_verify", 1), ("signed", 1)]);
    assert_eq!(core(&at["140200"]), (1, 1, 1, 1, 1, 0), "大同: cleared after its close time");
    assert_eq!(core(&total(&at)), (7, 6, 5, 4, 5, 1));
    // At 11-20 12:00 (asOf): c6 is not opened yet; c5 stood signed (responded on 11-25), its deadline not reached.
    let then = november(db, "11-20 12:00");
    let ty = &then["140100"];
    assert_eq!(core(ty), (5, 4, 3, 2, 3, 1));
    assert_eq!(watch(ty), (2, 1, 1, 0));
    assert_eq!(ty.supervised_by_state.get("signed"), Some(&1));
    assert_eq!(core(&then["140200"]), (1, 1, 1, 1, 0, 0));
}

crate::both_backends!(worked_example_of_section_11);
