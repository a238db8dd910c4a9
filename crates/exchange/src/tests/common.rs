//! The rules every table shares: common fields, types, strings, enumerations, datetimes, extras, batches.

use super::{COMPANY, ctx, p, problems, run, valid, with};
use crate::ErrorCode::*;
use crate::{Context, ErrorCode, validate_batch};
use domain::ExchangeTable::{self, CheckRecord, RiskUnit};
use serde_json::{Value, json};

#[test]
fn every_sample_is_valid() {
    for t in ExchangeTable::ALL {
        assert_eq!(problems(t, json!({})), vec![], "{t}");
    }
}

#[test]
fn a_record_that_is_not_an_object_is_malformed() {
    for v in [json!([]), json!("x"), json!(1), Value::Null] {
        let errors = run(CheckRecord, &v).unwrap_err();
        assert_eq!((errors[0].field.as_str(), errors[0].code, errors[0].id.as_deref()), ("$", Malformed, None));
    }
}

#[test]
fn common_fields_are_required() {
    for f in ["id", "companyCode", "deleted", "createDate", "createBy", "updateDate", "updateBy"] {
        assert_eq!(problems(CheckRecord, json!({ f: null })), p(f, MissingField), "{f}");
    }
    // Blank strings are missing too, U+3000 included.
    assert_eq!(problems(CheckRecord, json!({"createBy": " \t"})), p("createBy", MissingField));
    assert_eq!(problems(CheckRecord, json!({"updateBy": "\u{3000}"})), p("updateBy", MissingField));
}

#[test]
fn ids_are_uuids_of_32_or_36_characters() {
    assert_eq!(problems(CheckRecord, json!({"id": "01234567-89ab-cdef-0123-456789ABCDEF"})), vec![]);
    for bad in ["0123456789abcdef0123456789abcdeX", "123", "01234567_89ab_cdef_0123_456789abcdef"] {
        assert_eq!(problems(CheckRecord, json!({ "id": bad })), p("id", BadFormat), "{bad}");
    }
    assert_eq!(problems(CheckRecord, json!({"id": 12})), p("id", BadType));
}

#[test]
fn company_code_is_a_string_of_nine_digits_of_the_sender() {
    assert_eq!(problems(CheckRecord, json!({"companyCode": 140100001})), p("companyCode", BadType));
    assert_eq!(problems(CheckRecord, json!({"companyCode": "14010000"})), p("companyCode", BadFormat));
    let other = problems(CheckRecord, json!({"companyCode": "140100002"}));
    assert_eq!(other, p("companyCode", BadCompany));
    let offline = Context::offline(super::now());
    assert!(
        crate::validate_record(CheckRecord, 0, &with(CheckRecord, json!({"companyCode": "140100002"})), &offline)
            .is_ok()
    );
}

#[test]
fn deleted_is_zero_or_one_as_string_or_number() {
    for ok in [json!("0"), json!("1"), json!(0), json!(1)] {
        assert_eq!(problems(CheckRecord, json!({ "deleted": ok })), vec![]);
    }
    assert_eq!(problems(CheckRecord, json!({"deleted": "2"})), p("deleted", BadEnum));
    assert_eq!(problems(CheckRecord, json!({"deleted": true})), p("deleted", BadType));
    assert!(run(CheckRecord, &with(CheckRecord, json!({"deleted": 1}))).unwrap().common.deleted);
}

#[test]
fn credit_code_is_optional_and_checked() {
    let r = run(CheckRecord, &with(CheckRecord, json!({"tyshxydm": "91110000710925462X"}))).unwrap();
    assert_eq!(r.common.credit_code.as_deref(), Some("91110000710925462X"));
    assert_eq!(problems(CheckRecord, json!({"tyshxydm": "91110000710925463X"})), p("tyshxydm", BadFormat));
    assert_eq!(problems(CheckRecord, json!({"tyshxydm": ""})), vec![]);
}

#[test]
fn enumerations_are_numbers_or_digit_strings() {
    for ok in [json!(1), json!("1"), json!("01")] {
        assert_eq!(problems(CheckRecord, json!({ "checkStatus": ok })), vec![]);
    }
    for bad in [json!("1.0"), json!(1.0), json!(""), json!(" 1"), json!(4), json!(-1), json!("x")] {
        assert_eq!(problems(CheckRecord, json!({ "checkStatus": bad })), p("checkStatus", BadEnum), "{bad}");
    }
    for bad in [json!(true), json!([1]), json!({"v": 1})] {
        assert_eq!(problems(CheckRecord, json!({ "checkStatus": bad })), p("checkStatus", BadType), "{bad}");
    }
    let e = run(CheckRecord, &with(CheckRecord, json!({"checkStatus": 7}))).unwrap_err();
    assert_eq!(e[0].message, "checkStatus 必须为 0、1、2、3 之一 / checkStatus must be one of 0, 1, 2, 3");
    // An optional enumeration may be blank.
    assert_eq!(problems(RiskUnit, json!({"riskClass": ""})), vec![]);
    assert_eq!(problems(RiskUnit, json!({"riskClass": 5})), p("riskClass", BadEnum));
}

#[test]
fn strings_are_strings_without_control_characters_and_within_their_length() {
    assert_eq!(problems(CheckRecord, json!({"createBy": 5})), p("createBy", BadType));
    assert_eq!(problems(CheckRecord, json!({"createBy": "a\u{0}b"})), p("createBy", BadFormat));
    assert_eq!(problems(CheckRecord, json!({"createBy": "a\u{7}b"})), p("createBy", BadFormat));
    assert_eq!(problems(CheckRecord, json!({"createBy": "a\tb\r\nc"})), vec![]);
    // Lengths count characters: 20 four-byte characters fit a limit of 20.
    assert_eq!(problems(RiskUnit, json!({"hazardLiablePerson": "😀".repeat(20)})), vec![]);
    assert_eq!(problems(RiskUnit, json!({"hazardLiablePerson": "😀".repeat(21)})), p("hazardLiablePerson", TooLong));
    assert_eq!(problems(CheckRecord, json!({"createBy": "x".repeat(10_001)})), p("createBy", TooLong));
    let r = run(RiskUnit, &with(RiskUnit, json!({"riskUnitName": " 𠀋😀 "}))).unwrap();
    let domain::records::Body::RiskUnit(u) = r.body else { panic!() };
    assert_eq!(u.risk_unit_name, " 𠀋😀 ");
}

#[test]
fn datetimes_are_local_in_two_forms_and_stored_utc() {
    let r = run(CheckRecord, &valid(CheckRecord)).unwrap();
    assert_eq!(r.common.create_date.to_string(), "2026-04-30 00:00:00");
    assert_eq!(r.common.update_date.to_string(), "2026-04-30 01:00:00");
    for bad in ["2026-04-30T10:00:00", "2026-04-30 10:00:00Z", "2026-04-30 10:00:00+08:00", "2026-04-30"] {
        let e = run(CheckRecord, &with(CheckRecord, json!({ "checkTime": bad }))).unwrap_err();
        assert_eq!((e[0].field.as_str(), e[0].code), ("$.checkTime", BadFormat), "{bad}");
        assert!(e[0].message.contains("yyyy-MM-dd HH:mm:ss") && e[0].message.contains("yyyyMMddHHmmss"));
    }
    assert_eq!(problems(CheckRecord, json!({"checkTime": "2026-02-30 10:00:00"})), p("checkTime", BadFormat));
    assert_eq!(problems(CheckRecord, json!({"checkTime": 20260430100000_u64})), p("checkTime", BadType));
}

#[test]
fn datetimes_may_not_lie_more_than_ten_minutes_ahead() {
    // now() is 2026-05-01 12:00:00 local.
    assert_eq!(problems(CheckRecord, json!({"checkTime": "2026-05-01 12:10:00"})), vec![]);
    assert_eq!(problems(CheckRecord, json!({"checkTime": "2026-05-01 12:10:01"})), p("checkTime", FutureTime));
    assert_eq!(problems(CheckRecord, json!({"updateDate": "20270101000000"})), p("updateDate", FutureTime));
}

#[test]
fn every_problem_of_a_record_is_reported() {
    let got = problems(CheckRecord, json!({"id": "x", "deleted": "7", "checkStatus": null, "checkTime": "soon"}));
    let codes: Vec<ErrorCode> = got.iter().map(|(_, c)| *c).collect();
    assert_eq!(codes, [BadFormat, BadEnum, BadFormat, MissingField]);
    let e = run(CheckRecord, &with(CheckRecord, json!({"deleted": "7"}))).unwrap_err();
    assert_eq!(e[0].id.as_deref(), Some("0123456789abcdef0123456789abcdef"));
}

#[test]
fn unknown_fields_are_kept_as_extra() {
    let r = run(CheckRecord, &valid(CheckRecord)).unwrap();
    assert_eq!(r.common.extra, None);
    let r = run(CheckRecord, &with(CheckRecord, json!({"zz": [1, "𠀋"], "createByMobile": "138"}))).unwrap();
    let extra: Value = serde_json::from_str(r.common.extra.as_deref().unwrap()).unwrap();
    assert_eq!(extra, json!({"createByMobile": "138", "zz": [1, "𠀋"]}));
}

#[test]
fn later_duplicates_in_a_batch_are_rejected() {
    let a = valid(CheckRecord);
    let b = with(CheckRecord, json!({"id": "fedcba9876543210fedcba9876543210"}));
    let bad_dup = with(CheckRecord, json!({"checkStatus": 9}));
    let out = validate_batch(CheckRecord, &[a.clone(), b, a, bad_dup], &ctx());
    assert_eq!(out.valid.iter().map(|(i, _)| *i).collect::<Vec<_>>(), [0, 1]);
    assert_eq!(out.rejected, 2);
    let got: Vec<_> = out.errors.iter().map(|e| (e.index, e.code)).collect();
    assert_eq!(got, [(2, DuplicateInBatch), (3, DuplicateInBatch), (3, BadEnum)]);
    assert!(out.errors[0].message.contains("index 0"));
    assert_eq!(out.errors[0].field, "$.id");
}

#[test]
fn one_bad_record_never_blocks_the_others() {
    let records = [json!(1), valid(CheckRecord), with(CheckRecord, json!({"companyCode": COMPANY.replace('1', "2")}))];
    let out = validate_batch(CheckRecord, &records, &ctx());
    assert_eq!(out.valid.len(), 1);
    assert_eq!(out.valid[0].0, 1);
    assert_eq!(out.rejected, 2);
}
