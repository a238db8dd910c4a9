//! Pull claims: one holder at a time, take-over after the lease, renew and finish only by the holder.

use crate::fixtures::t;
use chrono::TimeDelta;
use storage::Db;
use storage::pull_claims::{claim, finish, of_cycle, renew};

both_backends!(one_holder_at_a_time_and_take_over_after_the_lease);

fn one_holder_at_a_time_and_take_over_after_the_lease(db: &Db) {
    let (cy, co) = ("2026-11-29T20:00Z", &domain::CompanyCode::parse("140100001").unwrap());
    let now = t("2026-11-29 20:00:00");
    let lease = TimeDelta::seconds(60);
    db.with(|c| {
        assert!(claim(c, cy, co, "a", now, now + lease)?);
        assert!(!claim(c, cy, co, "b", now + TimeDelta::seconds(10), now + lease)?, "held by a");
        assert!(renew(c, cy, co, "a", now + TimeDelta::seconds(90))?);
        assert!(!claim(c, cy, co, "b", now + TimeDelta::seconds(80), now + lease)?, "renewed until 90 s");
        // a died: after its time, b takes over; a can neither renew nor finish any more.
        let later = now + TimeDelta::seconds(91);
        assert!(claim(c, cy, co, "b", later, later + lease)?);
        assert!(!renew(c, cy, co, "a", later + lease)?);
        assert!(!finish(c, cy, co, "a", later)?);
        assert!(finish(c, cy, co, "b", later)?);
        // Done: nobody claims it again in this cycle, even long after; the next cycle is new.
        assert!(!claim(c, cy, co, "c", later + TimeDelta::hours(5), later + lease)?);
        assert!(claim(c, "2026-11-29T22:00Z", co, "c", later, later + lease)?);
        let claims = of_cycle(c, cy)?;
        assert_eq!(claims.len(), 1);
        assert_eq!((claims[0].worker.as_str(), claims[0].attempts, claims[0].done_at), ("b", 2, Some(later)));
        Ok(())
    })
    .unwrap();
}

both_backends!(a_job_run_is_claimed_once_by_concurrent_processes);

/// Four connections claim the same job run at the same moment (as workers starting together do): one wins, the others
/// are told no, none fails.
fn a_job_run_is_claimed_once_by_concurrent_processes(db: &Db) {
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(4));
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let (db, barrier) = (db.clone(), barrier.clone());
            std::thread::spawn(move || {
                let mut conn = db.conn().unwrap();
                barrier.wait();
                storage::job_runs::claim_run(&mut conn, "weekly_evaluation", "2026-W48", t("2026-11-30 17:00:00"))
            })
        })
        .collect();
    let results: Vec<bool> = handles.into_iter().map(|h| h.join().unwrap().unwrap()).collect();
    assert_eq!(results.iter().filter(|r| **r).count(), 1, "{results:?}");
}
