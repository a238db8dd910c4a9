//! 抽查 in headless Chromium (issue 24): the province draws 阳泉's sample (size 2, seed 7: 140300001 and 140300002, as
//! `docs/acceptance.md` computes it), is refused a size larger than the city and a check date in the future with the
//! API's words, records 不合格 for one enterprise and sees it beside the other, still 未检查; 阳泉's bureau sees the
//! draw without any form, 太原's sees none.

use crate::Server;
use crate::dashboard::{cells, screenshot_path, show, text};
use crate::dashboard_acceptance::{MOMENT, open_as};
use crate::dashboard_signin::set_and_click;
use api::Role;
use domain::City;
use serde_json::Value;
use std::time::Duration;
use testkit::browser::Browser;

const WAIT: Duration = Duration::from_secs(20);

fn wait_text(b: &mut Browser, id: &str, said: &str) {
    b.wait_for(
        &format!("(document.getElementById({}) || {{}}).innerText?.includes({})", Value::from(id), Value::from(said)),
        WAIT,
    );
}

/// (code, checked on, result, findings) of each row of the draws table.
fn draw_rows(b: &mut Browser) -> Vec<[String; 4]> {
    cells(b, "spot-checks")
        .into_iter()
        .map(|r| [r[6].0.clone(), r[7].0.clone(), r[8].0.clone(), r[9].0.clone()])
        .collect()
}

#[actix_web::test]
#[cfg_attr(not(browser_tests), ignore = "install chromium (or set DUALPREV_CHROMIUM) to run the browser tests")]
async fn the_province_draws_a_sample_and_records_a_finding() {
    let s = Server::start_at(testkit::TestDb::sqlite(), MOMENT).await;
    let province = s.token(Role::Province, None, None);
    let yq = s.token(Role::City, Some(City::Yangquan), None);
    let ty = s.token(Role::City, Some(City::Taiyuan), None);
    let base = s.base.clone();
    let prov = province.clone();
    tokio::task::spawn_blocking(move || {
        let mut b = Browser::launch();
        open_as(&mut b, &base, &prov, "province");
        show(&mut b, "#/spot-checks");
        assert_eq!(cells(&mut b, "spot-checks").len(), 0, "no draw yet");
        assert!(b.eval("document.getElementById('spot-finding-form') === null").as_bool().unwrap());

        // More than 阳泉's three enterprises: the API's refusal.
        set_and_click(&mut b, &[("spot-city", "140300"), ("spot-size", "5"), ("spot-seed", "7")], "spot-draw");
        wait_text(&mut b, "spot-draw-error", "1 到 3");
        set_and_click(&mut b, &[("spot-size", "2")], "spot-draw");
        wait_text(&mut b, "spot-message", "第 1 次抽查，种子 7");
        let rows = draw_rows(&mut b);
        let codes: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(codes, ["140300001", "140300002"], "the documented sample of seed 7");
        assert!(rows.iter().all(|r| r[1] == "未检查"), "{rows:?}");

        // A check date after today is refused; today's is recorded.
        assert_eq!(b.eval("document.getElementById('spot-target').value"), "1/140300001");
        let fields = [("spot-target", "1/140300002"), ("spot-checked-on", "2026-12-03"), ("spot-result", "fail")];
        set_and_click(&mut b, &fields, "spot-record");
        wait_text(&mut b, "spot-finding-error", "不能晚于今天");
        let fields = [("spot-checked-on", "2026-12-02"), ("spot-findings", "包保责任人未按期排查")];
        set_and_click(&mut b, &fields, "spot-record");
        wait_text(&mut b, "spot-message", "不合格");
        let rows = draw_rows(&mut b);
        assert_eq!(rows[0][1..], ["未检查", "—", "—"]);
        assert_eq!(rows[1][1..], ["2026-12-02", "不合格", "包保责任人未按期排查"]);
        assert!(text(&mut b, "#table-spot-checks").contains("省工作专班"), "who drew it");
        b.screenshot(&screenshot_path("spot-province"));
        let errors: Vec<String> = b.console_errors().into_iter().filter(|e| !e.contains("422")).collect();
        assert_eq!(errors, Vec::<String>::new(), "the refusals (422) only");

        // 阳泉's bureau reads its draw; no form. 太原's sees no draw.
        open_as(&mut b, &base, &yq, "city");
        show(&mut b, "#/spot-checks");
        assert_eq!(draw_rows(&mut b)[1][2], "不合格");
        let forms = b.eval("document.querySelectorAll('#spot-draw-form, #spot-finding-form').length");
        assert_eq!(forms, 0, "read only");
        assert!(!text(&mut b, "main").contains("null"), "no absent form drawn as text");
        b.screenshot(&screenshot_path("spot-city"));
        open_as(&mut b, &base, &ty, "city");
        show(&mut b, "#/spot-checks");
        assert_eq!(cells(&mut b, "spot-checks").len(), 0, "another city's draw is not shown");
        b.assert_stayed_on(&base);
    })
    .await
    .unwrap();
    let draws: Value = s.get("/api/v1/spot-checks", Some(&province)).await.json().await.unwrap();
    assert_eq!((draws[0]["seed"].as_u64(), draws[0]["size"].as_u64()), (Some(7), Some(2)));
    let finding = &draws[0]["companies"][1]["finding"];
    assert_eq!((finding["result"].as_str(), finding["checkedOn"].as_str()), (Some("fail"), Some("2026-12-02")));
    assert!(draws[0]["companies"][0]["finding"].is_null());
}
