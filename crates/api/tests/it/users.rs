//! Accounts administered with separated duties (三员分立): the system administrator makes a business account
//! (pending), the security administrator confirms its role and scope, neither may do the other's part or touch its
//! own account, the person signs in with the temporary password, and every change is audited with the administrator.

use crate::sessions::{cookie_of, make, sign_in, with_cookie};
use crate::{Server, assert_problem};
use domain::account::AccountRole;
use reqwest::Method;
use serde_json::{Value, json};

both_backends!(at "2026-11-25T10:30:00+08:00" => administrators_split_the_duties);

async fn signed_in(s: &Server, username: &str) -> String {
    let res = sign_in(s, username, "Second-pass-2").await;
    assert_eq!(res.status(), 200, "{username} signs in");
    cookie_of(&res)
}

async fn administrators_split_the_duties(s: Server) {
    make(&s, "sys1", AccountRole::Sysadmin, None, false);
    make(&s, "sec1", AccountRole::Secadmin, None, false);
    make(&s, "prov1", AccountRole::Province, None, false);
    let (sys, sec, prov) = (signed_in(&s, "sys1").await, signed_in(&s, "sec1").await, signed_in(&s, "prov1").await);
    let new = json!({"username": "ty-li", "displayName": "李四", "role": "city", "cityCode": "140100"});
    // Only the system administrator makes accounts; a province official may not even list them.
    assert_problem(with_cookie(&s, Method::POST, "/api/v1/users", &sec, Some(new.clone())).await, 403, "forbidden")
        .await;
    assert_problem(with_cookie(&s, Method::GET, "/api/v1/users", &prov, None).await, 403, "forbidden").await;
    let res = with_cookie(&s, Method::POST, "/api/v1/users", &sys, Some(new.clone())).await;
    assert_eq!(res.status(), 201);
    let made: Value = res.json().await.unwrap();
    assert_eq!(made["account"]["state"], "pending");
    assert_eq!(made["account"]["cityCode"], "140100");
    let temporary = made["temporaryPassword"].as_str().unwrap().to_owned();
    assert!(made["account"].get("passwordHash").is_none() && !made.to_string().contains("argon2"));
    // Refusals, each with its code.
    let again = with_cookie(&s, Method::POST, "/api/v1/users", &sys, Some(new.clone())).await;
    assert_problem(again, 409, "username_taken").await;
    for (body, code) in [
        (json!({"username": "x", "displayName": "甲", "role": "province"}), "bad_username"),
        (json!({"username": "boss", "displayName": "甲", "role": "secadmin"}), "admin_role_by_cli"),
        (json!({"username": "nocity", "displayName": "甲", "role": "city"}), "bad_scope"),
        (json!({"username": "badcity", "displayName": "甲", "role": "city", "cityCode": "149900"}), "unknown_city"),
    ] {
        assert_problem(with_cookie(&s, Method::POST, "/api/v1/users", &sys, Some(body)).await, 422, code).await;
    }
    // Pending: the person cannot sign in yet, and the system administrator cannot activate it.
    assert_problem(sign_in(&s, "ty-li", &temporary).await, 401, "bad_credentials").await;
    let activate = with_cookie(&s, Method::PATCH, "/api/v1/users/ty-li", &sys, Some(json!({"state": "active"}))).await;
    assert_problem(activate, 422, "confirm_required").await;
    // Each administrator keeps to their duty, whole requests refused.
    let mixed = json!({"displayName": "李四（太原）", "confirm": true});
    assert_problem(
        with_cookie(&s, Method::PATCH, "/api/v1/users/ty-li", &sys, Some(mixed.clone())).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(with_cookie(&s, Method::PATCH, "/api/v1/users/ty-li", &sec, Some(mixed)).await, 403, "forbidden")
        .await;
    let own = with_cookie(&s, Method::PATCH, "/api/v1/users/sec1", &sec, Some(json!({"unlock": true}))).await;
    assert_problem(own, 403, "forbidden").await;
    let elevate = with_cookie(&s, Method::PATCH, "/api/v1/users/ty-li", &sec, Some(json!({"role": "auditor"}))).await;
    assert_problem(elevate, 422, "admin_role_by_cli").await;
    // The security administrator moves the account to another city and confirms it.
    let confirm = json!({"role": "city", "cityCode": "140200", "confirm": true});
    let res = with_cookie(&s, Method::PATCH, "/api/v1/users/ty-li", &sec, Some(confirm)).await;
    assert_eq!(res.status(), 200);
    let confirmed: Value = res.json().await.unwrap();
    assert_eq!(
        (confirmed["account"]["state"].as_str(), confirmed["account"]["cityCode"].as_str()),
        (Some("active"), Some("140200"))
    );
    assert!(confirmed["temporaryPassword"].is_null());
    let twice = with_cookie(&s, Method::PATCH, "/api/v1/users/ty-li", &sec, Some(json!({"confirm": true}))).await;
    assert_problem(twice, 422, "not_pending").await;
    // The person signs in with the temporary password and must change it first.
    let res = sign_in(&s, "ty-li", &temporary).await;
    assert_eq!(res.status(), 200);
    let who: Value = res.json().await.unwrap();
    assert_eq!((who["cityCode"].as_str(), who["mustChangePassword"].as_bool()), (Some("140200"), Some(true)));
    // A reset by the system administrator gives a new temporary password; the old one stops working.
    let res = with_cookie(&s, Method::PATCH, "/api/v1/users/ty-li", &sys, Some(json!({"resetPassword": true}))).await;
    assert_eq!(res.status(), 200);
    let reset: Value = res.json().await.unwrap();
    let second = reset["temporaryPassword"].as_str().unwrap();
    assert_ne!(second, temporary);
    assert_problem(sign_in(&s, "ty-li", &temporary).await, 401, "bad_credentials").await;
    assert_eq!(sign_in(&s, "ty-li", second).await.status(), 200);
    // Disabled by the system administrator: no sign-in.
    let off = with_cookie(&s, Method::PATCH, "/api/v1/users/ty-li", &sys, Some(json!({"state": "disabled"}))).await;
    assert_eq!(off.status(), 200);
    assert_problem(sign_in(&s, "ty-li", second).await, 401, "bad_credentials").await;
    let none = with_cookie(&s, Method::PATCH, "/api/v1/users/nobody", &sys, Some(json!({"state": "active"}))).await;
    assert_problem(none, 404, "not_found").await;
    // Both administrators list the accounts; the audit names them and what they changed.
    let list: Value = with_cookie(&s, Method::GET, "/api/v1/users", &sec, None).await.json().await.unwrap();
    let names: Vec<&str> = list["rows"].as_array().unwrap().iter().map(|r| r["username"].as_str().unwrap()).collect();
    assert_eq!(names, ["prov1", "sec1", "sys1", "ty-li"]);
    s.state.audit.flush().await.unwrap();
    let filter = storage::audit::AuditFilter::default();
    let rows = s.db.with(|c| Ok(storage::audit::list(c, &filter, None, 1000).unwrap())).unwrap().rows;
    let changes: Vec<(String, String)> = rows
        .iter()
        .filter(|r| r.route.starts_with("/api/v1/users") && r.status < 300 && r.method != "GET")
        .map(|r| (r.actor.clone(), r.detail.clone().unwrap_or_default()))
        .collect();
    assert_eq!(changes.len(), 4, "made, confirmed, reset, disabled: {changes:?}");
    assert!(changes[0].0 == "sys1" && changes[0].1.contains("\"state\":\"pending\""), "{changes:?}");
    assert!(changes[1].0 == "sec1" && changes[1].1.contains("confirm"), "{changes:?}");
    assert!(changes.iter().all(|(_, d)| !d.contains(second) && !d.contains(&temporary)), "no password is audited");
}
