//! The command line of `interface.md`: registry, migrate, token, openapi and the exit codes.

use crate::{dualprev, stdout};
use domain::{City, ConstructionBatch, EnterpriseFlag};

const SECRET: &str = "an-e2e-test-secret-of-32-bytes-or-more";

#[test]
fn registry_list_csv_on_a_new_sqlite_database() {
    let dir = tempfile::tempdir().unwrap();
    let out = dualprev(dir.path(), &["registry", "list", "--format", "csv", "--database", "sqlite://reg.db"], &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = stdout(&out);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("companyCode,name,cityCode,cityName,batch,flags"));
    let rows: Vec<Vec<String>> = lines.map(|l| l.split(',').map(String::from).collect()).collect();
    assert_eq!(rows.len(), 176);
    let annex = domain::registry::annex_enterprises().unwrap();
    for row in &rows {
        let e = annex.iter().find(|e| e.code.as_str() == row[0]).expect("every code comes from the annex");
        assert_eq!(row[1], e.name);
        assert_eq!((row[2].as_str(), row[3].as_str()), (e.city.code(), e.city.name()));
        assert_eq!(row[4], e.batch.number().map(|n| n.to_string()).unwrap_or_default());
        assert_eq!(row[5], EnterpriseFlag::join(&e.flags));
    }
    let count = |city: City| rows.iter().filter(|r| r[2] == city.code()).count();
    assert_eq!(count(City::Changzhi), 28);
    assert_eq!(count(City::Lvliang), 19);
    let unknown: Vec<_> = rows.iter().filter(|r| r[4].is_empty()).collect();
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0][5], "batch_unknown;provisional_code");
    assert_eq!(rows.iter().filter(|r| r[5].contains("not_connected")).count(), 1);
    assert_eq!(
        annex.iter().filter(|e| e.batch == ConstructionBatch::First).count(),
        rows.iter().filter(|r| r[4] == "1").count()
    );
    // Standard output holds the CSV alone: logs went to standard error.
    assert!(String::from_utf8_lossy(&out.stderr).contains("seeded"));
}

#[test]
fn registry_import_reports_bad_rows_and_applies_good_ones() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("codes.csv"),
        "companyCode,name,cityCode\n140654321,山西中煤平朔能源化工有限公司,140600\n12345,坏行,140100\n",
    )
    .unwrap();
    let out = dualprev(dir.path(), &["registry", "import", "codes.csv", "--database", "r.db"], &[]);
    assert_eq!(out.status.code(), Some(1), "a refused row makes the exit code 1");
    let text = stdout(&out);
    assert!(text.contains("140600001 → 140654321"), "{text}");
    assert!(text.contains("第 3 行 / line 3: [bad_company_code]"), "{text}");
    let list = stdout(&dualprev(dir.path(), &["registry", "list", "--format", "csv", "--database", "r.db"], &[]));
    assert!(list.contains("140654321,山西中煤平朔能源化工有限公司,140600,朔州市,,batch_unknown\n"));
    // The import left a row in the audit trail, and the chain holds until a row is edited.
    let db = storage::Db::open(&dir.path().join("r.db").to_string_lossy()).unwrap();
    let page = db.with(|c| storage::audit::list(c, &Default::default(), None, 10)).unwrap();
    assert_eq!(page.rows.len(), 1);
    let row = &page.rows[0];
    assert_eq!((row.actor.as_str(), row.route.as_str(), row.outcome.as_str()), ("cli", "registry import", "rejected"));
    assert!(row.detail.as_deref().unwrap().contains("\"refused\":1"), "{row:?}");
    let verify = dualprev(dir.path(), &["audit", "verify", "--database", "r.db"], &[]);
    assert!(verify.status.success(), "{}", stdout(&verify));
    assert!(stdout(&verify).contains("audit trail OK: 1 rows checked"));
    db.with(|c| {
        use diesel::RunQueryDsl;
        Ok(diesel::sql_query("UPDATE audit_log SET actor = 'someone'").execute(c)?)
    })
    .unwrap();
    let verify = dualprev(dir.path(), &["audit", "verify", "--database", "r.db"], &[]);
    assert_eq!(verify.status.code(), Some(1));
    assert!(stdout(&verify).contains("audit trail broken at seq 1"), "{}", stdout(&verify));
}

#[test]
fn mistyped_database_urls_fail_and_create_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for url in ["postgress://localhost/x", "sqlite:x.db", "missing/dir/x.db"] {
        let out = dualprev(dir.path(), &["migrate", "--database", url], &[]);
        assert_eq!(out.status.code(), Some(1), "{url}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("invalid database URL"), "{url}");
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing was created");
}

#[test]
fn migrate_creates_the_full_schema_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let out = dualprev(dir.path(), &["migrate", "--database", "sqlite://m.db"], &[]);
    assert!(out.status.success());
    let db = storage::Db::open(&dir.path().join("m.db").to_string_lossy()).unwrap();
    assert!(db.is_ready());
    let cols = db.with(storage::introspect::columns).unwrap();
    assert!(cols.iter().any(|c| c.table == "check_record_versions" && c.name == "check_status"));
}

#[test]
#[cfg_attr(not(pg_tests), ignore = "set DUALPREV_TEST_POSTGRES_URL to run the PostgreSQL tests")]
fn migrate_creates_the_full_schema_on_postgres() {
    let pg = testkit::TestDb::postgres();
    let sqlite = testkit::TestDb::sqlite();
    let dir = tempfile::tempdir().unwrap();
    for url in [&pg.url, &sqlite.url] {
        let out = dualprev(dir.path(), &["migrate", "--database", url], &[]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let cols = |url: &str| storage::Db::open(url).unwrap().with(storage::introspect::columns).unwrap();
    assert_eq!(cols(&pg.url), cols(&sqlite.url));
}

#[test]
fn token_openapi_and_unfinished_commands() {
    let dir = tempfile::tempdir().unwrap();
    let env = [("DUALPREV_JWT_SECRET", SECRET)];
    let out = dualprev(dir.path(), &["token", "--role", "city", "--city", "140400", "--ttl", "2h"], &env);
    assert!(out.status.success());
    let token = stdout(&out);
    assert_eq!(token.lines().count(), 1);
    let auth = api::AuthConfig::new(SECRET.as_bytes(), "dualprev", "dualprev", 0).unwrap().with_clock(testkit::clock());
    let claims = auth.verify(token.trim()).unwrap();
    assert_eq!((claims.role, claims.city_code.as_deref()), (api::Role::City, Some("140400")));
    assert!((7100..=7200).contains(&(claims.exp - claims.iat)));
    // No secret, no token; a city token needs its city.
    assert_eq!(dualprev(dir.path(), &["token", "--role", "province"], &[]).status.code(), Some(1));
    assert_eq!(dualprev(dir.path(), &["token", "--role", "city"], &env).status.code(), Some(1));
    assert_eq!(dualprev(dir.path(), &["serve", "--database", "s.db"], &[]).status.code(), Some(1));
    let doc = stdout(&dualprev(dir.path(), &["openapi"], &[]));
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/openapi.json")).unwrap();
    assert_eq!(doc, committed);
    // The report of a month whose 20th has passed, made from an empty database: every enterprise listed, no data.
    let out = dualprev(dir.path(), &["report", "--month", "2026-11", "--format", "html", "--out", "r.html"], &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = std::fs::read_to_string(dir.path().join("r.html")).unwrap();
    assert!(
        html.starts_with("<!DOCTYPE html>") && html.contains("山西省危险化学品企业双重预防机制数字化建设运行情况月报")
    );
    let out = dualprev(
        dir.path(),
        &["report", "--month", "2026-11", "--city", "140300", "--format", "xlsx", "--out", "r.xlsx"],
        &[],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::read(dir.path().join("r.xlsx")).unwrap().starts_with(b"PK"));
    let out = dualprev(
        dir.path(),
        &["report", "--month", "2026-11", "--city", "140300", "--format", "docx", "--out", "r.docx"],
        &[],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::read(dir.path().join("r.docx")).unwrap().starts_with(b"PK"));
    let out = dualprev(dir.path(), &["report", "--month", "2026-11R", "--format", "pdf", "--out", "r.pdf"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--format"));
}

#[test]
fn token_keys_from_settings_and_revocation() {
    let dir = tempfile::tempdir().unwrap();
    let keys = concat!(env!("CARGO_MANIFEST_DIR"), "/../api/tests/it/keys");
    let settings = format!(
        "jwt_secret = \"{SECRET}\"\n[[jwt_keys]]\nkid = \"ed-1\"\nalg = \"EdDSA\"\nsign = true\n\
         private_key_file = \"{keys}/ed25519.pem\"\npublic_key_file = \"{keys}/ed25519.pub.pem\"\n"
    );
    std::fs::write(dir.path().join("s.toml"), settings).unwrap();
    let out = dualprev(dir.path(), &["token", "--config", "s.toml", "--role", "service"], &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let token = stdout(&out);
    let header = jsonwebtoken::decode_header(token.trim()).unwrap();
    assert_eq!((header.alg, header.kid.as_deref()), (jsonwebtoken::Algorithm::EdDSA, Some("ed-1")));
    // Revoking stores the id once, in the configured database.
    let revoke = ["token", "revoke", "abc123", "--reason", "泄露", "--database", "sqlite://r.db"];
    assert_eq!(stdout(&dualprev(dir.path(), &revoke, &[])).trim(), "revoked abc123");
    assert_eq!(stdout(&dualprev(dir.path(), &revoke, &[])).trim(), "already revoked abc123");
    let db = storage::Db::open(&format!("sqlite://{}", dir.path().join("r.db").display())).unwrap();
    let rows = db.with(storage::revocations::list).unwrap();
    assert_eq!((rows.len(), rows[0].reason.as_str(), rows[0].revoked_by.as_str()), (1, "泄露", "cli"));
    // Issuing options and the revoke subcommand do not mix.
    assert_eq!(dualprev(dir.path(), &["token", "--role", "province", "revoke", "x"], &[]).status.code(), Some(2));
}

#[test]
fn a_pinned_clock_is_refused_by_serve_unless_it_is_a_test_instance() {
    let dir = tempfile::tempdir().unwrap();
    let now = ("DUALPREV_NOW", "2027-01-02T08:30:00+08:00");
    let secret = ("DUALPREV_JWT_SECRET", SECRET);
    // `DUALPREV_TEST_INSTANCE=0` overrides what `testkit::pin_child` sets when this run's own clock is pinned.
    let out = dualprev(dir.path(), &["serve", "--database", "s.db"], &[now, secret, ("DUALPREV_TEST_INSTANCE", "0")]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("[pinned_clock]") && err.contains("--test-instance"), "{err}");
    assert!(!dir.path().join("s.db").exists(), "refused before opening the database");
    // Any other command takes the pinned moment; a malformed one is refused with its code.
    let out = dualprev(dir.path(), &["registry", "list", "--format", "csv"], &[("DUALPREV_NOW", "tomorrow")]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("[bad_now]"), "{err}");
    let out = dualprev(dir.path(), &["registry", "list", "--format", "csv"], &[now]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}
