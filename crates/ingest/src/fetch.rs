//! One page from an enterprise endpoint, with retries: `GET {base}/{table}?updatedSince=&limit=&cursor=`.

use chrono::NaiveDateTime;
use domain::ExchangeTable;
use exchange::{Body, BodyError};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;
use std::time::Duration;
use thiserror::Error;

/// Why a page could not be had.
#[derive(Debug, Error)]
pub enum FetchError {
    /// No answer in time, refused connection, or a broken transfer.
    #[error("连接失败或超时 / connection failed or timed out: {0}")]
    Transport(String),
    /// An HTTP error status.
    #[error("HTTP {0}")]
    Status(u16),
    /// The endpoint does not serve this table (404): treated as having no data for it.
    #[error("the endpoint does not serve this table")]
    NoSuchTable,
    /// A body that is not a page, or cannot be decrypted.
    #[error("应答无效 / unusable answer: {0}")]
    Body(#[from] BodyError),
    /// The endpoint answered 404 for every table: most likely a wrong base URL.
    #[error(
        "接口对所有数据表都返回 404，基础地址可能有误 / the endpoint answered 404 for every table: check its base URL"
    )]
    NoTables,
    /// An encrypted page from an enterprise without a configured key.
    #[error("应答已加密但未配置密钥 / the answer is encrypted but no key is configured")]
    NoKey,
}

impl FetchError {
    /// Whether another attempt may succeed.
    pub fn retryable(&self) -> bool {
        match self {
            FetchError::Transport(_) => true,
            // A cut or garbled page may be a passing fault; a page that decrypts wrongly will not improve.
            FetchError::Body(BodyError::Decrypt(_)) => false,
            FetchError::Body(_) => true,
            FetchError::Status(s) => *s >= 500 || *s == 429,
            FetchError::NoSuchTable | FetchError::NoTables | FetchError::NoKey => false,
        }
    }
}

/// A decoded page.
#[derive(Debug)]
pub struct Page {
    /// The records.
    pub records: Vec<Value>,
    /// Where the next page starts, when there is one.
    pub next_cursor: Option<String>,
}

/// What to ask for.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The enterprise's base URL.
    pub base_url: &'a str,
    /// The table.
    pub table: ExchangeTable,
    /// Records updated at or after this moment (UTC), sent as local time.
    pub since: Option<NaiveDateTime>,
    /// The page size.
    pub limit: usize,
    /// The cursor of the page, after the first.
    pub cursor: Option<&'a str>,
    /// The key and IV of encrypted answers.
    pub key: Option<([u8; 16], [u8; 16])>,
    /// The cipher of encrypted answers (the enterprise's, from the registry).
    pub cipher: domain::client::Cipher,
}

/// Fetches and decodes one page (one attempt).
pub async fn page(http: &reqwest::Client, r: &Request<'_>) -> Result<Page, FetchError> {
    let mut query: Vec<(&str, String)> = vec![("limit", r.limit.to_string())];
    if let Some(since) = r.since {
        query.push(("updatedSince", exchange::format_datetime(domain::time::utc_to_local(since))));
    }
    if let Some(c) = r.cursor {
        query.push(("cursor", c.to_owned()));
    }
    let query: Vec<String> = query.iter().map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, ENCODED))).collect();
    let url = format!("{}/{}?{}", r.base_url.trim_end_matches('/'), r.table.name(), query.join("&"));
    let res = http.get(&url).send().await.map_err(transport)?;
    let status = res.status().as_u16();
    if status == 404 {
        return Err(FetchError::NoSuchTable);
    }
    if status != 200 {
        return Err(FetchError::Status(status));
    }
    let bytes = res.bytes().await.map_err(transport)?;
    let page = exchange::parse_page(&bytes)?;
    let records = match page.datas {
        Body::Records(v) => v,
        Body::Encrypted(b64) => {
            let (key, iv) = r.key.ok_or(FetchError::NoKey)?;
            let plain = exchange::decrypt_datas(&b64, r.cipher, &key, &iv)?;
            exchange::parse_page_records(&plain).map_err(|e| match e {
                BodyError::NotJson(why) => BodyError::Decrypt(format!("the decrypted text is not JSON: {why}")),
                other => other,
            })?
        }
    };
    Ok(Page { records, next_cursor: page.next_cursor })
}

/// Names the kind of a transport failure, with its innermost cause.
fn transport(e: reqwest::Error) -> FetchError {
    let kind = if e.is_timeout() {
        "超时 / timed out"
    } else if e.is_connect() {
        "无法连接 / cannot connect"
    } else if e.is_body() || e.is_decode() {
        "应答体中断 / the body broke off"
    } else {
        "请求失败 / request failed"
    };
    let mut cause: &dyn std::error::Error = &e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    FetchError::Transport(format!("{kind}: {cause}"))
}

/// What a query value keeps as it is: the unreserved characters of RFC 3986 (a space is sent as `%20`).
const ENCODED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// The delay before retry `attempt` (0 for the first retry): exponential from `base`, plus up to `base` of jitter.
pub fn backoff(base: Duration, attempt: u32) -> Duration {
    use std::hash::BuildHasher;
    let random = std::collections::hash_map::RandomState::new().hash_one(attempt);
    let jitter = base.mul_f64((random % 1000) as f64 / 1000.0);
    base.saturating_mul(1 << attempt.min(10)) + jitter
}

/// Fetches a page, retrying what may succeed on a later attempt.
pub async fn page_with_retries(
    http: &reqwest::Client,
    r: &Request<'_>,
    attempts: u32,
    base: Duration,
) -> Result<Page, FetchError> {
    let mut attempt = 0;
    loop {
        match page(http, r).await {
            Ok(p) => return Ok(p),
            Err(e) if e.retryable() && attempt + 1 < attempts => {
                tracing::debug!(url = r.base_url, table = %r.table, error = %e, attempt, "pull retry");
                tokio::time::sleep(backoff(base, attempt)).await;
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    }
}
