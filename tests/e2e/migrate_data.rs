//! `dualprev migrate-data`: SQLite → PostgreSQL keeps every row and every figure, the audit chain still verifies,
//! PostgreSQL's sequences continue after the copied keys, a non-empty target is refused and left as it was, and the
//! way back (PostgreSQL → SQLite) gives the original content again.

use crate::ops_data::{digests, fill};
use crate::{dualprev, stdout};
use serde_json::Value;

/// `dualprev metrics … --format json` on a database, without `asOf` (the moment the command ran).
fn figures(dir: &std::path::Path, url: &str, period: &str, by: &str) -> Value {
    let out = dualprev(dir, &["metrics", "--period", period, "--by", by, "--format", "json", "--database", url], &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let as_of = v.as_object_mut().unwrap().remove("asOf");
    assert!(as_of.is_some_and(|a| a.is_string()));
    assert!(!v["rows"].as_array().unwrap().is_empty(), "{by}: figures have rows");
    v
}

/// Asserts equal figures, naming the first row that differs.
fn same_figures(a: &Value, b: &Value, what: &str) {
    let (ra, rb) = (a["rows"].as_array().unwrap(), b["rows"].as_array().unwrap());
    assert_eq!(ra.len(), rb.len(), "{what}: rows");
    for (x, y) in ra.iter().zip(rb) {
        assert_eq!(x, y, "{what}: row {}", x["key"]);
    }
    assert_eq!(a, b, "{what}");
}

#[test]
#[cfg_attr(not(pg_tests), ignore = "set DUALPREV_TEST_POSTGRES_URL to run the PostgreSQL tests")]
fn sqlite_to_postgres_keeps_every_record_and_figure() {
    let dir = tempfile::tempdir().unwrap();
    let source = format!("sqlite://{}", dir.path().join("source.db").display());
    let period = fill(&source);
    let before = digests(&source);
    let empty: Vec<&str> = before.iter().filter(|t| t.rows == 0).map(|t| t.table.as_str()).collect();
    assert!(empty.is_empty(), "every table has rows in the test data: {empty:?} are empty");
    let pg = testkit::TestDb::postgres();

    let out = dualprev(dir.path(), &["migrate-data", "--from", &source, "--to", &pg.url], &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let total: i64 = before.iter().map(|t| t.rows).sum();
    assert_eq!(report["rows"].as_i64(), Some(total));
    assert_eq!(report["tables"].as_array().unwrap().len(), before.len());
    eprintln!(
        "migrate-data: {total} rows in {:.2} s ({:.0} rows/s)",
        report["seconds"].as_f64().unwrap(),
        total as f64 / report["seconds"].as_f64().unwrap()
    );

    // Every table: same rows, same content (computed apart from the command, after its commit).
    assert_eq!(digests(&pg.url), before);
    // Every figure, at every level.
    for by in ["enterprise", "city", "batch", "province"] {
        same_figures(&figures(dir.path(), &pg.url, &period, by), &figures(dir.path(), &source, &period, by), by);
    }
    let week = figures(dir.path(), &source, "2026-W47", "city");
    same_figures(&figures(dir.path(), &pg.url, "2026-W47", "city"), &week, "week");
    // The audit trail's hash chain holds on the target.
    let verify = dualprev(dir.path(), &["audit", "verify", "--database", &pg.url], &[]);
    assert!(verify.status.success(), "{}", stdout(&verify));
    assert!(stdout(&verify).contains("audit trail OK"), "{}", stdout(&verify));
    // Sequences continue after the copied keys: a new row gets the next id.
    let db = storage::Db::open(&pg.url).unwrap();
    let next = |sql: &str| {
        #[derive(diesel::QueryableByName)]
        struct Id {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            id: i64,
        }
        db.with(|c| Ok(diesel::RunQueryDsl::get_result::<Id>(diesel::sql_query(sql), c)?.id)).unwrap()
    };
    let max = next("SELECT max(id) AS id FROM spot_draws");
    let new = next(
        "INSERT INTO spot_draws (city_code, seed, size, companies, drawn_by, drawn_at) VALUES ('140200', 1, 1, '[]', \
         't', now()) RETURNING id",
    );
    assert_eq!(new, max + 1);
    let max_seq = next("SELECT max(seq) AS id FROM check_record_versions");
    assert_eq!(next("SELECT nextval(pg_get_serial_sequence('check_record_versions', 'seq')) AS id"), max_seq + 1);

    // A target that holds data is refused, with a stable code, and left as it was.
    let again = dualprev(dir.path(), &["migrate-data", "--from", &source, "--to", &pg.url], &[]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("[target_not_empty]"));
    assert_eq!(digests(&pg.url).iter().map(|t| t.rows).sum::<i64>(), total + 1);

    // And back: PostgreSQL → a new SQLite file gives the original content (without the row added above).
    next("DELETE FROM spot_draws WHERE city_code = '140200' RETURNING id");
    let back = format!("sqlite://{}", dir.path().join("back.db").display());
    let out = dualprev(dir.path(), &["migrate-data", "--from", &pg.url, "--to", &back], &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(digests(&back), before);
    same_figures(&figures(dir.path(), &back, &period, "city"), &figures(dir.path(), &source, &period, "city"), "back");
}

#[test]
fn refusals_have_stable_codes() {
    let dir = tempfile::tempdir().unwrap();
    let a = format!("sqlite://{}", dir.path().join("a.db").display());
    let out = dualprev(dir.path(), &["migrate", "--database", &a], &[]);
    assert!(out.status.success());
    let cases = [(a.clone(), "[same_database]"), ("a.db".to_owned(), "[same_database]")];
    for (to, code) in cases {
        let out = dualprev(dir.path(), &["migrate-data", "--from", &a, "--to", &to], &[]);
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains(code), "{}", String::from_utf8_lossy(&out.stderr));
    }
    // `migrate` seeded the registry: a target with rows is refused and keeps them.
    let b = format!("sqlite://{}", dir.path().join("b.db").display());
    assert!(dualprev(dir.path(), &["migrate", "--database", &b], &[]).status.success());
    let out = dualprev(dir.path(), &["migrate-data", "--from", &a, "--to", &b], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("[target_not_empty]") && err.contains("enterprises"), "{err}");
    // A missing source file is refused and not created.
    let out = dualprev(dir.path(), &["migrate-data", "--from", "missing.db", "--to", "e.db"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[no_database]"));
    assert!(!dir.path().join("missing.db").exists());
    // A source behind this release's migrations is refused.
    let c = format!("sqlite://{}", dir.path().join("c.db").display());
    std::fs::write(dir.path().join("c.db"), b"").unwrap();
    let d = format!("sqlite://{}", dir.path().join("d.db").display());
    let out = dualprev(dir.path(), &["migrate-data", "--from", &c, "--to", &d], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[source_not_migrated]"));
}
