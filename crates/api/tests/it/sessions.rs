//! People sign in (issue 20): the session cookie, wrong passwords and lockout (unknown names alike), the forced
//! password change, CSRF, the person's scope, idle expiry, sign-out, the auditor's duty, and the audit naming the
//! person.

use crate::{Server, assert_problem};
use chrono::TimeDelta;
use domain::account::{AccountRole, PasswordPolicy};
use reqwest::Response;
use serde_json::{Value, json};
use storage::accounts::{self, NewAccount};

both_backends!(at "2026-11-25T10:30:00+08:00" => people_sign_in_with_a_session);

pub fn make(s: &Server, username: &str, role: AccountRole, city: Option<&str>, must_change: bool) {
    let new = NewAccount::new(username, "张三", role).in_city(city);
    let (p, now) = (PasswordPolicy::default(), s.clock.now_utc());
    s.db.with(|c| Ok(accounts::create(c, &new, "First-pass-1", &p, now).unwrap())).unwrap();
    if !must_change {
        s.db.with(|c| {
            accounts::set_password(c, username, "Second-pass-2", false, &p, now).unwrap();
            Ok(())
        })
        .unwrap();
    }
}

pub async fn sign_in(s: &Server, username: &str, password: &str) -> Response {
    let body = json!({"username": username, "password": password});
    s.http.post(format!("{}/api/v1/session", s.base)).json(&body).send().await.unwrap()
}

/// The `name=value` of the session cookie a response sets.
pub fn cookie_of(res: &Response) -> String {
    let set = res.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.contains("Path=/"), "{set}");
    set.split(';').next().unwrap().to_owned()
}

pub async fn with_cookie(
    s: &Server,
    method: reqwest::Method,
    path: &str,
    cookie: &str,
    body: Option<Value>,
) -> Response {
    let mut req = s.http.request(method.clone(), format!("{}{path}", s.base)).header("Cookie", cookie);
    if method != reqwest::Method::GET {
        req = req.header("X-Requested-With", "dualprev");
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send().await.unwrap()
}

async fn people_sign_in_with_a_session(s: Server) {
    make(&s, "ty-zhang", AccountRole::City, Some("140100"), true);
    make(&s, "locky", AccountRole::Province, None, false);
    make(&s, "auditor1", AccountRole::Auditor, None, false);
    let get = reqwest::Method::GET;

    // Wrong passwords: 401 four times, then locked for 15 minutes even with the right one; unknown names alike.
    for _ in 0..4 {
        assert_problem(sign_in(&s, "locky", "nope").await, 401, "bad_credentials").await;
        assert_problem(sign_in(&s, "ghost", "nope").await, 401, "bad_credentials").await;
    }
    assert_problem(sign_in(&s, "locky", "nope").await, 423, "account_locked").await;
    assert_problem(sign_in(&s, "locky", "Second-pass-2").await, 423, "account_locked").await;
    assert_problem(sign_in(&s, "ghost", "nope").await, 423, "account_locked").await;

    // First sign-in: the password must be changed before anything else.
    let res = sign_in(&s, "ty-zhang", "First-pass-1").await;
    assert_eq!(res.status(), 200);
    let cookie = cookie_of(&res);
    let who: Value = res.json().await.unwrap();
    assert_eq!((who["role"].as_str(), who["cityCode"].as_str()), (Some("city"), Some("140100")));
    assert_eq!(who["mustChangePassword"], true);
    let metrics = "/api/v1/metrics?period=2026-W47&by=city";
    assert_problem(with_cookie(&s, get.clone(), metrics, &cookie, None).await, 403, "password_change_required").await;
    // CSRF: a state-changing request made with the cookie needs the header.
    let change = json!({"oldPassword": "First-pass-1", "newPassword": "Taiyuan-2026!"});
    let no_header = s
        .http
        .put(format!("{}/api/v1/session/password", s.base))
        .header("Cookie", &cookie)
        .json(&change)
        .send()
        .await
        .unwrap();
    assert_problem(no_header, 403, "csrf").await;
    let weak = json!({"oldPassword": "First-pass-1", "newPassword": "taiyuan"});
    let put = reqwest::Method::PUT;
    assert_problem(
        with_cookie(&s, put.clone(), "/api/v1/session/password", &cookie, Some(weak)).await,
        422,
        "weak_password",
    )
    .await;
    let done = with_cookie(&s, put, "/api/v1/session/password", &cookie, Some(change)).await;
    assert_eq!(done.status(), 204);

    // Now the person acts with the city's scope, as a city token would.
    let m = with_cookie(&s, get.clone(), metrics, &cookie, None).await;
    assert_eq!(m.status(), 200);
    let rows: Value = m.json().await.unwrap();
    assert!(rows["rows"].as_array().unwrap().iter().all(|r| r["key"] == "140100"));
    let other = "/api/v1/metrics?period=2026-W47&by=city&city=140200";
    assert_problem(with_cookie(&s, get.clone(), other, &cookie, None).await, 403, "forbidden").await;
    // The audit trail names the person.
    s.state.audit.flush().await.unwrap();
    let filter = storage::audit::AuditFilter { actor: Some("ty-zhang".into()), ..Default::default() };
    let page = s.db.with(|c| storage::audit::list(c, &filter, None, 100)).unwrap();
    let routes: Vec<&str> = page.rows.iter().map(|r| r.route.as_str()).collect();
    assert!(routes.contains(&"/api/v1/session") && routes.contains(&"/api/v1/metrics"), "{routes:?}");

    // Idle for 15 minutes: the session has ended.
    s.clock.advance(TimeDelta::minutes(15));
    assert_problem(with_cookie(&s, get.clone(), "/api/v1/session", &cookie, None).await, 401, "unauthorized").await;
    // Sign in again and out.
    let cookie = cookie_of(&sign_in(&s, "ty-zhang", "Taiyuan-2026!").await);
    assert_eq!(with_cookie(&s, get.clone(), "/api/v1/session", &cookie, None).await.status(), 200);
    let out = with_cookie(&s, reqwest::Method::DELETE, "/api/v1/session", &cookie, None).await;
    assert_eq!(out.status(), 204);
    assert_problem(with_cookie(&s, get.clone(), "/api/v1/session", &cookie, None).await, 401, "unauthorized").await;

    // The auditor reads the audit trail and nothing else.
    let cookie = cookie_of(&sign_in(&s, "auditor1", "Second-pass-2").await);
    assert_eq!(with_cookie(&s, get.clone(), "/api/v1/audit", &cookie, None).await.status(), 200);
    assert_problem(with_cookie(&s, get, metrics, &cookie, None).await, 403, "forbidden").await;
}
