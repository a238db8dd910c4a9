//! The change worker: runs the change detector ([`super::detect`]), then the warning escalation
//! ([`crate::handling::escalation`]), and the retention prune on a schedule; with the prune, the coming months'
//! partitions of the version tables on PostgreSQL ([`storage::partitions::cover_ahead`]).

use crate::AppState;
use std::time::Duration;
use tokio::task::JoinHandle;

/// How the change worker runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeConfig {
    /// Events older than this are removed (`[changes] retention_days`, 30 days).
    pub retention: Duration,
    /// How often the detector compares figures and warnings with what it emitted last (1 minute).
    pub detect_every: Duration,
    /// How often the prune and the partition check run (1 hour).
    pub prune_every: Duration,
}

impl Default for ChangeConfig {
    fn default() -> Self {
        ChangeConfig {
            retention: Duration::from_secs(30 * 86_400),
            detect_every: Duration::from_secs(60),
            prune_every: Duration::from_secs(3600),
        }
    }
}

/// Removes events older than the retention; returns how many.
pub async fn prune(state: &AppState, retention: Duration) -> crate::error::ApiResult<usize> {
    let keep = chrono::TimeDelta::from_std(retention).unwrap_or(chrono::TimeDelta::MAX);
    let before = state.clock.now_utc().checked_sub_signed(keep).unwrap_or(chrono::NaiveDateTime::MIN);
    state.db(move |c| Ok(storage::events::prune(c, before)?)).await
}

/// Starts the change worker on the current runtime (the detector at once, then every `detect_every`; the prune
/// every `prune_every`). It runs until the runtime stops or the handle is aborted.
pub fn start_change_worker(state: AppState, config: ChangeConfig) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut detect = tokio::time::interval(config.detect_every);
        let mut pruning = tokio::time::interval(config.prune_every);
        detect.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        pruning.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = detect.tick() => {
                    match super::detect::detect(&state, state.clock.now_utc()).await {
                        Ok(n) if n > 0 => tracing::info!(events = n, "figure and warning changes emitted"),
                        Ok(_) => {}
                        Err(e) => tracing::error!(error = %e, "the change detector failed"),
                    }
                    if let Err(e) = crate::handling::escalation::escalate(&state, state.clock.now_utc()).await {
                        tracing::error!(error = %e, "the warning escalation failed");
                    }
                }
                _ = pruning.tick() => {
                    match prune(&state, config.retention).await {
                        Ok(n) if n > 0 => tracing::info!(events = n, "change feed events past retention removed"),
                        Ok(_) => {}
                        Err(e) => tracing::error!(error = %e, "the change feed prune failed"),
                    }
                    match state.db(storage::partitions::cover_ahead).await {
                        Ok(n) if n > 0 => tracing::info!(partitions = n, "monthly partitions of the version tables created"),
                        Ok(_) => {}
                        Err(e) => tracing::error!(error = %e, "the monthly partitions could not be created"),
                    }
                }
            }
        }
    })
}
