//! The body of a push (`data-exchange.md` §4) and of a pull answer: a JSON array of records, or the `datas`
//! envelope around it (Base64 of the encrypted array, or the plain array itself).

use domain::Code;
use serde_json::Value;
use thiserror::Error;

/// The most records one push may carry; more is [`BodyError::TooMany`].
pub const MAX_RECORDS: usize = 500;

/// A push body, before the records are validated.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// The records, sent in clear (a plain array, or `{"datas": [...]}`).
    Records(Vec<Value>),
    /// The `datas` text to decrypt with the enterprise's key ([`decrypt_datas`](crate::decrypt_datas)), then to
    /// read with [`parse_records`].
    Encrypted(String),
}

/// Why a whole body was refused (answered 400 as a whole; no record of it is looked at).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BodyError {
    /// Not JSON (or not UTF-8); the parser's message.
    #[error("请求体不是有效的 JSON / the body is not valid JSON: {0}")]
    NotJson(String),
    /// JSON, but neither an array nor `{"datas": …}` with a string or an array.
    #[error("请求体必须是 JSON 数组或 {{\"datas\": …}} / the body must be a JSON array or {{\"datas\": …}}")]
    NotArray,
    /// An empty array (or an empty `datas` text).
    #[error("批次中没有记录 / the batch holds no records")]
    Empty,
    /// More than [`MAX_RECORDS`] records; the number sent.
    #[error("每批最多 500 条记录，收到 {0} 条 / at most 500 records a batch, got {0}")]
    TooMany(usize),
    /// `datas` could not be decoded or decrypted; why.
    #[error("datas 无法解密 / datas cannot be decrypted: {0}")]
    Decrypt(String),
}

impl BodyError {
    /// The stable code: `malformed_body`, `not_an_array`, `empty_batch`, `too_many_records` or `decrypt_failed`.
    pub fn code(&self) -> Code {
        match self {
            BodyError::NotJson(_) => Code::MalformedBody,
            BodyError::NotArray => Code::NotAnArray,
            BodyError::Empty => Code::EmptyBatch,
            BodyError::TooMany(_) => Code::TooManyRecords,
            BodyError::Decrypt(_) => Code::DecryptFailed,
        }
    }
}

/// Skips a UTF-8 byte order mark, which some Windows clients put before the JSON.
fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

fn json(bytes: &[u8]) -> Result<Value, BodyError> {
    serde_json::from_slice(strip_bom(bytes)).map_err(|e| BodyError::NotJson(e.to_string()))
}

/// Checks the number of records of a push: at least one, at most [`MAX_RECORDS`].
fn counted(records: Vec<Value>) -> Result<Vec<Value>, BodyError> {
    match records.len() {
        0 => Err(BodyError::Empty),
        n if n > MAX_RECORDS => Err(BodyError::TooMany(n)),
        _ => Ok(records),
    }
}

/// Whether a `datas` text is a JSON array written as a string (`"[{…}]"`, a double encoding some clients
/// produce) rather than Base64, whose alphabet has no `[`.
fn is_json_text(s: &str) -> bool {
    s.trim_start().starts_with('[')
}

/// Reads a push body: a JSON array of records, `{"datas": "<Base64>"}` or `{"datas": [...]}`.
///
/// Other members of the envelope are ignored. A leading UTF-8 byte order mark is skipped. A `datas` string that
/// holds a JSON array in clear (`"[{…}]"`) is read as that array. A clear array must hold 1 to [`MAX_RECORDS`]
/// records; an encrypted one is counted by [`parse_records`] after decryption.
pub fn parse_body(bytes: &[u8]) -> Result<Body, BodyError> {
    match json(bytes)? {
        Value::Array(records) => counted(records).map(Body::Records),
        Value::Object(mut envelope) => match envelope.remove("datas") {
            Some(Value::Array(records)) => counted(records).map(Body::Records),
            Some(Value::String(s)) if s.trim().is_empty() => Err(BodyError::Empty),
            Some(Value::String(s)) if is_json_text(&s) => parse_records(s.as_bytes()).map(Body::Records),
            Some(Value::String(s)) => Ok(Body::Encrypted(s)),
            _ => Err(BodyError::NotArray),
        },
        _ => Err(BodyError::NotArray),
    }
}

/// Reads decrypted `datas`: a JSON array of 1 to [`MAX_RECORDS`] records.
pub fn parse_records(plain_json: &[u8]) -> Result<Vec<Value>, BodyError> {
    match json(plain_json)? {
        Value::Array(records) => counted(records),
        _ => Err(BodyError::NotArray),
    }
}

/// One page of a pull answer: `{"datas": [...] | "<encrypted>", "nextCursor": "<c>" | null}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The records (an empty array is a page with nothing new), or the text to decrypt and read with
    /// [`parse_page_records`].
    pub datas: Body,
    /// Where the next page starts; `None` (absent, `null` or blank) on the last page.
    pub next_cursor: Option<String>,
}

/// Reads a pull answer. Unlike a push, an empty page is normal and no record limit applies (the platform asked
/// for `limit` records; an enterprise sending more is still read).
pub fn parse_page(bytes: &[u8]) -> Result<Page, BodyError> {
    let Value::Object(mut envelope) = json(bytes)? else { return Err(BodyError::NotArray) };
    let next_cursor = match envelope.remove("nextCursor") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let datas = match envelope.remove("datas") {
        Some(Value::Array(records)) => Body::Records(records),
        Some(Value::String(s)) if s.trim().is_empty() => Body::Records(Vec::new()),
        Some(Value::String(s)) if is_json_text(&s) => Body::Records(parse_page_records(s.as_bytes())?),
        Some(Value::String(s)) => Body::Encrypted(s),
        _ => return Err(BodyError::NotArray),
    };
    Ok(Page { datas, next_cursor })
}

/// Reads the decrypted `datas` of a pull page: a JSON array, possibly empty.
pub fn parse_page_records(plain_json: &[u8]) -> Result<Vec<Value>, BodyError> {
    match json(plain_json)? {
        Value::Array(records) => Ok(records),
        _ => Err(BodyError::NotArray),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_bodies() {
        assert!(matches!(parse_body(b"[{}]"), Ok(Body::Records(r)) if r.len() == 1));
        assert!(matches!(parse_body(b"\xEF\xBB\xBF[{}]"), Ok(Body::Records(_))));
        assert!(matches!(parse_body(br#"{"datas": [{}, 1]}"#), Ok(Body::Records(r)) if r.len() == 2));
        assert_eq!(parse_body(br#"{"datas": "QUJD"}"#), Ok(Body::Encrypted("QUJD".into())));
        assert_eq!(parse_body(br#"{"datas": " [{\"a\": 1}]"}"#), Ok(Body::Records(vec![serde_json::json!({"a": 1})])));
        assert_eq!(parse_body(br#"{"datas": "[]"}"#), Err(BodyError::Empty));
        assert!(matches!(parse_body(br#"{"datas": "[{"}"#), Err(BodyError::NotJson(_))));
        assert!(matches!(parse_body(b"[{]"), Err(BodyError::NotJson(_))));
        assert!(matches!(parse_body(b"\xff"), Err(BodyError::NotJson(_))));
        for not_array in [&b"{}"[..], b"{\"data\": []}", b"{\"datas\": 1}", b"\"x\"", b"null", b"3"] {
            assert_eq!(parse_body(not_array), Err(BodyError::NotArray));
        }
        assert_eq!(parse_body(b"[]"), Err(BodyError::Empty));
        assert_eq!(parse_body(br#"{"datas": ""}"#), Err(BodyError::Empty));
        let many = format!("[{}{{}}]", "{},".repeat(MAX_RECORDS));
        assert_eq!(parse_body(many.as_bytes()), Err(BodyError::TooMany(501)));
        let full = format!("[{}{{}}]", "{},".repeat(MAX_RECORDS - 1));
        assert!(parse_body(full.as_bytes()).is_ok());
    }

    #[test]
    fn decrypted_records_and_codes() {
        assert_eq!(parse_records(b"[1]").map(|r| r.len()), Ok(1));
        assert_eq!(parse_records(b"{}"), Err(BodyError::NotArray));
        assert_eq!(parse_records(b"[]"), Err(BodyError::Empty));
        let codes: Vec<_> = [
            BodyError::NotJson(String::new()),
            BodyError::NotArray,
            BodyError::Empty,
            BodyError::TooMany(501),
            BodyError::Decrypt(String::new()),
        ]
        .iter()
        .map(|e| (e.code().as_str(), e.to_string().contains(" / ")))
        .collect();
        assert_eq!(
            codes,
            [
                ("malformed_body", true),
                ("not_an_array", true),
                ("empty_batch", true),
                ("too_many_records", true),
                ("decrypt_failed", true)
            ]
        );
    }

    #[test]
    fn pull_pages() {
        let p = parse_page(br#"{"datas": [], "nextCursor": null}"#);
        assert_eq!(p, Ok(Page { datas: Body::Records(vec![]), next_cursor: None }));
        let p = parse_page(br#"{"datas": "QUJD", "nextCursor": "c2"}"#);
        assert_eq!(p, Ok(Page { datas: Body::Encrypted("QUJD".into()), next_cursor: Some("c2".into()) }));
        assert_eq!(parse_page(b"[]"), Err(BodyError::NotArray));
        assert_eq!(parse_page_records(b"[]"), Ok(vec![]));
    }
}
