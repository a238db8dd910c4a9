use super::*;
use crate::CompanyCode;
use crate::snapshot::CheckRow;

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(&format!("2026-11-{s}"), "%Y-%m-%d %H:%M:%S").unwrap()
}

/// A version of record `id` of task `task`: updated at day `update`, received at day `received` 12:00.
fn v(id: &str, seq: i64, update: &str, received: &str, deleted: bool, status: CheckStatus) -> CheckVersion {
    CheckVersion {
        id: id.into(),
        seq,
        update: t(&format!("{update} 08:00:00")),
        deleted,
        received: t(&format!("{received} 12:00:00")),
        task_id: "k1".into(),
        check_time: t("01 08:00:00"),
        status,
    }
}

fn history(versions: &[CheckVersion]) -> EnterpriseHistory {
    let mut h = EnterpriseHistory::empty(CompanyCode::parse("140100001").unwrap());
    h.build_checks(versions);
    h
}

/// The statuses known at day `day` 13:00 (every version here has the task at ordinal 0).
fn at(h: &EnterpriseHistory, day: &str) -> Vec<CheckStatus> {
    let view = Checks::view(h.checks.clone(), t(&format!("{day} 13:00:00")), vec![0], h.task_ids.len());
    view.to_vec().iter().map(|c: &CheckRow| c.status).collect()
}

use crate::checks::Checks;

#[test]
fn a_version_is_known_from_its_receipt_until_a_later_one_arrives() {
    let h = history(&[
        v("a", 1, "02", "02", false, CheckStatus::NotChecked),
        v("a", 2, "03", "04", false, CheckStatus::Normal),
    ]);
    assert_eq!(at(&h, "01"), vec![]);
    assert_eq!(at(&h, "02"), vec![CheckStatus::NotChecked]);
    assert_eq!(at(&h, "03"), vec![CheckStatus::NotChecked]);
    assert_eq!(at(&h, "04"), vec![CheckStatus::Normal]);
    assert_eq!(h.checks.rows.len(), 1);
    assert_eq!(h.checks.superseded.len(), 1, "the first version is kept with the time it was replaced");
}

#[test]
fn an_older_update_received_later_is_never_known_and_a_deletion_ends_the_record() {
    let h = history(&[
        v("a", 1, "05", "02", false, CheckStatus::Normal),
        v("a", 2, "03", "04", false, CheckStatus::HazardFound),
        v("b", 3, "02", "02", false, CheckStatus::Normal),
        v("b", 4, "06", "06", true, CheckStatus::Normal),
    ]);
    assert_eq!(at(&h, "04"), vec![CheckStatus::Normal, CheckStatus::Normal]);
    assert_eq!(at(&h, "06"), vec![CheckStatus::Normal], "b is deleted from its receipt on");
    assert_eq!(h.check_seq, 4);
    assert_eq!(h.check_received.len(), 3);
}

#[test]
fn late_means_the_first_receipt_more_than_24_hours_after_the_check() {
    // checkTime is day 01 08:00; received day 02 12:00 is 28 h later.
    let h = history(&[v("a", 1, "02", "02", false, CheckStatus::Normal)]);
    assert!(h.checks.rows[0].late());
    let mut on_time = v("b", 2, "01", "01", false, CheckStatus::Normal);
    on_time.received = t("02 08:00:00");
    assert!(!history(&[on_time]).checks.rows[0].late(), "exactly 24 hours is on time");
}

#[test]
fn folding_in_parts_equals_building_from_everything() {
    let all = vec![
        v("a", 1, "02", "02", false, CheckStatus::NotChecked),
        v("b", 2, "02", "02", false, CheckStatus::Normal),
        v("a", 3, "03", "04", false, CheckStatus::Normal),
        v("c", 4, "01", "04", false, CheckStatus::Other),
        v("b", 5, "05", "05", true, CheckStatus::Normal),
        v("a", 6, "02", "06", false, CheckStatus::HazardFound),
    ];
    let full = history(&all);
    let mut h = history(&all[..2]);
    for cut in [(2, 4), (4, 6)] {
        let new = &all[cut.0..cut.1];
        let ids: Vec<&str> = new.iter().map(|v| v.id.as_str()).collect();
        let old: Vec<CheckVersion> = all[..cut.0].iter().filter(|v| ids.contains(&v.id.as_str())).cloned().collect();
        assert!(h.fold_checks(&old, new).is_empty());
    }
    assert_eq!(h, full);
    for day in ["01", "02", "03", "04", "05", "06"] {
        assert_eq!(at(&h, day), at(&full, day));
    }
}

#[test]
fn a_new_task_id_keeps_the_rows_in_order() {
    let mut first = v("a", 1, "02", "02", false, CheckStatus::Normal);
    first.task_id = "k5".into();
    let mut h = history(&[first]);
    let mut second = v("b", 2, "02", "02", false, CheckStatus::Normal);
    second.task_id = "k1".into();
    assert!(h.fold_checks(&[], &[second]).is_empty());
    assert_eq!(h.task_ids, vec!["k1".to_owned(), "k5".to_owned()]);
    assert_eq!(h.checks.rows.iter().map(|r| r.task).collect::<Vec<_>>(), vec![0, 1]);
}
