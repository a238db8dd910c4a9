//! Report tests on data pulled from the simulator into a real database.
#![allow(clippy::unwrap_used, reason = "tests unwrap to fail loudly")]

/// Declares one test per backend for an async case `fn(TestDb)`.
#[macro_export]
macro_rules! both_backends {
    ($($case:ident),+ $(,)?) => {$(
        mod $case {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$case(testkit::TestDb::sqlite()).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[cfg_attr(not(pg_tests), ignore = "set DUALPREV_TEST_POSTGRES_URL to run the PostgreSQL tests")]
            async fn postgres() {
                super::$case(testkit::TestDb::postgres()).await;
            }
        }
    )+};
}

mod cache;
