//! The Java sample client of `docs/clients/java` (JDK 17, `java.net.http` + `javax.crypto`, no framework), compiled
//! with the JDK's `javac` and run against a real server: a chain of every table in 20-record pages, encrypted, to
//! the secret base address without a header, answered in the national shape (`docs/data-exchange.md` §9–§11).

use crate::Server;
use serde_json::Value;
use std::process::Command;

const COMPANY: &str = "140200001";
const SECRET: &str = "javaClientSecret-0123456789abcdefXYZ";
const KEY: &str = "Sx2026DualPrev01";

fn tool(name: &str) -> String {
    let javac = std::env::var("DUALPREV_JAVAC").unwrap_or_else(|_| "/usr/bin/javac".to_owned());
    std::path::Path::new(&javac).with_file_name(name).display().to_string()
}

/// Runs the client; its standard output.
fn run_client(classes: &std::path::Path, base: &str, first: &str, legacy: bool) -> String {
    let mut cmd = Command::new(tool("java"));
    cmd.arg("-cp").arg(classes).arg("DualprevClient").args([base, COMPANY, KEY, first]);
    if legacy {
        cmd.arg("--legacy");
    }
    let out = cmd.output().expect("run java");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "the client failed: {stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    stdout
}

async fn the_java_client_pushes_every_table(s: Server) {
    s.import(&format!(
        "companyCode,name,cityCode,profile,baseSecret,aesKey\n{COMPANY},大同某化工,140200,national,{SECRET},{KEY}\n"
    ));
    let classes = std::env::temp_dir().join(format!("dualprev-java-{}", uuid::Uuid::new_v4()));
    let source = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/clients/java/DualprevClient.java");
    let javac =
        Command::new(tool("javac")).args(["-Xlint:all", "-Werror", "-d"]).arg(&classes).arg(source).output().unwrap();
    assert!(javac.status.success(), "javac: {}", String::from_utf8_lossy(&javac.stderr));
    // Two days before the server's now, in Shanghai time.
    let first = domain::time::utc_to_local(s.clock.now_utc() - chrono::TimeDelta::days(2))
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    let base = format!("{}/x/{SECRET}/", s.base);
    let (b, f, dir) = (base.clone(), first.clone(), classes.clone());
    let legacy = tokio::task::spawn_blocking(move || run_client(&dir, &b, &f, true)).await.unwrap();
    println!("{legacy}");
    assert!(legacy.contains("pages=9 stored=180 ok=true"), "{legacy}");
    assert!(
        legacy.contains("sec_hidden_danger_info page 1: data.code=200 accepted=20 unchanged=0 warnings=2"),
        "{legacy}"
    );
    let province = s.token(api::Role::Province, None, None);
    let receipts: Value =
        s.get(&format!("/api/v1/exchange/receipts?company={COMPANY}"), Some(&province)).await.json().await.unwrap();
    let accepted: i64 = receipts.as_array().unwrap().iter().map(|r| r["accepted"].as_i64().unwrap()).sum();
    assert_eq!((receipts.as_array().unwrap().len(), accepted), (9, 180));
    assert!(receipts.as_array().unwrap().iter().all(|r| r["pending"] == 0 && r["rejected"] == 0), "{receipts}");
    // The same chain in the contract's own forms (dangerSrc, text times) is the same data: nothing changes.
    let (dir, b) = (classes.clone(), base);
    let plain = tokio::task::spawn_blocking(move || run_client(&dir, &b, &first, false)).await.unwrap();
    assert!(plain.contains("pages=9 stored=180 ok=true"), "{plain}");
    assert!(
        plain.contains("sec_hidden_danger_info page 1: data.code=200 accepted=0 unchanged=20 warnings=0"),
        "{plain}"
    );
    std::fs::remove_dir_all(&classes).unwrap();
}

#[actix_web::test]
#[cfg_attr(not(jdk_tests), ignore = "install a JDK (default-jdk-headless) to run the Java client test")]
async fn sqlite() {
    the_java_client_pushes_every_table(Server::start(testkit::TestDb::sqlite()).await).await;
}

#[actix_web::test]
#[cfg_attr(not(jdk_tests), ignore = "install a JDK (default-jdk-headless) to run the Java client test")]
#[cfg_attr(not(pg_tests), ignore = "set DUALPREV_TEST_POSTGRES_URL to run the PostgreSQL tests")]
async fn postgres() {
    the_java_client_pushes_every_table(Server::start(testkit::TestDb::postgres()).await).await;
}
