//! The change feed: a scripted sequence (pushes of two cities, the change detector, the weekly evaluation, the
//! monthly reports and a revision) read back page by page, resumed from the middle, as NDJSON, by long-poll, per
//! role scope, and past retention.

use crate::wire::{chain, check};
use crate::{Server, assert_problem};
use api::Role;
use domain::City;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

both_backends!(the_feed_is_ordered_complete_and_resumable, each_role_sees_its_scope_and_old_cursors_are_gone);

/// An enterprise of 太原 (140100).
pub const OWN: &str = "140100001";
/// An enterprise of 大同 (140200).
pub const FOREIGN: &str = "140200001";

/// The scripted sequence: every kind of event at least once. Returns the kinds in the order they must appear
/// (consecutive repeats collapsed).
pub async fn script(s: &Server) -> Vec<&'static str> {
    for company in [OWN, FOREIGN] {
        for (table, batch) in chain(company) {
            let (status, r) = s.push(table, company, &batch).await;
            assert_eq!(status, 200, "{r}");
        }
    }
    let (status, r) = s.push("check_record", OWN, &json!([check(OWN, "c1", "t1")])).await;
    assert_eq!(status, 200, "{r}");
    let now = testkit::clock().now_utc();
    let figures = api::changes::detect::detect(&s.state, now).await.unwrap();
    assert!(figures > 0, "the detector found no figure of the pushed data");
    assert_eq!(api::changes::detect::detect(&s.state, now).await.unwrap(), 0, "a second pass finds nothing new");
    let warned =
        s.db.with(|c| Ok(storage::events::after(c, 0, 100_000, &Default::default(), &["warning.opened".into()])?))
            .unwrap();
    assert_eq!(api::jobs::weekly_evaluation(&s.state, now).await.unwrap().map(|n| n > 0), Some(true));
    let ids = api::jobs::monthly_report(&s.state, now).await.unwrap().unwrap();
    let month = ids[0].split('.').next().unwrap().to_owned();
    let province = s.token(Role::Province, None, None);
    let res = s.post("/api/v1/reports", &province, json!({"month": month, "city": "140100", "note": "更正"})).await;
    assert_eq!(res.status(), 201);
    let mut kinds = vec!["batch.stored", "figure.changed", "evaluation.published", "report.frozen", "report.revised"];
    if !warned.is_empty() {
        // The detector emits figures, then warnings (its keys are ordered).
        kinds.insert(2, "warning.opened");
    }
    kinds
}

/// Reads the whole feed from `after` in pages of `limit` with a token.
pub async fn read_all(s: &Server, token: &str, after: i64, limit: i64) -> Vec<Value> {
    let (mut out, mut cursor) = (vec![], after);
    loop {
        let res = s.get(&format!("/api/v1/changes?after={cursor}&limit={limit}"), Some(token)).await;
        assert_eq!(res.status(), 200);
        let page: Value = res.json().await.unwrap();
        let events = page["events"].as_array().unwrap().clone();
        assert!(events.len() <= limit as usize);
        if events.is_empty() {
            assert_eq!(page["next"], cursor);
            return out;
        }
        cursor = page["next"].as_i64().unwrap();
        assert_eq!(events.last().unwrap()["cursor"], cursor);
        out.extend(events);
    }
}

fn cursors(events: &[Value]) -> Vec<i64> {
    events.iter().map(|e| e["cursor"].as_i64().unwrap()).collect()
}

fn collapsed_kinds(events: &[Value]) -> Vec<String> {
    let mut kinds: Vec<String> = events.iter().map(|e| e["kind"].as_str().unwrap().to_owned()).collect();
    kinds.dedup();
    kinds
}

async fn the_feed_is_ordered_complete_and_resumable(s: Server) {
    let expected = script(&s).await;
    let province = s.token(Role::Province, None, None);
    let events = read_all(&s, &province, 0, 3).await;
    let seqs = cursors(&events);
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "cursors strictly increase: {seqs:?}");
    // Every stored event, once: the pages together are the table.
    let stored = s.db.with(|c| Ok(storage::events::after(c, 0, 100_000, &Default::default(), &[])?)).unwrap();
    assert_eq!(seqs, stored.iter().map(|e| e.seq).collect::<Vec<_>>());
    assert_eq!(collapsed_kinds(&events), expected);
    let count = |k: &str| events.iter().filter(|e| e["kind"] == k).count();
    assert_eq!(count("batch.stored"), 11);
    assert_eq!(count("evaluation.published"), 1);
    assert_eq!(count("report.frozen"), 12);
    assert_eq!(count("report.revised"), 1);
    let batch = events.iter().find(|e| e["kind"] == "batch.stored").unwrap();
    assert_eq!((batch["cityCode"].as_str(), batch["companyCode"].as_str()), (Some("140100"), Some(OWN)));
    assert_eq!((batch["data"]["table"].as_str(), batch["data"]["accepted"].as_i64()), (Some("hazard_source"), Some(1)));
    let figure = events.iter().find(|e| e["kind"] == "figure.changed").unwrap();
    assert!(figure["data"]["new"]["den"].as_u64().unwrap() > 0, "{figure}");
    assert!(figure["data"]["old"].is_null());

    // Resuming from the middle gives exactly the rest.
    let middle = seqs[seqs.len() / 2];
    let rest = read_all(&s, &province, middle, 1000).await;
    assert_eq!(cursors(&rest), seqs.iter().copied().filter(|c| *c > middle).collect::<Vec<_>>());

    // NDJSON: the same events, one a line.
    let res = s
        .http
        .get(format!("{}/api/v1/changes?after=0&limit=1000", s.base))
        .bearer_auth(&province)
        .header("Accept", "application/x-ndjson")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-type"], "application/x-ndjson");
    assert_eq!(res.headers()["x-next-cursor"].to_str().unwrap(), seqs.last().unwrap().to_string());
    let text = res.text().await.unwrap();
    let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines, events);

    // Long-poll: answered as soon as an event arrives, well before the wait.
    let last = *seqs.last().unwrap();
    let url = format!("{}/api/v1/changes?after={last}&wait=20s", s.base);
    let poll = s.http.get(url).bearer_auth(&province).send();
    let push = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let (status, _) = s.push("check_record", OWN, &json!([check(OWN, "c2", "t1")])).await;
        assert_eq!(status, 200);
        Instant::now()
    };
    let started = Instant::now();
    let (res, pushed) = tokio::join!(poll, push);
    let answered = Instant::now();
    let page: Value = res.unwrap().json().await.unwrap();
    assert_eq!(page["events"].as_array().unwrap().len(), 1, "{page}");
    assert_eq!(page["events"][0]["kind"], "batch.stored");
    assert!(answered - started < Duration::from_secs(5), "the long-poll waited {:?}", answered - started);
    println!("long-poll wake latency after the push answer: {:?}", answered.saturating_duration_since(pushed));

    // A long-poll with nothing to say answers an empty page after the wait.
    let next = page["next"].as_i64().unwrap();
    let started = Instant::now();
    let res = s.get(&format!("/api/v1/changes?after={next}&wait=1s"), Some(&province)).await;
    let page: Value = res.json().await.unwrap();
    assert_eq!(page, json!({"events": [], "next": next}));
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_problem(s.get("/api/v1/changes?wait=forever", Some(&province)).await, 400, "bad_wait").await;
    assert_problem(s.get("/api/v1/changes?after=-1", Some(&province)).await, 400, "bad_cursor").await;
    assert_problem(s.get("/api/v1/changes?kinds=batch.gone", Some(&province)).await, 400, "bad_kind").await;
    // Kinds filter: only the asked kinds, still in order.
    let res = s.get("/api/v1/changes?kinds=report.frozen,report.revised&limit=1000", Some(&province)).await;
    let page: Value = res.json().await.unwrap();
    let reports: Vec<&Value> = events.iter().filter(|e| e["kind"].as_str().unwrap().starts_with("report.")).collect();
    assert_eq!(page["events"].as_array().unwrap().iter().collect::<Vec<_>>(), reports);
}

async fn each_role_sees_its_scope_and_old_cursors_are_gone(s: Server) {
    script(&s).await;
    let province = read_all(&s, &s.token(Role::Province, None, None), 0, 50).await;
    let city = read_all(&s, &s.token(Role::City, Some(City::Taiyuan), None), 0, 50).await;
    let enterprise = read_all(&s, &s.token(Role::Enterprise, None, Some(OWN)), 0, 50).await;
    let service = read_all(&s, &s.token(Role::Service, None, None), 0, 50).await;
    assert!(province.iter().any(|e| e["cityCode"] == "140200"), "the province sees 大同's events");
    for e in &city {
        let scoped = e["cityCode"] == "140100" || (e["cityCode"].is_null() && e["companyCode"].is_null());
        assert!(scoped, "a city token saw {e}");
        assert!(e["companyCode"].as_str().is_none_or(|c| c.starts_with("140100")), "{e}");
    }
    let own_batches = city.iter().filter(|e| e["kind"] == "batch.stored").count();
    assert_eq!(own_batches, 6, "the city sees every batch of its own enterprise");
    let expected: Vec<&Value> = province
        .iter()
        .filter(|e| e["cityCode"] == "140100" || (e["cityCode"].is_null() && e["companyCode"].is_null()))
        .collect();
    assert_eq!(city.iter().collect::<Vec<_>>(), expected, "and nothing of its own is missing");
    assert!(!enterprise.is_empty() && enterprise.iter().all(|e| e["companyCode"] == OWN), "{enterprise:?}");
    assert!(!service.is_empty() && service.iter().all(|e| e["kind"] != "batch.stored"));
    assert_eq!(service.len(), province.iter().filter(|e| e["kind"] != "batch.stored").count());
    let service_token = s.token(Role::Service, None, None);
    let refused = s.get("/api/v1/changes?kinds=batch.stored", Some(&service_token)).await;
    assert_problem(refused, 403, "forbidden").await;

    // Retention: everything but the newest event is removed; a cursor from before it is 410 with the oldest.
    let newest = cursors(&province).into_iter().max().unwrap();
    assert_eq!(api::changes::worker::prune(&s.state, Duration::ZERO).await.unwrap(), province.len() - 1);
    let token = s.token(Role::Province, None, None);
    let body = assert_problem(s.get("/api/v1/changes?after=0", Some(&token)).await, 410, "cursor_expired").await;
    assert_eq!(body["oldestCursor"], newest);
    let res = s.get(&format!("/api/v1/changes?after={}", newest - 1), Some(&token)).await;
    let page: Value = res.json().await.unwrap();
    assert_eq!(cursors(page["events"].as_array().unwrap()), vec![newest]);
}
