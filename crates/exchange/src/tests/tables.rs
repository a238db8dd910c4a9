//! The rules of each table (`data-exchange.md` §2).

use super::{p, problems, run, with};
use crate::ErrorCode::*;
use domain::ExchangeTable::*;
use domain::enums::{CycleUnit, WorkDayType, WorkType};
use domain::records::{Body, Deadline};
use serde_json::json;

#[test]
fn hazard_source_levels_and_persons() {
    assert_eq!(problems(HazardSource, json!({"hazardLevel": 5})), p("hazardLevel", BadEnum));
    assert_eq!(problems(HazardSource, json!({"hazardCode": "H".repeat(37)})), p("hazardCode", TooLong));
    assert_eq!(problems(HazardSource, json!({"technicalPerson": "王五"})), p("technicalPerson", BadType));
    assert_eq!(
        problems(HazardSource, json!({"operationPerson": {"name": 5}})),
        vec![("$.operationPerson.name".to_owned(), BadType)]
    );
    let r = run(HazardSource, &with(HazardSource, json!({}))).unwrap();
    let Body::HazardSource(h) = r.body else { panic!() };
    assert_eq!(h.responsible_person.as_deref(), Some(r#"{"name":"王五","phone":"13800000000","post":"总经理"}"#));
}

#[test]
fn risk_unit_lengths_and_class() {
    assert_eq!(problems(RiskUnit, json!({"hazardDep": "部".repeat(201)})), p("hazardDep", TooLong));
    assert_eq!(problems(RiskUnit, json!({"riskUnitName": "名".repeat(201)})), p("riskUnitName", TooLong));
    assert_eq!(problems(RiskUnit, json!({"riskClass": null})), vec![]);
    assert_eq!(problems(RiskUnit, json!({"riskClass": 0})), p("riskClass", BadEnum));
}

#[test]
fn risk_event_names_its_unit() {
    assert_eq!(problems(RiskEvent, json!({"riskUnitId": null})), p("riskUnitId", MissingField));
    assert_eq!(problems(RiskEvent, json!({"riskUnitId": "unit-1"})), p("riskUnitId", BadFormat));
    assert_eq!(problems(RiskEvent, json!({"riskEventName": "事".repeat(501)})), p("riskEventName", TooLong));
}

#[test]
fn control_measure_classify2_belongs_to_classify1() {
    assert_eq!(problems(ControlMeasure, json!({"classify2": "2-1"})), p("classify2", Inconsistent));
    assert_eq!(problems(ControlMeasure, json!({"classify2": "1-6"})), p("classify2", BadEnum));
    assert_eq!(problems(ControlMeasure, json!({"classify2": 1})), p("classify2", BadType));
    assert_eq!(problems(ControlMeasure, json!({"classify1": "4", "classify2": "4-5"})), vec![]);
    assert_eq!(problems(ControlMeasure, json!({"dataSrc": 3})), p("dataSrc", BadEnum));
    assert_eq!(problems(ControlMeasure, json!({"classify3": "c".repeat(101)})), p("classify3", TooLong));
    assert_eq!(problems(ControlMeasure, json!({"riskMeasureDesc": "d".repeat(4001)})), p("riskMeasureDesc", TooLong));
}

#[test]
fn check_task_cycle() {
    let cycle = |v| {
        run(CheckTask, &with(CheckTask, json!({"checkCycle": v}))).map(|r| match r.body {
            Body::CheckTask(t) => t.check_cycle.hundredths,
            _ => 0,
        })
    };
    assert_eq!(cycle(json!(2.5)).ok(), Some(250));
    assert_eq!(cycle(json!("0.25")).ok(), Some(25));
    for bad in [json!(0), json!(-1), json!(1.234), json!("1.234"), json!("abc")] {
        assert_eq!(problems(CheckTask, json!({ "checkCycle": bad })), p("checkCycle", BadFormat), "{bad}");
    }
    assert_eq!(problems(CheckTask, json!({"checkCycle": true})), p("checkCycle", BadType));
    let monthly = json!({"checkCycleUnit": "月", "checkCycle": 1.5, "workStartTime": null, "workEndTime": null});
    assert_eq!(problems(CheckTask, monthly), p("checkCycle", Inconsistent));
    assert_eq!(problems(CheckTask, json!({"checkCycleUnit": "年", "checkCycle": "2.00"})), vec![]);
    assert_eq!(problems(CheckTask, json!({"checkCycleUnit": "分钟"})), p("checkCycleUnit", BadEnum));
}

#[test]
fn check_task_work_hours() {
    let r = run(CheckTask, &with(CheckTask, json!({}))).unwrap();
    let Body::CheckTask(t) = r.body else { panic!() };
    assert_eq!(
        (t.check_cycle_unit, t.work_day_type, t.work_type, t.task_num),
        (CycleUnit::Hour, WorkDayType::EveryDay, WorkType::Routine, None)
    );
    assert_eq!(t.work_start_time.map(|t| t.to_string()).as_deref(), Some("08:00:00"));
    assert_eq!(problems(CheckTask, json!({"workStartTime": null})), p("workStartTime", MissingField));
    assert_eq!(problems(CheckTask, json!({"workEndTime": ""})), p("workEndTime", MissingField));
    assert_eq!(problems(CheckTask, json!({"workEndTime": "8:00"})), p("workEndTime", Inconsistent));
    assert_eq!(problems(CheckTask, json!({"workEndTime": "25:00:00"})), p("workEndTime", BadFormat));
    assert_eq!(problems(CheckTask, json!({"workStartTime": "20:00:00", "workEndTime": "06:00"})), vec![]);
    let daily = json!({"checkCycleUnit": "天", "workStartTime": null, "workEndTime": null});
    assert_eq!(problems(CheckTask, daily), vec![]);
}

#[test]
fn check_task_baobao_items() {
    assert_eq!(problems(CheckTask, json!({"workType": 1})), p("taskNum", MissingField));
    assert_eq!(problems(CheckTask, json!({"workType": 1, "taskNum": 9})), vec![]);
    assert_eq!(problems(CheckTask, json!({"workType": "2", "taskNum": "10"})), p("taskNum", BadEnum));
    assert_eq!(problems(CheckTask, json!({"workType": 3, "taskNum": 10})), vec![]);
    assert_eq!(problems(CheckTask, json!({"workType": 3, "taskNum": 11})), p("taskNum", BadEnum));
    assert_eq!(problems(CheckTask, json!({"workType": 4})), p("workType", BadEnum));
    assert_eq!(problems(CheckTask, json!({"workDayType": 3})), p("workDayType", BadEnum));
    assert_eq!(problems(CheckTask, json!({"taskNum": 0})), vec![]);
}

#[test]
fn check_record_flags() {
    assert_eq!(problems(CheckRecord, json!({"isDefend": "1", "mobileMe": "860000000000000"})), vec![]);
    assert_eq!(problems(CheckRecord, json!({"isDefend": 2})), p("isDefend", BadEnum));
    assert_eq!(problems(CheckRecord, json!({"checkTaskId": null})), p("checkTaskId", MissingField));
}

#[test]
fn danger_deadlines() {
    assert_eq!(problems(Danger, json!({"dangerManageDeadline": null})), p("dangerManageDeadline", MissingField));
    assert_eq!(problems(Danger, json!({"dangerManageDeadline": null, "dangerManageType": 0})), vec![]);
    // A deadline may be far in the future, as a date or a datetime.
    let r = run(Danger, &with(Danger, json!({"dangerManageDeadline": "2030-01-01 18:00:00"}))).unwrap();
    let Body::Danger(d) = r.body else { panic!() };
    assert!(matches!(d.manage_deadline, Some(Deadline::At(t)) if t.to_string() == "2030-01-01 10:00:00"));
    // Not before the date of registration (the same day is fine).
    assert_eq!(problems(Danger, json!({"dangerManageDeadline": "2026-04-30"})), vec![]);
    assert_eq!(
        problems(Danger, json!({"dangerManageDeadline": "2026-04-29"})),
        p("dangerManageDeadline", Inconsistent)
    );
    assert_eq!(problems(Danger, json!({"dangerManageDeadline": "2026-04-31"})), p("dangerManageDeadline", BadFormat));
    assert_eq!(problems(Danger, json!({"dangerManageDeadline": "2026/05/01"})), p("dangerManageDeadline", BadFormat));
}

#[test]
fn danger_acceptance() {
    let accepted = json!({"dangerState": 9, "checkAcceptPerson": "钱七", "checkAcceptTime": "2026-04-30 16:00:00"});
    assert_eq!(problems(Danger, accepted), vec![]);
    let got = problems(Danger, json!({"dangerState": "9"}));
    assert_eq!(got, [p("checkAcceptPerson", MissingField), p("checkAcceptTime", MissingField)].concat());
    let early = json!({"dangerState": 9, "checkAcceptPerson": "钱七", "checkAcceptTime": "2026-04-30 09:59:59"});
    assert_eq!(problems(Danger, early), p("checkAcceptTime", Inconsistent));
    assert_eq!(problems(Danger, json!({"dangerState": 2})), p("dangerState", BadEnum));
    assert_eq!(problems(Danger, json!({"dangerSrc": 11})), p("dangerSrc", BadEnum));
    assert_eq!(problems(Danger, json!({"hazardDangerType": 0})), p("hazardDangerType", BadEnum));
    assert_eq!(problems(Danger, json!({"hazardCategory": 4})), p("hazardCategory", BadEnum));
    assert_eq!(problems(Danger, json!({"dangerName": "隐".repeat(301)})), p("dangerName", TooLong));
    assert_eq!(problems(Danger, json!({"checkRecordId": "r1"})), p("checkRecordId", BadFormat));
}

#[test]
fn danger_cost_as_number_or_string() {
    for (sent, kept) in [(json!(1.5), "1.5"), (json!("2万元"), "2万元"), (json!(3), "3")] {
        let r = run(Danger, &with(Danger, json!({ "cost": sent }))).unwrap();
        let Body::Danger(d) = r.body else { panic!() };
        assert_eq!(d.cost.as_deref(), Some(kept));
    }
    assert_eq!(problems(Danger, json!({"cost": [1]})), p("cost", BadType));
}

#[test]
fn unit_stop_ends_after_it_starts() {
    assert_eq!(problems(UnitStop, json!({"stopEndTime": "2026-04-20 08:00:00"})), vec![]);
    assert_eq!(problems(UnitStop, json!({"stopEndTime": "2026-04-20 07:59:59"})), p("stopEndTime", Inconsistent));
    assert_eq!(problems(UnitStop, json!({"stopReason": ""})), p("stopReason", MissingField));
}
