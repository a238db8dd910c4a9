//! The receipt of a batch (`data-exchange.md` §4): what the push answers, what is stored and fetched again.

use crate::{ErrorCode, RecordError};
use chrono::NaiveDateTime;
use domain::{CompanyCode, ExchangeTable};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The outcome of one batch.
///
/// Every record of the batch is counted once, in exactly one of `accepted`, `unchanged`, `pending` and `rejected`
/// (see [`Receipt::is_balanced`]). `errors` lists every problem of the rejected records and, in addition, one
/// `pending_parent` notice per held record: a held record is **not** rejected and is counted in `pending` only
/// (see [`Receipt::count_rejected`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"batchId": "5f0c2b7e-8a1d-4c1e-9d7a-2f3e4b5c6d7e",
    "table": "check_record", "companyCode": "140100001", "receivedAt": "2026-11-23T09:30:00.123456+08:00",
    "received": 3, "accepted": 1, "unchanged": 0, "pending": 1, "rejected": 1,
    "errors": [
        {"index": 1, "id": "0d1c5e4a9b8f4e2d8c7b6a5f4e3d2c1b", "field": "$.checkStatus", "code": "bad_enum",
         "message": "checkStatus 必须为 0、1、2、3 之一 / checkStatus must be one of 0, 1, 2, 3"},
        {"index": 2, "id": "1e2d3c4b5a6f7e8d9c0b1a2f3e4d5c6b", "field": "$.checkTaskId", "code": "pending_parent",
         "message": "checkTaskId 指向的 9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c 尚未收到，记录已暂存，待其到达后处理 / checkTaskId names 9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c, which has not arrived yet; the record is held until it does"}
    ]})))]
#[serde(rename_all = "camelCase")]
pub struct Receipt {
    /// The batch id.
    pub batch_id: String,
    /// The table, by its route name (`"check_record"`).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "check_record"))]
    pub table: ExchangeTable,
    /// The sending enterprise.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "140100001"))]
    pub company_code: CompanyCode,
    /// When the batch was received, UTC; written as RFC 3339 with `+08:00`.
    #[serde(with = "local_rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-11-23T00:00:00+08:00"))]
    pub received_at: NaiveDateTime,
    /// Records in the batch.
    pub received: usize,
    /// Records stored as a new version.
    pub accepted: usize,
    /// Records identical to the stored version (nothing changed).
    pub unchanged: usize,
    /// Records held until their parent arrives.
    pub pending: usize,
    /// Distinct rejected records.
    pub rejected: usize,
    /// The problems of the rejected records and the notices of the held ones.
    pub errors: Vec<RecordError>,
    /// Warnings about records that were read all the same (`alias_used`, `epoch_time`; one per code and field,
    /// naming the first record): what a vendor should change. Left out of the JSON when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<RecordError>,
    /// A validation-only run: nothing was stored. Left out of the JSON when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dry_run: bool,
}

impl Receipt {
    /// An empty receipt for a batch of `received` records (all counts zero, no errors).
    pub fn new(
        batch_id: impl Into<String>,
        table: ExchangeTable,
        company_code: CompanyCode,
        received_at: NaiveDateTime,
        received: usize,
    ) -> Self {
        Receipt {
            batch_id: batch_id.into(),
            table,
            company_code,
            received_at,
            received,
            accepted: 0,
            unchanged: 0,
            pending: 0,
            rejected: 0,
            errors: Vec::new(),
            warnings: Vec::new(),
            dry_run: false,
        }
    }

    /// The number of distinct records that `errors` rejects: records with at least one error other than
    /// `pending_parent`. A record whose only entries are `pending_parent` notices is held, not rejected.
    pub fn count_rejected(errors: &[RecordError]) -> usize {
        errors.iter().filter(|e| e.code.is_rejection()).map(|e| e.index).collect::<BTreeSet<_>>().len()
    }

    /// Adds the problems of one rejected record and counts it once in `rejected`.
    ///
    /// `pending_parent` notices among them do not make a rejection; if every entry is one, nothing is counted
    /// (use [`Receipt::hold`] for held records).
    pub fn reject(&mut self, errors: impl IntoIterator<Item = RecordError>) {
        let before = self.errors.len();
        self.errors.extend(errors);
        if self.errors[before..].iter().any(|e| e.code.is_rejection()) {
            self.rejected += 1;
        }
    }

    /// Adds the problems of any number of rejected records (e.g. [`Validated::errors`](crate::Validated::errors))
    /// and counts each record among them once in `rejected`, as [`Receipt::count_rejected`] does. A record's
    /// problems must all come in one call (or in one call of [`Receipt::reject`]), or it is counted twice.
    pub fn add_rejections(&mut self, errors: impl IntoIterator<Item = RecordError>) {
        let before = self.errors.len();
        self.errors.extend(errors);
        self.rejected += Receipt::count_rejected(&self.errors[before..]);
    }

    /// Adds the `pending_parent` notices of one held record and counts it once in `pending`.
    pub fn hold(&mut self, notices: impl IntoIterator<Item = RecordError>) {
        self.errors.extend(notices);
        self.pending += 1;
    }

    /// Recomputes `rejected` from `errors` with [`Receipt::count_rejected`].
    pub fn recount_rejected(&mut self) {
        self.rejected = Receipt::count_rejected(&self.errors);
    }

    /// Whether every record is counted exactly once: accepted + unchanged + pending + rejected = received.
    pub fn is_balanced(&self) -> bool {
        self.accepted + self.unchanged + self.pending + self.rejected == self.received
    }

    /// The HTTP status of the answer: 200 when nothing was rejected, 422 when every record was rejected, 207
    /// otherwise (some rejected, others stored, unchanged or held).
    pub fn status(&self) -> u16 {
        if self.rejected == 0 {
            200
        } else if self.rejected >= self.received {
            422
        } else {
            207
        }
    }

    /// The distinct codes among the errors, for logs and metrics.
    pub fn codes(&self) -> BTreeSet<ErrorCode> {
        self.errors.iter().map(|e| e.code).collect()
    }
}

/// Naive UTC written as RFC 3339 local time with `+08:00`, read back from any RFC 3339 offset.
mod local_rfc3339 {
    use chrono::{DateTime, NaiveDateTime};
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(utc: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&domain::time::format_local(*utc))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
        let text = String::deserialize(d)?;
        DateTime::parse_from_rfc3339(&text).map(|t| t.naive_utc()).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn receipt(received: usize) -> Receipt {
        let at = NaiveDate::from_ymd_opt(2026, 11, 22).and_then(|d| d.and_hms_opt(16, 0, 0)).unwrap_or_default();
        let company =
            CompanyCode::parse("140100001").unwrap_or_else(|_| CompanyCode::provisional(domain::City::Taiyuan, 1));
        Receipt::new("b1", ExchangeTable::CheckRecord, company, at, received)
    }

    #[test]
    fn serialises_as_the_contract_shows() {
        let mut r = receipt(3);
        r.accepted = 2;
        r.reject([RecordError::stale_version(1, Some("x"))]);
        let v = serde_json::to_value(&r).unwrap_or_default();
        assert_eq!(v["batchId"], "b1");
        assert_eq!(v["table"], "check_record");
        assert_eq!(v["companyCode"], "140100001");
        assert_eq!(v["receivedAt"], "2026-11-23T00:00:00+08:00");
        assert_eq!(v["errors"][0]["code"], "stale_version");
        assert!(v.get("dryRun").is_none());
        r.dry_run = true;
        let v = serde_json::to_value(&r).unwrap_or_default();
        assert_eq!(v["dryRun"], true);
        let back: Result<Receipt, _> = serde_json::from_value(v);
        assert_eq!(back.ok(), Some(r));
    }

    #[test]
    fn pending_notices_are_not_rejections() {
        let mut r = receipt(4);
        r.accepted = 1;
        r.hold([RecordError::pending_parent(0, None, "checkTaskId", "t")]);
        r.reject([RecordError::malformed(1)]);
        r.reject([RecordError::conflict(2, None), RecordError::stale_version(2, None)]);
        assert_eq!((r.pending, r.rejected), (1, 2));
        assert!(r.is_balanced());
        assert_eq!(Receipt::count_rejected(&r.errors), 2);
        r.rejected = 0;
        r.recount_rejected();
        assert_eq!(r.rejected, 2);
        r.received += 2;
        r.add_rejections([RecordError::malformed(3), RecordError::malformed(4), RecordError::conflict(4, None)]);
        assert_eq!(r.rejected, 4);
        assert!(r.is_balanced());
        assert_eq!(r.status(), 207);
        assert_eq!(r.codes().len(), 4);
    }

    #[cfg(feature = "openapi")]
    #[test]
    fn the_schema_names_the_wire_fields() {
        use utoipa::PartialSchema;
        let schema = serde_json::to_value(Receipt::schema()).unwrap();
        let props = schema["properties"].as_object().unwrap();
        for f in ["batchId", "table", "companyCode", "receivedAt", "received", "rejected", "errors", "dryRun"] {
            assert!(props.contains_key(f), "{f} in {schema}");
        }
        assert_eq!(props["receivedAt"]["type"], "string");
        let code = serde_json::to_value(ErrorCode::schema()).unwrap();
        assert!(code.to_string().contains("pending_parent"), "{code}");
    }

    #[test]
    fn status_follows_the_rejections() {
        let mut r = receipt(2);
        assert_eq!(r.status(), 200);
        r.rejected = 1;
        assert_eq!(r.status(), 207);
        r.rejected = 2;
        assert_eq!(r.status(), 422);
    }
}
