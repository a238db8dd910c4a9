//! Snapshots as of a moment: later versions are ignored, deletions give deletion times, deleted checks vanish.

use crate::fixtures::*;
use domain::records::Record;
use storage::Db;
use storage::records::{Origin, apply};
use storage::snapshot::{Scope, load};

const A: &str = "140100001";

fn store_at(db: &Db, batch: &str, received: &str, recs: Vec<Record>) {
    let table = recs[0].table();
    let indexed: Vec<(usize, Record)> = recs.into_iter().enumerate().collect();
    db.with(|c| {
        let (batch, company) = (domain::BatchId::new(batch.to_owned()), domain::CompanyCode::parse(A).unwrap());
        let origin = Origin { batch_id: &batch, received_at: t(received), company: &company };
        apply(c, origin, table, &indexed)?;
        Ok(())
    })
    .unwrap();
}

both_backends!(knowledge_as_of_a_moment);

fn knowledge_as_of_a_moment(db: &Db) {
    // Snapshots are loaded for registered enterprises.
    db.with(|c| storage::registry::seed_annex(c, t("2026-01-01 00:00:00"))).unwrap();
    store_at(db, "b1", "2026-11-01 01:00:00", vec![hazard(A, "h1", "HZ-1", "2026-11-01 00:00:00")]);
    store_at(db, "b2", "2026-11-01 02:00:00", vec![unit(A, "u1", "HZ-1", "2026-11-01 00:00:00")]);
    let mut deleted = unit(A, "u1", "HZ-1", "2026-11-03 00:00:00");
    deleted.common.deleted = true;
    store_at(db, "b3", "2026-11-03 01:00:00", vec![deleted]);
    store_at(db, "b3a", "2026-11-01 03:00:00", vec![event(A, "e1", "u1", "2026-11-01 00:00:00")]);
    store_at(db, "b3b", "2026-11-01 03:00:00", vec![measure(A, "m1", "e1", "2026-11-01 00:00:00")]);
    store_at(db, "b3c", "2026-11-01 03:00:00", vec![task(A, "t1", "m1", "2026-11-01 00:00:00")]);
    store_at(db, "b4", "2026-11-02 01:00:00", vec![check(A, "c1", "t1", "2026-11-02 00:00:00")]);
    let mut gone = check(A, "c1", "t1", "2026-11-04 00:00:00");
    gone.common.deleted = true;
    store_at(db, "b5", "2026-11-04 01:00:00", vec![gone]);
    let snap = |as_of: &str| db.with(|c| load(c, &Scope::default(), t(as_of))).unwrap();
    // Before the deletion was received, the unit had no deletion time and the check counted.
    let early = snap("2026-11-02 12:00:00");
    assert_eq!(early.len(), 1);
    assert_eq!(early[0].units[0].life.deleted, None);
    assert_eq!(early[0].checks.len(), 1);
    // Afterwards the unit carries its deletion time (its updateDate) and the deleted check is gone.
    let late = snap("2026-11-30 00:00:00");
    assert_eq!(late[0].units[0].life.deleted, Some(t("2026-11-03 00:00:00")));
    assert_eq!(late[0].units[0].life.created, t("2026-01-01 00:00:00"));
    assert!(late[0].checks.is_empty());
    assert_eq!(late[0].hazards[0].hazard_code, "HZ-1");
    let newest = late[0].last_received_by(t("2026-11-30 00:00:00")).iter().map(|(_, at)| *at).max();
    assert_eq!(newest, Some(t("2026-11-04 01:00:00")));
    // Asked about an earlier moment, each table answers with its last receipt by then.
    let by_3rd = late[0].last_received_by(t("2026-11-03 00:00:00"));
    let check = by_3rd.iter().find(|(table, _)| *table == domain::ExchangeTable::CheckRecord).map(|(_, at)| *at);
    assert_eq!(
        check,
        Some(t("2026-11-02 01:00:00")),
        "the check table had data by then, though it received more later"
    );
    // Nothing known before the first batch.
    assert!(snap("2026-10-01 00:00:00").is_empty());
}
