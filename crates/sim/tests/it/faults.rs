//! Each fault behaves as documented; the slow ones are judged within two seconds.

use crate::http::pull_all;
use crate::{day, small};
use domain::{CompanyCode, ExchangeTable};
use exchange::{Body, BodyError, Context, decrypt_datas, key_bytes, parse_page, parse_page_records, validate_record};
use sim::{Fault, SimConfig, SimServer, World, aes_key, serve};
use std::collections::HashSet;
use std::time::{Duration, Instant};

async fn faulty(fault: Fault, seed: u64) -> (SimServer, CompanyCode, World) {
    let base = small(1, seed);
    let c = base.enterprises[0].0.clone();
    let cfg = SimConfig { faults: vec![(c.clone(), fault)], ..base };
    let server = serve(World::generate(&cfg), "127.0.0.1:0").await.unwrap();
    (server, c, World::generate(&cfg))
}

fn client(timeout_ms: u64) -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_millis(timeout_ms)).build().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timeout_never_answers() {
    let (server, c, _) = faulty(Fault::Timeout, 1).await;
    let t = Instant::now();
    let err = client(1_500).get(format!("{}/danger", server.base_url(&c))).send().await.unwrap_err();
    assert!(err.is_timeout(), "{err}");
    assert!(t.elapsed() < Duration::from_secs(3));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_drip_sends_headers_then_a_trickle() {
    let (server, c, _) = faulty(Fault::SlowDrip, 2).await;
    let t = Instant::now();
    let mut res = client(1_800).get(format!("{}/check_record", server.base_url(&c))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(t.elapsed() < Duration::from_secs(1), "headers came after {:?}", t.elapsed());
    let first = res.chunk().await.unwrap().unwrap();
    assert!(!first.is_empty() && first.len() < 10_000);
    let mut received = first.len();
    let err = loop {
        match res.chunk().await {
            Ok(Some(b)) => received += b.len(),
            Ok(None) => panic!("the whole body ({received} bytes) arrived within {:?}", t.elapsed()),
            Err(e) => break e,
        }
    };
    assert!(err.is_timeout(), "{err}");
    assert!(received > 0);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_error_answers_500() {
    let (server, c, _) = faulty(Fault::ServerError, 3).await;
    let res = client(2_000).get(format!("{}/risk_unit", server.base_url(&c))).send().await.unwrap();
    assert_eq!(res.status(), 500);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn truncated_json_is_cut_in_the_middle() {
    let (server, c, _) = faulty(Fault::Truncated, 4).await;
    let res = client(2_000).get(format!("{}/check_record?limit=20", server.base_url(&c))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let body = res.bytes().await.unwrap();
    assert!(body.starts_with(br#"{"datas":[{"#), "{:?}", String::from_utf8_lossy(&body[..40]));
    assert!(matches!(parse_page(&body), Err(BodyError::NotJson(_))));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undecryptable_datas_is_base64_under_another_key() {
    let (server, c, world) = faulty(Fault::Undecryptable, 5).await;
    let res = client(2_000).get(format!("{}/risk_unit", server.base_url(&c))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let Ok(exchange::Page { datas: Body::Encrypted(text), .. }) = parse_page(&res.bytes().await.unwrap()) else {
        panic!("not an encrypted page")
    };
    let k = key_bytes(&aes_key(&c, world.config().seed)).unwrap();
    match decrypt_datas(&text, domain::client::Cipher::Aes128Cbc, &k, &k) {
        Err(BodyError::Decrypt(msg)) => assert!(!msg.contains("Base64"), "{msg}"),
        Ok(plain) => assert!(parse_page_records(&plain).is_err()),
        Err(other) => panic!("{other:?}"),
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_records_are_about_a_tenth_and_the_rest_are_intact() {
    let (server, c, world) = faulty(Fault::InvalidRecords, 6).await;
    let ctx = Context::new(c.clone(), world.end());
    let (mut bad, mut total) = (0, 0);
    for t in ExchangeTable::ALL {
        let (got, _) = pull_all(&server.base_url(&c), t, 50, None, None).await;
        let want = world.records(&c, t);
        assert_eq!(got.len(), want.len());
        for (i, (v, r)) in got.iter().zip(want).enumerate() {
            match validate_record(t, i, v, &ctx) {
                Ok(back) => assert_eq!(&back, r),
                Err(errors) => {
                    assert!(
                        errors.iter().all(|e| matches!(e.code.as_str(), "bad_enum" | "missing_field")),
                        "{errors:?}"
                    );
                    bad += 1;
                }
            }
            total += 1;
        }
    }
    let share = f64::from(bad) / f64::from(total);
    assert!((0.05..0.16).contains(&share), "{bad} of {total} broken");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn out_of_order_sends_check_records_before_their_tasks() {
    let (server, c, _) = faulty(Fault::OutOfOrder, 7).await;
    let base = server.base_url(&c);
    let ids = |values: &[serde_json::Value], field: &str| -> HashSet<String> {
        values.iter().map(|v| v[field].as_str().unwrap().to_owned()).collect()
    };
    let (tasks, _) = pull_all(&base, ExchangeTable::CheckTask, 500, None, None).await;
    let (checks, _) = pull_all(&base, ExchangeTable::CheckRecord, 500, None, None).await;
    let known = ids(&tasks, "id");
    let orphans: HashSet<String> = ids(&checks, "checkTaskId").difference(&known).cloned().collect();
    assert!(!orphans.is_empty(), "every check record's task was already sent");
    // Three days later every one of those tasks has been sent.
    server.advance(day(34, 10));
    let (tasks, _) = pull_all(&base, ExchangeTable::CheckTask, 500, None, None).await;
    assert!(orphans.is_subset(&ids(&tasks, "id")));
    server.stop().await;
}
