//! Photos of dangers (issue 22): the database bytes of 1,000 dangers each carrying one photo of about 100 KB in
//! base64 (10 % of them the same photo), against the same dangers without photos, and the push rate of the dangers
//! with photos; pushed through `ingest::process` (the API's path: body limit, photo check, one transaction a batch)
//! into a fresh SQLite file each. Bytes are the database file's once every connection is closed (the WAL folded in).

use super::data::{COMPANY, chain, id};
use anyhow::{Result, ensure};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use domain::{CompanyCode, ExchangeTable};
use ingest::push::{IncomingBatch, Source};
use serde_json::{Value, json};
use std::time::Instant;

/// Dangers pushed.
const DANGERS: usize = 1_000;
/// Dangers a batch.
const BATCH: usize = 100;
/// Bytes of each photo.
const PHOTO_BYTES: usize = 100 * 1024;
/// One danger in this many carries the shared photo.
const SHARED_EVERY: usize = 10;

/// What one run stored.
struct Stored {
    /// The database file's bytes.
    bytes: u64,
    /// Photo files, links, and the files' bytes.
    totals: (i64, i64, i64),
    /// Seconds spent pushing the dangers.
    secs: f64,
}

/// A JPEG-looking photo of [`PHOTO_BYTES`]: the JPEG start marker, then bytes as incompressible as a real JPEG's.
fn photo(seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    while bytes.len() < PHOTO_BYTES {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        bytes.extend_from_slice(&x.to_le_bytes());
    }
    bytes.truncate(PHOTO_BYTES);
    bytes
}

/// The `n`-th danger of the bench's hazard source in its `version` (1: 整改中, 2: 待验收, a day later), with a photo in
/// `dangerImg` when `with_photo` (the same photo in both versions).
fn danger(n: usize, version: usize, with_photo: bool) -> Value {
    let updated = if version == 1 { "2026-11-02 08:00:00" } else { "2026-11-03 08:00:00" };
    let mut d = json!({"id": id("9", n), "companyCode": COMPANY, "deleted": "0", "createDate": "2026-11-02 08:00:00",
        "createBy": "巡检员", "updateDate": updated, "updateBy": "巡检员", "hazardCode": "HZ-1",
        "dangerName": "阀门渗漏", "dangerLevel": "0", "registTime": "2026-11-02 08:00:00", "registrant": "巡检员",
        "dangerSrc": 1, "dangerManageType": "1", "hazardDangerType": "7", "dangerDesc": "阀门法兰渗漏",
        "liablePerson": "王五", "dangerState": if version == 1 { "0" } else { "1" },
        "dangerManageDeadline": "2026-11-30"});
    if with_photo && let Some(m) = d.as_object_mut() {
        let seed = if n.is_multiple_of(SHARED_EVERY) { 0 } else { n as u64 };
        m.insert("dangerImg".into(), json!(STANDARD.encode(photo(seed))));
    }
    d
}

/// Pushes the chain and `versions` versions of the dangers into a fresh SQLite file and measures what it holds (the
/// time is the first version's).
fn store(with_photos: bool, versions: usize, clock: &domain::Clock) -> Result<Stored> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("photos.db");
    let db = storage::Db::open(&format!("sqlite://{}", path.display()))?;
    db.migrate()?;
    db.with(|c| storage::registry::seed_annex(c, clock.now_utc()))?;
    let company = CompanyCode::parse(COMPANY)?;
    let push = |table: ExchangeTable, body: &[u8]| {
        let batch = IncomingBatch {
            table,
            sender: &company,
            actor: "bench",
            source: Source::Push,
            dry_run: false,
            now: clock.now_utc(),
        };
        ingest::process(&db, &batch, body)
    };
    for (table, record) in chain() {
        push(ExchangeTable::parse(table)?, &serde_json::to_vec(&[record])?)?;
    }
    let mut secs = 0.0;
    for version in 1..=versions {
        let bodies: Vec<Vec<u8>> = (0..DANGERS / BATCH)
            .map(|b| {
                let batch: Vec<Value> = (0..BATCH).map(|i| danger(b * BATCH + i, version, with_photos)).collect();
                serde_json::to_vec(&batch)
            })
            .collect::<Result<_, _>>()?;
        let started = Instant::now();
        for body in &bodies {
            let receipt = push(ExchangeTable::Danger, body)?;
            ensure!(receipt.accepted == BATCH, "the bench's dangers were not all accepted: {:?}", receipt.errors);
        }
        if version == 1 {
            secs = started.elapsed().as_secs_f64();
        }
    }
    let totals = db.with(storage::record_attachments::totals)?;
    drop(db);
    let bytes =
        std::fs::metadata(&path)?.len() + std::fs::metadata(dir.path().join("photos.db-wal")).map_or(0, |m| m.len());
    Ok(Stored { bytes, totals, secs })
}

/// Runs the bench and prints its figures.
pub fn run(clock: &domain::Clock) -> Result<()> {
    let without = store(false, 1, clock)?;
    let with = store(true, 1, clock)?;
    let twice = store(true, 2, clock)?;
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    let what = "the SQLite file, WAL folded in";
    super::figure("1,000 dangers, no photos (MiB in database)", mib(without.bytes), "MiB", what);
    let (files, links, photo_bytes) = with.totals;
    let photo_mib = mib(u64::try_from(photo_bytes).unwrap_or(0));
    let note = format!("{files} photo files ({photo_mib:.1} MiB), {links} links; 1 in {SHARED_EVERY} the same photo");
    super::figure("1,000 dangers, a 100 KiB photo each (MiB)", mib(with.bytes), "MiB", &note);
    let growth = with.bytes.saturating_sub(without.bytes) as f64 / 1024.0 / DANGERS as f64;
    super::figure(
        "growth per danger with a photo (KiB)",
        growth,
        "KiB",
        "the photo once (shared: once in all), a link",
    );
    let second = twice.bytes.saturating_sub(with.bytes) as f64 / 1024.0 / DANGERS as f64;
    let note = "待验收, the same photo resent: a version keeps sha256:… only";
    super::figure("second version each, photo resent (KiB)", second, "KiB", note);
    let json = mib((BATCH * PHOTO_BYTES.div_ceil(3) * 4) as u64);
    let note = format!("batches of {BATCH}, {json:.1} MiB of base64 each");
    super::figure("push of dangers with photos (dangers/s)", DANGERS as f64 / with.secs, "dangers/s", &note);
    super::figure("push of dangers without photos (dangers/s)", DANGERS as f64 / without.secs, "dangers/s", "");
    Ok(())
}
