//! The change feed's log: concurrent appenders, each holding its transaction open a while after appending, and a
//! reader that follows the log by cursor the whole time sees every seq exactly once, none skipped; retention.

use chrono::NaiveDateTime;
use serde_json::json;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use storage::Db;
use storage::events::{self, NewEvent, Scope};
use storage::tx::write_transaction;

both_backends!(
    a_follower_sees_every_concurrent_append_once,
    retention_keeps_the_newest_and_records_the_horizon,
    stored_batches_name_their_enterprise_and_receipt
);

const WRITERS: usize = 4;
const PER_WRITER: usize = 100;

fn event(n: usize, at: chrono::NaiveDateTime) -> NewEvent {
    NewEvent::new(
        "batch.stored",
        Some("140100"),
        Some(&domain::CompanyCode::parse("140100001").unwrap()),
        &serde_json::json!({"n": n}),
        at,
    )
}

fn a_follower_sees_every_concurrent_append_once(db: &Db) {
    let done = Arc::new(AtomicBool::new(false));
    let follower = {
        let (db, done) = (db.clone(), done.clone());
        std::thread::spawn(move || {
            let (mut seen, mut cursor) = (Vec::new(), 0);
            loop {
                // Read the flag first: a page read after every writer finished must be the last word.
                let finished = done.load(Ordering::SeqCst);
                let page = db.with(|c| Ok(events::after(c, cursor, 50, &Scope::All, &[])?)).unwrap();
                if let Some(last) = page.last() {
                    cursor = last.seq;
                }
                let empty = page.is_empty();
                seen.extend(page.into_iter().map(|e| e.seq));
                if finished && empty {
                    return seen;
                }
            }
        })
    };
    let started = Instant::now();
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let db = db.clone();
            std::thread::spawn(move || {
                for i in 0..PER_WRITER {
                    db.with(|c| {
                        write_transaction(c, |c| {
                            events::append(c, &[event(w * PER_WRITER + i, testkit::clock().now_utc())])?;
                            // Hold the transaction open after drawing the seq: without the append lock, a later
                            // seq could commit first and the follower would skip this one.
                            if i % 7 == 0 {
                                std::thread::sleep(Duration::from_millis(2));
                            }
                            Ok::<_, storage::StorageError>(())
                        })
                    })
                    .unwrap();
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    let elapsed = started.elapsed();
    done.store(true, Ordering::SeqCst);
    let seen = follower.join().unwrap();
    let stored: Vec<i64> =
        db.with(|c| Ok(events::after(c, 0, 100_000, &Scope::All, &[])?)).unwrap().iter().map(|e| e.seq).collect();
    assert_eq!(stored.len(), WRITERS * PER_WRITER);
    assert_eq!(seen, stored, "the follower saw every seq once, in order, none skipped");
    assert!(seen.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), seen.len());
    let rate = (WRITERS * PER_WRITER) as f64 / elapsed.as_secs_f64();
    println!("{} events appended by {WRITERS} writers in {elapsed:?}: {rate:.0} events/s", WRITERS * PER_WRITER);
}

fn retention_keeps_the_newest_and_records_the_horizon(db: &Db) {
    let old = crate::fixtures::t("2026-10-01 00:00:00");
    let rows: Vec<_> = (0..5).map(|n| event(n, old)).collect();
    let last = db.with(|c| Ok(events::append_now(c, &rows)?)).unwrap().unwrap();
    assert_eq!(db.with(|c| Ok(events::pruned_through(c)?)).unwrap(), 0);
    let removed = db.with(|c| Ok(events::prune(c, crate::fixtures::t("2026-11-01 00:00:00"))?)).unwrap();
    assert_eq!(removed, 4, "the newest is kept so that seqs never restart");
    assert_eq!(db.with(|c| Ok(events::pruned_through(c)?)).unwrap(), last - 1);
    assert_eq!(db.with(|c| Ok(events::oldest_seq(c)?)).unwrap(), Some(last));
    let next = db.with(|c| Ok(events::append_now(c, &[event(9, old)])?)).unwrap().unwrap();
    assert!(next > last);
    // Nothing newer than the cut-off is removed.
    assert_eq!(db.with(|c| Ok(events::prune(c, old)?)).unwrap(), 0);
}

/// An event of `kind` for an enterprise at a moment.
fn of(kind: &str, company: &str, at: &str, data: serde_json::Value) -> NewEvent {
    let code = domain::CompanyCode::parse(company).unwrap();
    NewEvent::new(kind, Some("140100"), Some(&code), &data, crate::fixtures::t(at))
}

fn stored_batches_name_their_enterprise_and_receipt(db: &Db) {
    use storage::stored::{Checks, stored_after, stored_since};
    // Before 2026-12-07 an event said neither what it released nor its last check version: taken to have stored
    // anything.
    let old = of("batch.stored", "140100001", "2026-11-01 08:00:00", json!({"table": "check_record"}));
    let mark = db.with(|c| Ok(events::append_now(c, &[old])?));
    let mark = mark.unwrap().unwrap();
    let checks = |released: usize, seq: i64| json!({"table": "check_record", "released": released, "checkSeq": seq});
    let rows = [
        of("batch.stored", "140100001", "2026-11-03 08:00:00", checks(0, 40)),
        of("figure.changed", "140100001", "2026-10-01 08:00:00", checks(0, 99)),
        // Another table (no check version); then check records that released held dangers.
        of(
            "batch.stored",
            "140100002",
            "2026-10-20 08:00:00",
            json!({"table": "danger", "released": 0,
            "checkSeq": null}),
        ),
        // Received earlier than the batch before it, committed after it.
        of("batch.stored", "140100001", "2026-11-02 09:30:00", checks(2, 57)),
    ];
    let last = db.with(|c| Ok(events::append_now(c, &rows)?)).unwrap().unwrap();
    let (seq, stored) = db.with(|c| Ok(stored_after(c, mark)?)).unwrap();
    assert_eq!(seq, last);
    let t = crate::fixtures::t;
    let through = |since: &str, through: i64| Checks::Through { since: t(since), through };
    let got: Vec<(&str, NaiveDateTime, bool, Checks)> =
        stored.iter().map(|b| (b.company.as_str(), b.at, b.checks_only, b.checks)).collect();
    let expected = vec![
        ("140100001", t("2026-11-03 08:00:00"), true, through("2026-11-03 08:00:00", 40)),
        ("140100002", t("2026-10-20 08:00:00"), false, Checks::Nothing),
        ("140100001", t("2026-11-02 09:30:00"), false, through("2026-11-02 09:30:00", 57)),
    ];
    assert_eq!(got, expected, "batch.stored only, in seq order, with their moments and what they stored");
    let (_, from_old) = db.with(|c| Ok(stored_after(c, mark - 1)?)).unwrap();
    assert!(!from_old[0].checks_only, "an event from before `released` may have stored anything");
    assert_eq!(from_old[0].checks, Checks::Unknown, "nor does it say its last check version");
    let since = |company: &str, seq: i64| db.with(|c| Ok(stored_since(c, company, seq)?)).unwrap();
    assert_eq!(
        since("140100001", mark),
        Some(through("2026-11-02 09:30:00", 57)),
        "the earliest receipt and the highest check version, not the first or last by seq"
    );
    assert_eq!(since("140100001", mark - 1), Some(Checks::Unknown), "one event that does not tell: unknown");
    assert_eq!(since("140100002", mark), Some(Checks::Nothing));
    assert_eq!(since("140100001", last), None, "nothing after the last");
    assert_eq!(since("140100003", 0), None, "another enterprise's batches are not its own");
    let t1 = t("2026-11-05 08:00:00");
    assert_eq!(through("2026-11-02 09:30:00", 57).and(Checks::Nothing), through("2026-11-02 09:30:00", 57));
    assert_eq!(
        Checks::Through { since: t1, through: 70 }.and(through("2026-11-02 09:30:00", 57)),
        through("2026-11-02 09:30:00", 70)
    );
}
