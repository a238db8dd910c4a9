//! The scheduled jobs of `serve`, wired to tokio-cron-scheduler in one place. Each job is a plain async function
//! (tested directly); the schedule only calls it. A job never runs twice at once: each guards itself.

use crate::settings::Settings;
use anyhow::{Context, Result};
use ingest::Puller;
use std::sync::Arc;
use tokio_cron_scheduler::{Job, JobScheduler};

/// Starts the scheduler with the configured jobs, and runs the catch-up of jobs that missed their time; keep the
/// returned value alive.
pub async fn start(settings: &Settings, puller: Arc<Puller>, state: api::AppState) -> Result<JobScheduler> {
    let sched = JobScheduler::new().await.context("scheduler")?;
    if !settings.jobs.weekly_evaluation.trim().is_empty() {
        let st = state.clone();
        let job =
            Job::new_async_tz(settings.jobs.weekly_evaluation.as_str(), domain::time::shanghai(), move |_id, _lock| {
                let st = st.clone();
                Box::pin(async move {
                    if let Err(e) = api::jobs::weekly_evaluation(&st, domain::time::now_utc()).await {
                        tracing::error!(error = %e, "weekly evaluation failed");
                    }
                })
            })
            .with_context(|| format!("无效的评估计划 / invalid schedule {:?}", settings.jobs.weekly_evaluation))?;
        sched.add(job).await.context("add the weekly evaluation job")?;
        // Catch up: a week that ended while the platform was down is evaluated now.
        let st = state.clone();
        actix_web::rt::spawn(async move {
            if let Err(e) = api::jobs::weekly_evaluation(&st, domain::time::now_utc()).await {
                tracing::error!(error = %e, "weekly evaluation catch-up failed");
            }
        });
    }
    if !settings.jobs.monthly_report.trim().is_empty() {
        let st = state.clone();
        let job =
            Job::new_async_tz(settings.jobs.monthly_report.as_str(), domain::time::shanghai(), move |_id, _lock| {
                let st = st.clone();
                Box::pin(async move {
                    if let Err(e) = api::jobs::monthly_report(&st, domain::time::now_utc()).await {
                        tracing::error!(error = %e, "monthly report failed");
                    }
                })
            })
            .with_context(|| format!("无效的月报计划 / invalid schedule {:?}", settings.jobs.monthly_report))?;
        sched.add(job).await.context("add the monthly report job")?;
        // Catch up: a 20th that passed while the platform was down gets its reports now.
        let st = state.clone();
        actix_web::rt::spawn(async move {
            if let Err(e) = api::jobs::monthly_report(&st, domain::time::now_utc()).await {
                tracing::error!(error = %e, "monthly report catch-up failed");
            }
        });
    }
    if !settings.pull.schedule.trim().is_empty() {
        // Every worker names the cycle by its scheduled minute, so that workers on one database share it.
        let worker = format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple());
        let lease = settings.pull.claim_lease();
        tracing::info!(%worker, lease_secs = lease.as_secs(), "pull worker");
        let (telemetry, changes) = (state.telemetry.clone(), state.changes.clone());
        let job = Job::new_async(settings.pull.schedule.as_str(), move |_id, _lock| {
            let (puller, telemetry, changes) = (puller.clone(), telemetry.clone(), changes.clone());
            let shared = ingest::Shared {
                cycle: ingest::Shared::cycle_of(domain::time::now_utc()),
                worker: worker.clone(),
                lease,
            };
            Box::pin(async move {
                match puller.shared_cycle(&shared).await {
                    Ok(ingest::CycleOutcome::Ran(report)) => {
                        telemetry.pull_cycle(&report);
                        // Stored pages appended their batch.stored events: wake the feed and the webhooks.
                        changes.bump();
                    }
                    Ok(ingest::CycleOutcome::Skipped) => {}
                    Err(e) => tracing::error!(error = %e, "scheduled pull failed"),
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
