//! The monthly report as Word (.docx): linked from the list, read back by python-docx (title, issuing body and date,
//! every city or enterprise, rates with their numerator and denominator), byte-identical on every request and when
//! regenerated from the stored revision, and refused to another city as the other formats are.

use crate::figures::fill;
use crate::{Server, assert_problem};
use api::Role;
use api::routes::reports::DOCX;
use chrono::Datelike;
use domain::City;
use metrics::figure::Figure;
use report::monthly::freeze::{docx_of_content, make, report_month};
use report::monthly::{MonthlyReport, to_docx};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

both_backends!(frozen_reports_as_docx);

/// What officedoc's read_docx.py (python-docx) reads in a .docx. Never skipped: without python-docx it fails.
fn read_back(bytes: &[u8]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.docx");
    std::fs::write(&file, bytes).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../officedoc/tests/it/read_docx.py");
    let output = Command::new("python3").arg(&script).arg(&file).output().expect("python3 runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "read_docx.py failed (`python3 -m pip install python-docx`): {stderr}");
    serde_json::from_slice(&output.stdout).unwrap()
}

/// A rate as the report shows it: `80.0%（4/5）`, `—（0/0）`.
fn rate(f: Figure) -> String {
    let percent = if f.den == 0 { "—".to_owned() } else { f.percent() };
    format!("{percent}（{}/{}）", f.num, f.den)
}

/// GETs a .docx and checks its headers.
async fn docx(s: &Server, id: &str, token: &str) -> Vec<u8> {
    let res = s.get(&format!("/api/v1/reports/{id}.docx"), Some(token)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], DOCX);
    assert_eq!(res.headers()["content-disposition"], format!("attachment; filename=\"dualprev-{id}.docx\""));
    res.bytes().await.unwrap().to_vec()
}

/// The texts of the paragraphs outside tables with their styles, and the rows of every table.
fn texts(read: &Value) -> (Vec<(String, String)>, Vec<Vec<String>>) {
    let paragraphs = read["paragraphs"].as_array().unwrap();
    let paragraphs =
        paragraphs.iter().map(|p| (p["text"].as_str().unwrap().into(), p["style"].as_str().unwrap().into()));
    let tables = read["tables"].as_array().unwrap();
    let rows = tables.iter().flat_map(|t| serde_json::from_value::<Vec<Vec<String>>>(t["rows"].clone()).unwrap());
    (paragraphs.collect(), rows.collect())
}

/// The read-back holds the title, the issuing body and the date as signature, and a row for every line with its
/// name and its rates.
fn assert_read_back(bytes: &[u8], report: &MonthlyReport, issuer: &str) {
    let read = read_back(bytes);
    let (paragraphs, rows) = texts(&read);
    assert_eq!(paragraphs[0], (report.title.clone(), "Title".to_owned()));
    let local = domain::time::local_date(report.as_of);
    let date = format!("{}年{}月{}日", local.year(), local.month(), local.day());
    let signature: Vec<&str> = paragraphs.iter().filter(|(_, s)| s == "Signature").map(|(t, _)| t.as_str()).collect();
    assert_eq!(signature, [issuer, date.as_str()]);
    assert_eq!(read["core"]["author"], issuer);
    assert!(paragraphs.iter().any(|(t, s)| t == "二、主要指标" && s == "Heading 1"));
    assert_eq!(read["sections"][0]["page_width_twips"], 11906, "A4");
    assert_eq!(read["sections"][0]["footer"]["fields"], serde_json::json!(["PAGE"]), "page numbers");
    assert_eq!(read["fonts"]["仿宋_GB2312"], "仿宋", "the fallbacks are named");
    let total = format!("合计（{}）", report.total.name);
    let lines =
        std::iter::once((total.as_str(), &report.total)).chain(report.lines.iter().map(|l| (l.name.as_str(), l)));
    for (name, line) in lines {
        let of = |cells: [String; 2]| {
            rows.iter().any(|r| r.first().map(String::as_str) == Some(name) && cells.iter().all(|c| r.contains(c)))
        };
        assert!(of([rate(line.risk_analysis), rate(line.task_completion)]), "{name}: {:?}", rate(line.task_completion));
        assert!(of([rate(line.rectification_on_time), rate(line.cumulative_rectification)]), "{name}");
    }
    assert!(rows.iter().flatten().all(|c| !c.contains("n/a")));
}

async fn frozen_reports_as_docx(s: Server) {
    fill(&s, 16).await;
    let province = s.token(Role::Province, None, None);
    let now = testkit::clock().now_utc();
    let month = report::monthly::freeze::last_due(now);
    api::jobs::monthly_report(&s.state, now).await.unwrap().unwrap();
    let label = report::monthly::month_label(month);
    // The list links the .docx beside the XLSX and the HTML.
    let list: Value = s.get(&format!("/api/v1/reports?month={label}"), Some(&province)).await.json().await.unwrap();
    let rows = list["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 12);
    for row in rows {
        assert_eq!(row["docx"], format!("/api/v1/reports/{}.docx", row["id"].as_str().unwrap()));
    }
    let calendar = report::figures::FromVersions((*s.state.calendar).clone());
    let taiyuan = s.token(Role::City, Some(City::Taiyuan), None);
    for (scope, token, issuer) in
        [("province", &province, "山西省应急管理厅"), ("140100", &taiyuan, "太原市应急管理局")]
    {
        let id = format!("{label}.{scope}.r1");
        let bytes = docx(&s, &id, token).await;
        // The same bytes on every request, from the stored revision, and from the same asOf made again.
        assert_eq!(docx(&s, &id, token).await, bytes, "{id}: identical on every request");
        let stored = s.db.with(|c| storage::reports::get(c, &id)).unwrap().unwrap();
        assert_eq!(docx_of_content(&stored.content).unwrap(), bytes, "{id}: regenerated from the stored revision");
        let content: MonthlyReport = serde_json::from_str(&stored.content).unwrap();
        let again =
            s.db.with(|c| {
                let month = report_month(&label).unwrap();
                Ok(make(c, &calendar, month, content.scope.clone(), 1, "", stored.meta.as_of).unwrap())
            })
            .unwrap();
        assert_eq!(to_docx(&again).unwrap(), bytes, "{id}: made again from the same asOf");
        // By Accept, too.
        let by_accept = s
            .http
            .get(format!("{}/api/v1/reports/{id}", s.base))
            .bearer_auth(token)
            .header("accept", DOCX)
            .send()
            .await
            .unwrap();
        assert_eq!(by_accept.headers()["content-type"], DOCX);
        assert_eq!(by_accept.bytes().await.unwrap().to_vec(), bytes);
        // Gzipped on the wire when asked (the package itself is stored, not deflated).
        let gzipped = s
            .http
            .get(format!("{}/api/v1/reports/{id}.docx", s.base))
            .bearer_auth(token)
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(gzipped.headers()["content-encoding"], "gzip");
        assert!(gzipped.bytes().await.unwrap().len() < bytes.len() / 4, "{id}: compressed");
        assert_read_back(&bytes, &content, issuer);
        let expected = if scope == "province" { 11 } else { 14 };
        assert_eq!(content.lines.len(), expected, "{id}: every city, or every enterprise of the city");
        eprintln!("{id}.docx: {} bytes (xlsx {}, html {})", bytes.len(), stored.xlsx.len(), stored.html.len());
    }
    // Another city's .docx is refused as its other formats are; so is the province's.
    let yangquan = s.token(Role::City, Some(City::Yangquan), None);
    for id in [format!("{label}.140100.r1"), format!("{label}.province.r1")] {
        assert_problem(s.get(&format!("/api/v1/reports/{id}.docx"), Some(&yangquan)).await, 403, "forbidden").await;
        let by_accept =
            s.http.get(format!("{}/api/v1/reports/{id}", s.base)).bearer_auth(&yangquan).header("accept", DOCX);
        assert_problem(by_accept.send().await.unwrap(), 403, "forbidden").await;
    }
    assert!(!docx(&s, &format!("{label}.140300.r1"), &yangquan).await.is_empty(), "its own it gets");
    assert_problem(
        s.get(&format!("/api/v1/reports/{label}.province.r9.docx"), Some(&province)).await,
        404,
        "not_found",
    )
    .await;
}

/// The sizes of the files of a demo-size month (`dualprev demo`: 176 enterprises, 75 simulated days, 4 % faulty),
/// quoted in docs/reports.md. Run with `cargo test -p api --test it demo_size_docx -- --ignored --nocapture`.
#[actix_web::test]
#[ignore = "measures the sizes quoted in docs/reports.md (a few minutes in a debug build)"]
async fn demo_size_docx() {
    let s = Server::start(testkit::TestDb::sqlite()).await;
    let end = s.clock.now_utc();
    let start = domain::time::local_date(end) - chrono::TimeDelta::days(sim::Size::Demo.default_days());
    let cfg = sim::SimConfig::for_registry(176, 2026, start, end, sim::Size::Demo, 0.04);
    let world = sim::serve(sim::World::generate(&cfg), "127.0.0.1:0").await.unwrap();
    for (code, _) in &cfg.enterprises {
        let key = cfg.encrypted.contains(code).then(|| sim::aes_key(code, cfg.seed));
        let url = world.base_url(code);
        s.db.with(|c| Ok(storage::pull_state::set_endpoint(c, code, &url, key.as_deref(), end)?)).unwrap();
    }
    let pull = ingest::PullConfig {
        timeout: std::time::Duration::from_secs(5),
        attempts: 2,
        backoff: std::time::Duration::from_millis(200),
        ..ingest::PullConfig::default()
    };
    ingest::Puller::new(s.db.clone(), pull, s.clock.clone()).unwrap().cycle(None).await.unwrap();
    world.stop().await;
    let ids = api::jobs::monthly_report(&s.state, end).await.unwrap().unwrap();
    let province = s.token(Role::Province, None, None);
    for id in [&ids[0], &ids[1]] {
        let bytes = docx(&s, id, &province).await;
        let stored = s.db.with(|c| storage::reports::get(c, id)).unwrap().unwrap();
        let content: MonthlyReport = serde_json::from_str(&stored.content).unwrap();
        let rows = content.enterprise_ranking.len();
        eprintln!(
            "{id}: docx {} bytes, xlsx {}, html {}, content {} ({rows} ranked enterprises, {} overdue 重大, {} \
             connections, {} follow-up)",
            bytes.len(),
            stored.xlsx.len(),
            stored.html.len(),
            stored.content.len(),
            content.overdue_major.len(),
            content.connections.len(),
            content.follow_up.len()
        );
    }
}
