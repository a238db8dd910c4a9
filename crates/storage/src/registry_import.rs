//! `dualprev registry import FILE.csv`: adds or updates enterprises, reports each bad row and changes nothing for it.
//!
//! Columns (header names, any order): `companyCode`, `name`, `cityCode` are required; `cityName`, `batch`, `flags`,
//! `tyshxydm`, `baseUrl`, `aesKey`, `aesIv`, `basicPassword`, `profile`, `cipher`, `baseSecret` are optional. The CSV that `registry list --format csv` prints is a valid
//! import file. See `docs/registry.md` for the rules.

use crate::registry::EnterpriseRow;
use crate::schema::{batches, enterprises, pending_records};
use crate::{DbConnection, Result};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::{City, CompanyCode, ConstructionBatch, CreditCode, DomainError, EnterpriseFlag};
use std::collections::HashSet;

const KNOWN: [&str; 14] = [
    "companyCode",
    "name",
    "cityCode",
    "cityName",
    "batch",
    "flags",
    "tyshxydm",
    "baseUrl",
    "aesKey",
    "aesIv",
    "basicPassword",
    "profile",
    "cipher",
    "baseSecret",
];

/// The cell of `baseSecret` that removes an enterprise's secret base address.
pub const REVOKE: &str = "-";
/// The shortest secret base address, in characters.
pub const SECRET_MIN: usize = 32;

/// One valid row of an import file.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    /// The line in the file (the header is line 1).
    pub line: usize,
    /// The enterprise code.
    pub code: CompanyCode,
    /// The name.
    pub name: String,
    /// The city.
    pub city: City,
    /// The batch, when the column is present.
    pub batch: Option<ConstructionBatch>,
    /// Whether the enterprise is not connected, when the `flags` column is present.
    pub not_connected: Option<bool>,
    /// The credit code, when given.
    pub credit_code: Option<CreditCode>,
    /// The pull base URL, when given.
    pub base_url: Option<String>,
    /// The AES key, when given.
    pub aes_key: Option<String>,
    /// The AES IV, when given.
    pub aes_iv: Option<String>,
    /// The Argon2 hash of the HTTP Basic password, when one was given (the password itself is never stored).
    pub basic_password_hash: Option<String>,
    /// The answer profile, when given.
    pub profile: Option<domain::client::Profile>,
    /// The `datas` cipher, when given.
    pub cipher: Option<domain::client::Cipher>,
    /// The secret base address: `Some(Some(hash))` sets or rotates it, `Some(None)` revokes it (cell `-`).
    pub base_secret: Option<Option<String>>,
}

/// A secret base address: at least [`SECRET_MIN`] characters of `A–Z a–z 0–9 - _` (it is one path segment);
/// stored as its SHA-256. [`REVOKE`] removes it.
fn check_secret(line: usize, v: &str) -> Result<Option<String>, RowError> {
    if v == REVOKE {
        return Ok(None);
    }
    if v.len() >= SECRET_MIN && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        Ok(Some(crate::registry::base_secret_hash(v)))
    } else {
        Err(row_error(
            line,
            "bad_secret",
            format!(
                "baseSecret 须为至少 {SECRET_MIN} 个字母、数字、- 或 _（或 - 表示撤销）/ baseSecret must be at least \
                 {SECRET_MIN} letters, digits, - or _ (or - to revoke)"
            ),
        ))
    }
}

/// A row that was refused, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The line in the file (the header is line 1; 0 for the file as a whole).
    pub line: usize,
    /// A stable snake_case code.
    pub code: &'static str,
    /// The reason, in Chinese and English.
    pub message: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Enterprises added.
    pub added: Vec<String>,
    /// Enterprises whose row changed.
    pub updated: Vec<String>,
    /// Provisional codes replaced: (old, new).
    pub rekeyed: Vec<(String, String)>,
    /// Rows identical to what was stored.
    pub unchanged: usize,
    /// Rows refused.
    pub errors: Vec<RowError>,
}

fn row_error(line: usize, code: &'static str, message: String) -> RowError {
    RowError { line, code, message }
}

fn domain_error(line: usize, e: DomainError) -> RowError {
    row_error(line, e.code().as_str(), e.to_string())
}

/// An AES-128 key or IV: 16 ASCII characters, used as its bytes.
fn check_key(line: usize, field: &str, v: &str) -> Result<String, RowError> {
    if v.len() == 16 && v.is_ascii() {
        Ok(v.to_owned())
    } else {
        Err(row_error(
            line,
            "bad_key",
            format!("{field} 必须为 16 个 ASCII 字符 / {field} must be 16 ASCII characters"),
        ))
    }
}

/// Parses an import file: the valid rows, and an error for each bad row (or for the file when its header is bad).
pub fn parse(text: &str) -> (Vec<ImportRow>, Vec<RowError>) {
    let mut reader =
        csv::ReaderBuilder::new().flexible(false).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_owned()).collect(),
        Err(e) => {
            return (vec![], vec![row_error(0, "bad_file", format!("无法读取表头 / cannot read the header: {e}"))]);
        }
    };
    let unknown: Vec<&String> = header.iter().filter(|h| !KNOWN.contains(&h.as_str())).collect();
    let missing: Vec<&str> = KNOWN[..3].iter().copied().filter(|k| !header.iter().any(|h| h == k)).collect();
    if !unknown.is_empty() || !missing.is_empty() {
        let msg = format!(
            "表头缺少 {missing:?} 或含未知列 {unknown:?} / header lacks {missing:?} or has unknown columns {unknown:?}"
        );
        return (vec![], vec![row_error(0, "bad_header", msg)]);
    }
    let (mut rows, mut errors, mut seen) = (Vec::new(), Vec::new(), HashSet::new());
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(row_error(line, "bad_row", format!("无法读取该行 / cannot read the row: {e}")));
                continue;
            }
        };
        let fields = Fields { header: &header, record: &record };
        match parse_row(line, &fields) {
            Ok(row) if !seen.insert(row.code.clone()) => errors.push(row_error(
                line,
                "duplicate_in_file",
                format!("企业编码 {} 在文件中重复 / code {} appears twice in the file", row.code, row.code),
            )),
            Ok(row) => rows.push(row),
            Err(e) => errors.push(e),
        }
    }
    (rows, errors)
}

/// The cells of one record, by header name.
struct Fields<'a> {
    header: &'a [String],
    record: &'a csv::StringRecord,
}

impl Fields<'_> {
    /// The trimmed cell of a column, when the column exists.
    fn get(&self, name: &str) -> Option<&str> {
        let c = self.header.iter().position(|h| h == name)?;
        self.record.get(c).map(str::trim)
    }

    /// The cell of a column, when the column exists and the cell is not empty.
    fn opt(&self, name: &str) -> Option<String> {
        self.get(name).filter(|v| !v.is_empty()).map(str::to_owned)
    }
}

fn parse_row(line: usize, f: &Fields<'_>) -> Result<ImportRow, RowError> {
    let get = |name: &str| f.get(name);
    let opt = |name: &str| f.opt(name);
    let code = CompanyCode::parse(get("companyCode").unwrap_or("")).map_err(|e| domain_error(line, e))?;
    let name =
        opt("name").ok_or_else(|| row_error(line, "missing_field", "name 为必填项 / name is required".into()))?;
    let city = City::from_code(get("cityCode").unwrap_or("")).map_err(|e| domain_error(line, e))?;
    if let Some(city_name) = opt("cityName")
        && City::from_name(&city_name) != Some(city)
    {
        let msg = format!("cityName {city_name} 与 cityCode {city} 不一致 / cityName does not match cityCode");
        return Err(row_error(line, "city_mismatch", msg));
    }
    let batch = get("batch").map(ConstructionBatch::parse).transpose().map_err(|e| domain_error(line, e))?;
    let flags = get("flags").map(EnterpriseFlag::parse_list).transpose().map_err(|e| domain_error(line, e))?;
    let credit_code = opt("tyshxydm").map(|c| CreditCode::parse(&c)).transpose().map_err(|e| domain_error(line, e))?;
    let base_url = opt("baseUrl");
    if let Some(u) = &base_url
        && !(u.starts_with("http://") || u.starts_with("https://"))
    {
        return Err(row_error(
            line,
            "bad_url",
            "baseUrl 必须以 http:// 或 https:// 开头 / baseUrl must be http(s)".into(),
        ));
    }
    Ok(ImportRow {
        line,
        code,
        name,
        city,
        batch,
        not_connected: flags.map(|f| f.contains(&EnterpriseFlag::NotConnected)),
        credit_code,
        base_url,
        aes_key: opt("aesKey").map(|k| check_key(line, "aesKey", &k)).transpose()?,
        aes_iv: opt("aesIv").map(|k| check_key(line, "aesIv", &k)).transpose()?,
        basic_password_hash: opt("basicPassword")
            .map(|p| crate::passwords::hash(&p).map_err(|e| row_error(line, "bad_password", e)))
            .transpose()?,
        profile: opt("profile")
            .map(|p| domain::client::Profile::parse(&p))
            .transpose()
            .map_err(|e| domain_error(line, e))?,
        cipher: opt("cipher")
            .map(|c| domain::client::Cipher::parse(&c))
            .transpose()
            .map_err(|e| domain_error(line, e))?,
        base_secret: opt("baseSecret").map(|v| check_secret(line, &v)).transpose()?,
    })
}

/// Whether any exchange data names this enterprise code.
fn has_data(conn: &mut DbConnection, code: &str) -> QueryResult<bool> {
    // Every head and every held record came in a stored batch (push or pull), and every batch is kept: a pulled page
    // that leaves no batch changed nothing. (The bench's bulk load writes versions only, neither heads nor batches.)
    let batches: i64 = batches::table.filter(batches::company_code.eq(code)).count().get_result(conn)?;
    let pending: i64 =
        pending_records::table.filter(pending_records::company_code.eq(code)).count().get_result(conn)?;
    Ok(batches + pending > 0)
}

/// Applies the rows, each in its own write transaction (it reads, then writes: on SQLite it must hold the write lock
/// from the start, or another writer's commit in between fails it with "database is locked"); a row that cannot be
/// applied is reported and changes nothing. Not to be called inside a transaction.
pub fn apply(conn: &mut DbConnection, rows: &[ImportRow], now: NaiveDateTime) -> Result<ImportReport> {
    let mut report = ImportReport::default();
    for row in rows {
        let outcome = crate::tx::write_transaction(conn, |conn| apply_row(conn, row, now, &mut report));
        if let Err(e) = outcome {
            report.errors.push(row_error(row.line, "storage_error", e.to_string()));
        }
    }
    Ok(report)
}

/// Where an import row lands.
enum Target {
    /// The enterprise with this code.
    Existing(EnterpriseRow),
    /// A provisional enterprise of the same name, which takes the real code.
    Rekey(EnterpriseRow),
    /// A new enterprise.
    New(EnterpriseRow),
}

fn find_target(conn: &mut DbConnection, row: &ImportRow, now: NaiveDateTime) -> Result<Result<Target, RowError>> {
    let code = row.code.to_string();
    let existing: Option<EnterpriseRow> =
        enterprises::table.find(&code).select(EnterpriseRow::as_select()).first(conn).optional()?;
    if let Some(e) = existing {
        return Ok(Ok(Target::Existing(e)));
    }
    let same_name: Vec<EnterpriseRow> =
        enterprises::table.filter(enterprises::name.eq(&row.name)).select(EnterpriseRow::as_select()).load(conn)?;
    let mut provisional = same_name.into_iter().filter(|e| e.flags.contains(EnterpriseFlag::ProvisionalCode.key()));
    match (provisional.next(), provisional.next()) {
        (Some(one), None) if has_data(conn, &one.company_code)? => Ok(Err(row_error(
            row.line,
            "has_data",
            format!(
                "临时编码 {0} 下已有数据，不能替换 / provisional code {0} already has data and cannot be replaced",
                one.company_code
            ),
        ))),
        (Some(one), None) => Ok(Ok(Target::Rekey(one))),
        _ => Ok(Ok(Target::New(EnterpriseRow::new(&new_enterprise(row), now)))),
    }
}

fn apply_row(conn: &mut DbConnection, row: &ImportRow, now: NaiveDateTime, report: &mut ImportReport) -> Result<()> {
    let target = match find_target(conn, row, now)? {
        Ok(t) => t,
        Err(e) => {
            report.errors.push(e);
            return Ok(());
        }
    };
    let before = match &target {
        Target::Existing(r) | Target::Rekey(r) | Target::New(r) => r.clone(),
    };
    let updated = merge(&before, row)?;
    let code = row.code.to_string();
    match target {
        Target::Existing(_) if updated == before => report.unchanged += 1,
        Target::Existing(_) => {
            let updated = EnterpriseRow { updated_at: now, ..updated };
            diesel::update(enterprises::table.find(&code)).set(&updated).execute(conn)?;
            report.updated.push(code);
        }
        Target::Rekey(old) => {
            let updated = EnterpriseRow { updated_at: now, ..updated };
            diesel::update(enterprises::table.find(&old.company_code)).set(&updated).execute(conn)?;
            report.rekeyed.push((old.company_code, code));
        }
        Target::New(_) => {
            diesel::insert_into(enterprises::table).values(&updated).execute(conn)?;
            report.added.push(code);
        }
    }
    Ok(())
}

/// The row after the import: the given columns replace the stored ones, absent ones keep them; the code is no longer
/// provisional and the unknown-batch flag follows the batch.
fn merge(before: &EnterpriseRow, row: &ImportRow) -> Result<EnterpriseRow> {
    let batch = match row.batch {
        Some(b) => b,
        None => ConstructionBatch::from_number(before.batch)?,
    };
    let mut flags = EnterpriseFlag::parse_list(&before.flags)?;
    flags.retain(|f| *f != EnterpriseFlag::ProvisionalCode && *f != EnterpriseFlag::BatchUnknown);
    if batch == ConstructionBatch::Unknown {
        flags.push(EnterpriseFlag::BatchUnknown);
    }
    if let Some(nc) = row.not_connected {
        flags.retain(|f| *f != EnterpriseFlag::NotConnected);
        if nc {
            flags.push(EnterpriseFlag::NotConnected);
        }
    }
    flags.sort();
    let keep = |new: &Option<String>, old: &Option<String>| new.clone().or_else(|| old.clone());
    Ok(EnterpriseRow {
        company_code: row.code.to_string(),
        name: row.name.clone(),
        city_code: row.city.code().to_owned(),
        batch: batch.number().map(i32::from),
        flags: EnterpriseFlag::join(&flags),
        credit_code: keep(&row.credit_code.as_ref().map(|c| c.as_str().to_owned()), &before.credit_code),
        base_url: keep(&row.base_url, &before.base_url),
        aes_key: keep(&row.aes_key, &before.aes_key),
        aes_iv: keep(&row.aes_iv, &before.aes_iv),
        basic_password_hash: keep(&row.basic_password_hash, &before.basic_password_hash),
        profile: row.profile.map_or_else(|| before.profile.clone(), |p| p.as_str().to_owned()),
        cipher: row.cipher.map_or_else(|| before.cipher.clone(), |c| c.as_str().to_owned()),
        base_secret_hash: row.base_secret.clone().unwrap_or_else(|| before.base_secret_hash.clone()),
        ..before.clone()
    })
}

fn new_enterprise(row: &ImportRow) -> domain::Enterprise {
    domain::Enterprise {
        code: row.code.clone(),
        name: row.name.clone(),
        city: row.city,
        batch: row.batch.unwrap_or(ConstructionBatch::Unknown),
        flags: vec![],
        annex_no: None,
    }
}
