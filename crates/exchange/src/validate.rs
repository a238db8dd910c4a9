//! Validation of records (`data-exchange.md` §3): each record is judged on its own and every problem of it is
//! reported; one bad record never blocks the others.

use crate::reader::{Reader, TEXT_LIMIT, is_blank, readable_id};
use crate::tables;
use crate::{ErrorCode, RecordError};
use chrono::{NaiveDateTime, TimeDelta};
use domain::records::{Common, Record};
use domain::{CompanyCode, CreditCode, ExchangeTable};
use serde_json::Value;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// How far in the future of the receive time a datetime may lie (`domain::time::FUTURE_LEEWAY`: the figures service
/// relies on it too).
pub const FUTURE_LEEWAY: TimeDelta = domain::time::FUTURE_LEEWAY;

/// What validation needs to know about the batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// The sending enterprise: records naming another `companyCode` are `bad_company`. `None` (offline checks,
    /// tools) skips that check.
    pub company: Option<CompanyCode>,
    /// When the batch was received, UTC. Datetimes more than [`FUTURE_LEEWAY`] after it are `future_time`.
    pub now: NaiveDateTime,
}

impl Context {
    /// A context for a batch sent by `company` and received at `now` (UTC).
    pub fn new(company: CompanyCode, now: NaiveDateTime) -> Self {
        Context { company: Some(company), now }
    }

    /// A context without a sender (no `bad_company` check), received at `now` (UTC).
    pub fn offline(now: NaiveDateTime) -> Self {
        Context { company: None, now }
    }
}

/// The outcome of validating a batch.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Validated {
    /// The valid records with their index in the batch, in batch order.
    pub valid: Vec<(usize, Record)>,
    /// Every problem of every rejected record, in batch order.
    pub errors: Vec<RecordError>,
    /// How many distinct records were rejected (`valid.len() + rejected` = the batch size).
    pub rejected: usize,
    /// The warnings (`alias_used`, `epoch_time`), one per code and field for the whole batch: the first record
    /// that gave it, and how many did in the message.
    pub warnings: Vec<RecordError>,
}

/// Reads `companyCode`: a string of 9 digits, the sender's when the context names one.
fn company(r: &mut Reader<'_>, ctx: &Context) -> Option<CompanyCode> {
    const F: &str = "companyCode";
    match r.get(F) {
        Some(Value::Number(_)) => {
            r.bad_type(F, "字符串（9 位数字，如 \"140100001\"）", "a string of 9 digits (such as \"140100001\")");
            None
        }
        _ => {
            let sent = r.req_str(F, TEXT_LIMIT)?;
            let Ok(code) = CompanyCode::parse(&sent) else {
                r.fail(F, ErrorCode::BadFormat, crate::error::both(F, "必须为 9 位数字", "must be 9 digits"));
                return None;
            };
            match &ctx.company {
                Some(sender) if *sender != code => {
                    let e = RecordError::other_company(0, None, code.as_str(), sender.as_str());
                    r.fail(F, ErrorCode::BadCompany, e.message);
                    None
                }
                _ => Some(code),
            }
        }
    }
}

/// Reads the fields every record carries (all but `extra`).
fn common(r: &mut Reader<'_>, ctx: &Context) -> Option<Common> {
    let id = r.req_id("id");
    let company_code = company(r, ctx);
    let deleted = r.req_flag("deleted");
    let create_date = r.req_datetime("createDate");
    let create_by = r.req_str("createBy", TEXT_LIMIT);
    let update_date = r.req_datetime("updateDate");
    let update_by = r.req_str("updateBy", TEXT_LIMIT);
    let credit_code = match r.opt_str("tyshxydm", TEXT_LIMIT) {
        Some(Some(s)) if CreditCode::parse(&s).is_err() => {
            let msg = crate::error::both(
                "tyshxydm",
                "不是有效的 18 位统一社会信用代码（校验位不符）",
                "is not a valid 18-character unified social credit code (check character)",
            );
            r.fail("tyshxydm", ErrorCode::BadFormat, msg);
            None
        }
        other => other,
    };
    Some(Common {
        id: id?,
        company_code: company_code?,
        deleted: deleted?,
        create_date: create_date?,
        create_by: create_by?,
        update_date: update_date?,
        update_by: update_by?,
        credit_code: credit_code?,
        extra: None,
    })
}

/// Validates one record of `table`, the one at `index` of its batch: the record, or every problem found in it.
///
/// Does not check what needs the database (parents, versions) nor duplicates within a batch
/// ([`validate_batch`] does).
pub fn validate_record(
    table: ExchangeTable,
    index: usize,
    value: &Value,
    ctx: &Context,
) -> Result<Record, Vec<RecordError>> {
    check(table, index, value, ctx).1
}

/// What checking one record gives: the `id` as sent, the record or its problems, and its warnings.
type Checked<'a> = (Option<&'a str>, Result<Record, Vec<RecordError>>, Vec<RecordError>);

/// [`validate_record`], also giving the `id` as sent when it is a string.
fn check<'a>(table: ExchangeTable, index: usize, value: &'a Value, ctx: &Context) -> Checked<'a> {
    let Value::Object(obj) = value else { return (None, Err(vec![RecordError::malformed(index)]), vec![]) };
    let mut r = Reader::new(table, obj, index, ctx.now + FUTURE_LEEWAY);
    let common = common(&mut r, ctx);
    let body = tables::read(table, &mut r);
    let raw_id = r.raw_id();
    let result = match (common, body) {
        (Some(mut common), Some(body)) if r.errors.is_empty() => {
            common.extra = r.extra();
            Ok(Record { common, body })
        }
        _ if !r.errors.is_empty() => Err(r.errors),
        // Every refusal records an error; this arm only keeps the function total.
        _ => Err(vec![RecordError::malformed(index)]),
    };
    (raw_id, result, r.warnings)
}

/// Adds a record's warnings to the batch's: the first of each code and field is kept, the others counted.
fn gather(warnings: &mut Vec<(RecordError, usize)>, more: Vec<RecordError>) {
    for w in more {
        match warnings.iter_mut().find(|(k, _)| k.code == w.code && k.field == w.field) {
            Some((_, n)) => *n += 1,
            None => warnings.push((w, 1)),
        }
    }
}

/// Validates a batch of `table`: each record on its own, plus `duplicate_in_batch` for every record whose `id`
/// appeared earlier in the batch (the first occurrence is judged normally; a later one is rejected, with its own
/// problems listed too). Ids are compared exactly as sent; blank ids are not compared (they are `missing_field`).
pub fn validate_batch(table: ExchangeTable, records: &[Value], ctx: &Context) -> Validated {
    let mut out = Validated { valid: Vec::with_capacity(records.len()), ..Validated::default() };
    let mut first: HashMap<&str, usize> = HashMap::with_capacity(records.len());
    let mut warnings = Vec::new();
    for (index, value) in records.iter().enumerate() {
        let (raw_id, result, warned) = check(table, index, value, ctx);
        if !warned.is_empty() {
            gather(&mut warnings, warned);
        }
        let repeated = raw_id.filter(|id| !is_blank(id)).and_then(|id| match first.entry(id) {
            Entry::Occupied(e) => Some(*e.get()),
            Entry::Vacant(e) => {
                e.insert(index);
                None
            }
        });
        match (result, repeated) {
            (Ok(record), None) => out.valid.push((index, record)),
            (result, Some(first_index)) => {
                let id = readable_id(value.get("id"));
                out.errors.push(RecordError::duplicate_in_batch(index, id, first_index));
                out.errors.extend(result.err().unwrap_or_default());
                out.rejected += 1;
            }
            (Err(errors), None) => {
                out.errors.extend(errors);
                out.rejected += 1;
            }
        }
    }
    out.warnings = warnings
        .into_iter()
        .map(|(mut w, n)| {
            if n > 1 {
                w.message = format!("{}（本批共 {n} 条记录 / {n} records in this batch）", w.message);
            }
            w
        })
        .collect();
    out
}
