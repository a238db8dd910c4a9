//! The request-id middleware: every answer carries `X-Request-Id` (the client's, when it sent a usable one, else a
//! new one), every request is logged in one line with that id, and its duration is counted by route and status.

use crate::AppState;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, web};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// The header that carries the request id.
pub const REQUEST_ID: &str = "x-request-id";

/// The id of a request, in the request's extensions (handlers and the audit may read it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

/// A client's id is kept when it is 1–64 characters of `[A-Za-z0-9._-]`; anything else is replaced.
fn usable(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

/// A new id: a random process prefix and a counter, in hex (unique per process and restart, cheap).
fn new_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    static START: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let start = *START.get_or_init(|| uuid::Uuid::new_v4().as_u64_pair().0 >> 12);
    format!("{start:x}-{:x}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// Assigns the id, times the request, counts it and logs one line.
pub async fn track(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let started = Instant::now();
    let id = req
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| usable(v))
        .map_or_else(new_id, str::to_owned);
    req.extensions_mut().insert(RequestId(id.clone()));
    let method = req.method().to_string();
    let route = req.match_pattern().unwrap_or_else(|| "-".to_owned());
    let path = crate::redact::path(req.path()).into_owned();
    let telemetry = req.app_data::<web::Data<AppState>>().map(|s| s.telemetry.clone());
    // Handlers' and the policy's refusals arrive as answers (with the id); only a failure inside a middleware
    // arrives as an error, answered by actix without it.
    let mut res = next.call(req).await?.map_into_boxed_body();
    let status = res.status();
    let seconds = started.elapsed().as_secs_f64();
    if let Some(t) = telemetry {
        t.request(&method, &route, status.as_u16(), seconds);
    }
    tracing::info!(
        request_id = %id, %method, %route, %path, status = status.as_u16(), ms = seconds * 1000.0, "request"
    );
    if let Ok(value) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(HeaderName::from_static(REQUEST_ID), value);
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_ids_are_kept_only_when_usable() {
        assert!(usable("abc-123_X.y"));
        assert!(!usable(""));
        assert!(!usable(&"a".repeat(65)));
        assert!(!usable("a b"));
        assert!(!usable("ü"));
        let (a, b) = (new_id(), new_id());
        assert_ne!(a, b);
        assert!(usable(&a));
    }
}
