//! The handling figures in `GET /api/v1/metrics` (`metrics.md` §11): the worked example of §11.3 played through
//! storage, the server's clock at 2026-12-06 12:00 (Asia/Shanghai), the figures of November 2026 checked against
//! the hand-computed values, by city, by province, at an earlier `asOf`, for a city token and for the report month.

#[path = "../../../storage/tests/it/handling_example.rs"]
mod example;

use crate::{Server, query_value};
use api::Role;
use domain::City;
use serde_json::{Value, json};

both_backends!(at "2026-12-06T12:00:00+08:00" => november_by_city_and_province);

async fn get(s: &Server, token: &str, path: &str) -> Value {
    let res = s.get(path, Some(token)).await;
    assert_eq!(res.status().as_u16(), 200, "{path}");
    res.json().await.unwrap()
}

fn row<'a>(answer: &'a Value, key: &str) -> &'a Value {
    answer["rows"].as_array().unwrap().iter().find(|r| r["key"] == key).unwrap_or_else(|| panic!("{key}"))
}

fn figure(num: u64, den: u64) -> Value {
    json!({"num": num, "den": den, "rate": if den == 0 { Value::Null } else { json!(num as f64 / den as f64) }})
}

/// The expected `handling` object: opened, (signed, signed on time, sign base), (closed on time, close base),
/// escalated, open escalations, supervised by state (待签收 … 已办结), supervised overdue.
fn handling(opened: u64, sign: [u64; 3], close: [u64; 2], esc: [u64; 2], by_state: [u64; 5], overdue: u64) -> Value {
    json!({
        "opened": opened,
        "signRate": figure(sign[0], sign[2]),
        "onTimeSignRate": figure(sign[1], sign[2]),
        "onTimeCloseRate": figure(close[0], close[1]),
        "escalated": esc[0],
        "openEscalations": esc[1],
        "supervised": by_state.iter().sum::<u64>(),
        "supervisedByState": {"pending_sign": by_state[0], "signed": by_state[1], "handling": by_state[2],
                              "pending_verify": by_state[3], "closed": by_state[4]},
        "supervisedOverdue": overdue,
    })
}

async fn november_by_city_and_province(s: Server) {
    s.db.with(|c| {
        example::worked_example(c);
        Ok(())
    })
    .unwrap();
    let province = s.token(Role::Province, None, None);
    let by_city = get(&s, &province, "/api/v1/metrics?period=2026-11&by=city").await;
    assert_eq!(by_city["rows"].as_array().unwrap().len(), 11);
    // 太原: c1–c6 (c6 opened 11-30 23:30 local is November's, c7 at 12-01 00:30 is not): 签收率 4/5, 按时签收率 3/5,
    // 按时办结率 1/4; c2, c3, c5 escalated, c3 and c5 open; c5 (待核销, past its deadline) and c6 (已签收) supervised.
    let taiyuan = handling(6, [4, 3, 5], [1, 4], [3, 2], [0, 1, 0, 1, 0], 1);
    assert_eq!(row(&by_city, "140100")["handling"], taiyuan);
    assert_eq!(row(&by_city, "140200")["handling"], handling(1, [1, 1, 1], [0, 1], [0, 0], [0; 5], 0));
    assert_eq!(row(&by_city, "140300")["handling"], handling(0, [0, 0, 0], [0, 0], [0, 0], [0; 5], 0));
    assert!(row(&by_city, "140100")["taskCompletion"]["den"].is_u64(), "the other figures are still there");
    let by_province = get(&s, &province, "/api/v1/metrics?period=2026-11&by=province").await;
    assert_eq!(by_province["rows"][0]["handling"], handling(7, [5, 4, 6], [1, 5], [3, 2], [0, 1, 0, 1, 0], 1));
    // At 11-20 12:00: c6 not opened yet; c5 stood 已签收 (it answered on 11-25), its deadline (11-30 18:00) ahead.
    let as_of = query_value("2026-11-20T12:00:00+08:00");
    let then = get(&s, &province, &format!("/api/v1/metrics?period=2026-11&by=city&asOf={as_of}")).await;
    assert_eq!(row(&then, "140100")["handling"], handling(5, [3, 2, 4], [1, 3], [2, 1], [0, 1, 0, 0, 0], 0));
    assert_eq!(row(&then, "140200")["handling"], handling(1, [1, 1, 1], [0, 0], [0, 0], [0; 5], 0));
    // A city token: its own row, the same figures.
    let token = s.token(Role::City, Some(City::Taiyuan), None);
    let own = get(&s, &token, "/api/v1/metrics?period=2026-11&by=city").await;
    assert_eq!(own["rows"].as_array().unwrap().len(), 1);
    assert_eq!(own["rows"][0]["handling"], taiyuan);
    // The report month 2026-12R (11-20 to 12-20): c6, c7 and c8, as the monthly report shows them.
    let report = get(&s, &province, "/api/v1/metrics?period=2026-12R&by=city").await;
    assert_eq!(row(&report, "140100")["handling"], handling(2, [1, 1, 2], [0, 0], [1, 1], [0, 1, 0, 0, 0], 0));
    assert_eq!(row(&report, "140200")["handling"], handling(1, [1, 1, 1], [0, 1], [0, 0], [0; 5], 0));
    // Weeks, ranges and enterprise rows have no handling figures.
    for path in ["period=2026-W48&by=city", "period=2026-11-01..2026-12-01&by=city", "period=2026-11&by=enterprise"] {
        let answer = get(&s, &province, &format!("/api/v1/metrics?{path}")).await;
        assert!(answer["rows"].as_array().unwrap().iter().all(|r| r.get("handling").is_none()), "{path}");
    }
    // A second request (from the cache) follows a new action: c3 signed now counts.
    let c3 = s.db.with(|c| storage::handling::cases::latest(c, "140100003.overdue_tasks")).unwrap().unwrap();
    let sign = storage::handling::actions::Act {
        action: domain::handling::Action::Sign,
        actor: "taiyuan".into(),
        role: "city".into(),
        note: String::new(),
        deadline: None,
        done: true,
        files: vec![],
    };
    s.db.with(|c| storage::handling::actions::act(c, c3.id, &sign, s.clock.now_utc())).unwrap();
    let after = get(&s, &province, "/api/v1/metrics?period=2026-11&by=city").await;
    assert_eq!(row(&after, "140100")["handling"]["signRate"], figure(5, 5));
    assert_eq!(row(&after, "140100")["handling"]["onTimeSignRate"], figure(3, 5));
}

/// The province view's 预警处置情况 table: the current month by the server's clock (December: c7 only, unsigned
/// past its sign time and escalated), each city, then the province.
#[actix_web::test]
#[cfg_attr(not(browser_tests), ignore = "install chromium (or set DUALPREV_CHROMIUM) to run the browser tests")]
async fn the_province_view_shows_the_months_handling() {
    use crate::dashboard::{cells, screenshot_path};
    let s = Server::start_at(testkit::TestDb::sqlite(), "2026-12-06T12:00:00+08:00").await;
    s.db.with(|c| {
        example::worked_example(c);
        Ok(())
    })
    .unwrap();
    let province = s.token(Role::Province, None, None);
    let base = s.base.clone();
    tokio::task::spawn_blocking(move || {
        let mut b = testkit::browser::Browser::launch();
        b.goto(&format!("{base}/#token={province}"));
        let ready = "window.dualprev && window.dualprev.renders > 0 && document.body.dataset.state === 'ready'";
        b.wait_for(ready, std::time::Duration::from_secs(20));
        let title = b.eval("document.querySelector('#panel-handling-figures h2').textContent");
        assert!(title.as_str().unwrap().starts_with("预警处置情况（2026年12月）"), "{title}");
        let rows = cells(&mut b, "handling-figures");
        assert_eq!(rows.len(), 12, "11 cities and the province");
        let text = |name: &str| -> Vec<String> {
            rows.iter().find(|r| r[0].0 == name).unwrap().iter().map(|c| c.0.clone()).collect()
        };
        let expected = ["1", "0.0%0/1", "0.0%0/1", "—0/0", "1", "1", "0", "—", "0"];
        assert_eq!(text("太原市")[1..], expected);
        assert_eq!(text("全省")[1..], expected);
        assert_eq!(text("大同市")[1..4], ["0", "—0/0", "—0/0"]);
        b.screenshot(&screenshot_path("province-handling"));
    })
    .await
    .unwrap();
}
