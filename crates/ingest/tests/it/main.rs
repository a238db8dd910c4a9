//! Ingestion tests: pulls from the real simulator over HTTP into a real database.
#![allow(clippy::unwrap_used, reason = "tests unwrap to fail loudly")]

use chrono::{NaiveDateTime, TimeDelta};
use diesel::RunQueryDsl;
use domain::{CompanyCode, ExchangeTable};
use ingest::{PullConfig, Puller};
use sim::{Fault, SimConfig, SimServer, Size, World};
use std::sync::Arc;
use std::time::Duration;
use storage::Db;
use testkit::TestDb;

/// A simulator and a database whose registry points at it.
pub struct Setup {
    /// The simulator.
    pub sim: SimServer,
    /// The database.
    pub db: Db,
    /// The simulated enterprises.
    pub companies: Vec<CompanyCode>,
    _t: TestDb,
}

/// The end of the test worlds: a little before now, so that `advance` has room.
pub fn end() -> NaiveDateTime {
    testkit::clock().now_utc() - TimeDelta::days(3)
}

impl Setup {
    /// `n` annex enterprises, some faulty, served on port 0, registered with their endpoints and keys.
    pub async fn new(t: TestDb, n: usize, faults: &[Fault], end: NaiveDateTime) -> Setup {
        Setup::sized(t, n, faults, end, Size::Small).await
    }

    /// As [`Setup::new`], with a world size.
    pub async fn sized(t: TestDb, n: usize, faults: &[Fault], end: NaiveDateTime, size: Size) -> Setup {
        let start = domain::time::local_date(end) - TimeDelta::days(20);
        let mut cfg = SimConfig::for_registry(n, 7, start, end, size, 0.0);
        cfg.faults = cfg.enterprises.iter().zip(faults).map(|((c, _), f)| (c.clone(), *f)).collect();
        let companies: Vec<CompanyCode> = cfg.enterprises.iter().map(|(c, _)| c.clone()).collect();
        let encrypted = cfg.encrypted.clone();
        let world = World::generate(&cfg);
        let sim = sim::serve(world, "127.0.0.1:0").await.unwrap();
        let db = Db::open(&t.url).unwrap();
        db.migrate().unwrap();
        db.with(|c| storage::registry::seed_annex(c, testkit::clock().now_utc())).unwrap();
        for company in &companies {
            let key = encrypted.contains(company).then(|| sim::aes_key(company, 7));
            let url = sim.base_url(company);
            db.with(|c| Ok(storage::pull_state::set_endpoint(c, company, &url, key.as_deref(), end)?)).unwrap();
        }
        Setup { sim, db, companies, _t: t }
    }

    /// A puller with short timeouts.
    pub fn puller(&self, page_size: usize) -> Arc<Puller> {
        let cfg = PullConfig {
            timeout: Duration::from_secs(2),
            page_size,
            concurrency: 4,
            attempts: 2,
            backoff: Duration::from_millis(20),
        };
        Puller::new(self.db.clone(), cfg, testkit::clock()).unwrap()
    }

    /// The world's versions of one enterprise (every table).
    pub fn world_versions(&self, company: &CompanyCode) -> usize {
        self.sim.with_world(|w| ExchangeTable::ALL.iter().map(|t| w.records(company, *t).len()).sum())
    }

    /// Versions stored for one enterprise, over every table, and how many of them repeat a (record, updateDate).
    pub fn stored_versions(&self, company: &CompanyCode) -> (i64, i64) {
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            distinct_n: i64,
        }
        let mut total = (0, 0);
        for t in ExchangeTable::ALL {
            let sql = format!(
                "SELECT count(*) AS n, (SELECT count(*) FROM (SELECT DISTINCT record_id, update_date FROM {0}_versions \
                 WHERE company_code = '{1}') d) AS distinct_n FROM {0}_versions WHERE company_code = '{1}'",
                t.name(),
                company
            );
            let r: Row = self.db.with(|c| Ok(diesel::sql_query(&sql).get_result(c)?)).unwrap();
            total.0 += r.n;
            total.1 += r.n - r.distinct_n;
        }
        total
    }

    /// Held records of one enterprise.
    pub fn pending(&self, company: &CompanyCode) -> i64 {
        self.db.with(|c| Ok(storage::pending::count(c, Some(company))?)).unwrap()
    }
}

mod pull;
mod shared;
