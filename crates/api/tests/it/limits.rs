//! Limits: the push rate per enterprise (429 with Retry-After) and the JSON body limit of the other routes (413).

use crate::wire::check;
use crate::{Server, assert_problem};
use api::Role;
use api::limits::PushLimiter;
use domain::City;
use serde_json::json;

#[actix_web::test]
async fn pushes_over_the_rate_and_large_bodies_are_refused() {
    let s = Server::start_with(testkit::TestDb::sqlite(), |state| api::AppState {
        push_limit: std::sync::Arc::new(PushLimiter::new(0, 2)),
        json_limit: 1024,
        ..state
    })
    .await;
    let push = |company: &'static str| {
        let token = s.token(Role::Enterprise, None, Some(company));
        let body = json!([check(company, "c1", "t1")]);
        s.http
            .post(format!("{}/api/v1/exchange/check_record?dryRun=true", s.base))
            .bearer_auth(token)
            .json(&body)
            .send()
    };
    assert_ne!(push("140100001").await.unwrap().status(), 429);
    assert_ne!(push("140100001").await.unwrap().status(), 429);
    let res = push("140100001").await.unwrap();
    let wait: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=30).contains(&wait), "{wait}");
    let body = assert_problem(res, 429, "rate_limited").await;
    assert!(body["detail"].as_str().unwrap().contains("retry after"));
    assert_ne!(push("140100002").await.unwrap().status(), 429, "the limit is per enterprise");
    // The bucket is the enterprise's, not the token's: its Basic credentials are limited too.
    s.import(
        "companyCode,name,cityCode,basicPassword\n\
         140100001,中国石化销售股份有限公司山西太原石油分公司油库,140100,a-long-password-1\n",
    );
    // base64("140100001:a-long-password-1")
    let basic = "Basic MTQwMTAwMDAxOmEtbG9uZy1wYXNzd29yZC0x";
    let body = json!([check("140100001", "c1", "t1")]).to_string().into_bytes();
    assert_problem(s.push_raw("check_record?dryRun=true", basic, body).await, 429, "rate_limited").await;
    // Refused tokens never reach a bucket: 401, not 429.
    let res = s.push_raw("check_record?dryRun=true", "Bearer not.a.token", b"[]".to_vec()).await;
    assert_problem(res, 401, "unauthorized").await;
    // Bodies of other routes over the JSON limit.
    let yq = s.token(Role::City, Some(City::Yangquan), None);
    let big = json!({"companyCode": "140300001", "acceptedOn": "2026-11-20", "experts": ["张三"], "grade": "优",
        "findings": "长".repeat(2000)});
    assert_problem(s.post("/api/v1/acceptances", &yq, big).await, 413, "too_large").await;
}

/// The rate counts records: pages of 20 pass until the minute's records are spent, then 429 with the wait.
#[actix_web::test]
async fn the_push_rate_counts_records_not_requests() {
    let s = Server::start_with(testkit::TestDb::sqlite(), |state| api::AppState {
        push_limit: std::sync::Arc::new(PushLimiter::new(30, 0)),
        ..state
    })
    .await;
    let token = s.token(Role::Enterprise, None, Some("140100001"));
    let page: Vec<_> = (0..20).map(|i| check("140100001", &format!("c{i}"), "t1")).collect();
    let push = || {
        s.http
            .post(format!("{}/api/v1/exchange/check_record?dryRun=true", s.base))
            .bearer_auth(&token)
            .json(&page)
            .send()
    };
    // 30 records a minute (0.5 a second): the first page leaves 10, the second is taken and overdraws to -10.
    assert_ne!(push().await.unwrap().status(), 429);
    assert_ne!(push().await.unwrap().status(), 429);
    let res = push().await.unwrap();
    let wait: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((20..=22).contains(&wait), "11 records to refill at 0.5 a second: {wait}");
    assert_problem(res, 429, "rate_limited").await;
}
