//! People signing in (issue 20): how long Argon2id takes per password on this machine, and the latency of
//! `POST /api/v1/session` under concurrent sign-ins, against a `dualprev serve` child over a fresh SQLite database.

use super::api::{spawn_serve, wait_ready};
use anyhow::{Result, anyhow};
use domain::account::{AccountRole, PasswordPolicy};
use std::time::{Duration, Instant};
use storage::accounts::{self, NewAccount};

/// The password of the bench's people.
const PASSWORD: &str = "Bench-sign-in-2026";

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// Runs the sign-in bench: `clients` people sign in `rounds` times each, all at once.
pub fn run(clients: usize, rounds: usize, clock: &domain::Clock) -> Result<()> {
    let hash: Vec<f64> = (0..5)
        .map(|_| {
            let t = Instant::now();
            storage::passwords::hash_any(PASSWORD).map(|_| t.elapsed().as_secs_f64())
        })
        .collect::<Result<_, _>>()
        .map_err(|e| anyhow!(e))?;
    let stored = storage::passwords::hash_any(PASSWORD).map_err(|e| anyhow!(e))?;
    let verify: Vec<f64> = (0..5)
        .map(|_| {
            let t = Instant::now();
            storage::passwords::verify(PASSWORD, &stored);
            t.elapsed().as_secs_f64()
        })
        .collect();
    super::figure("argon2id hash of one password (ms)", median(hash) * 1000.0, "ms", "argon2 defaults: 19 MiB, t = 2");
    super::figure("argon2id check at sign-in (ms)", median(verify) * 1000.0, "ms", "");

    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("signin.db").display());
    let db = storage::Db::open(&url)?;
    db.migrate()?;
    let (policy, now) = (PasswordPolicy::default(), clock.now_utc());
    for i in 0..clients {
        let new = NewAccount::new(format!("person{i:02}"), format!("测试人员{i}"), AccountRole::Province);
        db.with(|c| Ok(accounts::create(c, &new, PASSWORD, &policy, now)))?.map_err(|e| anyhow!("{e}"))?;
    }
    drop(db);
    let (_server, port) = spawn_serve(&url, clock)?;
    let base = format!("http://127.0.0.1:{port}");
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let (times, secs) = rt.block_on(async {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(60)).build()?;
        wait_ready(&http, &base).await?;
        let started = Instant::now();
        let mut tasks = vec![];
        for i in 0..clients {
            let (http, url) = (http.clone(), format!("{base}/api/v1/session"));
            tasks.push(tokio::spawn(async move {
                let body = serde_json::json!({"username": format!("person{i:02}"), "password": PASSWORD});
                let mut times = vec![];
                for _ in 0..rounds {
                    let t = Instant::now();
                    http.post(&url).json(&body).send().await?.error_for_status()?;
                    times.push(t.elapsed().as_secs_f64());
                }
                anyhow::Ok(times)
            }));
        }
        let all = super::gather(tasks).await?;
        anyhow::Ok((all, started.elapsed().as_secs_f64()))
    })?;
    let at = |q: f64| super::quantile(&times, q);
    super::figure("sign-in p50 (ms)", at(0.50) * 1000.0, "ms", "");
    let note = format!("{:.1} sign-ins/s, {clients} at once, {} in all", times.len() as f64 / secs, times.len());
    super::figure("sign-in p99 (ms)", at(0.99) * 1000.0, "ms", &note);
    Ok(())
}
