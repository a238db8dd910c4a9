//! The clients enterprises already run (`docs/data-exchange.md` §9–§12): national-style traffic replayed through the
//! secret base address without an `Authorization` header, in 20-record pages of every table by its national alias,
//! with `dangersSrc` and epoch-millisecond times, answers parsed in the national shape; and a group credential.

use crate::Server;
use crate::wire::{check, event, hazard, id, measure, task, unit};
use serde_json::{Value, json};

const C: &str = "140100001";
const SECRET: &str = "Zq3kA9mN2pL8xW4vR7tY1uE6iO0sD5fGh2Jk";
const PAGE: usize = 20;

/// 2026-11-02 09:00:00 in Shanghai, as Java's `Date.getTime()` gives it.
fn epoch_ms(minutes: i64) -> i64 {
    chrono::DateTime::parse_from_rfc3339("2026-11-02T09:00:00+08:00").unwrap().timestamp_millis() + minutes * 60_000
}

/// A danger as a national client sends it: `dangersSrc`, `registTime` in epoch milliseconds.
fn danger(n: usize, record: &str) -> Value {
    json!({"id": id(&format!("d{n}")), "companyCode": C, "deleted": "0", "createDate": "2026-11-02 10:00:00",
        "createBy": "张三", "updateDate": "2026-11-02 10:00:00", "updateBy": "张三", "hazardCode": format!("HZ-{n}"),
        "checkRecordId": id(record), "dangerName": "阀门渗漏", "dangerLevel": "0", "registTime": epoch_ms(n as i64),
        "registrant": "张三", "dangersSrc": "1", "dangerManageType": "1", "hazardDangerType": "7",
        "dangerDesc": "法兰渗漏", "liablePerson": "王五", "dangerState": "0", "dangerManageDeadline": "2026-11-30"})
}

/// A unit stop of unit `u{n}`.
fn stop(n: usize) -> Value {
    json!({"id": id(&format!("s{n}")), "companyCode": C, "deleted": "0", "createDate": "2026-11-02 10:00:00",
        "createBy": "张三", "updateDate": "2026-11-02 10:00:00", "updateBy": "张三", "riskUnitId": id(&format!("u{n}")),
        "stopStartTime": "2026-11-02 08:00:00", "stopReason": "检修"})
}

/// Every table's records in parent order, by the national endpoint name (hazard sources have none).
fn national_chain() -> Vec<(&'static str, Vec<Value>)> {
    let n = 0..PAGE;
    let checks = (0..2 * PAGE).map(|i| {
        let mut r = check(C, &format!("c{i}"), &format!("t{}", i % PAGE));
        r["checkTime"] = json!(epoch_ms(i as i64));
        r
    });
    vec![
        ("hazard_source", n.clone().map(|i| hazard(C, &format!("h{i}"), &format!("HZ-{i}"))).collect()),
        ("sec_security_risk_unit", n.clone().map(|i| unit(C, &format!("u{i}"), &format!("HZ-{i}"))).collect()),
        ("sec_security_risk_events", n.clone().map(|i| event(C, &format!("e{i}"), &format!("u{i}"))).collect()),
        (
            "sec_security_risk_control_measures",
            n.clone().map(|i| measure(C, &format!("m{i}"), &format!("e{i}"))).collect(),
        ),
        ("sec_hidden_check_mission", n.clone().map(|i| task(C, &format!("t{i}"), &format!("m{i}"))).collect()),
        ("sec_hidden_check_record", checks.collect()),
        ("sec_hidden_danger_info", n.clone().map(|i| danger(i, &format!("c{i}"))).collect()),
        ("sec_deactivated_maintenance_record", n.map(stop).collect()),
    ]
}

/// POSTs a body to the secret base address without an `Authorization` header: status, content type and body.
async fn post_secret(s: &Server, secret: &str, table: &str, body: &Value) -> (u16, String, Value) {
    let res = s.http.post(format!("{}/x/{secret}/{table}", s.base)).json(body).send().await.unwrap();
    let status = res.status().as_u16();
    let ct = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, ct, res.json().await.unwrap())
}

/// The codes and fields of a receipt's warnings.
fn warnings(receipt: &Value) -> Vec<(String, String)> {
    receipt["warnings"]
        .as_array()
        .map(|w| w.iter().map(|w| (w["code"].as_str().unwrap().into(), w["field"].as_str().unwrap().into())).collect())
        .unwrap_or_default()
}

async fn national_pages_through_the_secret_address(s: Server) {
    s.import(&format!("companyCode,name,cityCode,profile,baseSecret\n{C},太原某化工,140100,national,{SECRET}\n"));
    let mut pages = 0;
    for (table, records) in national_chain() {
        for page in records.chunks(PAGE) {
            let (status, ct, body) = post_secret(&s, SECRET, table, &json!(page)).await;
            pages += 1;
            assert_eq!(status, 200, "{table}: {body}");
            assert!(ct.starts_with("application/json"), "{ct}");
            // The national shape: what existing clients parse.
            assert_eq!(
                (body["success"].clone(), body["code"].clone(), body["state"].clone()),
                (json!(true), json!("200"), json!("success"))
            );
            assert!(body["requestId"].as_str().is_some_and(|r| !r.is_empty()), "{body}");
            assert_eq!(body["data"]["code"], "200");
            let receipt = &body["data"]["data"];
            assert_eq!(
                (receipt["accepted"].as_u64(), receipt["received"].as_u64()),
                (Some(20), Some(20)),
                "{table}: {receipt}"
            );
            assert_eq!(receipt["companyCode"], C);
            assert!(body["data"]["msg"].as_str().unwrap().contains("入库 20"), "{body}");
            let expected: Vec<(String, String)> = match table {
                "sec_hidden_check_record" => vec![("epoch_time".into(), "$.checkTime".into())],
                "sec_hidden_danger_info" => {
                    vec![("alias_used".into(), "$.dangersSrc".into()), ("epoch_time".into(), "$.registTime".into())]
                }
                _ => vec![],
            };
            let mut got = warnings(receipt);
            got.sort();
            assert_eq!(got, expected, "{table}");
        }
    }
    assert_eq!(pages, 9);
    // The stored receipt keeps the warnings apart from the errors.
    let province = s.token(api::Role::Province, None, None);
    let list: Value =
        s.get(&format!("/api/v1/exchange/receipts?company={C}&limit=1"), Some(&province)).await.json().await.unwrap();
    let last = list[0]["batchId"].as_str().unwrap().to_owned();
    let stored: Value =
        s.get(&format!("/api/v1/exchange/receipts/{last}"), Some(&province)).await.json().await.unwrap();
    assert_eq!(stored["table"], "unit_stop");
    let dangers: Vec<Value> = {
        let all: Value =
            s.get(&format!("/api/v1/exchange/receipts?company={C}"), Some(&province)).await.json().await.unwrap();
        all.as_array().unwrap().iter().filter(|r| r["table"] == "danger").cloned().collect()
    };
    let danger_batch = dangers[0]["batchId"].as_str().unwrap();
    let stored: Value =
        s.get(&format!("/api/v1/exchange/receipts/{danger_batch}"), Some(&province)).await.json().await.unwrap();
    assert_eq!(stored["errors"], json!([]));
    assert_eq!(stored["warnings"].as_array().map(Vec::len), Some(2), "{stored}");
    assert!(stored["warnings"][0]["message"].as_str().unwrap().contains("20 records in this batch"), "{stored}");

    // A refused push is answered in the national shape too, with its status and the problem in data.data.
    let (status, ct, body) = post_secret(&s, SECRET, "sec_hidden_check_record", &json!([])).await;
    assert_eq!((status, ct.starts_with("application/json")), (400, true));
    assert_eq!((body["success"].clone(), body["data"]["code"].clone()), (json!(false), json!("500")));
    assert_eq!(body["data"]["data"]["code"], "empty_batch");
    // A page with a bad record: 207, data.code "207".
    let mut bad = check(C, "c-bad", "t0");
    bad["checkStatus"] = json!(9);
    let page = json!([check(C, "c-new", "t0"), bad]);
    let (status, _, body) = post_secret(&s, SECRET, "sec_hidden_check_record", &page).await;
    assert_eq!((status, body["data"]["code"].clone(), body["success"].clone()), (207, json!("207"), json!(true)));

    // Unknown secrets, rotation and revocation: 404 like an address that does not exist.
    let (status, _, body) = post_secret(&s, &SECRET.replace('Z', "z"), "hazard_source", &json!([])).await;
    assert_eq!((status, body["code"].clone()), (404, json!("not_found")));
    let rotated = format!("{SECRET}-2026");
    s.import(&format!("companyCode,name,cityCode,baseSecret\n{C},太原某化工,140100,{rotated}\n"));
    let first = json!(national_chain()[0].1[..PAGE]);
    assert_eq!(post_secret(&s, SECRET, "hazard_source", &first).await.0, 404);
    let (status, _, body) = post_secret(&s, &rotated, "hazard_source", &first).await;
    assert_eq!((status, body["data"]["data"]["unchanged"].clone()), (200, json!(20)));
    s.import(&format!("companyCode,name,cityCode,baseSecret\n{C},太原某化工,140100,-\n"));
    assert_eq!(post_secret(&s, &rotated, "hazard_source", &first).await.0, 404);

    // The secret is never written in full: the audit trail keeps its first four characters.
    s.state.audit.flush().await.unwrap();
    let filter = storage::audit::AuditFilter { route_prefix: Some("/x/".into()), ..Default::default() };
    let page = s.db.with(|c| storage::audit::list(c, &filter, None, 100)).unwrap();
    assert!(page.rows.len() >= pages, "every push by the secret address is audited: {}", page.rows.len());
    for row in &page.rows {
        assert!(!row.path.contains(SECRET) && !row.path.contains(&rotated[..20]), "{}", row.path);
        assert!(row.path.starts_with("/x/Zq3k…/") || row.path.starts_with("/x/zq3k…/"), "{}", row.path);
    }
}

/// HTTP Basic as `group:<name>`.
async fn post_group(s: &Server, password: &str, table: &str, body: &Value) -> (u16, Value) {
    let res = s
        .http
        .post(format!("{}/api/v1/exchange/{table}", s.base))
        .basic_auth("group:潞安园区", Some(password))
        .json(body)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

async fn a_group_pushes_for_its_members_and_no_other(s: Server) {
    const PASSWORD: &str = "group-password-2026";
    let members: Vec<domain::CompanyCode> =
        ["140100001", "140100002", "140100003"].iter().map(|c| domain::CompanyCode::parse(c).unwrap()).collect();
    s.db.with(|c| Ok(storage::push_groups::set(c, "潞安园区", PASSWORD, &members, s.clock.now_utc())))
        .unwrap()
        .unwrap();
    for m in &members {
        let (status, receipt) =
            post_group(&s, PASSWORD, "hazard_source", &json!([hazard(m.as_str(), "h1", "HZ-1")])).await;
        assert_eq!(
            (status, receipt["accepted"].clone(), receipt["companyCode"].clone()),
            (200, json!(1), json!(m.as_str()))
        );
    }
    // A fourth enterprise: refused as a whole, nothing looked at.
    let (status, body) = post_group(&s, PASSWORD, "hazard_source", &json!([hazard("140100004", "h1", "HZ-1")])).await;
    assert_eq!((status, body["code"].clone()), (403, json!("forbidden")));
    // A page mixing a member and the fourth: the member's record is stored, the other rejected on its own.
    let mixed = json!([hazard("140100002", "h2", "HZ-2"), hazard("140100004", "h4", "HZ-4")]);
    let (status, receipt) = post_group(&s, PASSWORD, "hazard_source", &mixed).await;
    assert_eq!(
        (status, receipt["accepted"].clone(), receipt["companyCode"].clone()),
        (207, json!(1), json!("140100002"))
    );
    assert_eq!(
        (receipt["errors"][0]["index"].clone(), receipt["errors"][0]["code"].clone()),
        (json!(1), json!("bad_company"))
    );
    // Encrypted with the members' shared key.
    s.import("companyCode,name,cityCode,aesKey\n140100003,阳煤某化工,140100,Sx2026DualPrev01\n");
    let plain = json!([hazard("140100003", "h3", "HZ-3")]).to_string();
    let key = exchange::key_bytes("Sx2026DualPrev01").unwrap();
    let datas = exchange::encrypt_datas(plain.as_bytes(), domain::client::Cipher::Aes128Cbc, &key, &key);
    let (status, receipt) = post_group(&s, PASSWORD, "hazard_source", &json!({ "datas": datas })).await;
    assert_eq!((status, receipt["companyCode"].clone()), (200, json!("140100003")), "{receipt}");
    // A wrong password, and a removed group.
    assert_eq!(post_group(&s, "not-the-password!", "hazard_source", &mixed).await.0, 401);
    assert!(s.db.with(|c| storage::push_groups::remove(c, "潞安园区")).unwrap());
    assert_eq!(post_group(&s, PASSWORD, "hazard_source", &mixed).await.0, 401);
}

both_backends!(national_pages_through_the_secret_address, a_group_pushes_for_its_members_and_no_other);
