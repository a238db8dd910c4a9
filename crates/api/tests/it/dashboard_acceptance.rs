//! 专家验收 in headless Chromium (issue 24): 阳泉's bureau records acceptances in the city view's form — a 中 without a
//! rectification deadline is refused with the API's words, then recorded (accepted 2 → 3, still 不可通过), then
//! re-checked 良, and the city passes only then (优良率 3/3); the province's table shows 阳泉 可通过 and the others
//! not. The API holds what the form sent.

use crate::Server;
use crate::dashboard::{cells, screenshot_path, text};
use crate::dashboard_signin::set_and_click;
use api::Role;
use domain::City;
use serde_json::{Value, json};
use std::time::Duration;
use testkit::browser::Browser;

const WAIT: Duration = Duration::from_secs(20);
/// A Wednesday: "today" for the form's dates.
pub const MOMENT: &str = "2026-12-02T09:00:00+08:00";

/// Opens the dashboard with a token (a fresh load) and waits for the view the token starts on.
pub fn open_as(b: &mut Browser, base: &str, token: &str, view: &str) {
    b.goto("about:blank");
    b.goto(&format!("{base}/#token={token}"));
    b.wait_for(
        &format!(
            "window.dualprev && document.body.dataset.view === '{view}' && document.body.dataset.state === 'ready'"
        ),
        WAIT,
    );
}

/// The status line's (registered, accepted, rectifying, num, den, passes) and its text.
fn status(b: &mut Browser) -> (Vec<Value>, String) {
    let data = b.eval(
        "(() => { const d = document.getElementById('acceptance-status').dataset; \
         return [d.registered, d.accepted, d.rectifying, d.num, d.den, d.passes].map(x => JSON.parse(x)); })()",
    );
    (data.as_array().unwrap().clone(), text(b, "#acceptance-status"))
}

/// Waits until the panel's message says `said`.
fn wait_message(b: &mut Browser, said: &str) {
    b.wait_for(
        &format!("(document.getElementById('acceptance-message') || {{}}).innerText?.includes({})", Value::from(said)),
        WAIT,
    );
}

#[actix_web::test]
#[cfg_attr(not(browser_tests), ignore = "install chromium (or set DUALPREV_CHROMIUM) to run the browser tests")]
async fn a_city_records_acceptances_until_it_passes() {
    let s = Server::start_at(testkit::TestDb::sqlite(), MOMENT).await;
    let yq = s.token(Role::City, Some(City::Yangquan), None);
    let province = s.token(Role::Province, None, None);
    for (code, grade) in [("140300001", "优"), ("140300003", "良")] {
        let body = json!({"companyCode": code, "acceptedOn": "2026-11-20", "experts": ["张三"], "grade": grade});
        assert_eq!(s.post("/api/v1/acceptances", &yq, body).await.status(), 201);
    }
    let base = s.base.clone();
    let (city, prov) = (yq.clone(), province.clone());
    tokio::task::spawn_blocking(move || {
        let mut b = Browser::launch();
        open_as(&mut b, &base, &city, "city");
        b.wait_for("document.getElementById('acceptance-status') !== null", WAIT);
        let (line, said) = status(&mut b);
        assert_eq!(line, [json!(3), json!(2), json!(0), json!(2), json!(3), json!(false)], "{said}");
        assert!(said.contains("66.7%（2/3）") && said.contains("不可通过"), "{said}");
        assert_eq!(b.eval("document.getElementById('acc-company').value"), "140300002", "the one not accepted");
        let rows = cells(&mut b, "acceptances");
        assert_eq!(rows.iter().map(|r| r[1].0.as_str()).collect::<Vec<_>>(), ["140300001", "140300002", "140300003"]);
        assert_eq!((rows[1][2].0.as_str(), rows[0][5].0.as_str()), ("未验收", "优"));

        // 中 without a rectification deadline: refused with the API's words, nothing recorded.
        set_and_click(
            &mut b,
            &[("acc-experts", "王五、赵六"), ("acc-grade", "中"), ("acc-findings", "隐患排查记录不全")],
            "acc-submit",
        );
        b.wait_for("document.getElementById('acc-error').innerText.includes('整改期限')", WAIT);
        assert!(text(&mut b, "#acc-error").contains("未能登记"), "the API's refusal");
        assert_eq!(status(&mut b).0[1], json!(2), "nothing recorded");

        // With the deadline: accepted 2 → 3, under rectification, still not passing.
        set_and_click(&mut b, &[("acc-rectify", "2026-12-31")], "acc-submit");
        wait_message(&mut b, "有效等级 中");
        let (line, said) = status(&mut b);
        assert_eq!(line, [json!(3), json!(3), json!(1), json!(2), json!(3), json!(false)], "{said}");
        assert!(said.contains("不可通过"), "{said}");
        let row = cells(&mut b, "acceptances").remove(1);
        assert_eq!((row[2].0.as_str(), row[3].0.as_str()), ("2026-12-02", "王五、赵六"));
        assert_eq!((row[5].0.as_str(), row[6].0.as_str()), ("中", "2026-12-31"));

        // The re-check after rectification: 良, and only now every enterprise is 优 or 良: the city passes.
        set_and_click(
            &mut b,
            &[
                ("acc-company", "140300002"),
                ("acc-experts", "王五"),
                ("acc-grade", "中"),
                ("acc-rectify", "2026-12-31"),
                ("acc-recheck-on", "2026-12-02"),
                ("acc-recheck-grade", "良"),
            ],
            "acc-submit",
        );
        wait_message(&mut b, "有效等级 良");
        let (line, said) = status(&mut b);
        assert_eq!(line, [json!(3), json!(3), json!(0), json!(3), json!(3), json!(true)], "{said}");
        assert!(said.contains("100.0%（3/3）") && said.contains("可通过") && !said.contains("不可通过"), "{said}");
        let row = cells(&mut b, "acceptances").remove(1);
        assert_eq!((row[5].0.as_str(), row[7].0.as_str(), row[8].0.as_str()), ("良", "2026-12-02", "良"));
        assert!(!text(&mut b, "#panel-acceptance").contains("null"), "no absent part drawn as text");
        b.screenshot(&screenshot_path("acceptance-city"));

        // The province: one row per city, 阳泉 passes, 太原 (no acceptance) does not.
        open_as(&mut b, &base, &prov, "province");
        let rows = cells(&mut b, "acceptance-cities");
        assert_eq!(rows.len(), 11);
        let yq = rows.iter().find(|r| r[1].0 == "140300").unwrap();
        assert_eq!((yq[2].0.as_str(), yq[3].0.as_str(), yq[4].1, yq[4].2), ("3", "3", Some(3), Some(3)));
        assert_eq!((yq[5].0.as_str(), yq[6].0.as_str()), ("0", "可通过"));
        let ty = rows.iter().find(|r| r[1].0 == "140100").unwrap();
        assert_eq!((ty[3].0.as_str(), ty[6].0.as_str()), ("0", "不可通过"));
        assert_eq!(rows.iter().filter(|r| r[6].0 == "可通过").count(), 1);
        b.screenshot(&screenshot_path("acceptance-province"));
        // The browser notes the refused 中 (422); nothing else.
        let errors: Vec<String> = b.console_errors().into_iter().filter(|e| !e.contains("422")).collect();
        assert_eq!(errors, Vec::<String>::new(), "no other console errors");
        b.assert_stayed_on(&base);
    })
    .await
    .unwrap();
    // What the form sent is what the API holds.
    let body: Value = s.get("/api/v1/acceptances?city=140300", Some(&yq)).await.json().await.unwrap();
    assert_eq!(body["cities"][0]["passes"], true);
    let current = &body["enterprises"][1]["current"];
    assert_eq!(
        (&current["recordedBy"], &current["recheckGrade"], &current["experts"]),
        (&json!("city:140300"), &json!("良"), &json!(["王五"]))
    );
    let all: Value = s.get("/api/v1/acceptances", Some(&province)).await.json().await.unwrap();
    assert_eq!(all["cities"].as_array().unwrap().iter().filter(|c| c["passes"] == true).count(), 1);
}
