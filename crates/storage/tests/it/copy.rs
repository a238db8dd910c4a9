//! `storage::copy`: the copy order respects every foreign key, and a copy between two SQLite files keeps every row.

use crate::fixtures::*;
use crate::records::store;
use diesel::prelude::*;
use storage::Db;

#[derive(QueryableByName)]
struct Fk {
    #[diesel(sql_type = diesel::sql_types::Text)]
    child: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    parent: String,
}

#[test]
fn parents_are_copied_before_their_children() {
    let t = testkit::TestDb::sqlite();
    let db = crate::open(&t);
    let order: Vec<String> =
        db.with(|c| Ok(storage::copy::tables(c).unwrap())).unwrap().into_iter().map(|t| t.name).collect();
    let fks: Vec<Fk> = db
        .with(|c| {
            Ok(diesel::sql_query(
                "SELECT m.name AS child, f.\"table\" AS parent FROM sqlite_master m \
                 JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table'",
            )
            .load(c)?)
        })
        .unwrap();
    assert!(!fks.is_empty());
    for fk in fks {
        let pos = |name: &str| order.iter().position(|t| t == name).unwrap();
        assert!(pos(&fk.parent) < pos(&fk.child), "{} references {}: add it to PARENTS_FIRST", fk.child, fk.parent);
    }
}

#[test]
fn a_copy_keeps_every_row_and_refuses_a_second_time() {
    let (a, b) = (testkit::TestDb::sqlite(), testkit::TestDb::sqlite());
    let source = crate::open(&a);
    source.with(|c| storage::registry::seed_annex(c, t("2026-11-01 00:00:00"))).unwrap();
    let c1 = "140100001";
    store(&source, "b1", c1, vec![hazard(c1, "h1", "HZ-1", "2026-11-01 00:00:00")]);
    store(&source, "b2", c1, vec![unit(c1, "u1", "HZ-1", "2026-11-01 00:00:00")]);
    store(&source, "b3", c1, vec![event(c1, "e1", "u-missing", "2026-11-01 00:00:00")]);
    let target = Db::open(&b.url).unwrap();
    let report = storage::copy::copy_database(&source, &target).unwrap();
    assert!(report.rows() > 176, "{report:?}");
    let digests = |db: &Db| {
        db.with(|c| {
            let tables = storage::copy::tables(c).unwrap();
            Ok(tables.iter().map(|t| storage::copy::digest(c, t).unwrap()).collect::<Vec<_>>())
        })
        .unwrap()
    };
    assert_eq!(digests(&target), digests(&source));
    assert_eq!(digests(&target), report.tables);
    let err = storage::copy::copy_database(&source, &target).unwrap_err();
    assert_eq!(err.code(), "target_not_empty");
    assert_eq!(storage::copy::copy_database(&source, &source).unwrap_err().code(), "same_database");
}
