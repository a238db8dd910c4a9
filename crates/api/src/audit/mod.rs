//! The access audit trail of the API: a middleware records every request to `/api/v1/*` (who, what, the answer),
//! a background writer appends the rows to the hash-chained `audit_log` table, and `GET /api/v1/audit` lists them
//! for the province. See `docs/audit.md`.

pub mod middleware;
pub mod route;
pub mod writer;

pub use writer::{AuditError, AuditSink};

/// What a handler adds to its request's audit row (stored as JSON in `detail`), e.g. a push's batch id and counts.
/// Insert it into the response's extensions (`HttpResponse::extensions_mut`) or the request's.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditDetail(pub serde_json::Value);
