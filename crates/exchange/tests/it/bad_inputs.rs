//! The bad inputs of the contract, record by record, with their documented answers.

use crate::{COMPANY, ctx, errors_of};
use domain::ExchangeTable::{self, *};
use domain::records::Body;
use exchange::ErrorCode::{self, *};
use exchange::{validate_batch, validate_record};
use serde_json::{Value, json};

const ID: &str = "0123456789abcdef0123456789abcdef";

fn record(table: ExchangeTable) -> Value {
    let mut v = json!({"id": ID, "companyCode": COMPANY, "deleted": 0, "createDate": "2026-04-30 08:00:00",
        "createBy": "张三", "updateDate": "2026-04-30 08:00:00", "updateBy": "张三"});
    let body = match table {
        Danger => json!({"hazardCode": "HZ-1", "dangerName": "泄漏", "dangerLevel": "0",
            "registTime": "2026-04-30 10:00:00", "registrant": "张三", "dangerSrc": "1", "dangerManageType": "0",
            "hazardDangerType": "1", "dangerDesc": "阀门泄漏", "liablePerson": "赵六", "dangerState": "0"}),
        CheckTask => json!({"riskMeasureId": ID, "troubleshootContent": "巡检", "checkCycle": 1,
            "checkCycleUnit": "天", "taskStartTime": "2026-04-01 08:00:00"}),
        RiskUnit => json!({"hazardCode": "HZ-1", "hazardDep": "生产部", "hazardLiablePerson": "赵六",
            "riskUnitName": "储罐"}),
        _ => json!({"checkTaskId": ID, "checkTime": "2026-04-30 10:00:00", "checkStatus": "0"}),
    };
    v.as_object_mut().unwrap().extend(body.as_object().unwrap().clone());
    v
}

fn patched(table: ExchangeTable, patch: Value) -> Value {
    let mut v = record(table);
    for (k, x) in patch.as_object().unwrap() {
        v[k] = x.clone();
    }
    v
}

/// Asserts the answer to `patch` applied to a valid record: exactly these (field, code) pairs.
fn answer(table: ExchangeTable, patch: Value, want: &[(&str, ErrorCode)]) {
    let got = errors_of(table, &patched(table, patch.clone()));
    let want: Vec<(String, ErrorCode)> = want.iter().map(|(f, c)| (format!("$.{f}"), *c)).collect();
    assert_eq!(got, want, "{patch}");
}

#[test]
fn wrong_types() {
    answer(CheckRecord, json!({"checkTaskId": 5}), &[("checkTaskId", BadType)]);
    answer(CheckRecord, json!({"checkStatus": [0]}), &[("checkStatus", BadType)]);
    answer(CheckRecord, json!({"checkTime": {"t": 1}}), &[("checkTime", BadType)]);
    answer(CheckRecord, json!({"deleted": false}), &[("deleted", BadType)]);
    answer(CheckRecord, json!({"companyCode": 140100001}), &[("companyCode", BadType)]);
    answer(CheckTask, json!({"checkCycle": [1]}), &[("checkCycle", BadType)]);
    answer(CheckTask, json!({"checkCycleUnit": 1}), &[("checkCycleUnit", BadType)]);
}

#[test]
fn numbers_as_strings_and_strings_as_numbers() {
    // Enumerations and numbers may come either way.
    answer(CheckRecord, json!({"checkStatus": 3, "deleted": "1", "isDefend": 0}), &[]);
    answer(CheckTask, json!({"checkCycle": "1.5", "workType": "1", "taskNum": "3"}), &[]);
    answer(Danger, json!({"dangerSrc": 10, "dangerLevel": 1, "cost": 12.5}), &[]);
    // Text fields must be strings.
    answer(CheckRecord, json!({"createBy": 123}), &[("createBy", BadType)]);
    answer(CheckRecord, json!({"mobileMe": 860000000000001_u64}), &[("mobileMe", BadType)]);
    // A number that is not whole is not an enumeration.
    answer(CheckRecord, json!({"checkStatus": "1.0"}), &[("checkStatus", BadEnum)]);
}

#[test]
fn unknown_enum_values() {
    answer(CheckRecord, json!({"checkStatus": 4}), &[("checkStatus", BadEnum)]);
    answer(Danger, json!({"dangerState": "2"}), &[("dangerState", BadEnum)]);
    answer(Danger, json!({"hazardDangerType": 9}), &[("hazardDangerType", BadEnum)]);
    answer(RiskUnit, json!({"riskClass": "5"}), &[("riskClass", BadEnum)]);
    answer(CheckTask, json!({"checkCycleUnit": "分钟"}), &[("checkCycleUnit", BadEnum)]);
    let e = validate_record(CheckRecord, 7, &patched(CheckRecord, json!({"checkStatus": 9})), &ctx()).unwrap_err();
    assert_eq!((e[0].index, e[0].id.as_deref()), (7, Some(ID)));
    assert_eq!(e[0].message, "checkStatus 必须为 0、1、2、3 之一 / checkStatus must be one of 0, 1, 2, 3");
}

#[test]
fn blank_required_strings() {
    for blank in [json!(""), json!("   "), json!("\u{3000}"), Value::Null] {
        answer(CheckRecord, json!({"createBy": blank.clone()}), &[("createBy", MissingField)]);
        answer(Danger, json!({"dangerDesc": blank.clone()}), &[("dangerDesc", MissingField)]);
        answer(CheckRecord, json!({"checkTime": blank}), &[("checkTime", MissingField)]);
    }
    let mut absent = record(CheckRecord);
    absent.as_object_mut().unwrap().remove("updateBy");
    assert_eq!(errors_of(CheckRecord, &absent), [("$.updateBy".to_owned(), MissingField)]);
}

#[test]
fn over_long_fields() {
    answer(RiskUnit, json!({"hazardLiablePerson": "责".repeat(21)}), &[("hazardLiablePerson", TooLong)]);
    answer(RiskUnit, json!({"hazardLiablePerson": "责".repeat(20)}), &[]);
    answer(Danger, json!({"dangerName": "d".repeat(301)}), &[("dangerName", TooLong)]);
    answer(CheckTask, json!({"troubleshootContent": "查".repeat(1001)}), &[("troubleshootContent", TooLong)]);
    answer(CheckRecord, json!({"mobileMe": "9".repeat(10_001)}), &[("mobileMe", TooLong)]);
}

#[test]
fn impossible_dates() {
    answer(CheckRecord, json!({"checkTime": "2026-02-30 10:00:00"}), &[("checkTime", BadFormat)]);
    answer(CheckRecord, json!({"checkTime": "20260230100000"}), &[("checkTime", BadFormat)]);
    answer(CheckRecord, json!({"createDate": "2026-04-30 24:00:00"}), &[("createDate", BadFormat)]);
    answer(Danger, json!({"dangerManageDeadline": "2026-02-30"}), &[("dangerManageDeadline", BadFormat)]);
}

#[test]
fn both_datetime_formats() {
    for t in ["2026-04-30 10:00:00", "20260430100000"] {
        let r = validate_record(CheckRecord, 0, &patched(CheckRecord, json!({ "checkTime": t })), &ctx()).unwrap();
        let Body::CheckRecord(c) = r.body else { panic!() };
        assert_eq!(c.check_time, crate::utc("2026-04-30 02:00:00"), "{t}");
    }
}

#[test]
fn time_zones_appended() {
    for t in ["2026-04-30T10:00:00", "2026-04-30 10:00:00Z", "2026-04-30T02:00:00Z", "2026-04-30 10:00:00+08:00"] {
        let e = validate_record(CheckRecord, 0, &patched(CheckRecord, json!({ "checkTime": t })), &ctx()).unwrap_err();
        assert_eq!((e[0].field.as_str(), e[0].code), ("$.checkTime", BadFormat), "{t}");
        assert!(e[0].message.contains("yyyy-MM-dd HH:mm:ss 或 yyyyMMddHHmmss"), "{}", e[0].message);
        assert!(e[0].message.contains("without a time zone"), "{}", e[0].message);
    }
}

#[test]
fn future_times() {
    // Received at 2026-05-01 12:00:00 local: ten minutes of leeway.
    answer(CheckRecord, json!({"checkTime": "2026-05-01 12:10:00"}), &[]);
    answer(CheckRecord, json!({"checkTime": "2026-05-01 12:10:01"}), &[("checkTime", FutureTime)]);
    answer(CheckRecord, json!({"updateDate": "2026-06-01 00:00:00"}), &[("updateDate", FutureTime)]);
    // A deadline is meant to lie ahead.
    answer(Danger, json!({"dangerManageType": 1, "dangerManageDeadline": "2027-01-01"}), &[]);
}

#[test]
fn another_enterprises_company_code() {
    answer(CheckRecord, json!({"companyCode": "140200001"}), &[("companyCode", BadCompany)]);
    answer(CheckRecord, json!({"companyCode": "1402000010"}), &[("companyCode", BadFormat)]);
}

#[test]
fn nul_bytes_and_control_characters() {
    for bad in ["张\u{0}三", "\u{1}", "a\u{1f}b", "\u{0}"] {
        answer(CheckRecord, json!({ "createBy": bad }), &[("createBy", BadFormat)]);
    }
    answer(CheckRecord, json!({"checkTime": "2026-04-30\u{0}10:00:00"}), &[("checkTime", BadFormat)]);
    answer(CheckRecord, json!({"createBy": "张三\t(班组长)\r\n"}), &[]);
}

#[test]
fn emoji_and_rare_cjk_are_kept_byte_for_byte() {
    let text = "𠀋😀 𪚥𰻞 👨‍👩‍👧";
    let v = patched(Danger, json!({ "dangerDesc": text, "createBy": "𠀋😀" }));
    let r = validate_record(Danger, 0, &v, &ctx()).unwrap();
    let Body::Danger(d) = &r.body else { panic!() };
    assert_eq!(d.danger_desc.as_bytes(), text.as_bytes());
    assert_eq!(r.common.create_by.as_bytes(), "𠀋😀".as_bytes());
    // Parsed from bytes and written back, too.
    let bytes = serde_json::to_vec(&json!([v])).unwrap();
    let exchange::Body::Records(parsed) = exchange::parse_body(&bytes).unwrap() else { panic!() };
    let r2 = validate_record(Danger, 0, &parsed[0], &ctx()).unwrap();
    assert_eq!(r2, r);
    assert_eq!(exchange::to_wire(&r)["dangerDesc"].as_str().unwrap().as_bytes(), text.as_bytes());
}

#[test]
fn duplicate_ids() {
    let other = patched(CheckRecord, json!({"id": "fedcba98-7654-3210-fedc-ba9876543210"}));
    let batch = [record(CheckRecord), other, record(CheckRecord), record(CheckRecord)];
    let out = validate_batch(CheckRecord, &batch, &ctx());
    assert_eq!(out.valid.iter().map(|(i, _)| *i).collect::<Vec<_>>(), [0, 1]);
    assert_eq!(out.rejected, 2);
    for (e, index) in out.errors.iter().zip([2, 3]) {
        assert_eq!((e.index, e.code, e.field.as_str(), e.id.as_deref()), (index, DuplicateInBatch, "$.id", Some(ID)));
        assert!(e.message.contains("index 0"), "{}", e.message);
    }
}

#[test]
fn a_mixed_batch_keeps_every_valid_record() {
    let mut batch = Vec::new();
    let mut valid_indices = Vec::new();
    for i in 0..60_usize {
        let id = format!("{i:032x}");
        let v = match i % 5 {
            0 => patched(CheckRecord, json!({"id": id, "checkStatus": 9})),
            1 => json!(["not", "an", "object"]),
            2 => patched(CheckRecord, json!({"id": id, "companyCode": "140300001"})),
            _ => {
                valid_indices.push(i);
                patched(CheckRecord, json!({ "id": id }))
            }
        };
        batch.push(v);
    }
    let out = validate_batch(CheckRecord, &batch, &ctx());
    assert_eq!(out.valid.iter().map(|(i, _)| *i).collect::<Vec<_>>(), valid_indices);
    assert_eq!(out.rejected, 36);
    assert_eq!(out.valid.len() + out.rejected, batch.len());
    for (i, r) in &out.valid {
        assert_eq!(r.common.id, format!("{i:032x}"));
    }
    let malformed = out.errors.iter().filter(|e| e.code == Malformed).count();
    assert_eq!(malformed, 12);
    assert!(out.errors.iter().all(|e| e.message.contains(" / ")));
}
