//! The scheduled jobs of `serve`, wired to tokio-cron-scheduler in one place. Each job is a plain async function
//! (tested directly); the schedule only calls it. A job never runs twice at once: each guards itself.

use crate::settings::Settings;
use anyhow::{Context, Result};
use ingest::Puller;
use std::sync::Arc;
use tokio_cron_scheduler::{Job, JobScheduler};

/// Starts the scheduler with the configured jobs; keep the returned value alive.
pub async fn start(settings: &Settings, puller: Arc<Puller>) -> Result<JobScheduler> {
    let sched = JobScheduler::new().await.context("scheduler")?;
    if !settings.pull.schedule.trim().is_empty() {
        let job = Job::new_async(settings.pull.schedule.as_str(), move |_id, _lock| {
            let puller = puller.clone();
            Box::pin(async move {
                if let Err(e) = puller.cycle(None).await {
                    tracing::error!(error = %e, "scheduled pull failed");
                }
            })
        })
        .with_context(|| format!("无效的拉取计划 / invalid pull schedule {:?}", settings.pull.schedule))?;
        sched.add(job).await.context("add the pull job")?;
        tracing::info!(schedule = %settings.pull.schedule, "scheduled pulls");
    }
    sched.start().await.context("start the scheduler")?;
    Ok(sched)
}
