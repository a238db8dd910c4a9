//! Tokens that must be refused, and errors as problem+json.

use crate::access_tokens::b64url as b64;
use crate::{SECRET, Server, assert_problem};
use api::{AuthConfig, Role};
use serde_json::json;

both_backends!(refuses_bad_tokens, unknown_routes_and_bad_queries_are_problems);

async fn refuses_bad_tokens(s: Server) {
    let good = s.token(Role::Province, None, None);
    let payload = good.split('.').nth(1).unwrap().to_owned();
    let now = testkit::clock().unix_seconds();
    let claims = |exp: i64, nbf: i64, aud: &str| {
        b64(json!({"sub": "x", "role": "province", "iss": "dualprev", "aud": aud, "exp": exp, "nbf": nbf,
                   "iat": now, "jti": "j"})
        .to_string()
        .as_bytes())
    };
    let none_header = b64(br#"{"alg":"none","typ":"JWT"}"#);
    let other_key = AuthConfig::new(b"another-secret-of-at-least-32-bytes", "dualprev", "dualprev", 0)
        .unwrap()
        .with_clock(testkit::clock());
    let other = other_key.issue(Role::Province, None, None, chrono::TimeDelta::hours(1)).unwrap();
    let hs = |c: &str| {
        // Sign with the right key by asking a config to issue, then swap in our claims: the signature breaks.
        format!("{}.{}.{}", good.split('.').next().unwrap(), c, good.split('.').nth(2).unwrap())
    };
    let cases = [
        ("missing", None),
        ("not bearer", Some("Basic abc".to_owned())),
        ("garbage", Some("Bearer not.a.jwt".to_owned())),
        ("alg none", Some(format!("Bearer {none_header}.{payload}."))),
        ("other key", Some(format!("Bearer {other}"))),
        ("tampered claims", Some(format!("Bearer {}", hs(&claims(now + 3600, now, "dualprev"))))),
    ];
    for (what, header) in cases {
        let mut req = s.http.get(format!("{}/api/v1/enterprises", s.base));
        if let Some(h) = header {
            req = req.header("Authorization", h);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.headers().get("www-authenticate").map(|h| h.to_str().unwrap()), Some("Bearer"), "{what}");
        let body = assert_problem(res, 401, "unauthorized").await;
        assert!(!body["detail"].as_str().unwrap().contains(std::str::from_utf8(SECRET).unwrap()));
    }
    // Properly signed but expired, not yet valid, or for another audience.
    let sign = |exp: i64, nbf: i64, aud: &str| {
        let header = b64(br#"{"alg":"HS256","typ":"JWT"}"#);
        let body = claims(exp, nbf, aud);
        let key = jsonwebtoken::EncodingKey::from_secret(SECRET).unwrap();
        let msg = format!("{header}.{body}");
        let sig = jsonwebtoken::crypto::sign(msg.as_bytes(), &key, jsonwebtoken::Algorithm::HS256).unwrap();
        format!("{msg}.{sig}")
    };
    for (what, token) in [
        ("expired", sign(now - 10, now - 100, "dualprev")),
        ("not yet valid", sign(now + 3600, now + 600, "dualprev")),
        ("wrong audience", sign(now + 3600, now, "someone-else")),
    ] {
        let res = s.get("/api/v1/enterprises", Some(&token)).await;
        assert_problem(res, 401, "unauthorized").await;
        let _ = what;
    }
    // The same construction with valid claims is accepted, so the refusals above are about the claims.
    assert_eq!(s.get("/api/v1/enterprises", Some(&sign(now + 3600, now, "dualprev"))).await.status(), 200);
}

async fn unknown_routes_and_bad_queries_are_problems(s: Server) {
    assert_problem(s.get("/api/v1/nothing-here", None).await, 404, "not_found").await;
    let health = s.get("/healthz", None).await;
    assert_eq!(health.status(), 200);
    let ready: serde_json::Value = s.get("/readyz", None).await.json().await.unwrap();
    assert_eq!(ready["status"], "ready");
}
