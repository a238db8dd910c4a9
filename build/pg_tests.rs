//! Build script shared by the crates that have PostgreSQL or browser tests.
//!
//! Emits the `pg_tests` cfg when DUALPREV_TEST_POSTGRES_URL is set, and the `browser_tests` cfg when a Chromium is
//! found (DUALPREV_CHROMIUM, or /usr/bin/chromium), so that those tests run then and are reported as ignored
//! otherwise (see the testkit crate).
fn main() {
    println!("cargo::rustc-check-cfg=cfg(pg_tests)");
    println!("cargo::rustc-check-cfg=cfg(browser_tests)");
    println!("cargo::rerun-if-env-changed=DUALPREV_TEST_POSTGRES_URL");
    println!("cargo::rerun-if-env-changed=DUALPREV_CHROMIUM");
    if std::env::var_os("DUALPREV_TEST_POSTGRES_URL").is_some_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=pg_tests");
    }
    let chromium = std::env::var("DUALPREV_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    println!("cargo::rerun-if-changed={chromium}");
    if std::path::Path::new(&chromium).exists() {
        println!("cargo::rustc-cfg=browser_tests");
    }
}
