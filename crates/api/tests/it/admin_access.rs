//! The three administrators' route × role table (issue 20, 三员分立): signed in with a session, each reaches only the
//! routes of its duty, and every other operation of the OpenAPI document answers 403 — the system administrator
//! reads no figures and no audit trail, the security administrator makes no account, the auditor changes nothing.
//! The expectations are written out here, not derived from `auth::policy::POLICY`.

use crate::Server;
use crate::access_walk::operations;
use crate::sessions::{cookie_of, make, sign_in};
use domain::account::AccountRole;
use reqwest::Method;

both_backends!(at "2026-11-25T10:30:00+08:00" => each_administrator_reaches_only_its_duty);

/// What every signed-in person may do: who am I, sign out, change the password, read the security policy.
const EVERYONE: [&str; 4] =
    ["GET /api/v1/session", "DELETE /api/v1/session", "PUT /api/v1/session/password", "GET /api/v1/security-policy"];

/// The operations of each administrator's duty, besides [`EVERYONE`].
const DUTIES: [(&str, AccountRole, &[&str]); 3] = [
    ("sys1", AccountRole::Sysadmin, &["GET /api/v1/users", "POST /api/v1/users", "PATCH /api/v1/users/{username}"]),
    (
        "sec1",
        AccountRole::Secadmin,
        &["GET /api/v1/users", "PATCH /api/v1/users/{username}", "PUT /api/v1/security-policy"],
    ),
    ("aud1", AccountRole::Auditor, &["GET /api/v1/audit"]),
];

/// Pushes are machines': a session is no credential there (401, asking for a token or Basic), whatever the role.
const MACHINE_ONLY: &str = "POST /api/v1/exchange/{table}";

/// A concrete URL for an operation's path (any value: refusals come before the path is looked at).
fn concrete(path: &str) -> String {
    path.replace("{companyCode}", "140100001")
        .replace("{table}", "risk_unit")
        .replace("{batchId}", "00000000000000000000000000000000")
        .replace("{week}", "2026-W47")
        .replace("{username}", "nobody")
        .replace("{deliveryId}", "1")
        .replace("{id}", "1")
}

async fn each_administrator_reaches_only_its_duty(s: Server) {
    let ops: Vec<String> = operations().into_iter().filter(|(_, secured)| *secured).map(|(op, _)| op).collect();
    assert!(ops.len() > 40, "the document's secured operations: {}", ops.len());
    for (username, role, duty) in DUTIES {
        make(&s, username, role, None, false);
        let res = sign_in(&s, username, "Second-pass-2").await;
        assert_eq!(res.status(), 200, "{username} signs in");
        let cookie = cookie_of(&res);
        let mut reached = vec![];
        for op in &ops {
            if op == "DELETE /api/v1/session" {
                continue; // signing out would end the session the table runs on
            }
            let (method, path) = op.split_once(' ').unwrap();
            let url = format!("{}{}", s.base, concrete(path));
            let mut req = s.http.request(Method::from_bytes(method.as_bytes()).unwrap(), url).header("Cookie", &cookie);
            if method != "GET" {
                req = req.header("X-Requested-With", "dualprev").json(&serde_json::json!({}));
            }
            let status = req.send().await.unwrap().status().as_u16();
            if op == MACHINE_ONLY {
                assert_eq!(status, 401, "{username}: a person does not push");
                continue;
            }
            assert_ne!(status, 401, "{username}: {op} with a live session");
            if status != 403 {
                reached.push(op.clone());
            }
        }
        let mut expected: Vec<String> = EVERYONE
            .iter()
            .chain(duty.iter())
            .filter(|o| **o != "DELETE /api/v1/session")
            .map(|o| o.to_string())
            .collect();
        expected.sort();
        reached.sort();
        assert_eq!(reached, expected, "{username} ({}) reaches exactly its duty", role.key());
    }
}
