//! Pull cycles shared by several workers on one database: each enterprise of a cycle is claimed by one worker at a
//! time (`storage::pull_claims`), the claim is renewed while the worker pulls, and the claims of a worker that died
//! are taken over when their time runs out. A worker's cycle ends when every enterprise of the cycle is done, by it or
//! by another worker.

use crate::pull::{CycleOutcome, CycleReport, Puller};
use futures_util::StreamExt;
use std::sync::Arc;
use std::time::{Duration, Instant};
use storage::{StorageError, pull_claims};

/// Who takes part in a shared cycle, and how long a claim holds without renewal.
#[derive(Debug, Clone)]
pub struct Shared {
    /// The cycle: its scheduled minute, the same on every worker (`2026-11-29T20:00Z`).
    pub cycle: String,
    /// This worker's id (unique per process).
    pub worker: String,
    /// How long a claim holds; it is renewed every third of it while the pull runs.
    pub lease: Duration,
}

impl Shared {
    /// The cycle name of a scheduled time: its minute in UTC.
    pub fn cycle_of(at: chrono::NaiveDateTime) -> String {
        at.format("%Y-%m-%dT%H:%MZ").to_string()
    }
}

fn lease_delta(lease: Duration) -> chrono::TimeDelta {
    chrono::TimeDelta::from_std(lease).unwrap_or(chrono::TimeDelta::seconds(60))
}

impl Puller {
    /// Runs this worker's part of a shared cycle: claims and pulls enterprises until every one of the cycle is done,
    /// taking over the claims of workers whose time ran out. Skips when this process already runs a cycle.
    pub async fn shared_cycle(self: &Arc<Self>, shared: &Shared) -> Result<CycleOutcome, StorageError> {
        let Ok(_running) = self.gate.try_lock() else {
            tracing::warn!("a pull cycle is already running; this one is skipped");
            return Ok(CycleOutcome::Skipped);
        };
        let started = Instant::now();
        let endpoints = self.blocking(|c| Ok(storage::pull_state::endpoints(c, None)?)).await?;
        let mut report = CycleReport::default();
        loop {
            let results: Vec<_> = futures_util::stream::iter(endpoints.clone())
                .map(|ep| {
                    let me = self.clone();
                    async move { me.claimed(ep, shared).await }
                })
                .buffer_unordered(self.cfg.concurrency.max(1))
                .collect()
                .await;
            for result in results {
                match result? {
                    None => {}
                    Some((code, Ok(c))) => {
                        report.enterprises += 1;
                        report.succeeded += 1;
                        report.counts += c;
                        report.pulled.push(code);
                    }
                    Some((code, Err(e))) => {
                        report.enterprises += 1;
                        report.failed.push((code, e));
                    }
                }
            }
            let cycle = shared.cycle.clone();
            let claims = self.blocking(move |c| pull_claims::of_cycle(c, &cycle)).await?;
            let open: Vec<_> = endpoints
                .iter()
                .filter(|ep| !claims.iter().any(|c| c.company_code == ep.company_code && c.done_at.is_some()))
                .collect();
            if open.is_empty() {
                break;
            }
            // Others hold the rest: wait for them to finish, or for their time to run out.
            let now = self.clock.now_utc();
            let next = claims.iter().filter(|c| c.done_at.is_none()).map(|c| c.claimed_until).min();
            let wait = next.and_then(|t| (t - now).to_std().ok()).unwrap_or_default().min(shared.lease);
            tracing::debug!(open = open.len(), wait_ms = wait.as_millis() as u64, "waiting for other workers' claims");
            tokio::time::sleep(wait + Duration::from_millis(200)).await;
        }
        report.failed.sort();
        report.pulled.sort();
        report.duration = started.elapsed();
        tracing::info!(
            cycle = %shared.cycle,
            worker = %shared.worker,
            enterprises = report.enterprises,
            failed = report.failed.len(),
            accepted = report.counts.accepted,
            ms = report.duration.as_millis() as u64,
            "shared pull cycle done"
        );
        Ok(CycleOutcome::Ran(report))
    }

    /// Pulls one enterprise if this worker can claim it now; None when another worker holds it or it is done.
    async fn claimed(
        self: Arc<Self>,
        ep: storage::pull_state::Endpoint,
        shared: &Shared,
    ) -> Result<Option<(String, Result<crate::pull::Counts, String>)>, StorageError> {
        let (cycle, code, worker) = (shared.cycle.clone(), ep.company_code.clone(), shared.worker.clone());
        let company = match domain::CompanyCode::parse(&code) {
            Ok(company) => company,
            Err(e) => return Ok(Some((code, Err(e.to_string())))),
        };
        let lease = lease_delta(shared.lease);
        let (cy, co, wo) = (cycle.clone(), company.clone(), worker.clone());
        let now = self.clock.now_utc();
        let got = self.blocking(move |c| pull_claims::claim(c, &cy, &co, &wo, now, now + lease)).await?;
        if !got {
            return Ok(None);
        }
        let renewer = {
            let (me, cy, co, wo, every) =
                (self.clone(), cycle.clone(), company.clone(), worker.clone(), shared.lease / 3);
            tokio::spawn(async move {
                loop {
                    tokio::time::sleep(every).await;
                    let (c2, o2, w2) = (cy.clone(), co.clone(), wo.clone());
                    let until = me.clock.now_utc() + lease;
                    match me.blocking(move |c| pull_claims::renew(c, &c2, &o2, &w2, until)).await {
                        Ok(true) => {}
                        Ok(false) => tracing::warn!(company = %co, "claim lost to another worker"),
                        Err(e) => tracing::warn!(company = %co, error = %e, "cannot renew the claim"),
                    }
                }
            })
        };
        let result = self.enterprise(ep).await;
        renewer.abort();
        let (cy, co, wo) = (cycle, company, worker);
        let done = self.clock.now_utc();
        let kept = self.blocking(move |c| pull_claims::finish(c, &cy, &co, &wo, done)).await?;
        if !kept {
            tracing::warn!(company = %code, "the claim was taken over before this pull ended");
        }
        Ok(Some((code, result)))
    }

    /// Runs a storage call on the blocking pool.
    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut storage::DbConnection) -> storage::Result<T> + Send + 'static,
    ) -> Result<T, StorageError> {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || db.with(f)).await.map_err(|e| StorageError::Pool(e.to_string()))?
    }
}
