//! The audit trail: every `/api/v1/*` request recorded with its actor, role, outcome and route; the province reads
//! it page by page; other roles are refused.

use crate::wire::*;
use crate::{Server, assert_problem};
use api::Role;
use domain::City;
use serde_json::{Value, json};

const A: &str = "140100001";

both_backends!(requests_are_recorded, only_the_province_reads_it, pages_follow_the_cursor);

impl Server {
    /// Waits for the audit writer, then reads `/api/v1/audit` with a province token.
    async fn audit(&self, query: &str) -> Value {
        self.state.audit.flush().await.unwrap();
        let token = self.token(Role::Province, None, None);
        let res = self.get(&format!("/api/v1/audit{query}"), Some(&token)).await;
        assert_eq!(res.status().as_u16(), 200);
        res.json().await.unwrap()
    }
}

fn find<'a>(rows: &'a [Value], path: &str) -> &'a Value {
    rows.iter().find(|r| r["path"] == path).unwrap_or_else(|| panic!("no row for {path} in {rows:?}"))
}

async fn requests_are_recorded(s: Server) {
    let (table, batch) = chain(A).remove(0);
    assert_eq!(table, "hazard_source");
    let (status, receipt) = s.push(table, A, &batch).await;
    assert_eq!(status, 200, "{receipt}");
    let city = s.token(Role::City, Some(City::Taiyuan), None);
    assert_eq!(s.get("/api/v1/enterprises/140100001", Some(&city)).await.status().as_u16(), 200);
    assert_problem(s.get("/api/v1/enterprises/140200001", Some(&city)).await, 403, "forbidden").await;
    assert_problem(s.get("/api/v1/enterprises?city=140200", Some("forged")).await, 401, "unauthorized").await;
    assert_eq!(s.get("/healthz", None).await.status().as_u16(), 200);

    let page = s.audit("").await;
    let rows = page["rows"].as_array().unwrap();
    assert!(rows.iter().all(|r| r["path"].as_str().unwrap().starts_with("/api/v1/")), "{rows:?}");

    let push = find(rows, "/api/v1/exchange/hazard_source");
    assert_eq!(push["actor"], format!("enterprise:{A}"));
    assert_eq!((push["role"].as_str(), push["scope"].as_str()), (Some("enterprise"), Some(A)));
    assert_eq!((push["method"].as_str(), push["route"].as_str()), (Some("POST"), Some("/api/v1/exchange/{table}")));
    assert_eq!((push["status"].as_i64(), push["outcome"].as_str()), (Some(200), Some("ok")));
    assert_eq!(push["detail"]["batchId"], receipt["batchId"]);
    assert_eq!((push["detail"]["accepted"].as_i64(), push["detail"]["rejected"].as_i64()), (Some(1), Some(0)));
    assert_eq!(push["client"], "127.0.0.1");
    assert!(push["at"].as_str().unwrap().ends_with("+08:00"));

    let read = find(rows, "/api/v1/enterprises/140100001");
    assert_eq!((read["actor"].as_str(), read["role"].as_str()), (Some("city:140100"), Some("city")));
    assert_eq!((read["scope"].as_str(), read["outcome"].as_str()), (Some("140100"), Some("ok")));
    assert_eq!(read["route"], "/api/v1/enterprises/{companyCode}");

    let denied = find(rows, "/api/v1/enterprises/140200001");
    assert_eq!((denied["actor"].as_str(), denied["status"].as_i64()), (Some("city:140100"), Some(403)));
    assert_eq!(denied["outcome"], "denied");

    let anon = find(rows, "/api/v1/enterprises");
    assert_eq!((anon["actor"].as_str(), anon["role"].as_null()), (Some("-"), Some(())));
    assert_eq!((anon["outcome"].as_str(), anon["query"].as_str()), (Some("unauthorized"), Some("city=140200")));

    // A report download names the report and format, even when there is no such report.
    let province = s.token(Role::Province, None, None);
    assert_problem(s.get("/api/v1/reports/2026-11.province.r9.xlsx", Some(&province)).await, 404, "not_found").await;
    let page = s.audit("?route=/api/v1/reports").await;
    let download = &page["rows"][0];
    assert_eq!(download["route"], "/api/v1/reports/{id}");
    assert_eq!(download["detail"], json!({"reportId": "2026-11.province.r9", "format": "xlsx"}));
    assert_eq!(download["outcome"], "rejected");

    // The chain links each row to the one before, and the filters narrow the list.
    for pair in rows.windows(2) {
        assert_eq!(pair[1]["prevHash"], pair[0]["hash"]);
        assert_eq!(pair[1]["seq"].as_i64().unwrap(), pair[0]["seq"].as_i64().unwrap() + 1);
    }
    let denied_only = s.audit("?outcome=denied").await;
    assert_eq!(denied_only["rows"].as_array().unwrap().len(), 1);
    let by_city = s.audit("?actor=city:140100&role=city").await;
    assert_eq!(by_city["rows"].as_array().unwrap().len(), 2);
    let future = s.audit("?since=2100-01-01T00:00:00%2B08:00").await;
    assert_eq!(future["rows"], json!([]));
    assert_problem(s.get("/api/v1/audit?since=yesterday", Some(&province)).await, 400, "bad_time").await;
    assert_problem(s.get("/api/v1/audit?limit=1001", Some(&province)).await, 400, "bad_limit").await;
    assert_problem(s.get("/api/v1/audit?outcome=fine", Some(&province)).await, 400, "bad_outcome").await;
    let report = s.db.with(storage::audit::verify).unwrap();
    assert!(report.ok(), "{report:?}");
}

async fn only_the_province_reads_it(s: Server) {
    let tokens = [
        s.token(Role::City, Some(City::Taiyuan), None),
        s.token(Role::Service, None, None),
        s.token(Role::Enterprise, None, Some(A)),
    ];
    for t in &tokens {
        assert_problem(s.get("/api/v1/audit", Some(t)).await, 403, "forbidden").await;
    }
    assert_problem(s.get("/api/v1/audit", None).await, 401, "unauthorized").await;
    let page = s.audit("?route=/api/v1/audit").await;
    let outcomes: Vec<&str> = page["rows"].as_array().unwrap().iter().map(|r| r["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["denied", "denied", "denied", "unauthorized"]);
}

async fn pages_follow_the_cursor(s: Server) {
    let token = s.token(Role::Province, None, None);
    for _ in 0..7 {
        assert_eq!(s.get("/api/v1/enterprises", Some(&token)).await.status().as_u16(), 200);
    }
    let mut seen = Vec::new();
    let mut after: Option<i64> = None;
    loop {
        let query = match after {
            Some(a) => format!("?route=/api/v1/enterprises&limit=3&after={a}"),
            None => "?route=/api/v1/enterprises&limit=3".to_owned(),
        };
        let page = s.audit(&query).await;
        let rows = page["rows"].as_array().unwrap();
        assert!(rows.len() <= 3);
        seen.extend(rows.iter().map(|r| r["seq"].as_i64().unwrap()));
        match page["next"].as_i64() {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    assert_eq!(seen.len(), 7, "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
}
