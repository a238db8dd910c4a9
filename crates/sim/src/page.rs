//! The pull query (`updatedSince`, `limit`, `cursor`) and the opaque cursor.

use chrono::{DateTime, NaiveDateTime};
use domain::records::Record;

/// The most records a page holds, and the default `limit`.
pub const MAX_LIMIT: usize = 500;

/// Where a page ended: the (updateDate, id) of its last version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Key {
    pub(crate) update: NaiveDateTime,
    pub(crate) id: String,
}

impl Key {
    /// The key of a record version.
    pub(crate) fn of(r: &Record) -> Key {
        Key { update: r.common.update_date, id: r.common.id.clone() }
    }

    /// The cursor text: hex of `v1|<unix seconds of updateDate>|<id>` (opaque to clients).
    pub(crate) fn encode(&self) -> String {
        let plain = format!("v1|{}|{}", self.update.and_utc().timestamp(), self.id);
        hex::encode(plain)
    }

    /// Reads a cursor text back.
    pub(crate) fn decode(s: &str) -> Option<Key> {
        if !s.len().is_multiple_of(2) || s.len() > 256 {
            return None;
        }
        let plain = String::from_utf8(hex::decode(s).ok()?).ok()?;
        let mut parts = plain.splitn(3, '|');
        if parts.next()? != "v1" {
            return None;
        }
        let secs: i64 = parts.next()?.parse().ok()?;
        let id = parts.next()?.to_owned();
        Some(Key { update: DateTime::from_timestamp(secs, 0)?.naive_utc(), id })
    }
}

/// Why a query was refused (answered 400).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum QueryError {
    Since(String),
    Limit(String),
    Cursor(String),
}

impl QueryError {
    /// A message for the 400 answer.
    pub(crate) fn message(&self) -> String {
        match self {
            QueryError::Since(s) => {
                format!("updatedSince 必须为 yyyy-MM-dd HH:mm:ss / updatedSince must be yyyy-MM-dd HH:mm:ss: {s:?}")
            }
            QueryError::Limit(s) => format!("limit 必须为正整数 / limit must be a positive integer: {s:?}"),
            QueryError::Cursor(s) => format!("cursor 无效 / invalid cursor: {s:?}"),
        }
    }
}

/// A parsed pull query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Query {
    /// `updatedSince` as UTC.
    pub(crate) since: Option<NaiveDateTime>,
    pub(crate) limit: usize,
    pub(crate) after: Option<Key>,
}

/// Parses the query parameters; blank values count as absent, a `limit` above [`MAX_LIMIT`] is lowered to it.
pub(crate) fn parse_query(since: Option<&str>, limit: Option<&str>, cursor: Option<&str>) -> Result<Query, QueryError> {
    fn present(v: Option<&str>) -> Option<&str> {
        v.map(str::trim).filter(|s| !s.is_empty())
    }
    let since = match present(since) {
        Some(s) => Some(
            exchange::parse_datetime(s)
                .map(domain::time::local_to_utc)
                .ok_or_else(|| QueryError::Since(s.to_owned()))?,
        ),
        None => None,
    };
    let limit = match present(limit) {
        Some(s) => match s.parse::<u64>() {
            Ok(n) if n > 0 => usize::try_from(n).unwrap_or(MAX_LIMIT).min(MAX_LIMIT),
            _ => return Err(QueryError::Limit(s.to_owned())),
        },
        None => MAX_LIMIT,
    };
    let after = match present(cursor) {
        Some(s) => Some(Key::decode(s).ok_or_else(|| QueryError::Cursor(s.to_owned()))?),
        None => None,
    };
    Ok(Query { since, limit, after })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_bad_ones_are_refused() {
        let k = Key {
            update: NaiveDateTime::parse_from_str("2026-05-01 02:03:04", "%Y-%m-%d %H:%M:%S").unwrap_or_default(),
            id: "0123456789abcdef0123456789abcdef".into(),
        };
        assert_eq!(Key::decode(&k.encode()), Some(k));
        for bad in ["", "zz", "abc", "7631", "76327c317c78"] {
            assert_eq!(Key::decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn queries() {
        let q = parse_query(Some("2026-05-01 08:00:00"), Some("9999"), None).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(q.limit, MAX_LIMIT);
        assert_eq!(q.since.map(|t| t.to_string()), Some("2026-05-01 00:00:00".to_owned()));
        assert_eq!(parse_query(None, None, Some(" ")).map(|q| q.limit), Ok(MAX_LIMIT));
        assert!(matches!(parse_query(Some("yesterday"), None, None), Err(QueryError::Since(_))));
        assert!(matches!(parse_query(None, Some("0"), None), Err(QueryError::Limit(_))));
        assert!(matches!(parse_query(None, Some("-3"), None), Err(QueryError::Limit(_))));
        assert!(matches!(parse_query(None, None, Some("nope")), Err(QueryError::Cursor(_))));
    }
}
