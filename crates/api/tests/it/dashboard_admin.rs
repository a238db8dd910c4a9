//! The administrators' pages in headless Chromium (issue 20, 三员分立): the system administrator makes a city account
//! and sees its temporary password once; the security administrator confirms its role and scope and sets the security
//! policy; the auditor reads both account actions in the audit trail under the people's names. Each lands on their
//! own page after signing in.

use crate::Server;
use crate::dashboard::{screenshot_path, text};
use crate::dashboard_signin::set_and_click;
use crate::sessions::make;
use domain::account::AccountRole;
use std::time::Duration;
use testkit::browser::Browser;

const WAIT: Duration = Duration::from_secs(20);

/// Signs in on the login page and waits for the view the role lands on.
pub fn sign_in_as(b: &mut Browser, base: &str, username: &str, lands_on: &str) {
    b.goto(&format!("{base}/#/login"));
    b.wait_for("window.dualprev && document.getElementById('signin') !== null", WAIT);
    set_and_click(b, &[("username", username), ("password", "Second-pass-2")], "signin");
    b.wait_for(
        &format!("document.body.dataset.view === '{lands_on}' && document.body.dataset.state === 'ready'"),
        WAIT,
    );
}

/// Signs out with the header's button and waits for the sign-in page.
pub fn sign_out(b: &mut Browser) {
    b.eval("document.getElementById('logout').click()");
    b.wait_for("document.body.dataset.view === 'login' && document.getElementById('signin') !== null", WAIT);
}

#[actix_web::test]
#[cfg_attr(not(browser_tests), ignore = "install chromium (or set DUALPREV_CHROMIUM) to run the browser tests")]
async fn administrators_make_confirm_and_audit_an_account() {
    let s = Server::start(testkit::TestDb::sqlite()).await;
    make(&s, "sys-wang", AccountRole::Sysadmin, None, false);
    make(&s, "sec-zhao", AccountRole::Secadmin, None, false);
    make(&s, "aud-qian", AccountRole::Auditor, None, false);
    let base = s.base.clone();
    let temporary = tokio::task::spawn_blocking(move || {
        let mut b = Browser::launch();
        sign_in_as(&mut b, &base, "sys-wang", "accounts");
        assert!(text(&mut b, "#table-accounts").contains("sec-zhao"), "every account is listed");
        assert!(
            b.eval("document.getElementById('confirm-sec-zhao') === null").as_bool().unwrap(),
            "no secadmin button"
        );
        set_and_click(
            &mut b,
            &[("new-username", "taiyuan-li"), ("new-name", "李工"), ("new-role", "city"), ("new-city", "140100")],
            "create",
        );
        b.wait_for("document.getElementById('temporary-password') !== null", WAIT);
        let temporary = text(&mut b, "#temporary-password");
        let row = text(&mut b, "#table-accounts");
        assert!(row.contains("taiyuan-li") && row.contains("待确认") && row.contains("太原市"), "{row}");
        b.screenshot(&screenshot_path("accounts-sysadmin"));
        sign_out(&mut b);

        sign_in_as(&mut b, &base, "sec-zhao", "accounts");
        assert!(b.eval("document.getElementById('create') === null").as_bool().unwrap(), "no sysadmin form");
        b.eval("document.getElementById('confirm-taiyuan-li').click()");
        b.wait_for("(document.getElementById('account-message') || {}).innerText?.includes('已确认 taiyuan-li')", WAIT);
        assert!(b.eval("document.getElementById('confirm-taiyuan-li') === null").as_bool().unwrap(), "confirmed once");
        // The security policy: a 12-character minimum, saved as version 1.
        set_and_click(&mut b, &[("policy-passwordMinLength", "12")], "save-policy");
        b.wait_for("(document.getElementById('account-message') || {}).innerText?.includes('第 1 版')", WAIT);
        b.screenshot(&screenshot_path("accounts-secadmin"));
        sign_out(&mut b);

        sign_in_as(&mut b, &base, "aud-qian", "audit");
        b.goto(&format!("{base}/#/audit?route=%2Fapi%2Fv1%2Fusers"));
        b.wait_for("document.body.dataset.state === 'ready' && location.hash.includes('route=')", WAIT);
        let trail = text(&mut b, "#table-audit");
        assert!(trail.contains("sys-wang") && trail.contains("POST"), "the sysadmin's creation: {trail}");
        assert!(trail.contains("sec-zhao") && trail.contains("PATCH"), "the secadmin's confirmation: {trail}");
        b.screenshot(&screenshot_path("audit-auditor"));
        assert_eq!(b.console_errors(), Vec::<String>::new(), "no console errors");
        temporary
    })
    .await
    .unwrap();
    // What the pages did is what the server holds: the account is active, in Taiyuan, and its temporary password
    // (shown once) is the one stored.
    let row = s.db.with(|c| storage::accounts::get(c, "taiyuan-li")).unwrap().unwrap();
    assert_eq!((row.state.as_str(), row.role.as_str(), row.city_code.as_deref()), ("active", "city", Some("140100")));
    assert!(row.must_change_password);
    let policy = s.db.with(storage::security_policy::in_force).unwrap();
    assert_eq!(policy.password_min_length, 12, "the form stored the policy");
    let res = crate::sessions::sign_in(&s, "taiyuan-li", &temporary).await;
    assert_eq!(res.status(), 200, "the temporary password shown signs in");
}
