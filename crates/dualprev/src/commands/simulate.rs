//! `dualprev simulate`: the enterprise simulator alone, serving the pull endpoints of `data-exchange.md` §4.

use anyhow::{Result, anyhow};
use chrono::TimeDelta;
use sim::{SimConfig, Size, World};

/// Options of the simulator.
#[derive(Debug)]
pub struct Options<'a> {
    /// Address to serve on.
    pub bind: &'a str,
    /// How many annex enterprises.
    pub enterprises: usize,
    /// Share of faulty enterprises.
    pub fault_rate: f64,
    /// Seed.
    pub seed: u64,
    /// Size name.
    pub size: &'a str,
    /// The clock the simulated history ends at.
    pub clock: &'a domain::Clock,
}

/// Serves until interrupted. Prints, on standard output, a registry import file that points a platform at it.
pub async fn run(o: &Options<'_>) -> Result<()> {
    let size =
        Size::parse(o.size).ok_or_else(|| anyhow!("未知规模 / unknown size {:?}: small, demo or province", o.size))?;
    let end = o.clock.now_utc();
    let start = domain::time::local_date(end) - TimeDelta::days(size.default_days());
    let cfg = SimConfig::for_registry(o.enterprises, o.seed, start, end, size, o.fault_rate);
    let started = std::time::Instant::now();
    let world = World::generate(&cfg);
    tracing::info!(totals = %world.totals(), ms = started.elapsed().as_millis() as u64, "world generated");
    let server = sim::serve(world, o.bind).await?;
    let names = domain::registry::annex_enterprises()?;
    println!("companyCode,name,cityCode,baseUrl,aesKey");
    for (code, city) in &cfg.enterprises {
        let name = names.iter().find(|e| &e.code == code).map_or("", |e| e.name.as_str());
        let key = if cfg.encrypted.contains(code) { sim::aes_key(code, cfg.seed) } else { String::new() };
        println!("{code},{name},{},{},{key}", city.code(), server.base_url(code));
    }
    for (code, fault) in &cfg.faults {
        tracing::info!(company = %code, fault = fault.name(), "faulty enterprise");
    }
    eprintln!("模拟器运行于 / simulator at http://{} — Ctrl-C 停止 / to stop", server.addr);
    tokio::signal::ctrl_c().await?;
    server.stop().await;
    Ok(())
}
