//! Build script shared by the crates that have PostgreSQL or browser tests.
//!
//! Emits the `pg_tests` cfg when DUALPREV_TEST_POSTGRES_URL is set, and the `browser_tests` cfg when a Chromium is
//! found (DUALPREV_CHROMIUM, or /usr/bin/chromium), so that those tests run then and are reported as ignored
//! otherwise (see the testkit crate). Emits the `root_tests` cfg when built as root on Linux: the fault tests that
//! mount a small file system (a full disk, a file system turned read-only) need it, and are reported as ignored
//! otherwise. Emits the `jdk_tests` cfg when a JDK's `javac` is found (DUALPREV_JAVAC, or /usr/bin/javac): the Java
//! sample client of `docs/clients/java` is compiled and run against a real server then.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(root_tests)");
    let root = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find_map(|l| l.strip_prefix("Uid:")).map(|v| v.split_whitespace().next() == Some("0")));
    if root == Some(true) {
        println!("cargo::rustc-cfg=root_tests");
    }
    println!("cargo::rustc-check-cfg=cfg(pg_tests)");
    println!("cargo::rustc-check-cfg=cfg(browser_tests)");
    println!("cargo::rustc-check-cfg=cfg(jdk_tests)");
    println!("cargo::rerun-if-env-changed=DUALPREV_JAVAC");
    let javac = std::env::var("DUALPREV_JAVAC").unwrap_or_else(|_| "/usr/bin/javac".to_owned());
    println!("cargo::rerun-if-changed={javac}");
    if std::path::Path::new(&javac).exists() {
        println!("cargo::rustc-cfg=jdk_tests");
    }
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
