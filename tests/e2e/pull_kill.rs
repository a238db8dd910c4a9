//! Pulls killed with SIGKILL at random moments and restarted until a run completes: every version the simulator
//! serves is then stored exactly once, the watermarks skipped nothing, and no batch is stored in part. The truth is
//! twofold: the simulated world itself (every record it serves has a head or a held version) and a reference pull
//! of the same world into another database without kills (the same versions, heads, held records and watermarks).
//! Bounded here (20 enterprises, 5 kills); `DUALPREV_FAULT_FULL=1` pulls all 176 with 20 kills.

use crate::harness::{self, Rng, Sim};
use domain::ExchangeTable;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// `dualprev pull` on a database (a clean `DUALPREV_` environment, short retries).
fn pull(dir: &Path, db: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dualprev"));
    cmd.args(["pull", "--database", db]).current_dir(dir);
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("DUALPREV_")) {
        cmd.env_remove(k);
    }
    testkit::pin_child(&mut cmd).env("DUALPREV_PULL__BACKOFF_MS", "100");
    cmd
}

fn run_to_end(dir: &Path, db: &str) -> Output {
    let out = pull(dir, db).output().unwrap();
    assert!(out.status.success(), "pull failed: {}", String::from_utf8_lossy(&out.stdout));
    out
}

/// Everything a pull leaves, as sorted text rows per kind (duplicates kept, so "exactly once" is compared too).
fn state(db: &storage::Db) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for t in ExchangeTable::ALL {
        let sql = format!(
            "SELECT company_code || '|' || record_id || '|' || update_date AS k FROM {}_versions ORDER BY k",
            t.name()
        );
        out.push((format!("{} versions", t.name()), harness::strings(db, &sql)));
    }
    let rest = [
        ("heads", "SELECT table_name || '|' || company_code || '|' || record_id AS k FROM record_heads ORDER BY k"),
        (
            "held",
            "SELECT table_name || '|' || company_code || '|' || record_id || '|' || update_date AS k \
             FROM pending_records ORDER BY k",
        ),
        (
            "watermarks",
            "SELECT company_code || '|' || table_name || '|' || watermark AS k FROM pull_watermarks ORDER BY k",
        ),
    ];
    for (name, sql) in rest {
        out.push((name.to_owned(), harness::strings(db, sql)));
    }
    out
}

fn versions(db: &storage::Db) -> i64 {
    ExchangeTable::ALL
        .iter()
        .map(|t| harness::count(db, &format!("SELECT count(*) AS n FROM {}_versions", t.name())))
        .sum()
}

#[test]
fn killed_pulls_store_every_version_exactly_once() {
    let full = std::env::var("DUALPREV_FAULT_FULL").is_ok_and(|v| v == "1");
    let (enterprises, kills) = if full { (176, 20) } else { (20, 5) };
    let seed = harness::seed("pull_kill");
    let mut rng = Rng::new(seed);
    let dir = tempfile::tempdir().unwrap();
    let sim = Sim::start(enterprises, seed % 1000, 0.0);
    let (reference_url, url) = (
        format!("sqlite://{}", dir.path().join("reference.db").display()),
        format!("sqlite://{}", dir.path().join("killed.db").display()),
    );
    sim.register(&reference_url);
    sim.register(&url);

    // The reference: one pull without kills.
    let started = Instant::now();
    run_to_end(dir.path(), &reference_url);
    let whole = started.elapsed();
    let reference = storage::Db::open(&reference_url).unwrap();
    let total = versions(&reference);
    assert!(total > 1000, "the reference pull stored the world: {total}");

    let db = storage::Db::open(&url).unwrap();
    let (mut mid_run, mut partial) = (0, 0);
    for k in 0..kills {
        // The moment is a point of progress, not of time (a loaded machine makes times useless): when the stored
        // versions reach a random count between what is stored and the total; once all is stored, a random time
        // in the pull that only fetches the boundary records again.
        let before = versions(&db);
        let target = (before < total).then(|| before + rng.range(1, (total - before) as u64) as i64);
        let at = Duration::from_millis(rng.range(50, 2000));
        let mut child = pull(dir.path(), &url).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        let spawned = Instant::now();
        loop {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            let due = match target {
                Some(t) => versions(&db) >= t,
                None => spawned.elapsed() >= at,
            };
            if due {
                child.kill().unwrap(); // SIGKILL
                mid_run += 1;
                break;
            }
            assert!(spawned.elapsed() < Duration::from_secs(300), "the pull makes no progress");
            std::thread::sleep(Duration::from_millis(5));
        }
        child.wait().unwrap();
        let stored = versions(&db);
        partial += usize::from(stored < total);
        let when = target.map_or(format!("{} ms", at.as_millis()), |t| format!("{t} versions"));
        eprintln!("pull_kill: kill {k} at {when}: {stored} of {total} versions stored");
    }
    assert!(
        mid_run > 0 && partial > 0,
        "at least one kill hit a pull in the middle ({mid_run} kills, {partial} partial)"
    );
    run_to_end(dir.path(), &url);
    // A further pull finds nothing new: the boundary records come back unchanged.
    let again = String::from_utf8(run_to_end(dir.path(), &url).stdout).unwrap();
    assert!(again.contains(" 0 accepted,"), "{again}");

    // The same as without kills, exactly once.
    for ((what, want), (_, got)) in state(&reference).into_iter().zip(state(&db)) {
        assert_eq!(got.len(), want.len(), "{what}: as many rows as without kills");
        assert!(got == want, "{what}: the same rows as without kills");
    }
    // Every record the simulator serves has a head or a held version.
    let stored: BTreeSet<String> = harness::strings(
        &db,
        "SELECT table_name || '|' || company_code || '|' || record_id AS k FROM record_heads UNION \
         SELECT table_name || '|' || company_code || '|' || record_id AS k FROM pending_records",
    )
    .into_iter()
    .collect();
    let served: BTreeSet<String> = sim.server().with_world(|w| {
        let mut ids = BTreeSet::new();
        for (code, _) in &sim.cfg.enterprises {
            for t in ExchangeTable::ALL {
                w.for_each_version(code, t, |r| {
                    ids.insert(format!("{}|{code}|{}", t.name(), r.common.id));
                });
            }
        }
        ids
    });
    assert_eq!(served.difference(&stored).count(), 0, "records served but not stored");
    assert_eq!(stored.difference(&served).count(), 0, "records stored but never served");
    // No batch stored in part, no version without its batch.
    for t in ExchangeTable::ALL {
        let t = t.name();
        let half = harness::count(
            &db,
            &format!(
                "SELECT count(*) AS n FROM batches b WHERE b.table_name = '{t}' AND \
                 (SELECT count(*) FROM {t}_versions v WHERE v.batch_id = b.batch_id) \
                 NOT BETWEEN b.accepted AND b.accepted + b.pending"
            ),
        );
        assert_eq!(half, 0, "{t}: batches whose stored versions differ from their receipt");
        let orphans = harness::count(
            &db,
            &format!(
                "SELECT count(*) AS n FROM {t}_versions v WHERE NOT EXISTS \
                 (SELECT 1 FROM batches b WHERE b.batch_id = v.batch_id)"
            ),
        );
        assert_eq!(orphans, 0, "{t}: versions without their batch");
    }
    eprintln!(
        "pull_kill: {enterprises} enterprises, {total} versions, {kills} kills ({mid_run} in a pull, {partial} left \
         it partial); reference pull {:.1} s",
        whole.as_secs_f64()
    );
}
