//! Webhooks with a real receiver on loopback: the scripted sequence arrives once each, in cursor order, signed;
//! a receiver that fails for a while gets every delivery after it recovers; replay; pause after repeated failure;
//! a service subscription never gets enterprise batches; on PostgreSQL, a deliverer whose leadership lock went with
//! its connection stops delivering while another process leads, and takes over again once that one is gone.

use crate::changes::{OWN, read_all, script};
use crate::receiver::{Got, Receiver};
use crate::wire::check;
use crate::{Server, assert_problem};
use api::Role;
use api::webhooks::{SignatureError, WebhookConfig, start_delivery_worker, verify};
use serde_json::{Value, json};
use std::time::Duration;

both_backends!(
    every_event_arrives_once_in_order_and_signed,
    a_failing_receiver_gets_everything_after_recovery,
    a_receiver_that_never_answers_does_not_slow_pushes
);

const SECRET: &str = "whsec_0123456789abcdef";

/// A short configuration for tests.
fn quick() -> WebhookConfig {
    WebhookConfig {
        backoff_base: Duration::from_millis(50),
        backoff_cap: Duration::from_millis(200),
        poll: Duration::from_millis(20),
        timeout: Duration::from_secs(2),
        ..WebhookConfig::default()
    }
}

async fn subscribe(s: &Server, role: Role, url: &str, kinds: Value) -> Value {
    let token = s.token(role, None, None);
    let res =
        s.post("/api/v1/webhooks", &token, json!({"url": url, "secret": SECRET, "kinds": kinds, "after": 0})).await;
    assert_eq!(res.status(), 201);
    res.json().await.unwrap()
}

/// The receiver's check as `docs/integration.md` documents it, with a 5-minute tolerance.
fn check_signature(g: &Got) -> Result<(), SignatureError> {
    verify(SECRET.as_bytes(), &g.signature, &g.body, testkit::clock().unix_seconds(), 300)
}

async fn every_event_arrives_once_in_order_and_signed(s: Server) {
    let receiver = Receiver::start(0);
    let hook = subscribe(&s, Role::Province, &receiver.url, json!([])).await;
    assert_eq!(hook["secret"], SECRET);
    let service_receiver = Receiver::start(0);
    subscribe(&s, Role::Service, &service_receiver.url, json!([])).await;
    let worker = start_delivery_worker(s.state.clone(), quick());
    script(&s).await;
    let feed = read_all(&s, &s.token(Role::Province, None, None), 0, 1000).await;
    let got = receiver.wait_for(Duration::from_secs(60), |g| g.len() >= feed.len()).await;
    let bodies: Vec<Value> = got.iter().map(Got::json).collect();
    assert_eq!(bodies, feed, "the webhook got the feed's events, once each, in order");
    for g in &got {
        assert_eq!(check_signature(g), Ok(()), "{}", g.signature);
        assert_eq!(g.event, g.json()["kind"].as_str().unwrap());
    }
    // A tampered body, timestamp or secret fails the documented check.
    let mut tampered = got[0].clone();
    tampered.body = String::from_utf8(tampered.body).unwrap().replace("batch.stored", "batch.storeD").into_bytes();
    assert_eq!(check_signature(&tampered), Err(SignatureError::Mismatch));
    let mut moved = got[0].clone();
    let t: i64 = moved.signature.split(',').next().unwrap().trim_start_matches("t=").parse().unwrap();
    moved.signature = moved.signature.replacen(&format!("t={t}"), &format!("t={}", t - 1), 1);
    assert_eq!(check_signature(&moved), Err(SignatureError::Mismatch));
    assert_eq!(verify(b"another secret", &got[0].signature, &got[0].body, t, 300), Err(SignatureError::Mismatch));
    assert_eq!(verify(SECRET.as_bytes(), &got[0].signature, &got[0].body, t + 3600, 300), Err(SignatureError::Stale));

    // The service subscription gets every event but enterprise batches, in order.
    let expected: Vec<&Value> = feed.iter().filter(|e| e["kind"] != "batch.stored").collect();
    let service = service_receiver.wait_for(Duration::from_secs(60), |g| g.len() >= expected.len()).await;
    assert_eq!(service.iter().map(Got::json).collect::<Vec<_>>().iter().collect::<Vec<_>>(), expected);

    // Delivery latency on loopback: from a push's answer to its delivery.
    let before = receiver.got().len();
    let pushed = std::time::Instant::now();
    let (status, _) = s.push("check_record", OWN, &json!([check(OWN, "c9", "t1")])).await;
    assert_eq!(status, 200);
    let got = receiver.wait_for(Duration::from_secs(10), |g| g.len() > before).await;
    println!("webhook delivery latency after the push answer: {:?}", got[before].at.saturating_duration_since(pushed));
    worker.abort();

    // Deleting the subscription removes it.
    let province = s.token(Role::Province, None, None);
    let id = hook["id"].as_i64().unwrap();
    let res = s.http.delete(format!("{}/api/v1/webhooks/{id}", s.base)).bearer_auth(&province).send().await.unwrap();
    assert_eq!(res.status(), 204);
    assert_problem(s.get(&format!("/api/v1/webhooks/{id}"), Some(&province)).await, 404, "not_found").await;
}

async fn a_failing_receiver_gets_everything_after_recovery(s: Server) {
    let province = s.token(Role::Province, None, None);
    // Fails its first 4 requests, then recovers.
    let receiver = Receiver::start(4);
    let hook = subscribe(&s, Role::Province, &receiver.url, json!(["batch.stored"])).await;
    let id = hook["id"].as_i64().unwrap();
    let worker = start_delivery_worker(s.state.clone(), WebhookConfig { pause_after: 100, ..quick() });
    for n in 0..3 {
        let (status, _) = s.push("check_record", OWN, &json!([check(OWN, &format!("c{n}"), "t1")])).await;
        assert_eq!(status, 200, "(held for its task, stored as a batch)");
    }
    let got = receiver.wait_for(Duration::from_secs(30), |g| g.iter().filter(|x| x.answered == 200).count() >= 3).await;
    assert_eq!(got.iter().filter(|g| g.answered == 500).count(), 4);
    let accepted: Vec<i64> = receiver.accepted().iter().map(|g| g.json()["cursor"].as_i64().unwrap()).collect();
    let feed = stored_cursors(&s, &province).await;
    assert_eq!(accepted, feed, "every delivery once, in order, after the receiver recovered");
    // The failed attempts are all of the first delivery: the others waited for it.
    assert!(got[..5].iter().all(|g| g.delivery == got[0].delivery), "ordered: nothing overtook the failing one");

    // The worker records a delivery after its receiver answered: read the log once the last one is recorded.
    let mut log: Vec<Value> = Vec::new();
    for _ in 0..100 {
        log = s.get(&format!("/api/v1/webhooks/{id}/deliveries"), Some(&province)).await.json().await.unwrap();
        if log.iter().all(|d| d["state"] == "delivered") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(log.len(), 3);
    let first = log.last().unwrap();
    assert_eq!(
        (first["state"].as_str(), first["attempts"].as_i64(), first["lastStatus"].as_i64()),
        (Some("delivered"), Some(5), Some(200))
    );
    assert!(log.iter().all(|d| d["state"] == "delivered"));

    // Replay sends one delivery again, with the same delivery id.
    let delivery = first["id"].as_i64().unwrap();
    let url = format!("/api/v1/webhooks/{id}/deliveries/{delivery}/replay");
    assert_eq!(s.post(&url, &province, json!({})).await.status(), 202);
    let again = receiver.wait_for(Duration::from_secs(10), |g| g.len() > got.len()).await;
    assert_eq!(again.last().unwrap().delivery, delivery.to_string());
    assert_eq!(again.len(), got.len() + 1, "only that delivery");
    let missing = format!("/api/v1/webhooks/{id}/deliveries/99999/replay");
    assert_problem(s.post(&missing, &province, json!({})).await, 404, "not_found").await;
    worker.abort();

    // A receiver that never recovers pauses its subscription after `pause_after` consecutive failed attempts.
    let dead = Receiver::start(usize::MAX);
    let hook = subscribe(&s, Role::Province, &dead.url, json!(["batch.stored"])).await;
    let dead_id = hook["id"].as_i64().unwrap();
    let worker = start_delivery_worker(s.state.clone(), WebhookConfig { pause_after: 3, ..quick() });
    dead.wait_for(Duration::from_secs(30), |g| g.len() >= 3).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let paused = loop {
        let h: Value = s.get(&format!("/api/v1/webhooks/{dead_id}"), Some(&province)).await.json().await.unwrap();
        if h["state"] == "paused" || std::time::Instant::now() > deadline {
            break h;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!((paused["state"].as_str(), paused["failures"].as_i64()), (Some("paused"), Some(3)), "{paused}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(dead.got().len(), 3, "a paused subscription gets nothing more");
    let res = s.post(&format!("/api/v1/webhooks/{dead_id}/resume"), &province, json!({})).await;
    let resumed: Value = res.json().await.unwrap();
    assert_eq!((resumed["state"].as_str(), resumed["failures"].as_i64()), (Some("active"), Some(0)));
    dead.wait_for(Duration::from_secs(10), |g| g.len() > 3).await;
    worker.abort();
}

async fn a_receiver_that_never_answers_does_not_slow_pushes(s: Server) {
    // A receiver that accepts connections and never answers: every attempt runs into the worker's timeout.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let held = tokio::spawn(async move {
        let mut open = vec![];
        loop {
            let (conn, _) = listener.accept().await.unwrap();
            open.push(conn);
        }
    });
    let hook = subscribe(&s, Role::Province, &url, json!([])).await;
    let config = WebhookConfig { timeout: Duration::from_secs(3), pause_after: 100, ..quick() };
    let worker = start_delivery_worker(s.state.clone(), config);
    let started = std::time::Instant::now();
    let mut slowest = Duration::ZERO;
    for n in 0..10 {
        let t = std::time::Instant::now();
        let (status, _) = s.push("check_record", OWN, &json!([check(OWN, &format!("c{n}"), "t1")])).await;
        assert_eq!(status, 200);
        slowest = slowest.max(t.elapsed());
    }
    assert!(started.elapsed() < Duration::from_secs(3), "10 pushes took {:?}", started.elapsed());
    println!("slowest of 10 pushes while the receiver hangs: {slowest:?}");
    // The first delivery is still waiting for the hanging receiver: nothing was delivered, nothing overtook it.
    let province = s.token(Role::Province, None, None);
    let id = hook["id"].as_i64().unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let log = loop {
        let log: Vec<Value> =
            s.get(&format!("/api/v1/webhooks/{id}/deliveries"), Some(&province)).await.json().await.unwrap();
        if log.len() == 10 || std::time::Instant::now() > deadline {
            break log;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(log.len(), 10, "one delivery queued per push");
    assert!(log.iter().all(|d| d["state"] == "pending" && d["deliveredAt"].is_null()), "{log:?}");
    worker.abort();
    held.abort();
}

mod postgres {
    use super::{quick, stored_cursors, subscribe};
    use crate::Server;
    use crate::changes::OWN;
    use crate::receiver::Receiver;
    use crate::wire::check;
    use api::Role;
    use api::webhooks::{WebhookConfig, start_delivery_worker};
    use diesel::RunQueryDsl;
    use serde_json::json;
    use std::time::{Duration, Instant};

    #[derive(diesel::QueryableByName)]
    struct Pid {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        pid: i32,
    }

    /// Ends the session holding the advisory lock on this database (the worker's leadership connection), as an
    /// operator's `pg_terminate_backend`, a failover or a server restart ends it, and waits until it is gone. The
    /// session is chosen first (a materialized CTE), then that one only is ended.
    fn end_leader_session(s: &Server) -> i32 {
        let ended: Vec<Pid> =
            s.db.with(|c| {
                Ok(diesel::sql_query(
                    "WITH target AS MATERIALIZED (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted \
                     AND database = (SELECT oid FROM pg_database WHERE datname = current_database())) \
                     SELECT pid FROM (SELECT pid, pg_terminate_backend(pid, 5000) AS ended FROM target) t WHERE ended",
                )
                .load(c)?)
            })
            .unwrap();
        assert_eq!(ended.len(), 1, "one session holds the leadership");
        ended[0].pid
    }

    /// A rival leader on a session of its own, queued with `pg_advisory_lock` (which waits) on the webhook
    /// leadership's key. PostgreSQL grants a freed lock to the queued request before any later try-lock, so the old
    /// worker cannot take the lead back however fast it retries. Dropping it ends its session.
    struct Rival {
        granted: std::sync::mpsc::Receiver<()>,
        release: std::sync::mpsc::Sender<()>,
    }

    impl Rival {
        /// Starts the rival and returns once its request waits in `pg_locks`.
        fn queue(s: &Server) -> Rival {
            let mut conn = storage::conn::establish(s.db.url()).unwrap();
            let (granted_tx, granted) = std::sync::mpsc::channel();
            let (release, released) = std::sync::mpsc::channel::<()>();
            std::thread::spawn(move || {
                diesel::sql_query("SELECT pg_advisory_lock(hashtext('leader:webhook_deliveries')::int8)")
                    .execute(&mut conn)
                    .unwrap();
                granted_tx.send(()).unwrap();
                let _ = released.recv();
            });
            let waiting = || -> i64 {
                #[derive(diesel::QueryableByName)]
                struct N {
                    #[diesel(sql_type = diesel::sql_types::BigInt)]
                    n: i64,
                }
                let q = "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted \
                         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";
                s.db.with(|c| Ok(diesel::sql_query(q).get_result::<N>(c)?)).unwrap().n
            };
            let deadline = Instant::now() + Duration::from_secs(30);
            while waiting() == 0 {
                assert!(Instant::now() < deadline, "the rival's lock request never queued");
                std::thread::sleep(Duration::from_millis(10));
            }
            Rival { granted, release }
        }

        /// Waits until the rival holds the lock.
        fn wait_granted(&self) {
            self.granted.recv_timeout(Duration::from_secs(30)).expect("the lock went with the ended session");
        }
    }

    impl Drop for Rival {
        fn drop(&mut self) {
            let _ = self.release.send(());
        }
    }

    /// Without the recheck, the worker would go on delivering after its lock was gone, next to the new leader: every
    /// delivery twice.
    #[actix_web::test]
    #[cfg_attr(not(pg_tests), ignore = "set DUALPREV_TEST_POSTGRES_URL to run the PostgreSQL tests")]
    async fn a_deliverer_that_lost_its_lock_stops_until_it_leads_again() {
        let s = Server::start(testkit::TestDb::postgres()).await;
        let receiver = Receiver::start(0);
        subscribe(&s, Role::Province, &receiver.url, json!(["batch.stored"])).await;
        let config = WebhookConfig {
            leader_check: Duration::from_millis(50),
            leader_retry: Duration::from_millis(200),
            ..quick()
        };
        let worker = start_delivery_worker(s.state.clone(), config);
        let (status, _) = s.push("check_record", OWN, &json!([check(OWN, "c0", "t1")])).await;
        assert_eq!(status, 200);
        receiver.wait_for(Duration::from_secs(30), |g| !g.is_empty()).await;

        // Another process (here the test, which delivers nothing while it leads) queues for the lock first, so that
        // it, not the old worker retrying, gets it when the leader's session ends.
        let rival = Rival::queue(&s);
        let pid = end_leader_session(&s);
        rival.wait_granted();
        let ended = Instant::now();
        // A few leadership checks later the old deliverer has stopped; what is stored now is not sent by it.
        tokio::time::sleep(Duration::from_millis(500)).await;
        for n in 1..3 {
            let (status, _) = s.push("check_record", OWN, &json!([check(OWN, &format!("c{n}"), "t1")])).await;
            assert_eq!(status, 200);
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert_eq!(receiver.got().len(), 1, "nothing delivered by a process that lost its lock (backend {pid})");

        // Once the other leader is gone, the worker takes the lead again and delivers the rest, once each, in order.
        drop(rival);
        let released = Instant::now();
        let got = receiver.wait_for(Duration::from_secs(30), |g| g.len() >= 3).await;
        println!(
            "leadership lost, nothing sent for {:?}; led again and delivered {:?} after the rival let go",
            released.saturating_duration_since(ended),
            got[2].at.saturating_duration_since(released)
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
        let province = s.token(Role::Province, None, None);
        let feed = stored_cursors(&s, &province).await;
        let sent: Vec<i64> = receiver.got().iter().map(|g| g.json()["cursor"].as_i64().unwrap()).collect();
        assert_eq!(sent, feed, "every batch once, in order");
        assert_eq!(sent.len(), 3);
        worker.abort();
    }
}

/// The cursors of the feed's `batch.stored` events, in feed order.
async fn stored_cursors(s: &Server, token: &str) -> Vec<i64> {
    read_all(s, token, 0, 100)
        .await
        .iter()
        .filter(|e| e["kind"] == "batch.stored")
        .map(|e| e["cursor"].as_i64().unwrap())
        .collect()
}
