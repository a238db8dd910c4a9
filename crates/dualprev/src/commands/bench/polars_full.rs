//! Rectification by city as a full polars recompute, beside the platform's path: every danger version known at
//! `asOf` is read from the database into a DataFrame with the enterprises' cities, then the figures of `metrics.md`
//! §3 are computed with polars' lazy API (the latest version of each record, deletions out, effective deadlines, the
//! month's window) and summed by city. Its numerators and denominators must equal the platform's.

use anyhow::{Result, anyhow, ensure};
use chrono::{NaiveDateTime, TimeDelta};
use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use domain::enums::{DangerLevel, DangerManageType, DangerState};
use metrics::dangers::Rectification;
use metrics::figure::Figure;
use polars::prelude::*;
use std::collections::BTreeMap;
use std::time::Instant;

/// Rectification figures (every variant of [`Rectification`]) per city code.
pub type ByCity = BTreeMap<String, Rectification>;

/// The stored rows the recompute reads, as DataFrames.
pub struct Stored {
    /// One row per danger version received at or before `asOf`: `company`, `record`, `update`, `deleted`, `level`,
    /// `manage`, `regist`, `deadline`, `is_date`, `state`, `accept`.
    pub dangers: DataFrame,
    /// Each registered enterprise's city: `company`, `city`.
    pub cities: DataFrame,
}

/// The columns of a danger version read: company, id, updateDate, deleted, level, manage type, registTime,
/// deadline, whether the deadline is a date, state, checkAcceptTime.
type Version = (
    String,
    String,
    NaiveDateTime,
    bool,
    i32,
    i32,
    NaiveDateTime,
    Option<NaiveDateTime>,
    bool,
    i32,
    Option<NaiveDateTime>,
);

/// Nanoseconds since the epoch (polars' `Datetime(ns)`).
fn nanos(t: NaiveDateTime) -> Result<i64> {
    t.and_utc().timestamp_nanos_opt().ok_or_else(|| anyhow!("{t} is outside polars' nanosecond range"))
}

/// A `Datetime(ns)` column.
fn times(name: &str, values: impl Iterator<Item = Option<NaiveDateTime>>) -> Result<Column> {
    let ns: Vec<Option<i64>> = values.map(|t| t.map(nanos).transpose()).collect::<Result<_>>()?;
    Ok(Column::new(name.into(), ns).cast(&DataType::Datetime(TimeUnit::Nanoseconds, None))?)
}

/// Reads every danger version known at `as_of`, and each enterprise's city, from the database.
pub fn load(db: &storage::Db, as_of: NaiveDateTime) -> Result<Stored> {
    use storage::schema::{danger_versions as d, enterprises as e};
    let (rows, cities) = db.with(|c| {
        let rows: Vec<Version> = d::table
            .filter(d::received_at.le(as_of))
            .select((
                d::company_code,
                d::record_id,
                d::update_date,
                d::deleted,
                d::danger_level,
                d::danger_manage_type,
                d::regist_time,
                d::manage_deadline,
                d::manage_deadline_is_date,
                d::danger_state,
                d::check_accept_time,
            ))
            .load(c)?;
        let cities: Vec<(String, String)> = e::table.select((e::company_code, e::city_code)).load(c)?;
        Ok((rows, cities))
    })?;
    let dangers = DataFrame::new(
        rows.len(),
        vec![
            Column::new("company".into(), rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>()),
            Column::new("record".into(), rows.iter().map(|r| r.1.as_str()).collect::<Vec<_>>()),
            times("update", rows.iter().map(|r| Some(r.2)))?,
            Column::new("deleted".into(), rows.iter().map(|r| r.3).collect::<Vec<_>>()),
            Column::new("level".into(), rows.iter().map(|r| r.4).collect::<Vec<_>>()),
            Column::new("manage".into(), rows.iter().map(|r| r.5).collect::<Vec<_>>()),
            times("regist", rows.iter().map(|r| Some(r.6)))?,
            times("deadline", rows.iter().map(|r| r.7))?,
            Column::new("is_date".into(), rows.iter().map(|r| r.8).collect::<Vec<_>>()),
            Column::new("state".into(), rows.iter().map(|r| r.9).collect::<Vec<_>>()),
            times("accept", rows.iter().map(|r| r.10))?,
        ],
    )?;
    let cities = DataFrame::new(
        cities.len(),
        vec![
            Column::new("company".into(), cities.iter().map(|r| r.0.as_str()).collect::<Vec<_>>()),
            Column::new("city".into(), cities.iter().map(|r| r.1.as_str()).collect::<Vec<_>>()),
        ],
    )?;
    Ok(Stored { dangers, cities })
}

/// The end of the local (Asia/Shanghai) day of `t`, as UTC: local midnight of the next day.
fn end_of_local_day(t: Expr) -> Expr {
    let offset = TimeDelta::seconds(domain::time::SHANGHAI_OFFSET_SECS.into());
    (t + lit(offset)).dt().date().cast(DataType::Datetime(TimeUnit::Nanoseconds, None)) + lit(TimeDelta::days(1))
        - lit(offset)
}

/// The summed columns, in the order of [`Rectification`]'s figures (numerator, denominator).
const SUMS: [&str; 10] = ["re_n", "re_d", "ro_n", "ro_d", "mr_n", "mr_d", "mo_n", "mo_d", "cu_n", "cu_d"];

/// Rectification of the period [t0, t1) at `end` = min(t1, asOf) (`metrics::dangers::rectification`), by city.
pub fn compute(stored: &Stored, t0: NaiveDateTime, t1: NaiveDateTime, end: NaiveDateTime) -> Result<ByCity> {
    let code = |c: u8| lit(i32::from(c));
    // The effective deadline: a date ends with its local day; 即查即改 without one, the end of its registTime's day.
    let effective = when(col("deadline").is_null().and(col("manage").eq(code(DangerManageType::Immediate.code()))))
        .then(end_of_local_day(col("regist")))
        .when(col("is_date"))
        .then(end_of_local_day(col("deadline")))
        .otherwise(col("deadline"));
    let done = col("state").eq(code(DangerState::Accepted.code()));
    let should = col("effective").gt_eq(lit(t0)).and(col("effective").lt(lit(end))).fill_null(lit(false));
    let on_time = done.clone().and(col("accept").lt_eq(col("effective"))).fill_null(lit(false));
    let major = col("level").eq(code(DangerLevel::Major.code()));
    let count = |e: Expr, name: &str| e.cast(DataType::UInt64).sum().alias(name);
    let sums = [
        count(should.clone().and(done.clone()), SUMS[0]),
        count(should.clone(), SUMS[1]),
        count(should.clone().and(on_time.clone()), SUMS[2]),
        count(should.clone(), SUMS[3]),
        count(should.clone().and(major.clone()).and(done.clone()), SUMS[4]),
        count(should.clone().and(major.clone()), SUMS[5]),
        count(should.clone().and(major.clone()).and(on_time), SUMS[6]),
        count(should.and(major), SUMS[7]),
        count(col("regist").lt(lit(t1)).and(done), SUMS[8]),
        count(col("regist").lt(lit(t1)), SUMS[9]),
    ];
    let out = stored
        .dangers
        .clone()
        .lazy()
        // The latest version of each record known at asOf; a record whose latest version is a deletion is out.
        .sort(["company", "record", "update"], SortMultipleOptions::default())
        .unique_stable_generic(Some(vec![col("company"), col("record")]), UniqueKeepStrategy::Last)
        .filter(col("deleted").not())
        .with_column(effective.alias("effective"))
        .inner_join(stored.cities.clone().lazy(), col("company"), col("company"))
        .group_by([col("city")])
        .agg(sums)
        .sort(["city"], SortMultipleOptions::default())
        .collect()?;
    let cities = out.column("city")?.str()?.clone();
    let data: Vec<Vec<u64>> = SUMS
        .iter()
        .map(|c| Ok(out.column(c)?.u64()?.iter().map(|v| v.unwrap_or(0)).collect()))
        .collect::<PolarsResult<_>>()?;
    let fig = |i: usize, row: usize| Figure::new(data[i][row], data[i + 1][row]);
    Ok((0..out.height())
        .map(|row| {
            let r = Rectification {
                all: fig(0, row),
                on_time: fig(2, row),
                major: fig(4, row),
                major_on_time: fig(6, row),
                cumulative: fig(8, row),
            };
            (cities.get(row).unwrap_or_default().to_owned(), r)
        })
        .collect())
}

/// Cities with any danger counted (an empty city has no row in a grouping of dangers).
fn nonzero(by: &ByCity) -> ByCity {
    by.iter().filter(|(_, r)| **r != Rectification::default()).map(|(k, r)| (k.clone(), *r)).collect()
}

/// Times the full polars recompute (best of 3, loading included), checks it equals the platform's `platform`
/// figures, and prints it against `platform_s`, the platform's time for the same figures.
pub fn side_by_side(
    db: &storage::Db,
    known: &report::Known,
    month: domain::Period,
    platform: &ByCity,
    platform_s: f64,
) -> Result<()> {
    let w = known.window(month);
    let (mut best, mut load_s, mut compute_s, mut versions) = (f64::MAX, 0.0, 0.0, 0);
    for _ in 0..3 {
        let t = Instant::now();
        let stored = load(db, known.as_of)?;
        let loaded = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let polars = compute(&stored, w.t0, w.t1, w.t())?;
        let computed = t.elapsed().as_secs_f64();
        ensure!(
            nonzero(&polars) == nonzero(platform),
            "the polars recompute and the platform disagree: {polars:?} vs {platform:?}"
        );
        if loaded + computed < best {
            (best, load_s, compute_s, versions) = (loaded + computed, loaded, computed, stored.dangers.height());
        }
    }
    super::figure(
        "rectification by city, polars recompute (ms)",
        best * 1000.0,
        "ms",
        &format!(
            "platform {:.0}× faster; load {versions} danger versions {:.1} ms + compute {:.1} ms",
            best / platform_s.max(1e-9),
            load_s * 1000.0,
            compute_s * 1000.0
        ),
    );
    Ok(())
}
