//! Operational telemetry: counters and latency histograms kept in memory and written in the Prometheus text format
//! at `GET /metrics` (requests by route and status, records ingested by source, table and outcome, pull attempts and
//! failures by enterprise, job runs and durations, database pool usage), and the request-id middleware that logs one
//! line per request. See `docs/observability.md`.

pub mod histogram;
pub mod middleware;

use histogram::Histogram;
use parking_lot::Mutex;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Records by outcome, as a receipt or a pull counts them.
#[derive(Debug, Clone, Copy, Default)]
pub struct Outcomes {
    /// New versions stored.
    pub accepted: usize,
    /// Identical to the stored version.
    pub unchanged: usize,
    /// Held for their parent.
    pub pending: usize,
    /// Rejected.
    pub rejected: usize,
}

/// The process's telemetry; shared through `AppState`.
#[derive(Debug, Default)]
pub struct Telemetry {
    requests: Mutex<BTreeMap<(String, String, u16), Histogram>>,
    records: Mutex<BTreeMap<(&'static str, String, &'static str), u64>>,
    pulls: Mutex<BTreeMap<String, (u64, u64)>>,
    jobs: Mutex<BTreeMap<(String, &'static str), Histogram>>,
}

/// A label value with `\`, `"` and newlines escaped.
fn esc(v: &str) -> String {
    v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

impl Telemetry {
    /// Counts one answered request of a route pattern (`-` when no route matched).
    pub fn request(&self, method: &str, route: &str, status: u16, seconds: f64) {
        self.requests.lock().entry((method.to_owned(), route.to_owned(), status)).or_default().observe(seconds);
    }

    /// Counts records ingested by `push` or `pull` into a table (`all` when the source does not split them).
    pub fn records(&self, source: &'static str, table: &str, o: Outcomes) {
        let mut m = self.records.lock();
        for (outcome, n) in
            [("accepted", o.accepted), ("unchanged", o.unchanged), ("pending", o.pending), ("rejected", o.rejected)]
        {
            *m.entry((source, table.to_owned(), outcome)).or_default() += n as u64;
        }
    }

    /// Counts one pull attempt of an enterprise, and whether it failed.
    pub fn pull(&self, company: &str, failed: bool) {
        let mut m = self.pulls.lock();
        let e = m.entry(company.to_owned()).or_default();
        e.0 += 1;
        e.1 += u64::from(failed);
    }

    /// Counts a pull cycle: one attempt per enterprise, its failures, and the records by outcome (`table="all"`:
    /// a cycle does not split them by table).
    pub fn pull_cycle(&self, report: &ingest::CycleReport) {
        for code in &report.pulled {
            self.pull(code, false);
        }
        for (code, _) in &report.failed {
            self.pull(code, true);
        }
        let c = report.counts;
        let outcomes =
            Outcomes { accepted: c.accepted, unchanged: c.unchanged, pending: c.pending, rejected: c.rejected };
        self.records("pull", "all", outcomes);
        self.job("pull", report.failed.is_empty(), report.duration.as_secs_f64());
    }

    /// Counts one run of a scheduled job and its duration.
    pub fn job(&self, name: &str, ok: bool, seconds: f64) {
        let outcome = if ok { "ok" } else { "error" };
        self.jobs.lock().entry((name.to_owned(), outcome)).or_default().observe(seconds);
    }

    /// Everything, in the Prometheus text exposition format (version 0.0.4).
    pub fn render(&self, pool: storage::PoolState) -> String {
        let mut out = String::with_capacity(16 * 1024);
        let head = |out: &mut String, name: &str, kind: &str, help: &str| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
        };
        head(&mut out, "dualprev_http_request_duration_seconds", "histogram", "HTTP requests by route and status.");
        for ((method, route, status), h) in self.requests.lock().iter() {
            let labels = format!("method=\"{}\",route=\"{}\",status=\"{status}\"", esc(method), esc(route));
            h.write(&mut out, "dualprev_http_request_duration_seconds", &labels);
        }
        head(&mut out, "dualprev_records_total", "counter", "Records ingested, by source, table and outcome.");
        for ((source, table, outcome), n) in self.records.lock().iter() {
            let _ = writeln!(
                out,
                "dualprev_records_total{{source=\"{source}\",table=\"{}\",outcome=\"{outcome}\"}} {n}",
                esc(table)
            );
        }
        head(&mut out, "dualprev_pull_attempts_total", "counter", "Pull attempts by enterprise.");
        head(&mut out, "dualprev_pull_failures_total", "counter", "Failed pulls by enterprise.");
        for (company, (attempts, failures)) in self.pulls.lock().iter() {
            let c = esc(company);
            let _ = writeln!(out, "dualprev_pull_attempts_total{{company=\"{c}\"}} {attempts}");
            let _ = writeln!(out, "dualprev_pull_failures_total{{company=\"{c}\"}} {failures}");
        }
        head(&mut out, "dualprev_job_duration_seconds", "histogram", "Scheduled job runs by job and outcome.");
        for ((job, outcome), h) in self.jobs.lock().iter() {
            let labels = format!("job=\"{}\",outcome=\"{outcome}\"", esc(job));
            h.write(&mut out, "dualprev_job_duration_seconds", &labels);
        }
        head(&mut out, "dualprev_db_pool_connections", "gauge", "Database pool connections by state.");
        let _ = writeln!(out, "dualprev_db_pool_connections{{state=\"idle\"}} {}", pool.idle);
        let _ = writeln!(out, "dualprev_db_pool_connections{{state=\"in_use\"}} {}", pool.open - pool.idle);
        head(&mut out, "dualprev_db_pool_max_connections", "gauge", "The largest size of the database pool.");
        let _ = writeln!(out, "dualprev_db_pool_max_connections {}", pool.max);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_are_labelled_and_escaped() {
        let t = Telemetry::default();
        t.request("GET", "/api/v1/enterprises/{companyCode}", 200, 0.002);
        t.records("push", "danger", Outcomes { accepted: 3, rejected: 1, ..Default::default() });
        t.records("push", "danger", Outcomes { accepted: 2, ..Default::default() });
        t.pull("140100001", true);
        t.pull("140100001", false);
        t.job("weekly \"evaluation\"", true, 1.5);
        let text = t.render(storage::PoolState { open: 3, idle: 1, max: 4 });
        assert!(text.contains("route=\"/api/v1/enterprises/{companyCode}\",status=\"200\",le=\"0.0025\"} 1\n"));
        assert!(text.contains("dualprev_records_total{source=\"push\",table=\"danger\",outcome=\"accepted\"} 5\n"));
        assert!(text.contains("dualprev_records_total{source=\"push\",table=\"danger\",outcome=\"rejected\"} 1\n"));
        assert!(text.contains("dualprev_pull_attempts_total{company=\"140100001\"} 2\n"));
        assert!(text.contains("dualprev_pull_failures_total{company=\"140100001\"} 1\n"));
        assert!(text.contains("job=\"weekly \\\"evaluation\\\"\",outcome=\"ok\"}"));
        assert!(text.contains("dualprev_db_pool_connections{state=\"in_use\"} 2\n"));
    }
}
