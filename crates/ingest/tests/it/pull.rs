//! Pull cycles against the simulator: full, incremental, faults, an interrupted cycle, overlapping cycles.

use crate::{Setup, end};
use chrono::TimeDelta;
use ingest::CycleOutcome;
use sim::Fault;
use std::time::{Duration, Instant};
use testkit::TestDb;

fn ran(o: CycleOutcome) -> ingest::CycleReport {
    match o {
        CycleOutcome::Ran(r) => r,
        CycleOutcome::Skipped => panic!("the cycle was skipped"),
    }
}

testkit::tokio_both_backends!(
    full_then_incremental,
    faults_stay_with_their_enterprise,
    an_interrupted_cycle_resumes,
    cycles_never_overlap
);

async fn full_then_incremental(t: TestDb) {
    let s = Setup::new(t, 4, &[], end()).await;
    let puller = s.puller(200);
    let r = ran(puller.cycle(None).await.unwrap());
    assert_eq!((r.enterprises, r.succeeded, r.failed.len()), (4, 4, 0), "{:?}", r.failed);
    let total: usize = s.companies.iter().map(|c| s.world_versions(c)).sum();
    assert!(total > 500, "a small world still has data ({total})");
    assert_eq!(r.counts.accepted, total, "every version of the world is stored once");
    for c in &s.companies {
        assert_eq!(s.stored_versions(c), (s.world_versions(c) as i64, 0), "{c}");
        assert_eq!(s.pending(c), 0);
    }
    // Two days later only what changed is fetched (plus the records of the watermark's own second, unchanged).
    let before = total;
    s.sim.advance(end() + TimeDelta::days(2));
    let after: usize = s.companies.iter().map(|c| s.world_versions(c)).sum();
    assert!(after > before);
    let r = ran(puller.cycle(None).await.unwrap());
    assert_eq!(r.counts.accepted, after - before);
    assert!(r.counts.received < (after - before) + 100, "an incremental pull, not a full one: {}", r.counts.received);
    assert_eq!(r.counts.received, r.counts.accepted + r.counts.unchanged);
    for c in &s.companies {
        assert_eq!(s.stored_versions(c), (s.world_versions(c) as i64, 0), "{c}");
    }
}

async fn faults_stay_with_their_enterprise(t: TestDb) {
    let faults = Fault::ALL;
    let s = Setup::new(t, 9, &faults, end()).await;
    let puller = s.puller(500);
    let started = Instant::now();
    let r = ran(puller.cycle(None).await.unwrap());
    let took = started.elapsed();
    // Bounded by the timeout (2 s × 2 attempts + back-off), not by the endpoints that never answer.
    assert!(took < Duration::from_secs(20), "the cycle took {took:?}");
    let failed: Vec<&str> = r.failed.iter().map(|(c, _)| c.as_str()).collect();
    let expected: Vec<&str> = s.companies[..5].iter().map(|c| c.as_str()).collect();
    assert_eq!(failed, expected, "{:?}", r.failed);
    assert_eq!(r.succeeded, 4);
    // The failures are recorded per enterprise; the others are complete.
    for (i, c) in s.companies.iter().enumerate() {
        let status = s.db.with(|db| Ok(storage::pull_state::get(db, c)?)).unwrap().unwrap();
        if i < 5 {
            assert!(status.last_error.is_some() && status.consecutive_failures == 1, "{c}: {status:?}");
        } else {
            assert_eq!(status.last_error, None, "{c}");
            assert!(status.last_success_at.is_some());
        }
    }
    let invalid = &s.companies[5];
    let status = s.db.with(|db| Ok(storage::pull_state::get(db, invalid)?)).unwrap().unwrap();
    assert!(status.last_rejected > 0, "broken records are rejected, the rest stored");
    assert!(s.pending(&s.companies[6]) > 0, "children that arrive before their parents are held");
    for c in &s.companies[7..] {
        assert_eq!(s.stored_versions(c), (s.world_versions(c) as i64, 0), "{c}");
    }
}

async fn an_interrupted_cycle_resumes(t: TestDb) {
    let s = Setup::sized(t, 4, &[], end(), sim::Size::Demo).await;
    let puller = s.puller(25);
    // Abandon the first cycle part-way, as a crash between pages would; pages already committed stay committed.
    let p = puller.clone();
    let first = tokio::spawn(async move { p.cycle(None).await });
    let stored = |s: &Setup| -> i64 { s.companies.iter().map(|c| s.stored_versions(c).0).sum() };
    while stored(&s) == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    first.abort();
    assert!(first.await.is_err(), "the first cycle is interrupted before it finishes");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let part: i64 = s.companies.iter().map(|c| s.stored_versions(c).0).sum();
    let all: usize = s.companies.iter().map(|c| s.world_versions(c)).sum();
    assert!(part > 0 && (part as usize) < all, "interrupted between pages: {part} of {all} stored");
    let r = ran(puller.cycle(None).await.unwrap());
    assert!(r.failed.is_empty(), "{:?}", r.failed);
    for c in &s.companies {
        // Nothing lost, nothing stored twice.
        assert_eq!(s.stored_versions(c), (s.world_versions(c) as i64, 0), "{c}");
    }
}

async fn cycles_never_overlap(t: TestDb) {
    let s = Setup::new(t, 3, &[], end()).await;
    let puller = s.puller(100);
    let (a, b) = tokio::join!(puller.cycle(None), puller.cycle(None));
    let skipped = [a.unwrap(), b.unwrap()].iter().filter(|o| matches!(o, CycleOutcome::Skipped)).count();
    assert_eq!(skipped, 1, "one cycle ran, the other was skipped");
    for c in &s.companies {
        assert_eq!(s.stored_versions(c), (s.world_versions(c) as i64, 0), "{c}");
    }
}
