//! The scheduled jobs of `serve`, in one place. Each job is a plain async function (tested directly); a schedule
//! only calls it. Schedules are read from the platform's clock, not the system's: a test instance pinned by
//! `DUALPREV_NOW` runs its Monday job when its own clock reaches Monday 01:00. A job never runs twice at once: each
//! guards itself.

use crate::settings::Settings;
use anyhow::{Context, Result};
use chrono::{DateTime, FixedOffset, NaiveDateTime, Offset, TimeZone, Utc};
use croner::Cron;
use croner::parser::{CronParser, Seconds};
use domain::Clock;
use ingest::Puller;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;

/// The longest a schedule sleeps before it reads the clock again (a pinned clock may be moved).
const RECHECK: Duration = Duration::from_secs(1);

/// A 6-field cron expression (sec min hour day month weekday) read in one time zone.
#[derive(Debug, Clone)]
pub struct Schedule {
    cron: Cron,
    zone: FixedOffset,
}

impl Schedule {
    /// Parses a 6-field expression; day of month and day of week must both match when both are given.
    pub fn parse(expression: &str, zone: FixedOffset) -> Result<Schedule> {
        let cron = CronParser::builder()
            .seconds(Seconds::Required)
            .dom_and_dow(true)
            .build()
            .parse(expression.trim())
            .with_context(|| format!("无效的计划 / invalid schedule {expression:?}"))?;
        Ok(Schedule { cron, zone })
    }

    /// The first moment of the schedule strictly after `after` (both naive UTC); `None` when there is none.
    pub fn next_after(&self, after: NaiveDateTime) -> Option<NaiveDateTime> {
        let local: DateTime<FixedOffset> = self.zone.from_utc_datetime(&after);
        self.cron.find_next_occurrence(&local, false).ok().map(|t| t.naive_utc())
    }
}

/// The running schedules; dropping it stops them.
#[derive(Debug, Default)]
pub struct Scheduled(Vec<JoinHandle<()>>);

impl Drop for Scheduled {
    fn drop(&mut self) {
        for task in &self.0 {
            task.abort();
        }
    }
}

/// Calls `job` with each moment of `schedule` as `clock` reaches it, until aborted. A moment missed while a clock
/// jumped ahead is skipped (the jobs have their own catch-up).
pub fn every<F, Fut>(clock: Clock, schedule: Schedule, job: F) -> JoinHandle<()>
where
    F: Fn(NaiveDateTime) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    tokio::spawn(async move {
        let mut after = clock.now_utc();
        loop {
            let Some(next) = schedule.next_after(after) else {
                tracing::warn!(?schedule, "the schedule has no later moment");
                return;
            };
            loop {
                let now = clock.now_utc();
                if now >= next {
                    break;
                }
                let wait = (next - now).to_std().unwrap_or_default().min(RECHECK);
                tokio::time::sleep(wait).await;
            }
            tokio::spawn(job(next));
            after = next.max(clock.now_utc());
        }
    })
}

/// Starts the configured jobs, and the catch-up of jobs that missed their time; keep the returned value alive.
pub async fn start(settings: &Settings, puller: Arc<Puller>, state: api::AppState) -> Result<Scheduled> {
    let mut tasks = Vec::new();
    let clock = state.clock.clone();
    let local = domain::time::shanghai();
    if !settings.jobs.weekly_evaluation.trim().is_empty() {
        let schedule = Schedule::parse(&settings.jobs.weekly_evaluation, local).context("[jobs] weekly_evaluation")?;
        let st = state.clone();
        tasks.push(every(clock.clone(), schedule, move |at| {
            let st = st.clone();
            async move {
                if let Err(e) = api::jobs::weekly_evaluation(&st, at).await {
                    tracing::error!(error = %e, "weekly evaluation failed");
                }
            }
        }));
        // Catch up: a week that ended while the platform was down is evaluated now.
        let st = state.clone();
        tasks.push(tokio::spawn(async move {
            if let Err(e) = api::jobs::weekly_evaluation(&st, st.clock.now_utc()).await {
                tracing::error!(error = %e, "weekly evaluation catch-up failed");
            }
        }));
    }
    if !settings.jobs.monthly_report.trim().is_empty() {
        let schedule = Schedule::parse(&settings.jobs.monthly_report, local).context("[jobs] monthly_report")?;
        let st = state.clone();
        tasks.push(every(clock.clone(), schedule, move |at| {
            let st = st.clone();
            async move {
                if let Err(e) = api::jobs::monthly_report(&st, at).await {
                    tracing::error!(error = %e, "monthly report failed");
                }
            }
        }));
        // Catch up: a 20th that passed while the platform was down gets its reports now.
        let st = state.clone();
        tasks.push(tokio::spawn(async move {
            if let Err(e) = api::jobs::monthly_report(&st, st.clock.now_utc()).await {
                tracing::error!(error = %e, "monthly report catch-up failed");
            }
        }));
    }
    if !settings.pull.schedule.trim().is_empty() {
        // Every worker names the cycle by its scheduled minute, so that workers on one database share it.
        let worker = format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple());
        let lease = settings.pull.claim_lease();
        tracing::info!(%worker, lease_secs = lease.as_secs(), "pull worker");
        let schedule = Schedule::parse(&settings.pull.schedule, Utc.fix()).context("[pull] schedule")?;
        let (telemetry, changes) = (state.telemetry.clone(), state.changes.clone());
        tasks.push(every(clock.clone(), schedule, move |at| {
            let (puller, telemetry, changes) = (puller.clone(), telemetry.clone(), changes.clone());
            let shared = ingest::Shared { cycle: ingest::Shared::cycle_of(at), worker: worker.clone(), lease };
            async move {
                match puller.shared_cycle(&shared).await {
                    Ok(ingest::CycleOutcome::Ran(report)) => {
                        telemetry.pull_cycle(&report);
                        // Stored pages appended their batch.stored events: wake the feed and the webhooks.
                        changes.bump();
                    }
                    Ok(ingest::CycleOutcome::Skipped) => {}
                    Err(e) => tracing::error!(error = %e, "scheduled pull failed"),
                }
            }
        }));
        tracing::info!(schedule = %settings.pull.schedule, "scheduled pulls");
    }
    Ok(Scheduled(tasks))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn utc(moment: &str) -> NaiveDateTime {
        Clock::parse_moment(moment).unwrap()
    }

    #[test]
    fn the_default_schedules_fall_on_the_local_moments() {
        let local = domain::time::shanghai();
        let weekly = Schedule::parse("0 0 1 * * Mon", local).unwrap();
        // Sunday 2026-12-06 12:00 local → Monday 2026-12-07 01:00 local.
        assert_eq!(weekly.next_after(utc("2026-12-06T12:00:00+08:00")), Some(utc("2026-12-07T01:00:00+08:00")));
        // At Monday 00:30 the same day's 01:00 is next; at 01:30 the next Monday's.
        assert_eq!(weekly.next_after(utc("2026-12-07T00:30:00+08:00")), Some(utc("2026-12-07T01:00:00+08:00")));
        assert_eq!(weekly.next_after(utc("2026-12-07T01:30:00+08:00")), Some(utc("2026-12-14T01:00:00+08:00")));
        // Across the year's end and ISO week 53 (2026-12-28 … 2027-01-03).
        assert_eq!(weekly.next_after(utc("2026-12-31T08:30:00+08:00")), Some(utc("2027-01-04T01:00:00+08:00")));
        let monthly = Schedule::parse("0 0 8 20 * *", local).unwrap();
        assert_eq!(monthly.next_after(utc("2026-12-20T00:30:00+08:00")), Some(utc("2026-12-20T08:00:00+08:00")));
        assert_eq!(monthly.next_after(utc("2026-12-20T08:30:00+08:00")), Some(utc("2027-01-20T08:00:00+08:00")));
        let pulls = Schedule::parse("0 0 */2 * * *", Utc.fix()).unwrap();
        assert_eq!(pulls.next_after(utc("2027-01-01T23:30:00Z")), Some(utc("2027-01-02T00:00:00Z")));
    }

    #[test]
    fn a_bad_schedule_is_refused() {
        assert!(Schedule::parse("every monday", domain::time::shanghai()).is_err());
        assert!(Schedule::parse("0 1 * * Mon", domain::time::shanghai()).is_err(), "seconds are required");
    }

    #[tokio::test]
    async fn a_schedule_fires_when_its_clock_reaches_the_moment() {
        let clock = Clock::frozen(utc("2026-12-07T00:59:58+08:00"));
        let schedule = Schedule::parse("0 0 1 * * Mon", domain::time::shanghai()).unwrap();
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let task = every(clock.clone(), schedule, move |at| {
            let tx = tx.clone();
            async move {
                tx.send(at).unwrap();
            }
        });
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert!(rx.try_recv().is_err(), "a frozen clock before the moment fires nothing");
        clock.advance(chrono::TimeDelta::seconds(3));
        let fired = tokio::time::timeout(Duration::from_secs(5), rx.recv()).await.unwrap();
        assert_eq!(fired, Some(utc("2026-12-07T01:00:00+08:00")));
        task.abort();
    }
}
