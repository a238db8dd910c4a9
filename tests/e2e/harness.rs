//! What the pull-kill, fault and soak tests share: the enterprise simulator in this process, `dualprev serve` as a
//! child, tokens, check-record batches, seeded randomness, and samples of a child's memory and open files.

use parking_lot::Mutex;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

/// The token secret of the servers these tests start.
pub const SECRET: &str = "a-proof-test-secret-of-at-least-32-bytes";

/// The simulator, served from a runtime of its own in this process.
pub struct Sim {
    /// What was simulated.
    pub cfg: sim::SimConfig,
    server: Option<sim::SimServer>,
    rt: tokio::runtime::Runtime,
}

impl Sim {
    /// Serves the first `n` annex enterprises (size small, 30 days up to now) with a share of faulty ones.
    pub fn start(n: usize, seed: u64, fault_rate: f64) -> Sim {
        let end = testkit::clock().now_utc();
        let start = domain::time::local_date(end) - chrono::TimeDelta::days(30);
        let cfg = sim::SimConfig::for_registry(n, seed, start, end, sim::Size::Small, fault_rate);
        let world = sim::World::generate(&cfg);
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let server = rt.block_on(sim::serve(world, "127.0.0.1:0")).unwrap();
        Sim { cfg, server: Some(server), rt }
    }

    /// The running server.
    pub fn server(&self) -> &sim::SimServer {
        self.server.as_ref().unwrap()
    }

    /// Migrates a database, seeds the registry and points every simulated enterprise at the simulator (with its
    /// key when it answers encrypted), as `dualprev demo` does.
    pub fn register(&self, db_url: &str) {
        let db = storage::Db::open(db_url).unwrap();
        db.migrate().unwrap();
        let now = testkit::clock().now_utc();
        db.with(|c| storage::registry::seed_annex(c, now)).unwrap();
        for (code, _) in &self.cfg.enterprises {
            let key = self.cfg.encrypted.contains(code).then(|| sim::aes_key(code, self.cfg.seed));
            let base = self.server().base_url(code);
            db.with(|c| Ok(storage::pull_state::set_endpoint(c, code, &base, key.as_deref(), now)?)).unwrap();
        }
    }

    /// Moves the served world's "now" to the present, so that pulls find new versions.
    pub fn advance(&self) {
        self.server().advance(testkit::clock().now_utc());
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        if let Some(s) = self.server.take() {
            self.rt.block_on(s.stop());
        }
    }
}

/// `dualprev serve` as a child on an ephemeral port; killed when dropped.
pub struct Serve {
    /// The process.
    pub child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// Lines of its log that said a pull cycle was done.
    pub cycles: Arc<AtomicUsize>,
    /// The lines of its log that carry an `error=` field, in order.
    pub errors: Arc<Mutex<Vec<String>>>,
}

impl Serve {
    /// Starts the server on a database with the test secret, a clean `DUALPREV_` environment plus `env`.
    pub fn start(dir: &Path, db: &str, env: &[(&str, &str)]) -> Serve {
        Serve::start_via(&[], dir, db, env)
    }

    /// [`Serve::start`] through a wrapper program (e.g. `setpriv --reuid=65534 …`) when `wrapper` is not empty.
    pub fn start_via(wrapper: &[&str], dir: &Path, db: &str, env: &[(&str, &str)]) -> Serve {
        let bin = env!("CARGO_BIN_EXE_dualprev");
        let mut cmd = match wrapper.split_first() {
            Some((program, args)) => {
                let mut c = Command::new(program);
                c.args(args).arg(bin);
                c
            }
            None => Command::new(bin),
        };
        cmd.args(["serve", "--database", db, "--bind", "127.0.0.1:0"]).current_dir(dir);
        for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("DUALPREV_")) {
            cmd.env_remove(k);
        }
        testkit::pin_child(&mut cmd).env("DUALPREV_JWT_SECRET", SECRET).envs(env.iter().copied());
        let mut child = cmd.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let cycles = Arc::new(AtomicUsize::new(0));
        let counted = cycles.clone();
        let errors = Arc::new(Mutex::new(Vec::new()));
        let logged = errors.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if line.contains("pull cycle done") {
                    counted.fetch_add(1, Ordering::SeqCst);
                }
                if line.contains("error=") {
                    logged.lock().push(line.clone());
                }
                if let Some(addr) = line.split("addr=").nth(1) {
                    let _ = tx.send(addr.split_whitespace().next().unwrap_or("").to_owned());
                }
            }
        });
        let addr = rx.recv_timeout(Duration::from_secs(90)).expect("the server announces its address");
        Serve { child, base: format!("http://{addr}"), cycles, errors }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A bearer header for a role (an enterprise token names its company).
pub fn bearer(role: api::Role, company: Option<&str>) -> String {
    let a = api::AuthConfig::new(SECRET.as_bytes(), "dualprev", "dualprev", 30).unwrap().with_clock(testkit::clock());
    let company = company.map(|c| domain::CompanyCode::parse(c).unwrap());
    format!("Bearer {}", a.issue(role, None, company.as_ref(), chrono::TimeDelta::hours(2)).unwrap())
}

/// A blocking HTTP client with a timeout.
pub fn http() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder().timeout(Duration::from_secs(30)).build().unwrap()
}

/// A 32-character id: a hex prefix and a number.
pub fn id(prefix: &str, n: usize) -> String {
    format!("{prefix}{n:0>width$}", width = 32 - prefix.len())
}

fn record(company: &str, id: &str, fields: Value) -> Value {
    let mut v = json!({"id": id, "companyCode": company, "deleted": "0", "createDate": "2026-11-01 08:00:00",
        "createBy": "甲", "updateDate": "2026-11-01 08:00:00", "updateBy": "甲"});
    v.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
    v
}

/// The parents a check record needs (hazard source → … → check task), one record per table, in parent order.
pub fn parents(company: &str) -> Vec<(&'static str, Value)> {
    vec![
        (
            "hazard_source",
            record(company, &id("aaaa", 1), json!({"hazardCode": "HZ-1", "hazardName": "罐区", "hazardLevel": 1})),
        ),
        (
            "risk_unit",
            record(
                company,
                &id("bbbb", 1),
                json!({"hazardCode": "HZ-1", "hazardDep": "部", "hazardLiablePerson": "乙", "riskUnitName": "单元"}),
            ),
        ),
        ("risk_event", record(company, &id("cccc", 1), json!({"riskUnitId": id("bbbb", 1), "riskEventName": "泄漏"}))),
        (
            "control_measure",
            record(
                company,
                &id("dddd", 1),
                json!({"riskEventId": id("cccc", 1), "dataSrc": 2, "riskMeasureDesc": "巡检", "classify1": 1,
                       "classify2": "1-1", "troubleshootContent": "查"}),
            ),
        ),
        (
            "check_task",
            record(
                company,
                &id("eeee", 1),
                json!({"riskMeasureId": id("dddd", 1), "troubleshootContent": "查", "checkCycle": 1,
                       "checkCycleUnit": "天", "taskStartTime": "2026-11-01 08:00:00"}),
            ),
        ),
    ]
}

/// Batch `n` of `size` new check records under the task of [`parents`].
pub fn check_batch(company: &str, n: usize, size: usize) -> Vec<Value> {
    (0..size).map(|i| check_record(company, &id("f", n * 1000 + i))).collect()
}

/// A check record under the task of [`parents`]; the same id always gives the same record.
pub fn check_record(company: &str, id_: &str) -> Value {
    let fields = json!({"checkTaskId": id("eeee", 1), "checkTime": "2026-11-02 09:00:00", "checkStatus": 0});
    record(company, id_, fields)
}

/// A small seeded generator (SplitMix64): the tests' random moments are reproducible from the seed they print.
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// A number in `lo..hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        lo + (z ^ (z >> 31)) % (hi - lo).max(1)
    }
}

/// The seed of a test: `DUALPREV_TEST_SEED` when set, else one from the clock (printed, so a failure can be
/// replayed).
pub fn seed(test: &str) -> u64 {
    let seed = std::env::var("DUALPREV_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| std::hash::BuildHasher::hash_one(&std::collections::hash_map::RandomState::new(), test));
    eprintln!("{test}: seed {seed} (replay with DUALPREV_TEST_SEED={seed})");
    seed
}

/// Resident memory (KiB) and open file descriptors of a process.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    /// Seconds since the load started.
    pub at: f64,
    /// `VmRSS` in KiB.
    pub rss_kib: u64,
    /// Entries in `/proc/PID/fd`.
    pub fds: usize,
}

/// Samples a process now.
pub fn sample(pid: u32, at: f64) -> Sample {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let rss_kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap();
    let fds = std::fs::read_dir(format!("/proc/{pid}/fd")).unwrap().count();
    Sample { at, rss_kib, fds }
}

/// Rows of one text column of a query.
pub fn strings(db: &storage::Db, sql: &str) -> Vec<String> {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        k: String,
    }
    let rows: Vec<Row> = db.with(|c| Ok(diesel::RunQueryDsl::load(diesel::sql_query(sql), c)?)).unwrap();
    rows.into_iter().map(|r| r.k).collect()
}

/// The one number a query answers (as `n`).
pub fn count(db: &storage::Db, sql: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let row: Row = db.with(|c| Ok(diesel::RunQueryDsl::get_result(diesel::sql_query(sql), c)?)).unwrap();
    row.n
}
