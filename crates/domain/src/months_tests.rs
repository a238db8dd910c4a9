use super::*;
use crate::CompanyCode;
use crate::check_fold::CheckVersion;
use crate::checkpoint::{decode, encode};
use crate::checks::Checks;
use crate::enums::CheckStatus;
use crate::records::Cycle;
use chrono::TimeDelta;

/// A UTC time written `%Y-%m-%d %H:%M:%S`.
pub(crate) fn utc(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

#[test]
fn months_are_local_and_step_over_years() {
    // 2026-11-30 16:00 UTC is 2026-12-01 00:00 in Shanghai.
    let midnight = utc("2026-11-30 16:00:00").and_utc().timestamp() as u32;
    assert_eq!(month_of(midnight), 202612);
    assert_eq!(month_of(midnight - 1), 202611);
    assert_eq!(month_start(202612), midnight);
    assert_eq!(month_of_time(utc("2026-11-30 15:59:59")), 202611);
    assert_eq!(add_months(202601, -1), 202512);
    assert_eq!(add_months(202612, 1), 202701);
    assert_eq!(add_months(202611, -13), 202510);
    assert_eq!(add_months(202611, -24), 202411);
}

/// A routine task of a cycle, started and created on 1 January 2026 (UTC).
pub(crate) fn task(hundredths: u32, unit: CycleUnit) -> TaskRow {
    TaskRow {
        id: "k".into(),
        measure_id: "m".into(),
        start: utc("2026-01-01 00:00:00"),
        cycle: Cycle { hundredths },
        unit,
        work_hours: None,
        work_day_type: crate::enums::WorkDayType::EveryDay,
        work_type: crate::enums::WorkType::Routine,
        life: crate::snapshot::Life { created: utc("2026-01-01 00:00:00"), deleted: None },
    }
}

#[test]
fn a_task_reaches_back_one_step_of_its_cycle() {
    // 2026-11-01 00:00 in Shanghai.
    let t0 = utc("2026-10-31 16:00:00");
    let secs = |s: &str| utc(s).and_utc().timestamp();
    assert_eq!(reach_from(&task(50, CycleUnit::Day), t0), secs("2026-10-31 04:00:00"));
    assert_eq!(reach_from(&task(100, CycleUnit::Week), t0), secs("2026-10-24 16:00:00"));
    assert_eq!(reach_from(&task(25, CycleUnit::Hour), t0), secs("2026-10-31 15:45:00"));
    // Three calendar months and a year back in local time: 1 August and 1 November 2025, 00:00 in Shanghai.
    assert_eq!(reach_from(&task(300, CycleUnit::Month), t0), secs("2026-07-31 16:00:00"));
    assert_eq!(reach_from(&task(100, CycleUnit::Year), t0), secs("2025-10-31 16:00:00"));
    for (h, unit) in [(50, CycleUnit::Day), (300, CycleUnit::Month), (100, CycleUnit::Year), (200, CycleUnit::Year)] {
        let (bound, exact) = (reach_lower_bound(&task(h, unit), t0), reach_from(&task(h, unit), t0));
        assert!(bound <= exact, "{h} {unit:?}: the bound {bound} is not below the reach {exact}");
    }
    assert!(reach_lower_bound(&task(300, CycleUnit::Month), t0) < reach_from(&task(300, CycleUnit::Month), t0));
    // A yearly task of the previous month's window stays within the 13 months before the current one.
    assert_eq!(month_of(reach_from(&task(100, CycleUnit::Year), t0) as u32), add_months(202612, -13));
}

/// A random world: records of a few tasks whose versions move `checkTime` across months and get deleted.
fn versions(seed: u64) -> Vec<CheckVersion> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let base = utc("2025-09-01 00:00:00");
    let mut out = Vec::new();
    let mut seq = 0;
    for record in 0..120 {
        let received = base + TimeDelta::hours(rng.i64(0..24 * 450));
        for k in 0..rng.usize(1..4) {
            seq += 1;
            let check_time = received - TimeDelta::hours(rng.i64(0..24 * 70));
            let status = CheckStatus::ALL[rng.usize(0..CheckStatus::ALL.len())];
            out.push(CheckVersion {
                id: format!("r{record}"),
                seq,
                update: received + TimeDelta::hours(k as i64 * 5),
                deleted: rng.u8(0..10) == 0,
                received: received + TimeDelta::hours(k as i64 * 24 * rng.i64(0..40)),
                task_id: format!("k{}", rng.u8(0..6)),
                check_time,
                status,
            });
        }
    }
    out.sort_by_key(|v| (v.received, v.seq));
    for (i, v) in out.iter_mut().enumerate() {
        v.seq = i as i64 + 1;
    }
    out
}

fn history(v: &[CheckVersion]) -> EnterpriseHistory {
    let mut h = EnterpriseHistory::empty(CompanyCode::parse("140100001").unwrap());
    h.build_checks(v);
    h
}

/// Every check known at `t` of every task, with the older months' rows beside the resident ones.
fn view(h: &EnterpriseHistory, older: Option<&CheckHistory>, t: NaiveDateTime) -> Checks {
    let tasks: Vec<u32> = (0..h.task_ids.len() as u32).collect();
    let v = Checks::view(h.checks.clone(), t, tasks, h.task_ids.len());
    match older {
        Some(o) => v.with_older(Arc::new(o.clone())),
        None => v,
    }
}

/// Stores months as their parts (encoded and decoded) and reads them back with the history's ordinals.
fn stored(h: &EnterpriseHistory, months: &BTreeMap<Month, CheckHistory>) -> BTreeMap<Month, CheckHistory> {
    let part = |rows| decode(&encode(&h.month_part(rows))).unwrap();
    months.iter().map(|(m, rows)| (*m, h.from_month_part(&part(rows)))).collect()
}

fn same(full: &EnterpriseHistory, split: &EnterpriseHistory, older: &CheckHistory, rng: &mut fastrand::Rng) {
    assert!(split.checks.rows.iter().all(|r| r.at >= split.resident_from));
    assert!(older.rows.iter().all(|r| r.at < split.resident_from));
    for _ in 0..40 {
        let t = utc("2025-08-01 00:00:00") + TimeDelta::hours(rng.i64(0..24 * 600));
        let (a, b) = (view(full, None, t), view(split, Some(older), t));
        assert_eq!(a.to_vec(), b.to_vec(), "at {t}");
        for task in 0..full.task_ids.len() as u32 {
            let start = t.and_utc().timestamp() - rng.i64(0..86_400 * 120);
            let end = start + rng.i64(1..86_400 * 40);
            assert_eq!(a.of_task(task).any_done(start, end), b.of_task(task).any_done(start, end));
        }
    }
}

#[test]
fn resident_months_and_stored_months_together_are_the_whole_history() {
    for seed in 0..12 {
        let mut rng = fastrand::Rng::with_seed(seed);
        let all = versions(seed);
        let full = history(&all);
        let mut split = full.clone();
        let cut = month_start(202601 + rng.i32(0..9));
        let moved = split.split_before(cut);
        let months = stored(&split, &moved);
        assert!(split.split_before(cut).is_empty(), "a second split moves nothing");
        let older = merge(&months.values().cloned().collect::<Vec<_>>(), |_| true);
        same(&full, &split, &older, &mut rng);
    }
}

#[test]
fn a_fold_patches_the_stored_months_it_reaches() {
    let mut back_dated = 0;
    for seed in 0..12 {
        let mut rng = fastrand::Rng::with_seed(100 + seed);
        let all = versions(seed);
        let k = rng.usize(all.len() / 2..all.len());
        let full = history(&all);
        let mut split = history(&all[..k]);
        // The resident months start one or two months before the first new receipt: new versions reach before them.
        let cut = month_start(add_months(month_of_time(all[k].received), -rng.i32(1..3)));
        let moved = split.split_before(cut);
        let mut months = stored(&split, &moved);
        let new = &all[k..];
        let ids: Vec<&str> = new.iter().map(|v| v.id.as_str()).collect();
        let old: Vec<CheckVersion> = all[..k].iter().filter(|v| ids.contains(&v.id.as_str())).cloned().collect();
        let changed = split.fold_checks(&old, new);
        back_dated += changed.came.len();
        for m in changed.months() {
            let before = months.remove(&m).unwrap_or_default();
            months.insert(m, changed.apply(m, &before));
        }
        assert!(split.checks.rows.iter().all(|r| r.at >= cut), "back-dated rows go to their months");
        let months = stored(&split, &months);
        let older = merge(&months.values().cloned().collect::<Vec<_>>(), |_| true);
        same(&full, &split, &older, &mut rng);
    }
    assert!(back_dated > 20, "the worlds fold rows into stored months: {back_dated}");
}
