//! Build script shared by the crates that have PostgreSQL tests.
// Shared build script: emits the `pg_tests` cfg when DUALPREV_TEST_POSTGRES_URL is set, so that PostgreSQL tests
// run then and are reported as ignored otherwise (see the testkit crate).
fn main() {
    println!("cargo::rustc-check-cfg=cfg(pg_tests)");
    println!("cargo::rerun-if-env-changed=DUALPREV_TEST_POSTGRES_URL");
    if std::env::var_os("DUALPREV_TEST_POSTGRES_URL").is_some_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=pg_tests");
    }
}
