//! How a faulty enterprise spoils its answers.

use crate::rng::hash_str;
use actix_web::web::Bytes;
use domain::ExchangeTable;
use domain::records::Record;
use futures_util::Stream;
use serde_json::Value;
use std::time::Duration;

/// The most chunks a slow-drip body is cut into (a body shorter than this goes byte by byte).
pub const DRIP_CHUNKS: usize = 120;
/// How long a slow-drip body takes: its chunks are spread evenly, each sent after its share of this.
pub const DRIP_TOTAL: Duration = Duration::from_secs(30);
/// How long a timing-out enterprise holds a request before giving up (far longer than any client waits).
pub const TIMEOUT_HOLD: Duration = Duration::from_secs(3_600);

/// Whether [`Fault::InvalidRecords`](crate::Fault::InvalidRecords) breaks this version: about one in ten, chosen by
/// a hash of its id and `updateDate` (so the same version is broken on every request).
pub(crate) fn is_broken(r: &Record) -> bool {
    hash_str(&format!("{}|{}", r.common.id, r.common.update_date)).is_multiple_of(10)
}

/// Breaks a record in its wire form: alternately a bad enumeration value or a missing required field.
pub(crate) fn break_record(table: ExchangeTable, r: &Record, wire: &mut Value) {
    let Value::Object(obj) = wire else { return };
    let (field, bad): (&str, Value) = match table {
        ExchangeTable::HazardSource => ("hazardLevel", "7".into()),
        ExchangeTable::RiskUnit => ("riskClass", "9".into()),
        ExchangeTable::ControlMeasure => ("classify1", "9".into()),
        ExchangeTable::CheckTask => ("checkCycleUnit", "分钟".into()),
        ExchangeTable::CheckRecord => ("checkStatus", "7".into()),
        ExchangeTable::Danger => ("dangerState", "5".into()),
        ExchangeTable::RiskEvent | ExchangeTable::UnitStop => ("deleted", "2".into()),
    };
    if hash_str(&r.common.id).is_multiple_of(2) {
        obj.insert(field.to_owned(), bad);
    } else {
        let required = match table {
            ExchangeTable::HazardSource => "hazardName",
            ExchangeTable::RiskUnit => "riskUnitName",
            ExchangeTable::RiskEvent => "riskEventName",
            ExchangeTable::ControlMeasure => "riskMeasureDesc",
            ExchangeTable::CheckTask => "checkCycle",
            ExchangeTable::CheckRecord => "checkTime",
            ExchangeTable::Danger => "dangerName",
            ExchangeTable::UnitStop => "stopReason",
        };
        obj.remove(required);
    }
}

/// The first half of a body (a JSON text cut in the middle).
pub(crate) fn truncate(body: Vec<u8>) -> Vec<u8> {
    let half = body.len() / 2;
    body.into_iter().take(half).collect()
}

/// A body sent in at most [`DRIP_CHUNKS`] chunks over [`DRIP_TOTAL`], each after an equal pause.
pub(crate) fn drip(body: Vec<u8>) -> impl Stream<Item = Result<Bytes, actix_web::Error>> {
    let size = body.len().div_ceil(DRIP_CHUNKS).max(1);
    let chunks: Vec<Bytes> = body.chunks(size).map(Bytes::copy_from_slice).collect();
    let pause = DRIP_TOTAL / u32::try_from(chunks.len().max(1)).unwrap_or(1);
    futures_util::stream::unfold(chunks.into_iter(), move |mut rest| async move {
        let next = rest.next()?;
        tokio::time::sleep(pause).await;
        Some((Ok(next), rest))
    })
}
