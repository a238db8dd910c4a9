//! Records held for a missing parent (`GET /api/v1/exchange/pending`, `DELETE /api/v1/exchange/pending/{table}/{id}`):
//! listed for the enterprise, its city and the province, refused to another city; discarded by the enterprise only
//! (moved to `discarded_records`, with a `records.discarded` event); the `held_records` warning at more than 3 days,
//! closed by a discard and by the parent's arrival; and a discarded record still counted as held by the data-quality
//! figures of a moment before its discard. Hand cases on a frozen clock, so that ages are exact.

use crate::wire::{chain, check, id, task};
use crate::{Server, assert_problem};
use api::Role;
use chrono::TimeDelta;
use domain::City;
use serde_json::{Value, json};

const OWN: &str = "140100001";
const FOREIGN: &str = "140200001";
/// When the first orphan is received.
const T0: &str = "2026-11-25T10:30:00+08:00";

#[actix_web::test]
async fn sqlite() {
    let clock = domain::Clock::frozen(domain::Clock::parse_moment(T0).unwrap());
    held_records_are_listed_warned_and_discarded(Server::start_on(testkit::TestDb::sqlite(), clock, |s| s).await).await;
}

#[actix_web::test]
#[cfg_attr(not(pg_tests), ignore = "set DUALPREV_TEST_POSTGRES_URL to run the PostgreSQL tests")]
async fn postgres() {
    let clock = domain::Clock::frozen(domain::Clock::parse_moment(T0).unwrap());
    held_records_are_listed_warned_and_discarded(Server::start_on(testkit::TestDb::postgres(), clock, |s| s).await)
        .await;
}

impl Server {
    /// DELETE with a bearer token.
    pub async fn delete(&self, path: &str, token: &str) -> reqwest::Response {
        self.http.delete(format!("{}{path}", self.base)).bearer_auth(token).send().await.unwrap()
    }
}

/// The held records as a token sees them.
async fn pending(s: &Server, token: &str, query: &str) -> Value {
    let res = s.get(&format!("/api/v1/exchange/pending{query}"), Some(token)).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// Whether OWN's `held_records` warning is open.
async fn warned(s: &Server, province: &str) -> bool {
    let w: Value = s.get(&format!("/api/v1/warnings?company={OWN}"), Some(province)).await.json().await.unwrap();
    w["rows"].as_array().unwrap().iter().any(|r| r["id"] == format!("{OWN}.held_records"))
}

/// The kinds and warning ids of the `held_records` warning events and the discard events, in feed order.
fn events(s: &Server) -> Vec<(String, String)> {
    let kinds = ["warning.opened".to_owned(), "warning.closed".to_owned(), "records.discarded".to_owned()];
    let rows = s.db.with(|c| Ok(storage::events::after(c, 0, 100_000, &Default::default(), &kinds)?)).unwrap();
    rows.into_iter()
        .map(|e| {
            let data: Value = serde_json::from_str(&e.payload).unwrap();
            (e.kind, data["id"].as_str().unwrap_or_default().to_owned())
        })
        .filter(|(kind, id)| kind == "records.discarded" || id.ends_with(".held_records"))
        .collect()
}

/// Tokens of every caller of the case, issued now (a token lives an hour: issued again after the clock moves).
struct Tokens {
    own: String,
    foreign: String,
    taiyuan: String,
    datong: String,
    province: String,
    service: String,
}

fn tokens(s: &Server) -> Tokens {
    Tokens {
        own: s.token(Role::Enterprise, None, Some(OWN)),
        foreign: s.token(Role::Enterprise, None, Some(FOREIGN)),
        taiyuan: s.token(Role::City, Some(City::Taiyuan), None),
        datong: s.token(Role::City, Some(City::Datong), None),
        province: s.token(Role::Province, None, None),
        service: s.token(Role::Service, None, None),
    }
}

/// Moves the frozen clock to `t0` plus `d`, runs a detector pass and issues the tokens again.
async fn at(s: &Server, t0: chrono::NaiveDateTime, d: TimeDelta) -> Tokens {
    s.clock.set(t0 + d);
    api::changes::detect::detect(&s.state, s.clock.now_utc()).await.unwrap();
    tokens(s)
}

async fn held_records_are_listed_warned_and_discarded(s: Server) {
    for (table, batch) in chain(OWN) {
        assert_eq!(s.push(table, OWN, &batch).await.0, 200);
    }
    let (status, r) = s.push("check_record", OWN, &json!([check(OWN, "orphan", "t-missing")])).await;
    assert_eq!((status, r["pending"].as_u64()), (200, Some(1)), "{r}");
    let batch = r["batchId"].as_str().unwrap().to_owned();
    let t0 = s.clock.now_utc();
    let Tokens { own, foreign, taiyuan, datong, province, .. } = tokens(&s);

    // Listed for the enterprise, its city and the province, with the parent it waits for and its age.
    let list = pending(&s, &own, "").await;
    assert_eq!((list["total"].as_i64(), list["oldestAgeSeconds"].as_i64()), (Some(1), Some(0)), "{list}");
    assert_eq!(list["oldestReceivedAt"], "2026-11-25T10:30:00+08:00");
    let row = &list["rows"][0];
    assert_eq!(
        (row["table"].as_str(), row["id"].as_str(), row["companyCode"].as_str()),
        (Some("check_record"), Some(id("orphan").as_str()), Some(OWN))
    );
    assert_eq!(
        (row["parentTable"].as_str(), row["parentField"].as_str(), row["parentKey"].as_str()),
        (Some("check_task"), Some("checkTaskId"), Some(id("t-missing").as_str()))
    );
    assert_eq!((row["batchId"].as_str(), row["ageSeconds"].as_i64()), (Some(batch.as_str()), Some(0)));
    assert_eq!((row["receivedAt"].as_str(), row["updateDate"].as_str()), (Some(T0), Some("2026-11-01T08:00:00+08:00")));
    for (token, query) in [(&taiyuan, ""), (&taiyuan, "?company=140100001"), (&province, ""), (&province, "?limit=1")] {
        assert_eq!(pending(&s, token, query).await["rows"], list["rows"], "{query}");
    }
    // Another city: refused for the enterprise, nothing in its own scope; another enterprise: refused.
    assert_problem(s.get(&format!("/api/v1/exchange/pending?company={OWN}"), Some(&datong)).await, 403, "forbidden")
        .await;
    assert_eq!(pending(&s, &datong, "").await["total"], 0);
    assert_problem(s.get(&format!("/api/v1/exchange/pending?company={OWN}"), Some(&foreign)).await, 403, "forbidden")
        .await;
    assert_problem(s.get("/api/v1/exchange/pending?limit=0", Some(&own)).await, 400, "bad_limit").await;
    assert_eq!(pending(&s, &province, "?offset=1").await["rows"], json!([]));

    // The warning: not at 2 days 23 hours, open at 3 days and 1 minute (yellow, since 3 days after receipt).
    let t = at(&s, t0, TimeDelta::hours(71)).await;
    assert!(!warned(&s, &t.province).await, "2 days 23 hours is not more than 3 days");
    let Tokens { own, foreign, taiyuan, province, service, .. } =
        at(&s, t0, TimeDelta::days(3) + TimeDelta::minutes(1)).await;
    assert!(warned(&s, &province).await, "3 days and 1 minute is");
    let w: Value = s.get(&format!("/api/v1/warnings/{OWN}.held_records"), Some(&own)).await.json().await.unwrap();
    assert_eq!((w["kind"].as_str(), w["level"].as_str()), (Some("held_records"), Some("yellow")), "{w}");
    assert_eq!(w["since"], "2026-11-28T10:30:00+08:00");
    assert_eq!(pending(&s, &own, "").await["oldestAgeSeconds"], 3 * 86_400 + 60);

    // Only the enterprise discards, by the platform name or the national alias; nothing held is 404.
    let path = format!("/api/v1/exchange/pending/sec_hidden_check_record/{}", id("orphan"));
    for token in [&taiyuan, &province] {
        assert_problem(s.delete(&path, token).await, 403, "forbidden").await;
    }
    assert_problem(s.delete(&path, &foreign).await, 404, "not_found").await;
    assert_problem(
        s.delete(&format!("/api/v1/exchange/pending/nothing/{}", id("orphan")), &own).await,
        400,
        "bad_table",
    )
    .await;
    let res = s.delete(&path, &own).await;
    assert_eq!(res.status(), 200);
    let gone: Value = res.json().await.unwrap();
    assert_eq!((gone["table"].as_str(), gone["versions"].as_u64()), (Some("check_record"), Some(1)), "{gone}");
    assert_eq!(gone["discardedAt"], "2026-11-28T10:31:00+08:00");
    assert_problem(s.delete(&path, &own).await, 404, "not_found").await;
    assert_eq!(pending(&s, &taiyuan, "").await["total"], 0);
    assert_eq!(pending(&s, &own, "").await["oldestReceivedAt"], Value::Null);
    let kept = s.db.with(|c| storage::held::discarded(c, &domain::CompanyCode::parse(OWN).unwrap())).unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!((kept[0].record_id.as_str(), kept[0].batch_id.as_str()), (id("orphan").as_str(), batch.as_str()));
    assert_eq!((kept[0].received_at, kept[0].discarded_at), (t0, t0 + TimeDelta::days(3) + TimeDelta::minutes(1)));
    assert_eq!(kept[0].discarded_by, gone["discardedBy"].as_str().unwrap());
    // The discard clears the warning at the detector's next pass; the feed says so (not to the service role).
    api::changes::detect::detect(&s.state, s.clock.now_utc()).await.unwrap();
    assert!(!warned(&s, &province).await);
    let warning = format!("{OWN}.held_records");
    let expected = vec![
        ("warning.opened".to_owned(), warning.clone()),
        ("records.discarded".to_owned(), id("orphan")),
        ("warning.closed".to_owned(), warning.clone()),
    ];
    assert_eq!(events(&s), expected);
    let feed: Value = s.get("/api/v1/changes?kinds=records.discarded", Some(&taiyuan)).await.json().await.unwrap();
    let data = &feed["events"][0]["data"];
    assert_eq!(
        (data["table"].as_str(), data["parentTable"].as_str(), data["versions"].as_u64()),
        (Some("check_record"), Some("check_task"), Some(1))
    );
    assert_problem(s.get("/api/v1/changes?kinds=records.discarded", Some(&service)).await, 403, "forbidden").await;

    // Figures of a moment before the discard still count it as held (T = the 27th 00:00); after it, not.
    let q = quality(&s, &province, "2026-11-25..2026-11-27").await;
    assert_eq!((q["heldRecords"].as_u64(), q["oldestHeldAt"].as_str()), (Some(1), Some(T0)), "{q}");
    assert_eq!(q["oldestHeldHours"], 37);

    // A record released by its parent clears the warning too.
    let t1 = s.clock.now_utc();
    let (_, r) = s.push("check_record", OWN, &json!([check(OWN, "orphan-2", "t2")])).await;
    assert_eq!(r["pending"], 1, "{r}");
    let Tokens { own, province, .. } = at(&s, t1, TimeDelta::days(3) + TimeDelta::minutes(1)).await;
    assert!(warned(&s, &province).await);
    let (_, r) = s.push("check_task", OWN, &json!([task(OWN, "t2", "m1")])).await;
    assert_eq!(r["accepted"], 1, "{r}");
    assert_eq!(pending(&s, &own, "").await["total"], 0);
    api::changes::detect::detect(&s.state, s.clock.now_utc()).await.unwrap();
    assert!(!warned(&s, &province).await);
    let ev = events(&s);
    assert_eq!(ev[3..], [("warning.opened".to_owned(), warning.clone()), ("warning.closed".to_owned(), warning)]);
}

/// The data-quality figures of OWN for a period.
async fn quality(s: &Server, token: &str, period: &str) -> Value {
    let res = s.get(&format!("/api/v1/metrics?period={period}&by=enterprise&city=140100"), Some(token)).await;
    assert_eq!(res.status(), 200);
    let m: Value = res.json().await.unwrap();
    m["rows"].as_array().unwrap().iter().find(|r| r["key"] == OWN).unwrap()["dataQuality"].clone()
}
