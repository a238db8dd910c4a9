//! Dashboard habits in headless Chromium (issue 24): the header's search finds an enterprise by part of its name
//! among those the token may see and opens it; a click on a column header sorts the table (numbers numerically, text
//! in zh-CN order, ▲/▼), a second click reverses it, and the box above a table filters its rows; the export follows
//! what is shown.

use crate::Server;
use crate::dashboard::{cells, screenshot_path, text};
use crate::dashboard_acceptance::{MOMENT, open_as};
use api::Role;
use domain::City;
use serde_json::Value;
use std::time::Duration;
use testkit::browser::Browser;

const WAIT: Duration = Duration::from_secs(20);

/// Types into an input as a person does (an `input` event per value).
fn type_into(b: &mut Browser, id: &str, value: &str) {
    b.eval(&format!(
        "{{ const e = document.getElementById({}); e.value = {}; e.dispatchEvent(new Event('input', {{bubbles: true}})); }}",
        Value::from(id),
        Value::from(value)
    ));
}

/// Clicks the header of column `col` of a table.
fn sort_by(b: &mut Browser, table: &str, col: usize) {
    b.eval(&format!("document.querySelectorAll('#table-{table} thead th')[{col}].click()"));
}

/// Column `col` of a table as shown, top to bottom.
fn column(b: &mut Browser, table: &str, col: usize) -> Vec<String> {
    cells(b, table).into_iter().map(|r| r[col].0.clone()).collect()
}

fn header(b: &mut Browser, table: &str, col: usize) -> String {
    text(b, &format!("#table-{table} thead th:nth-child({})", col + 1))
}

/// Four characters from the middle of a name that no other name in `all` contains.
fn unique_part(name: &str, all: &[String]) -> Option<String> {
    let chars: Vec<char> = name.chars().collect();
    (0..chars.len().saturating_sub(4))
        .map(|i| chars[i..i + 4].iter().collect::<String>())
        .find(|part| all.iter().filter(|n| n.contains(part.as_str())).count() == 1)
}

#[actix_web::test]
#[cfg_attr(not(browser_tests), ignore = "install chromium (or set DUALPREV_CHROMIUM) to run the browser tests")]
async fn search_sort_and_filter() {
    let s = Server::start_at(testkit::TestDb::sqlite(), MOMENT).await;
    let province = s.token(Role::Province, None, None);
    let taiyuan = s.token(Role::City, Some(City::Taiyuan), None);
    let registry: Value = s.get("/api/v1/enterprises", Some(&province)).await.json().await.unwrap();
    let rows = registry.as_array().unwrap();
    let names: Vec<String> = rows.iter().map(|e| e["name"].as_str().unwrap().to_owned()).collect();
    // An enterprise of 大同 found by a part of its name, and the same for 太原.
    let pick = |city: &str| {
        rows.iter()
            .filter(|e| e["cityCode"] == city)
            .find_map(|e| {
                let part = unique_part(e["name"].as_str().unwrap(), &names)?;
                Some((e["companyCode"].as_str().unwrap().to_owned(), e["name"].as_str().unwrap().to_owned(), part))
            })
            .unwrap()
    };
    let (datong, taiyuan_one) = (pick("140200"), pick("140100"));
    let base = s.base.clone();
    tokio::task::spawn_blocking(move || {
        let mut b = Browser::launch();
        open_as(&mut b, &base, &province, "province");

        // Search: part of the name, one hit, opened with a click.
        let (code, name, part) = &datong;
        type_into(&mut b, "search", part);
        let hit = format!("#search-list a[data-code='{code}']");
        b.wait_for(&format!("document.querySelector({}) !== null", Value::from(hit.as_str())), WAIT);
        assert_eq!(b.eval("document.querySelectorAll('#search-list a').length"), 1, "{part}");
        let list = text(&mut b, "#search-list");
        assert!(list.contains(name.as_str()) && !list.contains("null"), "{list}");
        b.screenshot(&screenshot_path("search"));
        b.eval(&format!("document.querySelector({}).click()", Value::from(hit.as_str())));
        b.wait_for(
            &format!(
                "document.body.dataset.view === 'enterprise' && document.body.dataset.state === 'ready' && \
                 location.hash.startsWith('#/enterprise/{code}')"
            ),
            WAIT,
        );
        assert_eq!(b.eval("document.getElementById('search-list').hidden"), Value::Bool(true));

        // Sorting the province's city table.
        b.eval("history.back()");
        b.wait_for("document.body.dataset.view === 'province' && document.body.dataset.state === 'ready'", WAIT);
        // Names in zh-CN order (pinyin: 大同 da, 晋城 jin, 太原 tai, 阳泉 yang), not by code point (太 before 晋).
        sort_by(&mut b, "cities", 0);
        let cities = column(&mut b, "cities", 0);
        let at = |n: &str| cities.iter().position(|c| c == n).unwrap();
        assert!(
            at("大同市") < at("晋城市") && at("晋城市") < at("太原市") && at("太原市") < at("阳泉市"),
            "{cities:?}"
        );

        // Numbers numerically (3 before 17, which text order would not give).
        sort_by(&mut b, "cities", 2);
        let counts: Vec<u64> = column(&mut b, "cities", 2).iter().map(|c| c.parse().unwrap()).collect();
        assert!(counts.windows(2).all(|w| w[0] <= w[1]), "{counts:?}");
        assert!(counts[0] < 10 && counts[counts.len() - 1] >= 10, "one- and two-digit counts: {counts:?}");

        // Codes ascending, then exactly reversed; the export follows.
        let mut up = column(&mut b, "cities", 1);
        up.sort();
        assert_ne!(column(&mut b, "cities", 1), up, "sorted by 企业数 now, not by code");
        sort_by(&mut b, "cities", 1);
        assert_eq!(column(&mut b, "cities", 1), up);
        assert!(header(&mut b, "cities", 1).ends_with('▲'));
        sort_by(&mut b, "cities", 1);
        let down: Vec<String> = up.iter().rev().cloned().collect();
        assert_eq!(column(&mut b, "cities", 1), down, "a second click reverses the order");
        assert!(header(&mut b, "cities", 1).ends_with('▼'));
        assert!(!header(&mut b, "cities", 0).contains('▲') && !header(&mut b, "cities", 0).contains('▼'));
        assert_eq!(b.eval("window.dualprev.model('cities').rows.map(r => r[1])"), Value::from(down));

        // The filter box above the table.
        type_into(&mut b, "filter-cities", "阳泉");
        assert_eq!(column(&mut b, "cities", 0), ["阳泉市"]);
        assert!(text(&mut b, "#panel-cities").contains("显示 1 / 11 行"));
        type_into(&mut b, "filter-cities", "");
        assert_eq!(cells(&mut b, "cities").len(), 11);
        b.screenshot(&screenshot_path("sorted"));

        // A 太原 token searches 太原's enterprises only.
        open_as(&mut b, &base, &taiyuan, "city");
        type_into(&mut b, "search", &datong.2);
        b.wait_for("(document.getElementById('search-list') || {}).innerText?.includes('没有找到')", WAIT);
        let (code, _, part) = &taiyuan_one;
        type_into(&mut b, "search", part);
        b.wait_for(&format!("document.querySelector(\"#search-list a[data-code='{code}']\") !== null"), WAIT);
        b.eval("document.getElementById('search').dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter'}))");
        b.wait_for(
            &format!(
                "document.body.dataset.view === 'enterprise' && document.body.dataset.state === 'ready' && \
                 location.hash.startsWith('#/enterprise/{code}')"
            ),
            WAIT,
        );
        assert_eq!(b.console_errors(), Vec::<String>::new(), "no console errors");
        b.assert_stayed_on(&base);
    })
    .await
    .unwrap();
}
