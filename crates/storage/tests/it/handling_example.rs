//! The worked example of `docs/metrics.md` §11.3, played through storage (open, act, clear, escalate) in time order.
//! Shared by the storage, report and API tests (included with `#[path]`), so that all three check the same cases.

use chrono::NaiveDateTime;
use domain::handling::Action;
use storage::handling::actions::{self, Act};
use storage::handling::cases::{self, Opened};
use storage::handling::{Limits, escalate};

/// A local (Asia/Shanghai) time `2026-MM-DD HH:MM` in UTC.
pub fn local(s: &str) -> NaiveDateTime {
    domain::time::local_to_utc(NaiveDateTime::parse_from_str(&format!("2026-{s}"), "%Y-%m-%d %H:%M").unwrap())
}

fn open(conn: &mut storage::DbConnection, n: u32, city: &str, level: &str, at: &str) -> i64 {
    let company = format!("{city}{n:03}");
    let w = Opened {
        warning_id: format!("{company}.overdue_tasks"),
        company_code: company,
        city_code: city.into(),
        kind: "overdue_tasks".into(),
        level: level.into(),
        detail: "测试".into(),
    };
    cases::open(conn, &w, &Limits::default(), local(at)).unwrap()
}

fn act(conn: &mut storage::DbConnection, id: i64, action: Action, at: &str, deadline: Option<&str>) {
    let a = Act {
        action,
        actor: "taiyuan".into(),
        role: "city".into(),
        note: "说明".into(),
        deadline: deadline.map(local),
        done: true,
        files: vec![],
    };
    assert!(matches!(actions::act(conn, id, &a, local(at)).unwrap(), actions::Acted::Done(_)), "{action:?} {at}");
}

/// The worked example of `metrics.md` §11.3, played in time order: cases c1–c8 (c8 in 大同, the others in 太原).
pub fn worked_example(conn: &mut storage::DbConnection) {
    use Action::{Respond, Sign, Supervise, Verify};
    let esc = |conn: &mut storage::DbConnection, at: &str| escalate::run(conn, local(at)).unwrap().len();
    let c1 = open(conn, 1, "140100", "yellow", "11-02 09:00");
    act(conn, c1, Sign, "11-02 10:00", None);
    let c2 = open(conn, 2, "140100", "orange", "11-03 09:00");
    act(conn, c1, Respond, "11-04 09:00", None);
    assert_eq!(esc(conn, "11-04 10:00"), 1, "c2 not signed by 11-04 09:00");
    act(conn, c2, Sign, "11-04 15:00", None);
    act(conn, c1, Verify, "11-05 09:00", None);
    let _c3 = open(conn, 3, "140100", "red", "11-10 08:00");
    assert_eq!(esc(conn, "11-10 10:05"), 1, "c3 (red) not signed by 10:00");
    act(conn, c2, Respond, "11-11 09:00", None);
    let _c4 = open(conn, 4, "140100", "yellow", "11-11 09:00");
    assert!(cases::clear(conn, "140100004.overdue_tasks", local("11-11 20:00")).unwrap());
    act(conn, c2, Verify, "11-12 09:00", None);
    let c5 = open(conn, 5, "140100", "yellow", "11-12 09:00");
    act(conn, c5, Sign, "11-12 10:00", None);
    act(conn, c5, Supervise, "11-14 09:00", Some("11-30 18:00"));
    let c8 = open(conn, 8, "140200", "yellow", "11-20 09:00");
    act(conn, c8, Sign, "11-20 09:30", None);
    act(conn, c5, Respond, "11-25 10:00", None);
    assert!(cases::clear(conn, "140200008.overdue_tasks", local("11-29 09:00")).unwrap());
    let c6 = open(conn, 6, "140100", "orange", "11-30 23:30");
    assert_eq!(esc(conn, "12-01 00:00"), 1, "c5 past its supervision deadline");
    let _c7 = open(conn, 7, "140100", "yellow", "12-01 00:30");
    act(conn, c6, Sign, "12-01 08:00", None);
    act(conn, c6, Supervise, "12-02 09:00", Some("12-20 18:00"));
    assert_eq!(esc(conn, "12-03 00:00"), 1, "c7 not signed by 12-02 00:30");
}
