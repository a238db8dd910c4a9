//! Single sign-on against a real OpenID provider (issue 20): the npm package `oidc-provider`, started under Node by the
//! test (`tests/oidc/provider.mjs`; `npm ci` on first use). The browser's round trip — dualprev's start, the provider's
//! authorization with PKCE, its login and consent, the callback — ends signed in as the account the ID token names;
//! a person without an account, a forged state and single sign-on turned off each end on the sign-in page with a code.

use crate::Server;
use crate::sessions::make;
use api::auth::sso::SsoConfig;
use domain::account::AccountRole;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A running identity provider; killed when dropped.
struct Provider {
    child: Child,
    issuer: String,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oidc")
}

/// Starts the provider for a redirect URI, signing in `person` at its login step.
fn provider(redirect: &str, person: &str) -> Provider {
    let dir = fixture();
    if !dir.join("node_modules/oidc-provider").exists() {
        let ok = Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&dir).status();
        assert!(ok.is_ok_and(|s| s.success()), "npm ci in {} (Node and npm are needed)", dir.display());
    }
    let mut child = Command::new("node")
        .arg("provider.mjs")
        .current_dir(&dir)
        .env("REDIRECT_URI", redirect)
        .env("SIGN_IN_AS", person)
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(std::env::temp_dir().join("dualprev-oidc-provider.log")).unwrap())
        .spawn()
        .expect("node starts (install Node.js)");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let issuer = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| l.strip_prefix("issuer ").map(str::to_owned))
        .expect("the provider announces its issuer");
    // The provider keeps writing notices to its standard output: drained, or it dies of a broken pipe.
    std::thread::spawn(move || lines.for_each(drop));
    Provider { child, issuer }
}

/// A browser: keeps cookies, follows redirects until it is sent to the dashboard; returns where it was sent last.
async fn browse(s: &Server, client: &reqwest::Client, path: &str) -> String {
    let mut url = format!("{}{path}", s.base);
    for _ in 0..10 {
        let res = client.get(&url).send().await.unwrap();
        if !res.status().is_redirection() {
            panic!("{url} answered {} without sending the browser on", res.status());
        }
        let to = res.headers()["location"].to_str().unwrap().to_owned();
        if to.starts_with("/#/") {
            return to;
        }
        url = if to.starts_with('/') {
            format!("{}{to}", url.split('/').take(3).collect::<Vec<_>>().join("/"))
        } else {
            to
        };
    }
    panic!("too many redirects");
}

/// Signs in with the button of the sign-in page (skipped without Chromium, like the other browser tests).
#[cfg_attr(not(browser_tests), allow(unused_variables))]
fn in_the_browser(base: &str) {
    #[cfg(browser_tests)]
    {
        let wait = std::time::Duration::from_secs(20);
        let mut b = testkit::browser::Browser::launch();
        b.goto(&format!("{base}/#/login"));
        b.wait_for("document.getElementById('sso') !== null", wait);
        assert_eq!(crate::dashboard::text(&mut b, "#sso"), "统一身份认证登录");
        b.eval("document.getElementById('sso').click()");
        b.wait_for("document.body.dataset.view === 'province' && document.body.dataset.state === 'ready'", wait);
        assert!(crate::dashboard::text(&mut b, "#who").contains("sheng"), "signed in as the person the platform named");
        assert_eq!(b.console_errors(), Vec::<String>::new(), "no console errors");
    }
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

fn configure(s: &Server, p: &Provider) {
    s.state.sessions.sso.configure(SsoConfig {
        issuer: p.issuer.clone(),
        client_id: "dualprev".into(),
        client_secret: "dualprev-test-client-secret".into(),
        redirect_url: format!("{}/api/v1/session/sso/callback", s.base),
        username_claim: "preferred_username".into(),
        label: "统一身份认证登录".into(),
    });
}

#[actix_web::test]
async fn a_person_signs_in_through_the_provinces_identity_platform() {
    let s = Server::start(testkit::TestDb::sqlite()).await;
    make(&s, "sheng", AccountRole::Province, None, false);
    let callback = format!("{}/api/v1/session/sso/callback", s.base);

    // Off: the page offers no button; a start goes back to the sign-in page.
    let off: Value = s.http.get(format!("{}/api/v1/session/sso", s.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!(off["enabled"], false);
    assert_eq!(browse(&s, &browser(), "/api/v1/session/sso/start").await, "/#/login?sso=sso_off");

    // On: the round trip signs `sheng` in; the session is a person's like a password sign-in's.
    let idp = provider(&callback, "sheng");
    configure(&s, &idp);
    let on: Value = s.http.get(format!("{}/api/v1/session/sso", s.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!((on["enabled"].as_bool(), on["label"].as_str()), (Some(true), Some("统一身份认证登录")));
    let b = browser();
    let landed = browse(&s, &b, "/api/v1/session/sso/start").await;
    if landed != "/#/sso" {
        s.state.audit.flush().await.unwrap();
        let filter = storage::audit::AuditFilter::default();
        let rows = s.db.with(|c| Ok(storage::audit::list(c, &filter, None, 1000).unwrap())).unwrap().rows;
        let why: Vec<_> = rows.iter().filter(|r| r.route.contains("/sso")).map(|r| r.detail.clone()).collect();
        panic!("landed on {landed}: {why:?}");
    }
    let who: Value = b.get(format!("{}/api/v1/session", s.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!((who["username"].as_str(), who["role"].as_str()), (Some("sheng"), Some("province")));
    let figures = b.get(format!("{}/api/v1/metrics?period=2026-W47&by=city", s.base)).send().await.unwrap();
    assert_eq!(figures.status(), 200, "the person reads figures on the session");
    let row = s.db.with(|c| storage::accounts::get(c, "sheng")).unwrap().unwrap();
    assert!(row.last_sign_in.is_some(), "the sign-in is recorded");

    // The same in Chromium: the sign-in page offers the button; the round trip lands on the province view as sheng.
    let base = s.base.clone();
    tokio::task::spawn_blocking(move || in_the_browser(&base)).await.unwrap();

    // A forged or stale callback (state not this browser's) signs no one in.
    let forged = "/api/v1/session/sso/callback?code=x&state=not-mine";
    assert_eq!(browse(&s, &browser(), forged).await, "/#/login?sso=sso_state");
    drop(idp);

    // The provider vouches for someone without an account here: refused, named in the audit.
    let stranger = provider(&callback, "zhang-unknown");
    configure(&s, &stranger);
    assert_eq!(browse(&s, &browser(), "/api/v1/session/sso/start").await, "/#/login?sso=sso_unknown_account");
    s.state.audit.flush().await.unwrap();
    let filter = storage::audit::AuditFilter::default();
    let rows = s.db.with(|c| Ok(storage::audit::list(c, &filter, None, 1000).unwrap())).unwrap().rows;
    let callbacks: Vec<_> = rows.iter().filter(|r| r.route == "/api/v1/session/sso/callback").collect();
    assert!(
        callbacks.iter().any(|r| r.actor == "sheng" && r.detail.as_deref().is_some_and(|d| d.contains("signed_in")))
    );
    assert!(
        callbacks
            .iter()
            .any(|r| r.actor == "zhang-unknown"
                && r.detail.as_deref().is_some_and(|d| d.contains("sso_unknown_account")))
    );
}
