//! Pull state: per enterprise and table the watermark, per enterprise the outcome of the last attempt.

use crate::DbConnection;
use crate::backend::db_run;
use crate::schema::{enterprises, pull_status, pull_watermarks};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::upsert::excluded;
use domain::CompanyCode;
use std::collections::HashMap;

/// The newest `updateDate` (UTC) committed from each table of an enterprise's endpoint.
pub fn watermarks(conn: &mut DbConnection, company: &CompanyCode) -> QueryResult<HashMap<String, NaiveDateTime>> {
    let rows: Vec<(String, NaiveDateTime)> = pull_watermarks::table
        .filter(pull_watermarks::company_code.eq(company.as_str()))
        .select((pull_watermarks::table_name, pull_watermarks::watermark))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// Moves a watermark forward (never back).
pub fn advance(
    conn: &mut DbConnection,
    company: &CompanyCode,
    table: &str,
    to: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let company = company.as_str();
    use pull_watermarks::{company_code, table as t, table_name, updated_at, watermark};
    let current: Option<NaiveDateTime> = t.find((company, table)).select(watermark).first(conn).optional()?;
    match current {
        Some(at) if at >= to => Ok(()),
        Some(_) => {
            diesel::update(t.find((company, table))).set((watermark.eq(to), updated_at.eq(now))).execute(conn)?;
            Ok(())
        }
        None => {
            diesel::insert_into(t)
                .values((company_code.eq(company), table_name.eq(table), watermark.eq(to), updated_at.eq(now)))
                .execute(conn)?;
            Ok(())
        }
    }
}

/// The outcome of an enterprise's last pull attempt.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = pull_status)]
pub struct PullStatus {
    /// The enterprise.
    pub company_code: String,
    /// When the last attempt started (UTC).
    pub last_attempt_at: NaiveDateTime,
    /// When an attempt last completed every table (UTC).
    pub last_success_at: Option<NaiveDateTime>,
    /// The error of the last attempt, when it failed.
    pub last_error: Option<String>,
    /// Failed attempts in a row.
    pub consecutive_failures: i32,
    /// Records received in the last attempt.
    pub last_received: i32,
    /// Records accepted in the last attempt.
    pub last_accepted: i32,
    /// Records unchanged in the last attempt.
    pub last_unchanged: i32,
    /// Records held in the last attempt.
    pub last_pending: i32,
    /// Records rejected in the last attempt.
    pub last_rejected: i32,
}

/// Records the outcome of an attempt.
pub fn record(conn: &mut DbConnection, s: &PullStatus) -> QueryResult<()> {
    use pull_status::*;
    let set = (
        last_attempt_at.eq(excluded(last_attempt_at)),
        last_success_at.eq(excluded(last_success_at)),
        last_error.eq(excluded(last_error)),
        consecutive_failures.eq(excluded(consecutive_failures)),
        last_received.eq(excluded(last_received)),
        last_accepted.eq(excluded(last_accepted)),
        last_unchanged.eq(excluded(last_unchanged)),
        last_pending.eq(excluded(last_pending)),
        last_rejected.eq(excluded(last_rejected)),
    );
    db_run!(conn: c => diesel::insert_into(table).values(s).on_conflict(company_code).do_update().set(set).execute(c)?);
    Ok(())
}

/// The last outcome of one enterprise.
pub fn get(conn: &mut DbConnection, company: &CompanyCode) -> QueryResult<Option<PullStatus>> {
    pull_status::table.find(company.as_str()).select(PullStatus::as_select()).first(conn).optional()
}

/// The last outcome of every enterprise that has one.
pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<PullStatus>> {
    pull_status::table.order(pull_status::company_code.asc()).select(PullStatus::as_select()).load(conn)
}

/// An enterprise to pull: its code, endpoint, and cipher and key/IV when its answers are encrypted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The enterprise.
    pub company_code: String,
    /// The base URL.
    pub base_url: String,
    /// The key of the `datas` envelope, when configured.
    pub aes_key: Option<String>,
    /// The IV of the `datas` envelope, when configured.
    pub aes_iv: Option<String>,
    /// The cipher of the `datas` envelope: `aes128cbc` or `sm4cbc` ([`domain::client::Cipher`]).
    pub cipher: String,
}

/// Code, base URL, key, IV and cipher as read from the registry.
type EndpointRow = (String, Option<String>, Option<String>, Option<String>, String);

/// Every enterprise with an endpoint (or only `company`), by code.
pub fn endpoints(conn: &mut DbConnection, company: Option<&CompanyCode>) -> QueryResult<Vec<Endpoint>> {
    let mut q = enterprises::table
        .filter(enterprises::base_url.is_not_null())
        .select((
            enterprises::company_code,
            enterprises::base_url,
            enterprises::aes_key,
            enterprises::aes_iv,
            enterprises::cipher,
        ))
        .order(enterprises::company_code.asc())
        .into_boxed();
    if let Some(c) = company {
        q = q.filter(enterprises::company_code.eq(c.as_str().to_owned()));
    }
    let rows: Vec<EndpointRow> = q.load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(company_code, base, aes_key, aes_iv, cipher)| {
            base.map(|base_url| Endpoint { company_code, base_url, aes_key, aes_iv, cipher })
        })
        .collect())
}

/// Sets the endpoint and key of an enterprise (for the demo and tools; production uses the registry import).
pub fn set_endpoint(
    conn: &mut DbConnection,
    company: &CompanyCode,
    base_url: &str,
    aes_key: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(enterprises::table.find(company.as_str()))
        .set((
            enterprises::base_url.eq(Some(base_url)),
            enterprises::aes_key.eq(aes_key),
            enterprises::aes_iv.eq(None::<String>),
            enterprises::updated_at.eq(now),
        ))
        .execute(conn)
}
