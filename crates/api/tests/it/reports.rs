//! The monthly report: frozen by the job (and its catch-up), figures equal to the API's at the same asOf, files that
//! open, byte-identical regeneration, revisions, scope.

use crate::figures::fill;
use crate::{Server, assert_problem, query_value};
use api::Role;
use calamine::{Data, Reader, Xlsx};
use domain::City;
use report::monthly::freeze::{make, render, report_month};
use report::monthly::{MonthlyReport, ReportScope};
use serde_json::Value;

both_backends!(frozen_reports_match_the_api_and_regenerate_identically, revisions_and_scope);

fn fig(v: &Value) -> (u64, u64) {
    (v["num"].as_u64().unwrap(), v["den"].as_u64().unwrap())
}

async fn content(s: &Server, id: &str, token: &str) -> MonthlyReport {
    let res = s.get(&format!("/api/v1/reports/{id}"), Some(token)).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

async fn frozen_reports_match_the_api_and_regenerate_identically(s: Server) {
    fill(&s, 16).await;
    let province = s.token(Role::Province, None, None);
    let now = testkit::clock().now_utc();
    // The catch-up at start freezes the last due month for the province and the 11 cities; a second run does nothing.
    let month = report::monthly::freeze::last_due(now);
    let ids = api::jobs::monthly_report(&s.state, now).await.unwrap().expect("the missed 20th is caught up");
    assert_eq!(ids.len(), 12);
    assert!(api::jobs::monthly_report(&s.state, now).await.unwrap().is_none(), "frozen once");
    // The generation is in the audit trail.
    s.state.audit.flush().await.unwrap();
    let audited = s.db.with(|c| storage::audit::list(c, &Default::default(), None, 1000)).unwrap();
    let job = audited.rows.iter().find(|r| r.actor == "job").expect("the job is audited");
    assert_eq!((job.route.as_str(), job.outcome.as_str()), ("monthly_report", "ok"));
    assert!(job.detail.as_deref().unwrap().contains(&ids[0]));
    let label = report::monthly::month_label(month);
    let list: Value = s.get(&format!("/api/v1/reports?month={label}"), Some(&province)).await.json().await.unwrap();
    let rows = list["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 12);
    assert_eq!((rows[0]["scope"].as_str(), rows[0]["revision"].as_i64()), (Some("province"), Some(1)));
    let as_of = rows[0]["asOf"].as_str().unwrap().to_owned();
    // The province report's figures are the API's figures of the report month at the same asOf.
    let prov = content(&s, rows[0]["id"].as_str().unwrap(), &province).await;
    let period = month.label();
    let api: Value = s
        .get(&format!("/api/v1/metrics?period={period}&by=city&asOf={}", query_value(&as_of)), Some(&province))
        .await
        .json()
        .await
        .unwrap();
    let cities = api["rows"].as_array().unwrap();
    assert_eq!(prov.lines.len(), cities.len());
    for (line, row) in prov.lines.iter().zip(cities) {
        assert_eq!(line.key, row["key"].as_str().unwrap());
        assert_eq!((line.task_completion.num, line.task_completion.den), fig(&row["taskCompletion"]));
        assert_eq!((line.rectification.num, line.rectification.den), fig(&row["rectification"]));
        assert_eq!((line.risk_analysis.num, line.risk_analysis.den), fig(&row["riskAnalysis"]));
        assert_eq!(line.overdue_major_dangers, row["overdueMajorDangers"].as_u64().unwrap());
    }
    let task_den: u64 = prov.lines.iter().map(|l| l.task_completion.den).sum();
    assert!(task_den > 0, "the simulated enterprises had tasks due");
    assert_eq!(prov.total.task_completion.den, task_den, "the total sums the cities");
    let ranks: Value = s
        .get(&format!("/api/v1/rankings?period={period}&of=cities&asOf={}", query_value(&as_of)), Some(&province))
        .await
        .json()
        .await
        .unwrap();
    let ranked: Vec<&str> = ranks["rows"].as_array().unwrap().iter().map(|r| r["key"].as_str().unwrap()).collect();
    assert_eq!(prov.city_ranking.iter().map(|r| r.city.as_str()).collect::<Vec<_>>(), ranked);
    assert_eq!(prov.progress.iter().map(|p| p.registered).sum::<u64>(), 176);
    // A city report: its enterprises' figures are the API's for that city.
    let taiyuan = s.token(Role::City, Some(City::Taiyuan), None);
    let city_id = format!("{label}.140100.r1");
    let city = content(&s, &city_id, &taiyuan).await;
    assert_eq!(city.scope, ReportScope::City("140100".into()));
    let api: Value = s
        .get(
            &format!("/api/v1/metrics?period={period}&by=enterprise&city=140100&asOf={}", query_value(&as_of)),
            Some(&taiyuan),
        )
        .await
        .json()
        .await
        .unwrap();
    let ents = api["rows"].as_array().unwrap();
    assert_eq!(city.lines.len(), 14);
    for (line, row) in city.lines.iter().zip(ents) {
        assert_eq!(line.key, row["key"].as_str().unwrap());
        assert_eq!((line.task_completion.num, line.task_completion.den), fig(&row["taskCompletion"]));
        assert_eq!((line.rectification.num, line.rectification.den), fig(&row["rectification"]));
    }
    assert_eq!(city.city_ranking.len(), prov.city_ranking.len(), "a city sees every city's rank");
    // The XLSX opens in a standard reader: the figures sheet holds numbers equal to the content's.
    let res = s.get(&format!("/api/v1/reports/{city_id}.xlsx"), Some(&taiyuan)).await;
    assert_eq!(res.headers()["content-type"], api::routes::reports::XLSX);
    let xlsx = res.bytes().await.unwrap().to_vec();
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx.clone())).unwrap();
    let sheet = wb.worksheet_range("指标").unwrap();
    let numbers = sheet.cells().filter(|(_, _, c)| matches!(c, Data::Float(_) | Data::Int(_))).count();
    assert!(numbers > 14 * 8, "numbers as numbers ({numbers})");
    let names: Vec<String> = sheet.rows().filter_map(|r| r.first().map(|c| c.to_string())).collect();
    for line in &city.lines {
        assert!(names.contains(&line.name), "{} listed", line.name);
    }
    // Regenerating from the same asOf gives the same bytes as the frozen files.
    let stored = s.db.with(|c| storage::reports::get(c, &city_id)).unwrap().unwrap();
    let again =
        s.db.with(|c| {
            let r = make(
                c,
                &report::figures::FromVersions((*s.state.calendar).clone()),
                report_month(&label).unwrap(),
                city.scope.clone(),
                1,
                "",
                stored.meta.as_of,
            );
            Ok(r.unwrap())
        })
        .unwrap();
    let row = render(&again, stored.meta.created_at, &stored.meta.created_by).unwrap();
    assert_eq!(row.content, stored.content);
    assert!(row.xlsx == xlsx && row.xlsx == stored.xlsx, "XLSX byte-identical");
    assert_eq!(row.html, stored.html, "HTML byte-identical");
    let html = s.get(&format!("/api/v1/reports/{city_id}"), Some(&taiyuan)).await;
    assert_eq!(html.status(), 200);
    let by_accept = s
        .http
        .get(format!("{}/api/v1/reports/{city_id}", s.base))
        .bearer_auth(&taiyuan)
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert!(by_accept.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert_eq!(by_accept.text().await.unwrap(), stored.html);
}

async fn revisions_and_scope(s: Server) {
    fill(&s, 4).await;
    let province = s.token(Role::Province, None, None);
    let now = testkit::clock().now_utc();
    let month = report::monthly::freeze::last_due(now);
    let label = report::monthly::month_label(month);
    api::jobs::monthly_report(&s.state, now).await.unwrap().unwrap();
    let first = s.db.with(|c| storage::reports::get(c, &format!("{label}.province.r1"))).unwrap().unwrap();
    // Acceptance and spot checks recorded after the 20th: a correction shows them, the first revision does not.
    let yq = s.token(Role::City, Some(City::Yangquan), None);
    let accepted = serde_json::json!({"companyCode": "140300001", "acceptedOn": "2026-11-20", "experts": ["张三"],
        "grade": "优", "findings": "运行正常"});
    assert_eq!(s.post("/api/v1/acceptances", &yq, accepted).await.status(), 201);
    let draw = serde_json::json!({"city": "140300", "size": 2, "seed": 7});
    assert_eq!(s.post("/api/v1/spot-checks", &province, draw).await.status(), 201);
    // A correction is a new revision with its own asOf and note; the first stays as it was.
    let body = serde_json::json!({"month": label, "note": "补录太原市两家企业的检查记录"});
    let res =
        s.http.post(format!("{}/api/v1/reports", s.base)).bearer_auth(&province).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 201);
    let r2: Value = res.json().await.unwrap();
    assert_eq!((r2["revision"].as_i64(), r2["id"].as_str()), (Some(2), Some(format!("{label}.province.r2").as_str())));
    assert_eq!(r2["note"], "补录太原市两家企业的检查记录");
    let again = s.db.with(|c| storage::reports::get(c, &first.meta.id)).unwrap().unwrap();
    assert_eq!(again, first, "a stored report never changes");
    let r2c = content(&s, r2["id"].as_str().unwrap(), &province).await;
    assert!(r2c.as_of > first.meta.as_of);
    assert_eq!(r2c.note, "补录太原市两家企业的检查记录");
    let r1c = content(&s, &first.meta.id, &province).await;
    let yq_line =
        |r: &MonthlyReport| r.acceptance.iter().find(|a| a.city == "140300").map(|a| (a.accepted, a.registered));
    assert_eq!((yq_line(&r1c), yq_line(&r2c)), (Some((0, 3)), Some((1, 3))));
    assert!(r2c.acceptance.iter().all(|a| !a.passes), "no city has every enterprise 优 or 良");
    // The draw was made after the 20th: it belongs to the next report month, whose preview lists it.
    assert!(r2c.spot_checks.is_empty());
    let next = domain::Period::report_month_of(domain::time::local_date(now));
    let preview =
        s.db.with(|c| {
            Ok(make(
                c,
                &report::figures::FromVersions((*s.state.calendar).clone()),
                next,
                ReportScope::City("140300".into()),
                0,
                "",
                testkit::clock().now_utc(),
            )
            .unwrap())
        })
        .unwrap();
    let drawn: Vec<(&str, &str)> =
        preview.spot_checks.iter().map(|l| (l.company.as_str(), l.result.as_str())).collect();
    assert_eq!(
        drawn,
        [("140300001", "待检查"), ("140300002", "待检查")],
        "seed 7 draws these two (docs/acceptance.md)"
    );
    assert_eq!(preview.acceptance.len(), 1, "a city report shows its own acceptance");
    // Bad corrections.
    let post = |b: Value| s.http.post(format!("{}/api/v1/reports", s.base)).bearer_auth(&province).json(&b).send();
    assert_problem(post(serde_json::json!({"month": label, "note": " "})).await.unwrap(), 400, "bad_note").await;
    assert_problem(post(serde_json::json!({"month": "2026-13", "note": "x"})).await.unwrap(), 400, "bad_month").await;
    assert_problem(post(serde_json::json!({"month": "2099-01", "note": "x"})).await.unwrap(), 409, "report_not_due")
        .await;
    // Scope: a city sees its own reports only; the province report and other cities' are refused.
    let yangquan = s.token(Role::City, Some(City::Yangquan), None);
    let own: Value = s.get("/api/v1/reports", Some(&yangquan)).await.json().await.unwrap();
    assert!(own["rows"].as_array().unwrap().iter().all(|r| r["scope"] == "140300"));
    assert_eq!(own["rows"].as_array().unwrap().len(), 1);
    assert_problem(s.get("/api/v1/reports?city=140100", Some(&yangquan)).await, 403, "forbidden").await;
    assert_problem(s.get(&format!("/api/v1/reports/{}", first.meta.id), Some(&yangquan)).await, 403, "forbidden").await;
    let res =
        s.http.post(format!("{}/api/v1/reports", s.base)).bearer_auth(&yangquan).json(&body).send().await.unwrap();
    assert_problem(res, 403, "forbidden").await;
    assert_problem(s.get("/api/v1/reports/2026-11.province.r9", Some(&province)).await, 404, "not_found").await;
    assert_problem(s.get("/api/v1/reports?month=2026-11R", Some(&province)).await, 400, "bad_month").await;
    let service = s.token(Role::Service, None, None);
    assert_problem(s.get("/api/v1/reports", Some(&service)).await, 403, "forbidden").await;
}
