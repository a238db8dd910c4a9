//! The incrementally refreshed snapshots give exactly the figures of a full recompute, reloading only what changed.

use chrono::TimeDelta;
use domain::Period;
use domain::calendar::WorkCalendar;
use report::Known;
use report::cache::SnapshotCache;
use storage::Db;
use testkit::TestDb;

/// Every figure of every enterprise for each period (late entries included), the weekly evaluations (scores,
/// components, vetoes such as `no_tasks`) of each ISO week that counts for it, and what is published for it (stored
/// or provisional weeks, the ranking with rank change), as text.
fn figures(k: &Known, periods: &[Period]) -> Vec<String> {
    let lines = periods.iter().flat_map(|p| k.lines(*p).into_iter().map(|l| format!("{:?}", l.figures)));
    let weeks = periods.iter().flat_map(|p| report::standings::counted_weeks(k, *p));
    let evaluations =
        weeks.flat_map(|w| k.evaluations(w).into_iter().map(|(l, e)| format!("{} {e:?}", l.enterprise.code)));
    let published = periods.iter().flat_map(|p| {
        [format!("{:?}", report::standings::weekly(k, *p)), format!("{:?}", report::standings::rank_enterprises(k, *p))]
    });
    lines.chain(evaluations).chain(published).collect()
}

/// Stores a week's live evaluations as its revision 1, as the weekly job does (the stored JSON carries what the
/// platform reads back).
fn store_week(db: &Db, k: &Known, week: Period) {
    let rows: Vec<storage::evaluations::EvaluationRow> = k
        .evaluations(week)
        .into_iter()
        .map(|(l, e)| {
            let mut v = serde_json::to_value(&e).unwrap();
            v["companyCode"] = serde_json::json!(l.enterprise.code.as_str());
            v["taskCompletion"] = serde_json::to_value(l.figures.task_completion).unwrap();
            v["baobaoCompletion"] = serde_json::to_value(l.figures.baobao_completion).unwrap();
            v["rectification"] = serde_json::to_value(l.figures.rectification.all).unwrap();
            v["overdueMajorDangers"] = serde_json::json!(l.figures.dangers.overdue_major);
            storage::evaluations::EvaluationRow {
                week: week.label(),
                company_code: l.enterprise.code.to_string(),
                as_of: k.as_of,
                score_tenths: (e.score * 10.0).round() as i32,
                grade: e.grade.label().to_owned(),
                payload: v.to_string(),
                revision: 1,
            }
        })
        .collect();
    assert!(db.with(|c| storage::evaluations::freeze(c, &week.label(), k.as_of, &rows)).unwrap());
}

testkit::tokio_both_backends!(incremental_equals_full);

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
        db.with(|c| Ok(storage::pull_state::set_endpoint(c, code.as_str(), &url, key.as_deref(), now)?)).unwrap();
    }
    let puller = ingest::Puller::new(db.clone(), ingest::PullConfig::default(), testkit::clock()).unwrap();
    puller.cycle(None).await.unwrap();
    let cal = WorkCalendar::shipped().unwrap();
    let cache = SnapshotCache::new(cal.clone());
    let today = domain::time::local_date(now);
    let periods =
        [Period::week_of(today - TimeDelta::days(7)), Period::month_of(today), Period::report_month_of(today)];
    let first = testkit::clock().now_utc();
    let (k1, r1) = db.with(|c| cache.known(c, None, first)).unwrap();
    assert_eq!(r1.reloaded, 6, "the first refresh loads every enterprise with data");
    // Nothing new: nothing reloaded.
    let (_, r) = db.with(|c| cache.known(c, None, testkit::clock().now_utc())).unwrap();
    assert_eq!((r.reloaded, r.generation), (0, r1.generation));
    // The last complete week is stored (published): the cache rereads the stored evaluations, nothing else.
    let week = periods[0];
    store_week(&db, &k1, week);
    let (stored, r) = db.with(|c| cache.known(c, None, testkit::clock().now_utc())).unwrap();
    assert_eq!((r.reloaded, r.generation), (0, r1.generation + 1), "a new revision is a new generation");
    assert!(stored.published(week).is_some() && k1.published(week).is_none());
    let published_week = format!("{:?}", report::standings::weekly(&stored, week));
    // Two more days of data for every enterprise, pulled.
    sim.advance(now - TimeDelta::minutes(5));
    puller.cycle(None).await.unwrap();
    let later = testkit::clock().now_utc();
    let (k2, r2) = db.with(|c| cache.known(c, None, later)).unwrap();
    assert_eq!(r2.reloaded, 6, "the six pulled enterprises changed");
    let full = db.with(|c| Known::load(c, None, later, cal.clone())).unwrap();
    assert_eq!(figures(&k2, &periods), figures(&full, &periods), "incremental = full recompute");
    assert_ne!(figures(&k1, &periods), figures(&k2, &periods), "the new data changed the figures");
    assert_eq!(format!("{:?}", report::standings::weekly(&k2, week)), published_week, "the stored week does not move");
    // A seventh enterprise starts sending: only it is reloaded.
    let (code, _) = &cfg.enterprises[6];
    let key = cfg.encrypted.contains(code).then(|| sim::aes_key(code, 5));
    let url = sim.base_url(code);
    db.with(|c| Ok(storage::pull_state::set_endpoint(c, code.as_str(), &url, key.as_deref(), later)?)).unwrap();
    puller.cycle(Some(code.as_str())).await.unwrap();
    let last = testkit::clock().now_utc();
    let (k3, r3) = db.with(|c| cache.known(c, None, last)).unwrap();
    assert_eq!(r3.reloaded, 1);
    let full = db.with(|c| Known::load(c, None, last, cal.clone())).unwrap();
    assert_eq!(figures(&k3, &periods), figures(&full, &periods));
    sim.stop().await;
}
