//! The escalation job (`docs/warnings.md`): run by the change worker after every detector pass. Each (case, reason)
//! escalates once across every worker on the database (`storage::handling::escalate`).

use crate::AppState;
use crate::error::ApiResult;
use chrono::NaiveDateTime;

/// The job's name in the telemetry (`dualprev_job_duration_seconds{job="warning_escalation"}`).
pub const WARNING_ESCALATION: &str = "warning_escalation";

/// Escalates what is due at `now`; returns how many escalations this call wrote.
pub async fn escalate(state: &AppState, now: NaiveDateTime) -> ApiResult<usize> {
    let started = std::time::Instant::now();
    let result = state.db(move |c| storage::handling::escalate::run(c, now)).await;
    state.telemetry.job(WARNING_ESCALATION, result.is_ok(), started.elapsed().as_secs_f64());
    let written = result?;
    if !written.is_empty() {
        state.changes.bump();
        tracing::info!(escalations = written.len(), "warnings escalated");
    }
    Ok(written.len())
}
