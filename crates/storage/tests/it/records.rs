//! Storing records: versions, heads, parents, pending holds and their release, stale and conflicting versions.

use crate::fixtures::*;
use diesel::prelude::*;
use domain::ExchangeTable;
use domain::records::{Body, Record};
use storage::Db;
use storage::records::{Applied, Origin, Outcome, apply};

const A: &str = "140100001";
const B: &str = "140200001";

/// Stores records of one table as one batch of a company, received 2026-11-20 02:00 UTC.
pub(crate) fn store(db: &Db, batch: &str, company: &str, recs: Vec<Record>) -> Applied {
    let table = recs[0].table();
    let indexed: Vec<(usize, Record)> = recs.into_iter().enumerate().collect();
    db.with(|c| {
        let (batch, company) = (domain::BatchId::new(batch.to_owned()), domain::CompanyCode::parse(company).unwrap());
        let origin = Origin { batch_id: &batch, received_at: t("2026-11-20 02:00:00"), company: &company };
        Ok(c.transaction(|c| apply(c, origin, table, &indexed))?)
    })
    .unwrap()
}

fn outcomes(a: &Applied) -> Vec<Outcome> {
    a.outcomes.iter().map(|(_, o)| o.clone()).collect()
}

fn count(db: &Db, sql: &str) -> i64 {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    db.with(|c| Ok(diesel::sql_query(sql).get_result::<N>(c)?.n)).unwrap()
}

both_backends!(
    parents_first_are_accepted,
    children_wait_for_parents,
    versions_stale_unchanged_conflict,
    foreign_parents,
    hazard_codes_are_per_enterprise,
    a_newer_held_version_survives_an_older_direct_one,
);

fn hazard_codes_are_per_enterprise(db: &Db) {
    // B already uses hazard code HZ-1; A's unit naming HZ-1 waits for A's own hazard source.
    store(db, "b1", B, vec![hazard(B, "hb", "HZ-1", "2026-11-01 00:00:00")]);
    let a = store(db, "b2", A, vec![unit(A, "u1", "HZ-1", "2026-11-01 00:00:00")]);
    assert!(matches!(outcomes(&a)[0], Outcome::Pending { field: "hazardCode", .. }), "{:?}", outcomes(&a));
    let a = store(db, "b3", A, vec![hazard(A, "ha", "HZ-1", "2026-11-01 00:00:00")]);
    assert_eq!(a.released, 1);
}

fn a_newer_held_version_survives_an_older_direct_one(db: &Db) {
    // v1 stored under u1; v3 moves the event to u2, which is unknown, so v3 is held; v2 (between them) arrives
    // under u1 and is stored. v3 must still be stored when u2 arrives.
    store(db, "b0", A, vec![hazard(A, "h1", "HZ-1", "2026-11-01 00:00:00")]);
    store(db, "b1", A, vec![unit(A, "u1", "HZ-1", "2026-11-01 00:00:00")]);
    store(db, "b2", A, vec![event(A, "e1", "u1", "2026-11-01 00:00:00")]);
    let a = store(db, "b3", A, vec![event(A, "e1", "u2", "2026-11-03 00:00:00")]);
    assert!(matches!(outcomes(&a)[0], Outcome::Pending { .. }));
    assert_eq!(outcomes(&store(db, "b4", A, vec![event(A, "e1", "u1", "2026-11-02 00:00:00")])), [Outcome::Accepted]);
    assert_eq!(count(db, "SELECT count(*) AS n FROM pending_records"), 1, "the newer held version is kept");
    let a = store(db, "b5", A, vec![unit(A, "u2", "HZ-1", "2026-11-01 00:00:00")]);
    assert_eq!(a.released, 1);
    assert_eq!(count(db, "SELECT count(*) AS n FROM risk_event_versions"), 3);
    assert_eq!(count(db, "SELECT count(*) AS n FROM pending_records"), 0);
}

fn parents_first_are_accepted(db: &Db) {
    let a = store(db, "b1", A, vec![hazard(A, "h1", "HZ-1", "2026-11-01 00:00:00")]);
    assert_eq!(outcomes(&a), [Outcome::Accepted]);
    let a = store(
        db,
        "b2",
        A,
        vec![unit(A, "u1", "HZ-1", "2026-11-01 00:00:00"), unit(A, "u2", "HZ-1", "2026-11-01 00:00:00")],
    );
    assert_eq!(outcomes(&a), [Outcome::Accepted, Outcome::Accepted]);
    assert_eq!(count(db, "SELECT count(*) AS n FROM risk_unit_versions"), 2);
    assert_eq!(count(db, "SELECT count(*) AS n FROM record_heads WHERE table_name = 'risk_unit'"), 2);
}

fn children_wait_for_parents(db: &Db) {
    // A record two generations below anything known: held, then released in a chain.
    let a = store(db, "b1", A, vec![check(A, "c1", "task1", "2026-11-01 00:00:00")]);
    assert_eq!(outcomes(&a), [Outcome::Pending { field: "checkTaskId", key: id("task1") }]);
    let a = store(db, "b2", A, vec![event(A, "e1", "u1", "2026-11-01 00:00:00")]);
    assert_eq!(outcomes(&a), [Outcome::Pending { field: "riskUnitId", key: id("u1") }]);
    let a = store(db, "b3", A, vec![unit(A, "u1", "HZ-1", "2026-11-01 00:00:00")]);
    assert!(matches!(outcomes(&a)[0], Outcome::Pending { field: "hazardCode", .. }));
    assert_eq!(count(db, "SELECT count(*) AS n FROM pending_records"), 3);
    // The hazard source arrives: the unit, then the event are released; the check record still waits for its task.
    let a = store(db, "b4", A, vec![hazard(A, "h1", "HZ-1", "2026-11-01 00:00:00")]);
    assert_eq!(outcomes(&a), [Outcome::Accepted]);
    assert_eq!(a.released, 2);
    assert_eq!(count(db, "SELECT count(*) AS n FROM pending_records"), 1);
    assert_eq!(count(db, "SELECT count(*) AS n FROM risk_event_versions WHERE batch_id = 'b2'"), 1);
    // A newer version of a held record replaces it; an older one is stale.
    let a = store(db, "b5", A, vec![check(A, "c1", "task1", "2026-11-02 00:00:00")]);
    assert!(matches!(outcomes(&a)[0], Outcome::Pending { .. }));
    let a = store(db, "b6", A, vec![check(A, "c1", "task1", "2026-11-01 12:00:00")]);
    assert!(matches!(outcomes(&a)[0], Outcome::Stale { .. }));
    assert_eq!(count(db, "SELECT count(*) AS n FROM pending_records WHERE batch_id = 'b5'"), 1);
}

fn versions_stale_unchanged_conflict(db: &Db) {
    let v1 = hazard(A, "h1", "HZ-1", "2026-11-01 00:00:00");
    store(db, "b1", A, vec![v1.clone()]);
    assert_eq!(outcomes(&store(db, "b2", A, vec![v1.clone()])), [Outcome::Unchanged]);
    let mut same_time = v1.clone();
    if let Body::HazardSource(h) = &mut same_time.body {
        h.hazard_name = "改名 𠀋😀".into();
    }
    assert_eq!(outcomes(&store(db, "b3", A, vec![same_time.clone()])), [Outcome::Conflict]);
    let mut v2 = same_time;
    v2.common.update_date = t("2026-11-05 00:00:00");
    v2.common.deleted = true;
    assert_eq!(outcomes(&store(db, "b4", A, vec![v2])), [Outcome::Accepted]);
    let old = hazard(A, "h1", "HZ-1", "2026-10-01 00:00:00");
    assert_eq!(outcomes(&store(db, "b5", A, vec![old])), [Outcome::Stale { stored: t("2026-11-05 00:00:00") }]);
    // Both accepted versions are kept; the head is the deletion; rare characters survive intact.
    assert_eq!(count(db, "SELECT count(*) AS n FROM hazard_source_versions"), 2);
    let names: Vec<String> = db
        .with(|c| {
            use storage::schema::hazard_source_versions::dsl::*;
            Ok(hazard_source_versions.order(update_date.asc()).select(hazard_name).load(c)?)
        })
        .unwrap();
    assert_eq!(names, ["液氨储罐区", "改名 𠀋😀"]);
    assert_eq!(count(db, "SELECT count(*) AS n FROM record_heads WHERE deleted"), 1);
}

fn foreign_parents(db: &Db) {
    store(db, "b1", B, vec![hazard(B, "hb", "HZ-B", "2026-11-01 00:00:00")]);
    store(db, "b2", B, vec![unit(B, "ub", "HZ-B", "2026-11-01 00:00:00")]);
    // Enterprise A names B's unit: rejected, not held.
    let a = store(db, "b3", A, vec![event(A, "e1", "ub", "2026-11-01 00:00:00")]);
    assert_eq!(outcomes(&a), [Outcome::UnknownParent { field: "riskUnitId", key: id("ub") }]);
    assert_eq!(count(db, "SELECT count(*) AS n FROM pending_records"), 0);
    assert_eq!(ExchangeTable::parse("risk_event").unwrap(), ExchangeTable::RiskEvent);
}
