//! Small hand-computed cases.
#![allow(clippy::unwrap_used, reason = "tests unwrap to fail loudly")]

use super::*;
use chrono::NaiveDate;
use domain::{CompanyCode, ConstructionBatch};
use storage::acceptance::NewAcceptance;

pub(crate) fn ent(code: &str, city: City) -> Enterprise {
    Enterprise {
        code: CompanyCode::parse(code).unwrap(),
        name: format!("企业{code}"),
        city,
        batch: ConstructionBatch::First,
        flags: vec![],
        annex_no: None,
    }
}

pub(crate) fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn acc(id: i64, code: &str, on: u32, grade: &str, recheck: Option<&str>) -> Acceptance {
    Acceptance {
        id,
        record: NewAcceptance {
            company_code: code.to_owned(),
            city: City::Yangquan,
            accepted_on: day(on),
            experts: vec!["张三".into()],
            grade: grade.to_owned(),
            findings: String::new(),
            rectify_by: None,
            recheck_on: recheck.map(|_| day(on + 1)),
            recheck_grade: recheck.map(str::to_owned),
            recorded_by: "city:140300".into(),
            recorded_at: day(on).and_hms_opt(1, 0, 0).unwrap(),
        },
    }
}

fn yangquan() -> Vec<Enterprise> {
    vec![ent("140300001", City::Yangquan), ent("140300002", City::Yangquan), ent("140300003", City::Yangquan)]
}

fn line(lines: &[AcceptanceLine], city: City) -> &AcceptanceLine {
    lines.iter().find(|l| l.city == city.code()).unwrap()
}

#[test]
fn grades_parse_from_labels_and_keys() {
    assert_eq!(parse_grade("优"), Some(Grade::Excellent));
    assert_eq!(parse_grade("good"), Some(Grade::Good));
    assert_eq!(parse_grade("中"), Some(Grade::Fair));
    assert_eq!(parse_grade("poor"), Some(Grade::Poor));
    assert_eq!(parse_grade("A"), None);
    assert_eq!(grade_key(Grade::Fair), "fair");
}

#[test]
fn eleven_cities_in_code_order_and_no_acceptance_means_no_pass() {
    let lines = city_lines(&yangquan(), &[]);
    assert_eq!(lines.len(), 11);
    assert_eq!(lines[0].city, "140100");
    assert_eq!(lines[10].city, "141100");
    let yq = line(&lines, City::Yangquan);
    assert_eq!((yq.registered, yq.accepted, yq.rectifying, yq.passes), (3, 0, 0, false));
    assert_eq!(yq.excellent_good, Figure::new(0, 3));
    // A city with no enterprise registered has no 优良率 and does not pass.
    assert!(!line(&lines, City::Taiyuan).passes);
}

#[test]
fn passes_only_when_every_enterprise_is_excellent_or_good() {
    // 001 优, 002 中 (rectifying), 003 not accepted: 1/3, one rectifying.
    let rows = vec![acc(1, "140300001", 2, "优", None), acc(2, "140300002", 3, "中", None)];
    let yq = line(&city_lines(&yangquan(), &rows), City::Yangquan).clone();
    assert_eq!((yq.accepted, yq.rectifying, yq.passes), (2, 1, false));
    assert_eq!(yq.excellent_good, Figure::new(1, 3));
    // 002 passes its re-check with 良 and 003 is accepted 良: 3/3, passes.
    let mut rows = rows;
    rows.push(acc(3, "140300002", 3, "中", Some("良")));
    rows.push(acc(4, "140300003", 4, "良", None));
    let yq = line(&city_lines(&yangquan(), &rows), City::Yangquan).clone();
    assert_eq!((yq.accepted, yq.rectifying, yq.passes), (3, 0, true));
    assert_eq!(yq.excellent_good, Figure::new(3, 3));
}

#[test]
fn the_latest_acceptance_counts_by_date_then_id() {
    // An older acceptance recorded later (id 9) does not replace a newer one; on the same date the higher id wins.
    let rows = vec![
        acc(1, "140300001", 10, "良", None),
        acc(9, "140300001", 5, "差", None),
        acc(2, "140300002", 10, "差", None),
        acc(3, "140300002", 10, "优", None),
    ];
    let cur = current(&rows);
    assert_eq!(cur.iter().map(|a| a.id).collect::<Vec<_>>(), [1, 3]);
    // A failed re-check keeps the enterprise under rectification.
    let rows = vec![acc(1, "140300001", 10, "差", Some("中"))];
    let yq = line(&city_lines(&yangquan(), &rows), City::Yangquan).clone();
    assert_eq!((yq.accepted, yq.rectifying), (1, 1));
}

#[test]
fn rows_of_unregistered_enterprises_are_ignored() {
    let rows = vec![acc(1, "140300009", 2, "优", None)];
    let yq = line(&city_lines(&yangquan(), &rows), City::Yangquan).clone();
    assert_eq!(yq.accepted, 0);
}
