//! The error type of the domain crate.

use crate::Code;
use thiserror::Error;

/// A raw value that does not make a valid domain value.
///
/// Each variant has a stable snake_case [`code`](DomainError::code) for APIs and logs.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    /// Not one of the 11 GB/T 2260 city codes of Shanxi.
    #[error("未知的地市代码 / unknown city code: {0:?}")]
    UnknownCity(String),
    /// Not a 9-digit enterprise code.
    #[error("企业编码必须为 9 位数字 / company code must be 9 digits: {0:?}")]
    BadCompanyCode(String),
    /// Not a valid 18-character unified social credit code.
    #[error("统一社会信用代码无效 / invalid unified social credit code: {0:?}")]
    BadCreditCode(String),
    /// Not an exchange record id (32 hex digits, or a 36-character UUID with hyphens).
    #[error("记录编号必须为 UUID / record id must be a UUID: {0:?}")]
    BadRecordId(String),
    /// Not a construction batch (1, 2 or empty for unknown).
    #[error("建设批次必须为 1、2 或空 / batch must be 1, 2 or empty: {0:?}")]
    BadBatch(String),
    /// A value outside an enumeration.
    #[error("{field} 的取值 {value:?} 不在允许范围内 / {field} has no value {value:?}")]
    BadEnum {
        /// The field or enumeration name.
        field: &'static str,
        /// The rejected value.
        value: String,
    },
    /// Not a period label (`2026-W47`, `2026-11`, `2026-11R`, `2026-11-01..2026-12-01`).
    #[error("无效的统计周期 / invalid period: {0:?}")]
    BadPeriod(String),
    /// Not an exchange table name or alias.
    #[error("未知的数据表 / unknown table: {0:?}")]
    UnknownTable(String),
    /// Not an enterprise flag.
    #[error("未知的企业标记 / unknown enterprise flag: {0:?}")]
    UnknownFlag(String),
    /// A calendar data row that cannot be read.
    #[error("工作日历数据无效 / invalid calendar row: {0}")]
    BadCalendar(String),
    /// A pinned moment (`DUALPREV_NOW`) that is not RFC 3339 with an offset.
    #[error(
        "DUALPREV_NOW 必须是带时区的 RFC 3339 时间 / DUALPREV_NOW must be an RFC 3339 moment with an offset: {0:?}"
    )]
    BadNow(String),
}

impl DomainError {
    /// The stable snake_case code of this error.
    pub fn code(&self) -> Code {
        match self {
            Self::UnknownCity(_) => Code::UnknownCity,
            Self::BadCompanyCode(_) => Code::BadCompanyCode,
            Self::BadCreditCode(_) => Code::BadCreditCode,
            // No code of its own: a record id is read from a URL path, so a bad one is a bad path parameter.
            Self::BadRecordId(_) => Code::BadPath,
            Self::BadBatch(_) => Code::BadBatch,
            Self::BadEnum { .. } => Code::BadEnum,
            Self::BadPeriod(_) => Code::BadPeriod,
            Self::UnknownTable(_) => Code::UnknownTable,
            Self::UnknownFlag(_) => Code::UnknownFlag,
            Self::BadCalendar(_) => Code::BadCalendar,
            Self::BadNow(_) => Code::BadNow,
        }
    }
}
