//! Data quality (`metrics.md` §9): check records and dangers entered more than 24 h after the fact, held and
//! rejected records, published in `/api/v1/metrics`, and the `late_entry` warning at more than 20 %. Hand cases on
//! a frozen clock, so that receipt times are exact.

use crate::wire::{chain, check, id};
use crate::{Server, assert_problem};
use api::Role;
use serde_json::{Value, json};

const OWN: &str = "140100001";
/// The window of the warning (the last 7 days before 2026-11-25 10:30) as a period.
const RANGE: &str = "2026-11-18..2026-11-25";

#[actix_web::test]
async fn sqlite() {
    let clock = domain::Clock::frozen(domain::Clock::parse_moment("2026-11-25T10:30:00+08:00").unwrap());
    late_entries_held_and_rejected_records(Server::start_on(testkit::TestDb::sqlite(), clock, |s| s).await).await;
}

#[actix_web::test]
#[cfg_attr(not(pg_tests), ignore = "set DUALPREV_TEST_POSTGRES_URL to run the PostgreSQL tests")]
async fn postgres() {
    let clock = domain::Clock::frozen(domain::Clock::parse_moment("2026-11-25T10:30:00+08:00").unwrap());
    late_entries_held_and_rejected_records(Server::start_on(testkit::TestDb::postgres(), clock, |s| s).await).await;
}

/// A check of task `t1` at a local wire time `YYYYMMDDhhmmss`.
fn check_at(name: &str, time: &str) -> Value {
    let mut c = check(OWN, name, "t1");
    c["checkTime"] = json!(time);
    c
}

/// A general danger of `OWN` registered at a local time.
pub(crate) fn danger(name: &str, regist: &str) -> Value {
    json!({"id": id(name), "companyCode": OWN, "deleted": "0", "createDate": regist, "createBy": "张三",
        "updateDate": regist, "updateBy": "张三", "hazardCode": "HZ-1", "dangerName": "法兰渗漏", "dangerLevel": "0",
        "registTime": regist, "registrant": "张三", "dangerSrc": 9, "dangerManageType": "1", "hazardDangerType": "4",
        "dangerDesc": "法兰处渗漏", "liablePerson": "赵六", "dangerState": "0", "dangerManageDeadline": "2026-12-31",
        "riskMeasureId": id("m1")})
}

async fn quality_of(s: &Server, token: &str, by: &str) -> Value {
    let res = s.get(&format!("/api/v1/metrics?period={RANGE}&by={by}&city=140100"), Some(token)).await;
    assert_eq!(res.status(), 200);
    let m: Value = res.json().await.unwrap();
    let key = if by == "enterprise" { OWN } else { "140100" };
    m["rows"].as_array().unwrap().iter().find(|r| r["key"] == key).unwrap()["dataQuality"].clone()
}

async fn late_entry_open(s: &Server, token: &str) -> bool {
    let w: Value = s.get("/api/v1/warnings?city=140100", Some(token)).await.json().await.unwrap();
    w["rows"].as_array().unwrap().iter().any(|r| r["id"] == format!("{OWN}.late_entry"))
}

async fn late_entries_held_and_rejected_records(s: Server) {
    for (table, batch) in chain(OWN) {
        assert_eq!(s.push(table, OWN, &batch).await.0, 200);
    }
    // Received at 2026-11-25 10:30:00 exactly. Exactly 24 h after checkTime is on time; one second more is late.
    let mut checks = vec![check_at("on-time-24h", "20261124103000"), check_at("late-1s", "20261124102959")];
    for day in 20..=23 {
        checks.push(check_at(&format!("late-{day}"), &format!("202611{day}090000")));
    }
    for i in 0..19 {
        checks.push(check_at(&format!("fresh-{i}"), &format!("202611241{}{:02}00", 1 + i / 10, i % 10)));
    }
    // Outside the window (the 25th): not counted.
    checks.push(check_at("today", "20261125080000"));
    let (status, r) = s.push("check_record", OWN, &json!(checks)).await;
    assert_eq!((status, r["accepted"].as_u64()), (200, Some(26)), "{r}");
    // The evening before (inside the window): a check of a task never sent is held; one with an unknown checkStatus is
    // rejected.
    let now = s.clock.now_utc();
    s.clock.set(domain::Clock::parse_moment("2026-11-24T20:00:00+08:00").unwrap());
    let mut orphan = check(OWN, "orphan", "t-missing");
    orphan["checkTime"] = json!("20261124120000");
    let mut bad = check_at("bad-status", "20261124120000");
    bad["checkStatus"] = json!(7);
    let (_, r) = s.push("check_record", OWN, &json!([orphan, bad])).await;
    assert_eq!((r["pending"].as_u64(), r["rejected"].as_u64()), (Some(1), Some(1)), "{r}");
    let code = r["errors"].as_array().unwrap().iter().find(|e| e["code"] != "pending_parent").unwrap()["code"].clone();
    s.clock.set(now);
    let (_, r) = s
        .push(
            "danger",
            OWN,
            &json!([danger("late-danger", "2026-11-20 10:00:00"), danger("fresh", "2026-11-24 12:00:00")]),
        )
        .await;
    assert_eq!(r["accepted"], 2, "{r}");

    let province = s.token(Role::Province, None, None);
    let q = quality_of(&s, &province, "enterprise").await;
    // 25 checks in the window, 5 late (1 s late, and the 20th–23rd): exactly 20 %.
    assert_eq!(q["lateCheckRecords"], json!({"num": 5, "den": 25, "rate": 0.2}));
    assert_eq!(q["lateDangers"], json!({"num": 1, "den": 2, "rate": 0.5}));
    // Held at T, the end of the window (25th 00:00): received at 20:00, 4 hours before.
    assert_eq!((q["heldRecords"].as_u64(), q["oldestHeldHours"].as_i64()), (Some(1), Some(4)));
    assert_eq!(q["oldestHeldAt"], "2026-11-24T20:00:00+08:00");
    assert_eq!(q["rejectedRecords"], 1);
    assert_eq!(q["rejectedByCode"], json!({code.as_str().unwrap(): 1}));
    assert_eq!(quality_of(&s, &province, "city").await, q, "the city sums its one enterprise with data");
    // Exactly 20 % is not above it: no warning. One more late check makes 6 of 26.
    assert!(!late_entry_open(&s, &province).await);
    let (_, r) = s.push("check_record", OWN, &json!([check_at("late-19", "20261119090000")])).await;
    assert_eq!(r["accepted"], 1);
    let q = quality_of(&s, &province, "enterprise").await;
    assert_eq!((q["lateCheckRecords"]["num"].as_u64(), q["lateCheckRecords"]["den"].as_u64()), (Some(6), Some(26)));
    assert!(late_entry_open(&s, &province).await, "6 of 26 is above 20 %");
    let one: Value = s.get(&format!("/api/v1/warnings/{OWN}.late_entry"), Some(&province)).await.json().await.unwrap();
    assert_eq!((one["kind"].as_str(), one["level"].as_str()), (Some("late_entry"), Some("yellow")));
    let other = s.token(Role::City, Some(domain::City::Datong), None);
    assert_problem(s.get(&format!("/api/v1/warnings/{OWN}.late_entry"), Some(&other)).await, 403, "forbidden").await;
}
