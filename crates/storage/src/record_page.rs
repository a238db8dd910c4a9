//! One record as stored (`GET /api/v1/records/{table}/{id}`): every version with its batch and time received, and
//! what is held of it. Read generically from the columns of `{table}_versions`, so that a column added by a later
//! migration shows without code here.

use crate::backend::db_run;
use crate::introspect::{ColumnInfo, ColumnKind, columns};
use crate::schema::{pending_records, record_heads};
use crate::{DbConnection, Result, StorageError};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::Text;
use domain::{CompanyCode, ExchangeTable, RecordId};
use serde_json::{Map, Value};

/// The enterprises that have a record of this table with this id (record ids are unique per enterprise only).
pub fn companies_of(conn: &mut DbConnection, table: ExchangeTable, id: &RecordId) -> Result<Vec<CompanyCode>> {
    let id = id.as_str();
    let mut out: Vec<String> = record_heads::table
        .filter(record_heads::table_name.eq(table.name()).and(record_heads::record_id.eq(id)))
        .select(record_heads::company_code)
        .load(conn)?;
    let held: Vec<String> = pending_records::table
        .filter(pending_records::table_name.eq(table.name()).and(pending_records::record_id.eq(id)))
        .select(pending_records::company_code)
        .load(conn)?;
    out.extend(held);
    out.sort();
    out.dedup();
    out.iter()
        .map(|c| CompanyCode::parse(c).map_err(|e| StorageError::Corrupt(format!("record_heads/pending_records: {e}"))))
        .collect()
}

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

/// Every stored version of one record of one enterprise, oldest first (by `updateDate`, then as stored), each as a
/// JSON object keyed by column name: times as stored (naive UTC, `YYYY-MM-DD HH:MM:SS[.ffffff]`), booleans as
/// booleans.
pub fn versions(
    conn: &mut DbConnection,
    table: ExchangeTable,
    company: &CompanyCode,
    id: &RecordId,
) -> Result<Vec<Map<String, Value>>> {
    let name = format!("{}_versions", table.name());
    let cols: Vec<ColumnInfo> = columns(conn)?.into_iter().filter(|c| c.table == name).collect();
    let pg = matches!(conn, DbConnection::Postgresql(_));
    let pairs: Vec<String> = cols
        .iter()
        .map(|c| match (c.kind, pg) {
            (ColumnKind::Timestamp, true) => format!("'{0}', to_char(\"{0}\", 'YYYY-MM-DD HH24:MI:SS.US')", c.name),
            _ => format!("'{0}', \"{0}\"", c.name),
        })
        .collect();
    let (object, cast, p1, p2) =
        if pg { ("json_build_object", "::text", "$1", "$2") } else { ("json_object", "", "?", "?") };
    let sql = format!(
        "SELECT {object}({}){cast} AS line FROM \"{name}\" WHERE company_code = {p1} AND record_id = {p2} \
         ORDER BY update_date, seq",
        pairs.join(", ")
    );
    // raw SQL: the columns are read from the catalog at run time, and diesel has no JSON object builder.
    let q = diesel::sql_query(sql).bind::<Text, _>(company.as_str()).bind::<Text, _>(id.as_str());
    let lines: Vec<Line> = db_run!(conn: c => q.load(c)?);
    lines
        .iter()
        .map(|l| {
            let mut row: Map<String, Value> = serde_json::from_str(&l.line)
                .map_err(|e| StorageError::Corrupt(format!("{name} of {company}/{id}: {e}")))?;
            for c in cols.iter().filter(|c| c.kind == ColumnKind::Bool) {
                if let Some(v) = row.get_mut(&c.name)
                    && let Some(n) = v.as_i64()
                {
                    *v = Value::Bool(n != 0);
                }
            }
            Ok(row)
        })
        .collect()
}

/// A version of a record held for a missing parent.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct HeldVersion {
    /// Its `updateDate`.
    pub update_date: NaiveDateTime,
    /// The batch it came in.
    pub batch_id: String,
    /// When it was received (UTC).
    pub received_at: NaiveDateTime,
    /// The parent table it waits for.
    pub parent_table: String,
    /// The parent's key.
    pub parent_key: String,
    /// The record as received (JSON).
    pub payload: String,
}

/// The versions of one record of one enterprise held for a missing parent.
pub fn held(
    conn: &mut DbConnection,
    table: ExchangeTable,
    company: &CompanyCode,
    id: &RecordId,
) -> Result<Vec<HeldVersion>> {
    Ok(pending_records::table
        .filter(pending_records::table_name.eq(table.name()))
        .filter(pending_records::company_code.eq(company.as_str()).and(pending_records::record_id.eq(id.as_str())))
        .order(pending_records::seq.asc())
        .select((
            pending_records::update_date,
            pending_records::batch_id,
            pending_records::received_at,
            pending_records::parent_table,
            pending_records::parent_key,
            pending_records::payload,
        ))
        .load(conn)?)
}
