//! The committed `schema.rs` equals what the migrations produce, and both migration trees give the same schema.

use storage::Db;
use storage::introspect::{columns, render_schema};

#[test]
fn schema_rs_matches_the_migrations() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("s.db").to_string_lossy()).unwrap();
    db.migrate().unwrap();
    let generated = render_schema(&columns(&mut db.conn().unwrap()).unwrap());
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/schema.rs");
    if std::env::var_os("DUALPREV_BLESS").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap();
    assert!(
        committed == generated,
        "crates/storage/src/schema.rs is out of date; regenerate it with:\n  \
         DUALPREV_BLESS=1 cargo test -p storage --test it schema"
    );
}

/// The columns of a freshly migrated database of each backend.
fn migrated_columns(url: &str) -> Vec<storage::introspect::ColumnInfo> {
    let db = Db::open(url).unwrap();
    let applied = db.migrate().unwrap();
    assert!(!applied.is_empty(), "a new database gets every migration");
    assert!(db.is_ready());
    assert!(db.migrate().unwrap().is_empty(), "migrating twice applies nothing");
    columns(&mut db.conn().unwrap()).unwrap()
}

#[test]
#[cfg_attr(not(pg_tests), ignore = "set DUALPREV_TEST_POSTGRES_URL to run the PostgreSQL tests")]
fn both_migration_trees_give_the_same_tables_and_columns() {
    let sqlite = testkit::TestDb::sqlite();
    let pg = testkit::TestDb::postgres();
    let a = migrated_columns(&sqlite.url);
    let b = migrated_columns(&pg.url);
    let tables = |cols: &[storage::introspect::ColumnInfo]| {
        let mut t: Vec<String> = cols.iter().map(|c| c.table.clone()).collect();
        t.dedup();
        t
    };
    assert_eq!(tables(&a), tables(&b));
    assert!(tables(&a).len() >= 14, "registry, batches, heads, pending and 8 version tables");
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y, "column differs between SQLite and PostgreSQL");
    }
    assert_eq!(a.len(), b.len());
}
