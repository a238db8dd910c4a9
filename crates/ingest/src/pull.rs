//! Pull cycles: every enterprise with an endpoint, every table in parent order, page by page from the committed
//! watermark. One enterprise's failure never stops or delays the others; cycles never overlap.

use crate::fetch::{self, FetchError, Request};
use crate::push::{IncomingBatch, Source, process_values};
use chrono::NaiveDateTime;
use domain::{CompanyCode, ExchangeTable};
use futures_util::StreamExt;
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};
use storage::pull_state::{self, Endpoint, PullStatus};
use storage::{Db, StorageError};

/// How pulls behave.
#[derive(Debug, Clone)]
pub struct PullConfig {
    /// Timeout of one request, body included.
    pub timeout: Duration,
    /// Records asked for per page (at most 500).
    pub page_size: usize,
    /// Enterprises pulled at the same time.
    pub concurrency: usize,
    /// Attempts per page before the enterprise is given up for this cycle.
    pub attempts: u32,
    /// The first retry delay; later ones double, plus jitter.
    pub backoff: Duration,
}

impl Default for PullConfig {
    fn default() -> Self {
        PullConfig {
            timeout: Duration::from_secs(30),
            page_size: 500,
            concurrency: 8,
            attempts: 3,
            backoff: Duration::from_secs(1),
        }
    }
}

/// Counts of one enterprise's pull, or of a cycle.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Records received.
    pub received: usize,
    /// New versions stored.
    pub accepted: usize,
    /// Identical to the stored version.
    pub unchanged: usize,
    /// Held for their parent.
    pub pending: usize,
    /// Rejected.
    pub rejected: usize,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.received += o.received;
        self.accepted += o.accepted;
        self.unchanged += o.unchanged;
        self.pending += o.pending;
        self.rejected += o.rejected;
    }
}

/// What a cycle did.
#[derive(Debug, Clone, Default)]
pub struct CycleReport {
    /// Enterprises attempted.
    pub enterprises: usize,
    /// Enterprises whose every table was pulled.
    pub succeeded: usize,
    /// Enterprises that failed, with the error.
    pub failed: Vec<(String, String)>,
    /// Enterprises whose every table was pulled, by code.
    pub pulled: Vec<String>,
    /// Records by outcome.
    pub counts: Counts,
    /// How long the cycle took.
    pub duration: Duration,
}

impl CycleReport {
    /// One line for people, Chinese and English.
    pub fn summary(&self) -> String {
        let c = self.counts;
        let secs = self.duration.as_secs_f64();
        let rate = c.received as f64 / secs.max(0.001);
        let (n, ok, failed) = (self.enterprises, self.succeeded, self.failed.len());
        let (received, accepted, unchanged, pending, rejected) =
            (c.received, c.accepted, c.unchanged, c.pending, c.rejected);
        format!(
            "拉取 {n} 家：成功 {ok}，失败 {failed}；记录 {received}：新增 {accepted}，未变 {unchanged}，暂存 {pending}，\
             拒绝 {rejected}；用时 {secs:.1} 秒，{rate:.0} 条/秒 / pulled {n} enterprises: {ok} ok, {failed} failed; \
             {received} records: {accepted} accepted, {unchanged} unchanged, {pending} pending, {rejected} rejected; \
             {secs:.1} s, {rate:.0} records/s"
        )
    }
}

/// A cycle either ran or was skipped because another was running.
#[derive(Debug, Clone)]
pub enum CycleOutcome {
    /// The cycle ran.
    Ran(CycleReport),
    /// Another cycle was running; this one did nothing.
    Skipped,
}

/// Pulls enterprises; one per process, shared by the schedule and the `pull` command.
#[derive(Debug)]
pub struct Puller {
    pub(crate) db: Db,
    http: reqwest::Client,
    pub(crate) cfg: PullConfig,
    /// Where "now" comes from (received and attempt times).
    pub(crate) clock: domain::Clock,
    /// Held while a cycle runs: one cycle at a time per process.
    pub(crate) gate: tokio::sync::Mutex<()>,
}

/// Why an enterprise's pull stopped.
#[derive(Debug, thiserror::Error)]
enum Stop {
    #[error("{table}: {error}")]
    Fetch { table: ExchangeTable, error: FetchError },
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("内部错误 / internal: {0}")]
    Join(String),
}

impl Puller {
    /// A puller over a database.
    pub fn new(db: Db, cfg: PullConfig, clock: domain::Clock) -> Result<Arc<Puller>, reqwest::Error> {
        let http = reqwest::Client::builder()
            .timeout(cfg.timeout)
            .connect_timeout(cfg.timeout.min(Duration::from_secs(10)))
            .build()?;
        Ok(Arc::new(Puller { db, http, cfg, clock, gate: tokio::sync::Mutex::new(()) }))
    }

    /// One cycle over every enterprise with an endpoint (or only `company`). Skips when a cycle is running.
    pub async fn cycle(self: &Arc<Self>, company: Option<&str>) -> Result<CycleOutcome, StorageError> {
        let Ok(_running) = self.gate.try_lock() else {
            tracing::warn!("a pull cycle is already running; this one is skipped");
            return Ok(CycleOutcome::Skipped);
        };
        let started = Instant::now();
        let db = self.db.clone();
        // A malformed code names no enterprise: the cycle pulls nothing, as a lookup of it would find nothing.
        let only = company.map(CompanyCode::parse);
        let endpoints = match only {
            Some(Err(_)) => Vec::new(),
            only => tokio::task::spawn_blocking(move || {
                db.with(|c| Ok(pull_state::endpoints(c, only.and_then(Result::ok).as_ref())?))
            })
            .await
            .map_err(|e| StorageError::Pool(e.to_string()))??,
        };
        let mut report = CycleReport { enterprises: endpoints.len(), ..CycleReport::default() };
        let results: Vec<(String, Result<Counts, String>)> = futures_util::stream::iter(endpoints)
            .map(|ep| {
                let me = self.clone();
                async move {
                    let code = ep.company_code.clone();
                    let result = me.enterprise(ep).await;
                    (code, result)
                }
            })
            .buffer_unordered(self.cfg.concurrency.max(1))
            .collect()
            .await;
        for (code, result) in results {
            match result {
                Ok(c) => {
                    report.succeeded += 1;
                    report.counts += c;
                    report.pulled.push(code);
                }
                Err(e) => report.failed.push((code, e)),
            }
        }
        report.failed.sort();
        report.pulled.sort();
        report.duration = started.elapsed();
        tracing::info!(
            enterprises = report.enterprises,
            succeeded = report.succeeded,
            failed = report.failed.len(),
            received = report.counts.received,
            accepted = report.counts.accepted,
            ms = report.duration.as_millis() as u64,
            "pull cycle done"
        );
        Ok(CycleOutcome::Ran(report))
    }

    /// Pulls one enterprise and records the outcome; the error text when it failed.
    pub(crate) async fn enterprise(&self, ep: Endpoint) -> Result<Counts, String> {
        let attempt_at = self.clock.now_utc();
        let code = match CompanyCode::parse(&ep.company_code) {
            Ok(code) => code,
            Err(e) => {
                tracing::warn!(company = %ep.company_code, error = %e, "pull failed");
                return Err(e.to_string());
            }
        };
        let mut counts = Counts::default();
        let result = self.tables(&ep, &code, &mut counts).await;
        let db = self.db.clone();
        let error = result.as_ref().err().map(ToString::to_string);
        if let Some(e) = &error {
            tracing::warn!(company = %code, error = %e, "pull failed");
        }
        let err2 = error.clone();
        let recorded = tokio::task::spawn_blocking(move || {
            db.with(|c| {
                let before = pull_state::get(c, &code)?;
                let n = |x: usize| i32::try_from(x).unwrap_or(i32::MAX);
                let status = PullStatus {
                    company_code: code.to_string(),
                    last_attempt_at: attempt_at,
                    last_success_at: if err2.is_none() {
                        Some(attempt_at)
                    } else {
                        before.as_ref().and_then(|b| b.last_success_at)
                    },
                    last_error: err2.clone(),
                    consecutive_failures: if err2.is_none() {
                        0
                    } else {
                        before.map_or(0, |b| b.consecutive_failures) + 1
                    },
                    last_received: n(counts.received),
                    last_accepted: n(counts.accepted),
                    last_unchanged: n(counts.unchanged),
                    last_pending: n(counts.pending),
                    last_rejected: n(counts.rejected),
                };
                Ok(pull_state::record(c, &status)?)
            })
        })
        .await;
        if let Ok(Err(e)) | Err(e) = recorded.map_err(|e| StorageError::Pool(e.to_string())) {
            tracing::error!(error = %e, "cannot record the pull outcome");
        }
        match error {
            None => Ok(counts),
            Some(e) => Err(e),
        }
    }

    /// Pulls every table of one enterprise in parent order, page by page, advancing each watermark after commit.
    async fn tables(&self, ep: &Endpoint, company: &CompanyCode, counts: &mut Counts) -> Result<(), Stop> {
        let db = self.db.clone();
        let code = company.clone();
        let marks = tokio::task::spawn_blocking(move || db.with(|c| Ok(pull_state::watermarks(c, &code)?)))
            .await
            .map_err(|e| Stop::Join(e.to_string()))??;
        let key = ep.aes_key.as_deref().and_then(exchange::key_bytes);
        let iv = ep.aes_iv.as_deref().and_then(exchange::key_bytes).or(key);
        let key = key.zip(iv);
        let cipher = domain::client::Cipher::parse(&ep.cipher).map_err(StorageError::from)?;
        let mut served = 0;
        for table in ExchangeTable::ALL {
            let mut cursor: Option<String> = None;
            served += 1;
            loop {
                let req = Request {
                    base_url: &ep.base_url,
                    table,
                    since: marks.get(table.name()).copied(),
                    limit: self.cfg.page_size.clamp(1, 500),
                    cursor: cursor.as_deref(),
                    key,
                    cipher,
                };
                let page = match fetch::page_with_retries(&self.http, &req, self.cfg.attempts, self.cfg.backoff).await {
                    Ok(p) => p,
                    Err(FetchError::NoSuchTable) => {
                        served -= 1;
                        break;
                    }
                    Err(error) => return Err(Stop::Fetch { table, error }),
                };
                if !page.records.is_empty() {
                    *counts += self.store_page(company, table, page.records).await?;
                }
                match page.next_cursor {
                    Some(c) if Some(&c) != cursor.as_ref() => cursor = Some(c),
                    _ => break,
                }
            }
        }
        if served == 0 {
            return Err(Stop::Fetch { table: ExchangeTable::HazardSource, error: FetchError::NoTables });
        }
        Ok(())
    }

    /// Stores one page (through the same validation and storage as pushes) and advances the table's watermark to
    /// the newest `updateDate` among the page's accepted, unchanged or held records.
    async fn store_page(
        &self,
        company: &CompanyCode,
        table: ExchangeTable,
        records: Vec<Value>,
    ) -> Result<Counts, Stop> {
        let db = self.db.clone();
        let company = company.clone();
        let clock = self.clock.clone();
        tokio::task::spawn_blocking(move || {
            let now = clock.now_utc();
            let mut counts = Counts::default();
            let mut newest: Option<NaiveDateTime> = None;
            for chunk in rounds(records).iter().flat_map(|r| r.chunks(exchange::MAX_RECORDS)) {
                let batch =
                    IncomingBatch { table, sender: &company, actor: "pull", source: Source::Pull, dry_run: false, now };
                let receipt = process_values(&db, &batch, chunk)?;
                counts += Counts {
                    received: receipt.received,
                    accepted: receipt.accepted,
                    unchanged: receipt.unchanged,
                    pending: receipt.pending,
                    rejected: receipt.rejected,
                };
                let rejected: std::collections::HashSet<usize> =
                    receipt.errors.iter().filter(|e| e.code.is_rejection()).map(|e| e.index).collect();
                // The watermark moves only over records that are stored, unchanged or held.
                let page_newest = chunk
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !rejected.contains(i))
                    .filter_map(|(_, v)| update_date(v))
                    .max();
                newest = newest.max(page_newest);
            }
            // Only once every round of the page is committed: a later round may hold older versions.
            if let Some(to) = newest {
                db.with(|c| Ok(pull_state::advance(c, &company, table.name(), to, now)?))?;
            }
            Ok(counts)
        })
        .await
        .map_err(|e| Stop::Join(e.to_string()))?
    }
}

/// Splits a page into rounds holding at most one version of each record, in page order: an endpoint may send
/// several versions of a record in one page (its history), while a batch takes each id once (`duplicate_in_batch`).
fn rounds(records: Vec<Value>) -> Vec<Vec<Value>> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut rounds: Vec<Vec<Value>> = Vec::new();
    for v in records {
        let round = match v.get("id").and_then(Value::as_str) {
            Some(id) => {
                let n = seen.entry(id.to_owned()).or_insert(0);
                *n += 1;
                *n - 1
            }
            None => 0,
        };
        if rounds.len() <= round {
            rounds.resize_with(round + 1, Vec::new);
        }
        rounds[round].push(v);
    }
    rounds
}

/// The `updateDate` of a wire record, as UTC.
fn update_date(v: &Value) -> Option<NaiveDateTime> {
    let s = v.get("updateDate")?.as_str()?;
    exchange::parse_datetime(s).map(domain::time::local_to_utc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rounds_hold_each_id_once_in_page_order() {
        let page = vec![
            json!({"id": "a", "v": 1}),
            json!({"id": "b"}),
            json!({"id": "a", "v": 2}),
            json!({"x": 0}),
            json!({"id": "a", "v": 3}),
        ];
        let r = rounds(page);
        let ids =
            |round: &Vec<Value>| round.iter().map(|v| v.get("v").cloned().unwrap_or(Value::Null)).collect::<Vec<_>>();
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].len(), 3);
        assert_eq!(ids(&r[1]), [json!(2)]);
        assert_eq!(ids(&r[2]), [json!(3)]);
    }
}
