//! `dualprev pull [--company CODE]`: one pull cycle now.

use crate::settings::Settings;
use anyhow::Result;
use ingest::{CycleOutcome, Puller};
use storage::Db;

/// Runs one cycle and prints its summary; false when any enterprise failed.
pub async fn run(settings: &Settings, db: Db, company: Option<&str>) -> Result<bool> {
    let puller = Puller::new(db, settings.pull.config())?;
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
            let c = r.counts;
            println!(
                "拉取 {} 家：成功 {}，失败 {}；记录 {}：新增 {}，未变 {}，暂存 {}，拒绝 {}；用时 {:.1} 秒 / pulled {} \
                 enterprises: {} ok, {} failed; {} records: {} accepted, {} unchanged, {} pending, {} rejected; {:.1} s",
                r.enterprises,
                r.succeeded,
                r.failed.len(),
                c.received,
                c.accepted,
                c.unchanged,
                c.pending,
                c.rejected,
                r.duration.as_secs_f64(),
                r.enterprises,
                r.succeeded,
                r.failed.len(),
                c.received,
                c.accepted,
                c.unchanged,
                c.pending,
                c.rejected,
                r.duration.as_secs_f64()
            );
            for (company, error) in &r.failed {
                println!("  {company}: {error}");
            }
            Ok(r.failed.is_empty())
        }
    }
}
