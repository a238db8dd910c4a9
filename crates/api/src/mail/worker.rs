//! The mail worker: a [`digest_pass`] every [`MailConfig::poll`](super::MailConfig::poll) on the state's clock.

use super::{MailConfig, Mailer, digest_pass};
use crate::AppState;
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

/// Starts the mail worker on the current runtime; it runs until the runtime stops (abort the handle to stop it
/// earlier). `dualprev serve` starts it when `[mail] host` is set. A configuration that cannot make a transport (a
/// bad sender address or certificate) is logged and the worker ends.
pub fn start_mail_worker(state: AppState, config: MailConfig) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mailer = match Mailer::new(config) {
            Ok(m) => m,
            Err(e) => {
                tracing::error!(error = %e, "the mail worker cannot start: no e-mail digests are sent");
                return;
            }
        };
        tracing::info!(
            host = %mailer.config.host,
            port = mailer.config.port,
            every_secs = mailer.config.every.num_seconds(),
            "e-mail digests on"
        );
        let mut tick = tokio::time::interval(mailer.config.poll.max(std::time::Duration::from_secs(1)));
        tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match digest_pass(&state, &mailer, state.clock.now_utc()).await {
                Ok(0) => {}
                Ok(sent) => tracing::info!(sent, "e-mail digests sent"),
                Err(e) => tracing::error!(error = %e, "the e-mail digest pass failed"),
            }
        }
    })
}
