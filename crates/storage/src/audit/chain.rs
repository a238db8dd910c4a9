//! The hash chain of the audit trail: the canonical bytes of a row and its SHA-256.
//!
//! `hash = hex(SHA-256(prev_hash ‖ field(seq) ‖ field(at) ‖ field(actor) ‖ field(role) ‖ field(scope) ‖
//! field(method) ‖ field(route) ‖ field(path) ‖ field(query) ‖ field(status) ‖ field(outcome) ‖ field(detail) ‖
//! field(client)))`, where `prev_hash` is the 64 lowercase hex characters of the previous row's hash (64 zeros for
//! the first row), `field(v)` is the decimal byte length of the UTF-8 text `v`, a colon and the text itself
//! (`5:actor`), and `field(NULL)` is a single `~`. `seq` and `status` are written in decimal, `at` as
//! `YYYY-MM-DDTHH:MM:SS.ffffffZ` (UTC, exactly six fractional digits). `docs/audit.md` shows how to recompute it in
//! SQL.

use chrono::NaiveDateTime;
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first row: 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields of a row that the hash covers, borrowed.
#[derive(Debug, Clone, Copy)]
pub struct Hashed<'a> {
    /// The sequence number.
    pub seq: i64,
    /// When (UTC, microseconds).
    pub at: NaiveDateTime,
    /// Who.
    pub actor: &'a str,
    /// The role, if any.
    pub role: Option<&'a str>,
    /// The scope, if any.
    pub scope: Option<&'a str>,
    /// The HTTP method (or `CLI`).
    pub method: &'a str,
    /// The matched route pattern.
    pub route: &'a str,
    /// The actual path.
    pub path: &'a str,
    /// The query string.
    pub query: &'a str,
    /// The HTTP status.
    pub status: i32,
    /// `ok`, `denied`, `unauthorized`, `rejected` or `error`.
    pub outcome: &'a str,
    /// The handler's detail (JSON), if any.
    pub detail: Option<&'a str>,
    /// The client address, if known.
    pub client: Option<&'a str>,
}

/// The time as the hash writes it: `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
pub fn canonical_time(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

fn push_field(out: &mut Vec<u8>, v: Option<&str>) {
    match v {
        Some(v) => {
            out.extend_from_slice(v.len().to_string().as_bytes());
            out.push(b':');
            out.extend_from_slice(v.as_bytes());
        }
        None => out.push(b'~'),
    }
}

/// The exact bytes that are hashed: `prev_hash` followed by every field (see the module documentation).
pub fn canonical_bytes(prev_hash: &str, row: &Hashed<'_>) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(prev_hash.as_bytes());
    let seq = row.seq.to_string();
    let at = canonical_time(row.at);
    let status = row.status.to_string();
    for v in [
        Some(seq.as_str()),
        Some(at.as_str()),
        Some(row.actor),
        row.role,
        row.scope,
        Some(row.method),
        Some(row.route),
        Some(row.path),
        Some(row.query),
        Some(status.as_str()),
        Some(row.outcome),
        row.detail,
        row.client,
    ] {
        push_field(&mut out, v);
    }
    out
}

/// The hash of a row: lowercase hex SHA-256 of [`canonical_bytes`].
pub fn row_hash(prev_hash: &str, row: &Hashed<'_>) -> String {
    hex::encode(Sha256::digest(canonical_bytes(prev_hash, row)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_is_length_prefixed_with_a_null_marker() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 29)
            .and_then(|d| d.and_hms_micro_opt(1, 2, 3, 4))
            .unwrap_or_default();
        let row = Hashed {
            seq: 1,
            at,
            actor: "-",
            role: None,
            scope: None,
            method: "GET",
            route: "/api/v1/enterprises",
            path: "/api/v1/enterprises",
            query: "city=140200",
            status: 401,
            outcome: "unauthorized",
            detail: None,
            client: Some("127.0.0.1"),
        };
        let bytes = canonical_bytes(GENESIS, &row);
        let expected = format!(
            "{GENESIS}1:127:2026-11-29T01:02:03.000004Z1:-~~3:GET19:/api/v1/enterprises19:/api/v1/enterprises\
             11:city=1402003:40112:unauthorized~9:127.0.0.1"
        );
        assert_eq!(String::from_utf8_lossy(&bytes), expected);
        // SHA-256 of the empty string, as a check of the hex encoding.
        assert_eq!(
            hex::encode(Sha256::digest(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        // The example of docs/audit.md.
        assert_eq!(row_hash(GENESIS, &row), "4fba0fc1acbad672ec00c6689230009d2c9239ea970799fa852bb2c450346933");
    }
}
