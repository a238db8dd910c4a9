//! `dualprev serve`: the API (and, as their issues land, the dashboard and scheduled jobs).

use crate::settings::Settings;
use actix_web::{App, HttpServer};
use anyhow::{Context, Result};
use storage::Db;

/// Serves until the process is stopped. Refuses to start without a JWT secret.
pub async fn run(settings: &Settings, db: Db, bind: &str) -> Result<()> {
    let auth = settings.auth()?;
    let puller = ingest::Puller::new(db.clone(), settings.pull.config())?;
    let state =
        api::AppState { thresholds: settings.warnings, ..api::AppState::with_calendar(db, settings.calendar()?) };
    let _jobs = crate::jobs::start(settings, puller, state.clone()).await?;
    let audit = state.audit.clone();
    let server = HttpServer::new(move || App::new().configure(api::configure(state.clone(), auth.clone())))
        .bind(bind)
        .with_context(|| format!("无法监听 / cannot listen on {bind}"))?;
    for addr in server.addrs() {
        tracing::info!(%addr, "serving; API documentation at http://{addr}/docs/");
    }
    let served = server.run().await.context("server failed");
    // The server has stopped (e.g. SIGTERM): store the audit rows still queued before the process ends.
    if let Err(e) = audit.flush().await {
        tracing::error!(error = %e, "audit rows queued at shutdown may be lost");
    }
    served
}
