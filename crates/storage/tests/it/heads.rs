//! Heads: the multi-row upsert inserts new heads and replaces existing ones in place, across chunk boundaries, the
//! same on both backends.

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
    }
}

both_backends!(upsert_inserts_and_replaces_across_chunks);

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
