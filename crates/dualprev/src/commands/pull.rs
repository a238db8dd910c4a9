//! `dualprev pull [--company CODE]`: one pull cycle now.

use crate::settings::Settings;
use anyhow::Result;
use ingest::{CycleOutcome, Puller};
use storage::Db;

/// Runs one cycle and prints its summary; false when any enterprise failed.
pub async fn run(settings: &Settings, db: Db, company: Option<&str>) -> Result<bool> {
    let puller = Puller::new(db, settings.pull.config(), settings.clock.clone())?;
    match puller.cycle(company).await? {
        CycleOutcome::Skipped => {
            println!("另一轮拉取正在进行，本次跳过 / another pull cycle is running; skipped");
            Ok(true)
        }
        CycleOutcome::Ran(r) if r.enterprises == 0 && company.is_some() => {
            anyhow::bail!(
                "企业 {} 未登记拉取地址 / no pull endpoint is registered for {}",
                company.unwrap_or(""),
                company.unwrap_or("")
            )
        }
        CycleOutcome::Ran(r) => {
            println!("{}", r.summary());
            for (company, error) in &r.failed {
                println!("  {company}: {error}");
            }
            Ok(r.failed.is_empty())
        }
    }
}
