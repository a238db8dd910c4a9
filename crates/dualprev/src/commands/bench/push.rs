//! Push speed end to end: HTTP into the API, validation, storage and receipt, on a real database.

use super::data::{COMPANY, Ids, chain, check_record_with};
use actix_web::{App, HttpServer};
use anyhow::{Context, Result, ensure};
use std::sync::Arc;
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
    /// Concurrent client connections.
    pub clients: usize,
    /// How the records are identified.
    pub ids: Ids,
    /// The clock of the server (received times).
    pub clock: domain::Clock,
}

/// Runs the bench and prints records/s.
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
    let company = domain::CompanyCode::parse(COMPANY)?;
    let token = auth
        .issue(api::Role::Enterprise, None, Some(&company), chrono::TimeDelta::hours(1))
        .map_err(anyhow::Error::msg)?;
    // The server runs on its own threads, as in production.
    let (tx, rx) = std::sync::mpsc::channel();
    let state = api::AppState::new(db.clone(), b.clock.clone())?;
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
    let addr = rx.recv()??;
    let base = format!("http://{addr}/api/v1/exchange");
    let rt = tokio::runtime::Runtime::new()?;
    let rate = rt.block_on(async {
        let http = reqwest::Client::new();
        for (table, record) in chain() {
            let res = http.post(format!("{base}/{table}")).bearer_auth(&token).json(&[record]).send().await?;
            ensure!(res.status() == 200, "seeding {table}: {}", res.status());
        }
        let bodies: Vec<Vec<u8>> = (0..b.batches)
            .map(|i| {
                let batch: Vec<_> = (0..b.batch_size).map(|j| check_record_with(i * b.batch_size + j, b.ids)).collect();
                serde_json::to_vec(&batch).unwrap_or_default()
            })
            .collect();
        let bodies = Arc::new(bodies);
        let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let start = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..b.clients.max(1) {
            let (http, bodies, next, base, token) =
                (http.clone(), bodies.clone(), next.clone(), base.clone(), token.clone());
            tasks.push(tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(body) = bodies.get(i) else { return Ok::<_, anyhow::Error>(()) };
                    let res = http
                        .post(format!("{base}/check_record"))
                        .bearer_auth(&token)
                        .header("content-type", "application/json")
                        .body(body.clone())
                        .send()
                        .await?;
                    ensure!(res.status() == 200, "batch {i}: {}", res.status());
                }
            }));
        }
        for t in tasks {
            t.await.context("client task")??;
        }
        Ok(((b.batches * b.batch_size) as f64) / start.elapsed().as_secs_f64())
    })?;
    let backend = db.url().backend();
    if let Some(w) = db.group_writer() {
        let s = w.stats();
        println!("  (group commit: {} batches in {} SQLite transactions)", s.members, s.groups);
    }
    super::figure(
        &format!("push into {backend}, {} a batch, {}", b.batch_size, b.ids.label()),
        rate,
        "records/s",
        "goal ≥ 50,000",
    );
    let bare = super::bare::run(&db, b.batches, b.batch_size, b.ids)?;
    super::figure(
        &format!("bare multi-row INSERT into {backend}, same rows"),
        bare,
        "rows/s",
        &format!("push reaches {:.0} % of it", rate / bare * 100.0),
    );
    Ok(rate)
}
