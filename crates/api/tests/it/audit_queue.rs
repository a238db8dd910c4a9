//! The audit queue under backpressure: while the database refuses writes (another connection holds the lock), the
//! queue fills, the next request waits instead of dropping its row, and once the lock is released every row is
//! stored, in order, with the hash chain intact.

use api::audit::AuditSink;
use diesel::connection::SimpleConnection;
use std::time::Duration;
use storage::audit::NewAuditRow;
use testkit::TestDb;

testkit::tokio_both_backends!(a_full_queue_makes_senders_wait_and_loses_nothing);

fn row(n: usize) -> NewAuditRow {
    NewAuditRow {
        at: testkit::clock().now_utc(),
        actor: format!("actor-{n}"),
        role: Some("province".into()),
        scope: None,
        method: "GET".into(),
        route: "/api/v1/metrics".into(),
        path: "/api/v1/metrics".into(),
        query: format!("n={n}"),
        status: 200,
        outcome: "ok".into(),
        detail: None,
        client: Some("127.0.0.1".into()),
    }
}

async fn a_full_queue_makes_senders_wait_and_loses_nothing(t: TestDb) {
    const CAPACITY: usize = 8;
    let db = storage::Db::open(&t.url).unwrap();
    db.migrate().unwrap();
    // Another connection takes the write lock of the audit table.
    let mut locker = db.conn().unwrap();
    let lock = if t.is_postgres() { "BEGIN; LOCK TABLE audit_log IN EXCLUSIVE MODE;" } else { "BEGIN EXCLUSIVE;" };
    locker.batch_execute(lock).unwrap();

    let sink = AuditSink::start_with_capacity(db.clone(), CAPACITY);
    // The first row is taken by the writer, which then blocks on the lock.
    sink.record(row(0)).await.unwrap();
    tokio::time::sleep(api::audit::writer::INTERVAL * 3).await;
    assert_eq!(sink.queued(), 0, "the writer holds the first row");
    for n in 1..=CAPACITY {
        tokio::time::timeout(Duration::from_secs(1), sink.record(row(n))).await.expect("room in the queue").unwrap();
    }
    assert_eq!(sink.queued(), CAPACITY);
    // The queue is full: the next sender waits rather than dropping its row.
    let waiting = tokio::spawn({
        let sink = sink.clone();
        async move { sink.record(row(CAPACITY + 1)).await }
    });
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(!waiting.is_finished(), "a sender must wait while the queue is full");
    let stored = db.with(|c| storage::audit::list(c, &Default::default(), None, 100)).unwrap();
    assert_eq!(stored.rows.len(), 0, "nothing is written while the lock is held");

    locker.batch_execute("COMMIT;").unwrap();
    tokio::time::timeout(Duration::from_secs(20), waiting)
        .await
        .expect("the waiting sender gets room")
        .unwrap()
        .unwrap();
    sink.flush().await.unwrap();
    let stored = db.with(|c| storage::audit::list(c, &Default::default(), None, 100)).unwrap();
    let actors: Vec<String> = stored.rows.iter().map(|r| r.actor.clone()).collect();
    let expected: Vec<String> = (0..=CAPACITY + 1).map(|n| format!("actor-{n}")).collect();
    assert_eq!(actors, expected, "every row is stored once, in the order recorded");
    let report = db.with(storage::audit::verify).unwrap();
    assert!(report.ok(), "{report:?}");
    assert_eq!(report.rows, (CAPACITY + 2) as u64);
}
