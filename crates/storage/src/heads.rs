//! The current version of each record (`record_heads`) and parent lookups.

use crate::DbConnection;
use crate::schema::record_heads;
use chrono::NaiveDateTime;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text, Timestamp};
use diesel::sqlite::Sqlite;
use diesel::upsert::excluded;
use domain::ExchangeTable;
use std::collections::{HashMap, HashSet};

/// A `record_heads` row.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = record_heads)]
pub struct HeadRow {
    /// The exchange table.
    pub table_name: String,
    /// The enterprise.
    pub company_code: String,
    /// The record id.
    pub record_id: String,
    /// The key children name the record by.
    pub natural_key: String,
    /// The current version's `updateDate` (UTC).
    pub update_date: NaiveDateTime,
    /// The current version's content hash.
    pub content_hash: String,
    /// Whether the current version is a deletion.
    pub deleted: bool,
    /// When the current version was accepted (UTC).
    pub received_at: NaiveDateTime,
}

/// Query chunk for `IN (…)` lists.
const CHUNK: usize = 500;

/// The heads of the given ids of one table and enterprise.
pub fn load(
    conn: &mut DbConnection,
    table: ExchangeTable,
    company: &str,
    ids: &[&str],
) -> QueryResult<HashMap<String, HeadRow>> {
    let mut out = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(CHUNK) {
        let rows: Vec<HeadRow> = record_heads::table
            .filter(record_heads::table_name.eq(table.name()))
            .filter(record_heads::company_code.eq(company))
            .filter(record_heads::record_id.eq_any(chunk))
            .select(HeadRow::as_select())
            .load(conn)?;
        out.extend(rows.into_iter().map(|h| (h.record_id.clone(), h)));
    }
    Ok(out)
}

/// Of the given keys of a parent table, those known for this enterprise.
pub fn known_keys(
    conn: &mut DbConnection,
    table: ExchangeTable,
    company: &str,
    keys: &[&str],
) -> QueryResult<HashSet<String>> {
    keys_of(conn, table, company, keys, true)
}

/// Of the given keys of a parent table, those that name a record of another enterprise.
pub fn foreign_keys(
    conn: &mut DbConnection,
    table: ExchangeTable,
    company: &str,
    keys: &[&str],
) -> QueryResult<HashSet<String>> {
    keys_of(conn, table, company, keys, false)
}

/// The keys found among records of this enterprise (`own`) or of any other. A hazard source is named by its
/// `hazardCode` (`natural_key`, indexed by `record_heads_hazard` for hazard sources only, hence the literal table
/// name the planner needs to use a partial index); a record of any other table by its id, which is its key.
fn keys_of(
    conn: &mut DbConnection,
    table: ExchangeTable,
    company: &str,
    keys: &[&str],
    own: bool,
) -> QueryResult<HashSet<String>> {
    let mut out = HashSet::new();
    for chunk in keys.chunks(CHUNK) {
        let q = if table == ExchangeTable::HazardSource {
            record_heads::table
                .filter(sql::<Bool>("table_name = 'hazard_source'"))
                .filter(record_heads::natural_key.eq_any(chunk))
                .select(record_heads::natural_key)
                .into_boxed()
        } else {
            record_heads::table
                .filter(record_heads::table_name.eq(table.name()))
                .filter(record_heads::record_id.eq_any(chunk))
                .select(record_heads::record_id)
                .into_boxed()
        };
        let q = if own {
            q.filter(record_heads::company_code.eq(company))
        } else {
            q.filter(record_heads::company_code.ne(company))
        };
        out.extend(q.load::<String>(conn)?);
    }
    Ok(out)
}

/// Inserts or replaces heads.
pub fn upsert(conn: &mut DbConnection, rows: &[HeadRow]) -> QueryResult<()> {
    use record_heads::*;
    for chunk in rows.chunks(CHUNK / 2) {
        let set = (
            natural_key.eq(excluded(natural_key)),
            update_date.eq(excluded(update_date)),
            content_hash.eq(excluded(content_hash)),
            deleted.eq(excluded(deleted)),
            received_at.eq(excluded(received_at)),
        );
        // One multi-row statement per chunk on both backends.
        match conn {
            DbConnection::Sqlite(c) => sqlite_upsert(chunk).execute(c)?,
            DbConnection::Postgresql(c) => diesel::insert_into(table)
                .values(chunk)
                .on_conflict((table_name, record_id, company_code))
                .do_update()
                .set(set)
                .execute(c)?,
        };
    }
    Ok(())
}

/// The multi-row upsert of heads as SQL with bound values: diesel builds a multi-row `INSERT … ON CONFLICT` for
/// PostgreSQL but not for SQLite (it would run one statement per row, 500 statements a batch), although SQLite
/// parses it (since 3.24).
fn sqlite_upsert(
    rows: &[HeadRow],
) -> diesel::query_builder::BoxedSqlQuery<'_, Sqlite, diesel::query_builder::SqlQuery> {
    let mut sql = String::with_capacity(200 + rows.len() * 26);
    sql.push_str(
        "INSERT INTO record_heads (table_name, company_code, record_id, natural_key, update_date, content_hash, \
         deleted, received_at) VALUES ",
    );
    for i in 0..rows.len() {
        sql.push_str(if i == 0 { "(?, ?, ?, ?, ?, ?, ?, ?)" } else { ", (?, ?, ?, ?, ?, ?, ?, ?)" });
    }
    sql.push_str(
        " ON CONFLICT (table_name, record_id, company_code) DO UPDATE SET natural_key = excluded.natural_key, \
         update_date = excluded.update_date, content_hash = excluded.content_hash, deleted = excluded.deleted, \
         received_at = excluded.received_at",
    );
    let mut q = diesel::sql_query(sql).into_boxed::<Sqlite>();
    for r in rows {
        q = q
            .bind::<Text, _>(&r.table_name)
            .bind::<Text, _>(&r.company_code)
            .bind::<Text, _>(&r.record_id)
            .bind::<Text, _>(&r.natural_key)
            .bind::<Timestamp, _>(r.update_date)
            .bind::<Text, _>(&r.content_hash)
            .bind::<Bool, _>(r.deleted)
            .bind::<Timestamp, _>(r.received_at);
    }
    q
}
