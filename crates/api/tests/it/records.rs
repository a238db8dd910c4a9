//! Records by their content (issue 18): the record page with every version, its batch and receipt time, scoped like
//! the figures; explanations and warnings carry what an inspector reads (name, level, description, 责任人, deadline,
//! state; task content and cycle).

use crate::data_quality::danger;
use crate::wire::{chain, id};
use crate::{Server, assert_problem};
use api::Role;
use chrono::TimeDelta;
use domain::City;
use serde_json::{Value, json};

const OWN: &str = "140100001";
/// The same ids in another city's enterprise: ids are unique per enterprise only.
const OTHER: &str = "140200001";

both_backends!(at "2026-11-25T10:30:00+08:00" => a_record_shows_its_versions_and_lists_show_content);

async fn a_record_shows_its_versions_and_lists_show_content(s: Server) {
    for company in [OWN, OTHER] {
        for (table, batch) in chain(company) {
            assert_eq!(s.push(table, company, &batch).await.0, 200);
        }
    }
    // A danger due on 2026-11-20, sent, then corrected (a new version) a minute later.
    let mut d = danger("d1", "2026-11-10 09:00:00");
    d["dangerManageDeadline"] = json!("2026-11-20");
    let (_, first) = s.push("danger", OWN, &json!([d.clone()])).await;
    s.clock.advance(TimeDelta::minutes(1));
    d["dangerDesc"] = json!("法兰处渗漏，已加装接液盘");
    d["updateDate"] = json!("2026-11-11 09:00:00");
    let (_, second) = s.push("danger", OWN, &json!([d])).await;

    let province = s.token(Role::Province, None, None);
    let page: Value =
        s.get(&format!("/api/v1/records/danger/{}", id("d1")), Some(&province)).await.json().await.unwrap();
    let own = &page["records"][0];
    assert_eq!(own["companyCode"], OWN);
    let versions = own["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2, "every stored version");
    assert_eq!((&versions[0]["batchId"], &versions[1]["batchId"]), (&first["batchId"], &second["batchId"]));
    assert!(versions[0]["receivedAt"].as_str().unwrap().starts_with("2026-11-25T10:30"), "{}", versions[0]);
    assert!(versions[1]["receivedAt"].as_str().unwrap() > versions[0]["receivedAt"].as_str().unwrap());
    assert_eq!(versions[1]["fields"]["danger_desc"], "法兰处渗漏，已加装接液盘");
    let summary = &own["summary"];
    assert_eq!(summary["name"], "法兰渗漏");
    let fields: Vec<(&str, &str)> = summary["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["label"].as_str().unwrap(), f["value"].as_str().unwrap()))
        .collect();
    assert!(fields.contains(&("隐患描述", "法兰处渗漏，已加装接液盘")), "the latest version: {fields:?}");
    assert!(fields.contains(&("整改责任人", "赵六")) && fields.contains(&("整改期限", "2026-11-20")), "{fields:?}");
    // Scope: the hazard source id exists in both enterprises; a city sees its own only; a danger of another city
    // is answered like a missing one.
    let h1 = format!("/api/v1/records/hazard_source/{}", id("h1"));
    let all: Value = s.get(&h1, Some(&province)).await.json().await.unwrap();
    assert_eq!(all["records"].as_array().unwrap().len(), 2);
    let datong = s.token(Role::City, Some(City::Datong), None);
    let theirs: Value = s.get(&h1, Some(&datong)).await.json().await.unwrap();
    assert_eq!(theirs["records"].as_array().unwrap().iter().map(|r| &r["companyCode"]).collect::<Vec<_>>(), [OTHER]);
    assert_problem(s.get(&format!("/api/v1/records/danger/{}", id("d1")), Some(&datong)).await, 404, "not_found").await;
    assert_problem(s.get("/api/v1/records/nope/x", Some(&province)).await, 400, "bad_table").await;

    // The overdue danger's warning and the rectification explanation read the same content.
    let warnings: Value = s.get("/api/v1/warnings?city=140100", Some(&province)).await.json().await.unwrap();
    let overdue = warnings["rows"].as_array().unwrap().iter().find(|w| w["kind"] == "overdue_dangers").unwrap();
    assert_eq!(overdue["recordDetails"][0]["name"], "法兰渗漏");
    assert_eq!(overdue["recordDetails"][0]["id"], id("d1"));
    let ex: Value = s
        .get(&format!("/api/v1/metrics/explain?company={OWN}&period=2026-11&metric=rectification"), Some(&province))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ex["items"][0]["record"]["name"], "法兰渗漏");
    let tasks: Value = s
        .get(&format!("/api/v1/metrics/explain?company={OWN}&period=2026-W47&metric=taskCompletion"), Some(&province))
        .await
        .json()
        .await
        .unwrap();
    let task = &tasks["items"][0]["record"];
    assert_eq!((task["name"].as_str(), task["fields"][0]["value"].as_str()), (Some("检查阀门"), Some("每 1 天")));
}
