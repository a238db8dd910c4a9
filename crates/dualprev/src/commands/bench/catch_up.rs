//! Issue 23's start with its catch-up jobs: `dualprev serve` started as a child on the figures bench's database with
//! the weekly and monthly jobs on (pulls off), timed from its spawn to the first `/api/v1/metrics` by city, and until
//! the week and the month's reports it owed are stored. The jobs store them, so a database measured again owes
//! nothing: the line says what was owed.

use anyhow::{Result, bail};
use std::time::{Duration, Instant};

/// What a start owes at `now`: whether last week's evaluation is missing, and how many of the last due month's
/// reports are.
fn owed(db: &storage::Db, now: chrono::NaiveDateTime) -> Result<(bool, usize)> {
    let week = api::jobs::last_complete_week(now).label();
    let month = report::monthly::freeze::last_due(now);
    Ok(db.with(|c| {
        let week = storage::evaluations::latest_revision(c, &week)?.is_none();
        Ok((week, report::monthly::freeze::missing(c, month)?.len()))
    })?)
}

/// Runs the measurement on `database` for the month `month` (e.g. `2026-12`) and prints it beside its goal.
pub fn run(database: &str, month: &str, clock: &domain::Clock) -> Result<()> {
    let db = storage::Db::open(database)?;
    let now = clock.now_utc();
    let (week, reports) = owed(&db, now)?;
    let what = match (week, reports) {
        (false, 0) => "nothing owed (measured before on this database)".to_owned(),
        _ => format!(
            "owed: week {} {}, {reports} reports of {}",
            api::jobs::last_complete_week(now).label(),
            if week { "evaluation" } else { "(stored)" },
            report::monthly::month_label(report::monthly::freeze::last_due(now)),
        ),
    };
    let started = Instant::now();
    let (server, port) = super::api::spawn(database, clock, true)?;
    let token = api::AuthConfig::new(super::api::SECRET.as_bytes(), "dualprev", "dualprev", 30)?
        .with_clock(clock.clone())
        .issue(api::Role::Province, None, None, chrono::TimeDelta::hours(1))?;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let base = format!("http://127.0.0.1:{port}");
    let first = rt.block_on(async {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(600)).build()?;
        super::api::wait_ready(&http, &base).await?;
        let url = format!("{base}/api/v1/metrics?period={month}&by=city");
        http.get(&url).bearer_auth(&token).send().await?.error_for_status()?.bytes().await?;
        anyhow::Ok(started.elapsed().as_secs_f64())
    })?;
    let done = loop {
        if owed(&db, now)? == (false, 0) {
            break started.elapsed().as_secs_f64();
        }
        if started.elapsed() > Duration::from_secs(300) {
            bail!("the catch-up jobs did not finish within 300 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let peak = super::api::peak_mb(server.0.id());
    super::figure(
        "serve start with its catch-up jobs → first figure (s)",
        first,
        "s",
        &format!("goal ≤ 2, from spawn; {what}; jobs done +{done:.2} s; peak resident {peak:.0} MB (goal ≤ 500)"),
    );
    Ok(())
}
