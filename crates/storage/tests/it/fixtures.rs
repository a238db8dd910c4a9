//! Small hand-made domain records for storage tests.

use chrono::{NaiveDateTime, NaiveTime};
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

/// Records of every table with every optional field given (and one deleted), parents first, so that reading a
/// version back is tested field for field.
pub fn full_records(company: &str) -> Vec<Record> {
    let mut h = hazard(company, "h1", "HZ-1", "2026-11-01 00:00:00");
    h.common.credit_code = Some("91140100MA0K0A0A0A".into());
    h.common.extra = Some(r#"{"备注":"额外","n":1}"#.into());
    if let Body::HazardSource(b) = &mut h.body {
        b.responsible_person = Some(r#"{"name":"张三","phone":"13800000000","post":"主任"}"#.into());
        b.technical_person = Some(r#"{"name":"李四"}"#.into());
        b.operation_person = Some(r#"{"name":"王五"}"#.into());
    }
    let u = unit(company, "u1", "HZ-1", "2026-11-01 00:00:00");
    let mut e = event(company, "e1", "u1", "2026-11-01 00:00:00");
    if let Body::RiskEvent(b) = &mut e.body {
        b.risk_description = Some("可能泄漏 😀".into());
    }
    let mut m = measure(company, "m1", "e1", "2026-11-01 00:00:00");
    if let Body::ControlMeasure(b) = &mut m.body {
        b.classify1 = Classify1::Maintenance;
        b.classify2 = Classify2::parse("2-3").unwrap();
        b.classify3 = Some("其他".into());
    }
    let mut k = task(company, "k1", "m1", "2026-11-01 00:00:00");
    if let Body::CheckTask(b) = &mut k.body {
        b.check_cycle = Cycle { hundredths: 250 };
        b.check_cycle_unit = CycleUnit::Hour;
        b.work_start_time = NaiveTime::from_hms_opt(8, 30, 0);
        b.work_end_time = NaiveTime::from_hms_opt(17, 30, 15);
        b.work_day_type = WorkDayType::WorkingDays;
        b.work_type = WorkType::Operational;
        b.task_num = Some(7);
    }
    let mut c1 = check(company, "c1", "k1", "2026-11-01 00:00:00");
    if let Body::CheckRecord(b) = &mut c1.body {
        b.mobile_me = Some("IMEI-1".into());
        b.is_defend = Some(true);
    }
    let mut c2 = check(company, "c2", "k1", "2026-11-01 00:00:00");
    if let Body::CheckRecord(b) = &mut c2.body {
        b.is_defend = Some(false);
    }
    c2.common.deleted = true;
    let d1 = danger(company, "d1", Some(Deadline::Date(t("2026-12-01 00:00:00").date())));
    let d2 = danger(company, "d2", Some(Deadline::At(t("2026-12-01 03:00:00"))));
    let d3 = danger(company, "d3", None);
    let s = Record {
        common: common(company, "s1", "2026-11-01 00:00:00"),
        body: Body::UnitStop(UnitStop {
            risk_unit_id: id("u1"),
            stop_start_time: t("2026-11-02 00:00:00"),
            stop_end_time: Some(t("2026-11-03 00:00:00")),
            stop_reason: "检修".into(),
        }),
    };
    vec![h, u, e, m, k, c1, c2, d1, d2, d3, s]
}

/// A danger naming the hazard source, the measure and a check record, with every optional field.
pub fn danger(company: &str, name: &str, deadline: Option<Deadline>) -> Record {
    Record {
        common: common(company, name, "2026-11-01 00:00:00"),
        body: Body::Danger(Danger {
            hazard_code: "HZ-1".into(),
            danger_name: "法兰泄漏".into(),
            danger_level: DangerLevel::ALL[1],
            regist_time: t("2026-11-01 01:00:00"),
            registrant: "赵六".into(),
            danger_src: DangerSrc::ALL[0],
            danger_manage_type: DangerManageType::ALL[1],
            hazard_danger_type: HazardDangerType::ALL[0],
            danger_desc: "描述".into(),
            liable_person: "钱七".into(),
            danger_state: DangerState::ALL[1],
            manage_deadline: deadline,
            hazard_category: Some(HazardCategory::ALL[0]),
            risk_measure_id: Some(id("m1")),
            check_record_id: Some(id("c1")),
            danger_reason: Some("老化".into()),
            control_measures: Some("更换".into()),
            cost: Some("1200.50".into()),
            check_accept_person: Some("孙八".into()),
            check_accept_time: Some(t("2026-11-05 00:00:00")),
            check_accept_comment: Some("合格".into()),
        }),
    }
}
