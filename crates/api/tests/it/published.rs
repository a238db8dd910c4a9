//! Published means stored (`metrics.md` §6): once the weekly job stores a week, every route answers it from the
//! stored rows whatever arrives later; a correction is revision 2 and revision 1 stays readable; a week not stored is
//! `provisional`; rank change is taken against the published ranking. Also the gaming case of issue 18: four records
//! and no task is vetoed `no_tasks`.

use crate::wire::{chain, check, event, hazard, measure, unit};
use crate::{Server, assert_problem, query_value};
use api::Role;
use chrono::TimeDelta;
use domain::City;
use serde_json::{Value, json};

/// Sends no check in 2026-W47: stored as vetoed `not_in_use`, then its checks arrive late.
const LATE: &str = "140100001";
/// Checks every day of 2026-W47.
const DILIGENT: &str = "140100002";
/// One hazard source, unit, event and measure, and no task at all.
const BARE: &str = "140100003";
const WEEK: &str = "2026-W47";

both_backends!(at "2026-11-25T10:30:00+08:00" => a_stored_week_stays_put_and_a_correction_is_a_new_revision);

/// A check of task `t1` at 09:00 local on a day of November.
fn check_on(company: &str, day: u32) -> Value {
    let mut c = check(company, &format!("c{day}"), "t1");
    c["checkTime"] = json!(format!("202611{day:02}090000"));
    c
}

async fn push_ok(s: &Server, table: &str, company: &str, batch: Value) {
    let (status, r) = s.push(table, company, &batch).await;
    assert_eq!((status, r["rejected"].as_u64()), (200, Some(0)), "{table} {r}");
}

async fn json_of(s: &Server, path: &str, token: &str) -> Value {
    let res = s.get(path, Some(token)).await;
    assert_eq!(res.status(), 200, "{path}");
    res.json().await.unwrap()
}

fn row<'a>(rows: &'a Value, code: &str) -> &'a Value {
    rows.as_array().unwrap().iter().find(|r| r["companyCode"] == code || r["key"] == code).unwrap()
}

async fn a_stored_week_stays_put_and_a_correction_is_a_new_revision(s: Server) {
    for company in [LATE, DILIGENT] {
        for (table, batch) in chain(company) {
            push_ok(&s, table, company, batch).await;
        }
    }
    push_ok(&s, "check_record", DILIGENT, json!((15..=21).map(|d| check_on(DILIGENT, d)).collect::<Vec<_>>())).await;
    push_ok(&s, "hazard_source", BARE, json!([hazard(BARE, "h1", "HZ-1")])).await;
    push_ok(&s, "risk_unit", BARE, json!([unit(BARE, "u1", "HZ-1")])).await;
    push_ok(&s, "risk_event", BARE, json!([event(BARE, "e1", "u1")])).await;
    push_ok(&s, "control_measure", BARE, json!([measure(BARE, "m1", "e1")])).await;
    let province = s.token(Role::Province, None, None);
    let evaluations = format!("/api/v1/evaluations?week={WEEK}");
    let ranking = format!("/api/v1/rankings?period={WEEK}&of=enterprises&city=140100");

    // Before the weekly job the week is provisional everywhere.
    let live = json_of(&s, &evaluations, &province).await;
    assert_eq!((live["provisional"].as_bool(), &live["revision"]), (Some(true), &Value::Null));
    assert!(live["rows"].as_array().unwrap().iter().all(|r| r["provisional"] == true));
    let ranked = json_of(&s, &ranking, &province).await;
    assert_eq!((ranked["provisional"].as_bool(), &ranked["provisionalWeeks"]), (Some(true), &json!([WEEK])));

    // Hand figures of the week (16–22 Nov, a daily task from 1 Nov): 7 instances due.
    let rows = &live["rows"];
    let bare = row(rows, BARE);
    assert_eq!((bare["score"].as_f64(), bare["grade"].as_str()), (Some(0.0), Some("差")));
    assert_eq!(bare["vetoes"], json!(["no_tasks"]), "four records and no task: nothing could ever be due");
    let late = row(rows, LATE);
    assert_eq!((late["score"].as_f64(), &late["vetoes"]), (Some(0.0), &json!(["not_in_use"])));
    // A = 50 × 7/7; B = 50 × 1 (nothing to rectify) − 5 (no danger in 4 weeks).
    let diligent = row(rows, DILIGENT);
    assert_eq!((diligent["score"].as_f64(), diligent["grade"].as_str()), (Some(95.0), Some("优")));
    assert_eq!(diligent["taskCompletion"], json!({"num": 7, "den": 7, "rate": 1.0}));

    // The weekly job stores the week: revision 1.
    let now = s.clock.now_utc();
    assert_eq!(api::jobs::weekly_evaluation(&s.state, now).await.unwrap(), Some(176));
    let stored = json_of(&s, &evaluations, &province).await;
    assert_eq!((stored["provisional"].as_bool(), stored["revision"].as_i64()), (Some(false), Some(1)));
    assert_eq!(stored["revisions"][0]["actor"], "job");
    let stored_ranking = json_of(&s, &ranking, &province).await;
    assert_eq!(stored_ranking["provisional"], false);
    let feed = json_of(&s, &format!("/api/v1/warning-inputs?week={WEEK}"), &province).await;

    // Late data: LATE's checks of the week arrive two days after it ended.
    s.clock.advance(TimeDelta::minutes(1));
    push_ok(&s, "check_record", LATE, json!((15..=21).map(|d| check_on(LATE, d)).collect::<Vec<_>>())).await;
    s.clock.advance(TimeDelta::minutes(1));
    assert_eq!(json_of(&s, &evaluations, &province).await, stored, "the stored week does not move");
    let without_as_of = |mut v: Value| {
        v.as_object_mut().unwrap().remove("asOf");
        v
    };
    assert_eq!(
        without_as_of(json_of(&s, &ranking, &province).await),
        without_as_of(stored_ranking.clone()),
        "nor does its ranking"
    );
    // W46 was never stored, so W47's ranking has no published previous ranking: no rank change.
    assert!(stored_ranking["rows"].as_array().unwrap().iter().all(|r| r["rankChange"].is_null()));
    let feed_after = json_of(&s, &format!("/api/v1/warning-inputs?week={WEEK}"), &province).await;
    assert_eq!(row(&feed_after["rows"], LATE)["score"], row(&feed["rows"], LATE)["score"]);
    assert_eq!(row(&feed_after["rows"], LATE)["revision"], 1);
    // Every route gives the same score and grade as the stored row.
    let stored_rows = &stored["rows"];
    for r in stored_ranking["rows"].as_array().unwrap() {
        let e = row(stored_rows, r["key"].as_str().unwrap());
        assert_eq!((&r["score"], &r["grade"]), (&e["score"], &e["grade"]), "{r}");
    }

    // A correction: only the province, only with a reason, only for a stored week, only when something changes.
    let revisions = format!("/api/v1/evaluations/{WEEK}/revisions");
    let taiyuan = s.token(Role::City, Some(City::Taiyuan), None);
    assert_problem(s.post(&revisions, &taiyuan, json!({"reason": "补报"})).await, 403, "forbidden").await;
    assert_problem(s.post(&revisions, &province, json!({"reason": "  "})).await, 422, "reason_required").await;
    let next = "/api/v1/evaluations/2026-W48/revisions";
    assert_problem(s.post(next, &province, json!({"reason": "补报"})).await, 422, "week_not_stored").await;
    let res = s.post(&revisions, &province, json!({"reason": "企业补报 11 月 15–21 日检查记录"})).await;
    assert_eq!(res.status(), 201);
    let answer: Value = res.json().await.unwrap();
    assert_eq!(answer["revision"], 2);
    let changed: Vec<&str> =
        answer["changed"].as_array().unwrap().iter().map(|c| c["companyCode"].as_str().unwrap()).collect();
    assert_eq!(changed, [LATE], "only the enterprise whose data arrived");
    assert_eq!(answer["changed"][0]["before"]["score"], 0.0);
    assert_eq!(answer["changed"][0]["after"]["score"], 95.0);
    assert_problem(s.post(&revisions, &province, json!({"reason": "again"})).await, 422, "no_change").await;

    // Revision 2 is what every route publishes now; revision 1 stays readable, and is what an asOf before 2 sees.
    let second = json_of(&s, &evaluations, &province).await;
    assert_eq!(second["revision"], 2);
    assert_eq!(row(&second["rows"], LATE)["score"], 95.0);
    assert_eq!(second["revisions"][1]["reason"], "企业补报 11 月 15–21 日检查记录");
    assert_eq!(second["revisions"].as_array().unwrap().len(), 2);
    let first = json_of(&s, &format!("{evaluations}&revision=1"), &province).await;
    assert_eq!((&first["rows"], &first["asOf"]), (&stored["rows"], &stored["asOf"]), "revision 1 as stored");
    let between = (now + TimeDelta::seconds(90)).and_utc().to_rfc3339();
    let then = json_of(&s, &format!("{evaluations}&asOf={}", query_value(&between)), &province).await;
    assert_eq!((then["revision"].as_i64(), &then["rows"]), (Some(1), &stored["rows"]));
    assert_problem(s.get(&format!("{evaluations}&revision=3"), Some(&province)).await, 404, "not_found").await;
    let ranked = json_of(&s, &ranking, &province).await;
    assert_eq!(row(&ranked["rows"], LATE)["score"], 95.0);
    let events =
        s.db.with(|c| Ok(storage::events::after(c, 0, 1000, &Default::default(), &["evaluation.revised".to_owned()])?))
            .unwrap();
    assert_eq!(events.len(), 1);

    // Rank change of the running week is taken against the published ranking of the stored week.
    let prev: std::collections::HashMap<String, i64> = ranked["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["key"].as_str().unwrap().to_owned(), r["rank"].as_i64().unwrap()))
        .collect();
    let running = json_of(&s, "/api/v1/rankings?period=2026-W48&of=enterprises&city=140100", &province).await;
    assert_eq!(running["provisional"], true);
    for r in running["rows"].as_array().unwrap() {
        let expected = prev.get(r["key"].as_str().unwrap()).map(|p| p - r["rank"].as_i64().unwrap());
        assert_eq!(r["rankChange"].as_i64(), expected, "{r}");
    }
}
