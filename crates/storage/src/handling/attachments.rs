//! Files attached to actions, stored once by the SHA-256 of their content and served by
//! `GET /api/v1/attachments/{sha256}` to whoever may see a case that carries them.

use crate::schema::{attachment_uses, attachments, warning_cases};
use crate::{DbConnection, Result};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A file to attach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    /// Its name as the person gave it.
    pub name: String,
    /// Its media type.
    pub content_type: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// A file as a timeline row lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileRef {
    /// The SHA-256 of the content (lowercase hex).
    pub sha256: String,
    /// The name given.
    pub name: String,
    /// The media type.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
}

/// The SHA-256 of bytes, lowercase hex.
pub fn digest(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Stores a file unless the same content is stored, and records that `case_id` carries it; returns its reference.
pub fn put(conn: &mut DbConnection, case_id: i64, f: &NewFile, now: NaiveDateTime) -> Result<FileRef> {
    let sha256 = digest(&f.bytes);
    let size = i64::try_from(f.bytes.len()).unwrap_or(i64::MAX);
    let known: i64 = attachments::table.filter(attachments::sha256.eq(&sha256)).count().get_result(conn)?;
    if known == 0 {
        diesel::insert_into(attachments::table)
            .values((
                attachments::sha256.eq(&sha256),
                attachments::content_type.eq(&f.content_type),
                attachments::size.eq(size),
                attachments::content.eq(&f.bytes),
                attachments::stored_at.eq(now),
            ))
            .execute(conn)?;
    }
    let used = (attachment_uses::sha256.eq(&sha256), attachment_uses::case_id.eq(case_id));
    crate::backend::db_run!(conn: c => diesel::insert_into(attachment_uses::table)
        .values(used)
        .on_conflict_do_nothing()
        .execute(c)?);
    Ok(FileRef { sha256, name: f.name.clone(), content_type: f.content_type.clone(), size })
}

/// A stored file's media type and bytes.
pub fn get(conn: &mut DbConnection, sha256: &str) -> Result<Option<(String, Vec<u8>)>> {
    Ok(attachments::table
        .filter(attachments::sha256.eq(sha256))
        .select((attachments::content_type, attachments::content))
        .first(conn)
        .optional()?)
}

/// The (company, city) of every case that carries a file, so that the route can check scope (one indexed lookup).
pub fn carriers(conn: &mut DbConnection, sha256: &str) -> Result<Vec<(String, String)>> {
    let ids = attachment_uses::table.filter(attachment_uses::sha256.eq(sha256)).select(attachment_uses::case_id);
    Ok(warning_cases::table
        .filter(warning_cases::id.eq_any(ids))
        .select((warning_cases::company_code, warning_cases::city_code))
        .distinct()
        .load(conn)?)
}
