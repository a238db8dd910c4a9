//! Small hand-made domain records for storage tests.

use chrono::NaiveDateTime;
use domain::CompanyCode;
use domain::enums::*;
use domain::records::*;

/// A UTC time from `yyyy-MM-dd HH:mm:ss`.
pub fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

/// A one-record `batches` row of enterprise 140100001, pushed on 2026-11-20 (a row to write in transaction tests).
pub fn batch_row(id: &str) -> storage::batches::BatchRow {
    storage::batches::BatchRow {
        batch_id: id.into(),
        table_name: "check_record".into(),
        company_code: "140100001".into(),
        source: "push".into(),
        actor: "test".into(),
        received_at: t("2026-11-20 00:00:00"),
        received: 1,
        accepted: 1,
        unchanged: 0,
        pending: 0,
        rejected: 0,
    }
}

/// A 32-hex id from a short name.
pub fn id(name: &str) -> String {
    format!("{:0>32}", name.bytes().map(|b| format!("{b:02x}")).collect::<String>())[..32].to_owned()
}

/// The common fields of a record of `company`, updated at `updated`.
pub fn common(company: &str, name: &str, updated: &str) -> Common {
    Common {
        id: id(name),
        company_code: CompanyCode::parse(company).unwrap(),
        deleted: false,
        create_date: t("2026-01-01 00:00:00"),
        create_by: "张三".into(),
        update_date: t(updated),
        update_by: "李四".into(),
        credit_code: None,
        extra: None,
    }
}

/// A hazard source with a code.
pub fn hazard(company: &str, name: &str, code: &str, updated: &str) -> Record {
    Record {
        common: common(company, name, updated),
        body: Body::HazardSource(HazardSource {
            hazard_code: code.into(),
            hazard_name: "液氨储罐区".into(),
            hazard_level: HazardLevel::Two,
            responsible_person: None,
            technical_person: None,
            operation_person: None,
        }),
    }
}

/// A risk unit under a hazard code.
pub fn unit(company: &str, name: &str, hazard_code: &str, updated: &str) -> Record {
    Record {
        common: common(company, name, updated),
        body: Body::RiskUnit(RiskUnit {
            hazard_code: hazard_code.into(),
            hazard_dep: "生产部".into(),
            hazard_liable_person: "王五".into(),
            risk_unit_name: format!("单元{name}"),
            risk_class: Some(RiskClass::Major),
        }),
    }
}

/// A risk event under a unit.
pub fn event(company: &str, name: &str, unit: &str, updated: &str) -> Record {
    Record {
        common: common(company, name, updated),
        body: Body::RiskEvent(RiskEvent {
            risk_unit_id: id(unit),
            risk_event_name: format!("泄漏{name}"),
            risk_description: None,
        }),
    }
}

/// A check record of a task.
pub fn check(company: &str, name: &str, task: &str, updated: &str) -> Record {
    Record {
        common: common(company, name, updated),
        body: Body::CheckRecord(CheckRecord {
            check_task_id: id(task),
            check_time: t("2026-11-20 01:00:00"),
            check_status: CheckStatus::Normal,
            mobile_me: None,
            is_defend: None,
        }),
    }
}

/// A control measure (隐患排查) of an event.
pub fn measure(company: &str, name: &str, event: &str, updated: &str) -> Record {
    Record {
        common: common(company, name, updated),
        body: Body::ControlMeasure(ControlMeasure {
            risk_event_id: id(event),
            data_src: DataSrc::Inspection,
            risk_measure_desc: "巡检".into(),
            classify1: Classify1::Engineering,
            classify2: Classify2::parse("1-1").unwrap(),
            classify3: None,
            troubleshoot_content: "检查".into(),
        }),
    }
}

/// A daily task of a measure.
pub fn task(company: &str, name: &str, measure: &str, updated: &str) -> Record {
    Record {
        common: common(company, name, updated),
        body: Body::CheckTask(CheckTask {
            risk_measure_id: id(measure),
            troubleshoot_content: "检查".into(),
            check_cycle: Cycle { hundredths: 100 },
            check_cycle_unit: CycleUnit::Day,
            task_start_time: t("2026-11-01 00:00:00"),
            work_start_time: None,
            work_end_time: None,
            work_day_type: WorkDayType::EveryDay,
            work_type: WorkType::Routine,
            task_num: None,
        }),
    }
}
