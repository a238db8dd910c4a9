//! The API under load from a second process: this process starts `dualprev serve` on the figures bench's database
//! as a child, loads `/api/v1/metrics` and `/api/v1/rankings` with concurrent clients, prints p50/p99 and throughput,
//! and the child's peak resident memory.

use anyhow::{Context, Result};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The token secret of the bench's server.
pub(super) const SECRET: &str = "a-bench-secret-of-at-least-32-bytes!!";

/// How to load the API.
#[derive(Debug, Clone)]
pub struct ApiBench {
    /// The database `serve` reads (the figures bench's).
    pub database: String,
    /// Concurrent clients.
    pub clients: usize,
    /// Seconds per route.
    pub seconds: u64,
    /// The clock of the bench: when pinned (`DUALPREV_NOW`), `serve` runs as a test instance at that moment.
    pub clock: domain::Clock,
}

/// Peak resident memory of a process, MB (Linux `VmHWM`).
pub(super) fn peak_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok());
    kb.unwrap_or(0.0) / 1024.0
}

/// A free loopback port.
fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

pub(super) struct Server(pub(super) Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `dualprev serve` on a database as a child on a free loopback port, with no schedule (no pulls, no jobs),
/// the bench's token secret, and as a test instance when the bench's clock is pinned.
pub(super) fn spawn_serve(database: &str, clock: &domain::Clock) -> Result<(Server, u16)> {
    spawn(database, clock, false)
}

/// [`spawn_serve`], with the weekly and monthly jobs on their default schedules when `jobs` (and so their catch-up at
/// start); pulls stay off.
pub(super) fn spawn(database: &str, clock: &domain::Clock, jobs: bool) -> Result<(Server, u16)> {
    let port = free_port()?;
    let mut command = Command::new(std::env::current_exe()?);
    if !jobs {
        command.env("DUALPREV_JOBS__WEEKLY_EVALUATION", "").env("DUALPREV_JOBS__MONTHLY_REPORT", "");
    }
    let child = command
        .args(["serve", "--database", database, "--bind", &format!("127.0.0.1:{port}")])
        .env("DUALPREV_JWT_SECRET", SECRET)
        .env("DUALPREV_PULL__SCHEDULE", "")
        .env("DUALPREV_LOG", "warn")
        .args(clock.is_pinned().then_some("--test-instance"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("start serve")?;
    Ok((Server(child), port))
}

/// Runs the load and prints the figures.
pub fn run(b: &ApiBench, period: &str) -> Result<()> {
    let (server, port) = spawn_serve(&b.database, &b.clock)?;
    let token = api::AuthConfig::new(SECRET.as_bytes(), "dualprev", "dualprev", 30)?
        .with_clock(b.clock.clone())
        .issue(api::Role::Province, None, None, chrono::TimeDelta::hours(1))?;
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let base = format!("http://127.0.0.1:{port}");
    rt.block_on(async {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(600)).build()?;
        wait_ready(&http, &base).await?;
        for route in [
            format!("/api/v1/metrics?period={period}&by=city"),
            format!("/api/v1/metrics?period={period}R&by=enterprise"),
            format!("/api/v1/rankings?period={period}&of=enterprises"),
        ] {
            let url = format!("{base}{route}");
            // The first answer materialises the snapshots (measured by the figures bench): not counted.
            let first = Instant::now();
            http.get(&url).bearer_auth(&token).send().await?.error_for_status()?;
            eprintln!("{route}: first answer in {:.1} s", first.elapsed().as_secs_f64());
            load(&http, &url, &token, b).await?;
        }
        anyhow::Ok(())
    })?;
    super::figure("serve peak resident memory (MB)", peak_mb(server.0.id()), "MB", "goal ≤ 500");
    Ok(())
}

pub(super) async fn wait_ready(http: &reqwest::Client, base: &str) -> Result<()> {
    for _ in 0..600 {
        if http.get(format!("{base}/readyz")).send().await.is_ok_and(|r| r.status().is_success()) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("serve did not become ready")
}

/// `clients` tasks request `url` in a loop for `seconds`; prints p50, p99 and requests/s.
async fn load(http: &reqwest::Client, url: &str, token: &str, b: &ApiBench) -> Result<()> {
    let until = Instant::now() + Duration::from_secs(b.seconds);
    let mut tasks = vec![];
    for _ in 0..b.clients {
        let (http, url, token) = (http.clone(), url.to_owned(), token.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut times = vec![];
            while Instant::now() < until {
                let t = Instant::now();
                let res = http.get(&url).bearer_auth(&token).send().await?.error_for_status()?;
                res.bytes().await?;
                times.push(t.elapsed().as_secs_f64());
            }
            anyhow::Ok(times)
        }));
    }
    let started = Instant::now();
    let mut all = vec![];
    for t in tasks {
        all.extend(t.await??);
    }
    let secs = started.elapsed().as_secs_f64();
    all.sort_by(f64::total_cmp);
    let at =
        |q: f64| all.get(((all.len() as f64 * q) as usize).min(all.len().saturating_sub(1))).copied().unwrap_or(0.0);
    let route = url.split_once("/api/v1/").map_or(url, |(_, r)| r);
    super::figure(&format!("{route} p50 (ms)"), at(0.50) * 1000.0, "ms", "");
    super::figure(
        &format!("{route} p99 (ms)"),
        at(0.99) * 1000.0,
        "ms",
        &format!("{:.0} req/s, {} clients (goal p99 ≤ 10 ms)", all.len() as f64 / secs, b.clients),
    );
    Ok(())
}
