//! Warning handling (issue 21): opening cases, the escalation job at a given number of open cases (the first pass
//! that escalates them all, then a pass with nothing due, as every minute), and actions per second through
//! `POST /api/v1/warnings/{id}/actions` against a `dualprev serve` child, on a fresh SQLite database.

use super::api::{SECRET, spawn_serve, wait_ready};
use anyhow::{Result, anyhow};
use chrono::TimeDelta;
use domain::City;
use std::time::{Duration, Instant};
use storage::handling::cases::Opened;

/// The actions one case takes in the load: sign, respond, verify.
const STEPS: [(&str, &str); 3] = [("sign", "已签收"), ("respond", "已整改"), ("verify", "核销")];

/// Runs the bench with `cases` open cases and `clients` people acting at once on `acted` of them.
pub fn run(cases: usize, clients: usize, acted: usize, clock: &domain::Clock) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("handling.db").display());
    let db = storage::Db::open(&url)?;
    db.migrate()?;
    let now = clock.now_utc();
    db.with(|c| storage::registry::seed_annex(c, now))?;
    let companies = db.with(|c| storage::registry::list(c, Default::default()))?;
    let opened: Vec<Opened> = (0..cases)
        .map(|i| {
            let e = &companies[i % companies.len()].enterprise;
            Opened {
                warning_id: format!("{}.bench_{i}", e.code),
                company_code: e.code.to_string(),
                city_code: e.city.code().to_owned(),
                kind: "bench".into(),
                level: if i % 10 == 0 { "red" } else { "yellow" }.into(),
                detail: format!("压测预警 {i}"),
            }
        })
        .collect();
    let limits = storage::handling::Limits::default();
    let t = Instant::now();
    db.with(|c| {
        storage::tx::write_transaction(c, |c| storage::handling::cases::follow(c, &opened, &[], &limits, now))
    })?;
    super::figure("open cases (s)", t.elapsed().as_secs_f64(), "s", &format!("{cases} cases, one transaction"));
    let later = now + TimeDelta::hours(25);
    let t = Instant::now();
    let first = db.with(|c| storage::handling::escalate::run(c, later))?;
    let note = format!("{} escalations written at {cases} open cases", first.len());
    super::figure("escalation job, all due (s)", t.elapsed().as_secs_f64(), "s", &note);
    let t = Instant::now();
    let again = db.with(|c| storage::handling::escalate::run(c, later))?;
    let note = format!("{} written: the pass every minute at {cases} open cases", again.len());
    super::figure("escalation job, nothing new (ms)", t.elapsed().as_secs_f64() * 1000.0, "ms", &note);
    drop(db);
    // Red cases only: the server's change detector closes the others at start (their bench causes do not hold),
    // while a red case stays open until verified.
    let red: Vec<Opened> = opened.into_iter().filter(|o| o.level == "red").take(acted).collect();
    actions(&url, &red, clients, clock)
}

/// Signs, answers and verifies `cases` through the API, `clients` at once, each as the case's city.
fn actions(url: &str, cases: &[Opened], clients: usize, clock: &domain::Clock) -> Result<()> {
    let (_server, port) = spawn_serve(url, clock)?;
    let base = format!("http://127.0.0.1:{port}");
    let auth = api::AuthConfig::new(SECRET.as_bytes(), "dualprev", "dualprev", 30)?.with_clock(clock.clone());
    let lanes = clients.max(1);
    let mut work: Vec<Vec<(String, String)>> = vec![Vec::new(); lanes];
    for (i, case) in cases.iter().enumerate() {
        let city = City::from_code(&case.city_code).map_err(|e| anyhow!("{e}"))?;
        let token = auth.issue(api::Role::City, Some(city), None, TimeDelta::hours(2))?;
        work[i % lanes].push((case.warning_id.clone(), token));
    }
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let (times, secs) = rt.block_on(async {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(60)).build()?;
        wait_ready(&http, &base).await?;
        let started = Instant::now();
        let mut tasks = vec![];
        for mine in work {
            let (http, base) = (http.clone(), base.clone());
            tasks.push(tokio::spawn(async move {
                let mut times = vec![];
                for (id, token) in mine {
                    for (action, note) in STEPS {
                        let t = Instant::now();
                        let url = format!("{base}/api/v1/warnings/{id}/actions");
                        let body = serde_json::json!({"action": action, "note": note});
                        http.post(&url).bearer_auth(&token).json(&body).send().await?.error_for_status()?;
                        times.push(t.elapsed().as_secs_f64());
                    }
                }
                anyhow::Ok(times)
            }));
        }
        let all = super::gather(tasks).await?;
        anyhow::Ok((all, started.elapsed().as_secs_f64()))
    })?;
    let note = format!("{} actions, {clients} at once, {:.1} s", times.len(), secs);
    super::figure("handling actions per second", times.len() as f64 / secs, "/s", &note);
    super::figure("handling action p50 (ms)", super::quantile(&times, 0.5) * 1000.0, "ms", "");
    super::figure("handling action p99 (ms)", super::quantile(&times, 0.99) * 1000.0, "ms", "");
    Ok(())
}
