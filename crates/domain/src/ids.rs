//! Typed ids of what the platform stores: a received batch ([`BatchId`]) and an exchange record ([`RecordId`]).
//! Storage signatures take these (and [`CompanyCode`](crate::CompanyCode)) rather than `&str`; a raw value from a
//! URL or a query is parsed once, at the edge.

use crate::DomainError;
use crate::newtype::text_newtype;
use serde::Serialize;

/// The id of a received batch: the UUID the platform assigns when it receives one (text).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "String")]
pub struct BatchId(String);

text_newtype!(BatchId);

impl BatchId {
    /// A batch id the platform made, or one read back from storage or named by a caller (looking up an id that no
    /// batch has simply finds nothing, so any text is accepted).
    pub fn new(id: String) -> BatchId {
        BatchId(id)
    }
}

/// The `id` of an exchange record: 32 hex digits, or 36 characters `8-4-4-4-12` with hyphens (the form the exchange
/// contract requires and `exchange` validates). Ids are unique per enterprise and table only.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "String")]
pub struct RecordId(String);

text_newtype!(RecordId);

impl RecordId {
    /// Parses a record id of the contract's form; anything else is [`DomainError::BadRecordId`].
    pub fn parse(s: &str) -> Result<RecordId, DomainError> {
        if RecordId::is_valid(s) { Ok(RecordId(s.to_owned())) } else { Err(DomainError::BadRecordId(s.to_owned())) }
    }

    /// A record id read back from the database (stored only after `exchange` validated it), taken as it is.
    pub fn from_stored(id: String) -> RecordId {
        RecordId(id)
    }
}

impl RecordId {
    /// Whether `s` is a record id of the contract: 32 hex digits, or 36 characters `8-4-4-4-12` of hex digits with
    /// hyphens (checked without allocating, for the validator's hot path).
    pub fn is_valid(s: &str) -> bool {
        let b = s.as_bytes();
        let hex = |part: &[u8]| part.iter().all(u8::is_ascii_hexdigit);
        match b.len() {
            32 => hex(b),
            36 => {
                [8, 13, 18, 23].iter().all(|&i| b[i] == b'-')
                    && [0..8, 9..13, 14..18, 19..23, 24..36].into_iter().all(|r| hex(&b[r]))
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_ids_are_32_hex_digits_or_hyphenated_uuids() {
        for good in ["0123456789abcdefABCDEF0123456789", "01234567-89ab-cdef-0123-456789ABCDEF"] {
            assert_eq!(RecordId::parse(good).unwrap().as_str(), good);
        }
        for bad in [
            "",
            "nothing",
            "0123456789abcdef0123456789abcde",
            "0123456789abcdef0123456789abcdeg",
            "01234567-89ab-cdef-0123456789abcdef0",
            "01234567089ab-cdef-0123-456789abcdef",
        ] {
            assert_eq!(RecordId::parse(bad).unwrap_err().code(), crate::Code::BadPath);
        }
    }

    #[test]
    fn ids_serialize_and_display_as_their_text() {
        let b = BatchId::new("b-1".into());
        assert_eq!(serde_json::to_string(&b).unwrap(), "\"b-1\"");
        assert_eq!(b.to_string(), "b-1");
        let r = RecordId::from_stored("x".into());
        assert_eq!(serde_json::to_string(&r).unwrap(), "\"x\"");
        assert_eq!(r.to_string(), "x");
    }
}
