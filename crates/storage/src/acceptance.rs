//! Expert acceptances (验收) of enterprises, recorded by their city bureau. Append-only: a correction or a re-check
//! is a new row and every version is kept; the current acceptance of an enterprise is its latest row by
//! (`accepted_on`, `id`).

use crate::backend::db_run;
use crate::schema::acceptances;
use crate::{DbConnection, Result, StorageError};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use domain::City;

/// A stored acceptance, as the table holds it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = acceptances)]
struct AcceptanceRow {
    id: i64,
    company_code: String,
    city_code: String,
    accepted_on: String,
    experts: String,
    grade: String,
    findings: String,
    rectify_by: Option<String>,
    recheck_on: Option<String>,
    recheck_grade: Option<String>,
    recorded_by: String,
    recorded_at: NaiveDateTime,
}

/// An acceptance to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAcceptance {
    /// The enterprise.
    pub company_code: String,
    /// Its city (whose bureau recorded the acceptance).
    pub city: City,
    /// The local date of the acceptance.
    pub accepted_on: NaiveDate,
    /// The experts' names.
    pub experts: Vec<String>,
    /// 优, 良, 中 or 差.
    pub grade: String,
    /// What the experts found.
    pub findings: String,
    /// The rectification deadline (for 中 and 差).
    pub rectify_by: Option<NaiveDate>,
    /// The local date of the re-check after rectification.
    pub recheck_on: Option<NaiveDate>,
    /// The re-check's grade: 优, 良, 中 or 差.
    pub recheck_grade: Option<String>,
    /// Who recorded it: the token's subject, e.g. `city:140300`.
    pub recorded_by: String,
    /// When it was recorded (UTC).
    pub recorded_at: NaiveDateTime,
}

/// A stored acceptance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acceptance {
    /// The row id (increasing in recording order).
    pub id: i64,
    /// What was recorded.
    pub record: NewAcceptance,
}

impl Acceptance {
    /// The grade that counts: the re-check's when there is one, else the acceptance's.
    pub fn effective_grade(&self) -> &str {
        self.record.recheck_grade.as_deref().unwrap_or(&self.record.grade)
    }
}

#[derive(Insertable)]
#[diesel(table_name = acceptances)]
struct Insert<'a> {
    company_code: &'a str,
    city_code: &'a str,
    accepted_on: String,
    experts: String,
    grade: &'a str,
    findings: &'a str,
    rectify_by: Option<String>,
    recheck_on: Option<String>,
    recheck_grade: Option<&'a str>,
    recorded_by: &'a str,
    recorded_at: NaiveDateTime,
}

/// A local date as stored: `YYYY-MM-DD`.
pub(crate) fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A stored date.
pub(crate) fn parse_date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| StorageError::Corrupt(format!("date {s:?}: {e}")))
}

impl AcceptanceRow {
    fn into_acceptance(self) -> Result<Acceptance> {
        let experts: Vec<String> = serde_json::from_str(&self.experts)
            .map_err(|e| StorageError::Corrupt(format!("acceptance {} experts: {e}", self.id)))?;
        Ok(Acceptance {
            id: self.id,
            record: NewAcceptance {
                company_code: self.company_code,
                city: City::from_code(&self.city_code)?,
                accepted_on: parse_date(&self.accepted_on)?,
                experts,
                grade: self.grade,
                findings: self.findings,
                rectify_by: self.rectify_by.as_deref().map(parse_date).transpose()?,
                recheck_on: self.recheck_on.as_deref().map(parse_date).transpose()?,
                recheck_grade: self.recheck_grade,
                recorded_by: self.recorded_by,
                recorded_at: self.recorded_at,
            },
        })
    }
}

/// Records an acceptance; returns it as stored, with its id.
pub fn insert(conn: &mut DbConnection, new: &NewAcceptance) -> Result<Acceptance> {
    let experts = serde_json::to_string(&new.experts).map_err(|e| StorageError::Corrupt(e.to_string()))?;
    let values = Insert {
        company_code: &new.company_code,
        city_code: new.city.code(),
        accepted_on: date_text(new.accepted_on),
        experts,
        grade: &new.grade,
        findings: &new.findings,
        rectify_by: new.rectify_by.map(date_text),
        recheck_on: new.recheck_on.map(date_text),
        recheck_grade: new.recheck_grade.as_deref(),
        recorded_by: &new.recorded_by,
        recorded_at: new.recorded_at,
    };
    let q = diesel::insert_into(acceptances::table).values(&values).returning(acceptances::id);
    let id: i64 = db_run!(conn: c => q.get_result(c)?);
    Ok(Acceptance { id, record: new.clone() })
}

/// Every stored acceptance (every version) of one city or all, by enterprise code, then `accepted_on`, then id.
pub fn list(conn: &mut DbConnection, city: Option<City>) -> Result<Vec<Acceptance>> {
    let mut q = acceptances::table.select(AcceptanceRow::as_select()).into_boxed();
    if let Some(city) = city {
        q = q.filter(acceptances::city_code.eq(city.code()));
    }
    let rows: Vec<AcceptanceRow> =
        q.order((acceptances::company_code.asc(), acceptances::accepted_on.asc(), acceptances::id.asc())).load(conn)?;
    rows.into_iter().map(AcceptanceRow::into_acceptance).collect()
}
