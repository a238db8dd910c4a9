//! The error type of the storage crate.

use thiserror::Error;

/// A storage failure. Each variant has a stable snake_case [`code`](StorageError::code).
#[derive(Debug, Error)]
pub enum StorageError {
    /// The database URL is not one the platform accepts (a mistyped URL never creates a new database).
    #[error("数据库地址无效 / invalid database URL {url:?}: {reason}")]
    BadUrl {
        /// The URL as given.
        url: String,
        /// Why it was refused.
        reason: String,
    },
    /// The database cannot be reached or opened.
    #[error("无法连接数据库 / cannot connect to the database: {0}")]
    Connect(String),
    /// Applying migrations failed.
    #[error("数据库迁移失败 / migration failed: {0}")]
    Migration(String),
    /// A query failed.
    #[error("数据库操作失败 / database query failed: {0}")]
    Query(#[from] diesel::result::Error),
    /// No connection could be taken from the pool in time.
    #[error("数据库连接池繁忙 / database pool exhausted: {0}")]
    Pool(String),
    /// A row read from the database does not make a valid domain value.
    #[error("数据库中的数据无效 / invalid data in the database: {0}")]
    Corrupt(String),
    /// The requested row does not exist.
    #[error("未找到 / not found: {0}")]
    NotFound(String),
}

impl StorageError {
    /// The stable snake_case code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadUrl { .. } => "bad_database_url",
            Self::Connect(_) => "database_unavailable",
            Self::Migration(_) => "migration_failed",
            Self::Query(diesel::result::Error::NotFound) | Self::NotFound(_) => "not_found",
            Self::Query(_) => "database_error",
            Self::Pool(_) => "database_unavailable",
            Self::Corrupt(_) => "corrupt_data",
        }
    }
}

impl From<diesel::r2d2::PoolError> for StorageError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        StorageError::Pool(e.to_string())
    }
}

impl From<domain::DomainError> for StorageError {
    fn from(e: domain::DomainError) -> Self {
        StorageError::Corrupt(e.to_string())
    }
}

/// The result type of storage functions.
pub type Result<T, E = StorageError> = std::result::Result<T, E>;
