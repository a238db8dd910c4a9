//! API errors as `application/problem+json` (RFC 9457). Every code, its HTTP status and its title come from the one
//! registry, `domain::Code`; the only rule added here is that a code broken inside a JSON body answers 422.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use domain::Code;
use report::monthly::ReportError;
use serde::Serialize;
use storage::StorageError;
use thiserror::Error;
use utoipa::ToSchema;

/// A problem document (RFC 9457) with a stable snake_case `code`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"type": "urn:dualprev:error:forbidden", "title": "超出访问范围 / Outside the caller's scope", "status": 403,
    "detail": "无权访问其他地市的数据 / no access to another city's data", "code": "forbidden"}))]
pub struct Problem {
    /// A URI naming the problem type: `urn:dualprev:error:<code>`.
    #[serde(rename = "type")]
    pub type_uri: String,
    /// The title of the code: Chinese / English (the same for every occurrence of a code).
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong, in Chinese and English.
    pub detail: String,
    /// The stable error code: one of the registry's (`docs/errors.md`).
    pub code: String,
    /// With `cursor_expired` (410): the oldest cursor the change feed still holds.
    #[serde(rename = "oldestCursor", skip_serializing_if = "Option::is_none")]
    pub oldest_cursor: Option<i64>,
}

/// An error answered by the API.
#[derive(Debug, Error)]
pub enum ApiError {
    /// No token, or a token that is malformed, expired, forged, wrongly signed or unsigned.
    #[error("需要有效的令牌 / a valid token is required: {0}")]
    Unauthorized(String),
    /// Like [`ApiError::Unauthorized`], on a route that also accepts HTTP Basic (the exchange routes).
    #[error("需要有效的令牌或企业编码与密码 / a valid token or enterprise code and password is required: {0}")]
    UnauthorizedExchange(String),
    /// A valid token outside its scope.
    #[error("{0}")]
    Forbidden(String),
    /// Nothing at this address.
    #[error("{0}")]
    NotFound(String),
    /// A request that breaks a rule; the code says which rule and, from the registry, the status — except that a rule
    /// broken inside a JSON body answers 422.
    #[error("{detail}")]
    Invalid {
        /// The stable code.
        code: Code,
        /// What is wrong and what to do.
        detail: String,
        /// True when the rule was broken inside a well-formed JSON body (422).
        body: bool,
    },
    /// A request body over its limit.
    #[error("{0}")]
    TooLarge(String),
    /// Too many requests from one sender; retry after this many seconds.
    #[error("请求过于频繁，请 {0} 秒后重试 / too many requests: retry after {0} s")]
    TooManyRequests(u64),
    /// A change-feed cursor older than what retention keeps.
    #[error(
        "游标已过保留期，最早可用游标 {oldest} / the cursor is older than retention; the oldest available is {oldest}"
    )]
    CursorExpired {
        /// The oldest cursor still held.
        oldest: i64,
    },
    /// A pushed batch that could not be processed at all.
    #[error(transparent)]
    Push(#[from] ingest::PushError),
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// A monthly report could not be made.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// A blocking task could not run.
    #[error("内部错误 / internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// The stable code.
    pub fn code(&self) -> Code {
        match self {
            ApiError::Unauthorized(_) | ApiError::UnauthorizedExchange(_) => Code::Unauthorized,
            ApiError::Forbidden(_) => Code::Forbidden,
            ApiError::NotFound(_) => Code::NotFound,
            ApiError::Invalid { code, .. } => *code,
            ApiError::TooLarge(_) => Code::TooLarge,
            ApiError::TooManyRequests(_) => Code::RateLimited,
            ApiError::CursorExpired { .. } => Code::CursorExpired,
            ApiError::Push(e) => e.code(),
            ApiError::Storage(e) => e.code(),
            ApiError::Report(e) => e.code(),
            ApiError::Internal(_) => Code::Internal,
        }
    }

    /// A request parameter (query or path) that breaks a rule, with its code (status from the registry, mostly 400).
    pub fn bad_request(code: Code, detail: impl Into<String>) -> ApiError {
        ApiError::Invalid { code, detail: detail.into(), body: false }
    }

    /// A person's sign-in or session refused, with its code (`bad_credentials` 401, `account_locked` 423,
    /// `password_change_required` 403, `csrf` 403, `weak_password` 422: the registry's statuses).
    pub fn account(code: Code, detail: impl Into<String>) -> ApiError {
        ApiError::Invalid { code, detail: detail.into(), body: false }
    }

    /// A well-formed JSON body that breaks a rule, with its code (422).
    pub fn unprocessable(code: Code, detail: impl Into<String>) -> ApiError {
        ApiError::Invalid { code, detail: detail.into(), body: true }
    }

    /// The problem document of this error.
    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        // Internal details stay in the log, not in the answer.
        let detail = match self {
            ApiError::Storage(e)
            | ApiError::Push(ingest::PushError::Storage(e))
            | ApiError::Report(ReportError::Storage(e))
                if status.is_server_error() =>
            {
                tracing::error!(error = %e, code = %e.code(), "storage error");
                e.condition().map_or("数据库暂时不可用 / the database is unavailable", |c| c.message()).to_owned()
            }
            ApiError::Internal(e) => {
                tracing::error!(error = %e, "internal error");
                "内部错误 / internal error".to_owned()
            }
            other => other.to_string(),
        };
        Problem {
            type_uri: format!("urn:dualprev:error:{}", self.code()),
            title: self.code().title(),
            status: status.as_u16(),
            detail,
            code: self.code().to_string(),
            oldest_cursor: match self {
                ApiError::CursorExpired { oldest } => Some(*oldest),
                _ => None,
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        let status = match self {
            ApiError::Invalid { body: true, .. } => 422,
            other => other.code().status(),
        };
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status_code());
        match self {
            ApiError::Unauthorized(_) => {
                res.insert_header(("WWW-Authenticate", "Bearer"));
            }
            ApiError::UnauthorizedExchange(_) => {
                res.insert_header(("WWW-Authenticate", "Bearer, Basic realm=\"dualprev\", charset=\"UTF-8\""));
            }
            ApiError::TooManyRequests(secs) => {
                res.insert_header(("Retry-After", secs.to_string()));
            }
            ApiError::Storage(e)
            | ApiError::Push(ingest::PushError::Storage(e))
            | ApiError::Report(ReportError::Storage(e))
                if e.condition().is_some() =>
            {
                res.insert_header(("Retry-After", STORAGE_RETRY_AFTER_SECS.to_string()));
            }
            _ => {}
        }
        res.content_type("application/problem+json").json(self.problem())
    }
}

/// The `Retry-After` of a 503 for a database that cannot be written (disk full, read-only, I/O error): an operator
/// has to act, so clients should not hammer it.
const STORAGE_RETRY_AFTER_SECS: u64 = 30;

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        ApiError::Internal(e.to_string())
    }
}

/// The result type of handlers.
pub type ApiResult<T> = Result<T, ApiError>;
