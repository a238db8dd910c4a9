//! Records held until their parent arrives (`pending_records`): never dropped, re-checked when a parent is stored.

use crate::DbConnection;
use crate::schema::pending_records;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::{CompanyCode, ExchangeTable, RecordId};
use std::collections::HashMap;

/// A held record, to insert (and as stored, in [`PendingRow`]).
#[derive(Debug, Clone, Insertable, Queryable, Selectable)]
#[diesel(table_name = pending_records)]
pub struct NewPending {
    /// The record's table.
    pub table_name: String,
    /// The enterprise.
    pub company_code: String,
    /// The record id.
    pub record_id: String,
    /// Its `updateDate` (UTC).
    pub update_date: NaiveDateTime,
    /// Its content hash.
    pub content_hash: String,
    /// The batch that brought it.
    pub batch_id: String,
    /// When it was received (UTC).
    pub received_at: NaiveDateTime,
    /// The table of the missing parent.
    pub parent_table: String,
    /// The key of the missing parent.
    pub parent_key: String,
    /// The validated record as JSON (`domain::records::to_json`).
    pub payload: String,
}

/// A held record, as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = pending_records)]
pub struct PendingRow {
    /// Row id.
    pub seq: i64,
    /// The held record.
    #[diesel(embed)]
    pub held: NewPending,
}

/// The held versions of the given ids of one table and enterprise: id → (update date, hash).
pub fn load(
    conn: &mut DbConnection,
    table: ExchangeTable,
    company: &CompanyCode,
    ids: &[&str],
) -> QueryResult<HashMap<String, (NaiveDateTime, String)>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(String, NaiveDateTime, String)> = pending_records::table
            .filter(pending_records::table_name.eq(table.name()))
            .filter(pending_records::company_code.eq(company.as_str()))
            .filter(pending_records::record_id.eq_any(chunk))
            .select((pending_records::record_id, pending_records::update_date, pending_records::content_hash))
            .load(conn)?;
        out.extend(rows.into_iter().map(|(id, at, hash)| (id, (at, hash))));
    }
    Ok(out)
}

/// The held versions of one record.
macro_rules! versions_of {
    ($table:expr, $company:expr, $id:expr) => {
        pending_records::table
            .filter(pending_records::table_name.eq($table))
            .filter(pending_records::company_code.eq($company))
            .filter(pending_records::record_id.eq($id))
    };
}

/// Holds a record, replacing any older held version of the same id.
pub fn hold(conn: &mut DbConnection, row: &NewPending) -> QueryResult<()> {
    diesel::delete(versions_of!(&row.table_name, &row.company_code, &row.record_id)).execute(conn)?;
    diesel::insert_into(pending_records::table).values(row).execute(conn)?;
    Ok(())
}

/// Removes the held versions of a record.
pub fn remove(conn: &mut DbConnection, table: &str, company: &CompanyCode, id: &RecordId) -> QueryResult<usize> {
    diesel::delete(versions_of!(table, company.as_str(), id.as_str())).execute(conn)
}

/// Removes the held versions of a record that are not newer than `stored` (a version just stored directly).
pub fn remove_superseded(
    conn: &mut DbConnection,
    table: &str,
    company: &CompanyCode,
    id: &RecordId,
    stored: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::delete(versions_of!(table, company.as_str(), id.as_str()).filter(pending_records::update_date.le(stored)))
        .execute(conn)
}

/// The held records waiting for one of the given parent keys of a table.
pub fn waiting_for(
    conn: &mut DbConnection,
    company: &CompanyCode,
    parent_table: ExchangeTable,
    keys: &[&str],
) -> QueryResult<Vec<PendingRow>> {
    let mut out = Vec::new();
    for chunk in keys.chunks(500) {
        let rows: Vec<PendingRow> = pending_records::table
            .filter(pending_records::company_code.eq(company.as_str()))
            .filter(pending_records::parent_table.eq(parent_table.name()))
            .filter(pending_records::parent_key.eq_any(chunk))
            .order(pending_records::seq.asc())
            .select(PendingRow::as_select())
            .load(conn)?;
        out.extend(rows);
    }
    Ok(out)
}

/// Points a held record at its next missing parent.
pub fn retarget(conn: &mut DbConnection, seq: i64, parent_table: ExchangeTable, key: &str) -> QueryResult<()> {
    diesel::update(pending_records::table.find(seq))
        .set((pending_records::parent_table.eq(parent_table.name()), pending_records::parent_key.eq(key)))
        .execute(conn)?;
    Ok(())
}

/// How many records an enterprise has held (all of them when `company` is `None`).
pub fn count(conn: &mut DbConnection, company: Option<&CompanyCode>) -> QueryResult<i64> {
    let mut q = pending_records::table.into_boxed();
    if let Some(c) = company {
        q = q.filter(pending_records::company_code.eq(c.as_str()));
    }
    q.count().get_result(conn)
}
