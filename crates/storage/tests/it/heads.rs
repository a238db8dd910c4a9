//! Heads: the multi-row upsert inserts new heads and replaces existing ones in place, across chunk boundaries; new
//! heads are inserted and loaded by table and enterprise; the same on both backends.

use crate::fixtures::t;
use domain::ExchangeTable;
use storage::Db;
use storage::heads::{self, HeadRow};

fn head(n: usize, updated: &str, hash: &str) -> HeadRow {
    HeadRow {
        table_name: "check_record".into(),
        company_code: "140100001".into(),
        record_id: format!("{n:032x}"),
        natural_key: format!("{n:032x}"),
        update_date: t(updated),
        content_hash: hash.into(),
        deleted: n.is_multiple_of(7),
        received_at: t("2026-11-20 08:00:00"),
        first_received_at: Some(t("2026-11-20 08:00:00")),
    }
}

both_backends!(
    upsert_inserts_and_replaces_across_chunks,
    new_heads_are_inserted_and_loaded_by_enterprise,
    the_first_receipt_is_the_earliest_and_unknown_stays_unknown
);

fn upsert_inserts_and_replaces_across_chunks(db: &Db) {
    // 600 rows: more than one statement's chunk (250).
    let first: Vec<HeadRow> = (0..600).map(|n| head(n, "2026-11-20 00:00:00", "a")).collect();
    db.with(|c| Ok(heads::upsert(c, &first)?)).unwrap();
    // Every third row gets a new version; 100 rows are new.
    let second: Vec<HeadRow> = (0..700usize)
        .filter(|n| n.is_multiple_of(3) || *n >= 600)
        .map(|n| head(n, "2026-11-21 00:00:00", "b"))
        .collect();
    db.with(|c| Ok(heads::upsert(c, &second)?)).unwrap();
    let ids: Vec<String> = (0..700).map(|n| format!("{n:032x}")).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let stored = db
        .with(|c| {
            Ok(heads::load(c, ExchangeTable::CheckRecord, &domain::CompanyCode::parse("140100001").unwrap(), &ids)?)
        })
        .unwrap();
    assert_eq!(stored.len(), 700, "one head per record, none doubled");
    for n in 0..700usize {
        let expected =
            if n.is_multiple_of(3) || n >= 600 { head(n, "2026-11-21 00:00:00", "b") } else { first[n].clone() };
        assert_eq!(stored[&format!("{n:032x}")], expected, "head {n}");
    }
}

fn new_heads_are_inserted_and_loaded_by_enterprise(db: &Db) {
    let mine: Vec<HeadRow> = (0..600).map(|n| head(n, "2026-11-20 00:00:00", "a")).collect();
    // The same ids under another enterprise: never loaded as this one's.
    let theirs: Vec<HeadRow> =
        (0..300).map(|n| HeadRow { company_code: "140100002".into(), ..head(n, "2026-11-22 00:00:00", "z") }).collect();
    db.with(|c| Ok(heads::insert_new(c, &mine)?)).unwrap();
    db.with(|c| Ok(heads::insert_new(c, &theirs)?)).unwrap();
    // Asked for 700 ids (100 unknown, one twice): the 600 stored ones come back, as inserted.
    let ids: Vec<String> = (0..700).chain([5]).map(|n| format!("{n:032x}")).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let company = domain::CompanyCode::parse("140100001").unwrap();
    let stored = db.with(|c| Ok(heads::load(c, ExchangeTable::CheckRecord, &company, &ids)?)).unwrap();
    assert_eq!(stored.len(), 600);
    for h in &mine {
        assert_eq!(&stored[&h.record_id], h);
    }
    let none = db.with(|c| Ok(heads::load(c, ExchangeTable::CheckTask, &company, &ids)?)).unwrap();
    assert!(none.is_empty(), "another table's heads are not loaded");
}

/// `first_received_at` keeps the earliest receipt whatever order versions arrive in; a head without one (written
/// before migration 000020) stays without. `by_first_receipt` bounds by the earliest of the known ones on PostgreSQL
/// and leaves everything unbounded on SQLite.
fn the_first_receipt_is_the_earliest_and_unknown_stays_unknown(db: &Db) {
    let at = |n: usize, received: &str, first: Option<&str>| HeadRow {
        received_at: t(received),
        first_received_at: first.map(t),
        ..head(n, "2026-11-20 00:00:00", "a")
    };
    let rows = [at(1, "2026-11-20 08:00:00", Some("2026-11-20 08:00:00")), at(2, "2026-11-20 08:00:00", None)];
    db.with(|c| Ok(heads::upsert(c, &rows)?)).unwrap();
    // A later version, then one received earlier (a clock set back): the first receipt is the earliest.
    for received in ["2026-11-25 08:00:00", "2026-11-18 08:00:00", "2026-11-30 08:00:00"] {
        let again = [at(1, received, Some(received)), at(2, received, Some(received))];
        db.with(|c| Ok(heads::upsert(c, &again)?)).unwrap();
    }
    let company = domain::CompanyCode::parse("140100001").unwrap();
    let (one, two) = (format!("{:032x}", 1), format!("{:032x}", 2));
    let loaded = db.with(|c| Ok(heads::load(c, ExchangeTable::CheckRecord, &company, &[&one, &two])?)).unwrap();
    assert_eq!(loaded[&one].first_received_at, Some(t("2026-11-18 08:00:00")));
    assert_eq!(loaded[&one].received_at, t("2026-11-30 08:00:00"));
    assert_eq!(loaded[&two].first_received_at, None, "an unknown first receipt stays unknown");
    let three = format!("{:032x}", 3);
    let ids = vec![one.clone(), two.clone(), three.clone()];
    let (bounded, since, open) = db.with(|c| Ok(heads::by_first_receipt(c, &company, ids.clone())?)).unwrap();
    if matches!(*db.conn().unwrap(), storage::DbConnection::Postgresql(_)) {
        assert_eq!((bounded, since, open), (vec![one], Some(t("2026-11-18 08:00:00")), vec![two, three]));
    } else {
        assert_eq!((bounded, since, open), (vec![], None, ids));
    }
}
