//! Held records as an enterprise and its supervisors see them (`GET /api/v1/exchange/pending`), the ones held too
//! long (the `held_records` warning), and their discard (`DELETE /api/v1/exchange/pending/{table}/{id}`): every held
//! version of a record moved from `pending_records` to `discarded_records` with who discarded it and when, in one
//! write transaction with its `records.discarded` event, so that nothing received is lost.

use crate::events::{self, NewEvent};
use crate::intake::Held;
use crate::lock::{LockKey, xact_lock};
use crate::schema::{discarded_records, enterprises, pending_records};
use crate::{DbConnection, Result};
use chrono::NaiveDateTime;
use diesel::dsl::{count_star, max, min};
use diesel::prelude::*;
use domain::{CompanyCode, ExchangeTable, RecordId};
use std::collections::BTreeMap;

/// The kind of the change-feed event a discard appends (`docs/integration.md`).
pub const DISCARDED_EVENT: &str = "records.discarded";

/// A held record as listed (its payload left out).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = pending_records)]
pub struct HeldRow {
    /// Row id.
    pub seq: i64,
    /// The record's table.
    pub table_name: String,
    /// The enterprise.
    pub company_code: String,
    /// The record id.
    pub record_id: String,
    /// Its `updateDate` (UTC).
    pub update_date: NaiveDateTime,
    /// The batch that brought it.
    pub batch_id: String,
    /// When it was received (UTC).
    pub received_at: NaiveDateTime,
    /// The table of the missing parent.
    pub parent_table: String,
    /// The key of the missing parent.
    pub parent_key: String,
}

/// Which held records to list: one enterprise, one city's enterprises, or all.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only this enterprise.
    pub company: Option<String>,
    /// Only enterprises of this city (GB/T 2260 code).
    pub city: Option<String>,
}

/// The held records matching a filter.
fn filtered(f: &Filter) -> pending_records::BoxedQuery<'static, crate::conn::MultiBackend> {
    let mut q = pending_records::table.into_boxed();
    if let Some(c) = &f.company {
        q = q.filter(pending_records::company_code.eq(c.clone()));
    }
    if let Some(city) = &f.city {
        let codes =
            enterprises::table.filter(enterprises::city_code.eq(city.clone())).select(enterprises::company_code);
        q = q.filter(pending_records::company_code.eq_any(codes));
    }
    q
}

/// Held records matching a filter, oldest received first, at most `limit` from `offset`.
pub fn list(conn: &mut DbConnection, f: &Filter, limit: i64, offset: i64) -> Result<Vec<HeldRow>> {
    Ok(filtered(f)
        .order((pending_records::received_at.asc(), pending_records::seq.asc()))
        .limit(limit)
        .offset(offset)
        .select(HeldRow::as_select())
        .load(conn)?)
}

/// How many held records match a filter, and when the oldest of them was received (UTC).
pub fn totals(conn: &mut DbConnection, f: &Filter) -> Result<(i64, Option<NaiveDateTime>)> {
    Ok(filtered(f).select((count_star(), min(pending_records::received_at))).get_result(conn)?)
}

/// Records held now that were received before `cutoff`, per enterprise (the `held_records` warning: `cutoff` is
/// three days before now).
pub fn received_before(conn: &mut DbConnection, cutoff: NaiveDateTime) -> Result<BTreeMap<String, Held>> {
    let rows: Vec<(String, i64, Option<NaiveDateTime>)> = pending_records::table
        .filter(pending_records::received_at.lt(cutoff))
        .group_by(pending_records::company_code)
        .select((pending_records::company_code, count_star(), min(pending_records::received_at)))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(company, n, oldest)| {
            Some((company, Held { records: u64::try_from(n).unwrap_or(0), oldest: oldest? }))
        })
        .collect())
}

/// A discarded version, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Insertable, Queryable, Selectable)]
#[diesel(table_name = discarded_records)]
pub struct DiscardedRow {
    /// Row id (numbered in discard order; not the held row's).
    pub seq: i64,
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
    /// The table of the parent that never came.
    pub parent_table: String,
    /// The key of that parent.
    pub parent_key: String,
    /// The validated record as JSON.
    pub payload: String,
    /// When it was discarded (UTC).
    pub discarded_at: NaiveDateTime,
    /// Who discarded it (the token's or the person's `sub`).
    pub discarded_by: String,
}

/// A discard asked for: the record, who asks, when, and the city of the event.
#[derive(Debug, Clone)]
pub struct Discard<'a> {
    /// The record's table.
    pub table: ExchangeTable,
    /// Its enterprise.
    pub company: &'a CompanyCode,
    /// Its id.
    pub id: &'a RecordId,
    /// Who discards it.
    pub by: &'a str,
    /// When (UTC).
    pub at: NaiveDateTime,
    /// The enterprise's city, for the event's scope.
    pub city_code: Option<&'a str>,
}

/// Moves every held version of one record of one enterprise to `discarded_records` and appends its
/// [`DISCARDED_EVENT`], in one write transaction serialised with the enterprise's batches (a push releasing the same
/// record waits, or is waited for). Returns the versions moved, oldest first; none when nothing was held (nothing is
/// written then).
pub fn discard(conn: &mut DbConnection, d: &Discard<'_>) -> Result<Vec<DiscardedRow>> {
    crate::tx::write_transaction(conn, |c| {
        crate::tx::lock_enterprise(c, d.company)?;
        // Rows are numbered here (held rows' ids can be reused on SQLite): one discard at a time draws them.
        xact_lock(c, LockKey::Table("discarded_records"))?;
        let held: Vec<crate::pending::PendingRow> = pending_records::table
            .filter(pending_records::table_name.eq(d.table.name()))
            .filter(pending_records::company_code.eq(d.company.as_str()))
            .filter(pending_records::record_id.eq(d.id.as_str()))
            .order(pending_records::seq.asc())
            .select(crate::pending::PendingRow::as_select())
            .load(c)?;
        let Some(last) = held.last() else { return Ok(Vec::new()) };
        let parent = (last.held.parent_table.clone(), last.held.parent_key.clone());
        let mut next = discarded_records::table.select(max(discarded_records::seq)).first::<Option<i64>>(c)?;
        let mut moved = Vec::with_capacity(held.len());
        for row in held {
            let seq = next.map_or(1, |n| n + 1);
            next = Some(seq);
            let h = row.held;
            let gone = DiscardedRow {
                seq,
                table_name: h.table_name,
                company_code: h.company_code,
                record_id: h.record_id,
                update_date: h.update_date,
                content_hash: h.content_hash,
                batch_id: h.batch_id,
                received_at: h.received_at,
                parent_table: h.parent_table,
                parent_key: h.parent_key,
                payload: h.payload,
                discarded_at: d.at,
                discarded_by: d.by.to_owned(),
            };
            diesel::insert_into(discarded_records::table).values(&gone).execute(c)?;
            diesel::delete(pending_records::table.find(row.seq)).execute(c)?;
            moved.push(gone);
        }
        let data = serde_json::json!({"table": d.table.name(), "id": d.id.as_str(), "versions": moved.len(),
            "parentTable": parent.0, "parentKey": parent.1, "discardedBy": d.by});
        events::append(c, &[NewEvent::new(DISCARDED_EVENT, d.city_code, Some(d.company), &data, d.at)])?;
        Ok(moved)
    })
}

/// The records an enterprise discarded, in discard order.
pub fn discarded(conn: &mut DbConnection, company: &CompanyCode) -> Result<Vec<DiscardedRow>> {
    Ok(discarded_records::table
        .filter(discarded_records::company_code.eq(company.as_str()))
        .order(discarded_records::seq.asc())
        .select(DiscardedRow::as_select())
        .load(conn)?)
}
