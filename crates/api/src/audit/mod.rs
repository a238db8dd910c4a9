//! The access audit trail of the API: a middleware records every request to `/api/v1/*` (who, what, the answer),
//! a background writer appends the rows to the hash-chained `audit_log` table, and `GET /api/v1/audit` lists them
//! for the province. See `docs/audit.md`.

use domain::Code;

pub mod middleware;
pub mod route;
pub mod writer;

pub use writer::AuditSink;

/// What a handler adds to its request's audit row (stored as JSON in `detail`), e.g. a push's batch id and counts.
/// Insert it into the response's extensions (`HttpResponse::extensions_mut`) or the request's.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditDetail(pub serde_json::Value);

/// Who a request was made by when no token or session says it (a sign-in attempt names the person it tries to sign
/// in as): put in the request's extensions by the handler, read by the audit middleware.
#[derive(Debug, Clone)]
pub struct AuditActor(pub String);

/// Why a row could not be handed to the writer.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// The writer has stopped (it could not start, or the process is shutting down).
    #[error("审计日志写入器已停止 / the audit writer has stopped")]
    WriterGone,
}

impl AuditError {
    /// The stable code.
    pub fn code(&self) -> Code {
        Code::AuditWriterGone
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_has_a_stable_code_and_both_languages() {
        let e = AuditError::WriterGone;
        assert_eq!(e.code(), "audit_writer_gone");
        assert!(e.to_string().contains("审计") && e.to_string().contains("audit writer"));
    }
}
