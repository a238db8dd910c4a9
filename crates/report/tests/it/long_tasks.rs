//! Stored months in two parts (`domain::month_parts`): a window reads, of the months more than 31 days before it,
//! the long-cycle tasks' part only (the short part of those months is damaged here: the reader leaves it unread
//! unless asked for it, and the figures equal a full load);
//! a task whose cycle became a year after its rows were stored as short has those short parts read (damaged, they
//! are then rebuilt from the versions). Every answer equals a full load.

use crate::cache::since;
use crate::history::{MonthRow, new_cache, periods, pulled, push_table, put_months, same, stored_months};
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use domain::calendar::WorkCalendar;
use domain::month_parts::short_from;
use domain::months::{add_months, month_of};
use domain::{CompanyCode, ExchangeTable};
use serde_json::{Value, json};
use storage::Db;
use testkit::TestDb;

testkit::tokio_both_backends!(early_months_are_read_for_long_tasks_only);

const DAILY: &str = "00000000-0000-4000-8000-0000000000d1";
const YEARLY: &str = "00000000-0000-4000-8000-0000000000f2";
const FLIP: &str = "00000000-0000-4000-8000-0000000000e3";

fn wire(t: NaiveDateTime) -> String {
    exchange::format_datetime(domain::time::utc_to_local(t))
}

fn task(
    company: &CompanyCode,
    id: &str,
    measure: &str,
    unit: &str,
    created: NaiveDateTime,
    update: NaiveDateTime,
) -> Value {
    json!({"id": id, "companyCode": company.as_str(), "deleted": "0", "createDate": wire(created), "createBy": "张三",
        "updateDate": wire(update), "updateBy": "李四", "riskMeasureId": measure, "troubleshootContent": "巡检",
        "checkCycle": 1, "checkCycleUnit": unit, "taskStartTime": wire(created)})
}

fn check(company: &CompanyCode, n: usize, task: &str, at: NaiveDateTime) -> Value {
    json!({"id": format!("00000000-0000-4000-9000-{n:012}"), "companyCode": company.as_str(), "deleted": "0",
        "createDate": wire(at), "createBy": "张三", "updateDate": wire(at), "updateBy": "李四",
        "checkTaskId": task, "checkTime": wire(at), "checkStatus": 1})
}

/// The stored months of `company` before `before`, with their short parts replaced by bytes that do not decode.
fn damage_short_parts(db: &Db, company: &str, before: i32) -> Vec<MonthRow> {
    let all = stored_months(db);
    let damaged: Vec<MonthRow> = all
        .iter()
        .map(|(c, m, body, long, short)| match c == company && *m < before {
            true => (c.clone(), *m, vec![9u8; 7], long.clone(), short.clone()),
            false => (c.clone(), *m, body.clone(), long.clone(), short.clone()),
        })
        .collect();
    put_months(db, &damaged);
    all
}

/// The months of `company` before `before` whose short part does not decode.
fn still_damaged(db: &Db, company: &str, before: i32) -> usize {
    let rows = stored_months(db).into_iter().filter(|(c, m, ..)| c == company && *m < before);
    rows.filter(|(_, _, body, ..)| domain::checkpoint::decode(body).is_err()).count()
}

async fn early_months_are_read_for_long_tasks_only(t: TestDb) {
    let now = testkit::clock().now_utc();
    let end = now - TimeDelta::days(6);
    let cfg = sim::SimConfig::for_registry(
        3,
        11,
        domain::time::local_date(end) - TimeDelta::days(20),
        end,
        sim::Size::Small,
        0.0,
    );
    let (db, sim) = pulled(&t, &cfg).await;
    use storage::schema::control_measure_versions as cmv;
    let (code, measure): (String, String) =
        db.with(|c| Ok(cmv::table.select((cmv::company_code, cmv::record_id)).first(c)?)).unwrap();
    let company = CompanyCode::parse(&code).unwrap();
    // Three tasks: daily and yearly for 15 months, and one daily from a year and 10 days ago, checked in its first
    // 60 days only, that becomes yearly below: then its first instance, due 10 days ago, was done in those days only.
    // Their checks are received late.
    let first = now - TimeDelta::days(450);
    let flip_start = now - TimeDelta::days(375);
    let tasks: Vec<Value> = [(DAILY, "天", first), (YEARLY, "年", first), (FLIP, "天", flip_start)]
        .iter()
        .map(|(id, unit, start)| task(&company, id, &measure, unit, *start, *start))
        .collect();
    assert_eq!(push_table(&db, ExchangeTable::CheckTask, &company, &tasks, flip_start).accepted, 3);
    let mut checks = Vec::new();
    for day in 0..440 {
        let at = first + TimeDelta::days(day) + TimeDelta::hours(2);
        checks.push(check(&company, checks.len(), DAILY, at));
        if day % 20 == 0 {
            checks.push(check(&company, checks.len(), YEARLY, at));
        }
    }
    for day in 0..60 {
        checks.push(check(&company, checks.len(), FLIP, flip_start + TimeDelta::days(day) + TimeDelta::hours(2)));
    }
    for chunk in checks.chunks(400) {
        let r = push_table(&db, ExchangeTable::CheckRecord, &company, chunk, now - TimeDelta::days(8));
        assert_eq!(r.accepted, chunk.len(), "{r:?}");
    }
    let cal = WorkCalendar::shipped().unwrap();
    let cache = new_cache(&cal);
    db.with(|c| cache.refresh(c, now)).unwrap();
    // The months before the short months of today's windows: their short parts are not read.
    let early = short_from(since(&periods(now)));
    let kept = damage_short_parts(&db, &code, early);
    let n = still_damaged(&db, &code, early);
    assert!(n >= 6, "{n} early months");
    // The reader of stored months leaves the early months' short parts unread unless asked for them.
    let h = db.with(|c| storage::history::build(c, Some(std::slice::from_ref(&code)))).unwrap().remove(&code).unwrap();
    let span = (add_months(early, -15), add_months(early, 3));
    let parts = db.with(|c| storage::months::read_reaching(c, &h, span, early, |_, _| false)).unwrap();
    let rows: Vec<_> = parts.iter().flat_map(|p| p.rows.iter()).collect();
    let daily = h.task_ordinal(DAILY).unwrap();
    assert!(rows.iter().all(|r| r.task != daily || month_of(r.at) >= early), "no daily row of an early month");
    assert!(rows.iter().any(|r| month_of(r.at) < early), "the early months' long parts are read");
    assert!(rows.iter().any(|r| r.task == daily), "the later months' short parts are read");
    let asked = db.with(|c| storage::months::read_reaching(c, &h, span, early, |_, _| true));
    assert!(matches!(asked, Err(storage::StorageError::Corrupt(_))), "asked for, the damaged short parts are read");
    same(&db, &cache, None, now, "long tasks in early months");
    same(&db, &cache, Some(now - TimeDelta::days(3)), now, "long tasks in early months, past");
    // The daily task becomes yearly: its rows in the early months' short parts count again.
    put_months(&db, &kept);
    let flip = [task(&company, FLIP, &measure, "年", flip_start, now - TimeDelta::days(2))];
    assert_eq!(push_table(&db, ExchangeTable::CheckTask, &company, &flip, now - TimeDelta::days(2)).accepted, 1);
    db.with(|c| cache.refresh(c, now)).unwrap();
    same(&db, &cache, None, now, "a task whose cycle became a year");
    same(&db, &cache, Some(now - TimeDelta::days(3)), now, "before it became a year");
    damage_short_parts(&db, &code, early);
    same(&db, &cache, None, now, "a task whose cycle became a year, damaged");
    assert_eq!(still_damaged(&db, &code, early), 0, "the short parts were read, found damaged and rebuilt");
    sim.stop().await;
}
