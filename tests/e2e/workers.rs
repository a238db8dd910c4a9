//! Two `dualprev serve --role worker` processes on one PostgreSQL share a pull cycle from the simulator; one is
//! killed (SIGKILL) in the middle of the cycle. Every enterprise is pulled to the end exactly once in the cycle (one
//! done claim each, the killed worker's open claims taken over by the other), every version of the world is stored
//! once, the weekly evaluation scheduled on both workers ran once, and a `--role api` process took no part.

use diesel::RunQueryDsl;
use sim::{SimConfig, Size, World};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

const ENTERPRISES: usize = 24;

/// Starts `serve --role ROLE`; returns it once it listens.
fn worker(url: &str, schedule: &str, role: &str) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dualprev"));
    testkit::pin_child(&mut cmd)
        .args(["serve", "--role", role, "--database", url, "--bind", "127.0.0.1:0"])
        .env_remove("DUALPREV_TEST_POSTGRES_URL")
        .env("DUALPREV_JWT_SECRET", "a-two-workers-test-secret-of-32-bytes")
        .env("DUALPREV_PULL__SCHEDULE", schedule)
        .env("DUALPREV_PULL__PAGE_SIZE", "20")
        .env("DUALPREV_PULL__CONCURRENCY", "2")
        .env("DUALPREV_PULL__CLAIM_LEASE_SECS", "3")
        .env("DUALPREV_JOBS__MONTHLY_REPORT", "");
    let (child, lines) = crate::spawn_logged(&mut cmd);
    crate::announced(&lines);
    child
}

#[derive(diesel::QueryableByName, Debug)]
struct N {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

#[test]
#[cfg_attr(not(pg_tests), ignore = "set DUALPREV_TEST_POSTGRES_URL to run the PostgreSQL tests")]
fn two_workers_share_a_cycle_and_survive_a_kill() {
    let pg = testkit::TestDb::postgres();
    let db = storage::Db::open(&pg.url).unwrap();
    db.migrate().unwrap();
    db.with(|c| storage::registry::seed_annex(c, testkit::clock().now_utc())).unwrap();
    // The simulator, on a thread of its own for the whole test.
    let end = testkit::clock().now_utc() - chrono::TimeDelta::hours(1);
    let cfg = SimConfig::for_registry(
        ENTERPRISES,
        5,
        domain::time::local_date(end) - chrono::TimeDelta::days(20),
        end,
        Size::Small,
        0.0,
    );
    let world = World::generate(&cfg);
    let versions: usize = cfg
        .enterprises
        .iter()
        .map(|(c, _)| domain::ExchangeTable::ALL.iter().map(|t| world.records(c, *t).len()).sum::<usize>())
        .sum();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let sim = sim::serve(world, "127.0.0.1:0").await.unwrap();
            let urls: Vec<String> = cfg.enterprises.iter().map(|(c, _)| sim.base_url(c)).collect();
            tx.send((urls, cfg)).unwrap();
            std::future::pending::<()>().await;
        });
    });
    let (urls, cfg) = rx.recv().unwrap();
    for ((code, _), url) in cfg.enterprises.iter().zip(&urls) {
        let key = cfg.encrypted.contains(code).then(|| sim::aes_key(code, cfg.seed));
        db.with(|c| Ok(storage::pull_state::set_endpoint(c, code, url, key.as_deref(), end)?)).unwrap();
    }
    // One scheduled cycle, 20 to 40 seconds from now, on both workers.
    // (The cycle is named by the minute the schedule fired in: keep clear of the minute's end.)
    let mut at = testkit::clock().now_utc().and_utc() + chrono::TimeDelta::seconds(20);
    if chrono::Timelike::second(&at) >= 45 {
        at += chrono::TimeDelta::seconds(20);
    }
    let schedule = format!("{} {} {} * * *", at.format("%-S"), at.format("%-M"), at.format("%-H"));
    let cycle = ingest::Shared::cycle_of(at.naive_utc());
    let mut a = worker(&pg.url, &schedule, "worker");
    let b = worker(&pg.url, &schedule, "worker");
    // An API process with the same schedule takes no part in the cycle.
    let api = worker(&pg.url, &schedule, "api");
    assert!(
        testkit::clock().now_utc().and_utc() < at - chrono::TimeDelta::seconds(1),
        "the workers took too long to start"
    );
    let claims = || db.with(|c| storage::pull_claims::of_cycle(c, &cycle)).unwrap();
    let a_id = format!("{}-", a.id());
    // Kill A once some enterprises are done and A holds open claims.
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let cl = claims();
        let done = cl.iter().filter(|c| c.done_at.is_some()).count();
        let a_open = cl.iter().filter(|c| c.done_at.is_none() && c.worker.starts_with(&a_id)).count();
        if done >= 3 && a_open > 0 {
            break;
        }
        assert!(done < ENTERPRISES, "the cycle ended before the kill; make it slower");
        assert!(Instant::now() < deadline, "the cycle did not start: {cl:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
    a.kill().unwrap();
    a.wait().unwrap();
    let taken: Vec<String> = claims()
        .into_iter()
        .filter(|c| c.done_at.is_none() && c.worker.starts_with(&a_id))
        .map(|c| c.company_code)
        .collect();
    assert!(!taken.is_empty());
    // B finishes the cycle, taking A's open claims over when their 3 seconds run out.
    let deadline = Instant::now() + Duration::from_secs(120);
    while claims().iter().filter(|c| c.done_at.is_some()).count() < ENTERPRISES {
        assert!(Instant::now() < deadline, "the cycle was not finished: {:?}", claims());
        std::thread::sleep(Duration::from_millis(100));
    }
    let cl = claims();
    assert_eq!(cl.len(), ENTERPRISES, "one claim per enterprise and cycle");
    let by_a = cl.iter().filter(|c| c.worker.starts_with(&a_id)).count();
    eprintln!(
        "cycle {cycle}: {by_a} enterprises finished by the killed worker, {} by the other, {} taken over",
        cl.len() - by_a,
        taken.len()
    );
    for code in &taken {
        let c = cl.iter().find(|c| &c.company_code == code).unwrap();
        assert!(!c.worker.starts_with(&a_id) && c.attempts >= 2, "{code} was taken over: {c:?}");
    }
    // Nothing lost, nothing twice: every version of the world stored exactly once.
    let count = |sql: &str| db.with(|c| Ok(diesel::sql_query(sql).get_result::<N>(c)?.n)).unwrap();
    let (mut stored, mut distinct) = (0, 0);
    for t in domain::ExchangeTable::ALL {
        stored += count(&format!("SELECT count(*) AS n FROM {}_versions", t.name()));
        distinct += count(&format!(
            "SELECT count(*) AS n FROM (SELECT DISTINCT company_code, record_id, update_date FROM {}_versions) d",
            t.name()
        ));
    }
    assert_eq!(stored, versions as i64, "every version of the world is stored");
    assert_eq!(distinct, stored, "and none twice");
    assert_eq!(count("SELECT count(*) AS n FROM pull_status WHERE last_error IS NOT NULL"), 0);
    // The weekly evaluation, caught up at the start of both workers, ran once.
    assert_eq!(count("SELECT count(*) AS n FROM job_runs WHERE job = 'weekly_evaluation'"), 1);
    let api_id = format!("{}-", api.id());
    assert!(cl.iter().all(|c| !c.worker.starts_with(&api_id)), "the API process pulled nothing");
    for mut p in [b, api] {
        p.kill().unwrap();
        p.wait().unwrap();
    }
}
