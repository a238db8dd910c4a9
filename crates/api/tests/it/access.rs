//! Every documented operation × every role: the expected status of each operation for each role (from
//! `interface.md`), refused tokens on every protected operation, no row outside the caller's scope anywhere in an
//! answer, and `security` declared on every protected operation. A route added without a line here fails the test.

use crate::access_tokens::{BAD_TOKENS, bad_token};
use crate::access_walk::{Walk, operations, walk};
use crate::wire::{chain, check};
use crate::{Server, assert_problem};
use api::Role;
use domain::City;
use serde_json::{Value, json};
use std::collections::BTreeSet;

both_backends!(every_route_for_every_role);

/// The enterprise of the enterprise token (in 太原, the city of the city token).
const OWN: &str = "140100001";
/// An enterprise of another city (大同).
const FOREIGN: &str = "140200001";
/// Operations anyone may call.
const PUBLIC: [&str; 8] = [
    "GET /healthz",
    "GET /readyz",
    "GET /metrics",
    "POST /api/v1/session",
    "GET /api/v1/session/sso",
    "GET /api/v1/session/sso/start",
    "GET /api/v1/session/sso/callback",
    // No header: the secret in the address is the credential (docs/data-exchange.md §11).
    "POST /x/{secret}/{table}",
];

/// One request: an operation, a concrete URL and body, and the status for [province, city 140100, enterprise
/// 140100001, service].
struct Case {
    op: &'static str,
    url: String,
    body: Option<Value>,
    expect: [u16; 4],
    walk: Walk,
}

fn case(op: &'static str, url: impl Into<String>, body: Option<Value>, expect: [u16; 4]) -> Case {
    Case { op, url: url.into(), body, expect, walk: Walk::Strict }
}

/// The ids of the seeded data the table's URLs use.
struct Seed {
    own_batch: String,
    foreign_batch: String,
    month: String,
    draw: i64,
    drawn: String,
    province_hook: i64,
    service_hook: i64,
}

async fn seed(s: &Server) -> Seed {
    let mut batches = vec![];
    for company in [OWN, FOREIGN] {
        for (table, batch) in chain(company) {
            let (status, r) = s.push(table, company, &batch).await;
            assert_eq!(status, 200, "{r}");
            batches.push(r["batchId"].as_str().unwrap().to_owned());
        }
    }
    // A record held for a missing parent in each city (`GET /api/v1/exchange/pending`, walked for scope).
    for company in [OWN, FOREIGN] {
        let (status, r) = s.push("check_record", company, &json!([check(company, "held", "t-missing")])).await;
        assert_eq!((status, r["pending"].as_u64()), (200, Some(1)), "{r}");
    }
    let now = testkit::clock().now_utc();
    let ids = api::jobs::monthly_report(&s.state, now).await.unwrap().unwrap();
    let month = ids[0].split('.').next().unwrap().to_owned();
    let province = s.token(Role::Province, None, None);
    let draw: Value =
        s.post("/api/v1/spot-checks", &province, json!({"city": "140100", "size": 1})).await.json().await.unwrap();
    let mut hooks = vec![];
    for role in [Role::Province, Role::Service] {
        let token = s.token(role, None, None);
        let res = s.post("/api/v1/webhooks", &token, json!({"url": "http://127.0.0.1:9/hook"})).await;
        let hook: Value = res.json().await.unwrap();
        hooks.push(hook["id"].as_i64().unwrap());
    }
    Seed {
        province_hook: hooks[0],
        service_hook: hooks[1],
        own_batch: batches[0].clone(),
        foreign_batch: batches[5].clone(),
        month,
        draw: draw["id"].as_i64().unwrap(),
        drawn: draw["companies"][0]["companyCode"].as_str().unwrap().to_owned(),
    }
}

/// The table: every operation of the OpenAPI document with the statuses `interface.md` gives each role.
fn table(seed: &Seed) -> Vec<Case> {
    let today = domain::time::local_date(testkit::clock().now_utc());
    let week = (today - chrono::TimeDelta::days(7)).format("%G-W%V").to_string();
    let period = today.format("%Y-%m").to_string();
    let acceptance = json!({"companyCode": OWN, "acceptedOn": today.to_string(), "experts": ["张三"], "grade": "优",
        "findings": "运行正常"});
    let finding =
        json!({"companyCode": seed.drawn, "checkedOn": today.to_string(), "result": "pass", "findings": "抽查"});
    let (own_report, foreign_report) = (format!("{}.140100.r1", seed.month), format!("{}.140200.r1", seed.month));
    let mut rankings =
        case("GET /api/v1/rankings", format!("/api/v1/rankings?period={period}&of=cities"), None, [200, 200, 403, 403]);
    rankings.walk = Walk::CityAggregates;
    vec![
        case("GET /healthz", "/healthz", None, [200, 200, 200, 200]),
        case("GET /readyz", "/readyz", None, [200, 200, 200, 200]),
        case("GET /metrics", "/metrics", None, [200, 200, 200, 200]),
        case("GET /api/v1/batches", "/api/v1/batches", None, [200, 200, 200, 200]),
        // The service role (the monitoring system) reads the registry's master data to map codes (no pull detail).
        case("GET /api/v1/enterprises", "/api/v1/enterprises", None, [200, 200, 403, 200]),
        case("GET /api/v1/enterprises", "/api/v1/enterprises?city=140200", None, [200, 403, 403, 200]),
        case("GET /api/v1/enterprises/{companyCode}", format!("/api/v1/enterprises/{OWN}"), None, [200, 200, 403, 200]),
        case(
            "GET /api/v1/enterprises/{companyCode}",
            format!("/api/v1/enterprises/{FOREIGN}"),
            None,
            [200, 403, 403, 200],
        ),
        case("GET /api/v1/exchange/receipts", "/api/v1/exchange/receipts", None, [200, 200, 200, 403]),
        case(
            "GET /api/v1/exchange/receipts",
            format!("/api/v1/exchange/receipts?company={FOREIGN}"),
            None,
            [200, 403, 403, 403],
        ),
        case(
            "GET /api/v1/exchange/receipts/{batchId}",
            format!("/api/v1/exchange/receipts/{}", seed.own_batch),
            None,
            [200, 200, 200, 403],
        ),
        case(
            "GET /api/v1/exchange/receipts/{batchId}",
            format!("/api/v1/exchange/receipts/{}", seed.foreign_batch),
            None,
            [200, 403, 403, 403],
        ),
        case("GET /api/v1/exchange/pending", "/api/v1/exchange/pending", None, [200, 200, 200, 403]),
        case(
            "GET /api/v1/exchange/pending",
            format!("/api/v1/exchange/pending?company={FOREIGN}"),
            None,
            [200, 403, 403, 403],
        ),
        // Only the enterprise itself discards (nothing held under this id: 404); tests/it/held.rs discards.
        case(
            "DELETE /api/v1/exchange/pending/{table}/{id}",
            format!("/api/v1/exchange/pending/check_record/{}", crate::wire::id("not-held")),
            None,
            [403, 403, 404, 403],
        ),
        case(
            "POST /api/v1/exchange/{table}",
            "/api/v1/exchange/check_record?dryRun=true",
            Some(json!([check(OWN, "c1", "t1")])),
            [403, 403, 200, 403],
        ),
        // The secret base address takes no token: whoever calls, an unknown secret is no address (tests/it/clients.rs).
        case(
            "POST /x/{secret}/{table}",
            "/x/no-such-secret-0123456789abcdefghijkl/check_record?dryRun=true",
            Some(json!([check(OWN, "c1", "t1")])),
            [404, 404, 404, 404],
        ),
        case("GET /api/v1/metrics", format!("/api/v1/metrics?period={period}&by=city"), None, [200, 200, 403, 200]),
        case(
            "GET /api/v1/metrics",
            format!("/api/v1/metrics?period={period}&by=enterprise"),
            None,
            [200, 200, 200, 200],
        ),
        case("GET /api/v1/metrics", format!("/api/v1/metrics?period={period}&by=province"), None, [200, 403, 403, 200]),
        case(
            "GET /api/v1/metrics",
            format!("/api/v1/metrics?period={period}&by=city&city=140200"),
            None,
            [200, 403, 403, 200],
        ),
        case(
            "GET /api/v1/metrics/explain",
            format!("/api/v1/metrics/explain?company={OWN}&period={period}&metric=taskCompletion"),
            None,
            [200, 200, 200, 403],
        ),
        case(
            "GET /api/v1/metrics/explain",
            format!("/api/v1/metrics/explain?company={FOREIGN}&period={period}&metric=taskCompletion"),
            None,
            [200, 403, 403, 403],
        ),
        case("GET /api/v1/evaluations", format!("/api/v1/evaluations?week={week}"), None, [200, 200, 200, 200]),
        case(
            "POST /api/v1/session",
            "/api/v1/session",
            Some(json!({"username": "nobody", "password": "x"})),
            [401, 401, 401, 401],
        ),
        case("GET /api/v1/session", "/api/v1/session", None, [200, 200, 200, 200]),
        // Single sign-on is public and off here: the start and the callback send the browser to the sign-in page
        // (303, followed to the dashboard's page: 200). tests/it/sso.rs has the round trip.
        case("GET /api/v1/session/sso", "/api/v1/session/sso", None, [200, 200, 200, 200]),
        case("GET /api/v1/session/sso/start", "/api/v1/session/sso/start", None, [200, 200, 200, 200]),
        case(
            "GET /api/v1/session/sso/callback",
            "/api/v1/session/sso/callback?code=x&state=y",
            None,
            [200, 200, 200, 200],
        ),
        case("DELETE /api/v1/session", "/api/v1/session", None, [204, 204, 204, 204]),
        case(
            "PUT /api/v1/session/password",
            "/api/v1/session/password",
            Some(json!({"oldPassword": "a", "newPassword": "b"})),
            [403, 403, 403, 403],
        ),
        case(
            "GET /api/v1/records/{table}/{id}",
            format!("/api/v1/records/hazard_source/{}", crate::wire::id("h1")),
            None,
            [200, 200, 200, 403],
        ),
        case("GET /api/v1/records/{table}/{id}", "/api/v1/records/danger/nothing", None, [404, 404, 404, 403]),
        case(
            "POST /api/v1/evaluations/{week}/revisions",
            format!("/api/v1/evaluations/{week}/revisions"),
            Some(json!({"reason": "补报"})),
            [422, 403, 403, 403],
        ),
        case(
            "GET /api/v1/evaluations",
            format!("/api/v1/evaluations?week={week}&city=140200"),
            None,
            [200, 403, 403, 200],
        ),
        case(
            "GET /api/v1/rankings",
            format!("/api/v1/rankings?period={period}&of=enterprises"),
            None,
            [200, 200, 403, 403],
        ),
        case(
            "GET /api/v1/rankings",
            format!("/api/v1/rankings?period={period}&of=enterprises&city=140200"),
            None,
            [200, 403, 403, 403],
        ),
        rankings,
        case("GET /api/v1/warning-inputs", format!("/api/v1/warning-inputs?week={week}"), None, [200, 403, 403, 200]),
        case("GET /api/v1/warnings", "/api/v1/warnings", None, [200, 200, 200, 200]),
        case("GET /api/v1/warnings", "/api/v1/warnings?city=140200", None, [200, 403, 403, 200]),
        // `?company=` is the province's, a city's own and an enterprise's own (the policy middleware).
        case("GET /api/v1/warnings", format!("/api/v1/warnings?company={FOREIGN}"), None, [200, 403, 403, 403]),
        // Ids of causes that do not hold (no reject spike) and never had a case: found by nobody, and another
        // city's or enterprise's refused first.
        case("GET /api/v1/warnings/{id}", format!("/api/v1/warnings/{OWN}.reject_spike"), None, [404, 404, 404, 404]),
        case(
            "GET /api/v1/warnings/{id}",
            format!("/api/v1/warnings/{FOREIGN}.reject_spike"),
            None,
            [404, 403, 403, 404],
        ),
        case(
            "POST /api/v1/warnings/{id}/actions",
            format!("/api/v1/warnings/{OWN}.reject_spike/actions"),
            Some(json!({"action": "note", "note": "已电话督促"})),
            [404, 404, 404, 403],
        ),
        case("GET /api/v1/warning-cases", "/api/v1/warning-cases", None, [200, 200, 200, 200]),
        case("GET /api/v1/warning-cases", "/api/v1/warning-cases?city=140200", None, [200, 403, 403, 200]),
        case(
            "GET /api/v1/attachments/{sha256}",
            format!("/api/v1/attachments/{}", "0".repeat(64)),
            None,
            [404, 404, 404, 404],
        ),
        case("GET /api/v1/notifications", "/api/v1/notifications", None, [200, 200, 200, 403]),
        case("POST /api/v1/notifications/read", "/api/v1/notifications/read", Some(json!({})), [200, 200, 200, 403]),
        // Tokens have no account, hence no personal setting (people's sessions: tests/it/handling.rs).
        case("GET /api/v1/notifications/email", "/api/v1/notifications/email", None, [404, 404, 404, 403]),
        case(
            "PUT /api/v1/notifications/email",
            "/api/v1/notifications/email",
            Some(json!({"enabled": true})),
            [404, 404, 404, 403],
        ),
        case("GET /api/v1/reports", "/api/v1/reports", None, [200, 200, 403, 403]),
        case("GET /api/v1/reports", "/api/v1/reports?city=140200", None, [200, 403, 403, 403]),
        case("GET /api/v1/reports/{id}", format!("/api/v1/reports/{own_report}"), None, [200, 200, 403, 403]),
        case("GET /api/v1/reports/{id}", format!("/api/v1/reports/{foreign_report}"), None, [200, 403, 403, 403]),
        case(
            "POST /api/v1/reports",
            "/api/v1/reports",
            Some(json!({"month": seed.month, "note": "更正"})),
            [201, 403, 403, 403],
        ),
        case("GET /api/v1/acceptances", "/api/v1/acceptances", None, [200, 200, 403, 403]),
        case("GET /api/v1/acceptances", "/api/v1/acceptances?city=140200", None, [200, 403, 403, 403]),
        case("POST /api/v1/acceptances", "/api/v1/acceptances", Some(acceptance), [403, 201, 403, 403]),
        case("GET /api/v1/spot-checks", "/api/v1/spot-checks", None, [200, 200, 403, 403]),
        case("GET /api/v1/spot-checks", "/api/v1/spot-checks?city=140200", None, [200, 403, 403, 403]),
        case(
            "POST /api/v1/spot-checks",
            "/api/v1/spot-checks",
            Some(json!({"city": "140100", "size": 1})),
            [201, 403, 403, 403],
        ),
        case("GET /api/v1/audit", "/api/v1/audit?limit=5", None, [200, 403, 403, 403]),
        // Accounts are the administrators' (tests/it/users.rs); no token role reaches them.
        case("GET /api/v1/users", "/api/v1/users", None, [403, 403, 403, 403]),
        case(
            "POST /api/v1/users",
            "/api/v1/users",
            Some(json!({"username": "someone", "displayName": "某人", "role": "province"})),
            [403, 403, 403, 403],
        ),
        case(
            "PATCH /api/v1/users/{username}",
            "/api/v1/users/someone",
            Some(json!({"unlock": true})),
            [403, 403, 403, 403],
        ),
        // The security policy: readable by every role, set by the security administrator only
        // (tests/it/security_policy.rs).
        case("GET /api/v1/security-policy", "/api/v1/security-policy", None, [200, 200, 200, 200]),
        case(
            "PUT /api/v1/security-policy",
            "/api/v1/security-policy",
            Some(json!({"passwordMinLength": 12, "passwordClasses": 3, "passwordHistory": 5, "passwordMaxAgeDays": 90,
                        "lockAfter": 5, "lockMinutes": 15, "idleMinutes": 15, "absoluteHours": 8})),
            [403, 403, 403, 403],
        ),
        case(
            "POST /api/v1/tokens/revoke",
            "/api/v1/tokens/revoke",
            Some(json!({"jti": "not-a-real-token-id"})),
            [201, 403, 403, 403],
        ),
        case("GET /api/v1/changes", "/api/v1/changes?limit=1000", None, [200, 200, 200, 200]),
        case("GET /api/v1/changes", "/api/v1/changes?after=0&kinds=batch.stored", None, [200, 200, 200, 403]),
        case("GET /api/v1/changes", "/api/v1/changes?kinds=report.frozen,report.revised", None, [200, 200, 200, 200]),
        case("GET /api/v1/webhooks", "/api/v1/webhooks", None, [200, 403, 403, 200]),
        case(
            "POST /api/v1/webhooks",
            "/api/v1/webhooks",
            Some(json!({"url": "http://127.0.0.1:9/hook", "kinds": ["report.frozen"]})),
            [201, 403, 403, 201],
        ),
        case(
            "GET /api/v1/webhooks/{id}",
            format!("/api/v1/webhooks/{}", seed.service_hook),
            None,
            [200, 403, 403, 200],
        ),
        case(
            "GET /api/v1/webhooks/{id}",
            format!("/api/v1/webhooks/{}", seed.province_hook),
            None,
            [200, 403, 403, 403],
        ),
        case("DELETE /api/v1/webhooks/{id}", "/api/v1/webhooks/999999", None, [404, 403, 403, 404]),
        case(
            "POST /api/v1/webhooks/{id}/resume",
            format!("/api/v1/webhooks/{}/resume", seed.service_hook),
            Some(json!({})),
            [200, 403, 403, 200],
        ),
        case(
            "GET /api/v1/webhooks/{id}/deliveries",
            format!("/api/v1/webhooks/{}/deliveries", seed.province_hook),
            None,
            [200, 403, 403, 403],
        ),
        case(
            "POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/replay",
            format!("/api/v1/webhooks/{}/deliveries/999999/replay", seed.service_hook),
            Some(json!({})),
            [404, 403, 403, 404],
        ),
        case(
            "POST /api/v1/spot-checks/{id}/findings",
            format!("/api/v1/spot-checks/{}/findings", seed.draw),
            Some(finding),
            [201, 403, 403, 403],
        ),
    ]
}

async fn call(s: &Server, c: &Case, auth: Option<&str>) -> reqwest::Response {
    let (method, _) = c.op.split_once(' ').unwrap();
    let url = format!("{}{}", s.base, c.url);
    let mut req = match method {
        "POST" => s.http.post(url),
        "DELETE" => s.http.delete(url),
        "PUT" => s.http.put(url),
        "PATCH" => s.http.patch(url),
        _ => s.http.get(url),
    };
    if let Some(a) = auth {
        req = req.header("Authorization", a);
    }
    if let Some(b) = &c.body {
        req = req.json(b);
    }
    req.send().await.unwrap()
}

async fn every_route_for_every_role(s: Server) {
    let seed = seed(&s).await;
    let cases = table(&seed);
    // The table covers every operation of the document, and nothing else; protected operations declare security.
    let ops = operations();
    let documented: BTreeSet<&str> = ops.iter().map(|(o, _)| o.as_str()).collect();
    let tabled: BTreeSet<&str> = cases.iter().map(|c| c.op).collect();
    assert_eq!(documented, tabled, "every OpenAPI operation needs its lines in the access table");
    for (op, secured) in &ops {
        assert_eq!(*secured, !PUBLIC.contains(&op.as_str()), "{op}: security declared on every protected operation");
    }
    let tokens = [
        s.token(Role::Province, None, None),
        s.token(Role::City, Some(City::Taiyuan), None),
        s.token(Role::Enterprise, None, Some(OWN)),
        s.token(Role::Service, None, None),
    ];
    let owns = ["", "140100", OWN, ""];
    let (mut calls, mut checked) = (0, 0);
    for c in &cases {
        for (i, token) in tokens.iter().enumerate() {
            let res = call(&s, c, Some(&format!("Bearer {token}"))).await;
            let status = res.status().as_u16();
            let text = res.text().await.unwrap();
            assert_eq!(
                status,
                c.expect[i],
                "{} as {:?}: {text}",
                c.url,
                ["province", "city", "enterprise", "service"][i]
            );
            calls += 1;
            if status >= 300 || owns[i].is_empty() || c.walk == Walk::CityAggregates {
                continue;
            }
            let Ok(body) = serde_json::from_str::<Value>(&text) else { continue };
            let mut foreign = vec![];
            checked += walk(&body, owns[i], &mut foreign);
            assert_eq!(foreign, Vec::<String>::new(), "{} as {}: rows outside the scope", c.url, owns[i]);
        }
        if PUBLIC.contains(&c.op) {
            continue;
        }
        for kind in BAD_TOKENS {
            let token = bad_token(&s, kind);
            let res = call(&s, c, Some(&format!("Bearer {token}"))).await;
            let body = assert_problem(res, 401, "unauthorized").await;
            let detail = body["detail"].as_str().unwrap();
            let leaks = token.split('.').filter(|part| part.len() > 8).any(|part| detail.contains(part));
            assert!(!leaks && !detail.contains(std::str::from_utf8(crate::SECRET).unwrap()), "{kind}: {detail}");
            calls += 1;
        }
        assert_problem(call(&s, c, None).await, 401, "unauthorized").await;
    }
    assert!(calls > 300, "{calls} calls");
    assert!(checked > 100, "only {checked} codes walked: the scope check saw too little");
}
