//! Structured logs: `dualprev serve` with `DUALPREV_LOG_FORMAT=json` writes one JSON line per request carrying the
//! request id it echoed in `X-Request-Id`, and `/metrics` answers in the Prometheus format.

use serde_json::Value;
use std::process::Command;
use std::time::Duration;

#[test]
fn one_json_line_per_request_with_its_id() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dualprev"));
    testkit::pin_child(&mut cmd)
        .args(["serve", "--database", "logs.db", "--bind", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env("DUALPREV_JWT_SECRET", "a-logging-test-secret-of-32-bytes!!")
        .env("DUALPREV_LOG_FORMAT", "json")
        .env("DUALPREV_LOG", "info")
        .env_remove("DUALPREV_TEST_POSTGRES_URL");
    let (mut child, rx) = crate::spawn_logged(&mut cmd);
    let next = |what: &dyn Fn(&Value) -> bool| loop {
        let line = rx.recv_timeout(Duration::from_secs(60)).expect("a log line");
        let json: Value = serde_json::from_str(&line).unwrap_or_else(|_| panic!("not a JSON log line: {line}"));
        if what(&json) {
            return json;
        }
    };
    let serving = next(&|l| l["fields"]["addr"].is_string());
    let base = format!("http://{}", serving["fields"]["addr"].as_str().unwrap());
    let http = reqwest::blocking::Client::new();
    let res = http.get(format!("{base}/api/v1/metrics?period=2026-11&by=city")).header("X-Request-Id", "e2e-42").send();
    let res = res.unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(res.headers()["x-request-id"], "e2e-42");
    let line = next(&|l| l["fields"]["request_id"] == "e2e-42");
    assert_eq!(line["level"], "INFO");
    assert_eq!(line["fields"]["status"], 401);
    assert_eq!(line["fields"]["route"], "/api/v1/metrics");
    assert!(line["fields"]["ms"].as_f64().is_some_and(|ms| ms >= 0.0));
    let metrics = http.get(format!("{base}/metrics")).send().unwrap().text().unwrap();
    assert!(
        metrics.contains(
            "dualprev_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/metrics\",status=\"401\"} 1\n"
        ),
        "{metrics}"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}
