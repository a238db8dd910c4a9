//! Storage integration tests, on a real SQLite file and (when `DUALPREV_TEST_POSTGRES_URL` is set) a fresh
//! PostgreSQL database per test.
#![allow(clippy::unwrap_used, reason = "tests unwrap to fail loudly")]

use storage::Db;
use testkit::TestDb;

/// Opens and migrates a test database.
pub fn open(t: &TestDb) -> Db {
    let db = Db::open(&t.url).unwrap();
    db.migrate().unwrap();
    db
}

/// What a case of [`both_backends!`] is given, made from the fresh test database of a backend.
pub trait Given {
    /// Makes it.
    fn given(t: &TestDb) -> Self;
}

/// A migrated database ([`open`]).
impl Given for Db {
    fn given(t: &TestDb) -> Db {
        open(t)
    }
}

/// Declares one test per backend for a case `fn(&T)`, `T` being [`Given`] (most often a migrated [`Db`]):
/// `<case>::sqlite` and `<case>::postgres`.
#[macro_export]
macro_rules! both_backends {
    ($($case:ident),+ $(,)?) => {$(
        mod $case {
            #[test]
            fn sqlite() {
                let t = testkit::TestDb::sqlite();
                super::$case(&$crate::Given::given(&t));
            }

            #[test]
            #[cfg_attr(not(pg_tests), ignore = "set DUALPREV_TEST_POSTGRES_URL to run the PostgreSQL tests")]
            fn postgres() {
                let t = testkit::TestDb::postgres();
                super::$case(&$crate::Given::given(&t));
            }
        }
    )+};
}

mod acceptance;
mod accounts;
mod audit;
mod copy;
mod events;
mod fixtures;
mod group;
mod handling_cases;
mod handling_figures;
mod heads;
mod held;
mod leader;
mod partitions;
mod pull_claims;
mod records;
mod registry;
mod rehash;
mod revocations;
mod schema;
mod snapshot;
mod tx;
