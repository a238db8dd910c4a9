//! Escalation with short limits, once however many workers run it; cases the platform closes when a non-red cause
//! clears, and a red one that stays until verified (`docs/warnings.md`).

use crate::changes::OWN;
use crate::handling::red_warning;
use crate::warning_ids::danger;
use crate::{Server, query_value};
use api::Role;
use chrono::TimeDelta;
use serde_json::{Value, json};
use storage::handling::Limits;

both_backends!(at "2026-11-25T10:00:00+08:00" => cases_escalate_once_and_clear_by_level);

/// The escalations stored, as (case, reason).
fn escalations(s: &Server) -> Vec<(i64, String)> {
    use diesel::prelude::*;
    use storage::schema::warning_escalations as e;
    s.db.with(|c| Ok(e::table.select((e::case_id, e::reason)).order((e::case_id, e::reason)).load(c)?)).unwrap()
}

async fn cases_escalate_once_and_clear_by_level(mut s: Server) {
    s.state.handling = Limits {
        sign_within: TimeDelta::hours(1),
        sign_within_red: TimeDelta::minutes(10),
        close_within: TimeDelta::days(1),
    };
    let province = s.token(Role::Province, None, None);
    // Before any data, OWN has a `no_data_7d` warning (orange): a case.
    api::changes::detect::detect(&s.state, s.clock.now_utc()).await.unwrap();
    let stale = format!("{OWN}.no_data_7d");
    let one: Value = s.get(&format!("/api/v1/warnings/{stale}"), Some(&province)).await.json().await.unwrap();
    assert_eq!(one["handling"]["state"], "pending_sign", "{one}");
    let others: Value =
        s.get("/api/v1/warning-cases?state=open&limit=500", Some(&province)).await.json().await.unwrap();
    assert!(others["total"].as_i64().unwrap() > 1, "every enterprise without data has a case: {others}");

    // Data arrives: the orange cause clears and the platform closes its case; a red warning opens.
    let red = red_warning(&s).await;
    let one: Value = s.get(&format!("/api/v1/warnings/{stale}"), Some(&province)).await.json().await.unwrap();
    let h = &one["handling"];
    assert_eq!(
        (one["open"].as_bool(), h["state"].as_str(), h["closedBy"].as_str()),
        (Some(false), Some("closed"), Some("system"))
    );
    assert_eq!(h["timeline"].as_array().unwrap().last().unwrap()["action"], "cleared");

    // Nothing is due yet; 11 minutes on, the red case is unsigned past its 10 minutes.
    assert_eq!(api::handling::escalation::escalate(&s.state, s.clock.now_utc()).await.unwrap(), 0);
    s.clock.advance(TimeDelta::minutes(11));
    assert_eq!(api::handling::escalation::escalate(&s.state, s.clock.now_utc()).await.unwrap(), 1);
    let r: Value = s.get(&format!("/api/v1/warnings/{red}"), Some(&province)).await.json().await.unwrap();
    assert_eq!(
        (r["handling"]["escalationLevel"].as_i64(), r["handling"]["escalations"][0]["reason"].as_str()),
        (Some(1), Some("unsigned"))
    );
    let escalated: Value = s.get("/api/v1/warning-cases?escalated=true", Some(&province)).await.json().await.unwrap();
    assert_eq!(escalated["total"], 1);

    // An hour on, every other unsigned case is due: two workers at once write each escalation once.
    s.clock.advance(TimeDelta::minutes(50));
    let now = s.clock.now_utc();
    let province = s.token(Role::Province, None, None);
    let pending: Value =
        s.get("/api/v1/warning-cases?state=pending_sign&limit=500", Some(&province)).await.json().await.unwrap();
    let due = usize::try_from(pending["total"].as_i64().unwrap()).unwrap();
    assert!(due > 1, "{pending}");
    let (a, b) = tokio::join!(
        api::handling::escalation::escalate(&s.state, now),
        api::handling::escalation::escalate(&s.state, now)
    );
    assert_eq!(a.unwrap() + b.unwrap(), due - 1, "each due case once (the red one was already escalated)");
    let stored = escalations(&s);
    let mut unique = stored.clone();
    unique.dedup();
    assert_eq!((stored.len(), unique.len()), (due, due), "{stored:?}");

    // Supervised with a deadline 30 minutes on, not closed by then: escalated again for that reason.
    let deadline = domain::time::format_local(now + TimeDelta::minutes(30));
    let body = json!({"action": "supervise", "note": "限期整改", "deadline": deadline});
    let res = s.post(&format!("/api/v1/warnings/{red}/actions"), &province, body).await;
    assert_eq!(res.status(), 200);
    s.clock.advance(TimeDelta::minutes(31));
    let province = s.token(Role::Province, None, None);
    assert_eq!(api::handling::escalation::escalate(&s.state, s.clock.now_utc()).await.unwrap(), 1);
    let r: Value = s.get(&format!("/api/v1/warnings/{red}"), Some(&province)).await.json().await.unwrap();
    assert_eq!(r["handling"]["escalationLevel"], 2);

    // The danger is rectified: the red cause clears, its case stays open for verification.
    let (status, _) = s.push("danger", OWN, &json!([danger("d1", true)])).await;
    assert_eq!(status, 200);
    api::changes::detect::detect(&s.state, s.clock.now_utc()).await.unwrap();
    let r: Value = s.get(&format!("/api/v1/warnings/{red}"), Some(&province)).await.json().await.unwrap();
    let h = &r["handling"];
    assert_eq!((r["open"].as_bool(), h["state"].as_str()), (Some(false), Some("pending_sign")), "{r}");
    assert!(h["clearedAt"].is_string());
    let q = query_value("open");
    let open: Value =
        s.get(&format!("/api/v1/warning-cases?state={q}&level=red"), Some(&province)).await.json().await.unwrap();
    assert_eq!(open["total"], 1, "the red case is still to be handled");
}
