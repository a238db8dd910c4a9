//! How fast the simulator serves a full pull: every table of every enterprise, page by page over HTTP, with a few
//! enterprises pulled at a time (no faults, a fifth of the enterprises encrypted: the answers are decrypted).
//!
//! ```sh
//! cargo run --release -p sim --example serve_speed -- demo 8     # small | demo | province, concurrency
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "an example fails loudly")]

use chrono::{NaiveDate, TimeDelta};
use domain::ExchangeTable;
use domain::time::local_midnight_utc;
use exchange::{Body, decrypt_datas, key_bytes, parse_page, parse_page_records};
use sim::{SimConfig, Size, World, aes_key, serve};
use std::time::Instant;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let size = match args.next().as_deref().unwrap_or("demo") {
        "small" => Size::Small,
        "province" => Size::Province,
        _ => Size::Demo,
    };
    let concurrency: usize = args.next().and_then(|c| c.parse().ok()).unwrap_or(8);
    let start = NaiveDate::from_ymd_opt(2026, 1, 5).expect("a date");
    let end = local_midnight_utc(start + TimeDelta::days(size.default_days())) + TimeDelta::hours(10);
    let cfg = SimConfig::for_registry(176, 2026, start, end, size, 0.0);
    let world = World::generate(&cfg);
    let versions = world.totals().versions();
    let server = serve(world, "127.0.0.1:0").await.unwrap();
    let http = reqwest::Client::new();
    let t = Instant::now();
    let companies: Vec<_> = cfg.enterprises.iter().map(|(c, _)| c.clone()).collect();
    let mut pulled = 0usize;
    for group in companies.chunks(concurrency) {
        let tasks = group.iter().map(|c| {
            let (http, base, key) = (http.clone(), server.base_url(c), aes_key(c, cfg.seed));
            tokio::spawn(async move {
                let mut n = 0;
                for table in ExchangeTable::ALL {
                    let mut cursor = String::new();
                    loop {
                        let url = format!("{base}/{table}?limit=500&cursor={cursor}");
                        let body = http.get(url).send().await.unwrap().bytes().await.unwrap();
                        let page = parse_page(&body).unwrap();
                        n += match page.datas {
                            Body::Records(r) => r.len(),
                            Body::Encrypted(s) => {
                                let k = key_bytes(&key).unwrap();
                                parse_page_records(
                                    &decrypt_datas(&s, domain::client::Cipher::Aes128Cbc, &k, &k).unwrap(),
                                )
                                .unwrap()
                                .len()
                            }
                        };
                        match page.next_cursor {
                            Some(c) => cursor = c,
                            None => break,
                        }
                    }
                }
                n
            })
        });
        for task in tasks.collect::<Vec<_>>() {
            pulled += task.await.unwrap();
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "pulled {pulled} of {versions} versions in {secs:.2} s ({:.0}/s, {} requests)",
        pulled as f64 / secs,
        server.requests()
    );
    server.stop().await;
}
