//! Acceptances (验收) and spot checks (抽查): recording, pass status, scope, the documented error codes, and
//! reproducible draws.

use crate::{Server, assert_problem};
use api::Role;
use domain::City;
use serde_json::{Value, json};

both_backends!(
    city_passes_only_when_all_are_good,
    scope_is_enforced,
    bad_acceptances_get_their_codes,
    draws_and_findings
);

fn today() -> chrono::NaiveDate {
    domain::time::local_date(testkit::clock().now_utc())
}

fn acceptance(code: &str, grade: &str) -> Value {
    json!({"companyCode": code, "acceptedOn": "2026-11-20", "experts": ["张三", "李四"], "grade": grade,
        "findings": "运行正常", "rectifyBy": "2026-12-20"})
}

async fn yangquan(s: &Server, token: &str) -> Value {
    let res = s.get("/api/v1/acceptances", Some(token)).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    body["cities"].as_array().unwrap().iter().find(|c| c["cityCode"] == "140300").unwrap().clone()
}

async fn city_passes_only_when_all_are_good(s: Server) {
    let yq = s.token(Role::City, Some(City::Yangquan), None);
    let line = yangquan(&s, &yq).await;
    assert_eq!(
        (line["registered"].as_u64(), line["accepted"].as_u64(), &line["passes"]),
        (Some(3), Some(0), &json!(false))
    );
    let res = s.post("/api/v1/acceptances", &yq, acceptance("140300001", "优")).await;
    assert_eq!(res.status(), 201);
    let stored: Value = res.json().await.unwrap();
    assert_eq!(stored["recordedBy"], "city:140300");
    assert!(stored["recordedAt"].as_str().unwrap().ends_with("+08:00"));
    assert_eq!(stored["experts"], json!(["张三", "李四"]));
    // Keys are accepted and stored as the Chinese labels.
    let stored: Value = s.post("/api/v1/acceptances", &yq, acceptance("140300002", "fair")).await.json().await.unwrap();
    assert_eq!((&stored["grade"], &stored["effectiveGradeKey"]), (&json!("中"), &json!("fair")));
    assert_eq!(s.post("/api/v1/acceptances", &yq, acceptance("140300003", "良")).await.status(), 201);
    let line = yangquan(&s, &yq).await;
    assert_eq!(line["excellentGood"], json!({"num": 2, "den": 3, "rate": 2.0 / 3.0}));
    assert_eq!((line["rectifying"].as_u64(), &line["passes"]), (Some(1), &json!(false)));
    // The re-check grade overrides the grade: 中 → 良 after rectification, and the city passes.
    let mut recheck = acceptance("140300002", "中");
    recheck["recheckOn"] = json!("2026-11-25");
    recheck["recheckGrade"] = json!("良");
    let stored: Value = s.post("/api/v1/acceptances", &yq, recheck).await.json().await.unwrap();
    assert_eq!(stored["effectiveGrade"], "良");
    let line = yangquan(&s, &yq).await;
    assert_eq!((line["rectifying"].as_u64(), &line["passes"]), (Some(0), &json!(true)));
    // The province sees every city; only 阳泉 passes.
    let prov = s.token(Role::Province, None, None);
    let all: Value = s.get("/api/v1/acceptances", Some(&prov)).await.json().await.unwrap();
    let cities = all["cities"].as_array().unwrap();
    assert_eq!(cities.len(), 11);
    assert_eq!(cities.iter().filter(|c| c["passes"] == true).count(), 1);
    assert_eq!(all["enterprises"].as_array().unwrap().len(), 176);
    let own: Value = s.get("/api/v1/acceptances?city=140300", Some(&prov)).await.json().await.unwrap();
    let rows = own["enterprises"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1]["current"]["recheckGrade"], "良");
}

async fn scope_is_enforced(s: Server) {
    let ty = s.token(Role::City, Some(City::Taiyuan), None);
    assert_problem(s.get("/api/v1/acceptances?city=140300", Some(&ty)).await, 403, "forbidden").await;
    assert_problem(s.get("/api/v1/spot-checks?city=140300", Some(&ty)).await, 403, "forbidden").await;
    assert_problem(s.post("/api/v1/acceptances", &ty, acceptance("140300001", "优")).await, 403, "forbidden").await;
    let own: Value = s.get("/api/v1/acceptances", Some(&ty)).await.json().await.unwrap();
    assert_eq!(own["cities"].as_array().unwrap().len(), 1);
    assert!(own["enterprises"].as_array().unwrap().iter().all(|e| e["cityCode"] == "140100"));
    // Only cities record acceptances; only the province draws and records findings.
    let prov = s.token(Role::Province, None, None);
    assert_problem(s.post("/api/v1/acceptances", &prov, acceptance("140300001", "优")).await, 403, "forbidden").await;
    let draw = json!({"city": "140100", "size": 2});
    assert_problem(s.post("/api/v1/spot-checks", &ty, draw).await, 403, "forbidden").await;
    let ent = s.token(Role::Enterprise, None, Some("140100001"));
    assert_problem(s.get("/api/v1/acceptances", Some(&ent)).await, 403, "forbidden").await;
    assert_problem(s.get("/api/v1/acceptances", None).await, 401, "unauthorized").await;
}

async fn bad_acceptances_get_their_codes(s: Server) {
    let yq = s.token(Role::City, Some(City::Yangquan), None);
    let with = |k: &str, v: Value| {
        let mut b = acceptance("140300001", "中");
        b[k] = v;
        b
    };
    let tomorrow = (today() + chrono::TimeDelta::days(1)).to_string();
    let cases = [
        (with("companyCode", json!("140399999")), "unknown_company"),
        (with("grade", json!("甲")), "bad_grade"),
        (with("acceptedOn", json!("2026/11/20")), "bad_date"),
        (with("acceptedOn", json!(tomorrow)), "future_date"),
        (with("experts", json!([])), "no_experts"),
        (with("experts", json!(["张三", " "])), "no_experts"),
        (with("rectifyBy", Value::Null), "rectify_by_required"),
        (with("rectifyBy", json!("2026-11-01")), "rectify_before_acceptance"),
        (with("recheckOn", json!("2026-11-25")), "recheck_incomplete"),
        (with("recheckGrade", json!("良")), "recheck_incomplete"),
    ];
    for (body, code) in cases {
        assert_problem(s.post("/api/v1/acceptances", &yq, body).await, 422, code).await;
    }
    let mut early = with("recheckOn", json!("2026-11-19"));
    early["recheckGrade"] = json!("良");
    assert_problem(s.post("/api/v1/acceptances", &yq, early).await, 422, "recheck_before_acceptance").await;
    assert_problem(s.post("/api/v1/acceptances", &yq, with("colour", json!(1))).await, 400, "bad_json").await;
    // Nothing was stored.
    assert_eq!(yangquan(&s, &yq).await["accepted"], 0);
}

async fn draws_and_findings(s: Server) {
    let prov = s.token(Role::Province, None, None);
    let body = json!({"city": "140300", "size": 2, "seed": 7});
    let res = s.post("/api/v1/spot-checks", &prov, body.clone()).await;
    assert_eq!(res.status(), 201);
    let first: Value = res.json().await.unwrap();
    let codes = |d: &Value| -> Vec<String> {
        d["companies"].as_array().unwrap().iter().map(|c| c["companyCode"].as_str().unwrap().to_owned()).collect()
    };
    // Seed 7 over 阳泉's three enterprises, by hand (docs/acceptance.md): 140300001 then 140300002.
    assert_eq!(codes(&first), ["140300001", "140300002"]);
    assert_eq!((&first["seed"], &first["drawnBy"]), (&json!(7), &json!("province")));
    assert!(first["drawnAt"].as_str().unwrap().ends_with("+08:00"));
    let again: Value = s.post("/api/v1/spot-checks", &prov, body).await.json().await.unwrap();
    assert_eq!(codes(&again), codes(&first));
    assert_ne!(again["id"], first["id"]);
    // Without a seed one is generated, stored and shown.
    let generated: Value =
        s.post("/api/v1/spot-checks", &prov, json!({"city": "140300", "size": 3})).await.json().await.unwrap();
    assert!(generated["seed"].as_u64().unwrap() <= domain::sample::MAX_SEED);
    assert_eq!(codes(&generated).len(), 3);
    for (b, code) in [
        (json!({"city": "140300", "size": 0}), "bad_size"),
        (json!({"city": "140300", "size": 4}), "bad_size"),
        (json!({"city": "149900", "size": 1}), "unknown_city"),
        (json!({"city": "140300", "size": 1, "seed": 1u64 << 53}), "bad_seed"),
    ] {
        assert_problem(s.post("/api/v1/spot-checks", &prov, b).await, 422, code).await;
    }
    // Findings: only for an enterprise of the draw; the latest counts.
    let id = first["id"].as_i64().unwrap();
    let path = format!("/api/v1/spot-checks/{id}/findings");
    let finding = |code: &str, result: &str| json!({"companyCode": code, "checkedOn": today().to_string(), "result": result, "findings": "抽查"});
    assert_problem(s.post(&path, &prov, finding("140300003", "pass")).await, 422, "not_in_draw").await;
    assert_problem(s.post(&path, &prov, finding("140300001", "ok")).await, 422, "bad_result").await;
    assert_problem(
        s.post("/api/v1/spot-checks/99999/findings", &prov, finding("140300001", "pass")).await,
        404,
        "not_found",
    )
    .await;
    let yq = s.token(Role::City, Some(City::Yangquan), None);
    assert_problem(s.post(&path, &yq, finding("140300001", "pass")).await, 403, "forbidden").await;
    let res = s.post(&path, &prov, finding("140300001", "不合格")).await;
    assert_eq!(res.status(), 201);
    let stored: Value = res.json().await.unwrap();
    assert_eq!((&stored["result"], &stored["recordedBy"]), (&json!("fail"), &json!("province")));
    assert_eq!(s.post(&path, &prov, finding("140300001", "pass")).await.status(), 201);
    // The city reads its own draws, with the current finding.
    let draws: Vec<Value> = s.get("/api/v1/spot-checks", Some(&yq)).await.json().await.unwrap();
    assert_eq!(draws.len(), 3);
    let d = draws.iter().find(|d| d["id"] == id).unwrap();
    assert_eq!(d["companies"][0]["finding"]["result"], "pass");
    assert_eq!(d["companies"][1]["finding"], Value::Null);
    let ty = s.token(Role::City, Some(City::Taiyuan), None);
    let none: Vec<Value> = s.get("/api/v1/spot-checks", Some(&ty)).await.json().await.unwrap();
    assert!(none.is_empty());
}
