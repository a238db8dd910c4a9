//! Figures over HTTP on data pulled from the simulator: consistency across groupings, scope, and errors.

use crate::{Server, assert_problem};
use api::Role;
use chrono::TimeDelta;
use domain::City;
use serde_json::{Value, json};

/// Fills the server's database with a small simulated world of the first `n` annex enterprises, pulled for real.
pub(crate) async fn fill(s: &Server, n: usize) {
    let end = s.clock.now_utc() - TimeDelta::hours(1);
    let start = domain::time::local_date(end) - TimeDelta::days(30);
    let cfg = sim::SimConfig::for_registry(n, 11, start, end, sim::Size::Small, 0.0);
    let sim = sim::serve(sim::World::generate(&cfg), "127.0.0.1:0").await.unwrap();
    for (code, _) in &cfg.enterprises {
        let key = cfg.encrypted.contains(code).then(|| sim::aes_key(code, 11));
        let url = sim.base_url(code);
        s.db.with(|c| Ok(storage::pull_state::set_endpoint(c, code, &url, key.as_deref(), end)?)).unwrap();
    }
    let puller = ingest::Puller::new(s.db.clone(), ingest::PullConfig::default(), s.clock.clone()).unwrap();
    let cycle = puller.cycle(None).await.unwrap();
    assert!(matches!(cycle, ingest::CycleOutcome::Ran(ref r) if r.failed.is_empty()));
    sim.stop().await;
}

fn sum(rows: &[Value], field: &str) -> (u64, u64) {
    rows.iter().fold((0, 0), |(n, d), r| (n + r[field]["num"].as_u64().unwrap(), d + r[field]["den"].as_u64().unwrap()))
}

// An ordinary Wednesday in the middle of a month (weeks have ended in it; not near the 20th). The calendar edges
// have their own tests (`calendar_edges.rs`).
both_backends!(at "2026-11-25T10:30:00+08:00" => groupings_agree_and_scope_holds, warnings_feed_explain_and_frozen_weeks);

async fn warnings_feed_explain_and_frozen_weeks(s: Server) {
    fill(&s, 8).await;
    let province = s.token(Role::Province, None, None);
    let now = s.clock.now_utc();
    // Warnings: enterprises never heard from are warned about; red comes first.
    let w: Value = s.get("/api/v1/warnings", Some(&province)).await.json().await.unwrap();
    let rows = w["rows"].as_array().unwrap();
    let silent = rows.iter().filter(|r| r["kind"] == "no_data_7d").count();
    assert_eq!(silent, 176 - 8, "every registered enterprise without data");
    let levels: Vec<&str> = rows.iter().map(|r| r["level"].as_str().unwrap()).collect();
    let rank = |l: &str| ["red", "orange", "yellow"].iter().position(|x| *x == l).unwrap();
    assert!(levels.windows(2).all(|p| rank(p[0]) <= rank(p[1])), "most urgent first");
    for r in rows.iter().filter(|r| r["kind"] == "overdue_major_danger") {
        assert_eq!(r["level"], "red");
        assert_eq!(r["records"].as_array().unwrap().len(), 1);
    }
    let taiyuan = s.token(Role::City, Some(City::Taiyuan), None);
    let own: Value = s.get("/api/v1/warnings", Some(&taiyuan)).await.json().await.unwrap();
    assert!(own["rows"].as_array().unwrap().iter().all(|r| r["cityCode"] == "140100"));
    assert_problem(s.get("/api/v1/warnings?status=closed", Some(&province)).await, 400, "bad_status").await;
    // The early-warning feed: one row per registered enterprise, versioned; service and province only.
    let week = api::jobs::last_complete_week(now).label();
    let service = s.token(Role::Service, None, None);
    let feed: Value = s.get(&format!("/api/v1/warning-inputs?week={week}"), Some(&service)).await.json().await.unwrap();
    assert_eq!(feed["schemaVersion"], 1);
    assert_eq!(feed["rows"].as_array().unwrap().len(), 176);
    let first = &feed["rows"][0];
    for field in ["rateCheck", "rateCheckBaobao", "rateDanger", "unitsByRiskLevel", "score", "runLevel", "dataComplete"]
    {
        assert!(first.get(field).is_some(), "{field}");
    }
    assert_problem(s.get(&format!("/api/v1/warning-inputs?week={week}"), Some(&taiyuan)).await, 403, "forbidden").await;
    // Explain: the records behind an enterprise's completion figure add up to it.
    let month = domain::Period::month_of(domain::time::local_date(now)).label();
    let ex: Value = s
        .get(
            &format!("/api/v1/metrics/explain?company=140100001&period={month}&metric=taskCompletion"),
            Some(&province),
        )
        .await
        .json()
        .await
        .unwrap();
    let items = ex["items"].as_array().unwrap();
    let counted = items.iter().filter(|i| i["counted"] == true).count() as u64;
    assert_eq!((ex["figure"]["num"].as_u64(), ex["figure"]["den"].as_u64()), (Some(counted), Some(items.len() as u64)));
    let m: Value =
        s.get(&format!("/api/v1/metrics?period={month}&by=enterprise"), Some(&province)).await.json().await.unwrap();
    let row = m["rows"].as_array().unwrap().iter().find(|r| r["key"] == "140100001").unwrap().clone();
    assert_eq!(row["taskCompletion"], ex["figure"], "explain adds up to the published figure");
    assert!(items.iter().any(|i| i["counted"] == false), "a simulated month has missed instances");
    assert_problem(
        s.get(
            &format!("/api/v1/metrics/explain?company=140200001&period={month}&metric=taskCompletion"),
            Some(&taiyuan),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    // The weekly job freezes last week once; later reads answer the frozen rows.
    // It lets requests go first: while an answer is being computed for one, it waits (report::foreground).
    let busy = s.state.figures.foreground().enter();
    let job = {
        let state = s.state.clone();
        actix_web::rt::spawn(async move { api::jobs::weekly_evaluation(&state, now).await })
    };
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    assert!(!job.is_finished(), "the weekly job waits while a request's answer is computed");
    drop(busy);
    assert_eq!(job.await.unwrap().unwrap(), Some(176));
    assert_eq!(api::jobs::weekly_evaluation(&s.state, now).await.unwrap(), None, "a week is frozen once");
    let frozen: Value = s.get(&format!("/api/v1/evaluations?week={week}"), Some(&province)).await.json().await.unwrap();
    let again: Value = s.get(&format!("/api/v1/evaluations?week={week}"), Some(&province)).await.json().await.unwrap();
    assert_eq!(frozen, again, "a frozen week never changes");
    assert_eq!(frozen["rows"].as_array().unwrap().len(), 176);
}

async fn groupings_agree_and_scope_holds(s: Server) {
    // The first 20 annex enterprises: 14 in 太原, 6 in 大同.
    fill(&s, 20).await;
    let province = s.token(Role::Province, None, None);
    let month = domain::Period::month_of(domain::time::local_date(s.clock.now_utc())).label();
    let get = |by: &str| format!("/api/v1/metrics?period={month}&by={by}");
    let by_enterprise: Value = s.get(&get("enterprise"), Some(&province)).await.json().await.unwrap();
    let by_city: Value = s.get(&get("city"), Some(&province)).await.json().await.unwrap();
    let by_province: Value = s.get(&get("province"), Some(&province)).await.json().await.unwrap();
    let e = by_enterprise["rows"].as_array().unwrap();
    let c = by_city["rows"].as_array().unwrap();
    let p = by_province["rows"].as_array().unwrap();
    assert_eq!(e.len(), 176, "every registered enterprise has a row, with data or not");
    assert_eq!(c.len(), 11);
    assert_eq!(p.len(), 1);
    for field in
        ["taskCompletion", "riskAnalysis", "rectification", "majorRectificationOnTime", "cumulativeRectification"]
    {
        assert_eq!(sum(e, field), sum(c, field), "{field}: cities sum their enterprises");
        assert_eq!(sum(c, field), sum(p, field), "{field}: the province sums its cities");
        for r in e {
            assert!(r[field]["num"].as_u64() <= r[field]["den"].as_u64(), "num ≤ den");
        }
    }
    let tc = &p[0]["taskCompletion"];
    assert!(tc["den"].as_u64().unwrap() > 100, "the simulated month has due instances");
    let rate = tc["rate"].as_f64().unwrap();
    assert!((rate - tc["num"].as_f64().unwrap() / tc["den"].as_f64().unwrap()).abs() < 1e-12);
    assert_eq!(by_city["period"]["label"], month);
    assert!(by_city["asOf"].as_str().unwrap().ends_with("+08:00"));
    // A city sees its own enterprises only, and is refused another city's.
    let taiyuan = s.token(Role::City, Some(City::Taiyuan), None);
    let own: Value = s.get(&get("enterprise"), Some(&taiyuan)).await.json().await.unwrap();
    assert_eq!(own["rows"].as_array().unwrap().len(), 14);
    assert!(own["rows"].as_array().unwrap().iter().all(|r| r["key"].as_str().unwrap().starts_with("1401")));
    assert_problem(s.get(&format!("{}&city=140200", get("city")), Some(&taiyuan)).await, 403, "forbidden").await;
    // An enterprise sees its own row only, equal to its row in the province's answer, and no grouping but its own.
    let enterprise = s.token(Role::Enterprise, None, Some("140100001"));
    let mine: Value = s.get(&get("enterprise"), Some(&enterprise)).await.json().await.unwrap();
    let everyone: Value = s.get(&get("enterprise"), Some(&province)).await.json().await.unwrap();
    let theirs = everyone["rows"].as_array().unwrap().iter().find(|r| r["key"] == "140100001").unwrap();
    assert_eq!(mine["rows"], json!([theirs]));
    assert_problem(s.get(&get("city"), Some(&enterprise)).await, 403, "forbidden").await;
    // Bad parameters.
    assert_problem(s.get("/api/v1/metrics?period=2026-13&by=city", Some(&province)).await, 400, "bad_period").await;
    assert_problem(s.get(&format!("/api/v1/metrics?period={month}&by=county"), Some(&province)).await, 400, "bad_by")
        .await;
    // Knowledge as of an earlier moment never sees more due-and-done than now.
    let early: Value = s
        .get(&format!("{}&asOf=2020-01-01T00:00:00%2B08:00", get("province")), Some(&province))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(early["rows"][0]["taskCompletion"]["den"], 0, "nothing was known in 2020");
    // Evaluations: one row per registered enterprise; the service role may read them.
    let week = domain::Period::week_of(domain::time::local_date(s.clock.now_utc()) - TimeDelta::days(7)).label();
    let service = s.token(Role::Service, None, None);
    let ev: Value = s.get(&format!("/api/v1/evaluations?week={week}"), Some(&service)).await.json().await.unwrap();
    let rows = ev["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 176);
    let silent = rows.iter().find(|r| r["companyCode"] == "140200007").unwrap();
    assert_eq!((silent["score"].as_f64(), silent["grade"].as_str()), (Some(0.0), Some("差")), "graded, not skipped");
    assert_eq!(silent["vetoes"][0], "no_data");
    assert!(rows.iter().any(|r| r["grade"] != "差"), "simulated enterprises get real grades");
    // 优良率 per city and batch sums the grades of the rows.
    let groups = ev["excellentGood"].as_array().unwrap();
    let taiyuan_rate = groups.iter().find(|g| g["by"] == "city" && g["key"] == "140100").unwrap();
    let in_taiyuan: Vec<&Value> = rows.iter().filter(|r| r["cityCode"] == "140100").collect();
    let good = in_taiyuan.iter().filter(|r| r["grade"] == "优" || r["grade"] == "良").count() as u64;
    assert_eq!((taiyuan_rate["rate"]["num"].as_u64(), taiyuan_rate["rate"]["den"].as_u64()), (Some(good), Some(14)));
    let batches: u64 = groups.iter().filter(|g| g["by"] == "batch").map(|g| g["rate"]["den"].as_u64().unwrap()).sum();
    assert_eq!(batches, 176);
    // Rankings: enterprises in order of score; cities with 优良率.
    let ranks: Value =
        s.get(&format!("/api/v1/rankings?period={week}&of=enterprises"), Some(&province)).await.json().await.unwrap();
    let scores: Vec<f64> = ranks["rows"].as_array().unwrap().iter().map(|r| r["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]));
    assert_eq!(ranks["rows"][0]["rank"], 1);
    let cities: Value =
        s.get(&format!("/api/v1/rankings?period={month}&of=cities"), Some(&taiyuan)).await.json().await.unwrap();
    assert_eq!(cities["rows"].as_array().unwrap().len(), 11, "a city sees every city's aggregate");
    assert!(cities["rows"][0]["excellentGoodRate"]["den"].is_u64());
}
