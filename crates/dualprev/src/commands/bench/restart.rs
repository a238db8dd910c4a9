//! Issue 23's goals on the figures bench's database: the first start (every history built from the versions and its
//! checkpoint written), a restart (histories read back from the checkpoints) to the first figure, past `asOf`s one
//! at a time and four at once, each printed next to its goal. Resident memory is that of a process that did only
//! the restart (a child, when the bench loaded the world or built the histories itself); `docs/perf/serve-*.sh`
//! measure `serve` itself.

use super::figures::rss_mb;
use anyhow::{Result, ensure};
use chrono::{NaiveDateTime, TimeDelta};
use domain::Period;
use domain::calendar::WorkCalendar;
use report::By;
use report::cache::SnapshotCache;
use std::time::Instant;

/// Every figure of a period by city from a cache, at `at` (now when `None`): seconds to know and to compute.
fn figures_at(
    db: &storage::Db,
    cache: &SnapshotCache,
    month: Period,
    at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<(f64, f64)> {
    let t = Instant::now();
    let since = month.bounds_utc().0;
    let (known, _) = match at {
        None => db.with(|c| cache.known(c, None, now, since))?,
        Some(at) => db.with(|c| cache.known_at(c, None, at, now, since))?,
    };
    let knowing = t.elapsed().as_secs_f64();
    let groups = report::figures::group(&known.lines(month), By::City)?;
    ensure!(groups.len() == 11, "11 cities");
    Ok((knowing, t.elapsed().as_secs_f64() - knowing))
}

/// Runs the first start (when no checkpoint is stored), then the restart and past-`asOf` measurements. With `isolate`
/// (a province-size world) these run in a child process (`dualprev bench-restart` on `url`), so that the resident
/// memory printed is a restart's, not what this process held before (the world's load, the first start, the other
/// backend's part of the same run).
pub fn run(db: &storage::Db, url: &str, month: Period, clock: &domain::Clock, isolate: bool) -> Result<()> {
    let now = clock.now_utc();
    let stored = db.with(storage::checkpoints::companies)?.len();
    if stored == 0 {
        let cache = SnapshotCache::new(WorkCalendar::shipped()?);
        let t = Instant::now();
        let r = db.with(|c| cache.refresh(c, now))?;
        let s = t.elapsed().as_secs_f64();
        let what = format!("{} built, {} checkpoints written; resident {:.0} MB", r.rebuilt, r.checkpoints, rss_mb());
        super::figure("first start: histories from every version (s)", s, "s", &what);
    }
    if !isolate {
        return measure(db, month, clock);
    }
    use std::io::Write;
    std::io::stdout().flush()?;
    let status = std::process::Command::new(std::env::current_exe()?)
        .args(["--database", url, "bench-restart", "--month", &month.label()])
        .status()?;
    ensure!(status.success(), "the restart measurement's process failed: {status}");
    Ok(())
}

/// The restart and past-`asOf` measurements, on a database whose checkpoints are written.
pub fn measure(db: &storage::Db, month: Period, clock: &domain::Clock) -> Result<()> {
    let cal = WorkCalendar::shipped()?;
    let now = clock.now_utc();
    let bytes: usize = db.with(|c| {
        let mut n = 0;
        for code in storage::checkpoints::companies(c)? {
            n += storage::checkpoints::read(c, &code)?.map_or(0, |s| s.part.map_or(0, |p| p.checks.rows.len() * 16));
        }
        Ok(n)
    })?;
    super::figure("check rows in the checkpoints (MB)", bytes as f64 / 1e6, "MB", "16 bytes a row");
    let stored = db.with(|c| {
        use diesel::prelude::*;
        use diesel::sql_types::{BigInt, Nullable};
        use storage::schema::check_month_parts as cm;
        // Summed by the database: the parts of five province-years are more than a GB.
        let short = diesel::dsl::sql::<Nullable<BigInt>>("CAST(SUM(LENGTH(body)) AS BIGINT)");
        let long = diesel::dsl::sql::<Nullable<BigInt>>("CAST(SUM(LENGTH(long_body)) AS BIGINT)");
        let (short, long) = cm::table.select((short, long)).first::<(Option<i64>, Option<i64>)>(c)?;
        Ok((short.unwrap_or(0), long.unwrap_or(0)))
    })?;
    super::figure(
        "check rows of older months, stored by month (MB)",
        (stored.0 + stored.1) as f64 / 1e6,
        "MB",
        &format!(
            "read only for windows that reach them; tasks of cycles up to 31 days {:.0} MB, longer cycles {:.0} MB",
            stored.0 as f64 / 1e6,
            stored.1 as f64 / 1e6
        ),
    );
    let cache = SnapshotCache::new(cal.clone());
    let t = Instant::now();
    let r = db.with(|c| cache.refresh(c, now))?;
    let read = t.elapsed().as_secs_f64();
    let (_, compute) = figures_at(db, &cache, month, None, now)?;
    super::figure(
        "restart → first figure by city (s)",
        read + compute,
        "s",
        &format!(
            "goal ≤ 2; read {read:.2} s ({} from checkpoints, {} of them current by the change feed, {} versions \
             folded) + figures {compute:.2} s; resident {:.0} MB (goal ≤ 500)",
            r.reloaded - r.rebuilt,
            r.current,
            r.folded,
            rss_mb()
        ),
    );
    // Past moments: the end of the last report month that ended before the month measured (the 21st 00:00 its report
    // is frozen at), and the 11th of the month measured.
    let running = Period::report_month_of(domain::time::local_date(month.bounds_utc().0) - TimeDelta::days(1));
    let previous = Period::report_month_of(domain::time::local_date(running.bounds_utc().0) - TimeDelta::days(1));
    let moments = [previous.bounds_utc().1, month.bounds_utc().0 + TimeDelta::days(10)];
    for (period, at) in [(previous, moments[0]), (month, moments[1])] {
        let (knowing, compute) = figures_at(db, &cache, period, Some(at), now)?;
        super::figure(
            &format!("past asOf {}: every figure of {} (s)", domain::time::utc_to_local(at).date(), period.label()),
            knowing + compute,
            "s",
            &format!("goal ≤ 2; knowing {knowing:.3} s + figures {compute:.3} s"),
        );
    }
    let recent = [(month, moments[0]), (month, moments[1])];
    four_at_once(db, &cache, "4 past asOf at once", recent, now)?;
    if stored.0 + stored.1 > 0 {
        // Three years before the month measured: a window on stored months only (five province-years hold it).
        let old = Period::report_month_of(domain::time::local_date(month.bounds_utc().0) - TimeDelta::days(3 * 365));
        let at = old.bounds_utc().1;
        let (knowing, compute) = figures_at(db, &cache, old, Some(at), now)?;
        super::figure(
            &format!(
                "past asOf {} on stored months: every figure of {} (s)",
                domain::time::local_date(at),
                old.label()
            ),
            knowing + compute,
            "s",
            &format!("goal ≤ 2; knowing {knowing:.3} s + figures {compute:.3} s; resident {:.0} MB", rss_mb()),
        );
        let older = Period::report_month_of(domain::time::local_date(old.bounds_utc().0) - TimeDelta::days(1));
        let pairs = [(old, at), (older, older.bounds_utc().1)];
        four_at_once(db, &cache, "4 past asOf on stored months at once", pairs, now)?;
    }
    // A batch of 500 check records into the largest enterprise, folded by the restarted service.
    let (known, _) = db.with(|c| cache.known(c, None, now, month.bounds_utc().0))?;
    let (checks, target) = super::incremental::largest(&known)?;
    drop(known);
    let (ms, _) = super::incremental::batch_of_500(db, clock, &cache, &target, now - TimeDelta::hours(2))?;
    super::figure(
        "a 500-record batch into the largest enterprise, after the restart: refresh (ms)",
        ms,
        "ms",
        &format!("goal ≤ 20; {checks} check records before"),
    );
    Ok(())
}

/// Four questions at once, alternating between two (period, moment) pairs an hour apart each: the wall time and the
/// resident memory after.
fn four_at_once(
    db: &storage::Db,
    cache: &SnapshotCache,
    what: &str,
    pairs: [(Period, NaiveDateTime); 2],
    now: NaiveDateTime,
) -> Result<()> {
    let t = Instant::now();
    let runs: Vec<Result<(f64, f64)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|i| {
                let (period, at) = pairs[i % 2];
                let at = at + TimeDelta::hours(i as i64);
                s.spawn(move || figures_at(db, cache, period, Some(at), now))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Err(anyhow::anyhow!("panicked")))).collect()
    });
    let slowest = runs.into_iter().map(|r| r.map(|(a, b)| a + b)).collect::<Result<Vec<f64>>>()?;
    super::figure(
        &format!("{what}: all answered (s)"),
        t.elapsed().as_secs_f64(),
        "s",
        &format!(
            "slowest {:.2} s; resident {:.0} MB (goal ≤ 500)",
            slowest.iter().copied().fold(0.0, f64::max),
            rss_mb()
        ),
    );
    Ok(())
}
