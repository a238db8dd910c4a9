//! `POST /api/v1/exchange/{table}`: statuses, bodies, auth, scope, dry runs, receipts.

use crate::wire::*;
use crate::{Server, assert_problem};
use api::Role;
use serde_json::{Value, json};

const A: &str = "140100001";
const B: &str = "140200001";

impl Server {
    /// Pushes a body with a token (or a raw Authorization header) and returns (status, JSON).
    pub async fn push_raw(&self, table: &str, auth: &str, body: Vec<u8>) -> reqwest::Response {
        self.http
            .post(format!("{}/api/v1/exchange/{table}", self.base))
            .header("Authorization", auth)
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// Pushes JSON as enterprise `company` and returns (status, receipt or problem).
    pub async fn push(&self, table: &str, company: &str, body: &Value) -> (u16, Value) {
        let token = format!("Bearer {}", self.token(Role::Enterprise, None, Some(company)));
        let res = self.push_raw(table, &token, body.to_string().into_bytes()).await;
        (res.status().as_u16(), res.json().await.unwrap())
    }
}

both_backends!(
    a_chain_of_tables_is_stored,
    mixed_batches_keep_every_valid_record,
    bad_bodies_get_their_documented_answer,
    auth_roles_and_basic,
    encrypted_bodies,
    dry_runs_store_nothing,
    held_records_wait_for_their_parent,
    receipts_are_stored_and_scoped,
);

async fn a_chain_of_tables_is_stored(s: Server) {
    for (table, batch) in chain(A) {
        let (status, r) = s.push(table, A, &batch).await;
        assert_eq!(status, 200, "{table}: {r}");
        assert_eq!((r["received"].as_u64(), r["accepted"].as_u64()), (Some(1), Some(1)), "{table}");
        assert_eq!(r["table"], table);
        assert_eq!(r["companyCode"], A);
        assert!(r["receivedAt"].as_str().unwrap().ends_with("+08:00"));
    }
    // The national alias names the same table; an identical resend is unchanged.
    let (status, r) = s.push("sec_hidden_check_mission", A, &json!([task(A, "t1", "m1")])).await;
    assert_eq!((status, r["unchanged"].as_u64(), r["table"].as_str()), (200, Some(1), Some("check_task")));
    let (status, r) = s.push("sec_hidden_check_record", A, &json!([check(A, "c1", "t1")])).await;
    assert_eq!((status, r["accepted"].as_u64()), (200, Some(1)));
    let (status, body) = s.push("no_such_table", A, &json!([check(A, "c2", "t1")])).await;
    assert_eq!((status, body["code"].as_str()), (404, Some("not_found")));
}

async fn mixed_batches_keep_every_valid_record(s: Server) {
    for (table, batch) in chain(A) {
        s.push(table, A, &batch).await;
    }
    let mut bad_status = check(A, "c2", "t1");
    bad_status["checkStatus"] = json!(7);
    let mut other = check(B, "c3", "t1");
    other["companyCode"] = json!(B);
    let mut emoji = check(A, "c4", "t1");
    emoji["mobileMe"] = json!("𠀋😀");
    emoji["checkTime"] = json!("2026-02-30 10:00:00");
    let batch = json!([check(A, "c1", "t1"), bad_status, other, emoji, check(A, "c5", "t1")]);
    let (status, r) = s.push("check_record", A, &batch).await;
    assert_eq!(status, 207, "{r}");
    assert_eq!((r["received"].as_u64(), r["accepted"].as_u64(), r["rejected"].as_u64()), (Some(5), Some(2), Some(3)));
    let codes: Vec<(u64, &str, &str)> = r["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["index"].as_u64().unwrap(), e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        codes,
        [(1, "$.checkStatus", "bad_enum"), (2, "$.companyCode", "bad_company"), (3, "$.checkTime", "bad_format")]
    );
    assert!(r["errors"][0]["message"].as_str().unwrap().contains(" / "), "Chinese and English");
    // The rejected record comes back exactly as sent, 4-byte characters included.
    let one: Value = s
        .get(
            &format!("/api/v1/exchange/receipts/{}", r["batchId"].as_str().unwrap()),
            Some(&s.token(Role::Enterprise, None, Some(A))),
        )
        .await
        .json()
        .await
        .unwrap();
    let rejected = one["rejectedRecords"].as_array().unwrap();
    assert_eq!(rejected.len(), 3);
    assert_eq!(rejected[2]["index"], 3);
    assert_eq!(rejected[2]["record"]["mobileMe"], "𠀋😀");
    // Everything rejected: 422, and a stale version is rejected with the stored one kept.
    let mut old = check(A, "c1", "t1");
    old["updateDate"] = json!("2026-10-01 08:00:00");
    let (status, r) = s.push("check_record", A, &json!([old])).await;
    assert_eq!((status, r["errors"][0]["code"].as_str()), (422, Some("stale_version")));
}

async fn bad_bodies_get_their_documented_answer(s: Server) {
    let auth = format!("Bearer {}", s.token(Role::Enterprise, None, Some(A)));
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        ("not JSON", b"{not json".to_vec(), 400, "malformed_body"),
        ("an object", br#"{"id": 1}"#.to_vec(), 400, "not_an_array"),
        ("empty", b"[]".to_vec(), 400, "empty_batch"),
        ("501 records", json!(vec![check(A, "c", "t"); 501]).to_string().into_bytes(), 413, "too_many_records"),
        ("9 MiB", format!("[\"{}\"]", "x".repeat(9 * 1024 * 1024)).into_bytes(), 413, "too_large"),
        ("NUL in JSON text", b"[\x00]".to_vec(), 400, "malformed_body"),
    ];
    for (what, body, status, code) in cases {
        let res = s.push_raw("check_record", &auth, body).await;
        let p = assert_problem(res, status, code).await;
        assert!(!p["detail"].as_str().unwrap().is_empty(), "{what}");
    }
}

async fn auth_roles_and_basic(s: Server) {
    let batch = json!([hazard(A, "h1", "HZ-1")]).to_string().into_bytes();
    let res = s.push_raw("hazard_source", "", batch.clone()).await;
    // Clients that only send Basic credentials after a challenge get one.
    let challenge = res.headers().get("www-authenticate").unwrap().to_str().unwrap().to_owned();
    assert!(challenge.contains("Basic") && challenge.contains("Bearer"), "{challenge}");
    assert_problem(res, 401, "unauthorized").await;
    for role in [Role::Province, Role::Service] {
        let auth = format!("Bearer {}", s.token(role, None, None));
        assert_problem(s.push_raw("hazard_source", &auth, batch.clone()).await, 403, "forbidden").await;
    }
    let auth = format!("Bearer {}", s.token(Role::City, Some(domain::City::Taiyuan), None));
    assert_problem(s.push_raw("hazard_source", &auth, batch.clone()).await, 403, "forbidden").await;
    // HTTP Basic with the configured password.
    s.import(&format!("companyCode,name,cityCode,basicPassword\n{A},中国石化销售股份有限公司山西太原石油分公司油库,140100,a-long-password-1\n"));
    let basic = |p: &str| format!("Basic {}", b64(format!("{A}:{p}").as_bytes()));
    let res = s.push_raw("hazard_source", &basic("a-long-password-1"), batch.clone()).await;
    assert_eq!(res.status(), 200);
    let r: Value = res.json().await.unwrap();
    assert_eq!(r["accepted"], 1);
    assert_problem(s.push_raw("hazard_source", &basic("wrong-password!"), batch.clone()).await, 401, "unauthorized")
        .await;
    // Expired, unsigned (alg none) and foreign-key enterprise tokens are refused on the push route too.
    let company = domain::CompanyCode::parse(A).unwrap();
    let expired = s.auth.issue(Role::Enterprise, None, Some(&company), chrono::TimeDelta::seconds(-120)).unwrap();
    let valid = s.token(Role::Enterprise, None, Some(A));
    let unsigned = format!("{}.{}.", b64url(br#"{"alg":"none","typ":"JWT"}"#), valid.split('.').nth(1).unwrap());
    let foreign = api::AuthConfig::new(b"another-secret-of-at-least-32-bytes", "dualprev", "dualprev", 0)
        .unwrap()
        .with_clock(testkit::clock())
        .issue(Role::Enterprise, None, Some(&company), chrono::TimeDelta::hours(1))
        .unwrap();
    for token in [expired, unsigned, foreign] {
        let res = s.push_raw("hazard_source", &format!("Bearer {token}"), batch.clone()).await;
        assert_problem(res, 401, "unauthorized").await;
    }
    let other = format!("Basic {}", b64(format!("{B}:a-long-password-1").as_bytes()));
    assert_problem(s.push_raw("hazard_source", &other, batch).await, 401, "unauthorized").await;
}

async fn encrypted_bodies(s: Server) {
    const AES: domain::client::Cipher = domain::client::Cipher::Aes128Cbc;
    let key = *b"0123456789abcdef";
    let plain = json!([hazard(A, "h1", "HZ-1")]).to_string();
    let datas = json!({"datas": exchange::encrypt_datas(plain.as_bytes(), AES, &key, &key)});
    let (status, p) = s.push("hazard_source", A, &datas).await;
    assert_eq!((status, p["code"].as_str()), (400, Some("no_key")));
    s.import(&format!(
        "companyCode,name,cityCode,aesKey\n{A},中国石化销售股份有限公司山西太原石油分公司油库,140100,0123456789abcdef\n"
    ));
    let (status, r) = s.push("hazard_source", A, &datas).await;
    assert_eq!((status, r["accepted"].as_u64()), (200, Some(1)), "{r}");
    let wrong =
        json!({"datas": exchange::encrypt_datas(plain.as_bytes(), AES, b"fedcba9876543210", b"fedcba9876543210")});
    let (status, p) = s.push("hazard_source", A, &wrong).await;
    assert_eq!((status, p["code"].as_str()), (400, Some("decrypt_failed")));
    // The right key with a wrong IV passes the padding check but garbles the text: still decrypt_failed.
    let wrong_iv = json!({"datas": exchange::encrypt_datas(plain.as_bytes(), AES, &key, b"ffffffffffffffff")});
    let (status, p) = s.push("hazard_source", A, &wrong_iv).await;
    assert_eq!((status, p["code"].as_str()), (400, Some("decrypt_failed")), "{p}");
}

async fn dry_runs_store_nothing(s: Server) {
    let token = format!("Bearer {}", s.token(Role::Enterprise, None, Some(A)));
    let url = format!("{}/api/v1/exchange/risk_unit?dryRun=true", s.base);
    let body = json!([unit(A, "u1", "HZ-1"), {"id": 5}]);
    let res = s.http.post(url).header("Authorization", &token).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 207);
    let r: Value = res.json().await.unwrap();
    assert_eq!((r["dryRun"].as_bool(), r["pending"].as_u64(), r["rejected"].as_u64()), (Some(true), Some(1), Some(1)));
    let province = s.token(Role::Province, None, None);
    let list: Vec<Value> = s.get("/api/v1/exchange/receipts", Some(&province)).await.json().await.unwrap();
    assert!(list.is_empty(), "a dry run leaves no receipt");
    assert_problem(
        s.get(&format!("/api/v1/exchange/receipts/{}", r["batchId"].as_str().unwrap()), Some(&province)).await,
        404,
        "not_found",
    )
    .await;
}

async fn held_records_wait_for_their_parent(s: Server) {
    let (status, r) = s.push("risk_event", A, &json!([event(A, "e1", "u1")])).await;
    assert_eq!(
        (status, r["pending"].as_u64(), r["errors"][0]["code"].as_str()),
        (200, Some(1), Some("pending_parent"))
    );
    let (_, r) = s.push("risk_unit", A, &json!([unit(A, "u1", "HZ-1")])).await;
    assert_eq!(r["pending"], 1, "the unit waits for its hazard source");
    s.push("hazard_source", A, &json!([hazard(A, "h1", "HZ-1")])).await;
    // Both held records are now stored: resending them changes nothing.
    let (_, r) = s.push("risk_event", A, &json!([event(A, "e1", "u1")])).await;
    assert_eq!(r["unchanged"], 1, "{r}");
    // Another enterprise naming A's unit is rejected, not held.
    let (status, r) = s.push("risk_event", B, &json!([event(B, "e2", "u1")])).await;
    assert_eq!((status, r["errors"][0]["code"].as_str()), (422, Some("unknown_parent")));
}

async fn receipts_are_stored_and_scoped(s: Server) {
    let (_, a) = s.push("hazard_source", A, &json!([hazard(A, "h1", "HZ-1")])).await;
    let (_, b) = s.push("hazard_source", B, &json!([hazard(B, "h2", "HZ-2")])).await;
    let path = |r: &Value| format!("/api/v1/exchange/receipts/{}", r["batchId"].as_str().unwrap());
    let ta = s.token(Role::Enterprise, None, Some(A));
    let one: Value = s.get(&path(&a), Some(&ta)).await.json().await.unwrap();
    assert_eq!((one["batchId"].clone(), one["accepted"].clone()), (a["batchId"].clone(), json!(1)));
    assert_problem(s.get(&path(&b), Some(&ta)).await, 403, "forbidden").await;
    let taiyuan = s.token(Role::City, Some(domain::City::Taiyuan), None);
    assert_eq!(s.get(&path(&a), Some(&taiyuan)).await.status(), 200);
    assert_problem(s.get(&path(&b), Some(&taiyuan)).await, 403, "forbidden").await;
    let list: Vec<Value> = s.get("/api/v1/exchange/receipts", Some(&taiyuan)).await.json().await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!((list[0]["accepted"].as_i64(), list[0]["source"].as_str()), (Some(1), Some("push")));
    assert!(list[0].get("errors").is_none(), "the list gives counts; errors are in the receipt itself");
    assert_problem(s.get(&format!("/api/v1/exchange/receipts?company={B}"), Some(&taiyuan)).await, 403, "forbidden")
        .await;
    assert_problem(s.get(&format!("/api/v1/exchange/receipts?company={B}"), Some(&ta)).await, 403, "forbidden").await;
    let province = s.token(Role::Province, None, None);
    let all: Vec<Value> =
        s.get("/api/v1/exchange/receipts?since=2020-01-01", Some(&province)).await.json().await.unwrap();
    assert_eq!(all.len(), 2);
    let none: Vec<Value> = s
        .get("/api/v1/exchange/receipts?since=2999-01-01T00:00:00%2B08:00", Some(&province))
        .await
        .json()
        .await
        .unwrap();
    assert!(none.is_empty());
    assert_problem(s.get("/api/v1/exchange/receipts?since=yesterday", Some(&province)).await, 400, "bad_since").await;
}

/// Base64url without padding (JWT segments).
fn b64url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Standard base64.
fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
