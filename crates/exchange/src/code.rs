//! The stable error codes of a rejected record (`data-exchange.md` §3).

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a record was rejected (or, for [`ErrorCode::PendingParent`], held back).
///
/// The codes are part of the contract: they appear in receipts as snake_case strings and never change meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The record is not a JSON object.
    Malformed,
    /// A required field is absent, `null` or blank.
    MissingField,
    /// A field has the wrong JSON type (a number where a string is expected, an array, …).
    BadType,
    /// A value outside its enumeration or range.
    BadEnum,
    /// A text longer than its limit (counted in characters).
    TooLong,
    /// A value of the right type whose form is wrong (a datetime, an id, control characters, …).
    BadFormat,
    /// The record names another enterprise than the sender, or one that is not registered.
    BadCompany,
    /// The parent key names a record of another enterprise (checked by storage).
    UnknownParent,
    /// Fields that contradict each other (a cross-field rule of §2).
    Inconsistent,
    /// A datetime more than 10 minutes after the moment of receipt.
    FutureTime,
    /// A later record of the same batch with an `id` seen before in it.
    DuplicateInBatch,
    /// An `updateDate` older than the stored version's (checked by storage).
    StaleVersion,
    /// The same `updateDate` as the stored version but different content (checked by storage).
    Conflict,
    /// The parent has not arrived yet: the record is held, not rejected (checked by storage).
    PendingParent,
    /// A warning, not a rejection: a field was sent under an alias (`dangersSrc` for `dangerSrc`) and read as the
    /// field it stands for.
    AliasUsed,
    /// A warning, not a rejection: a datetime was sent as epoch milliseconds (a JSON number) and read as that
    /// moment.
    EpochTime,
    /// A photo field (`dangerImg`, …) that is neither an http(s) link nor a JPEG or PNG image of at most 5 MiB in
    /// base64 (checked when the photos are taken out of a danger, `ingest::photos`).
    BadImage,
}

impl ErrorCode {
    /// Every code, in declaration order.
    pub const ALL: [ErrorCode; 17] = [
        ErrorCode::Malformed,
        ErrorCode::MissingField,
        ErrorCode::BadType,
        ErrorCode::BadEnum,
        ErrorCode::TooLong,
        ErrorCode::BadFormat,
        ErrorCode::BadCompany,
        ErrorCode::UnknownParent,
        ErrorCode::Inconsistent,
        ErrorCode::FutureTime,
        ErrorCode::DuplicateInBatch,
        ErrorCode::StaleVersion,
        ErrorCode::Conflict,
        ErrorCode::PendingParent,
        ErrorCode::AliasUsed,
        ErrorCode::EpochTime,
        ErrorCode::BadImage,
    ];

    /// The wire form, e.g. `"missing_field"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Malformed => "malformed",
            ErrorCode::MissingField => "missing_field",
            ErrorCode::BadType => "bad_type",
            ErrorCode::BadEnum => "bad_enum",
            ErrorCode::TooLong => "too_long",
            ErrorCode::BadFormat => "bad_format",
            ErrorCode::BadCompany => "bad_company",
            ErrorCode::UnknownParent => "unknown_parent",
            ErrorCode::Inconsistent => "inconsistent",
            ErrorCode::FutureTime => "future_time",
            ErrorCode::DuplicateInBatch => "duplicate_in_batch",
            ErrorCode::StaleVersion => "stale_version",
            ErrorCode::Conflict => "conflict",
            ErrorCode::PendingParent => "pending_parent",
            ErrorCode::AliasUsed => "alias_used",
            ErrorCode::EpochTime => "epoch_time",
            ErrorCode::BadImage => "bad_image",
        }
    }

    /// Parses the wire form (the inverse of [`as_str`](ErrorCode::as_str)), e.g. when reading stored receipts.
    pub fn parse(s: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Whether an error of this code rejects its record. [`ErrorCode::PendingParent`] does not: such a record is
    /// held and counted as `pending` in the receipt, and its notice is listed among the errors. Nor do the
    /// [warnings](ErrorCode::is_warning), which the receipt lists apart.
    pub fn is_rejection(self) -> bool {
        self != ErrorCode::PendingParent && !self.is_warning()
    }

    /// Whether this code is a warning about a record that was read all the same (`alias_used`, `epoch_time`):
    /// listed in the receipt's `warnings`, never in `errors`.
    pub fn is_warning(self) -> bool {
        matches!(self, ErrorCode::AliasUsed | ErrorCode::EpochTime)
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_snake_case_and_parse_back() {
        for c in ErrorCode::ALL {
            assert_eq!(ErrorCode::parse(c.as_str()), Some(c));
            assert_eq!(serde_json::to_value(c).ok(), Some(serde_json::Value::from(c.as_str())));
            assert_eq!(c.to_string(), c.as_str());
        }
        assert_eq!(ErrorCode::MissingField.as_str(), "missing_field");
        assert_eq!(ErrorCode::parse("nope"), None);
        assert!(!ErrorCode::PendingParent.is_rejection());
        assert!(ErrorCode::Conflict.is_rejection());
    }
}
