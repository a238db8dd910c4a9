//! The middleware that records every request to `/api/v1/*` in the audit trail, after its answer is known.

use super::AuditDetail;
use crate::{AppState, AuthConfig, Role};
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{HttpMessage, web};
use storage::audit::NewAuditRow;

/// The paths that are recorded (and the secret base addresses, `crate::redact`).
pub const RECORDED_PREFIX: &str = "/api/v1/";

/// The outcome of a status: 2xx (and anything below 400) `ok`, 401 `unauthorized`, 403 `denied`, other 4xx
/// `rejected`, 5xx `error`.
pub fn outcome_of(status: StatusCode) -> &'static str {
    match status.as_u16() {
        401 => "unauthorized",
        403 => "denied",
        400..=499 => "rejected",
        500.. => "error",
        _ => "ok",
    }
}

/// Who called, as the token says: (actor, role, scope, whether a bearer token was presented and refused).
fn caller_of(req: &ServiceRequest) -> (String, Option<String>, Option<String>, bool) {
    let bearer = req
        .headers()
        .get("Authorization")
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim);
    let (Some(token), Some(auth)) = (bearer, req.app_data::<web::Data<AuthConfig>>()) else {
        return ("-".to_owned(), None, None, false);
    };
    match auth.verify(token) {
        Ok(claims) => {
            let scope = match claims.role {
                Role::City => claims.city_code,
                Role::Enterprise => claims.company_code,
                _ => None,
            };
            (claims.sub, Some(claims.role.key().to_owned()), scope, false)
        }
        Err(_) => ("-".to_owned(), None, None, true),
    }
}

/// Records the request once answered (see the crate's `docs/audit.md`). Other paths pass through untouched. The row
/// is queued on the state's [`super::AuditSink`]; when the queue is full the answer waits for room.
pub async fn record(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if !req.path().starts_with(RECORDED_PREFIX) && !req.path().starts_with(crate::redact::SECRET_PREFIX) {
        return next.call(req).await;
    }
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let at = state.as_ref().map_or_else(|| domain::Clock::system().now_utc(), |s| s.clock.now_utc());
    let (actor, role, scope, refused) = caller_of(&req);
    let method = req.method().to_string();
    let route = req.match_pattern().unwrap_or_else(|| "-".to_owned());
    let path = crate::redact::path(req.path()).into_owned();
    let query = req.query_string().to_owned();
    let client = req.connection_info().realip_remote_addr().map(str::to_owned);
    let sink = state.map(|s| s.audit.clone());
    let answer = next.call(req).await;
    let (status, detail) = match &answer {
        Ok(res) => {
            let detail = res
                .response()
                .extensions()
                .get::<AuditDetail>()
                .or(res.request().extensions().get::<AuditDetail>())
                .map(|d| d.0.to_string());
            (res.status(), detail)
        }
        Err(e) => (e.as_response_error().status_code(), None),
    };
    // The person or token the request acted as (a session's person, or the name a sign-in tried), once known.
    let (actor, role, scope) = match &answer {
        Ok(res) => {
            let ext = res.request().extensions();
            match (ext.get::<super::AuditActor>(), ext.get::<crate::auth::Caller>()) {
                (Some(a), _) => (a.0.clone(), role, scope),
                (None, Some(c)) => {
                    let scope = c.claims.city_code.clone().or_else(|| c.claims.company_code.clone());
                    (c.claims.sub.clone(), Some(c.claims.role.key().to_owned()), scope)
                }
                (None, None) => (actor, role, scope),
            }
        }
        Err(_) => (actor, role, scope),
    };
    let outcome = if refused { "unauthorized" } else { outcome_of(status) };
    let row = NewAuditRow {
        at,
        actor,
        role,
        scope,
        method,
        route,
        path,
        query,
        status: i32::from(status.as_u16()),
        outcome: outcome.to_owned(),
        detail,
        client,
    };
    match sink {
        Some(sink) => {
            if let Err(e) = sink.record(row).await {
                tracing::error!(error = %e, code = %e.code(), "an audit row was not recorded");
            }
        }
        None => tracing::error!("no AppState in app data: an audit row was not recorded"),
    }
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_follow_the_status() {
        let o = |s: u16| outcome_of(StatusCode::from_u16(s).unwrap_or(StatusCode::IM_A_TEAPOT));
        assert_eq!(
            [o(200), o(207), o(401), o(403), o(404), o(422), o(500), o(503)],
            ["ok", "ok", "unauthorized", "denied", "rejected", "rejected", "error", "error"]
        );
    }
}
