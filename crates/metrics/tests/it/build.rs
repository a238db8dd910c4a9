//! Builders of small snapshots for hand-computed cases. Times are local (Asia/Shanghai) in the builders' arguments.

use chrono::{NaiveDate, NaiveDateTime};
use domain::CompanyCode;
use domain::enums::*;
use domain::records::{Cycle, Deadline};
use domain::snapshot::*;

/// A local time `yyyy-MM-dd HH:mm:ss` as UTC.
pub fn l(s: &str) -> NaiveDateTime {
    domain::time::local_to_utc(NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap())
}

/// A local date.
pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A life created long ago, optionally deleted at a local time.
pub fn life(deleted: Option<&str>) -> Life {
    Life { created: l("2026-01-01 00:00:00"), deleted: deleted.map(l) }
}

/// A snapshot builder.
pub struct B(pub EnterpriseSnapshot);

impl B {
    /// An enterprise with one hazard source `HZ`.
    pub fn new(code: &str) -> B {
        let mut s = EnterpriseSnapshot::empty(CompanyCode::parse(code).unwrap());
        s.hazards.push(HazardRow { hazard_code: "HZ".into(), life: life(None) });
        B(s)
    }
    /// A unit.
    pub fn unit(mut self, id: &str, class: Option<RiskClass>, deleted: Option<&str>) -> B {
        self.0.units.push(UnitRow { id: id.into(), hazard_code: "HZ".into(), risk_class: class, life: life(deleted) });
        self
    }
    /// An event of a unit.
    pub fn event(mut self, id: &str, unit: &str, deleted: Option<&str>) -> B {
        self.0.events.push(EventRow { id: id.into(), unit_id: unit.into(), life: life(deleted) });
        self
    }
    /// A measure of an event.
    pub fn measure(mut self, id: &str, event: &str, src: DataSrc, deleted: Option<&str>) -> B {
        self.0.measures.push(MeasureRow { id: id.into(), event_id: event.into(), data_src: src, life: life(deleted) });
        self
    }
    /// A task of a measure: cycle in hundredths of `unit`, starting at a local time.
    #[expect(clippy::too_many_arguments, reason = "a test builder mirrors the record's fields")]
    pub fn task(
        mut self,
        id: &str,
        measure: &str,
        start: &str,
        cycle: u32,
        unit: CycleUnit,
        work: WorkType,
        deleted: Option<&str>,
    ) -> B {
        self.0.tasks.push(TaskRow {
            id: id.into(),
            measure_id: measure.into(),
            start: l(start),
            cycle: Cycle { hundredths: cycle },
            unit,
            work_hours: None,
            work_day_type: WorkDayType::EveryDay,
            work_type: work,
            life: life(deleted),
        });
        self
    }
    /// A check of a task at a local time.
    pub fn check(mut self, task: &str, at: &str, status: CheckStatus) -> B {
        let index = self.0.tasks.iter().position(|t| t.id == task).expect("the task is added before its checks");
        let at = epoch_secs(l(at)).expect("a time after 1970");
        self.0.checks.push(CheckRow { task: index as u32, at, status, late: false });
        self
    }
    /// A danger.
    pub fn danger(
        mut self,
        id: &str,
        level: DangerLevel,
        regist: &str,
        deadline: Option<Deadline>,
        accepted: Option<&str>,
    ) -> B {
        let manage = if deadline.is_some() { DangerManageType::Deadline } else { DangerManageType::Immediate };
        self.0.dangers.push(DangerRow {
            id: id.into(),
            level,
            manage_type: manage,
            regist_time: l(regist),
            deadline,
            state: if accepted.is_some() { DangerState::Accepted } else { DangerState::Rectifying },
            accept_time: accepted.map(l),
            first_received: l(regist),
        });
        self
    }
    /// A stop of a unit between local times.
    pub fn stop(mut self, unit: &str, from: &str, to: Option<&str>) -> B {
        self.0.stops.push(StopRow { unit_id: unit.into(), start: l(from), end: to.map(l) });
        self
    }
}
