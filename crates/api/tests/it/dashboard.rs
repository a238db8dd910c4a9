//! The dashboard in headless Chromium over the fixed data set of `dashboard_seed`: every view loads without console
//! errors and without a request leaving loopback, shows the hand-computed figures and exactly the API's, the period
//! picker changes what is asked for, exports round-trip, and a city token never sees another city's enterprises.
//! A screenshot of each view is written to `target/screenshots/dashboard-<view>.png`.

use crate::Server;
use crate::dashboard_seed::{A, A2, B, NEXT_WEEK, WEEK, percent, seed};
use api::Role;
use domain::City;
use serde_json::Value;
use std::path::PathBuf;
use std::time::Duration;
use testkit::browser::Browser;

const WAIT: Duration = Duration::from_secs(20);

/// Where screenshots go: `target/screenshots/` of the workspace.
pub fn screenshot_path(view: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/screenshots"))
        .join(format!("dashboard-{view}.png"))
}

/// Sets the fragment and waits until the view it names has rendered (ready or refused).
pub fn show(b: &mut Browser, hash: &str) {
    let before = b.eval("window.dualprev.renders").as_u64().unwrap();
    b.eval(&format!("location.hash = {}", Value::from(hash)));
    b.wait_for(&format!("window.dualprev.renders > {before} && window.dualprev.route === {}", Value::from(hash)), WAIT);
}

/// The cells of a rendered table: per row, per cell, (text, data-num, data-den).
pub type Cells = Vec<Vec<(String, Option<u64>, Option<u64>)>>;

/// The [`Cells`] of a rendered table.
pub fn cells(b: &mut Browser, id: &str) -> Cells {
    let v = b.eval(&format!(
        "[...document.querySelectorAll('#table-{id} tbody tr')].map(tr => [...tr.cells].map(td => \
         [td.textContent, td.dataset.num === undefined ? null : Number(td.dataset.num), \
          td.dataset.den === undefined ? null : Number(td.dataset.den)]))"
    ));
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|c| (c[0].as_str().unwrap().to_owned(), c[1].as_u64(), c[2].as_u64()))
                .collect()
        })
        .collect()
}

/// The text a figure cell shows for an API figure.
fn fig_text(f: &Value) -> String {
    let (n, d) = (f["num"].as_u64().unwrap(), f["den"].as_u64().unwrap());
    format!("{}{n}/{d}", percent(n, d))
}

async fn api(s: &Server, token: &str, path: &str) -> Value {
    let res = s.get(path, Some(token)).await;
    assert_eq!(res.status(), 200, "{path}");
    res.json().await.unwrap()
}

/// Asserts the city table shows every figure of `/api/v1/metrics?by=enterprise&city=` exactly.
fn city_table_matches(b: &mut Browser, metrics: &Value) {
    let rows = cells(b, "enterprises");
    let api_rows = metrics["rows"].as_array().unwrap();
    assert_eq!(rows.len(), api_rows.len(), "one row per enterprise of the city");
    for r in api_rows {
        let code = r["key"].as_str().unwrap();
        let row = rows.iter().find(|c| c[2].0 == code).unwrap_or_else(|| panic!("{code} is shown"));
        assert_eq!(row[1].0, r["name"].as_str().unwrap());
        for (col, field) in [(7, "riskAnalysis"), (8, "taskCompletion"), (9, "rectification")] {
            let f = &r[field];
            assert_eq!((row[col].1, row[col].2), (f["num"].as_u64(), f["den"].as_u64()), "{code} {field}");
            assert_eq!(row[col].0, fig_text(f), "{code} {field}");
        }
        assert_eq!(row[10].0, r["overdueDangers"].to_string(), "{code} overdue");
        assert_eq!(row[11].0, r["overdueMajorDangers"].to_string(), "{code} overdue 重大");
        // Data quality (metrics.md §9a): lateShare, rejected and held records as the API gives them.
        let q = &r["dataQuality"];
        let late = &q["lateCheckRecords"];
        assert_eq!((row[12].1, row[12].2), (late["num"].as_u64(), late["den"].as_u64()), "{code} lateShare");
        assert_eq!(row[13].0, q["rejectedRecords"].to_string(), "{code} rejected");
        assert_eq!(row[14].0, q["heldRecords"].to_string(), "{code} held");
    }
}

/// The text of an element (empty when absent).
pub(crate) fn text(b: &mut Browser, selector: &str) -> String {
    b.eval(&format!("(document.querySelector({}) || {{}}).innerText || ''", Value::from(selector)))
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[actix_web::test]
#[cfg_attr(not(browser_tests), ignore = "install chromium (or set DUALPREV_CHROMIUM) to run the browser tests")]
async fn every_view_shows_the_figures_offline() {
    let s = Server::start(testkit::TestDb::sqlite()).await;
    seed(&s).await;
    let province = s.token(Role::Province, None, None);
    let taiyuan = api(&s, &province, &format!("/api/v1/metrics?period={WEEK}&by=enterprise&city=140100")).await;
    let month = domain::Period::month_of(domain::time::local_date(testkit::clock().now_utc())).label();
    let month_city = api(&s, &province, &format!("/api/v1/metrics?period={month}&by=city&city=140100")).await;
    let a_name = api(&s, &province, &format!("/api/v1/enterprises/{A}")).await["name"].as_str().unwrap().to_owned();
    let a_quality = taiyuan["rows"].as_array().unwrap().iter().find(|r| r["key"] == A).unwrap()["dataQuality"].clone();
    let a_late = a_quality["lateCheckRecords"].clone();
    // The enterprises the province view must list as 差 or vetoed in the week, as the API grades them.
    let evaluations = api(&s, &province, &format!("/api/v1/evaluations?week={WEEK}")).await;
    let mut poor: Vec<String> = evaluations["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["grade"] == "差" || !r["vetoes"].as_array().unwrap().is_empty())
        .map(|r| r["companyCode"].as_str().unwrap().to_owned())
        .collect();
    poor.sort();
    // The view says whether the week is stored (published) or still provisional, as the API does (metrics.md §8.5).
    let publication = if evaluations["provisional"] == true { "临时结果" } else { "已发布的第" };
    let base = s.base.clone();
    let checked = tokio::task::spawn_blocking(move || {
        let mut b = Browser::launch();
        // The demo's address: the token in the fragment moves to the session and leaves the address bar.
        b.goto(&format!("{base}/#token={province}"));
        b.wait_for("window.dualprev && window.dualprev.renders > 0 && document.body.dataset.state === 'ready'", WAIT);
        assert_eq!(b.eval("sessionStorage.getItem('dualprev.token')"), Value::from(province.as_str()));
        assert_eq!(
            b.eval("location.href.includes('token=') || localStorage.length > 0 || document.cookie !== ''"),
            Value::Bool(false)
        );
        assert_eq!(b.eval("document.body.dataset.view"), "province", "a province token starts on the province view");

        // First view on a fresh load (the token is in the session).
        b.goto("about:blank");
        b.goto(&format!("{base}/#/province?period={WEEK}"));
        b.wait_for("window.dualprev && window.dualprev.renders > 0 && document.body.dataset.state === 'ready'", WAIT);
        let first_view = b.eval("window.dualprev.renderedAt").as_f64().unwrap();
        // A figure to read, not a timed test: the CI machine runs other builds beside it (README, standards).
        println!("dashboard: first province view rendered {first_view:.0} ms after navigation start");
        assert!(first_view > 0.0, "the view recorded when it was drawn");
        let summary = text(&mut b, "#summary");
        assert!(summary.contains("3/176"), "three enterprises connected: {summary}");
        let cities = cells(&mut b, "cities");
        let city = |name: &str| cities.iter().find(|r| r[0].0 == name).unwrap().clone();
        assert_eq!(city("太原市")[4].0, "21.4%3/14");
        assert_eq!(city("太原市")[3].0, "100.0%2/2");
        assert_eq!(city("太原市")[5].0, "0.0%0/1");
        assert_eq!(city("太原市")[7].0, "1", "one overdue 重大 danger");
        assert_eq!(city("大同市")[4].0, "0.0%0/7");
        assert_eq!(city("阳泉市")[4].0, "—0/0");
        // Every 差 or vetoed enterprise of the week, with its vetoes in words.
        let listed = cells(&mut b, "poor");
        let mut codes: Vec<String> = listed.iter().map(|r| r[1].0.clone()).collect();
        codes.sort();
        assert_eq!(codes, poor, "exactly the API's 差 and vetoed enterprises");
        let silent = listed.iter().find(|r| r[1].0 == "140300001").expect("an enterprise that never reported");
        assert_eq!((silent[4].0.as_str(), silent[5].0.as_str()), ("差", "无数据"));
        let note = text(&mut b, "#panel-poor");
        assert!(note.contains(publication), "{publication}: {note}");
        // The construction deadlines come from the platform (`/api/v1/batches`), the same as the report's.
        let batches = cells(&mut b, "batches");
        let deadline = |name: &str| batches.iter().find(|r| r[0].0 == name).map(|r| r[5].0.clone());
        assert_eq!(deadline("第一批次").as_deref(), Some("2022-06-30"));
        assert_eq!(deadline("第二批次").as_deref(), Some("2022-12-31"));
        let warnings = cells(&mut b, "warnings");
        assert_eq!((warnings[0][0].0.as_str(), warnings[0][1].0.as_str()), ("红", "重大隐患超期"), "red first");
        assert_eq!(warnings[0][2].0, a_name);
        assert!(text(&mut b, "#panel-health").contains("173 家企业"), "who has not reported");
        assert_eq!(b.eval("document.querySelectorAll('svg.tilemap g[data-city]').length"), 11);
        b.screenshot(&screenshot_path("province"));
        // Print: no navigation or buttons, rows kept whole.
        b.call("Emulation.setEmulatedMedia", serde_json::json!({"media": "print"}));
        let hidden = "['#tools', '.tools'].every(s => getComputedStyle(document.querySelector(s)).display === 'none')";
        assert_eq!(b.eval(hidden), Value::Bool(true), "print hides the tools");
        assert_eq!(b.eval("getComputedStyle(document.querySelector('tbody tr')).breakInside"), "avoid");
        b.call("Emulation.setEmulatedMedia", serde_json::json!({"media": ""}));

        // City view: hand-computed figures, and every figure cell equal to the API's.
        show(&mut b, &format!("#/city/140100?period={WEEK}"));
        assert!(text(&mut b, "#summary").contains("21.4%（3/14）"));
        city_table_matches(&mut b, &taiyuan);
        let rows = cells(&mut b, "enterprises");
        let row = |code: &str| rows.iter().find(|r| r[2].0 == code).unwrap().clone();
        assert_eq!((row(A)[8].0.as_str(), row(A2)[8].0.as_str()), ("28.6%2/7", "14.3%1/7"));
        crate::dashboard_export::exports_round_trip(&mut b, &rows);
        b.screenshot(&screenshot_path("city"));
        show(&mut b, &format!("#/city/140100?period={NEXT_WEEK}"));
        assert!(text(&mut b, "#summary").contains("0.0%（0/14）"), "no check in W46");

        // The period picker: a month asks the API for that month and shows its figures.
        let asked_before = b.requests().len();
        let before = b.eval("window.dualprev.renders").as_u64().unwrap();
        b.eval(&format!("{{const p = document.getElementById('period'); p.value = '{month}'; p.dispatchEvent(new Event('change'));}}"));
        b.wait_for(&format!("window.dualprev.renders > {before} && location.hash.includes('period={month}')"), WAIT);
        assert!(
            b.requests()[asked_before..].iter().any(|u| u.contains(&format!("period={month}"))),
            "the month was asked for"
        );
        let total = &month_city["rows"][0]["taskCompletion"];
        let expect = format!(
            "{}（{}/{}）",
            percent(total["num"].as_u64().unwrap(), total["den"].as_u64().unwrap()),
            total["num"],
            total["den"]
        );
        assert!(text(&mut b, "#summary").contains(&expect), "{expect}");

        // Enterprise view.
        show(&mut b, &format!("#/enterprise/{A}?period={WEEK}"));
        let trend = cells(&mut b, "trend");
        assert_eq!(trend.last().unwrap()[0].0, WEEK);
        assert_eq!(trend.last().unwrap()[2].0, "28.6%2/7");
        assert_eq!(text(&mut b, "#panel-units .unit.red b"), "1", "one red (重大) unit");
        assert_eq!(text(&mut b, "#panel-units .unit.blue b"), "0");
        let dangers = cells(&mut b, "dangers");
        assert_eq!(dangers.len(), 1);
        assert_eq!((dangers[0][5].0.as_str(), dangers[0][6].0.as_str()), ("2026-11-06 00:00", "超期未整改"));
        // By its content, not its id: name, level and 责任人 as stored.
        let read = (dangers[0][0].0.as_str(), dangers[0][1].0.as_str(), dangers[0][3].0.as_str());
        assert_eq!(read, ("液位计失灵", "重大隐患", "赵六"));
        let missed = cells(&mut b, "missed");
        assert_eq!((missed[0][0].0.as_str(), missed[0][1].0.as_str()), ("检查阀门", "每 1 天"));
        assert_eq!(cells(&mut b, "missed").len(), 5, "7 instances due, 2 done");
        assert!(cells(&mut b, "rejects").iter().any(|r| r[3].0.contains("checkStatus")), "the rejected record and why");
        let quality = cells(&mut b, "quality");
        assert_eq!(quality.len(), 4, "late checks, late dangers, held, rejected");
        let rejected = a_quality["rejectedRecords"].as_u64().unwrap();
        let expected = if rejected == 0 { "0".to_owned() } else { format!("{rejected} 条：") };
        assert!(quality[3][1].0.starts_with(&expected), "as the API: {:?}", quality[3]);
        assert!(quality[0][1].0.contains(&format!("{}/{}", a_late["num"], a_late["den"])), "{:?}", quality[0]);
        b.screenshot(&screenshot_path("enterprise"));

        // Logout leads to the login page; pasting the token leads back.
        b.eval("document.getElementById('logout').click()");
        b.wait_for("document.body.dataset.view === 'login' && document.body.dataset.state === 'ready'", WAIT);
        assert_eq!(b.eval("sessionStorage.length"), 0);
        b.screenshot(&screenshot_path("login"));
        let before = b.eval("window.dualprev.renders").as_u64().unwrap();
        b.eval(&format!(
            "document.getElementById('token').value = {}; document.getElementById('login').click()",
            Value::from(province.as_str())
        ));
        b.wait_for(&format!("window.dualprev.renders > {before} && document.body.dataset.view === 'province'"), WAIT);

        let errors = b.console_errors();
        assert_eq!(errors, Vec::<String>::new(), "no console errors");
        (b.requests(), base)
    });
    let (requests, base) = checked.await.unwrap();
    assert!(requests.len() > 20);
    for u in &requests {
        assert!(u.starts_with(&format!("{base}/")), "a request left the server: {u}");
    }
}

#[actix_web::test]
#[cfg_attr(not(browser_tests), ignore = "install chromium (or set DUALPREV_CHROMIUM) to run the browser tests")]
async fn a_city_token_never_sees_another_city() {
    let s = Server::start(testkit::TestDb::sqlite()).await;
    seed(&s).await;
    let province = s.token(Role::Province, None, None);
    let datong = api(&s, &province, "/api/v1/enterprises?city=140200").await;
    let foreign: Vec<String> = datong
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| [e["companyCode"].as_str().unwrap().to_owned(), e["name"].as_str().unwrap().to_owned()])
        .collect();
    assert!(foreign.contains(&B.to_owned()));
    let token = s.token(Role::City, Some(City::Taiyuan), None);
    let enterprise = s.token(Role::Enterprise, None, Some(A));
    let base = s.base.clone();
    tokio::task::spawn_blocking(move || {
        let mut b = Browser::launch();
        b.goto(&format!("{base}/#token={token}"));
        b.wait_for("window.dualprev && window.dualprev.renders > 0 && document.body.dataset.state === 'ready'", WAIT);
        assert_eq!(b.eval("location.hash.startsWith('#/city/140100')"), Value::Bool(true), "its own city first");
        assert!(!cells(&mut b, "enterprises").is_empty());
        for hash in [format!("#/city/140200?period={WEEK}"), format!("#/enterprise/{B}?period={WEEK}")] {
            show(&mut b, &hash);
            assert_eq!(b.eval("document.body.dataset.state"), "refused", "{hash}");
            let page = text(&mut b, "main");
            assert!(page.contains("无权查看"), "{hash}: {page}");
            // Nothing of 大同's enterprises arrived: no name anywhere, no code in the content (the address bar and
            // the navigation repeat the code the user asked for).
            let html = b.eval("document.documentElement.outerHTML").as_str().unwrap().to_owned();
            let content = b.eval("document.querySelector('main').outerHTML").as_str().unwrap().to_owned();
            for f in &foreign {
                assert!(!content.contains(f.as_str()), "{hash}: {f} of 大同 appears");
                if !f.starts_with("14") {
                    assert!(!html.contains(f.as_str()), "{hash}: {f} of 大同 appears");
                }
            }
        }
        b.screenshot(&screenshot_path("refused"));
        // An enterprise token opens its own enterprise: its figures, their explanation and its receipts.
        b.goto(&format!("{base}/#token={enterprise}"));
        b.wait_for(&format!("window.dualprev.route && window.dualprev.route.startsWith('#/enterprise/{A}')"), WAIT);
        assert_eq!(b.eval("document.body.dataset.state"), "ready");
        show(&mut b, &format!("#/enterprise/{A}?period={WEEK}"));
        assert_eq!(b.eval("document.body.dataset.state"), "ready");
        assert!(text(&mut b, "#summary").contains("28.6%（2/7）"), "its own 排查任务完成率");
        assert_eq!(cells(&mut b, "missed").len(), 5, "7 instances due, 2 done");
        assert_eq!(cells(&mut b, "receipts").len(), 8, "the 8 batches A sent: 5 of the chain, 2 of checks, 1 danger");
        assert!(cells(&mut b, "rejects").iter().any(|r| r[3].0.contains("checkStatus")));
        // The only errors are the browser's notes of the refused requests.
        for e in b.console_errors() {
            assert!(e.starts_with("log (network)") && e.contains("403"), "{e}");
        }
        b.assert_stayed_on(&base);
    })
    .await
    .unwrap();
}

/// A server pinned to 2027-01-02 08:30 (a Saturday in ISO week 2026-W53; January's first week ends on 2027-01-04):
/// the dashboard takes its "today" from the server, not from the browser, and shows the notice instead of an empty
/// ranking.
#[actix_web::test]
#[cfg_attr(not(browser_tests), ignore = "install chromium (or set DUALPREV_CHROMIUM) to run the browser tests")]
async fn the_dashboard_follows_the_servers_day_and_says_when_no_week_has_ended() {
    let s = Server::start_at(testkit::TestDb::sqlite(), "2027-01-02T08:30:00+08:00").await;
    let province = s.token(Role::Province, None, None);
    let taiyuan = s.token(Role::City, Some(City::Taiyuan), None);
    let base = s.base.clone();
    tokio::task::spawn_blocking(move || {
        let mut b = Browser::launch();
        b.goto(&format!("{base}/#token={province}"));
        b.wait_for("window.dualprev && window.dualprev.renders > 0 && document.body.dataset.state === 'ready'", WAIT);
        // The default is the server's last complete week (2026-W52), whatever day the browser thinks it is.
        assert_eq!(b.eval("location.hash"), Value::from("#/province?period=2026-W52"));
        let offered = b.eval("[...document.querySelectorAll('#period option')].map(o => o.value)");
        let offered: Vec<&str> = offered.as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        assert_eq!(offered.first(), Some(&"2026-W53"), "the running week first");
        assert!(offered.contains(&"2027-01") && offered.contains(&"2027-01R"), "{offered:?}");
        show(&mut b, "#/province?period=2027-01");
        let notice = text(&mut b, "#panel-ranking");
        assert!(notice.contains("本期尚无完整评估周") && notice.contains("2027-01-04 00:00"), "{notice}");
        assert_eq!(b.eval("document.querySelectorAll('#table-ranking').length"), 0, "no empty table");
        assert_eq!(b.eval("document.getElementById('map-rate').value"), "taskCompletion");
        b.screenshot(&screenshot_path("no-complete-week"));
        // The city view says the same where its enterprise ranking would be.
        b.eval("sessionStorage.clear()");
        b.goto(&format!("{base}/#token={taiyuan}"));
        b.wait_for("window.dualprev && window.dualprev.renders > 0 && document.body.dataset.state === 'ready'", WAIT);
        show(&mut b, "#/city/140100?period=2027-01");
        let notice = text(&mut b, "#panel-no-complete-week");
        assert!(notice.contains("本期尚无完整评估周") && notice.contains("2027-01-04 00:00"), "{notice}");
        // A month whose weeks have ended ranks as before.
        show(&mut b, "#/city/140100?period=2026-12");
        assert_eq!(b.eval("document.querySelectorAll('#panel-no-complete-week').length"), 0);
    })
    .await
    .unwrap();
}
