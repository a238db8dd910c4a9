//! Test support: a fresh database of either backend per test, and a headless Chromium driven over the DevTools
//! protocol ([`browser::Browser`]).
//!
//! PostgreSQL tests run only when `DUALPREV_TEST_POSTGRES_URL` names a server (an administrative URL such as
//! `postgres://postgres@localhost/postgres`): crates that have them emit the `pg_tests` cfg from their build script
//! when the variable is set, and mark those tests `#[cfg_attr(not(pg_tests), ignore = …)]`, so that without it they
//! are reported as ignored, never as passed.

pub mod browser;

/// The clock of every test that does not pin its own moment: pinned (running) at `DUALPREV_NOW` when that is set,
/// so that a whole test binary can be run at a chosen moment (`DUALPREV_NOW=2027-01-02T08:30:00+08:00 cargo test`),
/// else the system clock. One clock per process, shared by every caller.
pub fn clock() -> domain::Clock {
    static CLOCK: std::sync::OnceLock<domain::Clock> = std::sync::OnceLock::new();
    CLOCK
        .get_or_init(|| {
            domain::Clock::from_env_or_system().unwrap_or_else(|e| panic!("{}: {e}", domain::clock::NOW_VAR))
        })
        .clone()
}

/// Hands the test clock to a child process of the platform: when [`clock`] is pinned, the child gets
/// `DUALPREV_NOW` at the clock's current reading (so parent and child agree to the millisecond) and
/// `DUALPREV_TEST_INSTANCE=1` (so that `serve` accepts it); otherwise the child reads the system clock.
pub fn pin_child(cmd: &mut std::process::Command) -> &mut std::process::Command {
    let clock = clock();
    cmd.env_remove(domain::clock::NOW_VAR).env_remove("DUALPREV_TEST_INSTANCE");
    if clock.is_pinned() {
        cmd.env(domain::clock::NOW_VAR, domain::time::format_local(clock.now_utc())).env("DUALPREV_TEST_INSTANCE", "1");
    }
    cmd
}

/// A clock pinned at an RFC 3339 moment (e.g. `2027-01-02T08:30:00+08:00`) that runs on from there: for the tests
/// that exist to check a calendar edge.
pub fn pinned(moment: &str) -> domain::Clock {
    domain::Clock::pinned(domain::Clock::parse_moment(moment).unwrap_or_else(|e| panic!("{moment}: {e}")))
}

use diesel::pg::PgConnection;
use diesel::{Connection, RunQueryDsl};
use std::sync::atomic::{AtomicU32, Ordering};

/// The environment variable naming the PostgreSQL server for tests.
pub const POSTGRES_ENV: &str = "DUALPREV_TEST_POSTGRES_URL";

/// A database that exists for one test and is removed after it.
pub struct TestDb {
    /// The URL to open the database with.
    pub url: String,
    kind: Kind,
}

enum Kind {
    Sqlite(#[expect(dead_code, reason = "kept for its Drop, which removes the folder")] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    /// A new SQLite file in a new temporary folder.
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temporary folder");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        TestDb { url, kind: Kind::Sqlite(dir) }
    }

    /// A new, empty PostgreSQL database on the server of [`POSTGRES_ENV`], dropped when the value is dropped.
    ///
    /// Panics when the variable is unset or the server cannot be reached: a PostgreSQL test never passes without
    /// PostgreSQL.
    pub fn postgres() -> TestDb {
        TestDb::postgres_with("")
    }

    /// [`TestDb::postgres`] with options for `CREATE DATABASE` (e.g. `TABLESPACE t`).
    pub fn postgres_with(options: &str) -> TestDb {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let admin_url = std::env::var(POSTGRES_ENV)
            .unwrap_or_else(|_| panic!("{POSTGRES_ENV} is not set: PostgreSQL tests need a server"));
        let nanos = std::hash::BuildHasher::hash_one(
            &std::collections::hash_map::RandomState::new(),
            COUNTER.load(Ordering::Relaxed),
        ) % 1_000_000_000;
        let name =
            format!("dualprev_test_{}_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed), nanos);
        let mut admin = PgConnection::establish(&admin_url)
            .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {POSTGRES_ENV}: {e}"));
        diesel::sql_query(format!("CREATE DATABASE {name} {options}"))
            .execute(&mut admin)
            .expect("create test database");
        let url = replace_database(&admin_url, &name);
        TestDb { url, kind: Kind::Postgres { admin_url, name } }
    }

    /// The name of a PostgreSQL database (`None` for SQLite).
    pub fn name(&self) -> Option<&str> {
        match &self.kind {
            Kind::Postgres { name, .. } => Some(name),
            Kind::Sqlite(_) => None,
        }
    }

    /// Whether this is a PostgreSQL database.
    pub fn is_postgres(&self) -> bool {
        matches!(self.kind, Kind::Postgres { .. })
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Kind::Postgres { admin_url, name } = &self.kind
            && let Ok(mut admin) = PgConnection::establish(admin_url)
        {
            // Best effort: a test database left behind is named for its process and is harmless.
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin);
        }
    }
}

/// The Chromium used by browser tests: `DUALPREV_CHROMIUM`, or Debian's `/usr/bin/chromium`.
pub fn chromium() -> String {
    std::env::var("DUALPREV_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned())
}

/// The flags every headless Chromium run of the tests uses (`research/stack.md`): no sandbox or GPU, and nothing
/// that reaches the network on its own.
pub const CHROMIUM_FLAGS: [&str; 8] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// Loads a page in headless Chromium with every host but loopback unreachable (as on a government network) and
/// returns the DOM after its scripts ran. The flags are those of `research/stack.md`.
pub fn dump_dom(url: &str) -> String {
    let profile = tempfile::tempdir().expect("profile folder");
    let out = std::process::Command::new(chromium())
        .args(CHROMIUM_FLAGS)
        .args(["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--virtual-time-budget=10000", "--dump-dom"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .output()
        .expect("run chromium");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The URL with its database name replaced (the path after the host), keeping any query string.
pub fn replace_database(url: &str, name: &str) -> String {
    let mut url = url::Url::parse(url).unwrap_or_else(|e| panic!("{POSTGRES_ENV} is not a URL: {e}"));
    url.set_path(&format!("/{name}"));
    url.into()
}

/// Declares, for each async case `fn(TestDb)`, a module with one tokio test per backend: `<case>::sqlite` and
/// `<case>::postgres` (ignored without `DUALPREV_TEST_POSTGRES_URL`, see the crate docs).
#[macro_export]
macro_rules! tokio_both_backends {
    ($($case:ident),+ $(,)?) => {$(
        mod $case {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$case($crate::TestDb::sqlite()).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[cfg_attr(not(pg_tests), ignore = "set DUALPREV_TEST_POSTGRES_URL to run the PostgreSQL tests")]
            async fn postgres() {
                super::$case($crate::TestDb::postgres()).await;
            }
        }
    )+};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_database_name() {
        assert_eq!(replace_database("postgres://u@h/postgres", "x"), "postgres://u@h/x");
        assert_eq!(replace_database("postgres://u@h:5432", "x"), "postgres://u@h:5432/x");
        assert_eq!(replace_database("postgres://h/db?sslmode=disable", "x"), "postgres://h/x?sslmode=disable");
    }
}
