//! API integration tests: a real HTTP server on port 0 over a real database, called with reqwest.
#![allow(clippy::unwrap_used, reason = "tests unwrap to fail loudly")]

use actix_web::{App, HttpServer};
use api::{AppState, AuthConfig, Role};
use chrono::TimeDelta;
use domain::{City, CompanyCode};
use testkit::TestDb;

/// The secret of test tokens.
pub const SECRET: &[u8] = b"test-secret-of-at-least-32-bytes!!";

/// A running server over a fresh, migrated and seeded database.
pub struct Server {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The database the server uses.
    pub db: storage::Db,
    /// The server's state (for calling jobs directly).
    pub state: AppState,
    /// The token settings the server uses.
    pub auth: AuthConfig,
    /// A client.
    pub http: reqwest::Client,
    /// The server's clock (the test binary's, or one the test pinned).
    pub clock: domain::Clock,
    _db: TestDb,
}

impl Server {
    /// Starts a server on port 0, on the test binary's clock ([`testkit::clock`]).
    pub async fn start(t: TestDb) -> Server {
        Server::start_with(t, |state| state).await
    }

    /// Starts a server on port 0 whose clock is pinned at an RFC 3339 moment (running on from there).
    pub async fn start_at(t: TestDb, moment: &str) -> Server {
        Server::start_on(t, testkit::pinned(moment), |state| state).await
    }

    /// Starts a server on port 0 with a state adjusted by `f` (limits).
    pub async fn start_with(t: TestDb, f: impl FnOnce(AppState) -> AppState) -> Server {
        Server::start_on(t, testkit::clock(), f).await
    }

    /// Starts a server on port 0 on a clock, with a state adjusted by `f`.
    pub async fn start_on(t: TestDb, clock: domain::Clock, f: impl FnOnce(AppState) -> AppState) -> Server {
        let db = storage::Db::open(&t.url).unwrap();
        db.migrate().unwrap();
        db.with(|c| storage::registry::seed_annex(c, clock.now_utc())).unwrap();
        let auth = AuthConfig::new(SECRET, "dualprev", "dualprev", 0).unwrap().with_clock(clock.clone());
        let state = f(AppState::new(db.clone(), clock.clone()).unwrap());
        let shared = state.clone();
        let a = auth.clone();
        let server = HttpServer::new(move || App::new().configure(api::configure(state.clone(), a.clone())))
            .workers(1)
            .bind("127.0.0.1:0")
            .unwrap();
        let addr = server.addrs()[0];
        actix_web::rt::spawn(server.run());
        Server { base: format!("http://{addr}"), db, state: shared, auth, http: reqwest::Client::new(), clock, _db: t }
    }

    /// Imports registry rows (CSV text) directly into the database.
    pub fn import(&self, csv: &str) {
        let (rows, errors) = storage::registry_import::parse(csv);
        assert_eq!(errors, vec![]);
        let report = self.db.with(|c| storage::registry_import::apply(c, &rows, self.clock.now_utc())).unwrap();
        assert!(report.errors.is_empty(), "{report:?}");
    }

    /// A token of a role.
    pub fn token(&self, role: Role, city: Option<City>, company: Option<&str>) -> String {
        let company = company.map(|c| CompanyCode::parse(c).unwrap());
        self.auth.issue(role, city, company.as_ref(), TimeDelta::hours(1)).unwrap()
    }

    /// POST a JSON body with a bearer token.
    pub async fn post(&self, path: &str, token: &str, body: serde_json::Value) -> reqwest::Response {
        self.http.post(format!("{}{path}", self.base)).bearer_auth(token).json(&body).send().await.unwrap()
    }

    /// GET with an optional bearer token.
    pub async fn get(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut req = self.http.get(format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.unwrap()
    }
}

/// A query value, form-encoded (`+` of a time zone as `%2B`).
pub fn query_value(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Asserts a problem+json answer with a status and code.
pub async fn assert_problem(res: reqwest::Response, status: u16, code: &str) -> serde_json::Value {
    assert_eq!(res.status().as_u16(), status);
    let ct = res.headers().get("content-type").unwrap().to_str().unwrap().to_owned();
    assert!(ct.starts_with("application/problem+json"), "content type {ct}");
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["code"], code);
    assert_eq!(body["status"], status);
    assert_eq!(body["type"], format!("urn:dualprev:error:{code}"));
    assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()));
    body
}

/// Declares one test per backend for an async case `fn(Server)`; `at "RFC 3339" => case` pins the server's clock.
#[macro_export]
macro_rules! both_backends {
    (at $moment:literal => $($case:ident),+ $(,)?) => {$(
        mod $case {
            #[actix_web::test]
            async fn sqlite() {
                super::$case($crate::Server::start_at(testkit::TestDb::sqlite(), $moment).await).await;
            }

            #[actix_web::test]
            #[cfg_attr(not(pg_tests), ignore = "set DUALPREV_TEST_POSTGRES_URL to run the PostgreSQL tests")]
            async fn postgres() {
                super::$case($crate::Server::start_at(testkit::TestDb::postgres(), $moment).await).await;
            }
        }
    )+};
    ($($case:ident),+ $(,)?) => {$(
        mod $case {
            #[actix_web::test]
            async fn sqlite() {
                super::$case($crate::Server::start(testkit::TestDb::sqlite()).await).await;
            }

            #[actix_web::test]
            #[cfg_attr(not(pg_tests), ignore = "set DUALPREV_TEST_POSTGRES_URL to run the PostgreSQL tests")]
            async fn postgres() {
                super::$case($crate::Server::start(testkit::TestDb::postgres()).await).await;
            }
        }
    )+};
}

mod acceptance;
mod access;
mod access_policy;
mod access_tokens;
mod access_walk;
mod admin_access;
mod audit;
mod audit_queue;
mod calendar_edges;
mod changes;
mod clients;
mod dashboard;
mod dashboard_acceptance;
mod dashboard_admin;
mod dashboard_export;
mod dashboard_habits;
mod dashboard_handling;
mod dashboard_seed;
mod dashboard_signin;
mod dashboard_spot;
mod data_quality;
mod docs;
mod enterprises;
mod errors;
mod figures;
mod handling;
mod handling_escalation;
mod handling_figures;
mod held;
mod java_client;
mod limits;
mod mail;
mod observability;
mod photos;
mod published;
mod push;
mod receiver;
mod records;
mod report_status;
mod reports;
mod reports_docx;
mod rotation;
mod security_policy;
mod sessions;
mod sm4;
mod sso;
mod users;
mod warning_ids;
mod webhooks;
mod wire;
