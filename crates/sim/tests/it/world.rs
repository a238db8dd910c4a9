//! The generated world: determinism, validity of every record, and the variety the figures need.

use crate::{day, small, start};
use domain::ExchangeTable;
use domain::enums::{CheckStatus, CycleUnit, DangerLevel, DangerManageType, DangerState, RiskClass, WorkType};
use domain::records::{Body, Deadline, Record};
use exchange::{Context, to_wire, validate_record};
use sim::{SimConfig, Size, World};
use std::collections::{BTreeSet, HashMap, HashSet};

fn all(world: &World) -> Vec<(ExchangeTable, &Record)> {
    let mut out = Vec::new();
    for c in world.companies() {
        for t in ExchangeTable::ALL {
            out.extend(world.records(c, t).iter().map(|r| (t, r)));
        }
    }
    out
}

#[test]
fn same_seed_same_world_other_seed_other_world() {
    let a = World::generate(&small(6, 7));
    let b = World::generate(&small(6, 7));
    let c = World::generate(&small(6, 8));
    let wire = |w: &World| all(w).iter().map(|(_, r)| to_wire(r)).collect::<Vec<_>>();
    assert_eq!(wire(&a), wire(&b));
    assert_ne!(wire(&a), wire(&c));
    assert_eq!(a.totals(), b.totals());
}

/// Validates every version of a world against a context at its end, and checks the order of each table.
fn assert_valid(world: &World) {
    let mut n = 0;
    for c in world.companies() {
        let ctx = Context::new(c.clone(), world.end());
        for t in ExchangeTable::ALL {
            let versions = world.records(c, t);
            for (i, r) in versions.iter().enumerate() {
                let back = validate_record(t, i, &to_wire(r), &ctx).unwrap_or_else(|e| panic!("{t} {r:?}: {e:?}"));
                assert_eq!(&back, r);
                assert!(r.common.update_date <= world.end() && r.common.create_date <= r.common.update_date);
                n += 1;
            }
            let keys: Vec<_> = versions.iter().map(|r| (r.common.update_date, &r.common.id)).collect();
            assert!(keys.windows(2).all(|w| w[0] < w[1]), "{t} of {c} is not ordered by (updateDate, id)");
        }
    }
    assert_eq!(n as u64, world.totals().versions());
}

#[test]
fn every_record_validates_and_round_trips() {
    // Faulty enterprises too: out-of-order ones have data of their own.
    let world = World::generate(&SimConfig::for_registry(40, 11, start(), day(30, 10), Size::Small, 0.5));
    assert!(world.profiles().any(|p| p.fault == Some(sim::Fault::OutOfOrder)));
    assert_valid(&world);
}

#[test]
fn parents_exist_and_come_first() {
    let world = World::generate(&small(20, 3));
    for c in world.companies() {
        let mut first_seen: HashMap<(ExchangeTable, String), chrono::NaiveDateTime> = HashMap::new();
        for t in ExchangeTable::ALL {
            for r in world.records(c, t) {
                first_seen.entry((t, r.key().to_owned())).or_insert(r.common.update_date);
            }
        }
        for t in ExchangeTable::ALL {
            for r in world.records(c, t) {
                for (p, key) in r.parents() {
                    let seen = first_seen.get(&(p.table, key.to_owned()));
                    let seen = seen.unwrap_or_else(|| panic!("{t} {} names an unknown {} {key}", r.common.id, p.table));
                    assert!(
                        *seen <= r.common.update_date + chrono::TimeDelta::hours(48),
                        "{t} {} before its parent",
                        r.common.id
                    );
                }
            }
        }
    }
}

#[test]
fn completion_spreads_across_enterprises_and_cities() {
    let cfg = SimConfig::for_registry(176, 5, start(), day(3, 0), Size::Small, 0.0);
    let world = World::generate(&cfg);
    let p: Vec<f64> = world.profiles().map(|p| p.completion).collect();
    let (lo, hi) = p.iter().fold((1.0f64, 0.0f64), |(a, b), x| (a.min(*x), b.max(*x)));
    assert!(lo < 0.65 && hi > 0.95, "completion from {lo} to {hi}");
    let mut by_city: HashMap<domain::City, Vec<f64>> = HashMap::new();
    for pr in world.profiles() {
        by_city.entry(pr.city).or_default().push(pr.completion);
    }
    let means: Vec<f64> = by_city.values().map(|v| v.iter().sum::<f64>() / v.len() as f64).collect();
    let spread = means.iter().cloned().fold(f64::MIN, f64::max) - means.iter().cloned().fold(f64::MAX, f64::min);
    assert!(spread > 0.1, "city means spread only {spread}");
}

#[test]
fn realised_check_counts_follow_the_enterprise_completion() {
    // Per enterprise: check records per planned (non-deleted) task; diligent enterprises have more.
    let world = World::generate(&small(60, 21));
    let mut pairs: Vec<(f64, f64)> = Vec::new();
    for c in world.companies() {
        let done = world.records(c, ExchangeTable::CheckRecord).iter().filter(|r| !r.common.deleted).count() as f64;
        let tasks = world.records(c, ExchangeTable::CheckTask).len() as f64;
        pairs.push((world.profile(c).unwrap().completion, done / tasks.max(1.0)));
    }
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let third = pairs.len() / 3;
    let mean = |s: &[(f64, f64)]| s.iter().map(|p| p.1).sum::<f64>() / s.len() as f64;
    assert!(mean(&pairs[..third]) < mean(&pairs[pairs.len() - third..]));
}

#[test]
fn the_world_has_every_kind_of_record_the_figures_need() {
    let cfg = SimConfig::for_registry(30, 9, start(), day(75, 10), Size::Demo, 0.0);
    let world = World::generate(&cfg);
    assert_valid(&world);
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut danger_versions: HashMap<(String, String), Vec<&Record>> = HashMap::new();
    for (t, r) in all(&world) {
        if r.common.deleted {
            seen.insert(format!("deleted {t}"));
        }
        match &r.body {
            Body::RiskUnit(u) => {
                seen.insert(format!("class {:?}", u.risk_class.unwrap_or(RiskClass::Low)));
            }
            Body::ControlMeasure(m) => {
                seen.insert(format!("classify2 {}", m.classify2.code()));
                seen.insert(format!("dataSrc {}", m.data_src.code()));
            }
            Body::CheckTask(k) => {
                seen.insert(format!("unit {:?}", k.check_cycle_unit));
                seen.insert(format!("workDayType {}", k.work_day_type.code()));
                seen.insert(format!("workType {}", k.work_type.code()));
                if k.check_cycle.hundredths % 100 != 0 {
                    seen.insert("fractional cycle".into());
                }
                if k.work_start_time > k.work_end_time {
                    seen.insert("night hours".into());
                }
                if k.check_cycle_unit == CycleUnit::Month
                    && domain::time::utc_to_local(k.task_start_time).format("%d").to_string() == "31"
                {
                    seen.insert("month from the 31st".into());
                }
                if k.work_type != WorkType::Routine {
                    assert!(k.task_num.is_some_and(|n| n >= 1 && n <= k.work_type.max_task_num().unwrap()));
                }
            }
            Body::CheckRecord(c) => {
                seen.insert(format!("status {:?}", c.check_status));
            }
            Body::Danger(d) => {
                seen.insert(format!("level {:?}", d.danger_level));
                seen.insert(format!("manage {:?}", d.danger_manage_type));
                seen.insert(format!("state {:?}", d.danger_state));
                seen.insert(match d.manage_deadline {
                    Some(Deadline::Date(_)) => "deadline date".into(),
                    Some(Deadline::At(_)) => "deadline moment".into(),
                    None => "no deadline".into(),
                });
                danger_versions.entry((r.common.company_code.to_string(), r.common.id.clone())).or_default().push(r);
            }
            Body::UnitStop(s) => {
                seen.insert(if s.stop_end_time.is_some() { "stop ended".into() } else { "stop open".into() });
            }
            _ => {}
        }
    }
    // Rectification outcomes, judged on each danger's latest version at the world's end.
    for versions in danger_versions.values() {
        let last = versions.last().unwrap();
        let Body::Danger(d) = &last.body else { continue };
        let due = match d.manage_deadline {
            Some(Deadline::At(t)) => t,
            Some(Deadline::Date(x)) => domain::time::local_midnight_utc(x.succ_opt().unwrap()),
            None => domain::time::local_midnight_utc(domain::time::local_date(d.regist_time).succ_opt().unwrap()),
        };
        match (d.danger_state, d.check_accept_time) {
            (DangerState::Accepted, Some(a)) if a <= due => seen.insert("rectified on time".into()),
            (DangerState::Accepted, Some(_)) => seen.insert("rectified late".into()),
            _ if due < world.end() => seen.insert("overdue".into()),
            _ => seen.insert("open".into()),
        };
        if versions.len() > 1 && !last.common.deleted {
            let bodies: HashSet<String> = versions.iter().map(|r| format!("{:?}", r.body)).collect();
            if bodies.len() < versions.len() {
                seen.insert("resent unchanged".into());
            }
        }
    }
    let mut want: Vec<String> = [
        "deleted check_task",
        "deleted danger",
        "deleted check_record",
        "fractional cycle",
        "night hours",
        "month from the 31st",
        "stop ended",
        "stop open",
        "deadline date",
        "deadline moment",
        "no deadline",
        "rectified on time",
        "rectified late",
        "overdue",
        "resent unchanged",
        "dataSrc 1",
        "dataSrc 2",
    ]
    .map(String::from)
    .to_vec();
    want.extend(RiskClass::ALL.iter().map(|c| format!("class {c:?}")));
    want.extend(domain::enums::Classify2::all().iter().map(|(c, _)| format!("classify2 {c}")));
    want.extend(CycleUnit::ALL.iter().map(|u| format!("unit {u:?}")));
    want.extend((0..=2).map(|c| format!("workDayType {c}")));
    want.extend((0..=3).map(|c| format!("workType {c}")));
    want.extend(CheckStatus::ALL.iter().map(|s| format!("status {s:?}")));
    want.extend(DangerLevel::ALL.iter().map(|s| format!("level {s:?}")));
    want.extend(DangerManageType::ALL.iter().map(|s| format!("manage {s:?}")));
    want.extend(DangerState::ALL.iter().map(|s| format!("state {s:?}")));
    let missing: Vec<&String> = want.iter().filter(|w| !seen.contains(*w)).collect();
    assert!(missing.is_empty(), "missing: {missing:?}");
}

#[test]
fn advancing_extends_the_world_without_changing_it() {
    let cfg = small(8, 4);
    let mut early = World::generate(&SimConfig { end: day(12, 15), ..cfg.clone() });
    let before: HashMap<_, Vec<Record>> = early
        .companies()
        .flat_map(|c| ExchangeTable::ALL.map(|t| ((c.clone(), t), early.records(c, t).to_vec())))
        .collect();
    early.advance(day(30, 10));
    let full = World::generate(&cfg);
    assert_eq!(early.totals(), full.totals());
    for c in full.companies() {
        for t in ExchangeTable::ALL {
            assert_eq!(early.records(c, t), full.records(c, t), "{t} of {c}");
            let old = &before[&(c.clone(), t)];
            let kept: Vec<&Record> =
                full.records(c, t).iter().filter(|r| r.common.update_date <= day(12, 15)).collect();
            assert_eq!(kept, old.iter().collect::<Vec<_>>(), "{t} of {c} changed");
        }
    }
    assert!(full.totals().versions() > before.values().map(Vec::len).sum::<usize>() as u64);
}

#[test]
fn sizes_are_in_their_ranges() {
    let cfg = small(12, 1);
    let per = World::generate(&cfg).totals().versions() / 12;
    assert!((100..=600).contains(&per), "small: {per} versions per enterprise");
    let tiny =
        World::generate(&SimConfig { end: start().and_hms_opt(0, 0, 0).unwrap() - chrono::TimeDelta::days(1), ..cfg });
    assert_eq!(tiny.totals().versions(), 0);
}
