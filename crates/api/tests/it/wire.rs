//! Wire records for push tests, as enterprises send them.

use serde_json::{Value, json};

/// A 32-hex id from a short name.
pub fn id(name: &str) -> String {
    format!("{:0>32}", hex::encode(name))[..32].to_owned()
}

fn common(company: &str, name: &str) -> Value {
    json!({"id": id(name), "companyCode": company, "deleted": "0", "createDate": "2026-11-01 08:00:00",
           "createBy": "张三", "updateDate": "2026-11-01 08:00:00", "updateBy": "张三"})
}

fn with(mut base: Value, fields: Value) -> Value {
    if let (Some(b), Some(f)) = (base.as_object_mut(), fields.as_object()) {
        b.extend(f.clone());
    }
    base
}

/// A hazard source.
pub fn hazard(company: &str, name: &str, code: &str) -> Value {
    with(common(company, name), json!({"hazardCode": code, "hazardName": "液氨罐区", "hazardLevel": "2"}))
}

/// A risk unit under a hazard code.
pub fn unit(company: &str, name: &str, hazard: &str) -> Value {
    with(
        common(company, name),
        json!({"hazardCode": hazard, "hazardDep": "生产部", "hazardLiablePerson": "王五", "riskUnitName": name, "riskClass": 1}),
    )
}

/// A risk event under a unit.
pub fn event(company: &str, name: &str, unit: &str) -> Value {
    with(common(company, name), json!({"riskUnitId": id(unit), "riskEventName": "泄漏"}))
}

/// A control measure under an event.
pub fn measure(company: &str, name: &str, event: &str) -> Value {
    with(
        common(company, name),
        json!({"riskEventId": id(event), "dataSrc": 2, "riskMeasureDesc": "巡检", "classify1": "1",
               "classify2": "1-2", "troubleshootContent": "检查阀门"}),
    )
}

/// A daily check task under a measure.
pub fn task(company: &str, name: &str, measure: &str) -> Value {
    with(
        common(company, name),
        json!({"riskMeasureId": id(measure), "troubleshootContent": "检查阀门", "checkCycle": 1,
               "checkCycleUnit": "天", "taskStartTime": "2026-11-01 08:00:00"}),
    )
}

/// A check record of a task.
pub fn check(company: &str, name: &str, task: &str) -> Value {
    with(common(company, name), json!({"checkTaskId": id(task), "checkTime": "20261102090000", "checkStatus": 0}))
}

/// The chain hazard → unit → event → measure → task of one enterprise, as (table, batch).
pub fn chain(company: &str) -> Vec<(&'static str, Value)> {
    vec![
        ("hazard_source", json!([hazard(company, "h1", "HZ-1")])),
        ("risk_unit", json!([unit(company, "u1", "HZ-1")])),
        ("risk_event", json!([event(company, "e1", "u1")])),
        ("control_measure", json!([measure(company, "m1", "e1")])),
        ("check_task", json!([task(company, "t1", "m1")])),
    ]
}
