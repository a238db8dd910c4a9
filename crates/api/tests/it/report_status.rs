//! Status figures of the report of the 20th stand at t1 (the 20th 00:00), not at its asOf (08:00): what arrives in
//! between counts from the next report on (`metrics.md` §4, "published means as it stood").

use crate::Server;
use crate::wire::{chain, check};
use api::Role;
use serde_json::{Value, json};

both_backends!(at "2026-11-19T10:00:00+08:00" => connection_in_the_report_of_the_20th_is_as_at_midnight);

/// Two enterprises of 太原 that are not flagged as unconnected in the annex.
const A: &str = "140100001";
const B: &str = "140100002";

async fn connection_in_the_report_of_the_20th_is_as_at_midnight(s: Server) {
    let set = |moment: &str| assert!(s.clock.set(domain::Clock::parse_moment(moment).unwrap()));
    // A sends its whole chain on the 19th: connected at the 20th 00:00.
    for (table, batch) in chain(A) {
        assert_eq!(s.push(table, A, &batch).await.0, 200);
    }
    // At 03:00 on the 20th A sends a new version of every record of its chain and a check record, and B its first
    // data ever. A's tables had receipts before 00:00: the newest receipt at or before T counts, not the newest one.
    set("2026-11-20T03:00:00+08:00");
    for (table, mut batch) in chain(A) {
        batch[0]["updateDate"] = json!("2026-11-19 12:00:00");
        let (status, r) = s.push(table, A, &batch).await;
        assert_eq!((status, r["accepted"].as_u64()), (200, Some(1)), "a new version of {table}: {r}");
    }
    assert_eq!(s.push("check_record", A, &json!([check(A, "c1", "t1")])).await.0, 200);
    for (table, batch) in chain(B) {
        assert_eq!(s.push(table, B, &batch).await.0, 200);
    }
    // The report of 2026-11 (2026-10-20 … 2026-11-20) is frozen at 08:00 by the job, run here at 08:30.
    set("2026-11-20T08:30:00+08:00");
    let ids = api::jobs::monthly_report(&s.state, s.clock.now_utc()).await.unwrap().unwrap();
    assert_eq!(ids[0], "2026-11.province.r1");
    let province = s.token(Role::Province, None, None);
    let report: Value = s.get(&format!("/api/v1/reports/{}", ids[0]), Some(&province)).await.json().await.unwrap();
    let listed = |code: &str| report["connections"].as_array().unwrap().iter().find(|c| c["company"] == code).cloned();
    assert!(listed(A).is_none(), "A was connected at 00:00 and is not listed as stale: {:?}", listed(A));
    let b = listed(B).expect("B had sent nothing by 00:00");
    assert_eq!((b["connection"].as_str(), &b["lastDataAt"]), (Some("未接入"), &Value::Null), "{b}");
    // At 08:30 B is connected: the registry says so, the report of the 20th keeps the state at its t1.
    let now: Value = s.get(&format!("/api/v1/enterprises/{B}"), Some(&province)).await.json().await.unwrap();
    assert_eq!(now["connection"], "connected");
}
