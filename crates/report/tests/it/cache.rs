//! The incrementally refreshed snapshots give exactly the figures of a full recompute, reloading only what changed.

use chrono::{NaiveDateTime, TimeDelta};
use domain::Period;
use domain::calendar::WorkCalendar;
use report::Known;
use report::cache::SnapshotCache;
use storage::Db;
use testkit::TestDb;

/// Every figure of every enterprise for each period (late entries included), the weekly evaluations (scores,
/// components, vetoes such as `no_tasks`) of each ISO week that counts for it, and what is published for it (stored
/// or provisional weeks, the ranking with rank change), as text.
/// The earliest window start of [`figures`] for these periods.
pub fn since(periods: &[Period]) -> NaiveDateTime {
    periods.iter().map(|p| report::figures::since(*p)).min().unwrap()
}

pub fn figures(k: &Known, periods: &[Period]) -> Vec<String> {
    let lines = periods.iter().flat_map(|p| k.lines(*p).into_iter().map(|l| format!("{:?}", l.figures)));
    let weeks = periods.iter().flat_map(|p| report::standings::counted_weeks(k, *p));
    let evaluations =
        weeks.flat_map(|w| k.evaluations(w).into_iter().map(|(l, e)| format!("{} {e:?}", l.enterprise.code)));
    let published = periods.iter().flat_map(|p| {
        [format!("{:?}", report::standings::weekly(k, *p)), format!("{:?}", report::standings::rank_enterprises(k, *p))]
    });
    lines.chain(evaluations).chain(published).collect()
}

/// Stores a week's live evaluations as its revision 1, as the weekly job does.
fn store_week(db: &Db, k: &Known, week: Period) {
    let rows = report::shape::to_stored(&week.label(), k.as_of, &report::shape::evaluation_rows(k, week)).unwrap();
    assert!(db.with(|c| storage::evaluations::freeze(c, &week.label(), k.as_of, &rows)).unwrap());
}

testkit::tokio_both_backends!(incremental_equals_full, a_batch_committed_after_a_later_one_is_not_missed);

async fn incremental_equals_full(t: TestDb) {
    let now = testkit::clock().now_utc();
    let end = now - TimeDelta::days(2);
    let start = domain::time::local_date(end) - TimeDelta::days(25);
    let cfg = sim::SimConfig::for_registry(8, 5, start, end, sim::Size::Small, 0.0);
    let sim = sim::serve(sim::World::generate(&cfg), "127.0.0.1:0").await.unwrap();
    let db = Db::open(&t.url).unwrap();
    db.migrate().unwrap();
    db.with(|c| storage::registry::seed_annex(c, now)).unwrap();
    for (code, _) in cfg.enterprises.iter().take(6) {
        let key = cfg.encrypted.contains(code).then(|| sim::aes_key(code, 5));
        let url = sim.base_url(code);
        db.with(|c| Ok(storage::pull_state::set_endpoint(c, code, &url, key.as_deref(), now)?)).unwrap();
    }
    let puller = ingest::Puller::new(db.clone(), ingest::PullConfig::default(), testkit::clock()).unwrap();
    puller.cycle(None).await.unwrap();
    let cal = WorkCalendar::shipped().unwrap();
    let cache = SnapshotCache::new(cal.clone());
    let today = domain::time::local_date(now);
    let periods =
        [Period::week_of(today - TimeDelta::days(7)), Period::month_of(today), Period::report_month_of(today)];
    let first = testkit::clock().now_utc();
    let from = since(&periods);
    let (k1, r1) = db.with(|c| cache.known(c, None, first, from)).unwrap();
    assert_eq!(r1.reloaded, 6, "the first refresh loads every enterprise with data");
    // Nothing new: nothing reloaded.
    let (_, r) = db.with(|c| cache.known(c, None, testkit::clock().now_utc(), from)).unwrap();
    assert_eq!((r.reloaded, r.generation), (0, r1.generation));
    // The last complete week is stored (published): the cache rereads the stored evaluations, nothing else.
    let week = periods[0];
    store_week(&db, &k1, week);
    let (stored, r) = db.with(|c| cache.known(c, None, testkit::clock().now_utc(), from)).unwrap();
    assert_eq!((r.reloaded, r.generation), (0, r1.generation + 1), "a new revision is a new generation");
    assert!(stored.published(week).is_some() && k1.published(week).is_none());
    let published_week = format!("{:?}", report::standings::weekly(&stored, week));
    // Two more days of data for every enterprise, pulled.
    sim.advance(now - TimeDelta::minutes(5));
    puller.cycle(None).await.unwrap();
    let later = testkit::clock().now_utc();
    let (k2, r2) = db.with(|c| cache.known(c, None, later, from)).unwrap();
    assert_eq!(r2.reloaded, 6, "the six pulled enterprises changed");
    let full = db.with(|c| Known::load(c, None, later, cal.clone())).unwrap();
    assert_eq!(figures(&k2, &periods), figures(&full, &periods), "incremental = full recompute");
    assert_ne!(figures(&k1, &periods), figures(&k2, &periods), "the new data changed the figures");
    assert_eq!(format!("{:?}", report::standings::weekly(&k2, week)), published_week, "the stored week does not move");
    // A seventh enterprise starts sending: only it is reloaded.
    let (code, _) = &cfg.enterprises[6];
    let key = cfg.encrypted.contains(code).then(|| sim::aes_key(code, 5));
    let url = sim.base_url(code);
    db.with(|c| Ok(storage::pull_state::set_endpoint(c, code, &url, key.as_deref(), later)?)).unwrap();
    puller.cycle(Some(code.as_str())).await.unwrap();
    let last = testkit::clock().now_utc();
    let (k3, r3) = db.with(|c| cache.known(c, None, last, from)).unwrap();
    assert_eq!(r3.reloaded, 1);
    let full = db.with(|c| Known::load(c, None, last, cal.clone())).unwrap();
    assert_eq!(figures(&k3, &periods), figures(&full, &periods));
    sim.stop().await;
}

/// Pushes one hazard source of `company` as received at `received` (the moment a batch takes when it arrives, not
/// when its transaction commits).
fn push_hazard(db: &Db, company: &domain::CompanyCode, id: &str, received: chrono::NaiveDateTime) {
    let wire = exchange::format_datetime(domain::time::utc_to_local(received - TimeDelta::hours(1)));
    let record = serde_json::json!({"id": id, "companyCode": company.as_str(), "deleted": "0", "createDate": wire,
        "createBy": "张三", "updateDate": wire, "updateBy": "张三", "hazardCode": format!("H{id}"),
        "hazardName": "液氨罐区", "hazardLevel": "2"});
    let batch = ingest::push::IncomingBatch {
        table: domain::ExchangeTable::HazardSource,
        sender: company,
        actor: "test",
        source: ingest::push::Source::Push,
        dry_run: false,
        now: received,
    };
    let receipt = ingest::push::process_values(db, &batch, &[record]).unwrap();
    assert_eq!(receipt.accepted, 1, "{:?}", receipt.errors);
}

/// A batch received before another but committed after it, and after a refresh that saw the other one, is still
/// reloaded: the cache follows the change feed's seqs (which commit in order), not the batches' received times. A
/// look-back over received times (the previous design, 120 s) missed exactly this batch.
async fn a_batch_committed_after_a_later_one_is_not_missed(t: TestDb) {
    let now = testkit::clock().now_utc();
    let db = Db::open(&t.url).unwrap();
    db.migrate().unwrap();
    db.with(|c| storage::registry::seed_annex(c, now)).unwrap();
    let registry = db.with(|c| storage::registry::list(c, Default::default())).unwrap();
    let (x, y) = (registry[0].enterprise.code.clone(), registry[1].enterprise.code.clone());
    let t0 = now - TimeDelta::days(1);
    let cal = WorkCalendar::shipped().unwrap();
    let cache = SnapshotCache::new(cal.clone());
    let r0 = db.with(|c| cache.refresh(c, t0)).unwrap();
    assert_eq!(r0.reloaded, 0, "nothing stored yet");
    // Y's batch, received at t0 + 100 s, commits first; a refresh at t0 + 150 s reflects it.
    push_hazard(&db, &y, "000000000000000000000000000000b1", t0 + TimeDelta::seconds(100));
    let r1 = db.with(|c| cache.refresh(c, t0 + TimeDelta::seconds(150))).unwrap();
    assert_eq!(r1.reloaded, 1);
    // X's batch was received at t0 + 10 s but its transaction commits only now, after that refresh.
    push_hazard(&db, &x, "000000000000000000000000000000a1", t0 + TimeDelta::seconds(10));
    let at = t0 + TimeDelta::seconds(400);
    let (k, r2) = db.with(|c| cache.known(c, None, at, at)).unwrap();
    assert_eq!((r2.reloaded, r2.generation), (1, r1.generation + 1), "X's late commit is reloaded");
    let full = db.with(|c| Known::load(c, None, at, cal.clone())).unwrap();
    let hazards = |k: &Known, code: &domain::CompanyCode| k.snapshot(code.as_str()).map(|s| s.hazards.len());
    assert_eq!((hazards(&k, &x), hazards(&k, &y)), (Some(1), Some(1)), "both batches are in the snapshots");
    let snapshot = |k: &Known| format!("{:?}", k.snapshot(x.as_str()));
    assert_eq!(snapshot(&k), snapshot(&full), "X's snapshot equals a full load");
    let (_, r3) = db.with(|c| cache.known(c, None, at + TimeDelta::seconds(1), at)).unwrap();
    assert_eq!((r3.reloaded, r3.generation), (0, r2.generation), "nothing new, nothing reloaded");
}
