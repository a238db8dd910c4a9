//! Figures at scale: a simulated province (176 enterprises) loaded into a fresh database, materialised once, then
//! every figure of a month computed by city from memory; one figure (rectification by city) as a single SQL query
//! and as a full polars recompute on the same database, side by side with the platform's path for it; and one
//! enterprise's new batch: the incremental refresh against a full reload (`incremental.rs`).

use super::polars_full::ByCity;
use anyhow::{Result, anyhow};
use chrono::TimeDelta;
use diesel::RunQueryDsl;
use domain::{ExchangeTable, Period};
use report::{By, Known};
use sim::{SimConfig, Size, World};
use std::time::Instant;

/// Resident memory of this process, in MB (Linux).
pub fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok());
    kb.unwrap_or(0.0) / 1024.0
}

/// The database the figures bench used (kept alive while the value lives) and the month it measured.
pub struct FiguresDb {
    /// The temporary folder of the database, when none was given.
    pub _dir: tempfile::TempDir,
    /// The database's URL.
    pub url: String,
    /// The month measured, e.g. `2026-11`.
    pub month: String,
}

/// Runs the figures bench on a world of `size` ("small", "demo", "province" or "province5").
pub fn run(size: &str, database: Option<&str>, clock: &domain::Clock) -> Result<FiguresDb> {
    let size = Size::parse(size).ok_or_else(|| anyhow!("--figures-size: small, demo, province or province5"))?;
    let isolate = matches!(size, Size::Province | Size::Province5);
    let now = clock.now_utc();
    let end = now - TimeDelta::hours(1);
    let start = domain::time::local_date(end) - TimeDelta::days(size.default_days());
    let dir = tempfile::tempdir()?;
    let url = database.map_or_else(|| format!("sqlite://{}", dir.path().join("figures.db").display()), str::to_owned);
    let db = storage::Db::open(&url)?;
    db.migrate()?;
    db.with(|c| storage::registry::seed_annex(c, now))?;
    // A kept database (--figures-database) that already holds the world is reused as it is.
    let held: i64 = db.with(|c| {
        use diesel::prelude::*;
        Ok(storage::schema::check_record_versions::table.count().get_result(c)?)
    })?;
    if held == 0 {
        load_world(&db, size, start, end)?;
    } else {
        eprintln!("reusing {held} check record versions already in {}", db.url().redacted());
    }
    let month = Period::month_of(domain::time::local_date(end));
    super::restart::run(&db, &url, month, clock, isolate)?;
    let cal = domain::calendar::WorkCalendar::shipped()?;
    let t = Instant::now();
    let known = db.with(|c| Known::load(c, None, now, cal.clone()))?;
    super::figure(
        "full load: every snapshot from the versions (s)",
        t.elapsed().as_secs_f64(),
        "s",
        &format!("the reference path (Known::load); resident {:.0} MB", rss_mb()),
    );
    let mut best = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        let lines = known.lines(month);
        let groups = report::figures::group(&lines, By::City)?;
        best = best.min(t.elapsed().as_secs_f64());
        anyhow::ensure!(groups.len() == 11, "11 cities");
    }
    super::figure(&format!("every figure of {} by city, from memory (s)", month.label()), best, "s", "goal ≤ 2");
    let (platform, platform_s) = platform_rectification(&known, month);
    super::figure("rectification by city, platform (ms)", platform_s * 1000.0, "ms", "");
    rectification_side_by_side(&db, &known, month, &platform, platform_s)?;
    super::polars_full::side_by_side(&db, &known, month, &platform, platform_s)?;
    drop(known);
    super::incremental::run(&db, month, clock)?;
    Ok(FiguresDb { _dir: dir, url, month: month.label() })
}

/// Generates the simulated province and bulk-loads it.
fn load_world(db: &storage::Db, size: Size, start: chrono::NaiveDate, end: chrono::NaiveDateTime) -> Result<()> {
    let t = Instant::now();
    let cfg = SimConfig::for_registry(176, 7, start, end, size, 0.0);
    let world = World::generate(&cfg);
    eprintln!("world: {} in {:.1} s", world.totals(), t.elapsed().as_secs_f64());
    let t = Instant::now();
    let mut loaded = 0;
    let batch = domain::BatchId::new("bench".to_owned());
    for (code, _) in &cfg.enterprises {
        for table in ExchangeTable::ALL {
            let mut records = Vec::new();
            world.for_each_version(code, table, |r| records.push(r));
            loaded +=
                db.with(|c| storage::bulk::insert_versions_received(c, &records, &batch, |r| received(r, end)))?;
        }
    }
    let load = t.elapsed().as_secs_f64();
    let what = format!("bulk load into {} (versions/s)", db.url().backend());
    super::figure(&what, loaded as f64 / load, "versions/s", &format!("{loaded} versions in {load:.1} s"));
    Ok(())
}

/// When the bench says a version was received: 5 minutes past the hour after its `updateDate` (an enterprise that
/// sends hourly), never after the load's `end`. So a past `asOf` sees what had arrived by then, and an enterprise has
/// at most one receipt time per hour (about 8,760 a year, the order of the ~2,000 batches a real one sends).
fn received(r: &domain::records::Record, end: chrono::NaiveDateTime) -> chrono::NaiveDateTime {
    use chrono::Timelike;
    let u = r.common.update_date;
    let hour = u - TimeDelta::seconds(i64::from(u.minute() * 60 + u.second()));
    (hour + TimeDelta::minutes(65)).min(end)
}

/// Rectification by city along the platform's path (from the in-memory snapshots), with its time in seconds.
fn platform_rectification(known: &Known, month: Period) -> (ByCity, f64) {
    let w = known.window(month);
    let t = Instant::now();
    let mut platform = ByCity::new();
    for e in &known.registry {
        if let Some(s) = known.snapshot(e.code.as_str()) {
            let r = metrics::dangers::rectification(&s.dangers, w.t0, w.t1, w.t());
            let entry = platform.entry(e.city.code().to_owned()).or_default();
            entry.all += r.all;
            entry.on_time += r.on_time;
            entry.major += r.major;
            entry.major_on_time += r.major_on_time;
            entry.cumulative += r.cumulative;
        }
    }
    (platform, t.elapsed().as_secs_f64())
}

/// Rectification by city: the platform's path (from memory) against one SQL query on the same database.
fn rectification_side_by_side(
    db: &storage::Db,
    known: &Known,
    month: Period,
    platform: &ByCity,
    platform_s: f64,
) -> Result<()> {
    let w = known.window(month);
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        city: String,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        rectified: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        should: i64,
    }
    let fmt = |t: chrono::NaiveDateTime| t.format("%Y-%m-%d %H:%M:%S%.f").to_string();
    let sql = format!(
        "SELECT e.city_code AS city, CAST(SUM(CASE WHEN d.danger_state = 9 THEN 1 ELSE 0 END) AS BIGINT) AS rectified, \
         CAST(COUNT(*) AS BIGINT) AS should FROM danger_versions d JOIN enterprises e ON e.company_code = d.company_code \
         WHERE d.received_at <= '{asof}' AND NOT d.deleted \
         AND NOT EXISTS (SELECT 1 FROM danger_versions n WHERE n.company_code = d.company_code \
              AND n.record_id = d.record_id AND n.received_at <= '{asof}' AND n.update_date > d.update_date) \
         AND (CASE WHEN d.manage_deadline IS NULL THEN datetime(date(datetime(d.regist_time, '+8 hours'), '+1 day'), '-8 hours') \
              WHEN d.manage_deadline_is_date THEN datetime(d.manage_deadline, '+1 day') ELSE d.manage_deadline END) \
              BETWEEN '{t0}' AND '{end}' \
         GROUP BY e.city_code ORDER BY e.city_code",
        asof = fmt(known.as_of),
        t0 = fmt(w.t0),
        end = fmt(w.t() - TimeDelta::microseconds(1)),
    );
    if db.url().backend() != "sqlite" {
        eprintln!("the SQL comparison is written for SQLite; skipped on {}", db.url().backend());
        return Ok(());
    }
    let t = Instant::now();
    let rows: Vec<Row> = db.with(|c| Ok(diesel::sql_query(&sql).load(c)?))?;
    let sql_s = t.elapsed().as_secs_f64();
    let sql: std::collections::BTreeMap<String, (u64, u64)> =
        rows.into_iter().map(|r| (r.city, (r.rectified as u64, r.should as u64))).collect();
    let platform: std::collections::BTreeMap<String, (u64, u64)> =
        platform.iter().filter(|(_, r)| r.all.den > 0).map(|(k, r)| (k.clone(), (r.all.num, r.all.den))).collect();
    anyhow::ensure!(sql == platform, "the SQL query and the platform disagree: {sql:?} vs {platform:?}");
    super::figure(
        "rectification by city, one SQL query (ms)",
        sql_s * 1000.0,
        "ms",
        &format!("platform {:.0}× faster (goal ≥ 10×)", sql_s / platform_s.max(1e-9)),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    /// The figures bench's own checks on a small world: rectification by city equal along the platform's path, one
    /// SQL query and a full polars recompute; every figure equal after an incremental refresh and a full reload.
    #[test]
    fn the_figures_bench_agrees_with_itself_on_a_small_world() {
        let db = super::run("small", None, &testkit::clock()).unwrap();
        assert!(db.url.starts_with("sqlite://"), "{}", db.url);
    }
}
