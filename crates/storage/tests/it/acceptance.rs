//! Acceptances, spot draws and findings: stored and read back the same on both backends, every version kept.

use chrono::NaiveDate;
use domain::City;
use storage::Db;
use storage::acceptance::{self, NewAcceptance};
use storage::spot_checks::{self, NewSpotDraw, NewSpotFinding};

both_backends!(acceptances_round_trip, draws_and_findings_round_trip);

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn new_acceptance(code: &str, city: City, on: u32, grade: &str) -> NewAcceptance {
    NewAcceptance {
        company_code: code.to_owned(),
        city,
        accepted_on: day(on),
        experts: vec!["张三".into(), "李四".into()],
        grade: grade.to_owned(),
        findings: "台账齐全".into(),
        rectify_by: (grade == "差").then(|| day(30)),
        recheck_on: None,
        recheck_grade: None,
        recorded_by: format!("city:{}", city.code()),
        recorded_at: day(on).and_hms_micro_opt(2, 3, 4, 567_891).unwrap(),
    }
}

fn acceptances_round_trip(db: &Db) {
    let mut c = db.conn().unwrap();
    let a = acceptance::insert(&mut c, &new_acceptance("140300002", City::Yangquan, 5, "差")).unwrap();
    let mut again = new_acceptance("140300002", City::Yangquan, 5, "差");
    again.recheck_on = Some(day(20));
    again.recheck_grade = Some("良".into());
    let b = acceptance::insert(&mut c, &again).unwrap();
    let other = acceptance::insert(&mut c, &new_acceptance("140100001", City::Taiyuan, 3, "优")).unwrap();
    assert!(a.id < b.id && b.id < other.id);
    assert_eq!(b.effective_grade(), "良");
    let yq = acceptance::list(&mut c, Some(City::Yangquan)).unwrap();
    assert_eq!(yq, vec![a, b]);
    let all = acceptance::list(&mut c, None).unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all[0], other, "ordered by enterprise code");
}

fn draws_and_findings_round_trip(db: &Db) {
    let mut c = db.conn().unwrap();
    let new = NewSpotDraw {
        city: City::Yangquan,
        seed: domain::sample::MAX_SEED,
        size: 2,
        companies: vec!["140300003".into(), "140300001".into()],
        drawn_by: "province".into(),
        drawn_at: day(21).and_hms_opt(1, 0, 0).unwrap(),
    };
    let d = spot_checks::insert_draw(&mut c, &new).unwrap();
    assert_eq!(spot_checks::draw(&mut c, d.id).unwrap(), Some(d.clone()));
    assert_eq!(spot_checks::draw(&mut c, d.id + 100).unwrap(), None);
    assert_eq!(spot_checks::draws(&mut c, Some(City::Yangquan)).unwrap(), vec![d.clone()]);
    assert!(spot_checks::draws(&mut c, Some(City::Taiyuan)).unwrap().is_empty());
    let f = |on: u32, passed: bool| NewSpotFinding {
        draw_id: d.id,
        company_code: "140300001".into(),
        checked_on: day(on),
        passed,
        findings: "抽查记录".into(),
        recorded_by: "province".into(),
        recorded_at: day(on).and_hms_opt(8, 0, 0).unwrap(),
    };
    let first = spot_checks::insert_finding(&mut c, &f(22, false)).unwrap();
    let second = spot_checks::insert_finding(&mut c, &f(23, true)).unwrap();
    assert_eq!(spot_checks::findings(&mut c, &[d.id]).unwrap(), vec![first, second]);
    assert!(spot_checks::findings(&mut c, &[]).unwrap().is_empty());
}
