//! Observability: `GET /metrics` scraped and parsed as Prometheus text after real traffic, and `X-Request-Id` on
//! every answer (the client's usable id kept, a new one otherwise, refusals included).

use crate::Server;
use crate::wire::chain;
use api::Role;
use std::collections::BTreeMap;

both_backends!(metrics_count_what_happened, request_ids_are_echoed_or_made);

/// One sample: metric name, labels, value.
type Sample = (String, BTreeMap<String, String>, f64);

/// Parses the text format strictly enough to catch a malformed line: `name{k="v",…} value` or `name value`, with
/// `# HELP` / `# TYPE` comments.
fn parse(text: &str) -> Vec<Sample> {
    let mut out = vec![];
    let mut typed = std::collections::BTreeSet::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').unwrap();
            assert!(["counter", "gauge", "histogram"].contains(&kind), "{line}");
            typed.insert(name.to_owned());
            continue;
        }
        if line.starts_with("# HELP ") || line.is_empty() {
            continue;
        }
        let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("no value: {line}"));
        let value: f64 = value.parse().unwrap_or_else(|_| panic!("bad value: {line}"));
        let (name, labels) = match series.split_once('{') {
            Some((n, l)) => (n, l.strip_suffix('}').unwrap_or_else(|| panic!("unclosed labels: {line}"))),
            None => (series, ""),
        };
        assert!(name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'), "bad name: {line}");
        let family = ["_bucket", "_sum", "_count"].iter().fold(name, |n, s| n.strip_suffix(s).unwrap_or(n));
        assert!(typed.contains(name) || typed.contains(family), "no TYPE for {name}");
        let mut map = BTreeMap::new();
        for pair in labels.split("\",").filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once("=\"").unwrap_or_else(|| panic!("bad label {pair:?}: {line}"));
            map.insert(k.to_owned(), v.trim_end_matches('"').to_owned());
        }
        out.push((name.to_owned(), map, value));
    }
    out
}

fn value(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> f64 {
    samples
        .iter()
        .filter(|(n, l, _)| n == name && labels.iter().all(|(k, v)| l.get(*k).map(String::as_str) == Some(*v)))
        .map(|(_, _, v)| v)
        .sum()
}

async fn metrics_count_what_happened(s: Server) {
    let mut accepted = 0.0;
    for (table, batch) in chain("140100001") {
        let (status, receipt) = s.push(table, "140100001", &batch).await;
        assert_eq!(status, 200, "{receipt}");
        accepted += receipt["accepted"].as_f64().unwrap();
    }
    let city = s.token(Role::City, Some(domain::City::Taiyuan), None);
    assert_eq!(s.get("/api/v1/audit", Some(&city)).await.status(), 403);
    api::jobs::weekly_evaluation(&s.state, testkit::clock().now_utc()).await.unwrap();
    let report = ingest::CycleReport {
        enterprises: 2,
        succeeded: 1,
        pulled: vec!["140100001".into()],
        failed: vec![("140200001".into(), "timeout".into())],
        ..Default::default()
    };
    s.state.telemetry.pull_cycle(&report);

    let res = s.get("/metrics", None).await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    let samples = parse(&res.text().await.unwrap());
    let req = "dualprev_http_request_duration_seconds_count";
    assert_eq!(value(&samples, req, &[("route", "/api/v1/exchange/{table}"), ("status", "200")]), 5.0);
    assert_eq!(value(&samples, req, &[("route", "/api/v1/audit"), ("status", "403")]), 1.0);
    let records = "dualprev_records_total";
    assert_eq!(value(&samples, records, &[("source", "push"), ("outcome", "accepted")]), accepted);
    assert_eq!(value(&samples, records, &[("source", "push"), ("table", "check_task"), ("outcome", "accepted")]), 1.0);
    assert_eq!(value(&samples, "dualprev_pull_attempts_total", &[("company", "140200001")]), 1.0);
    assert_eq!(value(&samples, "dualprev_pull_failures_total", &[("company", "140200001")]), 1.0);
    assert_eq!(value(&samples, "dualprev_pull_failures_total", &[("company", "140100001")]), 0.0);
    let jobs = "dualprev_job_duration_seconds_count";
    assert_eq!(value(&samples, jobs, &[("job", "weekly_evaluation"), ("outcome", "ok")]), 1.0);
    assert!(value(&samples, "dualprev_db_pool_max_connections", &[]) >= 1.0);
    // Buckets are cumulative and +Inf equals the count, for every series.
    for (name, labels, count) in samples.iter().filter(|(n, _, _)| n.ends_with("_count")) {
        let family = name.trim_end_matches("_count");
        let mut buckets: Vec<(f64, f64)> = samples
            .iter()
            .filter(|(n, l, _)| *n == format!("{family}_bucket") && labels.iter().all(|(k, v)| l.get(k) == Some(v)))
            .map(|(_, l, v)| (l["le"].parse::<f64>().unwrap_or(f64::INFINITY), *v))
            .collect();
        buckets.sort_by(|a, b| a.0.total_cmp(&b.0));
        assert!(buckets.windows(2).all(|w| w[0].1 <= w[1].1), "{family} {labels:?}");
        assert_eq!(buckets.last().map(|b| b.1), Some(*count), "{family} {labels:?}");
    }
}

async fn request_ids_are_echoed_or_made(s: Server) {
    let id = |res: &reqwest::Response| res.headers()["x-request-id"].to_str().unwrap().to_owned();
    let given = s.http.get(format!("{}/healthz", s.base)).header("X-Request-Id", "lb-7f3a.1").send().await.unwrap();
    assert_eq!(id(&given), "lb-7f3a.1");
    let bad = s.http.get(format!("{}/healthz", s.base)).header("X-Request-Id", "a b\"c").send().await.unwrap();
    assert_ne!(id(&bad), "a b\"c");
    let refused = s.get("/api/v1/enterprises", None).await;
    assert_eq!(refused.status(), 401);
    let (a, b) = (id(&refused), id(&s.get("/api/v1/enterprises", None).await));
    assert!(!a.is_empty() && a != b, "a new id per request: {a} {b}");
}
