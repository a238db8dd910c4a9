//! 预警处置 in headless Chromium (issue 21): a red warning (an overdue 重大 danger) opens a case; the city person sees
//! the unread count on the bell, finds the case on the 预警处置 page, opens the warning from the notification and
//! signs it; the enterprise person answers it from its own view with a photo read by the page's FileReader; the danger
//! is rectified; the province finds it among 太原's red cases and supervises it (a past deadline is refused with the
//! API's words); the city verifies it. The page shows 已办结 and every step of the timeline, and the API agrees.

use crate::Server;
use crate::changes::OWN;
use crate::dashboard::{screenshot_path, text};
use crate::dashboard_admin::{sign_in_as, sign_out};
use crate::dashboard_signin::set_and_click;
use crate::sessions::make;
use crate::warning_ids::danger;
use crate::wire::{chain, id};
use api::Role;
use domain::account::{AccountRole, PasswordPolicy};
use serde_json::{Value, json};
use std::time::Duration;
use testkit::browser::Browser;

const WAIT: Duration = Duration::from_secs(20);
/// A Wednesday; the danger was due on 5 November, so it is overdue.
const MOMENT: &str = "2026-12-02T09:00:00+08:00";
/// The photo the enterprise attaches (bytes as the page's `File` holds them).
const PHOTO: [u8; 8] = [137, 80, 78, 71, 13, 10, 26, 10];

/// An active enterprise account of `company` (password `Second-pass-2`).
fn enterprise_account(s: &Server, username: &str, company: &str) {
    let new = storage::accounts::NewAccount {
        company_code: Some(company.to_owned()),
        ..storage::accounts::NewAccount::new(username, "赵工", AccountRole::Enterprise)
    };
    let (p, now) = (PasswordPolicy::default(), s.clock.now_utc());
    s.db.with(|c| {
        storage::accounts::create(c, &new, "First-pass-1", &p, now).unwrap();
        storage::accounts::set_password(c, username, "Second-pass-2", false, &p, now).unwrap();
        Ok(())
    })
    .unwrap();
}

/// Waits until the warning page shows a handling state.
fn wait_state(b: &mut Browser, label: &str) {
    let js = format!(
        "document.body.dataset.view === 'warnings' && document.body.dataset.state === 'ready' && \
         (document.getElementById('handling-state') || {{}}).innerText === {}",
        Value::from(label)
    );
    b.wait_for(&js, WAIT);
}

#[actix_web::test]
#[cfg_attr(not(browser_tests), ignore = "install chromium (or set DUALPREV_CHROMIUM) to run the browser tests")]
async fn a_city_signs_and_verifies_a_red_warning_the_enterprise_answered() {
    let s = Server::start_at(testkit::TestDb::sqlite(), MOMENT).await;
    // The people exist before the warning opens, so that they are told of it.
    make(&s, "ty-li", AccountRole::City, Some("140100"), false);
    make(&s, "sheng-wang", AccountRole::Province, None, false);
    enterprise_account(&s, "qiye-zhao", OWN);
    for (table, batch) in chain(OWN) {
        assert_eq!(s.push(table, OWN, &batch).await.0, 200);
    }
    let (status, r) = s.push("danger", OWN, &json!([danger("d1", false)])).await;
    assert_eq!(status, 200, "{r}");
    api::changes::detect::detect(&s.state, s.clock.now_utc()).await.unwrap();
    let w = format!("{OWN}.overdue_major_danger.{}", id("d1"));
    let province = s.token(Role::Province, None, None);
    let opened: Value = s.get(&format!("/api/v1/warnings/{w}"), Some(&province)).await.json().await.unwrap();
    assert_eq!(opened["handling"]["state"], "pending_sign", "the detector opened a case: {opened}");

    // The city signs in the browser; the enterprise answers from its own view.
    let (base, warning) = (s.base.clone(), w.clone());
    let mut b = tokio::task::spawn_blocking(move || {
        let mut b = Browser::launch();
        sign_in_as(&mut b, &base, "ty-li", "city");
        b.wait_for("Number((document.getElementById('bell-count') || {}).innerText) > 0", WAIT);
        assert_eq!(b.eval("document.getElementById('bell-holder').hidden"), Value::Bool(false), "the bell shows");

        // 预警处置: the case is listed 待签收 and counted on its chip.
        b.eval("location.hash = '#/handling'");
        b.wait_for("document.body.dataset.view === 'handling' && document.body.dataset.state === 'ready'", WAIT);
        let pending = b.eval("Number(document.getElementById('chip-pending_sign').dataset.count)").as_u64().unwrap();
        assert!(pending >= 1, "{pending} pending");
        let cases = text(&mut b, "#table-cases");
        assert!(cases.contains("重大隐患超期") && cases.contains("待签收") && cases.contains("太原市"), "{cases}");
        b.screenshot(&screenshot_path("handling"));

        // The notification opens the warning (and is marked read).
        b.eval("document.getElementById('bell').click()");
        let item = format!("#bell-list a[href*={}]", Value::from(format!("warnings/{warning}")));
        b.wait_for(&format!("document.querySelector({}) !== null", Value::from(item.as_str())), WAIT);
        b.screenshot(&screenshot_path("notifications"));
        // E-mail digests: off until the person turns them on here.
        b.wait_for("document.getElementById('bell-email') && !document.getElementById('bell-email').disabled", WAIT);
        assert_eq!(b.eval("document.getElementById('bell-email').checked"), Value::Bool(false));
        b.eval("document.getElementById('bell-email').click()");
        b.wait_for("document.getElementById('bell-email').checked === true", WAIT);
        b.eval(&format!("document.querySelector({}).click()", Value::from(item.as_str())));
        wait_state(&mut b, "待签收");
        assert!(text(&mut b, "#table-records").contains("液位计失灵"), "the danger behind it, by its content");
        let forms = b.eval("[...document.querySelectorAll('form.action')].map(f => f.id).join(',')");
        assert_eq!(forms, "form-sign,form-note", "exactly the actions the API offers a city person now");
        b.eval("document.getElementById('do-sign').click()");
        wait_state(&mut b, "已签收");
        assert!(text(&mut b, "#warning-message").contains("已签收"));
        sign_out(&mut b);

        // The enterprise person: its own warning on its view, answered with a photo.
        sign_in_as(&mut b, &base, "qiye-zhao", "enterprise");
        let own = text(&mut b, "#table-warnings");
        assert!(own.contains("已签收") && own.contains("去办理"), "its warning and state: {own}");
        let link = format!("#table-warnings a[href*={}]", Value::from(format!("warnings/{warning}")));
        b.eval(&format!("document.querySelector({}).click()", Value::from(link.as_str())));
        wait_state(&mut b, "已签收");
        let photo = format!(
            "{{const t = new DataTransfer(); t.items.add(new File([new Uint8Array({PHOTO:?})], '现场照片.png', \
             {{type: 'image/png'}})); document.getElementById('files-respond').files = t.files;}}"
        );
        b.eval(&photo);
        b.eval("document.getElementById('note-respond').value = '已更换液位计并校验'");
        b.screenshot(&screenshot_path("warning-respond"));
        b.eval("document.getElementById('do-respond').click()");
        wait_state(&mut b, "待核销");
        assert!(text(&mut b, "#table-timeline").contains("现场照片.png"), "the photo on the timeline");
        sign_out(&mut b);
        assert_eq!(b.console_errors(), Vec::<String>::new(), "no console errors");
        b
    })
    .await
    .unwrap();

    // The enterprise rectifies the danger: the cause clears, the case waits for the city's verification.
    let (status, r) = s.push("danger", OWN, &json!([danger("d1", true)])).await;
    assert_eq!(status, 200, "{r}");
    api::changes::detect::detect(&s.state, s.clock.now_utc()).await.unwrap();

    let (base, warning) = (s.base.clone(), w.clone());
    tokio::task::spawn_blocking(move || {
        // The province finds it among 太原's red cases and supervises it (挂牌督办); a deadline already past is
        // refused with the API's words.
        sign_in_as(&mut b, &base, "sheng-wang", "province");
        b.eval("location.hash = '#/handling'");
        b.wait_for(
            "document.body.dataset.view === 'handling' && document.getElementById('handling-city') !== null",
            WAIT,
        );
        set_and_click(&mut b, &[("handling-level", "red"), ("handling-city", "140100")], "handling-filter");
        b.wait_for(
            "location.hash.includes('level=red') && document.querySelectorAll('#table-cases tbody tr').length === 1",
            WAIT,
        );
        assert!(text(&mut b, "#table-cases").contains("待核销"));
        b.eval("document.querySelector('#table-cases tbody a').click()");
        wait_state(&mut b, "待核销");
        let forms = b.eval("[...document.querySelectorAll('form.action')].map(f => f.id).join(',')");
        assert_eq!(forms, "form-verify,form-return,form-supervise,form-note", "the province's actions now");
        let supervise = [("note-supervise", "限期完成整改并上报"), ("deadline-supervise", "2026-11-30")];
        set_and_click(&mut b, &supervise, "do-supervise");
        b.wait_for(
            "(document.getElementById('error-supervise') || {}).innerText?.includes('督办期限须晚于当前时间')",
            WAIT,
        );
        set_and_click(&mut b, &[("deadline-supervise", "2026-12-09")], "do-supervise");
        b.wait_for("(document.getElementById('warning-message') || {}).innerText?.includes('已挂牌督办')", WAIT);
        assert!(text(&mut b, "#panel-handling").contains("督办期限 2026-12-10 00:00"), "to the end of 9 December");
        for e in b.console_errors() {
            assert!(e.contains("422"), "only the refused deadline: {e}");
        }
        sign_out(&mut b);

        sign_in_as(&mut b, &base, "ty-li", "city");
        b.eval(&format!("location.hash = {}", Value::from(format!("#/warnings/{warning}"))));
        wait_state(&mut b, "待核销");
        assert_eq!(text(&mut b, "#warning-open"), "已消除", "the danger was rectified");
        let forms = b.eval("[...document.querySelectorAll('form.action')].map(f => f.id)");
        assert!(forms.as_array().unwrap().contains(&Value::from("form-verify")), "{forms}");
        set_and_click(&mut b, &[("note-verify", "现场核查，整改到位")], "do-verify");
        wait_state(&mut b, "已办结");
        let steps = text(&mut b, "#table-timeline");
        for step in [
            "预警产生",
            "签收",
            "反馈处置",
            "原因消除",
            "挂牌督办",
            "核销办结",
            "qiye-zhao",
            "sheng-wang",
            "现场照片.png",
        ] {
            assert!(steps.contains(step), "{step} on the timeline: {steps}");
        }
        assert_eq!(text(&mut b, "#no-actions"), "案件已办结。");
        b.screenshot(&screenshot_path("warning"));
        let errors: Vec<String> = b.console_errors().into_iter().filter(|e| !e.contains("422")).collect();
        assert_eq!(errors, Vec::<String>::new(), "no other console errors");
        b.assert_stayed_on(&base);
    })
    .await
    .unwrap();

    // The API agrees: closed by the city, the steps in order, the photo as the page read it.
    let done: Value = s.get(&format!("/api/v1/warnings/{w}"), Some(&province)).await.json().await.unwrap();
    let h = &done["handling"];
    assert_eq!((h["state"].as_str(), h["closedBy"].as_str()), (Some("closed"), Some("ty-li")), "{done}");
    let timeline = h["timeline"].as_array().unwrap();
    let actions: Vec<&str> = timeline.iter().map(|s| s["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["opened", "sign", "respond", "cleared", "supervise", "verify"], "{done}");
    let actors: Vec<&str> = timeline[1..].iter().map(|s| s["actor"].as_str().unwrap()).collect();
    assert_eq!(actors, ["ty-li", "qiye-zhao", "system", "sheng-wang", "ty-li"]);
    assert_eq!(timeline[4]["deadline"], "2026-12-10T00:00:00+08:00", "the end of the day chosen");
    let file = &timeline[2]["attachments"][0];
    assert_eq!((file["name"].as_str(), file["contentType"].as_str()), (Some("现场照片.png"), Some("image/png")));
    let got = s.get(file["url"].as_str().unwrap(), Some(&province)).await.bytes().await.unwrap();
    assert_eq!(got.as_ref(), PHOTO, "the bytes the page read with its FileReader");
    // The notification the city person followed is read.
    let (rows, _) = s.db.with(|c| storage::handling::notify::of(c, "ty-li", 100, false)).unwrap();
    let followed = rows.iter().find(|n| n.kind == "opened" && n.warning_id.as_deref() == Some(w.as_str())).unwrap();
    assert!(followed.read_at.is_some(), "{followed:?}");
    // The box on the notification list stored the city person's opt-in.
    assert!(s.db.with(|c| storage::handling::digest::notify_email(c, "ty-li")).unwrap());
}
