//! The delivery worker: queues a delivery for each new event a subscription may receive, then sends each
//! subscription's deliveries in cursor order on a task of its own, so that a slow or dead receiver delays only its
//! own subscription, never a request handler, ingestion or another subscription.

use super::{WebhookConfig, signature_header};
use crate::AppState;
use crate::auth::Role;
use crate::changes::{Event, scope_of};
use chrono::{NaiveDateTime, TimeDelta};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use storage::leader::Leadership;
use storage::webhooks::{self, DeliveryRow, Retry, WebhookRow};
use tokio::task::JoinHandle;

/// The most deliveries queued for one subscription in one round.
const ENQUEUE_BATCH: i64 = 1000;

/// The name of the leadership (`storage::leader`) of the webhook deliveries.
const LEADERSHIP: &str = "webhook_deliveries";

/// How long a leadership check may take before this process takes itself for no longer leading.
const CHECK_WITHIN: std::time::Duration = std::time::Duration::from_secs(5);

/// Starts the delivery worker on the current runtime; it runs until the runtime stops (abort the handle to stop it
/// earlier). `dualprev serve` starts it; tests start it with a short [`WebhookConfig`].
pub fn start_delivery_worker(state: AppState, config: WebhookConfig) -> JoinHandle<()> {
    tokio::spawn(run(state, config))
}

async fn run(state: AppState, config: WebhookConfig) {
    let client = match reqwest::Client::builder().timeout(config.timeout).connect_timeout(config.timeout).build() {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "the webhook worker cannot build its HTTP client");
            return;
        }
    };
    // One process of those sharing the database delivers (otherwise each delivery would go out once per process).
    // Its lock goes with its connection (ended by an operator, a failover, a server restart) while the process lives
    // on, and another process may then take over: the deliverer checks before its rounds that it still leads, and
    // once it does not it stops delivering and asks again like the others.
    loop {
        let held = lead(&state, &config).await;
        tracing::info!("this process delivers the webhooks");
        deliver(&state, &client, config, held).await;
        tracing::warn!(
            retry_secs = config.leader_retry.as_secs_f64(),
            "this process stopped delivering the webhooks: it lost its leadership, and asks for it again"
        );
    }
}

/// Waits until this process leads the webhook deliveries, asking every `leader_retry`.
async fn lead(state: &AppState, config: &WebhookConfig) -> Leadership {
    loop {
        let db = state.db.clone();
        match tokio::task::spawn_blocking(move || storage::leader::try_lead(&db, LEADERSHIP)).await {
            Ok(Ok(Some(held))) => return held,
            Ok(Ok(None)) => {}
            Ok(Err(e)) => tracing::error!(error = %e, "the webhook worker cannot ask for leadership"),
            Err(e) => tracing::error!(error = %e, "the webhook worker's leadership task failed"),
        }
        tokio::time::sleep(config.leader_retry).await;
    }
}

/// `held` after checking that it still holds, or `None` (and it is dropped) once it does not or cannot be checked
/// within [`CHECK_WITHIN`].
async fn still_leads(mut held: Leadership) -> Option<Leadership> {
    let check = tokio::task::spawn_blocking(move || {
        let leads = held.still_leads();
        (held, leads)
    });
    match tokio::time::timeout(CHECK_WITHIN, check).await {
        Ok(Ok((held, Ok(true)))) => return Some(held),
        Ok(Ok((_, Ok(false)))) => tracing::warn!("the webhook leadership lock is no longer held"),
        Ok(Ok((_, Err(e)))) => {
            tracing::warn!(error = %e, "the webhook leadership cannot be confirmed (its connection ended?)");
        }
        Ok(Err(e)) => tracing::error!(error = %e, "the webhook worker's leadership check failed"),
        // The connection may hang on a server that is gone (a failover) while the pool reaches the new one.
        Err(_) => tracing::warn!(within = ?CHECK_WITHIN, "the webhook leadership check did not answer"),
    }
    None
}

/// Queues and sends deliveries while `held` holds; returns once it is lost, after the subscriptions' tasks ended
/// (each finishes the delivery it is sending, if any, and sends no other).
async fn deliver(state: &AppState, client: &reqwest::Client, config: WebhookConfig, mut held: Leadership) {
    let leading = Arc::new(AtomicBool::new(true));
    let mut checked = tokio::time::Instant::now();
    let mut running: HashMap<i64, JoinHandle<()>> = HashMap::new();
    let mut woken = state.changes.subscribe();
    loop {
        if checked.elapsed() >= config.leader_check {
            held = match still_leads(held).await {
                Some(held) => held,
                None => break,
            };
            checked = tokio::time::Instant::now();
        }
        woken.borrow_and_update();
        match round(state).await {
            Ok(active) => {
                running.retain(|_, task| !task.is_finished());
                for hook in active {
                    if let std::collections::hash_map::Entry::Vacant(slot) = running.entry(hook.id) {
                        let task = drain(state.clone(), client.clone(), config, hook.id, leading.clone());
                        slot.insert(tokio::spawn(task));
                    }
                }
            }
            Err(e) => tracing::error!(error = %e, "webhook deliveries could not be queued"),
        }
        let _ = tokio::time::timeout(config.poll, woken.changed()).await;
    }
    leading.store(false, Ordering::SeqCst);
    for task in running.into_values() {
        let _ = task.await;
    }
}

/// Queues the new events of every subscription; returns the active ones.
async fn round(state: &AppState) -> crate::error::ApiResult<Vec<WebhookRow>> {
    let now = state.clock.now_utc();
    state
        .db(move |c| {
            let hooks = webhooks::list(c, None)?;
            let last = storage::events::last_seq(c)?;
            // Only subscriptions behind the log take the write transaction of `enqueue`.
            for h in hooks.iter().filter(|h| h.sub.cursor < last) {
                webhooks::enqueue(c, h.id, &scope_of(owner_role(&h.sub.owner_role), None, None), now, ENQUEUE_BATCH)?;
            }
            Ok(hooks.into_iter().filter(|h| h.sub.state == "active").collect())
        })
        .await
}

/// The role whose scope a subscription receives.
pub fn owner_role(s: &str) -> Role {
    if s == "province" { Role::Province } else { Role::Service }
}

/// Sends a subscription's due deliveries in cursor order until one is not due, fails, none is left, or this process
/// no longer leads (`leading` turned false).
async fn drain(state: AppState, client: reqwest::Client, config: WebhookConfig, id: i64, leading: Arc<AtomicBool>) {
    loop {
        let next = state
            .db(move |c| {
                let Some(hook) = webhooks::get(c, id)? else { return Ok(None) };
                if hook.sub.state != "active" {
                    return Ok(None);
                }
                let Some(d) = webhooks::head(c, id)? else { return Ok(None) };
                let event = storage::events::get(c, d.seq)?;
                Ok(Some((hook, d, event)))
            })
            .await;
        let (hook, d, event) = match next {
            Ok(Some(n)) => n,
            Ok(None) => return,
            Err(e) => {
                tracing::error!(error = %e, webhook = id, "webhook delivery could not be read");
                return;
            }
        };
        let now = state.clock.now_utc();
        // Nothing more goes out once the worker found that this process no longer leads.
        if d.next_attempt_at > now || !leading.load(Ordering::SeqCst) {
            return;
        }
        // An event already removed by retention cannot be sent: the delivery fails at once, without retries.
        let gone = event.is_none();
        let outcome = match event {
            Some(e) => send(&client, &hook, &d, Event::from(e), state.clock.unix_seconds()).await,
            None => Err((None, "事件已过保留期 / the event is older than retention".to_owned())),
        };
        let done = state.clock.now_utc();
        let (status, error) = match outcome {
            Ok(status) => {
                let stored = state.db(move |c| Ok(webhooks::delivered(c, &d, status, done)?)).await;
                if let Err(e) = stored {
                    tracing::error!(error = %e, webhook = id, "a webhook delivery could not be recorded");
                    return;
                }
                continue;
            }
            Err(failure) => failure,
        };
        tracing::warn!(webhook = id, delivery = d.id, ?status, %error, "webhook delivery failed");
        let next = if gone { None } else { next_attempt(&config, &d, done) };
        let retry = Retry { next, pause_after: config.pause_after };
        match state.db(move |c| Ok(webhooks::attempt_failed(c, &d, status, &error, retry, done)?)).await {
            Ok(true) => tracing::warn!(webhook = id, "webhook paused after repeated failure"),
            Ok(false) => {}
            Err(e) => tracing::error!(error = %e, webhook = id, "a failed webhook attempt could not be recorded"),
        }
        // The next attempt (this delivery's retry, or the next delivery) waits for the worker's next round.
        return;
    }
}

/// When a failed delivery is tried again, or `None` once its 24 h (the configured `retry_for`) are over.
fn next_attempt(config: &WebhookConfig, d: &DeliveryRow, now: NaiveDateTime) -> Option<NaiveDateTime> {
    let first = d.first_attempt_at.unwrap_or(now);
    let pause = TimeDelta::from_std(config.backoff(d.attempts + 1)).ok()?;
    let end = first + TimeDelta::from_std(config.retry_for).ok()?;
    let next = now + pause;
    (next <= end).then_some(next)
}

/// POSTs one event signed at `t` (Unix seconds); the status on a 2xx, otherwise the status (if any) and what went wrong.
async fn send(
    client: &reqwest::Client,
    hook: &WebhookRow,
    d: &DeliveryRow,
    event: Event,
    t: i64,
) -> Result<i32, (Option<i32>, String)> {
    let body = serde_json::to_vec(&event).map_err(|e| (None, e.to_string()))?;
    let res = client
        .post(&hook.sub.url)
        .header("Content-Type", "application/json")
        .header(super::SIGNATURE_HEADER, signature_header(hook.sub.secret.as_bytes(), t, &body))
        .header("X-Dualprev-Event", &event.kind)
        .header("X-Dualprev-Delivery", d.id.to_string())
        .body(body)
        .send()
        .await
        .map_err(|e| (None, format!("{e}")))?;
    let status = i32::from(res.status().as_u16());
    if res.status().is_success() { Ok(status) } else { Err((Some(status), format!("HTTP {status}"))) }
}
