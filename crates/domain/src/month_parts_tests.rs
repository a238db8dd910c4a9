use super::*;
use crate::CompanyCode;
use crate::checks::HistRow;
use crate::enums::{CheckStatus, CycleUnit};
use crate::history::Version;
use crate::months::tests::{task, utc};

fn version(id: &str, seq: i64, row: TaskRow) -> Version<TaskRow> {
    let at = utc("2026-01-01 00:00:00");
    Version { id: id.into(), update: at, seq, deleted: false, created: at, received: at, row }
}

#[test]
fn a_task_is_short_up_to_a_month() {
    assert!(is_short(&task(100, CycleUnit::Day)));
    assert!(is_short(&task(3100, CycleUnit::Day)));
    assert!(!is_short(&task(3101, CycleUnit::Day)));
    assert!(is_short(&task(400, CycleUnit::Week)));
    assert!(!is_short(&task(500, CycleUnit::Week)));
    assert!(is_short(&task(744 * 100, CycleUnit::Hour)));
    assert!(is_short(&task(100, CycleUnit::Month)));
    assert!(is_short(&task(50, CycleUnit::Month)));
    assert!(!is_short(&task(150, CycleUnit::Month)));
    assert!(!is_short(&task(300, CycleUnit::Month)));
    assert!(!is_short(&task(100, CycleUnit::Year)));
    // 2026-03-31 00:00 in Shanghai, less 31 days: 28 February.
    assert_eq!(short_from(utc("2026-03-30 16:00:00")), 202602);
    // A monthly task's exact reach from 31 March is 28 February (the day clamped): within the short months.
    let reach = crate::months::reach_from(&task(100, CycleUnit::Month), utc("2026-03-30 16:00:00"));
    assert!(crate::months::month_of(reach as u32) >= 202602);
}

#[test]
fn a_task_that_ever_had_a_longer_cycle_is_long() {
    let mut h = EnterpriseHistory::empty(CompanyCode::parse("140100001").unwrap());
    h.task_ids = vec!["a".into(), "b".into(), "c".into(), "d".into()];
    h.tasks = vec![
        version("a", 1, task(100, CycleUnit::Day)),
        version("b", 2, task(100, CycleUnit::Day)),
        version("b", 3, task(100, CycleUnit::Year)),
        version("c", 4, task(300, CycleUnit::Month)),
        version("c", 5, task(100, CycleUnit::Week)),
    ];
    // "d" is named by checks only: no version says its cycle.
    assert_eq!(h.short_tasks(), vec![true, false, false, false]);
}

#[test]
fn the_two_parts_hold_every_row_once() {
    let mut h = EnterpriseHistory::empty(CompanyCode::parse("140100001").unwrap());
    h.task_ids = vec!["a".into(), "b".into(), "c".into()];
    let at = utc("2025-03-05 00:00:00").and_utc().timestamp() as u32;
    let row = |task, k: u32| HistRow::new(task, at + k, CheckStatus::ALL[0], false, 1_000 + u64::from(k));
    let rows = CheckHistory {
        rows: vec![row(0, 1), row(0, 4), row(1, 2), row(2, 3)],
        superseded: vec![(row(1, 5), 9_000), (row(2, 6), 9_500)],
    };
    let short = [true, false, true];
    let parts = h.month_parts(&rows, &short);
    assert_eq!(parts.short.task_ids, vec!["a".to_owned(), "c".to_owned()]);
    assert_eq!(parts.long.task_ids, vec!["b".to_owned()]);
    let back = crate::months::merge(&[h.from_month_part(&parts.short), h.from_month_part(&parts.long)], |_| true);
    assert_eq!(back, rows);
    assert_eq!(parts.short.checks.rows.len() + parts.short.checks.superseded.len(), 4);
}
