//! The histories in memory give exactly what a full load from the stored versions gives: now and at random past
//! moments, after batches folded in one by one (check records updated and deleted, received out of order), after a
//! restart from the checkpoints, from a checkpoint older than the versions (a kill before the next one was written)
//! and from a damaged one. The cache holds only the current month (`RESIDENT`): the earlier months are stored by
//! month and read back for the windows that reach them, and back-dated versions patch them.

use crate::cache::{figures, since};
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use domain::calendar::WorkCalendar;
use domain::{CompanyCode, ExchangeTable, Period};
use report::Known;
use report::cache::SnapshotCache;
use serde_json::{Value, json};
use storage::Db;
use storage::schema::figure_checkpoints as fc;
use testkit::TestDb;

testkit::tokio_both_backends!(histories_equal_a_full_recompute_at_any_moment);

/// The months held in memory before the current one: none, so that the world's first weeks are in stored months.
const RESIDENT: i32 = 0;

/// A cache holding [`RESIDENT`] months.
pub(crate) fn new_cache(cal: &WorkCalendar) -> SnapshotCache {
    SnapshotCache::with_resident_months(cal.clone(), RESIDENT)
}

/// A snapshot as text, with the checks before `since` left out: the cache holds of those only what a window from
/// `since` can count.
fn text(s: Option<&domain::snapshot::EnterpriseSnapshot>, since: NaiveDateTime) -> String {
    let secs = since.and_utc().timestamp();
    let s = s.map(|s| {
        let mut s = s.clone();
        s.checks = s.checks.to_vec().into_iter().filter(|c| i64::from(c.at) >= secs).collect::<Vec<_>>().into();
        s
    });
    format!("{s:?}")
}

/// The periods asked about at a moment.
pub(crate) fn periods(at: NaiveDateTime) -> Vec<Period> {
    let day = domain::time::local_date(at);
    vec![Period::week_of(day - TimeDelta::days(7)), Period::month_of(day), Period::report_month_of(day)]
}

/// Asserts that what the cache knows at `at` (now when `None`) equals a full load, enterprise by enterprise.
pub(crate) fn same(db: &Db, cache: &SnapshotCache, at: Option<NaiveDateTime>, now: NaiveDateTime, what: &str) {
    let cal = WorkCalendar::shipped().unwrap();
    let t = at.unwrap_or(now);
    let from = since(&periods(t));
    let (k, _) = match at {
        None => db.with(|c| cache.known(c, None, now, from)).unwrap(),
        Some(t) => db.with(|c| cache.known_at(c, None, t, now, from)).unwrap(),
    };
    let full = db.with(|c| Known::load(c, None, t, cal)).unwrap();
    for e in &full.registry {
        let code = e.code.as_str();
        assert_eq!(text(k.snapshot(code), from), text(full.snapshot(code), from), "{what}: {code} at {t}");
    }
    assert_eq!(figures(&k, &periods(t)), figures(&full, &periods(t)), "{what}: figures at {t}");
}

/// A database with the registry, into which the simulator's world `cfg` was pulled, and the simulator serving it.
pub(crate) async fn pulled(t: &TestDb, cfg: &sim::SimConfig) -> (Db, sim::SimServer) {
    let now = testkit::clock().now_utc();
    let sim = sim::serve(sim::World::generate(cfg), "127.0.0.1:0").await.unwrap();
    let db = Db::open(&t.url).unwrap();
    db.migrate().unwrap();
    db.with(|c| storage::registry::seed_annex(c, now)).unwrap();
    for (code, _) in &cfg.enterprises {
        let key = cfg.encrypted.contains(code).then(|| sim::aes_key(code, 7));
        let url = sim.base_url(code);
        db.with(|c| Ok(storage::pull_state::set_endpoint(c, code, &url, key.as_deref(), now)?)).unwrap();
    }
    let puller = ingest::Puller::new(db.clone(), ingest::PullConfig::default(), testkit::clock()).unwrap();
    puller.cycle(None).await.unwrap();
    (db, sim)
}

/// A version of a stored check record with another status and `updateDate`, or deleted.
fn check_version(
    company: &CompanyCode,
    v: &domain::check_fold::CheckVersion,
    update: NaiveDateTime,
    deleted: bool,
) -> Value {
    let wire = |t: NaiveDateTime| exchange::format_datetime(domain::time::utc_to_local(t));
    json!({"id": v.id, "companyCode": company.as_str(), "deleted": if deleted { "1" } else { "0" },
        "createDate": wire(v.check_time), "createBy": "张三", "updateDate": wire(update), "updateBy": "李四",
        "checkTaskId": v.task_id, "checkTime": wire(v.check_time), "checkStatus": (v.status.code() + 1) % 4})
}

/// Pushes check records of `company` as received at `received`; returns how many were accepted.
fn push(db: &Db, company: &CompanyCode, values: &[Value], received: NaiveDateTime) -> usize {
    push_table(db, ExchangeTable::CheckRecord, company, values, received).accepted
}

/// Pushes records of one table of `company` as received at `received`.
pub(crate) fn push_table(
    db: &Db,
    table: ExchangeTable,
    company: &CompanyCode,
    values: &[Value],
    received: NaiveDateTime,
) -> exchange::Receipt {
    let batch = ingest::push::IncomingBatch {
        table,
        sender: company,
        actor: "test",
        source: ingest::push::Source::Push,
        dry_run: false,
        now: received,
    };
    ingest::push::process_values(db, &batch, values).unwrap()
}

async fn histories_equal_a_full_recompute_at_any_moment(t: TestDb) {
    let seed = fastrand::u64(..);
    eprintln!("seed {seed}");
    let mut rng = fastrand::Rng::with_seed(seed);
    let now = testkit::clock().now_utc();
    let end = now - TimeDelta::days(6);
    // 40 days: whatever today's date, the first weeks are in months before the current one.
    let start = domain::time::local_date(end) - TimeDelta::days(40);
    let cfg = sim::SimConfig::for_registry(5, 7, start, end, sim::Size::Small, 0.2);
    let (db, sim) = pulled(&t, &cfg).await;
    let cal = WorkCalendar::shipped().unwrap();
    let cache = new_cache(&cal);
    let r = db.with(|c| cache.refresh(c, testkit::clock().now_utc())).unwrap();
    assert!(r.reloaded >= 3, "{r:?}");
    let parts = stored_months(&db);
    assert!(!parts.is_empty(), "the months before the current one are stored");
    assert_eq!((r.rebuilt, r.checkpoints), (r.reloaded, r.reloaded), "no checkpoint yet: built from versions, written");
    // Whole rows: a checkpoint is written in one transaction, its body with its marks.
    type Row = (String, Vec<u8>, i64, Option<i64>);
    let early: Vec<Row> = db
        .with(|c| Ok(fc::table.select((fc::company_code, fc::body, fc::check_seq, fc::events_seq)).load(c)?))
        .unwrap();
    assert!(early.iter().all(|r| r.3.is_some()), "every checkpoint knows the change feed's seq it reflects");
    let codes: Vec<CompanyCode> = cfg.enterprises.iter().map(|(c, _)| c.clone()).collect();
    // Rounds of pushes: new versions of stored check records, received at random moments of the last days (batches
    // are received in one order and committed in another), some deleting, some older than what is stored.
    let (mut moments, mut accepted) = (vec![], 0);
    for round in 0..3 {
        for company in &codes {
            let stored = db.with(|c| storage::history::all_checks(c, company.as_str())).unwrap();
            if stored.is_empty() {
                continue;
            }
            let received =
                now - TimeDelta::seconds(rng.i64(0..5 * 86_400)) - TimeDelta::microseconds(rng.i64(0..1_000_000));
            let values: Vec<Value> = (0..rng.usize(1..30))
                .map(|_| {
                    let v = &stored[rng.usize(..stored.len())];
                    let update = v.update + TimeDelta::seconds(rng.i64(-3_600..86_400));
                    check_version(company, v, update, rng.u8(..10) == 0)
                })
                .collect();
            accepted += push(&db, company, &values, received);
            moments.push(received);
        }
        let at = testkit::clock().now_utc();
        same(&db, &cache, None, at, &format!("round {round}, folded"));
        for _ in 0..2 {
            let m = moments[rng.usize(..moments.len())];
            let t = m + TimeDelta::microseconds(rng.i64(-1..=1));
            same(&db, &cache, Some(t), at, &format!("round {round}, past"));
        }
        let t = now - TimeDelta::seconds(rng.i64(0..8 * 86_400));
        same(&db, &cache, Some(t), at, &format!("round {round}, any past"));
    }
    // Whatever the draws: a record's version known for an hour, then replaced (both received before the pull's).
    let company = &codes[0];
    let stored = db.with(|c| storage::history::all_checks(c, company.as_str())).unwrap();
    let v = &stored[rng.usize(..stored.len())];
    let latest = stored.iter().filter(|s| s.id == v.id).map(|s| s.update).max().unwrap();
    let first = now - TimeDelta::days(6);
    accepted += push(&db, company, &[check_version(company, v, latest + TimeDelta::days(1), false)], first);
    let later = first + TimeDelta::hours(1);
    accepted += push(&db, company, &[check_version(company, v, latest + TimeDelta::days(2), false)], later);
    same(&db, &cache, Some(first + TimeDelta::minutes(30)), testkit::clock().now_utc(), "known for an hour");
    // The rounds replaced versions that had been known for a while, and the histories say so.
    let built = db.with(|c| storage::history::build(c, None)).unwrap();
    let superseded: usize = built.values().map(|h| h.checks.superseded.len()).sum();
    assert!(accepted > 20 && superseded > 0, "accepted {accepted}, superseded rows {superseded}");
    let patched = stored_months(&db).iter().filter(|p| !parts.contains(p)).count();
    assert!(patched > 0, "back-dated versions patched stored months");
    // A restart reads the checkpoints and folds what came after them.
    let at = testkit::clock().now_utc();
    let restarted = new_cache(&cal);
    let r = db.with(|c| restarted.refresh(c, at)).unwrap();
    assert_eq!(r.rebuilt, 0, "every enterprise read from its checkpoint");
    same(&db, &restarted, None, at, "restart");
    // A kill before newer checkpoints were written: the first ones are put back; the versions after them are folded.
    for (company, body, seq, events_seq) in &early {
        let row = (fc::body.eq(body), fc::check_seq.eq(seq), fc::events_seq.eq(events_seq));
        db.with(|c| Ok(diesel::update(fc::table.find(company)).set(row).execute(c)?)).unwrap();
    }
    // The stored months written with them, too (a checkpoint and its months are written in one transaction).
    put_months(&db, &parts);
    let old = new_cache(&cal);
    let r = db.with(|c| old.refresh(c, at)).unwrap();
    assert!(r.folded > 0 && r.rebuilt == 0, "{r:?}");
    same(&db, &old, None, at, "older checkpoints");
    let t = moments[rng.usize(..moments.len())];
    same(&db, &old, Some(t), at, "older checkpoints, past");
    // A damaged checkpoint is rebuilt from the versions and written again.
    let victim = codes[0].to_string();
    db.with(|c| Ok(diesel::update(fc::table.find(&victim)).set(fc::body.eq(vec![1u8, 2, 3])).execute(c)?)).unwrap();
    let damaged = new_cache(&cal);
    let r = db.with(|c| damaged.refresh(c, at)).unwrap();
    assert_eq!((r.rebuilt, r.checkpoints), (1, 1), "{r:?}");
    same(&db, &damaged, None, at, "damaged checkpoint");
    let stored = db.with(|c| storage::checkpoints::read(c, &victim)).unwrap().unwrap();
    assert!(stored.part.is_ok(), "rewritten");
    // Damaged stored months are rebuilt from the versions when a window reaches them, and written again.
    let months = stored_months(&db);
    let garbage = |(c, m, _, _, short): &MonthRow| (c.clone(), *m, vec![9u8; 7], Some(vec![9u8; 7]), short.clone());
    put_months(&db, &months.iter().map(garbage).collect::<Vec<_>>());
    same(&db, &damaged, None, at, "damaged stored months");
    let rewritten = stored_months(&db);
    let decodes = |(_, _, b, long, _): &MonthRow| {
        domain::checkpoint::decode(b).is_ok() && long.as_ref().is_some_and(|l| domain::checkpoint::decode(l).is_ok())
    };
    assert!(rewritten.iter().all(decodes), "every month written again");
    assert_eq!(rewritten.len(), months.len());
    current_checkpoints_are_not_folded(&db, &codes, at, now, &mut rng);
    sim.stop().await;
}

/// A start after checkpoints that reflect the whole change feed reads no version; a batch after them is folded for
/// its enterprise only, from its receipt on (received before the checkpoints were written, committed after them);
/// with the events after the marks pruned, every enterprise is folded from its checkpoint's seq. Each equals a full
/// load.
fn current_checkpoints_are_not_folded(
    db: &Db,
    codes: &[CompanyCode],
    at: NaiveDateTime,
    now: NaiveDateTime,
    rng: &mut fastrand::Rng,
) {
    let cal = WorkCalendar::shipped().unwrap();
    db.with(|c| Ok(diesel::delete(fc::table).execute(c)?)).unwrap();
    let fresh = new_cache(&cal);
    let written = db.with(|c| fresh.refresh(c, at)).unwrap();
    assert_eq!(written.checkpoints, written.reloaded, "{written:?}");
    let idle = new_cache(&cal);
    let r = db.with(|c| idle.refresh(c, at)).unwrap();
    assert_eq!((r.current, r.folded, r.checkpoints), (r.reloaded, 0, 0), "nothing stored since: {r:?}");
    same(db, &idle, None, at, "current checkpoints");
    let company = codes
        .iter()
        .find(|c| !db.with(|x| storage::history::all_checks(x, c.as_str())).unwrap().is_empty())
        .expect("an enterprise with check records");
    // The latest version of records last updated well before the receipt: each new one is newer, not in the future.
    let received = now - TimeDelta::days(3);
    let mut latest = std::collections::BTreeMap::new();
    for v in db.with(|c| storage::history::all_checks(c, company.as_str())).unwrap() {
        latest
            .entry(v.id.clone())
            .and_modify(|l: &mut domain::check_fold::CheckVersion| {
                if v.update > l.update {
                    *l = v.clone()
                }
            })
            .or_insert(v);
    }
    let old: Vec<_> = latest.into_values().filter(|v| v.update < received - TimeDelta::days(1)).collect();
    let values: Vec<Value> = (0..5)
        .map(|_| {
            let v = &old[rng.usize(..old.len())];
            check_version(company, v, v.update + TimeDelta::seconds(rng.i64(1..3_600)), false)
        })
        .collect();
    assert!(push(db, company, &values, received) > 0);
    let after = new_cache(&cal);
    let at = testkit::clock().now_utc();
    let r = db.with(|c| after.refresh(c, at)).unwrap();
    assert_eq!(r.current, r.reloaded - 1, "only {company} is folded: {r:?}");
    assert!(r.folded > 0, "{r:?}");
    same(db, &after, None, at, "one batch after the checkpoints");
    same(db, &after, Some(received), at, "one batch after the checkpoints, at its receipt");
    released_dangers_are_read(db, &after, company, &old[0]);
    a_slow_batch_is_not_passed(db, company, &old[1..]);
    let last = db.with(|c| Ok(storage::events::last_seq(c)?)).unwrap();
    let horizon = storage::schema::event_horizon::table.find(1_i64);
    let pruned = storage::schema::event_horizon::pruned_through.eq(last);
    db.with(|c| Ok(diesel::update(horizon).set(pruned).execute(c)?)).unwrap();
    let unknown = new_cache(&cal);
    let r = db.with(|c| unknown.refresh(c, at)).unwrap();
    assert_eq!(r.current, 0, "the prune removed what the marks would be checked against: {r:?}");
    same(db, &unknown, None, at, "events pruned after the marks");
    // That start marked the checkpoints it found current; the one its batch is not in yet stays unknown, unless its
    // fold reached a stored month: then its months and its checkpoint were written together, and it is current too.
    let rewritten = r.checkpoints > 0;
    let marked = new_cache(&cal);
    let r = db.with(|c| marked.refresh(c, at)).unwrap();
    assert_eq!((r.current, r.folded > 0), (r.reloaded - usize::from(!rewritten), !rewritten), "{r:?}");
    same(db, &marked, None, at, "marked by the start before");
}

/// A batch of check records that releases a held danger (its `checkRecordId` arrived) stores more than check records:
/// the refresh reads the small tables again, and the danger is known as a full load knows it.
fn released_dangers_are_read(
    db: &Db,
    cache: &SnapshotCache,
    company: &CompanyCode,
    sibling: &domain::check_fold::CheckVersion,
) {
    let wire = |t: NaiveDateTime| exchange::format_datetime(domain::time::utc_to_local(t));
    let t0 = chrono::Timelike::with_nanosecond(&(testkit::clock().now_utc() - TimeDelta::hours(1)), 0).unwrap();
    let built = db.with(|c| storage::history::build(c, Some(&[company.to_string()]))).unwrap();
    let hazard = built[company.as_str()].hazards[0].row.hazard_code.clone();
    let record = format!("{:032x}", fastrand::u128(..));
    let danger = json!({"id": format!("{:032x}", fastrand::u128(..)), "companyCode": company.as_str(),
        "deleted": "0", "createDate": wire(t0), "createBy": "张三", "updateDate": wire(t0), "updateBy": "李四",
        "hazardCode": hazard, "dangerName": "阀门渗漏", "dangerLevel": "0", "registTime": wire(t0),
        "registrant": "张三", "dangerSrc": 9, "dangerManageType": "1", "hazardDangerType": "4",
        "dangerDesc": "阀门法兰渗漏", "liablePerson": "张三", "dangerState": "0",
        "dangerManageDeadline": domain::time::local_date(t0).to_string(), "checkRecordId": record});
    let r = push_table(db, ExchangeTable::Danger, company, &[danger], t0);
    assert_eq!((r.accepted, r.pending), (0, 1), "held for its check record: {r:?}");
    let at = testkit::clock().now_utc();
    same(db, cache, None, at, "a danger held");
    let check = json!({"id": record, "companyCode": company.as_str(), "deleted": "0", "createDate": wire(t0),
        "createBy": "张三", "updateDate": wire(t0), "updateBy": "李四", "checkTaskId": sibling.task_id,
        "checkTime": wire(t0), "checkStatus": 1});
    let r = push_table(db, ExchangeTable::CheckRecord, company, &[check], t0);
    assert_eq!(r.accepted, 1, "{r:?}");
    let at = testkit::clock().now_utc();
    same(db, cache, None, at, "a danger released by a batch of check records");
    let (known, _) = db.with(|c| cache.known(c, None, at, at)).unwrap();
    let dangers = &known.snapshot(company.as_str()).unwrap().dangers;
    assert!(dangers.iter().any(|d| d.regist_time == t0), "the released danger is known: {dangers:?}");
}

/// A batch received early but committed after one received later (it waited for its enterprise's lock), both after a
/// reader read the change feed and before it read the versions, beside a third received later still: the reader
/// folds the versions of the batches whose events it read, and the others with their own events next time. Taking
/// "received since the earliest event" as the only bound folded the late batch, passed the slow one's seq and lost
/// it on PostgreSQL (`storage::stored`).
fn a_slow_batch_is_not_passed(db: &Db, company: &CompanyCode, old: &[domain::check_fold::CheckVersion]) {
    use storage::stored::{Checks, stored_after};
    assert!(old.len() >= 3, "three records to update");
    let code = company.to_string();
    let history = |db: &Db| db.with(|c| storage::history::build(c, Some(std::slice::from_ref(&code)))).unwrap();
    let mut h = history(db).remove(&code).unwrap();
    let now = testkit::clock().now_utc();
    let batch = |v: &domain::check_fold::CheckVersion, received: NaiveDateTime| {
        assert_eq!(
            push(db, company, &[check_version(company, v, received - TimeDelta::minutes(10), false)], received),
            1
        );
        received
    };
    let window = |after: i64| {
        let (seq, stored) = db.with(|c| Ok(stored_after(c, after)?)).unwrap();
        let checks = stored.iter().filter(|b| b.company == code).map(|b| b.checks).reduce(Checks::and);
        (seq, checks.expect("a batch of the enterprise"))
    };
    let before = db.with(|c| Ok(storage::events::last_seq(c)?)).unwrap();
    let a = batch(&old[0], now - TimeDelta::hours(2));
    let (read, first) = window(before);
    // Between the reader's two reads: the slow batch, then a later one.
    let slow = batch(&old[1], now - TimeDelta::hours(3));
    let late = batch(&old[2], now - TimeDelta::hours(1));
    assert!(matches!(first, Checks::Through { since, .. } if since == a), "{first:?}");
    let folded = db.with(|c| storage::history::fold_new(c, &mut h, Some(first))).unwrap();
    assert_eq!(folded.versions, 1, "only the batch whose event was read");
    let (_, second) = window(read);
    let folded = db.with(|c| storage::history::fold_new(c, &mut h, Some(second))).unwrap();
    assert_eq!(folded.versions, 2, "the slow batch and the late one, with their events");
    let full = history(db).remove(&code).unwrap();
    for t in [now, slow, a, late, slow - TimeDelta::microseconds(1)] {
        assert_eq!(format!("{:?}", h.snapshot_at(t)), format!("{:?}", full.snapshot_at(t)), "at {t}");
    }
}

/// A stored month: (company, month, short part, long part, short task ids).
pub(crate) type MonthRow = (String, i32, Vec<u8>, Option<Vec<u8>>, Option<String>);

/// Every stored month.
pub(crate) fn stored_months(db: &Db) -> Vec<MonthRow> {
    use storage::schema::check_month_parts as cm;
    let columns = (cm::company_code, cm::month, cm::body, cm::long_body, cm::short_tasks);
    db.with(|c| Ok(cm::table.select(columns).load(c)?)).unwrap()
}

/// Replaces every stored month.
pub(crate) fn put_months(db: &Db, parts: &[MonthRow]) {
    use storage::schema::check_month_parts as cm;
    let at = testkit::clock().now_utc();
    db.with(|c| {
        diesel::delete(cm::table).execute(c)?;
        for (company, month, body, long, short) in parts {
            let row = (cm::company_code.eq(company), cm::month.eq(month), cm::format.eq(2), cm::written_at.eq(at));
            let parts = (cm::body.eq(body), cm::long_body.eq(long), cm::short_tasks.eq(short));
            diesel::insert_into(cm::table).values((row, parts)).execute(c)?;
        }
        Ok(())
    })
    .unwrap();
}
