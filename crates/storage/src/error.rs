//! The error type of the storage crate.

use domain::Code;
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
    pub fn code(&self) -> Code {
        match self {
            Self::BadUrl { .. } => Code::BadDatabaseUrl,
            Self::Connect(_) => Code::DatabaseUnavailable,
            Self::Migration(_) => Code::MigrationFailed,
            Self::Query(diesel::result::Error::NotFound) | Self::NotFound(_) => Code::NotFound,
            Self::Query(e) => condition(e).map_or(Code::DatabaseError, Condition::code),
            Self::Pool(_) => Code::DatabaseUnavailable,
            Self::Corrupt(_) => Code::CorruptData,
        }
    }

    /// The condition of the database behind a failed query (disk full, read-only, I/O error), when it is one of
    /// those: the platform cannot write at all until an operator acts, and nothing of the failed write was stored.
    pub fn condition(&self) -> Option<Condition> {
        match self {
            Self::Query(e) => condition(e),
            _ => None,
        }
    }
}

/// A condition of the database that stops every write until it is removed. Each has a stable code and a message
/// safe to show to callers (it names no path or internal detail).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    /// The disk (or file system) holding the database is full: SQLite `SQLITE_FULL`, PostgreSQL "No space left on
    /// device", or a table file extended only in part ("could not extend file …: wrote only 4096 of 8192 bytes at
    /// block …", SQLSTATE 53100: less than a block was left, and every later extension of that file fails so).
    DiskFull,
    /// The database cannot be written: SQLite `SQLITE_READONLY` (a file opened read-only), PostgreSQL SQLSTATE
    /// 25006 (a read-only transaction, e.g. a standby).
    ReadOnly,
    /// The disk failed a read or write: SQLite `SQLITE_IOERR`, which is also what a file system remounted
    /// read-only under a running process gives (`EROFS` on write).
    Io,
}

impl Condition {
    /// The stable snake_case code.
    pub fn code(self) -> Code {
        match self {
            Condition::DiskFull => Code::DiskFull,
            Condition::ReadOnly => Code::DatabaseReadOnly,
            Condition::Io => Code::DatabaseIoError,
        }
    }

    /// What callers are told, in Chinese and English.
    pub fn message(self) -> &'static str {
        match self {
            Condition::DiskFull => {
                "数据库磁盘已满，本次写入未保存，请稍后重试 / the database disk is full: nothing was stored; retry later"
            }
            Condition::ReadOnly => {
                "数据库为只读，本次写入未保存，请稍后重试 / the database is read-only: nothing was stored; retry later"
            }
            Condition::Io => {
                "数据库磁盘读写失败（磁盘故障或文件系统只读），本次写入未保存，请稍后重试 / the database disk failed (a disk error or a read-only file system): nothing was stored; retry later"
            }
        }
    }
}

/// Classifies a failed query by the database's own error: SQLite's result texts are fixed (`sqlite3_errstr`), and
/// diesel reports PostgreSQL's read-only SQLSTATE as its own kind. A failed commit is classified by the commit's
/// error.
fn condition(e: &diesel::result::Error) -> Option<Condition> {
    use diesel::result::{DatabaseErrorKind, Error};
    match e {
        Error::DatabaseError(DatabaseErrorKind::ReadOnlyTransaction, _) => Some(Condition::ReadOnly),
        Error::DatabaseError(_, info) => {
            let m = info.message();
            let short_extend = m.starts_with("could not extend file") && m.contains(": wrote only ");
            if m.starts_with("database or disk is full") || m.contains("No space left on device") || short_extend {
                Some(Condition::DiskFull)
            } else if m.starts_with("attempt to write a readonly database") {
                Some(Condition::ReadOnly)
            } else if m.starts_with("disk I/O error") {
                Some(Condition::Io)
            } else {
                None
            }
        }
        Error::RollbackErrorOnCommit { commit_error, .. } => condition(commit_error),
        _ => None,
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

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::result::{DatabaseErrorKind, Error};

    fn db_error(kind: DatabaseErrorKind, message: &str) -> StorageError {
        StorageError::Query(Error::DatabaseError(kind, Box::new(message.to_owned())))
    }

    #[test]
    fn conditions_have_stable_codes() {
        assert_eq!(db_error(DatabaseErrorKind::Unknown, "database or disk is full").code(), "disk_full");
        assert_eq!(
            db_error(DatabaseErrorKind::Unknown, "could not extend file \"base/1/2\": No space left on device").code(),
            "disk_full"
        );
        // As PostgreSQL 15 says it with less than a block (8 KiB) left on a tablespace (tests/e2e/faults_pg.rs).
        let short = "could not extend file \"pg_tblspc/16398/PG_15_202209061/16399/16400\": wrote only 4096 of 8192 \
                     bytes at block 0";
        assert_eq!(db_error(DatabaseErrorKind::Unknown, short).code(), "disk_full");
        assert_eq!(
            db_error(DatabaseErrorKind::Unknown, "could not extend file \"base/1/2\": Input/output error").code(),
            "database_error"
        );
        assert_eq!(
            db_error(DatabaseErrorKind::Unknown, "attempt to write a readonly database").code(),
            "database_read_only"
        );
        assert_eq!(
            db_error(DatabaseErrorKind::ReadOnlyTransaction, "cannot execute INSERT").code(),
            "database_read_only"
        );
        assert_eq!(db_error(DatabaseErrorKind::Unknown, "disk I/O error").code(), "database_io_error");
        assert_eq!(db_error(DatabaseErrorKind::Unknown, "no such table: x").code(), "database_error");
        assert_eq!(db_error(DatabaseErrorKind::Unknown, "no such table: x").condition(), None);
        let commit = StorageError::Query(Error::RollbackErrorOnCommit {
            rollback_error: Box::new(Error::BrokenTransactionManager),
            commit_error: Box::new(Error::DatabaseError(
                DatabaseErrorKind::Unknown,
                Box::new("database or disk is full".to_owned()),
            )),
        });
        assert_eq!(commit.condition(), Some(Condition::DiskFull));
    }
}
