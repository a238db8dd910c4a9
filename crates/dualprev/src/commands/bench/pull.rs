//! The pull cycle: the simulator on loopback serves 176 enterprises, a share of them faulty (timeouts, 5xx, bad
//! bodies, …), and one cycle pulls them all into a fresh SQLite database; its time is printed against the configured
//! request timeout (a faulty enterprise must cost about its timeout × attempts, not stall the cycle).

use anyhow::{Context, Result};
use chrono::TimeDelta;
use ingest::{CycleOutcome, PullConfig, Puller};
use sim::{SimConfig, Size, World};
use std::time::Duration;

/// What to pull.
#[derive(Debug, Clone)]
pub struct PullBench {
    /// Simulated enterprises (176 in Shanxi's registry).
    pub enterprises: usize,
    /// The share of them with a fault.
    pub fault_rate: f64,
    /// The request timeout of the pull.
    pub timeout: Duration,
    /// The clock the simulated history ends at.
    pub clock: domain::Clock,
}

/// Runs one cycle and prints its figures.
pub fn run(b: &PullBench) -> Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    rt.block_on(cycle(b))
}

async fn cycle(b: &PullBench) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let db = storage::Db::open(&format!("sqlite://{}", dir.path().join("pull.db").display()))?;
    db.migrate()?;
    let now = b.clock.now_utc();
    db.with(|c| storage::registry::seed_annex(c, now))?;
    let start = domain::time::local_date(now) - TimeDelta::days(Size::Demo.default_days());
    let cfg = SimConfig::for_registry(b.enterprises, 11, start, now, Size::Demo, b.fault_rate);
    let world = World::generate(&cfg);
    eprintln!("simulated: {}", world.totals());
    let sim = sim::serve(world, "127.0.0.1:0").await.context("simulator")?;
    for (code, _) in &cfg.enterprises {
        let key = cfg.encrypted.contains(code).then(|| sim::aes_key(code, cfg.seed));
        db.with(|c| Ok(storage::pull_state::set_endpoint(c, code, &sim.base_url(code), key.as_deref(), now)?))?;
    }
    let pull =
        PullConfig { timeout: b.timeout, attempts: 2, backoff: Duration::from_millis(200), ..Default::default() };
    let puller = Puller::new(db.clone(), pull, b.clock.clone())?;
    let CycleOutcome::Ran(r) = puller.cycle(None).await? else { anyhow::bail!("the cycle was skipped") };
    let secs = r.duration.as_secs_f64();
    super::figure(
        &format!("pull cycle, {} enterprises, {:.0} % faulty (s)", r.enterprises, b.fault_rate * 100.0),
        secs,
        "s",
        &format!(
            "{} ok, {} failed; timeout {:.0} s × 2 attempts; cycle = {:.1}× the timeout",
            r.succeeded,
            r.failed.len(),
            b.timeout.as_secs_f64(),
            secs / b.timeout.as_secs_f64()
        ),
    );
    super::figure("pull throughput (records/s)", r.counts.received as f64 / secs, "records/s", "");
    Ok(())
}
