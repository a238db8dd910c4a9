//! The current version of each record (`record_heads`) and parent lookups.

use crate::DbConnection;
use crate::backend::db_run;
use crate::schema::record_heads;
use chrono::NaiveDateTime;
use diesel::ExecuteCopyFromDsl;
use diesel::dsl::sql;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{Array, Bool, Nullable, Text, Timestamp};
use diesel::upsert::excluded;
use domain::{CompanyCode, ExchangeTable};
use std::collections::{HashMap, HashSet};

/// A `record_heads` row.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, QueryableByName, Selectable, Insertable)]
#[diesel(table_name = record_heads)]
// Never DEFAULT: SQLite then gets one multi-row upsert per chunk (see `versions::version_row`).
#[diesel(treat_none_as_default_value = false)]
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
    /// When the record's first version was accepted (UTC): the earliest receipt of any of its versions, which every
    /// upsert keeps (the earlier of the stored and the new one). `None` for a head written before migration 000020,
    /// whose first receipt is not known; it stays `None`.
    pub first_received_at: Option<NaiveDateTime>,
}

/// Query chunk for `IN (…)` lists.
const CHUNK: usize = 500;

/// The heads of the given ids of one table and enterprise.
pub fn load(
    conn: &mut DbConnection,
    table: ExchangeTable,
    company: &CompanyCode,
    ids: &[&str],
) -> QueryResult<HashMap<String, HeadRow>> {
    let mut out = HashMap::with_capacity(ids.len());
    // Backends differ: see `load_pg`; SQLite probes the key for an `IN` list by itself.
    if let DbConnection::Postgresql(pg) = conn {
        out.extend(load_pg(pg, table, company, ids)?.into_iter().map(|h| (h.record_id.clone(), h)));
        return Ok(out);
    }
    for chunk in ids.chunks(CHUNK) {
        let rows: Vec<HeadRow> = record_heads::table
            .filter(record_heads::table_name.eq(table.name()))
            .filter(record_heads::company_code.eq(company.as_str()))
            .filter(record_heads::record_id.eq_any(chunk))
            .select(HeadRow::as_select())
            .load(conn)?;
        out.extend(rows.into_iter().map(|h| (h.record_id.clone(), h)));
    }
    Ok(out)
}

/// Splits check record ids of one enterprise for reading their earlier versions: those whose head knows its
/// record's first receipt, with the earliest of these moments (every version of these records was received at or
/// after it), and the others (no head, or one written before its first receipt was kept). On SQLite every id is
/// among the others: its versions are not partitioned, and a time bound there only misleads the planner.
#[allow(clippy::type_complexity, reason = "three named parts, each used once by the caller")]
pub fn by_first_receipt(
    conn: &mut DbConnection,
    company: &CompanyCode,
    ids: Vec<String>,
) -> QueryResult<(Vec<String>, Option<NaiveDateTime>, Vec<String>)> {
    // Backends differ: only PostgreSQL partitions the versions by month of receipt.
    let DbConnection::Postgresql(pg) = conn else { return Ok((Vec::new(), None, ids)) };
    #[derive(QueryableByName)]
    struct Split {
        #[diesel(sql_type = Nullable<Timestamp>)]
        since: Option<NaiveDateTime>,
        #[diesel(sql_type = Nullable<Array<Text>>)]
        open: Option<Vec<String>>,
    }
    // One row, not 500 heads: the earliest known first receipt, and the ids without one in the order given. One probe
    // of the primary key per id, as in `load_pg`.
    // raw SQL: LATERAL, FILTER and the OFFSET 0 fence are not in diesel's DSL.
    let split: Split = diesel::sql_query(
        "SELECT min(h.first_received_at) AS since, \
         array_agg(k.id ORDER BY k.n) FILTER (WHERE h.first_received_at IS NULL) AS open \
         FROM unnest($3::text[]) WITH ORDINALITY AS k(id, n) LEFT JOIN LATERAL (SELECT first_received_at FROM record_heads \
         WHERE table_name = $1 AND record_id = k.id AND company_code = $2 OFFSET 0) AS h ON true",
    )
    .bind::<Text, _>(ExchangeTable::CheckRecord.name())
    .bind::<Text, _>(company.as_str())
    .bind::<Array<Text>, _>(&ids)
    .get_result(pg)?;
    let open = split.open.unwrap_or_default();
    let unknown: HashSet<&str> = open.iter().map(String::as_str).collect();
    let bounded = ids.iter().filter(|id| !unknown.contains(id.as_str())).cloned().collect();
    Ok((bounded, split.since, open))
}

/// [`load`] on PostgreSQL: one probe of the primary key per id, whatever the planner's statistics say. With
/// `record_id = ANY($ids)`, statistics older than the table (a database filled since its last ANALYZE, as every new
/// one is until autovacuum comes round) make the planner scan every head of the enterprise and filter the ids: 20 ms
/// a batch at 60,000 heads, growing with them. `OFFSET 0` keeps the subquery from being flattened into a join that
/// the planner could turn into the same scan.
fn load_pg(
    pg: &mut PgConnection,
    table: ExchangeTable,
    company: &CompanyCode,
    ids: &[&str],
) -> QueryResult<Vec<HeadRow>> {
    // raw SQL: LATERAL and the OFFSET 0 fence are not in diesel's DSL.
    diesel::sql_query(
        "SELECT h.table_name, h.company_code, h.record_id, h.natural_key, h.update_date, h.content_hash, h.deleted, \
         h.received_at, h.first_received_at FROM unnest($3::text[]) AS k(id) CROSS JOIN LATERAL (SELECT * FROM record_heads \
         WHERE table_name = $1 AND record_id = k.id AND company_code = $2 OFFSET 0) AS h",
    )
    .bind::<Text, _>(table.name())
    .bind::<Text, _>(company.as_str())
    .bind::<Array<Text>, _>(ids)
    .load(pg)
}

/// Of the given keys of a parent table, those known for this enterprise.
pub fn known_keys(
    conn: &mut DbConnection,
    table: ExchangeTable,
    company: &CompanyCode,
    keys: &[&str],
) -> QueryResult<HashSet<String>> {
    keys_of(conn, table, company.as_str(), keys, true)
}

/// Of the given keys of a parent table, those that name a record of another enterprise.
pub fn foreign_keys(
    conn: &mut DbConnection,
    table: ExchangeTable,
    company: &CompanyCode,
    keys: &[&str],
) -> QueryResult<HashSet<String>> {
    keys_of(conn, table, company.as_str(), keys, false)
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

/// Inserts or replaces heads with `INSERT … ON CONFLICT … DO UPDATE`: on SQLite one multi-row statement per chunk
/// (SQLite parses it since 3.24; diesel builds it as one statement because [`HeadRow`] never inserts `DEFAULT`; a
/// chunk binds 8 × 250 = 2,000 values, far under SQLite's limit of 32,766), on PostgreSQL one statement over arrays
/// (`upsert_pg`).
pub fn upsert(conn: &mut DbConnection, rows: &[HeadRow]) -> QueryResult<()> {
    use record_heads::*;
    // Backends differ: see `upsert_pg`.
    if let DbConnection::Postgresql(pg) = conn {
        return upsert_pg(pg, rows);
    }
    for chunk in rows.chunks(CHUNK / 2) {
        let set = (
            natural_key.eq(excluded(natural_key)),
            update_date.eq(excluded(update_date)),
            content_hash.eq(excluded(content_hash)),
            deleted.eq(excluded(deleted)),
            received_at.eq(excluded(received_at)),
            // SQLite's two-argument min() is NULL when either is: an unknown first receipt stays unknown.
            first_received_at.eq(diesel::dsl::sql::<diesel::sql_types::Nullable<diesel::sql_types::Timestamp>>(
                "min(record_heads.first_received_at, excluded.first_received_at)",
            )),
        );
        let q = diesel::insert_into(table).values(chunk).on_conflict((table_name, record_id, company_code));
        db_run!(conn: c => q.do_update().set(set).execute(c)?);
    }
    Ok(())
}

/// Inserts heads the caller knows are absent: it holds the enterprise's lock ([`crate::tx::lock_enterprise`]) and
/// has just loaded its heads, so no other writer can add them meanwhile. On PostgreSQL one binary `COPY`, cheaper
/// than an upsert's speculative insertion for every row; a head that exists after all fails the statement (a unique
/// violation) instead of being overwritten. On SQLite the same statement as [`upsert`].
pub fn insert_new(conn: &mut DbConnection, rows: &[HeadRow]) -> QueryResult<()> {
    match conn {
        _ if rows.is_empty() => Ok(()),
        // Backends differ: SQLite has no COPY, and its upsert costs no more than an insert.
        DbConnection::Postgresql(pg) => {
            diesel::copy_from(record_heads::table).from_insertable(rows).execute(pg).map(drop)
        }
        DbConnection::Sqlite(_) => upsert(conn, rows),
    }
}

/// [`upsert`] on PostgreSQL: every row in one statement over `unnest` of one array per column. Eight bound arrays
/// instead of 2,000 values a chunk: the statement is prepared once per connection and never planned for a new
/// number of parameters. Like the multi-row form, a statement must not name the same head twice.
fn upsert_pg(pg: &mut PgConnection, rows: &[HeadRow]) -> QueryResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let text = |f: fn(&HeadRow) -> &str| rows.iter().map(f).collect::<Vec<&str>>();
    let time = |f: fn(&HeadRow) -> NaiveDateTime| rows.iter().map(f).collect::<Vec<_>>();
    // raw SQL: an INSERT … SELECT from `unnest` of bound arrays is not in diesel's DSL.
    diesel::sql_query(
        "INSERT INTO record_heads (table_name, company_code, record_id, natural_key, update_date, content_hash, \
         deleted, received_at, first_received_at) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], \
         $4::text[], $5::timestamp[], $6::text[], $7::boolean[], $8::timestamp[], $9::timestamp[]) \
         ON CONFLICT (table_name, record_id, company_code) DO UPDATE SET natural_key = excluded.natural_key, \
         update_date = excluded.update_date, content_hash = excluded.content_hash, deleted = excluded.deleted, \
         received_at = excluded.received_at, first_received_at = CASE WHEN record_heads.first_received_at IS NULL \
         THEN NULL ELSE LEAST(record_heads.first_received_at, excluded.first_received_at) END",
    )
    .bind::<Array<Text>, _>(text(|h| &h.table_name))
    .bind::<Array<Text>, _>(text(|h| &h.company_code))
    .bind::<Array<Text>, _>(text(|h| &h.record_id))
    .bind::<Array<Text>, _>(text(|h| &h.natural_key))
    .bind::<Array<Timestamp>, _>(time(|h| h.update_date))
    .bind::<Array<Text>, _>(text(|h| &h.content_hash))
    .bind::<Array<Bool>, _>(rows.iter().map(|h| h.deleted).collect::<Vec<_>>())
    .bind::<Array<Timestamp>, _>(time(|h| h.received_at))
    .bind::<Array<Nullable<Timestamp>>, _>(rows.iter().map(|h| h.first_received_at).collect::<Vec<_>>())
    .execute(pg)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::connection::InstrumentationEvent;
    use diesel::sqlite::SqliteConnection;
    use diesel_migrations::MigrationHarness;
    use std::sync::{Arc, Mutex};

    /// SQLite gets one multi-row statement per chunk, not one statement per row.
    #[test]
    fn sqlite_upserts_a_chunk_in_one_statement() {
        let mut c = SqliteConnection::establish(":memory:").unwrap();
        c.run_pending_migrations(crate::conn::SQLITE_MIGRATIONS).unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        c.set_instrumentation(move |e: InstrumentationEvent<'_>| {
            if let InstrumentationEvent::StartQuery { query, .. } = e {
                log.lock().unwrap().push(query.to_string());
            }
        });
        let at = chrono::DateTime::from_timestamp(1_795_000_000, 0).unwrap().naive_utc();
        let rows: Vec<HeadRow> = (0..600)
            .map(|n| HeadRow {
                table_name: "check_record".into(),
                company_code: "140100001".into(),
                record_id: format!("{n:032x}"),
                natural_key: format!("{n:032x}"),
                update_date: at,
                content_hash: "h".into(),
                deleted: false,
                received_at: at,
                first_received_at: Some(at),
            })
            .collect();
        let mut conn = DbConnection::Sqlite(c);
        upsert(&mut conn, &rows).unwrap();
        upsert(&mut conn, &rows).unwrap();
        let statements = std::mem::take(&mut *seen.lock().unwrap());
        assert_eq!(statements.len(), 6, "600 rows twice: 3 chunks of at most 250, each one statement");
        assert!(statements.iter().all(|q| q.contains("ON CONFLICT") && q.contains("DO UPDATE")), "{statements:?}");
        let n: i64 = record_heads::table.count().get_result(&mut conn).unwrap();
        assert_eq!(n, 600);
    }
}
