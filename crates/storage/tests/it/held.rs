//! Held records (`storage::held`): listed by enterprise and city, the ones held too long, discarded (moved with who
//! and when and a `records.discarded` event, numbered apart from the held rows), and still counted as held by
//! `intake::held` at a moment before their discard.

use crate::fixtures::{id, t};
use domain::{CompanyCode, ExchangeTable, RecordId};
use storage::Db;
use storage::held::{Discard, Filter, discard, discarded, list, received_before, totals};
use storage::intake::{Held, held};
use storage::pending::{NewPending, hold};

const A: &str = "140100001";
const B: &str = "140200001";

both_backends!(discarded_records_count_as_held_until_their_discard);

/// A check record of `company` held for its task, received at a UTC time.
fn held_check(company: &str, name: &str, received: &str) -> NewPending {
    NewPending {
        table_name: "check_record".into(),
        company_code: company.into(),
        record_id: id(name),
        update_date: t("2026-11-01 00:00:00"),
        content_hash: "h".into(),
        batch_id: format!("batch-{name}"),
        received_at: t(received),
        parent_table: "check_task".into(),
        parent_key: id("task-missing"),
        payload: format!("{{\"id\":\"{}\"}}", id(name)),
    }
}

/// Discards a check record of `company` at a UTC time.
fn discard_check(db: &Db, company: &str, name: &str, at: &str) -> usize {
    let (company, record) = (CompanyCode::parse(company).unwrap(), RecordId::parse(&id(name)).unwrap());
    let d = Discard {
        table: ExchangeTable::CheckRecord,
        company: &company,
        id: &record,
        by: "qiye",
        at: t(at),
        city_code: Some("140100"),
    };
    db.with(|c| discard(c, &d)).unwrap().len()
}

fn discarded_records_count_as_held_until_their_discard(db: &Db) {
    db.with(|c| storage::registry::seed_annex(c, t("2026-11-01 00:00:00"))).unwrap();
    for row in [
        held_check(A, "c1", "2026-11-20 02:00:00"),
        held_check(A, "c2", "2026-11-21 02:00:00"),
        held_check(B, "c3", "2026-11-22 02:00:00"),
    ] {
        db.with(|c| Ok(hold(c, &row)?)).unwrap();
    }
    // Listed oldest first, per enterprise or city, with totals.
    let a = Filter { company: Some(A.into()), city: None };
    let rows = db.with(|c| list(c, &a, 10, 0)).unwrap();
    assert_eq!(rows.iter().map(|r| r.record_id.clone()).collect::<Vec<_>>(), [id("c1"), id("c2")]);
    assert_eq!(db.with(|c| list(c, &a, 1, 1)).unwrap()[0].record_id, id("c2"));
    let datong = Filter { company: None, city: Some("140200".into()) };
    assert_eq!(db.with(|c| totals(c, &datong)).unwrap(), (1, Some(t("2026-11-22 02:00:00"))));
    assert_eq!(db.with(|c| totals(c, &Filter::default())).unwrap(), (3, Some(t("2026-11-20 02:00:00"))));
    // Held before a cutoff (strictly): what the warning reads.
    let long = db.with(|c| received_before(c, t("2026-11-21 02:00:00"))).unwrap();
    assert_eq!(
        long.into_iter().collect::<Vec<_>>(),
        [(A.to_owned(), Held { records: 1, oldest: t("2026-11-20 02:00:00") })]
    );

    // The discard moves the record with who and when, once; the event follows it.
    assert_eq!(discard_check(db, A, "c1", "2026-11-23 00:00:00"), 1);
    assert_eq!(discard_check(db, A, "c1", "2026-11-23 00:00:00"), 0, "nothing held any more");
    assert_eq!(discard_check(db, B, "c1", "2026-11-23 00:00:00"), 0, "another enterprise holds no such record");
    assert_eq!(db.with(|c| totals(c, &a)).unwrap(), (1, Some(t("2026-11-21 02:00:00"))));
    let gone = db.with(|c| discarded(c, &CompanyCode::parse(A).unwrap())).unwrap();
    assert_eq!(gone.len(), 1);
    assert_eq!((gone[0].received_at, gone[0].discarded_at), (t("2026-11-20 02:00:00"), t("2026-11-23 00:00:00")));
    assert_eq!((gone[0].discarded_by.as_str(), gone[0].batch_id.as_str()), ("qiye", "batch-c1"));
    let kinds = ["records.discarded".to_owned()];
    let events = db.with(|c| Ok(storage::events::after(c, 0, 100, &Default::default(), &kinds)?)).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].company_code.as_deref(), events[0].city_code.as_deref()), (Some(A), Some("140100")));

    // Held at T: before the discard it still counts (with its receipt time), from the discard on it does not.
    let before = db.with(|c| held(c, t("2026-11-22 12:00:00"))).unwrap();
    assert_eq!(before[A], Held { records: 2, oldest: t("2026-11-20 02:00:00") });
    assert_eq!(before[B], Held { records: 1, oldest: t("2026-11-22 02:00:00") });
    let after = db.with(|c| held(c, t("2026-11-23 00:00:00"))).unwrap();
    assert_eq!(after[A], Held { records: 1, oldest: t("2026-11-21 02:00:00") });
    assert!(db.with(|c| held(c, t("2026-11-19 00:00:00"))).unwrap().is_empty(), "nothing received yet");

    // A held row's id may be reused (SQLite, after the newest was moved): discards are numbered apart.
    for name in ["c4", "c5"] {
        db.with(|c| Ok(hold(c, &held_check(A, name, "2026-11-24 00:00:00"))?)).unwrap();
        assert_eq!(discard_check(db, A, name, "2026-11-25 00:00:00"), 1);
    }
    let seqs: Vec<i64> =
        db.with(|c| discarded(c, &CompanyCode::parse(A).unwrap())).unwrap().iter().map(|r| r.seq).collect();
    assert_eq!(seqs, [1, 2, 3]);
}
