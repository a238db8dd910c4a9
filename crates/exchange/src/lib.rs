//! The wire format of enterprise data (`data-exchange.md`) and its validation. Pure: no I/O, no database.
//!
//! A push body goes through [`parse_body`] (a JSON array or the `datas` envelope), [`decrypt_datas`] and
//! [`parse_records`] when encrypted, then [`validate_batch`], which turns each record into a typed
//! [`domain::records::Record`] or into [`RecordError`]s. What needs the database (parents, versions, whether an
//! enterprise is registered) is done by storage, which builds its errors with the constructors of [`RecordError`]
//! so that every message of a [`Receipt`] reads the same. [`to_wire`] writes a record back in the wire form.
//!
//! ```
//! use chrono::NaiveDateTime;
//! use domain::{CompanyCode, ExchangeTable};
//! use exchange::{Body, Context, ErrorCode, parse_body, validate_batch};
//!
//! let body = r#"[{"id": "0123456789abcdef0123456789abcdef", "companyCode": "140100001", "deleted": "0",
//!     "createDate": "2026-04-30 08:00:00", "createBy": "张三", "updateDate": "20260430080000", "updateBy": "张三",
//!     "checkTaskId": "11111111-2222-3333-4444-555555555555", "checkTime": "2026-04-30 10:00:00", "checkStatus": 1},
//!     {"id": "x"}]"#;
//! let Ok(Body::Records(records)) = parse_body(body.as_bytes()) else { panic!("a clear array") };
//! let now = NaiveDateTime::parse_from_str("2026-05-01 04:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
//! let ctx = Context::new(CompanyCode::parse("140100001").unwrap(), now);
//! let out = validate_batch(ExchangeTable::CheckRecord, &records, &ctx);
//! assert_eq!((out.valid.len(), out.rejected), (1, 1));
//! assert_eq!(out.errors[0].code, ErrorCode::BadFormat); // "$.id": not a UUID; the missing fields follow
//! ```
//!
//! # Rules where the contract is silent
//!
//! - Optional fields that are absent, `null` or blank (whitespace only, U+3000 included) are absent. A required
//!   string or time that is blank is `missing_field`; a required enumeration sent as `""` is `bad_enum`.
//! - Text is kept exactly as sent (no trimming); its length is counted in characters. Texts the contract gives no
//!   length may hold at most 10000 characters. C0 control characters other than tab, CR and LF are `bad_format`.
//! - Enumerations are numbers or strings of ASCII digits (`"01"` is 1; `"1.0"`, `" 1"`, `"-1"` are `bad_enum`).
//! - Parent references (`riskUnitId`, `riskEventId`, `riskMeasureId`, `checkTaskId`, `checkRecordId`) must have the
//!   form of an `id` (a UUID of 32 or 36 characters), or they are `bad_format`; `hazardCode` is free text ≤ 36.
//!   Ids are kept and compared exactly as sent (case-sensitive).
//! - Datetimes before 1970 are `bad_format`. Every datetime is checked against the 10 minutes of
//!   [`FUTURE_LEEWAY`] except `dangerManageDeadline`, which is a deadline and normally lies in the future.
//! - `checkCycle` is at most 100000; `taskNum` of a routine task (`workType` 0) is optional, `0` counts as absent
//!   and other values must be 1–10. Work hours may end before they start (a night shift), but not at the start.
//! - `cost` may be a number (kept as its JSON text) or a string. A person (`responsiblePerson`, …) must be an
//!   object whose `name`, `phone` and `post`, when present, are strings; other members are kept.
//! - Datetimes are the two text forms; a 13-digit integer is read as epoch milliseconds (truncated to the second)
//!   with an `epoch_time` warning; other numbers (`20260430100000`) are `bad_type`. Work hours also accept
//!   `H:mm`/`HH:mm`.
//! - A field sent under one of the [`ALIASES`] (`dangersSrc`) is read as its field with an `alias_used` warning;
//!   when both names are sent the field wins and the alias is kept as an extra member. Warnings are listed in the
//!   receipt's `warnings`, one per code and field for the batch. Datetimes in either form are stored UTC; `to_wire` writes the
//!   `yyyy-MM-dd HH:mm:ss` form and work hours as `H:mm:ss`.
//! - Duplicate ids: the first record with an id is judged normally; later ones are rejected with
//!   `duplicate_in_batch`, and their own problems are listed as well.
//! - Members the contract does not define are kept in `extra`, `null` ones included; a defined field sent as `null`
//!   is absent. A person sent as a blank string is absent.
//! - Bodies: a UTF-8 byte order mark is skipped; other members of the `datas` envelope are ignored; a `datas`
//!   string holding a JSON array in clear (`"[{…}]"`) is read as that array. Base64 may lack padding and contain
//!   line breaks. A key (or IV) is exactly 16 ASCII characters, used as bytes.

mod aliases;
mod body;
mod code;
mod coded;
mod crypto;
mod error;
mod layout;
mod reader;
mod receipt;
mod tables;
mod timed;
mod times;
mod typed;
mod validate;
mod wire;

pub use aliases::{ALIASES, Alias};
pub use body::{Body, BodyError, MAX_RECORDS, Page, parse_body, parse_page, parse_page_records, parse_records};
pub use code::ErrorCode;
pub use crypto::{cipher_name, decrypt_datas, encrypt_datas, key_bytes};
pub use error::{RecordError, field_path};
pub use receipt::Receipt;
pub use tables::fields;
pub use times::{
    MIN_YEAR, format_date, format_datetime, format_time_of_day, parse_date, parse_datetime, parse_time_of_day,
};
pub use validate::{Context, FUTURE_LEEWAY, Validated, validate_batch, validate_record};
pub use wire::to_wire;

#[cfg(test)]
mod tests;
