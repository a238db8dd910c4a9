//! Group commit on SQLite (`storage::group`): callers that arrive while the writer is busy share one transaction;
//! each is answered after that transaction's commit; one caller's failure rolls back only its own work. On
//! PostgreSQL `Db::write` is a transaction of its own, with the same answers.

use diesel::prelude::*;
use std::sync::mpsc;
use std::time::{Duration, Instant};
use storage::schema::batches;
use storage::{Db, StorageError};

/// Stores batch `id`, or stores it and fails (so that it must be rolled back).
fn store(db: &Db, id: &str, fail: bool) -> Result<String, StorageError> {
    db.write(|c| {
        diesel::insert_into(batches::table).values(crate::fixtures::batch_row(id)).execute(c)?;
        if fail { Err(StorageError::NotFound(format!("{id} fails on purpose"))) } else { Ok(id.to_owned()) }
    })
}

fn stored(db: &Db) -> Vec<String> {
    db.with(|c| Ok(batches::table.select(batches::batch_id).order(batches::batch_id).load(c)?)).unwrap()
}

both_backends!(many_writers_keep_exactly_what_succeeded);

/// 6 threads × 40 writes, every 5th failing: exactly the successful ones are stored, each answered Ok.
fn many_writers_keep_exactly_what_succeeded(db: &Db) {
    let threads: Vec<_> = (0..6)
        .map(|t| {
            let db = db.clone();
            std::thread::spawn(move || {
                (0..40)
                    .map(|i| {
                        let id = format!("b{t}-{i:02}");
                        let fail = i % 5 == 0;
                        (id.clone(), fail, store(&db, &id, fail))
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut expected = Vec::new();
    for t in threads {
        for (id, fail, answer) in t.join().unwrap() {
            match answer {
                Ok(got) => {
                    assert!(!fail, "{id} should have failed");
                    assert_eq!(got, id);
                    expected.push(id);
                }
                Err(e) => assert!(fail && e.code() == "not_found", "{id}: {e}"),
            }
        }
    }
    expected.sort();
    assert_eq!(expected.len(), 6 * 32);
    assert_eq!(stored(db), expected);
    if let Some(w) = db.group_writer() {
        let s = w.stats();
        assert_eq!(s.members, 240, "every write went through the writer");
        eprintln!("group commit: {} writes in {} transactions", s.members, s.groups);
    }
}

/// A writer holds the transaction open until two more callers wait; they then share one transaction with it. The
/// one that fails leaves no trace; the two others are answered only after the commit, with their rows stored.
#[test]
fn callers_that_wait_share_one_transaction_and_a_failure_stays_its_own() {
    let t = testkit::TestDb::sqlite();
    let db = crate::open(&t);
    let writer = db.group_writer().expect("SQLite has a group writer");
    let before = writer.stats();
    let (started, wait_started) = mpsc::channel();
    let first = {
        let db = db.clone();
        std::thread::spawn(move || {
            db.write(|c| {
                let began = Instant::now();
                diesel::insert_into(batches::table).values(crate::fixtures::batch_row("a")).execute(c)?;
                started.send(()).unwrap();
                let w = db.group_writer().unwrap();
                let deadline = Instant::now() + Duration::from_secs(30);
                while w.queued() < 2 && Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(2));
                }
                Ok::<_, StorageError>((w.queued(), began.elapsed()))
            })
        })
    };
    wait_started.recv().unwrap();
    let failing = {
        let db = db.clone();
        std::thread::spawn(move || store(&db, "b", true))
    };
    let third = {
        let db = db.clone();
        std::thread::spawn(move || store(&db, "c", false))
    };
    let (queued, first_took) = first.join().unwrap().unwrap();
    assert_eq!(queued, 2, "two callers were waiting when the first finished");
    assert!(failing.join().unwrap().is_err());
    assert_eq!(third.join().unwrap().unwrap(), "c");
    assert_eq!(stored(&db), ["a", "c"]);
    let after = writer.stats();
    assert_eq!((after.groups - before.groups, after.members - before.members), (1, 3), "one transaction for three");
    assert!(after.work - before.work >= first_took, "the first caller's work is counted: {after:?}, {first_took:?}");
    assert!(after.commits > before.commits, "the commit is timed: {after:?}");
}

/// A caller that panics inside the writer rolls its group back; the writer goes on serving.
#[test]
fn a_panicking_caller_does_not_stop_the_writer() {
    let t = testkit::TestDb::sqlite();
    let db = crate::open(&t);
    let panicked = std::thread::spawn({
        let db = db.clone();
        move || {
            db.write(|c| -> Result<(), StorageError> {
                diesel::insert_into(batches::table).values(crate::fixtures::batch_row("p")).execute(c)?;
                panic!("on purpose");
            })
        }
    })
    .join();
    assert!(panicked.is_err());
    assert_eq!(store(&db, "q", false).unwrap(), "q");
    assert_eq!(stored(&db), ["q"]);
}
