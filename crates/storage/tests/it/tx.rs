//! Write transactions: concurrent read-then-write transactions both succeed; a failure rolls everything back.

use diesel::prelude::*;
use storage::schema::batches;
use storage::tx::{lock_enterprise, write_transaction};
use storage::{Db, StorageError};

fn count(db: &Db) -> i64 {
    db.with(|c| Ok(batches::table.count().get_result(c)?)).unwrap()
}

both_backends!(concurrent_writers_both_commit, failures_roll_back);

fn concurrent_writers_both_commit(db: &Db) {
    let threads: Vec<_> = (0..4)
        .map(|i| {
            let db = db.clone();
            std::thread::spawn(move || {
                for j in 0..10 {
                    db.with(|c| {
                        write_transaction(c, |c| {
                            lock_enterprise(c, &domain::CompanyCode::parse("140100001").unwrap())?;
                            let n: i64 = batches::table.count().get_result(c)?;
                            std::thread::sleep(std::time::Duration::from_millis(1));
                            diesel::insert_into(batches::table)
                                .values(crate::fixtures::batch_row(&format!("t{i}-{j}-{n}")))
                                .execute(c)?;
                            Ok::<_, StorageError>(())
                        })
                    })
                    .unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(count(db), 40);
}

fn failures_roll_back(db: &Db) {
    let result = db.with(|c| {
        write_transaction(c, |c| {
            diesel::insert_into(batches::table).values(crate::fixtures::batch_row("x1")).execute(c)?;
            // The same primary key again fails, and the first insert must go with it.
            diesel::insert_into(batches::table).values(crate::fixtures::batch_row("x1")).execute(c)?;
            Ok::<_, StorageError>(())
        })
    });
    assert!(result.is_err());
    assert_eq!(count(db), 0);
    // The connection is usable afterwards.
    db.with(|c| {
        write_transaction(c, |c| {
            Ok::<_, StorageError>(
                diesel::insert_into(batches::table).values(crate::fixtures::batch_row("x2")).execute(c)?,
            )
        })
    })
    .unwrap();
    assert_eq!(count(db), 1);
}

both_backends!(job_runs_are_claimed_once_and_stale_claims_expire);

fn job_runs_are_claimed_once_and_stale_claims_expire(db: &Db) {
    use storage::job_runs::{STALE_CLAIM, claim_run, finish_run, release_run};
    let t0 = crate::fixtures::t("2026-11-23 01:00:00");
    let claim = |at| db.with(|c| claim_run(c, "weekly_evaluation", "2026-W47", at)).unwrap();
    assert!(claim(t0));
    assert!(!claim(t0), "a running claim blocks a second run");
    // A claim whose process died is taken over after STALE_CLAIM.
    assert!(claim(t0 + STALE_CLAIM));
    db.with(|c| finish_run(c, "weekly_evaluation", "2026-W47", t0 + STALE_CLAIM, "176 enterprises")).unwrap();
    assert!(!claim(t0 + STALE_CLAIM * 10), "a finished run is never run again");
    assert!(db.with(|c| claim_run(c, "weekly_evaluation", "2026-W48", t0)).unwrap());
    db.with(|c| release_run(c, "weekly_evaluation", "2026-W48")).unwrap();
    assert!(db.with(|c| claim_run(c, "weekly_evaluation", "2026-W48", t0)).unwrap(), "a failed run can be retried");
}
