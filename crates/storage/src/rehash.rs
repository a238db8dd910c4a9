//! The upgrade to SHA-256 content hashes. Releases before it stored FNV-1a (64 bits, 16 hex digits) in
//! `record_heads.content_hash` and `pending_records.content_hash`; a collision of so short a hash would turn a changed
//! record into `unchanged`. The first start of this release recomputes every old hash ([`run`]):
//!
//! - a head from its current version, read back from `<table>_versions` ([`crate::rebuild`]),
//! - a held record from its JSON (`pending_records.payload`);
//!
//! in both cases the old hash of the record read back is compared with the stored one, so a stored form that does
//! not give back what was hashed is counted and logged ([`Rehashed::mismatched`]); it is rehashed from what is stored
//! all the same.
//!
//! It works in chunks of [`CHUNK`], each read and written in one write transaction, and writes a new hash only where
//! the old one is still stored, so a writer meanwhile loses nothing. Rows still holding an old hash are what is left
//! to do: a run that is interrupted resumes at the next start. When every table is done the step is marked in
//! `upgrade_steps` ([`STEP`]), and later starts skip it at the cost of one query. A hash left in the old form is still
//! compared in that form ([`same_content`]).

use crate::backend::{db_run, values_placeholders};
use crate::rebuild::StoredVersion;
use crate::schema::{pending_records, record_heads, upgrade_steps};
use crate::tx::write_transaction;
use crate::versions::*;
use crate::{DbConnection, Result};
use diesel::prelude::*;
use diesel::sql_types::Text;
use domain::ExchangeTable;
use domain::records::{self, Record};
use std::time::Instant;

/// The name of this step in `upgrade_steps`.
pub const STEP: &str = "content_hash_sha256";

/// Heads or held records per transaction.
pub const CHUNK: i64 = 1_000;

/// The length of an old (FNV-1a, 64-bit) hash in hex digits.
const OLD_LEN: i32 = 16;

diesel::define_sql_function! {
    /// The length of a text, in characters (`length` on both backends).
    fn length(x: diesel::sql_types::Text) -> diesel::sql_types::Integer;
}

/// What a run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rehashed {
    /// Heads given a SHA-256 hash.
    pub heads: u64,
    /// Held records given a SHA-256 hash.
    pub pending: u64,
    /// Heads (or held records) whose stored version (JSON) does not give back the stored old hash: rehashed from
    /// what is stored.
    pub mismatched: u64,
    /// Rows left with an old hash: a head whose current version is missing or unreadable, a held record whose JSON
    /// does not read. Logged; they are still compared in the old form ([`same_content`]).
    pub left: i64,
}

/// The content hash of releases before SHA-256: FNV-1a, 64 bits, over the record's canonical JSON, in 16 hex digits.
pub fn old_hash(record: &Record) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in records::to_json(record).bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Whether `record` is the one a stored content hash was computed from. A hash still in the old form (a head whose
/// version could not be read back, or one written by an instance of the previous release still running during the
/// upgrade) is compared in its own form, so that an identical resend stays `unchanged`.
pub fn same_content(stored: &str, record: &Record) -> bool {
    if stored.len() == OLD_LEN as usize { stored == old_hash(record) } else { stored == record.content_hash() }
}

/// Recomputes every old content hash, unless this step is marked done; `None` when it was. See the module
/// documentation.
pub fn run(conn: &mut DbConnection) -> Result<Option<Rehashed>> {
    let done: i64 = upgrade_steps::table.filter(upgrade_steps::name.eq(STEP)).count().get_result(conn)?;
    if done > 0 {
        return Ok(None);
    }
    let started = Instant::now();
    // Backends differ: PostgreSQL plans the page query by its statistics, and without them (a database just restored
    // from a dump) reads the whole table for every page; SQLite keeps none unless asked and needs none here.
    if let DbConnection::Postgresql(pg) = conn {
        let versions: Vec<String> = ExchangeTable::ALL.iter().map(|t| format!("{}_versions", t.name())).collect();
        // raw SQL: ANALYZE is not in diesel's DSL.
        diesel::sql_query(format!("ANALYZE record_heads, pending_records, {}", versions.join(", "))).execute(pg)?;
    }
    let mut out = Rehashed::default();
    for table in ExchangeTable::ALL {
        heads_of(conn, table, &mut out)?;
    }
    held(conn, &mut out)?;
    let old_heads: i64 =
        record_heads::table.filter(length(record_heads::content_hash).eq(OLD_LEN)).count().get_result(conn)?;
    let old_held: i64 =
        pending_records::table.filter(length(pending_records::content_hash).eq(OLD_LEN)).count().get_result(conn)?;
    out.left = old_heads + old_held;
    if out.left > 0 {
        tracing::warn!(heads = old_heads, held = old_held, "content hashes left in the old form");
    }
    let mark = diesel::insert_into(upgrade_steps::table)
        .values((upgrade_steps::name.eq(STEP), upgrade_steps::done_at.eq(diesel::dsl::now)))
        .on_conflict(upgrade_steps::name)
        .do_nothing();
    db_run!(conn: c => mark.execute(c)?);
    if out.heads + out.pending > 0 {
        tracing::info!(
            heads = out.heads,
            held = out.pending,
            mismatched = out.mismatched,
            left = out.left,
            seconds = started.elapsed().as_secs_f64(),
            "content hashes upgraded to SHA-256"
        );
    }
    Ok(Some(out))
}

/// A head: its id, enterprise and stored hash.
type Head = (String, String, String);

/// The heads of one table after a head key (`record_id`, `company_code`), in key order, each with its current version
/// rebuilt (several rows per head if several versions share its `updateDate`, in `seq` order).
type Page = Vec<(Head, Result<Record>)>;

/// Loads a page of heads of `$table` joined to their current versions in `$versions`, read as `$row`.
macro_rules! page {
    ($c:expr, $table:expr, $after:expr, $versions:ident, $row:ty) => {{
        use crate::schema::$versions as v;
        use record_heads as h;
        let (id, company) = $after;
        let rows: Vec<(Head, $row)> = h::table
            .inner_join(
                v::table.on(v::company_code
                    .eq(h::company_code)
                    .and(v::record_id.eq(h::record_id))
                    .and(v::update_date.eq(h::update_date))),
            )
            .filter(h::table_name.eq($table.name()))
            // Keyset paging on the key (table_name, record_id, company_code): the first term bounds the index range.
            // Heads already rehashed are skipped by the caller, not here: a filter on the hash makes PostgreSQL
            // scan the whole table for each page instead of walking the key.
            .filter(h::record_id.ge(id).and(h::record_id.gt(id).or(h::company_code.gt(company))))
            .order((h::record_id.asc(), h::company_code.asc(), v::seq.asc()))
            .select(((h::record_id, h::company_code, h::content_hash), <$row>::as_select()))
            .limit(CHUNK)
            .load($c)?;
        rows.into_iter().map(|(head, row)| (head, row.into_record())).collect::<Page>()
    }};
}

/// One page of a table's heads.
fn load(c: &mut DbConnection, table: ExchangeTable, after: (&str, &str)) -> Result<Page> {
    Ok(match table {
        ExchangeTable::HazardSource => page!(c, table, after, hazard_source_versions, HazardSourceRow),
        ExchangeTable::RiskUnit => page!(c, table, after, risk_unit_versions, RiskUnitRow),
        ExchangeTable::RiskEvent => page!(c, table, after, risk_event_versions, RiskEventRow),
        ExchangeTable::ControlMeasure => page!(c, table, after, control_measure_versions, ControlMeasureRow),
        ExchangeTable::CheckTask => page!(c, table, after, check_task_versions, CheckTaskRow),
        ExchangeTable::CheckRecord => page!(c, table, after, check_record_versions, CheckRecordRow),
        ExchangeTable::Danger => page!(c, table, after, danger_versions, DangerRow),
        ExchangeTable::UnitStop => page!(c, table, after, unit_stop_versions, UnitStopRow),
    })
}

/// Rehashes the heads of one table, page by page.
fn heads_of(conn: &mut DbConnection, table: ExchangeTable, out: &mut Rehashed) -> Result<()> {
    let mut after = (String::new(), String::new());
    loop {
        let next = write_transaction(conn, |c| -> Result<Option<(String, String)>> {
            let mut page = load(c, table, (&after.0, &after.1))?;
            let Some(((last_id, last_company, _), _)) = page.last() else { return Ok(None) };
            let last = (last_id.clone(), last_company.clone());
            // A full page may have cut the last head's versions short: that head starts the next page.
            if page.len() as i64 == CHUNK && page.iter().any(|((id, co, _), _)| (id, co) != (&last.0, &last.1)) {
                page.retain(|((id, co, _), _)| (id, co) != (&last.0, &last.1));
            }
            let mut resume = last;
            let mut rehashed = Vec::with_capacity(page.len());
            for (i, ((id, company, stored), record)) in page.iter().enumerate() {
                resume = (id.clone(), company.clone());
                let newest = page.get(i + 1).is_none_or(|((n, co, _), _)| (n, co) != (id, company));
                if !newest || stored.len() != OLD_LEN as usize {
                    continue; // an older version with the same updateDate, or a head rehashed already
                }
                let record = match record {
                    Ok(r) => r,
                    Err(e) => {
                        tracing::warn!(table = table.name(), company, id, error = %e, "head version unreadable");
                        continue;
                    }
                };
                if old_hash(record) != *stored {
                    out.mismatched += 1;
                    tracing::warn!(table = table.name(), company, id, "stored version differs from what was hashed");
                }
                rehashed.push((id.as_str(), company.as_str(), stored.as_str(), record.content_hash()));
            }
            out.heads += set_head_hashes(c, table, &rehashed)?;
            Ok(Some(resume))
        })?;
        match next {
            Some(key) => after = key,
            None => return Ok(()),
        }
    }
}

/// Heads per UPDATE statement (4 bound values each).
const UPDATE_ROWS: usize = 250;

/// Writes the new hashes of heads of one table, each only where its old hash is still stored: (id, enterprise, old
/// hash, new hash). Returns how many heads were written.
fn set_head_hashes(c: &mut DbConnection, table: ExchangeTable, rows: &[(&str, &str, &str, String)]) -> Result<u64> {
    let mut n = 0;
    for chunk in rows.chunks(UPDATE_ROWS) {
        // raw SQL: diesel has no `UPDATE … FROM (VALUES …)`, one statement per chunk instead of one per head (five
        // times faster on PostgreSQL). `column1`… are the names both backends give the columns of a VALUES list.
        let sql = format!(
            "UPDATE record_heads SET content_hash = v.column4 FROM (VALUES {}) AS v \
             WHERE record_heads.table_name = '{}' AND record_heads.record_id = v.column1 \
             AND record_heads.company_code = v.column2 AND record_heads.content_hash = v.column3",
            values_placeholders(c, chunk.len(), 4),
            table.name()
        );
        n += db_run!(c: c => {
            let mut q = diesel::sql_query(sql).into_boxed();
            for (id, company, old, new) in chunk {
                q = q.bind::<Text, _>(*id).bind::<Text, _>(*company).bind::<Text, _>(*old).bind::<Text, _>(new.as_str());
            }
            q.execute(c)?
        });
    }
    Ok(n as u64)
}

/// Rehashes the held records, page by page.
fn held(conn: &mut DbConnection, out: &mut Rehashed) -> Result<()> {
    use pending_records as p;
    let mut after = 0i64;
    loop {
        let next = write_transaction(conn, |c| -> Result<Option<i64>> {
            let page: Vec<(i64, String, String)> = p::table
                .filter(p::seq.gt(after))
                .order(p::seq.asc())
                .select((p::seq, p::content_hash, p::payload))
                .limit(CHUNK)
                .load(c)?;
            for (seq, stored, payload) in page.iter().filter(|(_, stored, _)| stored.len() == OLD_LEN as usize) {
                let Ok(record) = records::from_json(payload) else {
                    tracing::warn!(seq, "held record unreadable");
                    continue;
                };
                if old_hash(&record) != *stored {
                    out.mismatched += 1;
                    tracing::warn!(seq, "held record differs from what was hashed");
                }
                let n = diesel::update(p::table.find(seq).filter(p::content_hash.eq(stored)))
                    .set(p::content_hash.eq(record.content_hash()))
                    .execute(c)?;
                out.pending += n as u64;
            }
            Ok(page.last().map(|(seq, _, _)| *seq))
        })?;
        match next {
            Some(seq) => after = seq,
            None => return Ok(()),
        }
    }
}
