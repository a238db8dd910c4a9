//! `dualprev backup --out FILE`: a consistent copy of a SQLite database taken while another connection keeps
//! writing; never over an existing file; PostgreSQL is pointed to `pg_dump`.

use crate::dualprev;
use diesel::RunQueryDsl;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

#[derive(diesel::QueryableByName)]
struct N {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

#[derive(diesel::QueryableByName)]
struct Line {
    #[diesel(sql_type = diesel::sql_types::Text)]
    line: String,
}

fn count(db: &storage::Db, sql: &str) -> i64 {
    db.with(|c| Ok(diesel::sql_query(sql).get_result::<N>(c)?.n)).unwrap()
}

fn insert(db: &storage::Db, from: i64, n: i64) {
    let values: Vec<String> =
        (from..from + n).map(|i| format!("('{i:08}', '备份测试', 'cli', '2026-11-29 12:00:00', NULL)")).collect();
    let sql = format!(
        "INSERT INTO revoked_tokens (jti, reason, revoked_by, revoked_at, expires_at) VALUES {}",
        values.join(",")
    );
    db.with(|c| Ok(diesel::sql_query(&sql).execute(c)?)).unwrap();
}

#[test]
fn sqlite_backup_is_consistent_while_writes_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("live.db").display());
    assert!(dualprev(dir.path(), &["migrate", "--database", &url], &[]).status.success());
    let db = storage::Db::open(&url).unwrap();
    for k in 0..40 {
        insert(&db, k * 500, 500);
    }
    // A writer commits one row at a time, numbered in commit order, for as long as the backup runs.
    let committed = Arc::new(AtomicI64::new(20_000));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (db, committed, stop) = (db.clone(), committed.clone(), stop.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                let next = committed.load(Ordering::SeqCst);
                insert(&db, next, 1);
                committed.store(next + 1, Ordering::SeqCst);
            }
        })
    };
    while committed.load(Ordering::SeqCst) < 20_050 {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    let at_start = committed.load(Ordering::SeqCst);
    let out = dualprev(dir.path(), &["backup", "--out", "copy.db", "--database", &url], &[]);
    stop.store(true, Ordering::SeqCst);
    writer.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("integrity ok"), "{stderr}");
    eprintln!("{}", stderr.lines().last().unwrap_or_default());
    assert!(out.stdout.is_empty(), "nothing on standard output");
    let after = committed.load(Ordering::SeqCst);
    assert!(after > at_start, "the writer went on during the backup");

    let copy = storage::Db::open(&dir.path().join("copy.db").to_string_lossy()).unwrap();
    let check = copy
        .with(|c| Ok(diesel::sql_query("SELECT integrity_check AS line FROM pragma_integrity_check").load::<Line>(c)?))
        .unwrap();
    assert_eq!(check.iter().map(|l| l.line.as_str()).collect::<Vec<_>>(), ["ok"]);
    assert!(copy.is_ready(), "every migration is recorded in the copy");
    let migrations = "SELECT count(*) AS n FROM __diesel_schema_migrations";
    assert_eq!(count(&copy, migrations), count(&db, migrations));
    assert_eq!(count(&copy, "SELECT count(*) AS n FROM enterprises"), 176);
    // Every row committed before the backup started is there, and the copy is one moment of the database: the rows
    // numbered 0..n for some n, never a later row without an earlier one.
    let rows = count(&copy, "SELECT count(*) AS n FROM revoked_tokens");
    let max = count(&copy, "SELECT CAST(max(jti) AS INTEGER) AS n FROM revoked_tokens");
    assert!(rows >= at_start, "{rows} rows in the copy, {at_start} committed before it started");
    assert_eq!(max, rows - 1, "no gap");
    assert!(rows <= after);

    // Never over an existing file.
    let before = std::fs::read(dir.path().join("copy.db")).unwrap();
    let out = dualprev(dir.path(), &["backup", "--out", "copy.db", "--database", &url], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[backup_exists]"));
    assert_eq!(std::fs::read(dir.path().join("copy.db")).unwrap(), before);
}

#[test]
fn postgres_is_pointed_to_pg_dump() {
    let dir = tempfile::tempdir().unwrap();
    // Refused before any connection is tried: the address need not exist.
    let out =
        dualprev(dir.path(), &["backup", "--out", "x.dump", "--database", "postgres://u@127.0.0.1:1/dualprev"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("[backup_postgres_use_pg_dump]") && err.contains("pg_dump -Fc"), "{err}");
    assert!(!dir.path().join("x.dump").exists());
    // A mistyped SQLite path is refused, not backed up as a new empty database.
    let out = dualprev(dir.path(), &["backup", "--out", "x.db", "--database", "sqlite://typo.db"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[no_database]"));
    assert!(!dir.path().join("typo.db").exists() && !dir.path().join("x.db").exists());
}
