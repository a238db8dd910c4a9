//! Database URLs: `postgres://…` selects PostgreSQL; `sqlite://PATH` or a plain path selects SQLite.

use crate::StorageError;
use std::path::{Path, PathBuf};

/// A parsed database location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A PostgreSQL connection URL, as given.
    Postgres(String),
    /// A SQLite database file.
    Sqlite(PathBuf),
}

impl DatabaseUrl {
    /// Parses a database URL. Unknown schemes and SQLite paths whose folder does not exist are errors, so that a
    /// mistyped URL never silently creates a new empty database.
    pub fn parse(url: &str) -> Result<DatabaseUrl, StorageError> {
        let bad = |reason: &str| StorageError::BadUrl { url: url.to_owned(), reason: reason.to_owned() };
        let url_trim = url.trim();
        if url_trim.is_empty() {
            return Err(bad("empty"));
        }
        if url_trim.starts_with("postgres://") || url_trim.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(url_trim.to_owned()));
        }
        let path = if let Some(p) = url_trim.strip_prefix("sqlite://") {
            p
        } else if let Some(scheme) = scheme_of(url_trim) {
            return Err(bad(&format!(
                "unknown scheme {scheme:?}: use postgres://… for PostgreSQL or sqlite://PATH (or a plain path) for SQLite"
            )));
        } else {
            url_trim
        };
        if path.is_empty() || path == ":memory:" {
            return Err(bad("a SQLite database needs a file path"));
        }
        let path = PathBuf::from(path);
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        if !parent.is_dir() {
            return Err(bad(&format!("folder {} does not exist", parent.display())));
        }
        if path.is_dir() {
            return Err(bad("is a folder, not a database file"));
        }
        Ok(DatabaseUrl::Sqlite(path))
    }

    /// The URL with any password replaced by `***`, for logs.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
            DatabaseUrl::Postgres(u) => match (u.find("://"), u.rfind('@')) {
                (Some(s), Some(at)) if at > s => {
                    let creds = &u[s + 3..at];
                    match creds.split_once(':') {
                        Some((user, _)) => format!("{}{user}:***{}", &u[..s + 3], &u[at..]),
                        None => u.clone(),
                    }
                }
                _ => u.clone(),
            },
        }
    }

    /// The backend name: `"sqlite"` or `"postgres"`.
    pub fn backend(&self) -> &'static str {
        match self {
            DatabaseUrl::Postgres(_) => "postgres",
            DatabaseUrl::Sqlite(_) => "sqlite",
        }
    }
}

/// The scheme of something that looks like a URL (`letters:`), ignoring Windows drive letters.
fn scheme_of(s: &str) -> Option<&str> {
    let (scheme, _) = s.split_once(':')?;
    let looks_like_scheme = scheme.len() > 1
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic());
    looks_like_scheme.then_some(scheme)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selects_the_backend_by_scheme() {
        assert!(matches!(DatabaseUrl::parse("postgres://u@localhost/db"), Ok(DatabaseUrl::Postgres(_))));
        assert!(matches!(DatabaseUrl::parse("postgresql://localhost/db"), Ok(DatabaseUrl::Postgres(_))));
        assert_eq!(DatabaseUrl::parse("sqlite://x.db").unwrap(), DatabaseUrl::Sqlite("x.db".into()));
        assert_eq!(DatabaseUrl::parse("x.db").unwrap(), DatabaseUrl::Sqlite("x.db".into()));
        assert_eq!(DatabaseUrl::parse("sqlite:///tmp/x.db").unwrap(), DatabaseUrl::Sqlite("/tmp/x.db".into()));
    }

    #[test]
    fn mistyped_urls_are_errors() {
        for bad in
            ["postgress://localhost/db", "postgres:/localhost", "sqlite:x.db", "mysql://x", "", "sqlite://", ":memory:"]
        {
            let err = DatabaseUrl::parse(bad).unwrap_err();
            assert_eq!(err.code(), "bad_database_url", "{bad}");
        }
        assert!(DatabaseUrl::parse("/no/such/folder/x.db").is_err());
        assert!(DatabaseUrl::parse("/tmp").is_err());
    }

    #[test]
    fn redacts_passwords() {
        let u = DatabaseUrl::parse("postgres://app:s3cret@db:5432/dualprev").unwrap();
        assert_eq!(u.redacted(), "postgres://app:***@db:5432/dualprev");
    }
}
