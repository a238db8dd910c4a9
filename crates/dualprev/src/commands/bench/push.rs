//! Push speed end to end: HTTP into the API, validation, storage and receipt, on a real database.

use super::data::{Ids, chain_of, check_record_of, companies};
use actix_web::{App, HttpServer};
use anyhow::{Context, Result, ensure};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Options of the push bench.
#[derive(Debug, Clone)]
pub struct PushBench {
    /// The database (a fresh SQLite file when `None`).
    pub database: Option<String>,
    /// Batches to push.
    pub batches: usize,
    /// Records per batch.
    pub batch_size: usize,
    /// Concurrent client connections when one enterprise pushes; with several, one client per enterprise.
    pub clients: usize,
    /// Enterprises pushing at once, each with its own token, parent chain and records (batch `i` is enterprise
    /// `i % enterprises`'s).
    pub enterprises: usize,
    /// How the records are identified.
    pub ids: Ids,
    /// The clock of the server (received times).
    pub clock: domain::Clock,
}

/// The goal every push figure is printed beside (issue 23).
const GOAL: f64 = 50_000.0;

/// Starts the API on its own threads (as in production) on a free port; returns its address.
fn serve(db: &storage::Db, auth: api::AuthConfig, clock: &domain::Clock) -> Result<std::net::SocketAddr> {
    let (tx, rx) = std::sync::mpsc::channel();
    let state = api::AppState::new(db.clone(), clock.clone())?;
    std::thread::spawn(move || {
        let sys = actix_web::rt::System::new();
        sys.block_on(async move {
            let server = HttpServer::new(move || App::new().configure(api::configure(state.clone(), auth.clone())))
                .bind("127.0.0.1:0");
            match server {
                Ok(server) => {
                    let _ = tx.send(Ok(server.addrs()[0]));
                    let _ = server.run().await;
                }
                Err(e) => {
                    let _ = tx.send(Err(e));
                }
            }
        });
    });
    Ok(rx.recv()??)
}

/// Pushes one body and checks that every record of it was stored (a database that already holds the bench's
/// records would answer `unchanged` and measure nothing).
async fn push(http: &reqwest::Client, url: &str, token: &str, body: Vec<u8>, expected: usize) -> Result<()> {
    let res = http.post(url).bearer_auth(token).header("content-type", "application/json").body(body).send().await?;
    ensure!(res.status() == 200, "{url}: {}", res.status());
    let receipt: serde_json::Value = res.json().await?;
    let accepted = receipt["accepted"].as_u64().unwrap_or_default();
    ensure!(
        accepted == expected as u64,
        "{accepted} of {expected} records accepted: push into an empty database (drop and create it again)"
    );
    Ok(())
}

/// Runs the bench and the bare-insert floor on the same database; prints both, the push beside its goal and the
/// floor, and returns records/s.
pub fn run(b: &PushBench) -> Result<f64> {
    let dir = tempfile::tempdir()?;
    let url = b.database.clone().unwrap_or_else(|| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let db = storage::Db::open(&url)?;
    db.migrate()?;
    db.with(|c| storage::registry::seed_annex(c, b.clock.now_utc()))?;
    let secret = b"bench-secret-of-at-least-32-bytes-long";
    let auth = api::AuthConfig::new(secret, "dualprev", "dualprev", 30)
        .map_err(anyhow::Error::msg)?
        .with_clock(b.clock.clone());
    let codes = companies(b.enterprises)?;
    let tokens = codes
        .iter()
        .map(|code| {
            let company = domain::CompanyCode::parse(code)?;
            auth.issue(api::Role::Enterprise, None, Some(&company), chrono::TimeDelta::hours(1))
                .map_err(anyhow::Error::msg)
        })
        .collect::<Result<Vec<String>>>()?;
    let base = format!("http://{}/api/v1/exchange", serve(&db, auth, &b.clock)?);
    let e = codes.len();
    // Each enterprise's batches, in the order it pushes them.
    let mut bodies: Vec<Vec<Vec<u8>>> = vec![Vec::new(); e];
    for i in 0..b.batches {
        let k = i % e;
        let batch: Vec<_> =
            (0..b.batch_size).map(|j| check_record_of(&codes[k], k, i * b.batch_size + j, b.ids)).collect();
        bodies[k].push(serde_json::to_vec(&batch)?);
    }
    let rt = tokio::runtime::Runtime::new()?;
    let (elapsed, writer_before) = rt.block_on(async {
        let http = reqwest::Client::new();
        for (k, token) in tokens.iter().enumerate() {
            for (table, record) in chain_of(&codes[k], k) {
                let res = http.post(format!("{base}/{table}")).bearer_auth(token).json(&[record]).send().await?;
                ensure!(res.status() == 200, "seeding {table} of {}: {}", codes[k], res.status());
            }
        }
        let queues: Arc<Vec<(Vec<Vec<u8>>, AtomicUsize)>> =
            Arc::new(bodies.into_iter().map(|q| (q, AtomicUsize::new(0))).collect());
        let clients = if e > 1 { e } else { b.clients.max(1) };
        let start = Instant::now();
        let writer_before = db.group_writer().map(|w| w.stats());
        let mut tasks = Vec::new();
        for c in 0..clients {
            let k = c % e;
            let (http, queues, token) = (http.clone(), queues.clone(), tokens[k].clone());
            let url = format!("{base}/check_record");
            let size = b.batch_size;
            tasks.push(tokio::spawn(async move {
                let (queue, next) = &queues[k];
                while let Some(body) = queue.get(next.fetch_add(1, Ordering::Relaxed)) {
                    push(&http, &url, &token, body.clone(), size).await?;
                }
                Ok::<_, anyhow::Error>(())
            }));
        }
        for t in tasks {
            t.await.context("client task")??;
        }
        Ok((start.elapsed(), writer_before))
    })?;
    let rate = (b.batches * b.batch_size) as f64 / elapsed.as_secs_f64();
    let backend = db.url().backend();
    if let (Some(w), Some(before)) = (db.group_writer(), writer_before) {
        let s = w.stats();
        println!(
            "  (group commit: {} batches in {} SQLite transactions; the writer busy {:.2} s of the push's {:.2} s: \
             batches' work {:.2} s, commits {:.2} s)",
            s.members - before.members,
            s.groups - before.groups,
            (s.work + s.commits - before.work - before.commits).as_secs_f64(),
            elapsed.as_secs_f64(),
            (s.work - before.work).as_secs_f64(),
            (s.commits - before.commits).as_secs_f64()
        );
    }
    // SQLite has one writer: writers at once would only wait for each other.
    let writers = if db.group_writer().is_some() { 1 } else { e };
    let bare = super::bare::run(&db, b.batches, b.batch_size, b.ids, &codes, writers)?;
    let who = if e > 1 { format!("{e} enterprises") } else { format!("1 enterprise, {} clients", b.clients) };
    super::figure(
        &format!("push into {backend}, {who}, {}", b.ids.label()),
        rate,
        "records/s",
        &format!(
            "{} a batch; goal ≥ 50,000 ({}); {:.0} % of the bare-insert floor",
            b.batch_size,
            if rate >= GOAL { "met" } else { "not met" },
            rate / bare * 100.0
        ),
    );
    super::figure(
        &format!("  bare-insert floor: {writers} writer(s), same rows"),
        bare,
        "rows/s",
        "multi-row INSERT, one transaction a batch, no checks",
    );
    Ok(rate)
}
