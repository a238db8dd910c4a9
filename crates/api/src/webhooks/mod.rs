//! Webhooks: subscriptions (province or service) receive the change feed's events as signed POSTs from a worker,
//! never from a request handler (`docs/integration.md`).
//!
//! Each delivery carries `X-Dualprev-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`,
//! `X-Dualprev-Event: <kind>` and `X-Dualprev-Delivery: <delivery id>`. Deliveries of one subscription go out in
//! cursor order: event n+1 waits until n is delivered or has failed for good.

pub mod dto;
pub mod route;
pub mod worker;

use domain::Code;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::time::Duration;

pub use worker::start_delivery_worker;

/// The signature header.
pub const SIGNATURE_HEADER: &str = "X-Dualprev-Signature";

/// How deliveries are retried, paused and timed out. The defaults are the documented ones; tests shorten them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebhookConfig {
    /// The pause after the first failed attempt; it doubles after each further one (10 s).
    pub backoff_base: Duration,
    /// The longest pause between attempts (1 h).
    pub backoff_cap: Duration,
    /// How long after its first attempt a delivery is retried before it is marked `failed` (24 h).
    pub retry_for: Duration,
    /// Consecutive failed attempts (any delivery of the subscription) after which it is paused (20).
    pub pause_after: i32,
    /// The time a receiver has to answer (10 s).
    pub timeout: Duration,
    /// How often the worker looks for due deliveries when nothing wakes it (1 s).
    pub poll: Duration,
    /// How often a process that does not deliver asks again whether it may (the deliverer may have died) (5 s).
    pub leader_retry: Duration,
    /// How often the delivering process checks, before a round, that it still holds its leadership (1 s): its lock
    /// goes when its connection is ended, and another process may then take over.
    pub leader_check: Duration,
}

impl Default for WebhookConfig {
    fn default() -> Self {
        WebhookConfig {
            backoff_base: Duration::from_secs(10),
            backoff_cap: Duration::from_secs(3600),
            retry_for: Duration::from_secs(24 * 3600),
            pause_after: 20,
            timeout: Duration::from_secs(10),
            poll: Duration::from_secs(1),
            leader_retry: Duration::from_secs(5),
            leader_check: Duration::from_secs(1),
        }
    }
}

impl WebhookConfig {
    /// The pause after the `attempts`-th failed attempt (1-based): base × 2^(attempts − 1), capped.
    pub fn backoff(&self, attempts: i32) -> Duration {
        let exp = u32::try_from(attempts.saturating_sub(1)).unwrap_or(0).min(20);
        self.backoff_base.saturating_mul(1 << exp).min(self.backoff_cap)
    }
}

/// The hex HMAC-SHA256 of `"<t>.<body>"` under `secret`.
pub fn signature(secret: &[u8], t: i64, body: &[u8]) -> String {
    let mut mac = mac(secret);
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// The value of the signature header of a body sent at `t` (unix seconds).
pub fn signature_header(secret: &[u8], t: i64, body: &[u8]) -> String {
    format!("t={t},v1={}", signature(secret, t, body))
}

/// Why a signature was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The header is not `t=…,v1=…`.
    #[error("签名头格式错误 / malformed signature header")]
    Malformed,
    /// The timestamp is further from now than the tolerance (a replayed request).
    #[error("签名时间超出容差 / the signature's timestamp is outside the tolerance")]
    Stale,
    /// No `v1` matches the body and timestamp.
    #[error("签名不匹配 / the signature does not match")]
    Mismatch,
}

impl SignatureError {
    /// The stable code.
    pub fn code(&self) -> Code {
        match self {
            SignatureError::Malformed => Code::SignatureMalformed,
            SignatureError::Stale => Code::SignatureStale,
            SignatureError::Mismatch => Code::SignatureMismatch,
        }
    }
}

/// The receiver's check, exactly as `docs/integration.md` documents it: parse `t` and every `v1`, refuse a `t`
/// more than `tolerance` seconds from `now`, recompute the HMAC over `"<t>.<body>"` and compare in constant time.
pub fn verify(secret: &[u8], header: &str, body: &[u8], now: i64, tolerance: i64) -> Result<(), SignatureError> {
    let mut t = None;
    let mut sigs = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => t = v.parse::<i64>().ok(),
            Some(("v1", v)) => sigs.push(v.to_owned()),
            _ => {}
        }
    }
    let t = t.ok_or(SignatureError::Malformed)?;
    if sigs.is_empty() {
        return Err(SignatureError::Malformed);
    }
    if (now - t).abs() > tolerance {
        return Err(SignatureError::Stale);
    }
    for sig in sigs {
        let Ok(bytes) = hex::decode(&sig) else { continue };
        let mut m = mac(secret);
        m.update(t.to_string().as_bytes());
        m.update(b".");
        m.update(body);
        if m.verify_slice(&bytes).is_ok() {
            return Ok(());
        }
    }
    Err(SignatureError::Mismatch)
}

fn mac(secret: &[u8]) -> Hmac<Sha256> {
    // HMAC takes a key of any length; `new_from_slice` cannot fail for it.
    match <Hmac<Sha256> as KeyInit>::new_from_slice(secret) {
        Ok(m) => m,
        Err(_) => unreachable!("HMAC accepts keys of any length"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_and_a_tampered_one_does_not() {
        let (secret, body, t) = (b"whsec_test", br#"{"cursor":1}"#, 1_700_000_000);
        let header = signature_header(secret, t, body);
        assert_eq!(verify(secret, &header, body, t + 10, 300), Ok(()));
        assert_eq!(verify(secret, &header, br#"{"cursor":2}"#, t, 300), Err(SignatureError::Mismatch));
        assert_eq!(verify(b"other", &header, body, t, 300), Err(SignatureError::Mismatch));
        let moved = header.replace(&format!("t={t}"), &format!("t={}", t + 1));
        assert_eq!(verify(secret, &moved, body, t, 300), Err(SignatureError::Mismatch));
        assert_eq!(verify(secret, &header, body, t + 301, 300), Err(SignatureError::Stale));
        assert_eq!(verify(secret, "v1=00", body, t, 300), Err(SignatureError::Malformed));
    }

    #[test]
    fn known_vector() {
        // printf '1700000000.{}' | openssl dgst -sha256 -hmac secret
        assert_eq!(
            signature(b"secret", 1_700_000_000, b"{}"),
            "b8569b78799ff9e3cbff0fc2d63a33a2b57f3282abd07c37ae5e8e7d79a5f163"
        );
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let c = WebhookConfig::default();
        assert_eq!(c.backoff(1), Duration::from_secs(10));
        assert_eq!(c.backoff(2), Duration::from_secs(20));
        assert_eq!(c.backoff(9), Duration::from_secs(2560));
        assert_eq!(c.backoff(10), Duration::from_secs(3600));
        assert_eq!(c.backoff(1000), Duration::from_secs(3600));
    }
}
