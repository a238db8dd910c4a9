//! The upgrade to SHA-256 content hashes, on a database as the previous release left it: its heads and held records
//! carrying the old FNV-1a hashes, the rehash step not done. Every hash becomes the SHA-256 of its record, resends
//! compare as before (`unchanged`, `conflict`), and a second start does nothing. The records are written by this
//! release's code, so the schema is this release's with the step's mark removed (a later migration adds a column
//! this code writes); the upgrade of an old schema with its data is `tests/e2e/upgrade.rs`.

use crate::fixtures::*;
use diesel::prelude::*;
use domain::ExchangeTable;
use domain::records::*;
use std::collections::HashMap;
use storage::Db;
use storage::records::{Origin, Outcome, apply};
use storage::rehash::{Rehashed, old_hash};
use storage::schema::{pending_records, record_heads, upgrade_steps};

const A: &str = "140100001";

both_backends!(
    upgrade_rehashes_every_head_and_held_record,
    an_interrupted_rehash_resumes_at_the_next_start,
    a_stored_version_that_differs_is_counted,
);

/// A database as the previous release left it: migrated, the rehash step not marked done.
struct Old(Db);

impl crate::Given for Old {
    fn given(t: &testkit::TestDb) -> Old {
        let db = Db::open(&t.url).unwrap();
        db.migrate().unwrap();
        db.with(|c| Ok(diesel::delete(upgrade_steps::table).execute(c)?)).unwrap();
        Old(db)
    }
}

/// The upgrade's step as `Db::migrate` runs it after the migrations: the rehash, whose report it returns.
fn upgrade(db: &Db) -> Option<Rehashed> {
    db.with(storage::rehash::run).unwrap()
}

/// Stores records of one table in one batch; the outcomes in order.
fn store(db: &Db, batch: &str, recs: &[Record]) -> Vec<Outcome> {
    let indexed: Vec<(usize, Record)> = recs.iter().cloned().enumerate().collect();
    let (batch, company) = (domain::BatchId::new(batch.to_owned()), domain::CompanyCode::parse(A).unwrap());
    let origin = Origin { batch_id: &batch, received_at: t("2026-11-20 02:00:00"), company: &company };
    let applied = db.with(|c| Ok(c.transaction(|c| apply(c, origin, recs[0].table(), &indexed))?)).unwrap();
    applied.outcomes.into_iter().map(|(_, o)| o).collect()
}

/// Writes the old hash of each record into its head, as the previous release did; held records likewise.
fn make_old(db: &Db, heads: &[Record], held: &[Record]) {
    db.with(|c| {
        for r in heads {
            let key = record_heads::table.find((r.table().name(), &r.common.id, A));
            diesel::update(key).set(record_heads::content_hash.eq(old_hash(r))).execute(c)?;
        }
        for r in held {
            let key = pending_records::table.filter(pending_records::record_id.eq(&r.common.id));
            diesel::update(key).set(pending_records::content_hash.eq(old_hash(r))).execute(c)?;
        }
        Ok(())
    })
    .unwrap();
}

/// Every head's hash by (table, id); every held record's hash by id.
fn hashes(db: &Db) -> (HashMap<(String, String), String>, HashMap<String, String>) {
    db.with(|c| {
        let heads: Vec<(String, String, String)> = record_heads::table
            .select((record_heads::table_name, record_heads::record_id, record_heads::content_hash))
            .load(c)?;
        let held: Vec<(String, String)> =
            pending_records::table.select((pending_records::record_id, pending_records::content_hash)).load(c)?;
        Ok((heads.into_iter().map(|(t, id, h)| ((t, id), h)).collect(), held.into_iter().collect()))
    })
    .unwrap()
}

/// Stores the full records (each table in its own batch, parents first) and a second version of the unit; returns
/// the current version of each record.
fn fill(db: &Db) -> Vec<Record> {
    let mut current = Vec::new();
    let recs = full_records(A);
    for (i, group) in recs.chunk_by(|a, b| a.table() == b.table()).enumerate() {
        assert!(store(db, &format!("b{i}"), group).iter().all(|o| *o == Outcome::Accepted), "{:?}", group[0].table());
        current.extend_from_slice(group);
    }
    let mut u2 = unit(A, "u1", "HZ-1", "2026-11-02 00:00:00");
    if let Body::RiskUnit(b) = &mut u2.body {
        b.risk_unit_name = "改名的单元".into();
    }
    assert_eq!(store(db, "b-u2", std::slice::from_ref(&u2)), vec![Outcome::Accepted]);
    current.retain(|r| r.common.id != u2.common.id);
    current.push(u2);
    current
}

fn upgrade_rehashes_every_head_and_held_record(old: &Old) {
    let db = &old.0;
    let current = fill(db);
    let held = event(A, "e9", "u9", "2026-11-01 00:00:00");
    assert!(matches!(store(db, "b-held", std::slice::from_ref(&held))[0], Outcome::Pending { .. }));
    make_old(db, &current, std::slice::from_ref(&held));
    let (old_heads, _) = hashes(db);
    assert!(old_heads.values().all(|h| h.len() == 16), "the previous release's hashes");

    let done = upgrade(db);
    let expected = Rehashed { heads: current.len() as u64, pending: 1, mismatched: 0, left: 0 };
    assert_eq!(done, Some(expected), "every stored version gives back the old hash it was stored with");

    let (heads, pending) = hashes(db);
    assert_eq!(heads.len(), current.len());
    for r in &current {
        let hash = &heads[&(r.table().name().to_owned(), r.common.id.clone())];
        assert_eq!(hash, &r.content_hash(), "{} {}", r.table(), r.common.id);
        assert_eq!(hash.len(), 64);
    }
    assert_eq!(pending[&held.common.id], held.content_hash());

    // Resends behave as before the upgrade.
    let unit_now = current.iter().find(|r| r.table() == ExchangeTable::RiskUnit).unwrap().clone();
    assert_eq!(store(db, "r1", std::slice::from_ref(&unit_now)), vec![Outcome::Unchanged]);
    let mut changed = unit_now.clone();
    changed.common.update_by = "另一个人".into();
    assert_eq!(store(db, "r2", &[changed]), vec![Outcome::Conflict]);
    for r in current.iter().filter(|r| r.table() != ExchangeTable::RiskUnit) {
        assert_eq!(store(db, "r3", std::slice::from_ref(r)), vec![Outcome::Unchanged], "{}", r.table());
    }
    assert!(matches!(store(db, "r4", std::slice::from_ref(&held))[0], Outcome::Pending { .. }), "identical held");
    let mut held_changed = held.clone();
    held_changed.common.update_by = "另一个人".into();
    assert_eq!(store(db, "r5", &[held_changed]), vec![Outcome::Conflict]);

    // A second start does nothing.
    assert_eq!(db.with(storage::rehash::run).unwrap(), None);
    assert!(db.migrate().unwrap().is_empty());
}

/// Check records under one chain of parents, more than two chunks of them.
fn many_checks(db: &Db, n: usize) -> Vec<Record> {
    let chain = [
        hazard(A, "h1", "HZ-1", "2026-11-01 00:00:00"),
        unit(A, "u1", "HZ-1", "2026-11-01 00:00:00"),
        event(A, "e1", "u1", "2026-11-01 00:00:00"),
        measure(A, "m1", "e1", "2026-11-01 00:00:00"),
        task(A, "k1", "m1", "2026-11-01 00:00:00"),
    ];
    for (i, r) in chain.iter().enumerate() {
        store(db, &format!("p{i}"), std::slice::from_ref(r));
    }
    let checks: Vec<Record> = (0..n).map(|i| check(A, &format!("c{i:05}"), "k1", "2026-11-01 00:00:00")).collect();
    for (i, batch) in checks.chunks(500).enumerate() {
        store(db, &format!("c{i}"), batch);
    }
    chain.into_iter().chain(checks).collect()
}

fn an_interrupted_rehash_resumes_at_the_next_start(old: &Old) {
    let db = &old.0;
    let all = many_checks(db, 2_300);
    // A version stored twice with the same updateDate (two rows for one head): either reads back the same.
    db.with(|c| {
        let mut rows = storage::versions::VersionRows::default();
        rows.push(&all[7], &domain::BatchId::new("again".into()), t("2026-11-20 03:00:00"));
        Ok(rows.insert(c)?)
    })
    .unwrap();
    make_old(db, &all, &[]);
    // An interrupted run: some heads already hashed anew, the step not marked.
    db.with(|c| {
        for r in all.iter().step_by(3) {
            let key = record_heads::table.find((r.table().name(), &r.common.id, A));
            diesel::update(key).set(record_heads::content_hash.eq(r.content_hash())).execute(c)?;
        }
        Ok(())
    })
    .unwrap();

    db.migrate().unwrap();
    let (heads, _) = hashes(db);
    assert_eq!(heads.len(), all.len());
    for r in &all {
        assert_eq!(heads[&(r.table().name().to_owned(), r.common.id.clone())], r.content_hash());
    }
    let marked: i64 = db.with(|c| Ok(upgrade_steps::table.count().get_result(c)?)).unwrap();
    assert_eq!(marked, 1);
}

fn a_stored_version_that_differs_is_counted(old: &Old) {
    let db = &old.0;
    let mut recs = many_checks(db, 3);
    make_old(db, &recs, &[]);
    // The stored version of one check record no longer gives back the record that was hashed; another one's is gone.
    use storage::schema::check_record_versions as v;
    let (changed, gone) = (recs[5].common.id.clone(), recs[6].common.id.clone());
    db.with(|c| {
        diesel::update(v::table.filter(v::record_id.eq(&changed))).set(v::mobile_me.eq(Some("changed"))).execute(c)?;
        Ok(diesel::delete(v::table.filter(v::record_id.eq(&gone))).execute(c)?)
    })
    .unwrap();
    if let Body::CheckRecord(b) = &mut recs[5].body {
        b.mobile_me = Some("changed".into());
    }

    let done = upgrade(db);
    assert_eq!(done, Some(Rehashed { heads: recs.len() as u64 - 1, pending: 0, mismatched: 1, left: 1 }));
    let (heads, _) = hashes(db);
    assert_eq!(heads[&("check_record".to_owned(), changed)], recs[5].content_hash(), "as stored");
    assert_eq!(heads[&("check_record".to_owned(), gone)], old_hash(&recs[6]), "left as it was");
    // A hash left in the old form still tells an identical resend from a changed one.
    assert_eq!(store(db, "r1", &recs[6..7]), vec![Outcome::Unchanged]);
    let mut other = recs[6].clone();
    other.common.update_by = "另一个人".into();
    assert_eq!(store(db, "r2", &[other]), vec![Outcome::Conflict]);
}
