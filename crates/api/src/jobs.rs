//! Jobs the schedule runs (and tests call directly). Each finds its own work and does nothing when there is none;
//! a job never runs twice for the same key, even across processes (`job_runs`).

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::figures::known_in_background;
use chrono::NaiveDateTime;
use domain::Period;
use report::shape::{evaluation_rows, to_stored};
use storage::events::NewEvent;
use storage::{evaluations, job_runs};

/// The name of the weekly evaluation job.
pub const WEEKLY_EVALUATION: &str = "weekly_evaluation";

/// The last ISO week that has ended at `now` (local time).
pub fn last_complete_week(now: NaiveDateTime) -> Period {
    Period::week_of(domain::time::local_date(now)).previous()
}

/// Evaluates and freezes the last complete week, unless it is already stored. Returns how many enterprises were
/// evaluated, or `None` when there was nothing to do. Run at Monday 01:00 and once at start (catch-up).
pub async fn weekly_evaluation(state: &AppState, now: NaiveDateTime) -> ApiResult<Option<usize>> {
    timed(state, WEEKLY_EVALUATION, weekly_evaluation_run(state, now)).await
}

/// Counts a job's run and its duration in the telemetry (`dualprev_job_duration_seconds`).
async fn timed<T>(state: &AppState, name: &str, run: impl Future<Output = ApiResult<T>>) -> ApiResult<T> {
    let started = std::time::Instant::now();
    let result = run.await;
    state.telemetry.job(name, result.is_ok(), started.elapsed().as_secs_f64());
    result
}

async fn weekly_evaluation_run(state: &AppState, now: NaiveDateTime) -> ApiResult<Option<usize>> {
    let week = last_complete_week(now);
    let label = week.label();
    let key = label.clone();
    let claimed = state
        .db(move |c| {
            if evaluations::latest_revision(c, &key)?.is_some() {
                return Ok(false);
            }
            job_runs::claim_run(c, WEEKLY_EVALUATION, &key, now)
        })
        .await?;
    if !claimed {
        return Ok(None);
    }
    let result = freeze_week(state, week).await;
    settle(state, WEEKLY_EVALUATION, &label, result.as_ref().ok().map(|n| format!("{n} enterprises"))).await?;
    let n = result?;
    tracing::info!(week = %label, enterprises = n, "weekly evaluation frozen");
    let data = serde_json::json!({"week": label, "enterprises": n});
    let at = state.clock.now_utc();
    crate::changes::emit(state, vec![NewEvent::new("evaluation.published", None, None, &data, at)]).await;
    Ok(Some(n))
}

async fn freeze_week(state: &AppState, week: Period) -> ApiResult<usize> {
    let known = known_in_background(state, week.bounds_utc().0).await?;
    let label = week.label();
    let rows = to_stored(&label, known.as_of, &evaluation_rows(&known, week))
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let n = rows.len();
    let as_of = known.as_of;
    state.db(move |c| evaluations::freeze(c, &label, as_of, &rows)).await?;
    Ok(n)
}

/// Records how a claimed run ended: finished with its outcome, or (`None`) released after a failure, so that the next
/// attempt runs it again.
async fn settle(state: &AppState, job: &'static str, key: &str, outcome: Option<String>) -> ApiResult<()> {
    let (key, done) = (key.to_owned(), state.clock.now_utc());
    state
        .db(move |c| match outcome {
            Some(text) => job_runs::finish_run(c, job, &key, done, &text),
            None => job_runs::release_run(c, job, &key),
        })
        .await
}

/// The name of the monthly report job.
pub const MONTHLY_REPORT: &str = "monthly_report";

/// Freezes the report of the latest month that is due at `now` (its 20th 08:00 Asia/Shanghai has come) for the
/// province and every city, unless stored. Returns the ids stored, or `None` when there was nothing to do. Run on the
/// 20th at 08:00 and once at start (catch-up after downtime).
pub async fn monthly_report(state: &AppState, now: NaiveDateTime) -> ApiResult<Option<Vec<String>>> {
    timed(state, MONTHLY_REPORT, monthly_report_run(state, now)).await
}

async fn monthly_report_run(state: &AppState, now: NaiveDateTime) -> ApiResult<Option<Vec<String>>> {
    use report::monthly::freeze::{freeze_month, last_due};
    let month = last_due(now);
    let label = report::monthly::month_label(month);
    let key = label.clone();
    let claimed = state
        .db(move |c| {
            if report::monthly::freeze::missing(c, month)?.is_empty() {
                return Ok(false);
            }
            job_runs::claim_run(c, MONTHLY_REPORT, &key, now)
        })
        .await?;
    if !claimed {
        return Ok(None);
    }
    let figures = state.figures.clone();
    crate::figures::background(state).await?;
    let result = state.run(move |c| Ok(freeze_month(c, &*figures, month, now, "job")?)).await;
    settle(state, MONTHLY_REPORT, &label, result.as_ref().ok().map(|ids| format!("{} reports", ids.len()))).await?;
    let ids = result?;
    tracing::info!(month = %label, reports = ids.len(), "monthly reports frozen");
    let at = state.clock.now_utc();
    crate::changes::emit(state, ids.iter().map(|id| report_event("report.frozen", id, at)).collect()).await;
    let row = storage::audit::NewAuditRow {
        at: state.clock.now_utc(),
        actor: "job".into(),
        role: None,
        scope: None,
        method: "JOB".into(),
        route: MONTHLY_REPORT.into(),
        path: label.clone(),
        query: String::new(),
        status: 200,
        outcome: "ok".into(),
        detail: Some(serde_json::json!({ "month": label, "reportIds": ids }).to_string()),
        client: None,
    };
    if let Err(e) = state.audit.record(row).await {
        tracing::error!(error = %e, "the report generation could not be audited");
    }
    Ok(Some(ids))
}

/// The change feed's event of a stored report (`{month}.{scope}.r{revision}`): a city report carries its city.
pub fn report_event(kind: &str, id: &str, at: NaiveDateTime) -> NewEvent {
    let mut parts = id.split('.');
    let (month, scope, revision) = (parts.next(), parts.next(), parts.next());
    let revision = revision.and_then(|r| r.strip_prefix('r')).and_then(|r| r.parse::<i32>().ok());
    let city = scope.filter(|s| *s != "province");
    let data = serde_json::json!({"reportId": id, "month": month, "scope": scope, "revision": revision});
    NewEvent::new(kind, city, None, &data, at)
}
