//! `dualprev serve`: the API (and, as their issues land, the dashboard and scheduled jobs).

use crate::settings::Settings;
use actix_web::{App, HttpServer};
use anyhow::{Context, Result};
use storage::Db;

/// How often the revoked token ids are reloaded from the database.
const REVOKED_REFRESH: std::time::Duration = std::time::Duration::from_secs(30);

/// Refuses a pinned clock (`DUALPREV_NOW`) unless this is a test instance, and logs it when it is: a production
/// server that believed it was another day would freeze reports and weeks at the wrong moment.
pub fn check_clock(settings: &Settings, test_instance: bool) -> Result<()> {
    if !settings.clock.is_pinned() {
        return Ok(());
    }
    if !test_instance {
        anyhow::bail!(
            "[pinned_clock] 设置了 DUALPREV_NOW，但这不是测试实例（--test-instance）；生产服务只使用系统时钟 / \
             DUALPREV_NOW is set but this is not a test instance (--test-instance); production serves by the system clock"
        );
    }
    tracing::warn!(clock = ?settings.clock, "测试实例：时钟已固定 / test instance: the clock is pinned by DUALPREV_NOW");
    Ok(())
}

/// Serves until the process is stopped, with the scheduled pulls and jobs unless `role` is `api`. Refuses to start
/// without a JWT secret.
pub async fn run(settings: &Settings, db: Db, bind: &str, role: crate::cli::ProcessRole) -> Result<()> {
    let auth = settings.auth()?;
    let clock = settings.clock.clone();
    let puller = ingest::Puller::new(db.clone(), settings.pull.config(), clock.clone())?;
    let state = api::AppState::with_calendar(db, settings.calendar()?, clock).with_thresholds(settings.warnings);
    let mut state = settings.session.apply(settings.limits.apply(state));
    state.handling = settings.handling.limits()?;
    let limits = &settings.limits;
    let _jobs = match role.schedules() {
        true => Some(crate::jobs::start(settings, puller, state.clone()).await?),
        false => None,
    };
    // The change detector, the retention prune and the webhook deliveries (docs/integration.md) are a worker's.
    let _changes =
        role.schedules().then(|| api::changes::start_change_worker(state.clone(), settings.changes.change_config()));
    let _deliveries = role
        .schedules()
        .then(|| api::webhooks::start_delivery_worker(state.clone(), settings.changes.webhook_config()));
    // E-mail digests (issue 21) are a worker's too, and only when `[mail] host` is set.
    let _mail = match (role.schedules(), settings.mail.config()?) {
        (true, Some(config)) => Some(api::mail::start_mail_worker(state.clone(), config)),
        _ => None,
    };
    tracing::info!(?role, "role");
    let revoked = auth.revoked.reload(&state).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    tracing::info!(revoked, kids = ?auth.keys().kids(), "token keys and revocations loaded");
    actix_web::rt::spawn(auth.revoked.clone().keep_fresh(state.clone(), REVOKED_REFRESH));
    let audit = state.audit.clone();
    let server = HttpServer::new(move || App::new().configure(api::configure(state.clone(), auth.clone())))
        .client_request_timeout(limits.request_timeout())
        .client_disconnect_timeout(limits.disconnect_timeout())
        .keep_alive(limits.keep_alive())
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
