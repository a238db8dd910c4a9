//! Warning handling through the API (`docs/warnings.md`): the whole loop on both backends (the enterprise signs and
//! responds, the city returns and verifies, the province supervises), escalation once across passes, scope, files,
//! events and notifications.

use crate::changes::OWN;
use crate::warning_ids::danger;
use crate::wire::{chain, id};
use crate::{Server, assert_problem};
use api::Role;
use base64::Engine;
use domain::City;
use domain::account::AccountRole;
use serde_json::{Value, json};

both_backends!(a_red_warning_is_signed_answered_returned_supervised_escalated_and_verified);

/// POSTs an action and returns the status and the answer.
async fn act(s: &Server, warning: &str, token: &str, body: Value) -> (u16, Value) {
    let res = s.post(&format!("/api/v1/warnings/{warning}/actions"), token, body).await;
    (res.status().as_u16(), res.json().await.unwrap())
}

/// The `warning.*` kinds of the feed after `warning.opened`/`.closed`, in order.
fn handling_events(s: &Server) -> Vec<String> {
    let events = s.db.with(|c| Ok(storage::events::after(c, 0, 100_000, &Default::default(), &[])?)).unwrap();
    events
        .into_iter()
        .map(|e| e.kind)
        .filter(|k| k.starts_with("warning.") && k != "warning.opened" && k != "warning.closed")
        .collect()
}

/// Opens a red warning (an overdue 重大 danger of `OWN`) and its case; returns the warning id.
pub async fn red_warning(s: &Server) -> String {
    for (table, batch) in chain(OWN) {
        assert_eq!(s.push(table, OWN, &batch).await.0, 200);
    }
    let (status, r) = s.push("danger", OWN, &json!([danger("d1", false)])).await;
    assert_eq!(status, 200, "{r}");
    api::changes::detect::detect(&s.state, s.clock.now_utc()).await.unwrap();
    format!("{OWN}.overdue_major_danger.{}", id("d1"))
}

async fn a_red_warning_is_signed_answered_returned_supervised_escalated_and_verified(s: Server) {
    let new = storage::accounts::NewAccount::new("province", "王工", AccountRole::Province);
    let policy = domain::account::PasswordPolicy::default();
    s.db.with(|c| Ok(storage::accounts::create(c, &new, "First-pass-1", &policy, s.clock.now_utc()).unwrap())).unwrap();
    let w = red_warning(&s).await;
    let province = s.token(Role::Province, None, None);
    let city = s.token(Role::City, Some(City::Taiyuan), None);
    let other_city = s.token(Role::City, Some(City::Datong), None);
    let ent = s.token(Role::Enterprise, None, Some(OWN));
    let other_ent = s.token(Role::Enterprise, None, Some("140200001"));

    // Opened: 待签收, a timeline with its opening, each party's actions.
    let one: Value = s.get(&format!("/api/v1/warnings/{w}"), Some(&ent)).await.json().await.unwrap();
    let h = &one["handling"];
    assert_eq!((h["state"].as_str(), h["stateLabel"].as_str()), (Some("pending_sign"), Some("待签收")), "{one}");
    assert_eq!(h["timeline"][0]["action"], "opened");
    assert_eq!(h["actions"], json!(["sign", "note"]));
    let p: Value = s.get(&format!("/api/v1/warnings/{w}"), Some(&province)).await.json().await.unwrap();
    assert_eq!(p["handling"]["actions"], json!(["supervise", "note"]));
    let unread: Value = s.get("/api/v1/notifications", Some(&province)).await.json().await.unwrap();
    assert_eq!(unread["unread"], 1, "a red warning tells the province: {unread}");
    assert!(unread["rows"][0]["title"].as_str().unwrap().starts_with("红色预警新预警待签收"), "{unread}");

    // Scope and order.
    assert_problem(
        s.post(&format!("/api/v1/warnings/{w}/actions"), &other_city, json!({"action": "sign"})).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        s.post(&format!("/api/v1/warnings/{w}/actions"), &other_ent, json!({"action": "sign"})).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        s.post(&format!("/api/v1/warnings/{w}/actions"), &province, json!({"action": "sign"})).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(s.get(&format!("/api/v1/warnings/{w}"), Some(&other_city)).await, 403, "forbidden").await;
    let (st, r) = act(&s, &w, &ent, json!({"action": "respond", "note": "已处理"})).await;
    assert_eq!((st, r["code"].as_str()), (409, Some("action_not_allowed")), "respond before sign: {r}");
    let (st, r) = act(&s, &w, &ent, json!({"action": "fly"})).await;
    assert_eq!((st, r["code"].as_str()), (422, Some("bad_action")), "{r}");

    // The enterprise signs, reports progress with a photo, then its measures.
    let (st, r) = act(&s, &w, &ent, json!({"action": "sign"})).await;
    assert_eq!((st, r["handling"]["state"].as_str()), (200, Some("signed")), "{r}");
    assert_eq!(r["handling"]["signedBy"], format!("enterprise:{OWN}"));
    let photo = b"\x89PNG fake photo bytes".to_vec();
    let data = base64::engine::general_purpose::STANDARD.encode(&photo);
    let file = json!([{"name": "现场照片.png", "contentType": "image/png", "data": data}]);
    let (st, r) =
        act(&s, &w, &ent, json!({"action": "respond", "note": "已停用储罐", "done": false, "attachments": file})).await;
    assert_eq!((st, r["handling"]["state"].as_str()), (200, Some("handling")), "{r}");
    let url = r["handling"]["timeline"].as_array().unwrap().last().unwrap()["attachments"][0]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let got = s.get(&url, Some(&city)).await;
    assert_eq!(got.status(), 200);
    assert_eq!(got.bytes().await.unwrap().to_vec(), photo);
    assert_problem(s.get(&url, Some(&other_city)).await, 403, "forbidden").await;
    assert_problem(s.get("/api/v1/attachments/xyz", Some(&city)).await, 400, "bad_path").await;
    let (st, r) = act(&s, &w, &ent, json!({"action": "respond", "note": "已更换液位计"})).await;
    assert_eq!((st, r["handling"]["state"].as_str()), (200, Some("pending_verify")), "{r}");

    // The city returns it twice; the second return escalates it (once, however often the job runs).
    let (st, r) = act(&s, &w, &city, json!({"action": "return"})).await;
    assert_eq!((st, r["code"].as_str()), (422, Some("note_required")), "{r}");
    let (st, r) = act(&s, &w, &city, json!({"action": "return", "note": "缺少检测报告"})).await;
    assert_eq!(
        (st, r["handling"]["state"].as_str(), r["handling"]["returns"].as_i64()),
        (200, Some("handling"), Some(1))
    );
    act(&s, &w, &ent, json!({"action": "respond", "note": "补充检测报告"})).await;
    let (st, r) = act(&s, &w, &city, json!({"action": "return", "note": "报告未盖章"})).await;
    assert_eq!((st, r["handling"]["returns"].as_i64()), (200, Some(2)));
    let now = s.clock.now_utc();
    assert_eq!(api::handling::escalation::escalate(&s.state, now).await.unwrap(), 1);
    assert_eq!(api::handling::escalation::escalate(&s.state, now).await.unwrap(), 0, "once");

    // The province supervises with a deadline.
    let (st, r) = act(&s, &w, &province, json!({"action": "supervise", "note": "限期整改"})).await;
    assert_eq!((st, r["code"].as_str()), (422, Some("deadline_required")), "{r}");
    let (st, r) =
        act(&s, &w, &province, json!({"action": "supervise", "note": "限期整改", "deadline": "2099-01-31"})).await;
    assert_eq!(st, 200, "{r}");
    let h = &r["handling"];
    assert_eq!(
        (h["superviseDeadline"].as_str(), h["closeDue"].as_str()),
        (Some("2099-02-01T00:00:00+08:00"), Some("2099-02-01T00:00:00+08:00"))
    );
    assert_eq!(
        (h["escalationLevel"].as_i64(), h["escalations"][0]["reason"].as_str()),
        (Some(1), Some("returned_twice"))
    );

    // Measures again; the city verifies; nothing applies after.
    act(&s, &w, &ent, json!({"action": "respond", "note": "报告已盖章"})).await;
    let (st, r) = act(&s, &w, &city, json!({"action": "verify", "note": "核销"})).await;
    assert_eq!(
        (st, r["handling"]["state"].as_str(), r["handling"]["stateLabel"].as_str()),
        (200, Some("closed"), Some("已办结"))
    );
    let (st, r) = act(&s, &w, &city, json!({"action": "verify"})).await;
    assert_eq!((st, r["code"].as_str()), (409, Some("action_not_allowed")));

    // The feed has one event per action and the escalation, in order.
    assert_eq!(
        handling_events(&s),
        [
            "warning.signed",
            "warning.responded",
            "warning.responded",
            "warning.returned",
            "warning.responded",
            "warning.returned",
            "warning.escalated",
            "warning.supervised",
            "warning.responded",
            "warning.verified"
        ]
    );
    // Lists: the city's cases, by state.
    let list: Value = s.get("/api/v1/warning-cases?state=closed", Some(&city)).await.json().await.unwrap();
    assert_eq!((list["total"].as_i64(), list["counts"]["closed"].as_i64()), (Some(1), Some(1)), "{list}");
    let none: Value = s.get("/api/v1/warning-cases", Some(&other_city)).await.json().await.unwrap();
    let rows = none["rows"].as_array().unwrap();
    assert!(!rows.is_empty() && rows.iter().all(|r| r["cityCode"] == "140200"), "Datong's own only: {none}");
    // The province heard of every step but its own supervision; marking read clears the count.
    let heard: Value = s.get("/api/v1/notifications", Some(&province)).await.json().await.unwrap();
    assert_eq!(heard["unread"], 10, "{heard}");
    let read: Value = s.post("/api/v1/notifications/read", &province, json!({})).await.json().await.unwrap();
    assert_eq!((read["marked"].as_i64(), read["unread"].as_i64()), (Some(10), Some(0)));
    // E-mail digests are opt-in, per account.
    let off: Value = s.get("/api/v1/notifications/email", Some(&province)).await.json().await.unwrap();
    assert_eq!(off, json!({"enabled": false}));
    let res = s.http.put(format!("{}/api/v1/notifications/email", s.base)).bearer_auth(&province);
    assert_eq!(res.json(&json!({"enabled": true})).send().await.unwrap().status(), 200);
    let on: Value = s.get("/api/v1/notifications/email", Some(&province)).await.json().await.unwrap();
    assert_eq!(on, json!({"enabled": true}));
}
