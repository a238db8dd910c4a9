//! Group credentials (集团/园区, `docs/data-exchange.md` §12): one HTTP Basic account, named `group:<name>`, allowed
//! to push for a listed set of enterprises. The password is kept as an Argon2id hash only.

use crate::schema::{enterprises, push_group_members, push_groups};
use crate::{DbConnection, Result, StorageError};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::CompanyCode;
use thiserror::Error;

/// A group as listed: its name and members, never its password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The name (the part after `group:` in the Basic user name).
    pub name: String,
    /// The enterprises it may push for, by code.
    pub members: Vec<String>,
    /// When it last changed (UTC).
    pub updated_at: NaiveDateTime,
}

/// Why a group was not set.
#[derive(Debug, Error)]
pub enum GroupError {
    /// The name is not usable ([`valid_name`]).
    #[error("集团名称须为 2–64 个字符，不含冒号 / a group name has 2–64 characters and no colon: {0:?}")]
    BadName(String),
    /// The password is too short.
    #[error("{0}")]
    WeakPassword(String),
    /// A member is not a registered enterprise.
    #[error("企业 {0} 未登记 / enterprise {0} is not registered")]
    UnknownEnterprise(String),
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<diesel::result::Error> for GroupError {
    fn from(e: diesel::result::Error) -> Self {
        GroupError::Storage(e.into())
    }
}

/// Whether a group name is usable: 2–64 characters, no `:` (it ends the Basic user name), no control characters
/// and no surrounding spaces.
pub fn valid_name(name: &str) -> bool {
    (2..=64).contains(&name.chars().count())
        && !name.contains(':')
        && !name.chars().any(char::is_control)
        && name.trim() == name
}

/// Creates or replaces a group: its password (at least 12 characters) and its members, which must be registered.
pub fn set(
    conn: &mut DbConnection,
    name: &str,
    password: &str,
    members: &[CompanyCode],
    now: NaiveDateTime,
) -> std::result::Result<(), GroupError> {
    if !valid_name(name) {
        return Err(GroupError::BadName(name.to_owned()));
    }
    let hash = crate::passwords::hash(password).map_err(GroupError::WeakPassword)?;
    // It reads, then writes: a write transaction from the start (SQLite).
    crate::tx::write_transaction(conn, |conn| {
        let codes: Vec<&str> = members.iter().map(CompanyCode::as_str).collect();
        let known: Vec<String> = enterprises::table
            .filter(enterprises::company_code.eq_any(&codes))
            .select(enterprises::company_code)
            .load(conn)?;
        if let Some(unknown) = codes.iter().find(|c| !known.iter().any(|k| k == *c)) {
            return Err(GroupError::UnknownEnterprise((*unknown).to_owned()));
        }
        diesel::delete(push_group_members::table.filter(push_group_members::group_name.eq(name))).execute(conn)?;
        let updated = diesel::update(push_groups::table.find(name))
            .set((push_groups::password_hash.eq(&hash), push_groups::updated_at.eq(now)))
            .execute(conn)?;
        if updated == 0 {
            diesel::insert_into(push_groups::table)
                .values((
                    push_groups::name.eq(name),
                    push_groups::password_hash.eq(&hash),
                    push_groups::created_at.eq(now),
                    push_groups::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        for code in codes {
            diesel::insert_into(push_group_members::table)
                .values((push_group_members::group_name.eq(name), push_group_members::company_code.eq(code)))
                .execute(conn)?;
        }
        Ok(())
    })
}

/// Removes a group and its members; whether it existed.
pub fn remove(conn: &mut DbConnection, name: &str) -> Result<bool> {
    conn.transaction(|conn: &mut DbConnection| {
        diesel::delete(push_group_members::table.filter(push_group_members::group_name.eq(name))).execute(conn)?;
        Ok(diesel::delete(push_groups::table.find(name)).execute(conn)? > 0)
    })
}

/// Every group with its members, by name.
pub fn list(conn: &mut DbConnection) -> Result<Vec<Group>> {
    let groups: Vec<(String, NaiveDateTime)> =
        push_groups::table.select((push_groups::name, push_groups::updated_at)).order(push_groups::name).load(conn)?;
    let members: Vec<(String, String)> = push_group_members::table
        .select((push_group_members::group_name, push_group_members::company_code))
        .order((push_group_members::group_name, push_group_members::company_code))
        .load(conn)?;
    Ok(groups
        .into_iter()
        .map(|(name, updated_at)| {
            let members = members.iter().filter(|(g, _)| *g == name).map(|(_, c)| c.clone()).collect();
            Group { name, members, updated_at }
        })
        .collect())
}

/// The password hash and members of a group, for verifying a push (`None` when there is no such group).
pub fn credential(conn: &mut DbConnection, name: &str) -> Result<Option<(String, Vec<CompanyCode>)>> {
    let hash: Option<String> =
        push_groups::table.find(name).select(push_groups::password_hash).first(conn).optional()?;
    let Some(hash) = hash else { return Ok(None) };
    let codes: Vec<String> = push_group_members::table
        .filter(push_group_members::group_name.eq(name))
        .select(push_group_members::company_code)
        .order(push_group_members::company_code)
        .load(conn)?;
    let members = codes.iter().map(|c| CompanyCode::parse(c)).collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(Some((hash, members)))
}
