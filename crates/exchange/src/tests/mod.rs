//! Unit tests of the validation rules on small hand-made records: one valid record per table, changed one field
//! at a time.

mod common;
mod compat;
mod tables;

use crate::{Context, ErrorCode, validate_record};
use chrono::NaiveDateTime;
use domain::records::Record;
use domain::{CompanyCode, ExchangeTable};
use serde_json::{Value, json};

/// The sender of the test batches.
pub(crate) const COMPANY: &str = "140100001";

/// Receive time: 2026-05-01 12:00:00 local, 04:00:00 UTC.
pub(crate) fn now() -> NaiveDateTime {
    NaiveDateTime::parse_from_str("2026-05-01 04:00:00", "%Y-%m-%d %H:%M:%S").unwrap()
}

pub(crate) fn ctx() -> Context {
    Context::new(CompanyCode::parse(COMPANY).unwrap(), now())
}

/// A valid record of `table`, with every common field.
pub(crate) fn valid(table: ExchangeTable) -> Value {
    let mut v = json!({
        "id": "0123456789abcdef0123456789abcdef",
        "companyCode": COMPANY,
        "deleted": "0",
        "createDate": "2026-04-30 08:00:00",
        "createBy": "张三",
        "updateDate": "20260430090000",
        "updateBy": "李四",
    });
    let body = match table {
        ExchangeTable::HazardSource => json!({
            "hazardCode": "HZ-001", "hazardName": "液氯储罐区", "hazardLevel": 2,
            "responsiblePerson": {"name": "王五", "phone": "13800000000", "post": "总经理"},
        }),
        ExchangeTable::RiskUnit => json!({
            "hazardCode": "HZ-001", "hazardDep": "生产部", "hazardLiablePerson": "赵六", "riskUnitName": "液氯储罐",
            "riskClass": "1",
        }),
        ExchangeTable::RiskEvent => json!({
            "riskUnitId": "11111111-2222-3333-4444-555555555555", "riskEventName": "储罐泄漏",
        }),
        ExchangeTable::ControlMeasure => json!({
            "riskEventId": "11111111222233334444555555555555", "dataSrc": 2, "riskMeasureDesc": "液位计",
            "classify1": "1", "classify2": "1-2", "troubleshootContent": "检查液位计",
        }),
        ExchangeTable::CheckTask => json!({
            "riskMeasureId": "11111111222233334444555555555555", "troubleshootContent": "检查液位计",
            "checkCycle": 8, "checkCycleUnit": "小时", "taskStartTime": "2026-04-01 08:00:00",
            "workStartTime": "8:00:00", "workEndTime": "17:30:00",
        }),
        ExchangeTable::CheckRecord => json!({
            "checkTaskId": "11111111222233334444555555555555", "checkTime": "2026-04-30 10:00:00",
            "checkStatus": "0",
        }),
        ExchangeTable::Danger => json!({
            "hazardCode": "HZ-001", "dangerName": "液位计失灵", "dangerLevel": "0",
            "registTime": "2026-04-30 10:00:00", "registrant": "张三", "dangerSrc": "1", "dangerManageType": "1",
            "hazardDangerType": "4", "dangerDesc": "液位计读数异常", "liablePerson": "赵六", "dangerState": "0",
            "dangerManageDeadline": "2026-05-10",
        }),
        ExchangeTable::UnitStop => json!({
            "riskUnitId": "11111111222233334444555555555555", "stopStartTime": "2026-04-20 08:00:00",
            "stopReason": "检修",
        }),
    };
    if let (Value::Object(m), Value::Object(b)) = (&mut v, body) {
        m.extend(b);
    }
    v
}

/// `valid(table)` with the members of `patch` set (a `null` member removes the field).
pub(crate) fn with(table: ExchangeTable, patch: Value) -> Value {
    let mut v = valid(table);
    if let (Value::Object(m), Value::Object(p)) = (&mut v, patch) {
        for (k, x) in p {
            if x.is_null() {
                m.remove(&k);
            } else {
                m.insert(k, x);
            }
        }
    }
    v
}

/// Validates `value` as a record of `table`.
pub(crate) fn run(table: ExchangeTable, value: &Value) -> Result<Record, Vec<crate::RecordError>> {
    validate_record(table, 0, value, &ctx())
}

/// The (path, code) pairs of the problems of `valid(table)` patched with `patch`; empty when valid.
pub(crate) fn problems(table: ExchangeTable, patch: Value) -> Vec<(String, ErrorCode)> {
    match run(table, &with(table, patch)) {
        Ok(_) => Vec::new(),
        Err(errors) => {
            for e in &errors {
                assert!(e.message.contains(" / "), "message not in both languages: {}", e.message);
            }
            errors.into_iter().map(|e| (e.field, e.code)).collect()
        }
    }
}

/// One expected problem.
pub(crate) fn p(field: &str, code: ErrorCode) -> Vec<(String, ErrorCode)> {
    vec![(format!("$.{field}"), code)]
}
