//! A person signs in to the dashboard in headless Chromium (issue 20): a wrong password is refused with the API's
//! words, a new password must be changed first, the province view then loads on the session cookie (which the page
//! cannot read), sixteen idle minutes end the session (the page says so and the person signs in again), and signing
//! out ends the session on the server.

use crate::Server;
use crate::dashboard::{screenshot_path, text};
use crate::dashboard_seed::seed;
use domain::account::{AccountRole, PasswordPolicy};
use serde_json::Value;
use std::time::Duration;
use testkit::browser::Browser;

const WAIT: Duration = Duration::from_secs(20);

pub(crate) fn set_and_click(b: &mut Browser, fields: &[(&str, &str)], button: &str) {
    let mut js = String::new();
    for (id, value) in fields {
        js.push_str(&format!("document.getElementById({}).value = {};", Value::from(*id), Value::from(*value)));
    }
    js.push_str(&format!("document.getElementById({}).click();", Value::from(button)));
    b.eval(&js);
}

#[actix_web::test]
#[cfg_attr(not(browser_tests), ignore = "install chromium (or set DUALPREV_CHROMIUM) to run the browser tests")]
async fn a_person_signs_in_changes_the_password_and_signs_out() {
    // The test binary's moment, on a clock the test can move (to pass the idle timeout).
    let now = testkit::clock().now_utc().and_utc().to_rfc3339();
    let s = Server::start_at(testkit::TestDb::sqlite(), &now).await;
    seed(&s).await;
    let new = storage::accounts::NewAccount::new("sheng", "王工", AccountRole::Province);
    let (p, now) = (PasswordPolicy::default(), s.clock.now_utc());
    s.db.with(|c| Ok(storage::accounts::create(c, &new, "First-pass-1", &p, now).unwrap())).unwrap();
    let (base, clock, db) = (s.base.clone(), s.clock.clone(), s.db.clone());
    tokio::task::spawn_blocking(move || {
        let mut b = Browser::launch();
        b.goto(&format!("{base}/#/login"));
        b.wait_for(
            "window.dualprev && document.body.dataset.view === 'login' && document.getElementById('signin')",
            WAIT,
        );
        set_and_click(&mut b, &[("username", "sheng"), ("password", "wrong")], "signin");
        b.wait_for("document.getElementById('login-message').innerText.includes('用户名或密码错误')", WAIT);
        set_and_click(&mut b, &[("username", "sheng"), ("password", "First-pass-1")], "signin");
        b.wait_for("document.getElementById('new-password') !== null", WAIT);
        let rules = text(&mut b, "#password-rules");
        assert!(rules.contains("至少 10 个字符") && rules.contains("最近 5 次"), "the rules in force: {rules}");
        set_and_click(&mut b, &[("old-password", "First-pass-1"), ("new-password", "Shanxi-2026!")], "change");
        b.wait_for("document.body.dataset.view === 'province' && document.body.dataset.state === 'ready'", WAIT);
        assert!(text(&mut b, "#summary").contains("3/176"), "the province's figures on the session");
        assert!(text(&mut b, "#who").contains("sheng"), "the person's name in the navigation");
        assert_eq!(b.eval("document.cookie"), Value::from(""), "the session cookie is HttpOnly");
        assert_eq!(b.eval("sessionStorage.getItem('dualprev.token')"), Value::Null, "no token");
        b.screenshot(&screenshot_path("signed-in"));
        // Sixteen minutes without a request (the policy's idle timeout is 15): the next view finds the session ended,
        // the sign-in page says so, and the person signs in again.
        assert!(clock.advance(chrono::TimeDelta::minutes(16)));
        b.eval("location.hash = '#/city/140100'");
        b.wait_for("document.body.dataset.view === 'login' && document.getElementById('signin') !== null", WAIT);
        let said = text(&mut b, "#login-message");
        assert!(said.contains("会话已结束"), "the page says the session ended: {said}");
        set_and_click(&mut b, &[("username", "sheng"), ("password", "Shanxi-2026!")], "signin");
        b.wait_for("document.body.dataset.view === 'province' && document.body.dataset.state === 'ready'", WAIT);
        // Two sessions not ended: the idle one (expired, never ended: nothing ends it but a request) and the new one.
        assert_eq!(db.with(|c| storage::sessions::open_count(c, "sheng")).unwrap(), 2);
        b.eval("document.getElementById('logout').click()");
        b.wait_for("document.body.dataset.view === 'login' && document.getElementById('signin') !== null", WAIT);
        // The browser logs the refused wrong password (401 from POST /api/v1/session) and the requests the ended
        // session was refused (401); nothing else.
        let errors: Vec<String> = b.console_errors().into_iter().filter(|e| !e.contains("401")).collect();
        assert_eq!(errors, Vec::<String>::new(), "no other console errors");
    })
    .await
    .unwrap();
    // Signing out ended the session on the server, not only in the page.
    let open = s.db.with(|c| storage::sessions::open_count(c, "sheng")).unwrap();
    assert_eq!(open, 1, "signing out ended the second session; the idle one stays expired");
}
