//! Shared cycles: two workers on one database split a cycle, each enterprise pulled to the end by one of them.

use crate::{Setup, end};
use ingest::{CycleOutcome, Shared};
use std::time::Duration;
use testkit::TestDb;

testkit::tokio_both_backends!(two_workers_split_a_cycle);

async fn two_workers_split_a_cycle(t: TestDb) {
    let s = Setup::new(t, 8, &[], end()).await;
    let (a, b) = (s.puller(50), s.puller(50));
    let shared = |worker: &str| Shared {
        cycle: "2026-11-29T20:00Z".into(),
        worker: worker.into(),
        lease: Duration::from_secs(30),
    };
    let (sa, sb) = (shared("a"), shared("b"));
    let (ra, rb) = tokio::join!(a.shared_cycle(&sa), b.shared_cycle(&sb));
    let ran = |o: CycleOutcome| match o {
        CycleOutcome::Ran(r) => r,
        CycleOutcome::Skipped => panic!("skipped"),
    };
    let (ra, rb) = (ran(ra.unwrap()), ran(rb.unwrap()));
    assert_eq!(ra.enterprises + rb.enterprises, 8, "each enterprise pulled by one worker");
    assert_eq!(ra.failed.len() + rb.failed.len(), 0);
    let claims = s.db.with(|c| storage::pull_claims::of_cycle(c, "2026-11-29T20:00Z")).unwrap();
    assert_eq!(claims.len(), 8);
    assert!(claims.iter().all(|c| c.done_at.is_some() && c.attempts == 1), "{claims:?}");
    for c in &s.companies {
        assert_eq!(s.stored_versions(c), (s.world_versions(c) as i64, 0), "{c}");
    }
    // The same cycle again does nothing: every enterprise is done.
    let again = ran(a.shared_cycle(&sa).await.unwrap());
    assert_eq!(again.enterprises, 0);
}
