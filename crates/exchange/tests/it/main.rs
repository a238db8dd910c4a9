//! Integration tests of the exchange crate through its public API: complete examples of every table, the bad
//! inputs of the contract with their documented answers, the transport (body, `datas`, AES) and round trips.
#![allow(clippy::unwrap_used, reason = "tests unwrap to fail loudly")]

mod bad_inputs;
mod examples;
mod fuzz;
mod generate;
mod round_trip;
mod transport;

use chrono::NaiveDateTime;
use domain::{CompanyCode, ExchangeTable};
use exchange::{Context, ErrorCode, RecordError, validate_record};
use serde_json::Value;

/// The sending enterprise of the tests.
pub const COMPANY: &str = "140100001";

/// The receive time of the tests: 2026-05-01 12:00:00 local (04:00:00 UTC).
pub fn now() -> NaiveDateTime {
    utc("2026-05-01 04:00:00")
}

/// A naive UTC time from `yyyy-MM-dd HH:mm:ss`.
pub fn utc(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

/// The context of a batch sent by [`COMPANY`] at [`now`].
pub fn ctx() -> Context {
    Context::new(CompanyCode::parse(COMPANY).unwrap(), now())
}

/// The errors of one record, as (path, code).
pub fn errors_of(table: ExchangeTable, v: &Value) -> Vec<(String, ErrorCode)> {
    match validate_record(table, 0, v, &ctx()) {
        Ok(_) => Vec::new(),
        Err(e) => e.into_iter().map(|e: RecordError| (e.field, e.code)).collect(),
    }
}
