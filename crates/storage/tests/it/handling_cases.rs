//! Cases follow their warning's cause: a cause that comes back while its red case is open continues that case; one
//! that comes back after its case closed gets a new case; opening and clearing twice does nothing twice.

use crate::fixtures::t;
use storage::Db;
use storage::handling::Limits;
use storage::handling::actions::timeline;
use storage::handling::cases::{Opened, follow, latest};

both_backends!(a_cause_that_returns_continues_an_open_case_and_gets_a_new_one_after_closing);

fn opened(id: &str, level: &str) -> Opened {
    Opened {
        warning_id: id.into(),
        company_code: "140100001".into(),
        city_code: "140100".into(),
        kind: "test".into(),
        level: level.into(),
        detail: "测试".into(),
    }
}

fn steps(db: &Db, case: i64) -> Vec<String> {
    db.with(|c| timeline(c, case)).unwrap().into_iter().map(|s| s.action).collect()
}

fn a_cause_that_returns_continues_an_open_case_and_gets_a_new_one_after_closing(db: &Db) {
    let l = Limits::default();
    let (red, yellow) = (opened("140100001.red", "red"), opened("140100001.yellow", "yellow"));
    let at = |s: &str| t(&format!("2026-11-{s}"));
    db.with(|c| follow(c, &[red.clone(), yellow.clone()], &[], &l, at("02 01:00:00"))).unwrap();
    // Twice: nothing new.
    db.with(|c| follow(c, &[red.clone(), yellow.clone()], &[], &l, at("02 01:01:00"))).unwrap();
    let first_red = db.with(|c| latest(c, &red.warning_id)).unwrap().unwrap();
    let first_yellow = db.with(|c| latest(c, &yellow.warning_id)).unwrap().unwrap();
    assert_eq!(steps(db, first_red.id), ["opened"]);
    assert_eq!(first_red.sign_due, at("02 03:00:00"), "red: 2 hours");
    assert_eq!(first_yellow.sign_due, at("03 01:00:00"), "24 hours");
    // Both causes clear (twice): the yellow case closes, the red one waits.
    let ids = [red.warning_id.clone(), yellow.warning_id.clone()];
    db.with(|c| follow(c, &[], &ids, &l, at("03 01:00:00"))).unwrap();
    db.with(|c| follow(c, &[], &ids, &l, at("03 01:01:00"))).unwrap();
    let r = db.with(|c| latest(c, &red.warning_id)).unwrap().unwrap();
    let y = db.with(|c| latest(c, &yellow.warning_id)).unwrap().unwrap();
    assert_eq!((r.state.as_str(), r.cleared_at), ("pending_sign", Some(at("03 01:00:00"))));
    assert_eq!((y.state.as_str(), y.closed_by.as_deref()), ("closed", Some("system")));
    assert_eq!(steps(db, r.id), ["opened", "cleared"]);
    // Both come back: the red case continues, the yellow one is a new case.
    db.with(|c| follow(c, &[red.clone(), yellow.clone()], &[], &l, at("04 01:00:00"))).unwrap();
    let r2 = db.with(|c| latest(c, &red.warning_id)).unwrap().unwrap();
    let y2 = db.with(|c| latest(c, &yellow.warning_id)).unwrap().unwrap();
    assert_eq!((r2.id, r2.cleared_at), (r.id, None));
    assert_eq!(steps(db, r.id), ["opened", "cleared", "reopened"]);
    assert!(y2.id > y.id);
    assert_eq!((y2.state.as_str(), y2.opened_at), ("pending_sign", at("04 01:00:00")));
}
