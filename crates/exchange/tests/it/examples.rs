//! One complete valid example per table, every optional field filled, with the typed record it must give.

use crate::{COMPANY, ctx, utc};
use chrono::{NaiveDate, NaiveTime};
use domain::enums::*;
use domain::records::*;
use domain::{CompanyCode, ExchangeTable};
use exchange::{to_wire, validate_record};
use serde_json::{Value, json};

const ID: &str = "6f1c2a7e-0b3d-4e5f-8a9b-0c1d2e3f4a5b";
const PARENT: &str = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";

fn wire(body: Value) -> Value {
    let mut v = json!({
        "id": ID, "companyCode": COMPANY, "deleted": "0",
        "createDate": "2026-04-30 08:00:00", "createBy": "张三",
        "updateDate": "20260430083000", "updateBy": "李四",
        "tyshxydm": "91110000710925462X",
    });
    v.as_object_mut().unwrap().extend(body.as_object().unwrap().clone());
    v
}

fn common() -> Common {
    Common {
        id: ID.into(),
        company_code: CompanyCode::parse(COMPANY).unwrap(),
        deleted: false,
        create_date: utc("2026-04-30 00:00:00"),
        create_by: "张三".into(),
        update_date: utc("2026-04-30 00:30:00"),
        update_by: "李四".into(),
        credit_code: Some("91110000710925462X".into()),
        extra: None,
    }
}

/// Validates the example, compares it with the expected body, and checks that writing it back gives the same record.
fn check(table: ExchangeTable, body: Value, expected: Body) {
    let sent = wire(body);
    let record = validate_record(table, 0, &sent, &ctx()).unwrap_or_else(|e| panic!("{table}: {e:?}"));
    assert_eq!(record, Record { common: common(), body: expected }, "{table}");
    assert_eq!(validate_record(table, 0, &to_wire(&record), &ctx()).unwrap(), record, "{table} written back");
}

#[test]
fn hazard_source() {
    let person = json!({"name": "王五", "phone": "13800000000", "post": "总经理"});
    let body = json!({"hazardCode": "HZ-140100001-01", "hazardName": "液氯储罐区", "hazardLevel": "1",
        "responsiblePerson": person, "technicalPerson": {"name": "赵六"}, "operationPerson": {"name": "钱七", "phone": null}});
    check(
        ExchangeTable::HazardSource,
        body,
        Body::HazardSource(HazardSource {
            hazard_code: "HZ-140100001-01".into(),
            hazard_name: "液氯储罐区".into(),
            hazard_level: HazardLevel::One,
            responsible_person: Some(r#"{"name":"王五","phone":"13800000000","post":"总经理"}"#.into()),
            technical_person: Some(r#"{"name":"赵六"}"#.into()),
            operation_person: Some(r#"{"name":"钱七","phone":null}"#.into()),
        }),
    );
}

#[test]
fn risk_unit() {
    let body = json!({"hazardCode": "HZ-140100001-01", "hazardDep": "生产部", "hazardLiablePerson": "赵六",
        "riskUnitName": "液氯储罐", "riskClass": 2});
    check(
        ExchangeTable::RiskUnit,
        body,
        Body::RiskUnit(RiskUnit {
            hazard_code: "HZ-140100001-01".into(),
            hazard_dep: "生产部".into(),
            hazard_liable_person: "赵六".into(),
            risk_unit_name: "液氯储罐".into(),
            risk_class: Some(RiskClass::Large),
        }),
    );
}

#[test]
fn risk_event() {
    let body = json!({"riskUnitId": PARENT, "riskEventName": "储罐泄漏", "riskDescription": "法兰垫片老化导致泄漏"});
    check(
        ExchangeTable::RiskEvent,
        body,
        Body::RiskEvent(RiskEvent {
            risk_unit_id: PARENT.into(),
            risk_event_name: "储罐泄漏".into(),
            risk_description: Some("法兰垫片老化导致泄漏".into()),
        }),
    );
}

#[test]
fn control_measure() {
    let body = json!({"riskEventId": PARENT, "dataSrc": "2", "riskMeasureDesc": "液位计远传报警", "classify1": 1,
        "classify2": "1-4", "classify3": "液位", "troubleshootContent": "检查液位计读数与报警"});
    check(
        ExchangeTable::ControlMeasure,
        body,
        Body::ControlMeasure(ControlMeasure {
            risk_event_id: PARENT.into(),
            data_src: DataSrc::Inspection,
            risk_measure_desc: "液位计远传报警".into(),
            classify1: Classify1::Engineering,
            classify2: Classify2::parse("1-4").unwrap(),
            classify3: Some("液位".into()),
            troubleshoot_content: "检查液位计读数与报警".into(),
        }),
    );
}

#[test]
fn check_task() {
    let body = json!({"riskMeasureId": PARENT, "troubleshootContent": "巡检液位计", "checkCycle": "0.5",
        "checkCycleUnit": "小时", "taskStartTime": "2026-04-01 08:00:00", "workStartTime": "8:00:00",
        "workEndTime": "17:30", "workDayType": "1", "workType": 3, "taskNum": "10"});
    check(
        ExchangeTable::CheckTask,
        body,
        Body::CheckTask(CheckTask {
            risk_measure_id: PARENT.into(),
            troubleshoot_content: "巡检液位计".into(),
            check_cycle: Cycle { hundredths: 50 },
            check_cycle_unit: CycleUnit::Hour,
            task_start_time: utc("2026-04-01 00:00:00"),
            work_start_time: NaiveTime::from_hms_opt(8, 0, 0),
            work_end_time: NaiveTime::from_hms_opt(17, 30, 0),
            work_day_type: WorkDayType::WorkingDays,
            work_type: WorkType::Operational,
            task_num: Some(10),
        }),
    );
}

#[test]
fn check_record() {
    let body = json!({"checkTaskId": PARENT, "checkTime": "20260430100000", "checkStatus": 1,
        "mobileMe": "860000000000001", "isDefend": "1"});
    check(
        ExchangeTable::CheckRecord,
        body,
        Body::CheckRecord(CheckRecord {
            check_task_id: PARENT.into(),
            check_time: utc("2026-04-30 02:00:00"),
            check_status: CheckStatus::HazardFound,
            mobile_me: Some("860000000000001".into()),
            is_defend: Some(true),
        }),
    );
}

#[test]
fn danger() {
    let body = json!({"hazardCode": "HZ-140100001-01", "dangerName": "液位计失灵", "dangerLevel": "1",
        "registTime": "2026-04-20 10:00:00", "registrant": "张三", "dangerSrc": 9, "dangerManageType": "1",
        "hazardDangerType": "4", "dangerDesc": "液位计读数异常", "liablePerson": "赵六", "dangerState": "9",
        "dangerManageDeadline": "2026-04-25", "hazardCategory": "3", "riskMeasureId": PARENT,
        "checkRecordId": ID, "dangerReason": "仪表老化", "controlMeasures": "加强人工巡检", "cost": 0.5,
        "checkAcceptPerson": "钱七", "checkAcceptTime": "2026-04-24 16:00:00", "checkAcceptComment": "已更换，合格"});
    check(
        ExchangeTable::Danger,
        body,
        Body::Danger(Danger {
            hazard_code: "HZ-140100001-01".into(),
            danger_name: "液位计失灵".into(),
            danger_level: DangerLevel::Major,
            regist_time: utc("2026-04-20 02:00:00"),
            registrant: "张三".into(),
            danger_src: DangerSrc::MeasureFailure,
            danger_manage_type: DangerManageType::Deadline,
            hazard_danger_type: HazardDangerType::Instrument,
            danger_desc: "液位计读数异常".into(),
            liable_person: "赵六".into(),
            danger_state: DangerState::Accepted,
            manage_deadline: Some(Deadline::Date(NaiveDate::from_ymd_opt(2026, 4, 25).unwrap())),
            hazard_category: Some(HazardCategory::Operational),
            risk_measure_id: Some(PARENT.into()),
            check_record_id: Some(ID.into()),
            danger_reason: Some("仪表老化".into()),
            control_measures: Some("加强人工巡检".into()),
            cost: Some("0.5".into()),
            check_accept_person: Some("钱七".into()),
            check_accept_time: Some(utc("2026-04-24 08:00:00")),
            check_accept_comment: Some("已更换，合格".into()),
        }),
    );
}

#[test]
fn unit_stop() {
    let body = json!({"riskUnitId": PARENT, "stopStartTime": "2026-04-10 08:00:00",
        "stopEndTime": "2026-04-12 18:00:00", "stopReason": "年度检修"});
    check(
        ExchangeTable::UnitStop,
        body,
        Body::UnitStop(UnitStop {
            risk_unit_id: PARENT.into(),
            stop_start_time: utc("2026-04-10 00:00:00"),
            stop_end_time: Some(utc("2026-04-12 10:00:00")),
            stop_reason: "年度检修".into(),
        }),
    );
}

#[test]
fn unknown_fields_come_back_on_the_wire() {
    let mut sent = wire(json!({"checkTaskId": PARENT, "checkTime": "2026-04-30 10:00:00", "checkStatus": "0"}));
    sent["createByMobile"] = json!("13800000000");
    sent["attachments1"] = json!(["https://example.invalid/a.png"]);
    let record = validate_record(ExchangeTable::CheckRecord, 0, &sent, &ctx()).unwrap();
    let extra: Value = serde_json::from_str(record.common.extra.as_deref().unwrap()).unwrap();
    assert_eq!(extra, json!({"attachments1": ["https://example.invalid/a.png"], "createByMobile": "13800000000"}));
    let back = to_wire(&record);
    assert_eq!(back["createByMobile"], "13800000000");
    assert_eq!(back["checkTime"], "2026-04-30 10:00:00");
    assert_eq!(back["updateDate"], "2026-04-30 08:30:00");
    assert_eq!(back["checkStatus"], "0");
}
