//! `GET /api/v1/enterprises` with each role and scope.

use crate::{Server, assert_problem};
use api::Role;
use domain::City;
use serde_json::Value;

both_backends!(
    province_sees_all,
    city_sees_its_own_only,
    filters_and_one_row,
    the_service_role_maps_codes_without_pull_detail,
    batches_carry_the_one_deadline_of_each
);

async fn the_service_role_maps_codes_without_pull_detail(s: Server) {
    // One enterprise is pulled, so its row has a last pull for the province.
    let code = domain::CompanyCode::parse("140100001").unwrap();
    s.db.with(|c| Ok(storage::pull_state::set_endpoint(c, &code, "http://127.0.0.1:9/x", None, s.clock.now_utc())?))
        .unwrap();
    let puller = ingest::Puller::new(s.db.clone(), ingest::PullConfig::default(), s.clock.clone()).unwrap();
    puller.cycle(Some("140100001")).await.unwrap();
    let province = s.token(Role::Province, None, None);
    let service = s.token(Role::Service, None, None);
    let theirs: Value = s.get("/api/v1/enterprises/140100001", Some(&province)).await.json().await.unwrap();
    assert!(theirs["lastPull"]["error"].is_string(), "the province sees why the pull failed: {theirs}");
    let rows: Vec<Value> = s.get("/api/v1/enterprises", Some(&service)).await.json().await.unwrap();
    assert_eq!(rows.len(), 176, "every city's enterprises");
    let mine = rows.iter().find(|r| r["companyCode"] == "140100001").unwrap();
    assert_eq!(
        (&mine["name"], &mine["cityCode"], &mine["batch"]),
        (&theirs["name"], &theirs["cityCode"], &theirs["batch"])
    );
    assert!(mine["lastPull"].is_null() && mine["pullConfigured"] == true, "{mine}");
    let one: Value = s.get("/api/v1/enterprises/140200001", Some(&service)).await.json().await.unwrap();
    assert_eq!(one["cityCode"], "140200");
    let text = s.get("/api/v1/enterprises", Some(&service)).await.text().await.unwrap();
    assert!(!text.contains("127.0.0.1:9"), "no endpoint address reaches the service role");
}

async fn batches_carry_the_one_deadline_of_each(s: Server) {
    let token = s.token(Role::City, Some(City::Taiyuan), None);
    let rows: Vec<Value> = s.get("/api/v1/batches", Some(&token)).await.json().await.unwrap();
    let got: Vec<(&str, &str)> =
        rows.iter().map(|r| (r["key"].as_str().unwrap(), r["deadline"].as_str().unwrap())).collect();
    assert_eq!(got, [("1", "2022-06-30"), ("2", "2022-12-31"), ("unknown", "2022-12-31")]);
    assert!(rows.iter().all(|r| r["basis"].as_str().unwrap().contains("2022年")));
}

async fn province_sees_all(s: Server) {
    let token = s.token(Role::Province, None, None);
    let res = s.get("/api/v1/enterprises", Some(&token)).await;
    assert_eq!(res.status(), 200);
    let rows: Vec<Value> = res.json().await.unwrap();
    assert_eq!(rows.len(), 176);
    let unknown: Vec<&Value> = rows.iter().filter(|r| r["batch"] == "unknown").collect();
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0]["cityName"], "朔州市");
    assert!(unknown[0]["flags"].as_array().unwrap().contains(&"batch_unknown".into()));
    assert!(rows.iter().all(|r| r["updatedAt"].as_str().unwrap().ends_with("+08:00")));
}

async fn city_sees_its_own_only(s: Server) {
    let token = s.token(Role::City, Some(City::Taiyuan), None);
    let rows: Vec<Value> = s.get("/api/v1/enterprises", Some(&token)).await.json().await.unwrap();
    assert_eq!(rows.len(), 14);
    assert!(rows.iter().all(|r| r["cityCode"] == "140100"));
    let same: Vec<Value> = s.get("/api/v1/enterprises?city=140100", Some(&token)).await.json().await.unwrap();
    assert_eq!(same.len(), 14);
    // Asking for another city is refused, not silently narrowed.
    assert_problem(s.get("/api/v1/enterprises?city=140200", Some(&token)).await, 403, "forbidden").await;
    assert_problem(s.get("/api/v1/enterprises/140200001", Some(&token)).await, 403, "forbidden").await;
    let own = s.get("/api/v1/enterprises/140100001", Some(&token)).await;
    assert_eq!(own.status(), 200);
    // Enterprise tokens may not read the registry (the service role may: see below).
    let t = s.token(Role::Enterprise, None, Some("140100001"));
    assert_problem(s.get("/api/v1/enterprises", Some(&t)).await, 403, "forbidden").await;
    assert_problem(s.get("/api/v1/enterprises/140100001", Some(&t)).await, 403, "forbidden").await;
}

async fn filters_and_one_row(s: Server) {
    let token = s.token(Role::Province, None, None);
    let rows: Vec<Value> = s.get("/api/v1/enterprises?city=140500&batch=2", Some(&token)).await.json().await.unwrap();
    assert!(rows.iter().all(|r| r["cityCode"] == "140500" && r["batch"] == "2"));
    let nc: Vec<&Value> =
        rows.iter().filter(|r| r["flags"].as_array().unwrap().contains(&"not_connected".into())).collect();
    assert_eq!(nc.len(), 1);
    let unknown: Vec<Value> = s.get("/api/v1/enterprises?batch=unknown", Some(&token)).await.json().await.unwrap();
    assert_eq!(unknown.len(), 1);
    let one: Value = s.get("/api/v1/enterprises/140600001", Some(&token)).await.json().await.unwrap();
    assert_eq!(one["name"], "山西中煤平朔能源化工有限公司");
    assert_eq!(one["annexNo"], 80);
    assert_problem(s.get("/api/v1/enterprises/999999999", Some(&token)).await, 404, "not_found").await;
    // A city learns nothing outside its scope, not even whether an enterprise exists: the same refusal for another
    // city's enterprise and for none.
    let city = s.token(Role::City, Some(domain::City::Taiyuan), None);
    let elsewhere = assert_problem(s.get("/api/v1/enterprises/140600001", Some(&city)).await, 403, "forbidden").await;
    let nowhere = assert_problem(s.get("/api/v1/enterprises/999999999", Some(&city)).await, 403, "forbidden").await;
    assert_eq!(elsewhere["detail"], nowhere["detail"]);
    assert!(!elsewhere["detail"].as_str().unwrap().contains("140600001"));
    assert_problem(s.get("/api/v1/enterprises?city=149900", Some(&token)).await, 400, "unknown_city").await;
    assert_problem(s.get("/api/v1/enterprises?batch=3", Some(&token)).await, 400, "bad_batch").await;
}
