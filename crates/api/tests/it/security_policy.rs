//! The security policy (issue 20, 三员分立): everyone signed in reads the rules in force; only the security
//! administrator sets them, within bounds (422 `bad_policy`, nothing stored); a new version applies at once to
//! password changes, lockouts, the idle timeout and the absolute end of sessions started after it, and is audited
//! with the administrator and the numbers.

use crate::sessions::{cookie_of, make, sign_in, with_cookie};
use crate::{Server, assert_problem};
use chrono::TimeDelta;
use domain::account::AccountRole;
use reqwest::Method;
use serde_json::{Value, json};

both_backends!(at "2026-11-25T10:30:00+08:00" => the_security_administrator_sets_the_policy);

const PATH: &str = "/api/v1/security-policy";

async fn signed_in(s: &Server, username: &str) -> String {
    let res = sign_in(s, username, "Second-pass-2").await;
    assert_eq!(res.status(), 200, "{username} signs in");
    cookie_of(&res)
}

fn policy(min_length: u32, idle: u32) -> Value {
    json!({"passwordMinLength": min_length, "passwordClasses": 3, "passwordHistory": 5, "passwordMaxAgeDays": 90,
           "lockAfter": 3, "lockMinutes": 30, "idleMinutes": idle, "absoluteHours": 8})
}

async fn the_security_administrator_sets_the_policy(s: Server) {
    make(&s, "sys1", AccountRole::Sysadmin, None, false);
    make(&s, "sec1", AccountRole::Secadmin, None, false);
    make(&s, "prov1", AccountRole::Province, None, false);
    let (sys, sec, prov) = (signed_in(&s, "sys1").await, signed_in(&s, "sec1").await, signed_in(&s, "prov1").await);
    // The defaults, readable by a business user; the bounds come along.
    let read: Value = with_cookie(&s, Method::GET, PATH, &prov, None).await.json().await.unwrap();
    assert_eq!((read["version"].as_i64(), read["policy"]["passwordMinLength"].as_u64()), (Some(0), Some(10)));
    assert_eq!(read["bounds"].as_array().unwrap().len(), 8);
    assert_eq!(read["bounds"][0], json!({"field": "passwordMinLength", "min": 8, "max": 128}));
    // Only the security administrator sets it; out of bounds stores nothing.
    assert_problem(with_cookie(&s, Method::PUT, PATH, &sys, Some(policy(12, 5))).await, 403, "forbidden").await;
    let low =
        assert_problem(with_cookie(&s, Method::PUT, PATH, &sec, Some(policy(7, 5))).await, 422, "bad_policy").await;
    assert!(low["detail"].as_str().unwrap().contains("passwordMinLength"), "{low}");
    let unknown = json!({"passwordMinLength": 12, "shoeSize": 42});
    assert_eq!(with_cookie(&s, Method::PUT, PATH, &sec, Some(unknown)).await.status(), 400);
    assert_eq!(s.db.with(storage::security_policy::current).unwrap(), None);
    // Version 1: 12 characters, 3 failures lock, 5 minutes idle.
    let res = with_cookie(&s, Method::PUT, PATH, &sec, Some(policy(12, 5))).await;
    assert_eq!(res.status(), 200);
    let stored: Value = res.json().await.unwrap();
    assert_eq!((stored["version"].as_i64(), stored["setBy"].as_str()), (Some(1), Some("sec1")));
    // A password of 11 characters is now too short, one of 12 is accepted.
    let change = |new: &str| json!({"oldPassword": "Second-pass-2", "newPassword": new});
    let short = with_cookie(&s, Method::PUT, "/api/v1/session/password", &prov, Some(change("Shanxi-2026")));
    assert_problem(short.await, 422, "weak_password").await;
    let ok = with_cookie(&s, Method::PUT, "/api/v1/session/password", &prov, Some(change("Shanxi-2026!")));
    assert_eq!(ok.await.status(), 204);
    // Three failures lock (the default was five).
    for _ in 0..2 {
        assert_problem(sign_in(&s, "sys1", "wrong-password").await, 401, "bad_credentials").await;
    }
    assert_problem(sign_in(&s, "sys1", "wrong-password").await, 423, "account_locked").await;
    // Five minutes without a request end a session (the default was fifteen); a request within them keeps it.
    s.clock.advance(TimeDelta::minutes(4));
    assert_eq!(with_cookie(&s, Method::GET, "/api/v1/session", &prov, None).await.status(), 200);
    s.clock.advance(TimeDelta::minutes(6));
    assert_problem(with_cookie(&s, Method::GET, "/api/v1/session", &prov, None).await, 401, "unauthorized").await;
    // Every version is kept; the audit names the administrator and the numbers, not the refused attempts' success.
    let sec = signed_in(&s, "sec1").await;
    let again = with_cookie(&s, Method::PUT, PATH, &sec, Some(policy(10, 15))).await;
    assert_eq!(again.json::<Value>().await.unwrap()["version"], 2);
    // An absolute end of one hour (version 3): a session used every 25 minutes still ends 60 minutes after sign-in.
    let mut short = policy(10, 30);
    short["absoluteHours"] = 1.into();
    assert_eq!(with_cookie(&s, Method::PUT, PATH, &sec, Some(short)).await.status(), 200);
    let res = sign_in(&s, "prov1", "Shanxi-2026!").await;
    assert_eq!(res.status(), 200);
    let prov = cookie_of(&res);
    for _ in 0..2 {
        s.clock.advance(TimeDelta::minutes(25));
        assert_eq!(with_cookie(&s, Method::GET, "/api/v1/session", &prov, None).await.status(), 200, "in use");
    }
    s.clock.advance(TimeDelta::minutes(11));
    assert_problem(with_cookie(&s, Method::GET, "/api/v1/session", &prov, None).await, 401, "unauthorized").await;
    s.state.audit.flush().await.unwrap();
    let filter = storage::audit::AuditFilter::default();
    let rows = s.db.with(|c| Ok(storage::audit::list(c, &filter, None, 1000).unwrap())).unwrap().rows;
    let puts: Vec<_> = rows.iter().filter(|r| r.route == PATH && r.method == "PUT").collect();
    let stored: Vec<_> = puts.iter().filter(|r| r.status == 200).collect();
    assert_eq!(puts.len(), 6, "sysadmin's 403, the 422, the 400 and three stored versions");
    assert!(stored.iter().all(|r| r.actor == "sec1"), "{stored:?}");
    assert!(stored[0].detail.as_deref().unwrap().contains("\"passwordMinLength\":12"), "{stored:?}");
}
