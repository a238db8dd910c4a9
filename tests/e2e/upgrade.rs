//! Upgrades: a database of the previous release (migrated up to `migrations/RELEASED`) holding production-like
//! data is upgraded by `dualprev migrate`; every row stays as it was, the new tables come, and the platform works
//! on it (figures, audit chain). Migrations after the release are additive only (forward-only in production).

use crate::ops_data::{digests, fill_previous_release};
use crate::{dualprev, stdout};
use serde_json::Value;

fn upgrade(t: &testkit::TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let db = storage::Db::open(&t.url).unwrap();
    let released = storage::upgrade::released();
    let all = db.with(|c| storage::upgrade::names(c)).unwrap();
    let applied = db.with(|c| storage::upgrade::migrate_until(c, released)).unwrap();
    assert_eq!(applied.last().map(String::as_str), Some(released));
    assert!(applied.len() < all.len(), "the release under test adds migrations ({released} is not the newest)");
    assert!(!db.is_ready(), "migrations of this release are pending");
    drop(db);
    let period = fill_previous_release(&t.url);
    let before = digests(&t.url);
    assert!(before.iter().all(|d| d.rows > 0), "every table of the previous release has rows: {before:?}");

    let out = dualprev(dir.path(), &["migrate", "--database", &t.url], &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let after = digests(&t.url);
    for d in &before {
        assert_eq!(after.iter().find(|a| a.table == d.table), Some(d), "{} is unchanged by the upgrade", d.table);
    }
    assert!(after.len() > before.len(), "the new tables exist");
    assert!(storage::Db::open(&t.url).unwrap().is_ready());

    // The platform works on the upgraded data.
    let verify = dualprev(dir.path(), &["audit", "verify", "--database", &t.url], &[]);
    assert!(verify.status.success(), "{}", stdout(&verify));
    let out = dualprev(
        dir.path(),
        &["metrics", "--period", &period, "--by", "province", "--format", "json", "--database", &t.url],
        &[],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let figures: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let text = figures.to_string();
    assert!(text.contains("\"den\":") && !text.contains("\"rows\":[]"), "{text}");
    let revoked = dualprev(dir.path(), &["token", "revoke", "abc123", "--database", &t.url], &[]);
    assert!(
        revoked.status.success(),
        "a table of the new release is usable: {}",
        String::from_utf8_lossy(&revoked.stderr)
    );
}

#[test]
fn upgrade_keeps_the_data_on_sqlite() {
    upgrade(&testkit::TestDb::sqlite());
}

#[test]
#[cfg_attr(not(pg_tests), ignore = "set DUALPREV_TEST_POSTGRES_URL to run the PostgreSQL tests")]
fn upgrade_keeps_the_data_on_postgres() {
    upgrade(&testkit::TestDb::postgres());
}

/// Migrations newer than the release only add: no DROP, RENAME, TRUNCATE or DELETE, so an upgrade loses nothing
/// and the previous release's binary can still read every table it knew.
#[test]
fn newer_migrations_are_additive() {
    let released = storage::upgrade::released();
    for backend in ["sqlite", "postgres"] {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations").join(backend);
        let mut names: Vec<String> =
            std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        assert!(names.iter().any(|n| n == released), "{released} exists in migrations/{backend}");
        for name in names.iter().filter(|n| n.as_str() > released) {
            let up = std::fs::read_to_string(root.join(name).join("up.sql")).unwrap().to_uppercase();
            // `ON DELETE CASCADE` in a new table's foreign key deletes nothing that exists.
            let code: String = up
                .lines()
                .filter(|l| !l.trim_start().starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n")
                .replace("ON DELETE", "ON_REMOVAL");
            for word in ["DROP ", "RENAME ", "TRUNCATE ", "DELETE "] {
                assert!(!code.contains(word), "migrations/{backend}/{name}/up.sql contains {word}");
            }
        }
    }
}
