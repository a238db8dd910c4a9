//! Every batch received (push or pull), its problems and the raw JSON of its rejected records: the stored receipt.

use crate::DbConnection;
use crate::backend::db_run;
use crate::schema::{batch_errors, batch_rejects, batches, enterprises};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::{BatchId, City, CompanyCode};

/// A `batches` row: who sent what, when, with outcome counts.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = batches)]
pub struct BatchRow {
    /// The batch id.
    pub batch_id: String,
    /// The exchange table.
    pub table_name: String,
    /// The sending enterprise.
    pub company_code: String,
    /// `push` or `pull`.
    pub source: String,
    /// Who sent it (the token subject, `basic:<code>`, or `pull`).
    pub actor: String,
    /// When it was received (UTC).
    pub received_at: NaiveDateTime,
    /// Records in the batch.
    pub received: i32,
    /// Records stored as new versions.
    pub accepted: i32,
    /// Records identical to the stored version.
    pub unchanged: i32,
    /// Records held for their parent.
    pub pending: i32,
    /// Records rejected.
    pub rejected: i32,
}

/// A `batch_errors` row: one problem of one record (a rejection or a pending notice).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = batch_errors)]
// One multi-row INSERT on SQLite (see `versions::version_row`).
#[diesel(treat_none_as_default_value = false)]
pub struct BatchErrorRow {
    /// The batch id.
    pub batch_id: String,
    /// Order within the batch.
    pub ord: i32,
    /// The record's index in the batch.
    pub record_index: i32,
    /// The record id, when readable.
    pub record_id: Option<String>,
    /// The JSON path of the field.
    pub field: String,
    /// The stable code.
    pub code: String,
    /// The message, Chinese and English.
    pub message: String,
}

/// A `batch_rejects` row: the raw JSON of a rejected record.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = batch_rejects)]
pub struct RejectRow {
    /// The batch id.
    pub batch_id: String,
    /// The record's index in the batch.
    pub record_index: i32,
    /// The record as sent.
    pub raw: String,
}

/// A stored batch with its problems and rejected records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBatch {
    /// The batch.
    pub batch: BatchRow,
    /// Its problems, in order.
    pub errors: Vec<BatchErrorRow>,
    /// The raw JSON of its rejected records, by index.
    pub rejects: Vec<RejectRow>,
}

/// Stores a batch with its problems and rejected records (inside the caller's transaction).
pub fn insert(conn: &mut DbConnection, b: &StoredBatch) -> QueryResult<()> {
    diesel::insert_into(batches::table).values(&b.batch).execute(conn)?;
    for chunk in b.errors.chunks(200) {
        db_run!(conn: c => diesel::insert_into(batch_errors::table).values(chunk).execute(c)?);
    }
    for chunk in b.rejects.chunks(200) {
        db_run!(conn: c => diesel::insert_into(batch_rejects::table).values(chunk).execute(c)?);
    }
    Ok(())
}

/// One stored batch by id.
pub fn get(conn: &mut DbConnection, batch_id: &BatchId) -> QueryResult<Option<StoredBatch>> {
    let batch_id = batch_id.as_str();
    let Some(batch) = batches::table.find(batch_id).select(BatchRow::as_select()).first(conn).optional()? else {
        return Ok(None);
    };
    let errors = batch_errors::table
        .filter(batch_errors::batch_id.eq(batch_id))
        .order(batch_errors::ord.asc())
        .select(BatchErrorRow::as_select())
        .load(conn)?;
    let rejects = batch_rejects::table
        .filter(batch_rejects::batch_id.eq(batch_id))
        .order(batch_rejects::record_index.asc())
        .select(RejectRow::as_select())
        .load(conn)?;
    Ok(Some(StoredBatch { batch, errors, rejects }))
}

/// Which batches to list.
#[derive(Debug, Clone, Default)]
pub struct BatchFilter {
    /// Only this enterprise.
    pub company: Option<String>,
    /// Only enterprises of this city.
    pub city: Option<City>,
    /// Only batches received at or after this time (UTC).
    pub since: Option<NaiveDateTime>,
    /// At most this many, newest first.
    pub limit: i64,
}

/// Batches, newest first.
pub fn list(conn: &mut DbConnection, f: &BatchFilter) -> QueryResult<Vec<BatchRow>> {
    let mut q = batches::table.select(BatchRow::as_select()).into_boxed();
    if let Some(c) = &f.company {
        q = q.filter(batches::company_code.eq(c.clone()));
    }
    if let Some(city) = f.city {
        let codes = enterprises::table.filter(enterprises::city_code.eq(city.code())).select(enterprises::company_code);
        q = q.filter(batches::company_code.eq_any(codes));
    }
    if let Some(t) = f.since {
        q = q.filter(batches::received_at.ge(t));
    }
    q.order((batches::received_at.desc(), batches::batch_id.desc())).limit(f.limit.max(1)).load(conn)
}

/// Per enterprise and table, when a batch that stored new versions (accepted > 0) last arrived.
pub fn last_data(
    conn: &mut DbConnection,
    company: Option<&CompanyCode>,
) -> QueryResult<Vec<(String, String, NaiveDateTime)>> {
    use diesel::dsl::max;
    let mut q = batches::table
        .filter(batches::accepted.gt(0))
        .group_by((batches::company_code, batches::table_name))
        .select((batches::company_code, batches::table_name, max(batches::received_at)))
        .into_boxed();
    if let Some(c) = company {
        q = q.filter(batches::company_code.eq(c.as_str().to_owned()));
    }
    let rows: Vec<(String, String, Option<NaiveDateTime>)> = q.load(conn)?;
    Ok(rows.into_iter().filter_map(|(c, t, at)| at.map(|at| (c, t, at))).collect())
}

/// Per enterprise, records received and rejected in batches received at or after `since`.
pub fn reject_totals(conn: &mut DbConnection, since: NaiveDateTime) -> QueryResult<Vec<(String, i64, i64)>> {
    use diesel::dsl::sum;
    let rows: Vec<(String, Option<i64>, Option<i64>)> = batches::table
        .filter(batches::received_at.ge(since))
        .group_by(batches::company_code)
        .select((batches::company_code, sum(batches::received), sum(batches::rejected)))
        .load(conn)?;
    Ok(rows.into_iter().map(|(c, r, x)| (c, r.unwrap_or(0), x.unwrap_or(0))).collect())
}
