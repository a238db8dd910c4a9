//! The provincial spot checks (抽查): reproducible random draws of a city's enterprises, and what the check of each
//! drawn enterprise found. Append-only: a corrected finding is a new row; the current finding of a drawn enterprise
//! is its latest row by (`checked_on`, `id`).

use crate::acceptance::{date_text, parse_date};
use crate::backend::db_run;
use crate::schema::{spot_draws, spot_findings};
use crate::{DbConnection, Result, StorageError};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use domain::City;

/// A draw to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSpotDraw {
    /// The city sampled.
    pub city: City,
    /// The seed of the draw (at most `domain::sample::MAX_SEED`).
    pub seed: u64,
    /// The sample size asked for.
    pub size: u32,
    /// The enterprises drawn, in draw order.
    pub companies: Vec<String>,
    /// Who drew it: the token's subject.
    pub drawn_by: String,
    /// When (UTC).
    pub drawn_at: NaiveDateTime,
}

/// A stored draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpotDraw {
    /// The draw's id.
    pub id: i64,
    /// What was drawn.
    pub draw: NewSpotDraw,
}

/// A finding to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSpotFinding {
    /// The draw.
    pub draw_id: i64,
    /// The enterprise checked (one of the draw's).
    pub company_code: String,
    /// The local date of the check.
    pub checked_on: NaiveDate,
    /// Whether it passed (stored as `pass` or `fail`).
    pub passed: bool,
    /// What the check found.
    pub findings: String,
    /// Who recorded it: the token's subject.
    pub recorded_by: String,
    /// When (UTC).
    pub recorded_at: NaiveDateTime,
}

/// A stored finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpotFinding {
    /// The finding's id.
    pub id: i64,
    /// What was recorded.
    pub finding: NewSpotFinding,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = spot_draws)]
struct DrawRow {
    id: i64,
    city_code: String,
    seed: i64,
    size: i32,
    companies: String,
    drawn_by: String,
    drawn_at: NaiveDateTime,
}

impl DrawRow {
    fn into_draw(self) -> Result<SpotDraw> {
        let corrupt = |what: &str| StorageError::Corrupt(format!("spot draw {} {what}", self.id));
        Ok(SpotDraw {
            id: self.id,
            draw: NewSpotDraw {
                city: City::from_code(&self.city_code)?,
                seed: u64::try_from(self.seed).map_err(|_| corrupt("seed"))?,
                size: u32::try_from(self.size).map_err(|_| corrupt("size"))?,
                companies: serde_json::from_str(&self.companies).map_err(|_| corrupt("companies"))?,
                drawn_by: self.drawn_by,
                drawn_at: self.drawn_at,
            },
        })
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = spot_findings)]
struct FindingRow {
    id: i64,
    draw_id: i64,
    company_code: String,
    checked_on: String,
    result: String,
    findings: String,
    recorded_by: String,
    recorded_at: NaiveDateTime,
}

impl FindingRow {
    fn into_finding(self) -> Result<SpotFinding> {
        let passed = match self.result.as_str() {
            "pass" => true,
            "fail" => false,
            other => return Err(StorageError::Corrupt(format!("spot finding {} result {other:?}", self.id))),
        };
        Ok(SpotFinding {
            id: self.id,
            finding: NewSpotFinding {
                draw_id: self.draw_id,
                company_code: self.company_code,
                checked_on: parse_date(&self.checked_on)?,
                passed,
                findings: self.findings,
                recorded_by: self.recorded_by,
                recorded_at: self.recorded_at,
            },
        })
    }
}

/// Stores a draw; returns it with its id.
pub fn insert_draw(conn: &mut DbConnection, new: &NewSpotDraw) -> Result<SpotDraw> {
    let seed = i64::try_from(new.seed).map_err(|_| StorageError::Corrupt(format!("seed {} too large", new.seed)))?;
    let size = i32::try_from(new.size).map_err(|_| StorageError::Corrupt(format!("size {} too large", new.size)))?;
    let companies = serde_json::to_string(&new.companies).map_err(|e| StorageError::Corrupt(e.to_string()))?;
    let q = diesel::insert_into(spot_draws::table)
        .values((
            spot_draws::city_code.eq(new.city.code()),
            spot_draws::seed.eq(seed),
            spot_draws::size.eq(size),
            spot_draws::companies.eq(companies),
            spot_draws::drawn_by.eq(&new.drawn_by),
            spot_draws::drawn_at.eq(new.drawn_at),
        ))
        .returning(spot_draws::id);
    let id: i64 = db_run!(conn: c => q.get_result(c)?);
    Ok(SpotDraw { id, draw: new.clone() })
}

/// The draws of one city or all, oldest first (by `drawn_at`, then id).
pub fn draws(conn: &mut DbConnection, city: Option<City>) -> Result<Vec<SpotDraw>> {
    let mut q = spot_draws::table.select(DrawRow::as_select()).into_boxed();
    if let Some(city) = city {
        q = q.filter(spot_draws::city_code.eq(city.code()));
    }
    let rows: Vec<DrawRow> = q.order((spot_draws::drawn_at.asc(), spot_draws::id.asc())).load(conn)?;
    rows.into_iter().map(DrawRow::into_draw).collect()
}

/// One draw by id.
pub fn draw(conn: &mut DbConnection, id: i64) -> Result<Option<SpotDraw>> {
    let row: Option<DrawRow> = spot_draws::table.find(id).select(DrawRow::as_select()).first(conn).optional()?;
    row.map(DrawRow::into_draw).transpose()
}

/// Records a finding; returns it with its id. The caller checks that the enterprise is one of the draw's.
pub fn insert_finding(conn: &mut DbConnection, new: &NewSpotFinding) -> Result<SpotFinding> {
    let q = diesel::insert_into(spot_findings::table)
        .values((
            spot_findings::draw_id.eq(new.draw_id),
            spot_findings::company_code.eq(&new.company_code),
            spot_findings::checked_on.eq(date_text(new.checked_on)),
            spot_findings::result.eq(if new.passed { "pass" } else { "fail" }),
            spot_findings::findings.eq(&new.findings),
            spot_findings::recorded_by.eq(&new.recorded_by),
            spot_findings::recorded_at.eq(new.recorded_at),
        ))
        .returning(spot_findings::id);
    let id: i64 = db_run!(conn: c => q.get_result(c)?);
    Ok(SpotFinding { id, finding: new.clone() })
}

/// Every finding (every version) of the given draws, by draw, enterprise, `checked_on`, then id.
pub fn findings(conn: &mut DbConnection, draw_ids: &[i64]) -> Result<Vec<SpotFinding>> {
    let rows: Vec<FindingRow> = spot_findings::table
        .filter(spot_findings::draw_id.eq_any(draw_ids.to_vec()))
        .select(FindingRow::as_select())
        .order((
            spot_findings::draw_id.asc(),
            spot_findings::company_code.asc(),
            spot_findings::checked_on.asc(),
            spot_findings::id.asc(),
        ))
        .load(conn)?;
    rows.into_iter().map(FindingRow::into_finding).collect()
}
