//! Pushes under load with the server killed (SIGKILL) and restarted in the middle: every acknowledged record is
//! stored, and no batch is stored in part.

use parking_lot::Mutex;
use serde_json::{Value, json};
use std::path::Path;
use std::process::{Child, Command};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const SECRET: &str = "a-durability-test-secret-of-32-bytes!";
const COMPANY: &str = "140100001";

/// Starts `dualprev serve` on an ephemeral port and returns the child and its base URL.
fn start(dir: &Path, db: &str) -> (Child, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dualprev"));
    testkit::pin_child(&mut cmd)
        .args(["serve", "--database", db, "--bind", "127.0.0.1:0"])
        .current_dir(dir)
        .env("DUALPREV_JWT_SECRET", SECRET)
        .env_remove("DUALPREV_TEST_POSTGRES_URL");
    let (child, lines) = crate::spawn_logged(&mut cmd);
    (child, crate::announced(&lines))
}

/// A 32-character id: a hex prefix and a number.
fn id(prefix: &str, n: usize) -> String {
    format!("{prefix}{n:0>width$}", width = 32 - prefix.len())
}

fn common(id: &str) -> Value {
    json!({"id": id, "companyCode": COMPANY, "deleted": "0", "createDate": "2026-11-01 08:00:00", "createBy": "甲",
           "updateDate": "2026-11-01 08:00:00", "updateBy": "甲"})
}

fn merge(mut a: Value, b: Value) -> Value {
    a.as_object_mut().unwrap().extend(b.as_object().unwrap().clone());
    a
}

fn chain() -> Vec<(&'static str, Value)> {
    vec![
        (
            "hazard_source",
            merge(common(&id("aaaa", 1)), json!({"hazardCode": "HZ-1", "hazardName": "罐区", "hazardLevel": 1})),
        ),
        (
            "risk_unit",
            merge(
                common(&id("bbbb", 1)),
                json!({"hazardCode": "HZ-1", "hazardDep": "部", "hazardLiablePerson": "乙", "riskUnitName": "单元"}),
            ),
        ),
        ("risk_event", merge(common(&id("cccc", 1)), json!({"riskUnitId": id("bbbb", 1), "riskEventName": "泄漏"}))),
        (
            "control_measure",
            merge(
                common(&id("dddd", 1)),
                json!({"riskEventId": id("cccc", 1), "dataSrc": 2, "riskMeasureDesc": "巡检", "classify1": 1, "classify2": "1-1", "troubleshootContent": "查"}),
            ),
        ),
        (
            "check_task",
            merge(
                common(&id("eeee", 1)),
                json!({"riskMeasureId": id("dddd", 1), "troubleshootContent": "查", "checkCycle": 1, "checkCycleUnit": "天", "taskStartTime": "2026-11-01 08:00:00"}),
            ),
        ),
    ]
}

fn check_batch(batch: usize, size: usize) -> Vec<Value> {
    (0..size)
        .map(|i| {
            merge(
                common(&id("f", batch * 1000 + i)),
                json!({"checkTaskId": id("eeee", 1), "checkTime": "2026-11-02 09:00:00", "checkStatus": 0}),
            )
        })
        .collect()
}

/// Runs the load against a database URL and checks what was stored.
fn run(db_url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let (mut server, base) = start(dir.path(), db_url);
    let base = Arc::new(Mutex::new(base));
    let auth = format!("Bearer {}", {
        let a =
            api::AuthConfig::new(SECRET.as_bytes(), "dualprev", "dualprev", 30).unwrap().with_clock(testkit::clock());
        let company = domain::CompanyCode::parse(COMPANY).unwrap();
        a.issue(api::Role::Enterprise, None, Some(&company), chrono::TimeDelta::hours(1)).unwrap()
    });
    let http = reqwest::blocking::Client::builder().timeout(Duration::from_secs(20)).build().unwrap();
    for (table, record) in chain() {
        let url = format!("{}/api/v1/exchange/{table}", base.lock());
        let res = http.post(url).header("Authorization", &auth).json(&json!([record])).send().unwrap();
        assert_eq!(res.status(), 200, "{table}");
    }
    let acknowledged = Arc::new(Mutex::new(Vec::<(String, Vec<String>)>::new()));
    let next = Arc::new(AtomicUsize::new(0));
    const BATCHES: usize = 120;
    let pushers: Vec<_> = (0..3)
        .map(|_| {
            let (base, acknowledged, next, auth, http) =
                (base.clone(), acknowledged.clone(), next.clone(), auth.clone(), http.clone());
            std::thread::spawn(move || {
                loop {
                    let n = next.fetch_add(1, Ordering::SeqCst);
                    if n >= BATCHES {
                        return;
                    }
                    let batch = check_batch(n, 100);
                    let deadline = Instant::now() + Duration::from_secs(90);
                    // Retry until acknowledged: a batch sent while the server is down is not acknowledged.
                    while Instant::now() < deadline {
                        let url = format!("{}/api/v1/exchange/check_record", base.lock());
                        match http.post(url).header("Authorization", &auth).json(&batch).send() {
                            Ok(res) if res.status().is_client_error() => {
                                panic!("batch {n} refused: {}", res.text().unwrap_or_default())
                            }
                            Ok(res) if res.status() == 200 => {
                                let r: Value = res.json().unwrap();
                                let ids = batch.iter().map(|v| v["id"].as_str().unwrap().to_owned()).collect();
                                acknowledged.lock().push((r["batchId"].as_str().unwrap().to_owned(), ids));
                                break;
                            }
                            _ => std::thread::sleep(Duration::from_millis(50)),
                        }
                    }
                }
            })
        })
        .collect();
    // Kill the server once a third of the batches are acknowledged, then start it again on the same database.
    while acknowledged.lock().len() < BATCHES / 3 {
        std::thread::sleep(Duration::from_millis(5));
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let killed_at = acknowledged.lock().len();
    let (mut server, new_base) = start(dir.path(), db_url);
    *base.lock() = new_base;
    for p in pushers {
        p.join().unwrap();
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let acknowledged = acknowledged.lock().clone();
    assert_eq!(acknowledged.len(), BATCHES, "every batch was acknowledged in the end");
    assert!(killed_at < BATCHES, "the kill happened during the load");
    // Every acknowledged batch is stored whole, with its receipt.
    let db = storage::Db::open(db_url).unwrap();
    for (batch_id, ids) in &acknowledged {
        let stored = db
            .with(|c| Ok(storage::batches::get(c, &domain::BatchId::new(batch_id.clone()))?))
            .unwrap()
            .expect("acknowledged receipt stored");
        // A batch resent after a kill that came between its commit and its answer is acknowledged as unchanged.
        assert_eq!((stored.batch.accepted + stored.batch.unchanged) as usize, ids.len());
    }
    let heads = db
        .with(|c| {
            let ids: Vec<&str> = acknowledged.iter().flat_map(|(_, ids)| ids.iter().map(String::as_str)).collect();
            let company = domain::CompanyCode::parse(COMPANY).unwrap();
            Ok(storage::heads::load(c, domain::ExchangeTable::CheckRecord, &company, &ids)?)
        })
        .unwrap();
    assert_eq!(heads.len(), BATCHES * 100, "every acknowledged record is stored");
    // No batch is stored in part: each stored batch's accepted count equals its stored versions.
    #[derive(diesel::QueryableByName)]
    struct Mismatch {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let partial = db
        .with(|c| {
            Ok(diesel::RunQueryDsl::get_result::<Mismatch>(
                diesel::sql_query(
                    "SELECT count(*) AS n FROM batches b WHERE b.table_name = 'check_record' AND b.accepted <> \
                     (SELECT count(*) FROM check_record_versions v WHERE v.batch_id = b.batch_id)",
                ),
                c,
            )?)
        })
        .unwrap();
    assert_eq!(partial.n, 0);
}

#[test]
fn sqlite_loses_no_acknowledged_record_across_a_kill() {
    let dir = tempfile::tempdir().unwrap();
    run(&format!("sqlite://{}", dir.path().join("d.db").display()));
}

#[test]
#[cfg_attr(not(pg_tests), ignore = "set DUALPREV_TEST_POSTGRES_URL to run the PostgreSQL tests")]
fn postgres_loses_no_acknowledged_record_across_a_kill() {
    let pg = testkit::TestDb::postgres();
    run(&pg.url);
}
