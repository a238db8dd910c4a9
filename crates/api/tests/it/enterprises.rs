//! `GET /api/v1/enterprises` with each role and scope.

use crate::{Server, assert_problem};
use api::Role;
use domain::City;
use serde_json::Value;

both_backends!(province_sees_all, city_sees_its_own_only, filters_and_one_row);

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
    // Enterprise and service tokens may not read the registry.
    for role in [Role::Service, Role::Enterprise] {
        let t = s.token(role, None, Some("140100001"));
        assert_problem(s.get("/api/v1/enterprises", Some(&t)).await, 403, "forbidden").await;
    }
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
