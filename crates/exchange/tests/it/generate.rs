//! A generator of random valid records of every table (deterministic: splitmix64), for the round-trip property.

use crate::{COMPANY, now, utc};
use chrono::{NaiveDateTime, NaiveTime, TimeDelta};
use domain::enums::*;
use domain::records::*;
use domain::time::local_date;
use domain::{CompanyCode, ExchangeTable};
use serde_json::{Map, Value, json};

/// A deterministic random source.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn coin(&mut self) -> bool {
        self.next() & 1 == 0
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
    fn maybe<T>(&mut self, f: impl FnOnce(&mut Rng) -> T) -> Option<T> {
        if self.coin() { Some(f(self)) } else { None }
    }

    /// An id: 32 hex digits or the 36-character form, in either case.
    pub fn id(&mut self) -> String {
        let h = format!("{:016x}{:016x}", self.next(), self.next());
        let h = if self.below(4) == 0 { h.to_uppercase() } else { h };
        if self.coin() { h } else { format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..]) }
    }

    /// A text of 1..=max characters, not blank, mixing ASCII, CJK, rare CJK, emoji, spaces, tabs and newlines.
    pub fn text(&mut self, max: usize) -> String {
        const PIECES: [&str; 16] =
            ["a", "Z", "7", "-", "液", "氯", "罐", "𠀋", "𪚥", "😀", "👨‍👩‍👧", " ", "\t", "\n", "\u{3000}", "é"];
        let n = 1 + self.below(max.min(40) as u64) as usize;
        let mut s = String::from(self.pick(&["张", "A", "𠀋", "😀"]));
        let mut count = 1;
        while count < n {
            let piece = self.pick(&PIECES);
            let len = piece.chars().count();
            if count + len > max {
                break;
            }
            s.push_str(piece);
            count += len;
        }
        s
    }

    /// A UTC time in whole seconds between 2021 and the receive time (+ up to the 10 minutes allowed).
    pub fn time(&mut self) -> NaiveDateTime {
        let start = utc("2021-01-01 00:00:00");
        let span = (now() - start).num_seconds() + 600;
        start + TimeDelta::seconds(self.below(span as u64) as i64)
    }

    /// A time between `from` and the receive time.
    fn time_after(&mut self, from: NaiveDateTime) -> NaiveDateTime {
        let span = (now() - from).num_seconds().max(0) + 1;
        from + TimeDelta::seconds(self.below(span as u64) as i64)
    }

    fn time_of_day(&mut self) -> NaiveTime {
        NaiveTime::from_num_seconds_from_midnight_opt(self.below(86_400) as u32, 0).unwrap_or_default()
    }

    fn code<E: Copy>(&mut self, all: &[E]) -> E {
        self.pick(all)
    }

    /// A person object as compact JSON (members in the map's order).
    fn person(&mut self) -> String {
        let mut m = Map::new();
        m.insert("name".into(), Value::from(self.text(10)));
        if self.coin() {
            m.insert("phone".into(), Value::from(format!("138{:08}", self.below(100_000_000))));
        }
        if self.coin() {
            m.insert("post".into(), Value::from(self.text(10)));
        }
        if self.below(4) == 0 {
            m.insert("duty".into(), json!([1, "包保"]));
        }
        serde_json::to_string(&m).unwrap()
    }

    /// Members the contract does not define, as compact JSON.
    fn extra(&mut self) -> String {
        let mut m = Map::new();
        for _ in 0..1 + self.below(3) {
            let key = self.pick(&["createByMobile", "attachments1", "remark", "hazardCode1", "x_y"]);
            let value = match self.below(5) {
                0 => Value::Null,
                1 => Value::from(self.text(12)),
                2 => json!(self.below(1000)),
                3 => json!([self.text(5), 2.5, true]),
                _ => json!({"k": self.text(5)}),
            };
            m.insert(key.into(), value);
        }
        serde_json::to_string(&m).unwrap()
    }
}

fn common(rng: &mut Rng) -> Common {
    Common {
        id: rng.id(),
        company_code: CompanyCode::parse(COMPANY).unwrap(),
        deleted: rng.coin(),
        create_date: rng.time(),
        create_by: rng.text(30),
        update_date: rng.time(),
        update_by: rng.text(30),
        credit_code: rng.maybe(|r| r.pick(&["91110000710925462X", "9111000071093123XX"]).to_owned()),
        extra: if rng.below(3) == 0 { Some(rng.extra()) } else { None },
    }
}

fn check_task(rng: &mut Rng) -> CheckTask {
    let unit = rng.code(&CycleUnit::ALL);
    let mut hundredths = 1 + rng.below(10_000_000) as u32;
    if unit.is_calendar() || rng.coin() {
        hundredths = (hundredths / 100).max(1) * 100;
    }
    let start = rng.time_of_day();
    let end = start + TimeDelta::seconds(1 + rng.below(86_399) as i64);
    let hours = unit == CycleUnit::Hour || rng.coin();
    let work_type = rng.code(WorkType::ALL);
    let task_num = match work_type.max_task_num() {
        Some(max) => Some(1 + rng.below(u64::from(max)) as u8),
        None => rng.maybe(|r| 1 + r.below(10) as u8),
    };
    CheckTask {
        risk_measure_id: rng.id(),
        troubleshoot_content: rng.text(1000),
        check_cycle: Cycle { hundredths },
        check_cycle_unit: unit,
        task_start_time: rng.time(),
        work_start_time: hours.then_some(start),
        work_end_time: hours.then_some(end),
        work_day_type: rng.code(WorkDayType::ALL),
        work_type,
        task_num,
    }
}

fn danger(rng: &mut Rng) -> Danger {
    let regist = rng.time();
    let manage_type = rng.code(DangerManageType::ALL);
    let state = rng.code(DangerState::ALL);
    let accepted = state == DangerState::Accepted;
    let deadline = if manage_type == DangerManageType::Deadline || rng.coin() {
        let later = regist + TimeDelta::seconds(rng.below(400 * 86_400) as i64);
        Some(if rng.coin() { Deadline::Date(local_date(later)) } else { Deadline::At(later) })
    } else {
        None
    };
    Danger {
        hazard_code: rng.text(36),
        danger_name: rng.text(300),
        danger_level: rng.code(DangerLevel::ALL),
        regist_time: regist,
        registrant: rng.text(20),
        danger_src: rng.code(DangerSrc::ALL),
        danger_manage_type: manage_type,
        hazard_danger_type: rng.code(HazardDangerType::ALL),
        danger_desc: rng.text(500),
        liable_person: rng.text(20),
        danger_state: state,
        manage_deadline: deadline,
        hazard_category: rng.maybe(|r| r.code(HazardCategory::ALL)),
        risk_measure_id: rng.maybe(Rng::id),
        check_record_id: rng.maybe(Rng::id),
        danger_reason: rng.maybe(|r| r.text(100)),
        control_measures: rng.maybe(|r| r.text(100)),
        cost: rng.maybe(|r| if r.coin() { format!("{}.{}", r.below(100), r.below(10)) } else { r.text(10) }),
        check_accept_person: if accepted || rng.coin() { Some(rng.text(20)) } else { None },
        check_accept_time: if accepted || rng.coin() { Some(rng.time_after(regist)) } else { None },
        check_accept_comment: rng.maybe(|r| r.text(100)),
    }
}

/// A random valid record of `table`.
pub fn record(rng: &mut Rng, table: ExchangeTable) -> Record {
    let common = common(rng);
    let body = match table {
        ExchangeTable::HazardSource => Body::HazardSource(HazardSource {
            hazard_code: rng.text(36),
            hazard_name: rng.text(100),
            hazard_level: rng.code(HazardLevel::ALL),
            responsible_person: rng.maybe(Rng::person),
            technical_person: rng.maybe(Rng::person),
            operation_person: rng.maybe(Rng::person),
        }),
        ExchangeTable::RiskUnit => Body::RiskUnit(RiskUnit {
            hazard_code: rng.text(36),
            hazard_dep: rng.text(200),
            hazard_liable_person: rng.text(20),
            risk_unit_name: rng.text(200),
            risk_class: rng.maybe(|r| r.code(RiskClass::ALL)),
        }),
        ExchangeTable::RiskEvent => Body::RiskEvent(RiskEvent {
            risk_unit_id: rng.id(),
            risk_event_name: rng.text(500),
            risk_description: rng.maybe(|r| r.text(200)),
        }),
        ExchangeTable::ControlMeasure => {
            let classify1 = rng.code(Classify1::ALL);
            let codes: Vec<&str> = Classify2::all()
                .iter()
                .map(|(c, _)| *c)
                .filter(|c| c.starts_with(&classify1.code().to_string()))
                .collect();
            Body::ControlMeasure(ControlMeasure {
                risk_event_id: rng.id(),
                data_src: rng.code(DataSrc::ALL),
                risk_measure_desc: rng.text(4000),
                classify1,
                classify2: Classify2::parse(rng.pick(&codes)).unwrap(),
                classify3: rng.maybe(|r| r.text(100)),
                troubleshoot_content: rng.text(200),
            })
        }
        ExchangeTable::CheckTask => Body::CheckTask(check_task(rng)),
        ExchangeTable::CheckRecord => Body::CheckRecord(CheckRecord {
            check_task_id: rng.id(),
            check_time: rng.time(),
            check_status: rng.code(CheckStatus::ALL),
            mobile_me: rng.maybe(|r| format!("86{:013}", r.below(10_000_000_000_000))),
            is_defend: rng.maybe(Rng::coin),
        }),
        ExchangeTable::Danger => Body::Danger(danger(rng)),
        ExchangeTable::UnitStop => {
            let start = rng.time();
            Body::UnitStop(UnitStop {
                risk_unit_id: rng.id(),
                stop_start_time: start,
                stop_end_time: rng.maybe(|r| r.time_after(start)),
                stop_reason: rng.text(200),
            })
        }
    };
    Record { common, body }
}
