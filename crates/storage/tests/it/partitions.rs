//! The version tables' monthly partitions on PostgreSQL (migration 000019, `storage::partitions`): a migrated
//! database has the coming months and a default partition; a bulk load gets its months; a row received in a month
//! without a partition waits in the default one and is moved, unchanged, when its month is covered. SQLite has none.

use crate::fixtures::{hazard, t};
use storage::Db;
use storage::copy::{digest, tables};
use storage::partitions::{Partition, cover, list};
use storage::versions::VersionRows;

crate::both_backends!(months_are_covered_and_rows_moved_unchanged);

fn parts_of<'a>(all: &'a [Partition], parent: &str) -> Vec<&'a Partition> {
    all.iter().filter(|p| p.parent == parent).collect()
}

fn months_are_covered_and_rows_moved_unchanged(db: &Db) {
    let mut conn = db.conn().unwrap();
    let pg = matches!(*conn, storage::DbConnection::Postgresql(_));
    let before = list(&mut conn).unwrap();
    if !pg {
        assert!(before.is_empty());
        assert_eq!(cover(&mut conn, t("2021-03-01 00:00:00"), t("2021-05-01 00:00:00")).unwrap(), 0);
        return;
    }
    // Every version table: a default partition and the current month with two ahead, by the database's clock (the
    // tests may pin the platform's).
    #[derive(diesel::QueryableByName)]
    struct Now {
        #[diesel(sql_type = diesel::sql_types::Timestamp)]
        now: chrono::NaiveDateTime,
    }
    let now = {
        use diesel::RunQueryDsl;
        diesel::sql_query("SELECT (now() AT TIME ZONE 'UTC') AS now").get_result::<Now>(&mut *conn).unwrap().now
    };
    for table in domain::ExchangeTable::ALL {
        let parent = format!("{}_versions", table.name());
        let parts = parts_of(&before, &parent);
        assert!(parts.iter().any(|p| p.name == format!("{parent}_default") && p.bounds == "DEFAULT"), "{parts:?}");
        assert!(parts.len() >= 4, "{parent}: {parts:?}");
        assert!(parts.iter().all(|p| p.rows == 0));
        let month = format!("{parent}_{}", now.format("%Y_%m"));
        assert!(parts.iter().any(|p| p.name == month), "{month} in {parts:?}");
    }

    // A bulk load of March 2021 gets its partition first.
    let batch = domain::BatchId::new("b-partitions".into());
    let march = [hazard("140100001", "march", "H1", "2021-03-10 08:00:00")];
    storage::bulk::insert_versions_received(&mut conn, &march, &batch, |_| t("2021-03-15 00:00:00")).unwrap();
    let after = list(&mut conn).unwrap();
    let p = after.iter().find(|p| p.name == "hazard_source_versions_2021_03").expect("March 2021 covered");
    assert_eq!(p.rows, 1);
    assert!(p.bounds.contains("2021-03-01 00:00:00") && p.bounds.contains("2021-04-01 00:00:00"), "{}", p.bounds);

    // Rows written without covering (as a push in a month the hourly check has not prepared) go to the default.
    let may = [
        hazard("140100001", "may-a", "H2", "2019-05-01 08:00:00"),
        hazard("140100001", "may-b", "H3", "2019-05-31 23:00:00"),
    ];
    let mut rows = VersionRows::default();
    rows.push(&may[0], &batch, t("2019-05-01 00:00:00"));
    rows.push(&may[1], &batch, t("2019-05-31 23:59:59"));
    rows.push(&hazard("140100001", "june", "H4", "2019-06-01 00:00:00"), &batch, t("2019-06-01 00:00:00"));
    assert_eq!(rows.insert(&mut conn).unwrap(), 3);
    let default_rows = |conn: &mut storage::DbConnection| {
        list(conn).unwrap().into_iter().find(|p| p.name == "hazard_source_versions_default").unwrap().rows
    };
    assert_eq!(default_rows(&mut conn), 3);
    let table = tables(&mut conn).unwrap().into_iter().find(|t| t.name == "hazard_source_versions").unwrap();
    let whole = digest(&mut conn, &table).unwrap();

    // Covering May 2019 moves its two rows and leaves June's; the table reads as before.
    let created = cover(&mut conn, t("2019-05-20 00:00:00"), t("2019-05-20 00:00:00")).unwrap();
    assert_eq!(created, domain::ExchangeTable::ALL.len(), "one partition per version table");
    let parts = list(&mut conn).unwrap();
    let may_part = parts.iter().find(|p| p.name == "hazard_source_versions_2019_05").unwrap();
    assert_eq!(may_part.rows, 2);
    assert_eq!(default_rows(&mut conn), 1);
    assert_eq!(digest(&mut conn, &table).unwrap(), whole, "every row as it was");
    assert_eq!(cover(&mut conn, t("2019-05-01 00:00:00"), t("2019-05-31 00:00:00")).unwrap(), 0, "idempotent");

    // The sequence still draws past every row: a version written now gets the largest seq.
    let mut more = VersionRows::default();
    more.push(&hazard("140100001", "later", "H5", "2026-12-01 00:00:00"), &batch, now);
    more.insert(&mut conn).unwrap();
    #[derive(diesel::QueryableByName)]
    struct Last {
        #[diesel(sql_type = diesel::sql_types::Text)]
        record_id: String,
    }
    use diesel::RunQueryDsl;
    let last = diesel::sql_query("SELECT record_id FROM hazard_source_versions ORDER BY seq DESC LIMIT 1")
        .get_result::<Last>(&mut *conn)
        .unwrap();
    assert_eq!(last.record_id, crate::fixtures::id("later"));
    assert_eq!(digest(&mut conn, &table).unwrap().rows, 5);
}
