//! Photos carried by exchange records (`dangerImg`, `dangerAcceptImg`, `attachments1`–`3` of a danger): each stored
//! once in `attachments` by the SHA-256 of its bytes, and linked in `record_attachments` to every (enterprise, table,
//! record, field) that carried it, in the transaction of the record's version. The record itself keeps
//! `sha256:<hex>` in the photo's place (`domain::photos`). `GET /api/v1/attachments/{sha256}` serves a photo to
//! whoever may see one of the enterprises whose records carry it ([`carriers`]).

use crate::backend::db_run;
use crate::schema::{attachments, danger_versions, enterprises, record_attachments};
use crate::{DbConnection, Result};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::{CompanyCode, ExchangeTable};
use std::collections::{HashMap, HashSet};

/// A photo to store.
#[derive(Debug, Clone, Copy)]
pub struct File<'a> {
    /// The SHA-256 of the bytes (64 lowercase hex digits).
    pub sha256: &'a str,
    /// The media type (`image/jpeg`, `image/png`).
    pub content_type: &'a str,
    /// The bytes.
    pub bytes: &'a [u8],
}

/// One record field carrying a photo.
#[derive(Debug, Clone, Copy)]
pub struct Link<'a> {
    /// The photo's SHA-256.
    pub sha256: &'a str,
    /// The record id.
    pub record_id: &'a str,
    /// The wire field (`dangerImg`, …).
    pub field: &'a str,
}

/// Stores the files whose content is not stored yet (one query for the batch, then one insert per new file, which
/// another writer may have stored meanwhile: kept as it is). Returns how many were new.
pub fn put_files(conn: &mut DbConnection, files: &[File<'_>], now: NaiveDateTime) -> Result<usize> {
    if files.is_empty() {
        return Ok(0);
    }
    let wanted: Vec<&str> = files.iter().map(|f| f.sha256).collect();
    let known: HashSet<String> = attachments::table
        .filter(attachments::sha256.eq_any(&wanted))
        .select(attachments::sha256)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let mut seen = HashSet::new();
    let mut stored = 0;
    for f in files.iter().filter(|f| !known.contains(f.sha256) && seen.insert(f.sha256)) {
        let row = (
            attachments::sha256.eq(f.sha256),
            attachments::content_type.eq(f.content_type),
            attachments::size.eq(i64::try_from(f.bytes.len()).unwrap_or(i64::MAX)),
            attachments::content.eq(f.bytes),
            attachments::stored_at.eq(now),
        );
        stored += db_run!(conn: c => diesel::insert_into(attachments::table)
            .values(row)
            .on_conflict_do_nothing()
            .execute(c)?);
    }
    Ok(stored)
}

/// Links photos to the fields of records of one enterprise and table (a link already there is kept).
pub fn link(conn: &mut DbConnection, company: &CompanyCode, table: ExchangeTable, links: &[Link<'_>]) -> Result<()> {
    for l in links {
        let row = (
            record_attachments::sha256.eq(l.sha256),
            record_attachments::company_code.eq(company.as_str()),
            record_attachments::table_name.eq(table.name()),
            record_attachments::record_id.eq(l.record_id),
            record_attachments::field.eq(l.field),
        );
        db_run!(conn: c => diesel::insert_into(record_attachments::table)
            .values(row)
            .on_conflict_do_nothing()
            .execute(c)?);
    }
    Ok(())
}

/// The (enterprise, city) of every registered enterprise whose records carry a file, so that the route can check
/// scope.
pub fn carriers(conn: &mut DbConnection, sha256: &str) -> Result<Vec<(String, String)>> {
    let companies = record_attachments::table
        .filter(record_attachments::sha256.eq(sha256))
        .select(record_attachments::company_code);
    Ok(enterprises::table
        .filter(enterprises::company_code.eq_any(companies))
        .select((enterprises::company_code, enterprises::city_code))
        .load(conn)?)
}

/// The photos the latest stored version of each of one enterprise's dangers refers to: (field, SHA-256) by record
/// id, in the order of `domain::photos::FIELDS` (dangers without stored photos are left out).
pub fn danger_photos(
    conn: &mut DbConnection,
    company: &CompanyCode,
    ids: &[String],
) -> Result<HashMap<String, Vec<(&'static str, String)>>> {
    use danger_versions as d;
    let rows: Vec<(String, Option<String>)> = d::table
        .filter(d::company_code.eq(company.as_str()).and(d::record_id.eq_any(ids)))
        .order((d::record_id.asc(), d::update_date.asc(), d::seq.asc()))
        .select((d::record_id, d::extra))
        .load(conn)?;
    // Rows are oldest first: the last one of an id is its latest version.
    let mut latest: HashMap<String, Option<String>> = HashMap::new();
    for (id, extra) in rows {
        latest.insert(id, extra);
    }
    Ok(latest
        .into_iter()
        .filter_map(|(id, extra)| {
            let refs = domain::photos::references(extra.as_deref()?);
            (!refs.is_empty()).then_some((id, refs))
        })
        .collect())
}

/// How many files and links are stored, and the bytes of the files (for `dualprev bench --only photos`).
pub fn totals(conn: &mut DbConnection) -> Result<(i64, i64, i64)> {
    let sizes: Vec<i64> = attachments::table.select(attachments::size).load(conn)?;
    let links: i64 = record_attachments::table.count().get_result(conn)?;
    Ok((i64::try_from(sizes.len()).unwrap_or(i64::MAX), links, sizes.iter().sum()))
}
