//! Screenshots of the dashboard for `docs/dashboard.md`, taken from a running server (`dualprev demo`), and the time
//! to the first view:
//!
//! ```sh
//! cargo run -p testkit --example dashboard_shots -- http://127.0.0.1:18080 PROVINCE_TOKEN docs/img [CITY_TOKEN]
//! ```
//!
//! Writes `dashboard-province.png`, `-city.png`, `-enterprise.png`, `-login.png` (and `-refused.png` with a city
//! token of 太原, asking for 大同) into the folder.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a developer tool: fail loudly")]

use std::path::PathBuf;
use std::time::Duration;
use testkit::browser::Browser;

const WAIT: Duration = Duration::from_secs(60);
/// How much of each page, in CSS pixels from the top, and at what scale (files under ~300 KB for the docs).
const HEIGHT: f64 = 1500.0;
const SCALE: f64 = 0.8;

fn show(b: &mut Browser, hash: &str) {
    let before = b.eval("window.dualprev.renders").as_u64().unwrap();
    b.eval(&format!("location.hash = {}", serde_json::Value::from(hash)));
    b.wait_for(&format!("window.dualprev.renders > {before}"), WAIT);
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, base, token, out, ..] = args.as_slice() else {
        panic!("usage: dashboard_shots BASE_URL PROVINCE_TOKEN OUT_DIR [CITY_TOKEN]");
    };
    let out = PathBuf::from(out);
    let mut b = Browser::launch();
    b.goto(&format!("{base}/#token={token}"));
    b.wait_for("window.dualprev && window.dualprev.renders > 0 && document.body.dataset.state === 'ready'", WAIT);
    let hash = b.eval("location.hash").as_str().unwrap().to_owned();
    b.goto("about:blank");
    b.goto(&format!("{base}/{hash}"));
    b.wait_for("window.dualprev && window.dualprev.renders > 0 && document.body.dataset.state === 'ready'", WAIT);
    let ms = b.eval("window.dualprev.renderedAt").as_f64().unwrap();
    let transfer = b.eval(
        "performance.getEntriesByType('resource').concat(performance.getEntriesByType('navigation'))\
         .filter(e => !e.name.includes('/api/')).reduce((s, e) => s + e.transferSize, 0)",
    );
    println!("first province view: {ms:.0} ms after navigation start; assets transferred: {transfer} bytes");
    b.screenshot_scaled(&out.join("dashboard-province.png"), HEIGHT, SCALE);
    let period = hash.split("period=").nth(1).unwrap_or_default().to_owned();
    show(&mut b, &format!("#/city/140100?period={period}"));
    b.screenshot_scaled(&out.join("dashboard-city.png"), HEIGHT, SCALE);
    let code = b.eval("document.querySelector('#table-enterprises tbody tr').cells[2].textContent");
    show(&mut b, &format!("#/enterprise/{}?period={period}", code.as_str().unwrap()));
    b.screenshot_scaled(&out.join("dashboard-enterprise.png"), HEIGHT, SCALE);
    b.eval("document.getElementById('logout').click()");
    b.wait_for("document.body.dataset.view === 'login' && document.body.dataset.state === 'ready'", WAIT);
    b.screenshot_scaled(&out.join("dashboard-login.png"), HEIGHT, SCALE);
    if let Some(city) = args.get(4) {
        b.goto(&format!("{base}/#token={city}"));
        b.wait_for("window.dualprev && window.dualprev.renders > 0 && document.body.dataset.state === 'ready'", WAIT);
        show(&mut b, &format!("#/city/140200?period={period}"));
        b.screenshot_scaled(&out.join("dashboard-refused.png"), HEIGHT, SCALE);
    }
    println!("errors: {:?}", b.console_errors());
}
