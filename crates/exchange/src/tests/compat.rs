//! Aliases and epoch-millisecond times (`data-exchange.md` §10): read as the field and the moment they stand for,
//! with one warning per code and field in the batch.

use super::{COMPANY, ctx, valid, with};
use crate::{ErrorCode, validate_batch};
use domain::ExchangeTable::{CheckRecord, Danger};
use domain::records::{Body, Deadline};
use serde_json::{Value, json};

fn dt(s: &str) -> chrono::NaiveDateTime {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

#[test]
fn an_alias_is_read_as_its_field_with_one_warning_per_batch() {
    // `dangersSrc` instead of `dangerSrc`, in two records; a third sends both names.
    let aliased = with(Danger, json!({"dangerSrc": null, "dangersSrc": "9"}));
    let mut second = aliased.clone();
    second["id"] = json!("0123456789abcdef0123456789abcde2");
    let mut both = with(Danger, json!({"dangersSrc": "3"}));
    both["id"] = json!("0123456789abcdef0123456789abcde3");
    let out = validate_batch(Danger, &[aliased, second, both], &ctx());
    assert_eq!((out.valid.len(), out.rejected), (3, 0), "{:?}", out.errors);
    let src = |i: usize| match &out.valid[i].1.body {
        Body::Danger(d) => d.danger_src.code(),
        _ => unreachable!(),
    };
    assert_eq!((src(0), src(1), src(2)), (9, 9, 1), "the field wins when both names are sent");
    // The alias is not kept as an extra member when read; sent beside the field it is.
    assert_eq!(out.valid[0].1.common.extra, None);
    assert_eq!(out.valid[2].1.common.extra.as_deref(), Some(r#"{"dangersSrc":"3"}"#));
    assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
    let w = &out.warnings[0];
    assert_eq!((w.index, w.field.as_str(), w.code), (0, "$.dangersSrc", ErrorCode::AliasUsed));
    assert!(w.message.contains("请改用 dangerSrc") && w.message.contains("2 records in this batch"), "{}", w.message);
}

#[test]
fn a_bad_value_under_an_alias_is_reported_at_the_field() {
    let out = validate_batch(Danger, &[with(Danger, json!({"dangerSrc": null, "dangersSrc": "11"}))], &ctx());
    assert_eq!(out.rejected, 1);
    assert_eq!((out.errors[0].field.as_str(), out.errors[0].code), ("$.dangerSrc", ErrorCode::BadEnum));
    assert_eq!(out.warnings.len(), 1, "the alias is still named so that the vendor sees why");
}

#[test]
fn recordid_stands_for_checkrecordid() {
    let id = "11111111222233334444555555555555";
    let out = validate_batch(Danger, &[with(Danger, json!({"recordId": id}))], &ctx());
    let Body::Danger(d) = &out.valid[0].1.body else { unreachable!() };
    assert_eq!(d.check_record_id.as_deref(), Some(id));
    assert_eq!(out.warnings[0].code, ErrorCode::AliasUsed);
}

#[test]
fn epoch_milliseconds_are_read_as_the_moment_to_the_second() {
    // 1777514400123 ms = 2026-04-30 02:00:00.123 UTC = 10:00:00 in Shanghai.
    let out = validate_batch(
        CheckRecord,
        &[with(CheckRecord, json!({"checkTime": 1_777_514_400_123_i64, "updateDate": 1_777_514_400_000_i64}))],
        &ctx(),
    );
    assert_eq!(out.rejected, 0, "{:?}", out.errors);
    let r = &out.valid[0].1;
    let Body::CheckRecord(c) = &r.body else { unreachable!() };
    assert_eq!(c.check_time, dt("2026-04-30 02:00:00"));
    assert_eq!(r.common.update_date, dt("2026-04-30 02:00:00"));
    let fields: Vec<(&str, ErrorCode)> = out.warnings.iter().map(|w| (w.field.as_str(), w.code)).collect();
    assert_eq!(fields, [("$.updateDate", ErrorCode::EpochTime), ("$.checkTime", ErrorCode::EpochTime)]);
    assert!(out.warnings[1].message.contains("2026-04-30 10:00:00"), "{}", out.warnings[1].message);
}

#[test]
fn epoch_times_keep_the_other_rules() {
    // In the future (receipt 2026-05-01 04:00 UTC; 2026-05-01 05:00 UTC is 1777611600000).
    let out = validate_batch(CheckRecord, &[with(CheckRecord, json!({"checkTime": 1_777_611_600_000_i64}))], &ctx());
    assert_eq!((out.errors[0].field.as_str(), out.errors[0].code), ("$.checkTime", ErrorCode::FutureTime));
    // The compact form sent as a number (14 digits), seconds (10 digits) and fractions stay bad_type.
    for bad in [json!(20260430100000_u64), json!(1_777_514_400_i64), json!(1_777_514_400_123.5)] {
        let out = validate_batch(CheckRecord, &[with(CheckRecord, json!({ "checkTime": bad }))], &ctx());
        assert_eq!(out.errors[0].code, ErrorCode::BadType, "{bad}");
        assert!(out.warnings.is_empty());
    }
    // A deadline may lie in the future.
    let out = validate_batch(Danger, &[with(Danger, json!({"dangerManageDeadline": 1_777_611_600_000_i64}))], &ctx());
    let Body::Danger(d) = &out.valid[0].1.body else { unreachable!() };
    assert_eq!(d.manage_deadline, Some(Deadline::At(dt("2026-05-01 05:00:00"))));
}

#[test]
fn a_plain_batch_has_no_warnings() {
    let out = validate_batch(Danger, &[valid(Danger)], &ctx());
    assert!(out.warnings.is_empty());
    assert_eq!(valid(Danger)["companyCode"], Value::from(COMPANY));
}
