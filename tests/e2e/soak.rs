//! The soak: mixed load against `dualprev serve` (a child on SQLite) for a while — pushes from several clients,
//! scheduled pulls from the simulator (some enterprises faulty), reads of the figures, rankings and warnings —
//! with the child's resident memory and open file descriptors sampled; at the end neither may have grown beyond
//! the bounds below. Bounded here (75 s); the full run is `DUALPREV_SOAK_SECS=600` (docs/performance.md).

use crate::harness::{self, Sample, Serve, Sim};
use parking_lot::Mutex;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Simulated (pulled) enterprises: the first of the annex.
const PULLED: usize = 20;
/// Samples taken in the warm-up (the first quarter, at least 15 s) are not compared.
const WARM_UP_SHARE: f64 = 0.25;
/// The resident memory of the last third may exceed the first third's highest by this share…
const RSS_GROWTH: f64 = 0.25;
/// …or by this much, whichever is larger (allocator and page-cache noise on a small process).
const RSS_SLACK_KIB: u64 = 32 * 1024;
/// Descriptors the last third may hold beyond the first third's most: the database pool growing to its 4 SQLite
/// connections late in the run (each holds the database, its WAL and its shared-memory file: 12) plus 8 for
/// sockets. A leak grows past any fixed bound in the full run; a pool reaching its size does not.
const FD_SLACK: usize = 20;

/// What the load did.
#[derive(Default)]
struct Done {
    pushes: AtomicUsize,
    reads: AtomicUsize,
    failures: Mutex<Vec<String>>,
}

impl Done {
    fn fail(&self, what: String) {
        let mut f = self.failures.lock();
        if f.len() < 20 {
            f.push(what);
        }
    }
}

/// The enterprise that pushes: the first after the simulated ones.
fn pusher_code() -> String {
    domain::registry::annex_enterprises().unwrap()[PULLED].code.to_string()
}

/// Records per pushed batch.
const BATCH: usize = 50;

/// Pushes a batch every `pause` until `stop`: a window sliding over the client's own records, so that each batch
/// holds one new record and resends the 49 before it (answered `unchanged`). The data grows at a steady, modest
/// rate (6 records/s with 3 clients, about 200 enterprise-days of checks in 10 minutes) while every push still goes
/// through validation, the head comparison and a stored receipt: what grows with the data is not mistaken for a
/// leak (the first full run pushed 50 new records a batch; see docs/performance.md).
fn pusher(base: String, client: usize, pause: Duration, stop: Arc<AtomicBool>, done: Arc<Done>) {
    let http = harness::http();
    let company = pusher_code();
    let auth = harness::bearer(api::Role::Enterprise, Some(&company));
    let prefix = format!("f{client}");
    let mut n = 0;
    while !stop.load(Ordering::SeqCst) {
        let batch: Vec<_> = (n..n + BATCH).map(|j| harness::check_record(&company, &harness::id(&prefix, j))).collect();
        n += 1;
        match http
            .post(format!("{base}/api/v1/exchange/check_record"))
            .header("Authorization", &auth)
            .json(&batch)
            .send()
        {
            Ok(r) if r.status() == 200 => {
                done.pushes.fetch_add(1, Ordering::SeqCst);
            }
            Ok(r) => done.fail(format!("push: {} {}", r.status(), r.text().unwrap_or_default())),
            Err(e) => done.fail(format!("push: {e}")),
        }
        std::thread::sleep(pause);
    }
}

/// Reads the figures, rankings, warnings and the enterprise list in turn until `stop`.
fn reader(base: String, stop: Arc<AtomicBool>, done: Arc<Done>) {
    let http = harness::http();
    let auth = harness::bearer(api::Role::Province, None);
    let month = domain::time::local_date(testkit::clock().now_utc()).format("%Y-%m").to_string();
    let paths = [
        format!("/api/v1/metrics?period={month}&by=city"),
        format!("/api/v1/metrics?period={month}&by=enterprise"),
        format!("/api/v1/rankings?period={month}&of=cities"),
        "/api/v1/warnings".to_owned(),
        "/api/v1/enterprises".to_owned(),
    ];
    for path in paths.iter().cycle() {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        match http.get(format!("{base}{path}")).header("Authorization", &auth).send() {
            Ok(r) if r.status() == 200 => {
                let _ = r.bytes();
                done.reads.fetch_add(1, Ordering::SeqCst);
            }
            Ok(r) => done.fail(format!("GET {path}: {} {}", r.status(), r.text().unwrap_or_default())),
            Err(e) => done.fail(format!("GET {path}: {e}")),
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn max_by(samples: &[Sample], f: impl Fn(&Sample) -> u64) -> u64 {
    samples.iter().map(f).max().unwrap_or(0)
}

#[test]
fn memory_and_file_descriptors_stay_flat_under_mixed_load() {
    let secs: u64 = std::env::var("DUALPREV_SOAK_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(75);
    let every = Duration::from_secs(if secs >= 300 { 5 } else { 2 });
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("soak.db").display());
    // 10 % faulty: one that never answers and one that drips (both cut by the 2 s timeout).
    let sim = Sim::start(PULLED, 7, 0.1);
    sim.register(&db);
    let mut server = Serve::start(
        dir.path(),
        &db,
        &[
            ("DUALPREV_PULL__SCHEDULE", "*/10 * * * * *"),
            ("DUALPREV_PULL__TIMEOUT_SECS", "2"),
            ("DUALPREV_PULL__ATTEMPTS", "2"),
            ("DUALPREV_PULL__BACKOFF_MS", "100"),
            ("DUALPREV_LIMITS__PUSH_PER_MINUTE", "0"),
            ("DUALPREV_LIMITS__PUSH_RECORDS_PER_MINUTE", "0"),
        ],
    );
    let pid = server.child.id();
    // The pusher's parents first, so that its check records are stored rather than held.
    let http = harness::http();
    let company = pusher_code();
    let auth = harness::bearer(api::Role::Enterprise, Some(&company));
    for (table, record) in harness::parents(&company) {
        let res = http
            .post(format!("{}/api/v1/exchange/{table}", server.base))
            .header("Authorization", &auth)
            .json(&[record])
            .send()
            .unwrap();
        assert_eq!(res.status(), 200, "{table}");
    }
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(Done::default());
    let mut load: Vec<_> = (0..3)
        .map(|c| {
            let (base, stop, done) = (server.base.clone(), stop.clone(), done.clone());
            std::thread::spawn(move || pusher(base, c, Duration::from_millis(500), stop, done))
        })
        .collect();
    load.extend((0..2).map(|_| {
        let (base, stop, done) = (server.base.clone(), stop.clone(), done.clone());
        std::thread::spawn(move || reader(base, stop, done))
    }));
    let started = Instant::now();
    let mut samples = Vec::new();
    let mut advanced = Instant::now();
    while started.elapsed() < Duration::from_secs(secs) {
        samples.push(harness::sample(pid, started.elapsed().as_secs_f64()));
        assert!(server.child.try_wait().unwrap().is_none(), "the server died during the soak");
        if advanced.elapsed() > Duration::from_secs(30) {
            sim.advance(); // new versions for the next pulls
            advanced = Instant::now();
        }
        std::thread::sleep(every);
    }
    stop.store(true, Ordering::SeqCst);
    for t in load {
        t.join().unwrap();
    }
    samples.push(harness::sample(pid, started.elapsed().as_secs_f64()));
    let cycles = server.cycles.load(Ordering::SeqCst);
    drop(server);

    let warm = (secs as f64 * WARM_UP_SHARE).max(15.0);
    let steady: Vec<Sample> = samples.iter().copied().filter(|s| s.at >= warm).collect();
    let third = steady.len() / 3;
    assert!(third >= 2, "too few samples after the warm-up: {}", steady.len());
    let (first, last) = (&steady[..third], &steady[steady.len() - third..]);
    let (rss_first, rss_last) = (max_by(first, |s| s.rss_kib), max_by(last, |s| s.rss_kib));
    let (fd_first, fd_last) = (max_by(first, |s| s.fds as u64), max_by(last, |s| s.fds as u64));
    let bound = rss_first + ((rss_first as f64 * RSS_GROWTH) as u64).max(RSS_SLACK_KIB);
    let (pushes, reads) = (done.pushes.load(Ordering::SeqCst), done.reads.load(Ordering::SeqCst));
    let mib = |k: u64| k as f64 / 1024.0;
    eprintln!(
        "soak: {secs} s, {} samples; pushes {pushes} batches ({} records sent), reads {reads}, pull cycles {cycles}",
        samples.len(),
        pushes * BATCH
    );
    eprintln!(
        "soak: RSS MiB start {:.1}, end {:.1}, max {:.1}; after warm-up first third max {:.1}, last third max {:.1} \
         (bound {:.1})",
        mib(samples[0].rss_kib),
        mib(samples[samples.len() - 1].rss_kib),
        mib(max_by(&samples, |s| s.rss_kib)),
        mib(rss_first),
        mib(rss_last),
        mib(bound)
    );
    eprintln!(
        "soak: fds start {}, end {}, max {}; first third max {fd_first}, last third max {fd_last} (bound {})",
        samples[0].fds,
        samples[samples.len() - 1].fds,
        max_by(&samples, |s| s.fds as u64),
        fd_first + FD_SLACK as u64
    );
    let failures = done.failures.lock().clone();
    assert!(failures.is_empty(), "requests failed during the soak: {failures:#?}");
    assert!(pushes > 0 && reads > 0 && cycles > 0, "every kind of load ran");
    assert!(rss_last <= bound, "resident memory grew: {rss_first} KiB → {rss_last} KiB");
    assert!(fd_last <= fd_first + FD_SLACK as u64, "file descriptors grew: {fd_first} → {fd_last}");
}
