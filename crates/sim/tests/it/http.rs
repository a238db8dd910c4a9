//! The pull endpoint over real HTTP: paging with cursors, `updatedSince`, limits, encryption and errors.

use crate::{day, small};
use domain::time::utc_to_local;
use domain::{CompanyCode, ExchangeTable};
use exchange::{Body, decrypt_datas, format_datetime, key_bytes, parse_page, parse_page_records, to_wire};
use serde_json::Value;
use sim::{SimConfig, World, aes_key, serve};

/// Pulls a whole table through its cursors; returns the records and the number of pages.
pub async fn pull_all(
    base: &str,
    table: ExchangeTable,
    limit: usize,
    since: Option<&str>,
    key: Option<&str>,
) -> (Vec<Value>, usize) {
    let http = reqwest::Client::new();
    let mut cursor: Option<String> = None;
    let (mut out, mut pages) = (Vec::new(), 0);
    loop {
        let mut q: Vec<(&str, String)> = vec![("limit", limit.to_string())];
        if let Some(s) = since {
            q.push(("updatedSince", s.to_owned()));
        }
        if let Some(c) = &cursor {
            q.push(("cursor", c.clone()));
        }
        let url = reqwest::Url::parse_with_params(&format!("{base}/{table}"), &q).unwrap();
        let res = http.get(url).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let page = parse_page(&res.bytes().await.unwrap()).unwrap();
        let records = match (page.datas, key) {
            (Body::Records(r), None) => r,
            (Body::Encrypted(text), Some(k)) => {
                let k = key_bytes(k).unwrap();
                parse_page_records(&decrypt_datas(&text, domain::client::Cipher::Aes128Cbc, &k, &k).unwrap()).unwrap()
            }
            (other, key) => panic!("unexpected datas {other:?} with key {key:?}"),
        };
        assert!(records.len() <= limit);
        pages += 1;
        out.extend(records);
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => return (out, pages),
        }
    }
}

fn wire(world: &World, c: &CompanyCode, t: ExchangeTable) -> Vec<Value> {
    world.records(c, t).iter().map(to_wire).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_pull_returns_every_version_once_in_order() {
    let cfg = small(3, 17);
    let expected = World::generate(&cfg);
    let server = serve(World::generate(&cfg), "127.0.0.1:0").await.unwrap();
    for c in expected.companies() {
        for t in ExchangeTable::ALL {
            let (got, pages) = pull_all(&server.base_url(c), t, 37, None, None).await;
            let want = wire(&expected, c, t);
            assert_eq!(got, want, "{t} of {c}");
            assert_eq!(pages, want.len().div_ceil(37).max(1), "{t} of {c}");
        }
    }
    assert!(server.requests() > 24);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn updated_since_keeps_versions_at_or_after_it() {
    let cfg = small(2, 2);
    let world = World::generate(&cfg);
    let c = world.companies().next().unwrap().clone();
    let all = world.records(&c, ExchangeTable::CheckRecord).to_vec();
    // Exactly the updateDate of a middle version: it is included (≥).
    let mid = all[all.len() / 2].common.update_date;
    let since = format_datetime(utc_to_local(mid));
    let want: Vec<Value> = all.iter().filter(|r| r.common.update_date >= mid).map(to_wire).collect();
    let server = serve(world, "127.0.0.1:0").await.unwrap();
    let (got, _) = pull_all(&server.base_url(&c), ExchangeTable::CheckRecord, 500, Some(&since), None).await;
    assert_eq!(got, want);
    assert_eq!(got[0]["updateDate"], Value::from(since.clone()));
    // The compact form of the datetime works too; a time after everything gives an empty last page.
    let compact = since.replace(['-', ' ', ':'], "");
    assert_eq!(pull_all(&server.base_url(&c), ExchangeTable::CheckRecord, 500, Some(&compact), None).await.0, want);
    let (none, pages) =
        pull_all(&server.base_url(&c), ExchangeTable::Danger, 500, Some("2099-01-01 00:00:00"), None).await;
    assert_eq!((none.len(), pages), (0, 1));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_errors_and_unknown_names() {
    let world = World::generate(&small(1, 3));
    let c = world.companies().next().unwrap().clone();
    let n = world.records(&c, ExchangeTable::CheckRecord).len();
    assert!(n > 10);
    let server = serve(world, "127.0.0.1:0").await.unwrap();
    let http = reqwest::Client::new();
    let base = server.base_url(&c);
    let get = |url: String| {
        let http = http.clone();
        async move { http.get(url).send().await.unwrap() }
    };
    let page: Value = get(format!("{base}/check_record?limit=100000")).await.json().await.unwrap();
    assert_eq!(page["datas"].as_array().unwrap().len(), n.min(500));
    let page: Value = get(format!("{base}/check_record")).await.json().await.unwrap();
    assert_eq!(page["datas"].as_array().unwrap().len(), n.min(500));
    // National aliases name the same tables.
    let alias: Value = get(format!("{base}/sec_hidden_check_record?limit=3")).await.json().await.unwrap();
    assert_eq!(alias["datas"].as_array().unwrap().len(), 3);
    for (url, status) in [
        (format!("{base}/check_record?limit=0"), 400),
        (format!("{base}/check_record?limit=x"), 400),
        (format!("{base}/check_record?updatedSince=yesterday"), 400),
        (format!("{base}/check_record?cursor=zz"), 400),
        (format!("{base}/records"), 404),
        (format!("http://{}/999999999/danger", server.addr), 404),
        (format!("http://{}/x/danger", server.addr), 404),
        (format!("http://{}/", server.addr), 404),
    ] {
        assert_eq!(get(url.clone()).await.status(), status, "{url}");
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn encrypted_answers_decrypt_with_the_enterprise_key() {
    let base_cfg = small(2, 6);
    let c = base_cfg.enterprises[0].0.clone();
    let cfg = SimConfig { encrypted: vec![c.clone()], ..base_cfg };
    let world = World::generate(&cfg);
    let want = wire(&world, &c, ExchangeTable::RiskUnit);
    let server = serve(world, "127.0.0.1:0").await.unwrap();
    let key = aes_key(&c, cfg.seed);
    assert_eq!(key.len(), 16);
    let (got, _) = pull_all(&server.base_url(&c), ExchangeTable::RiskUnit, 4, None, Some(&key)).await;
    assert_eq!(got, want);
    // An enterprise not listed answers in clear.
    let other = cfg.enterprises[1].0.clone();
    assert!(!pull_all(&server.base_url(&other), ExchangeTable::RiskUnit, 500, None, None).await.0.is_empty());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_advanced_server_answers_the_new_versions_after_the_watermark() {
    let cfg = SimConfig { end: day(10, 12), ..small(1, 8) };
    let c = cfg.enterprises[0].0.clone();
    let server = serve(World::generate(&cfg), "127.0.0.1:0").await.unwrap();
    let (first, _) = pull_all(&server.base_url(&c), ExchangeTable::CheckRecord, 500, None, None).await;
    let watermark = first.last().unwrap()["updateDate"].as_str().unwrap().to_owned();
    server.advance(day(20, 12));
    let (next, _) = pull_all(&server.base_url(&c), ExchangeTable::CheckRecord, 500, Some(&watermark), None).await;
    // The resend of the watermark's own second is harmless; everything else is new.
    let overlap = next.iter().filter(|v| v["updateDate"] == watermark.as_str()).count();
    assert!(overlap >= 1);
    let total = server.with_world(|w| w.records(&c, ExchangeTable::CheckRecord).len());
    assert_eq!(first.len() + next.len() - overlap, total);
    server.stop().await;
}
