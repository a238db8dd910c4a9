//! The enterprise registry: seeded from the notice's annex on first start, listed, and updated by imports.

use crate::schema::enterprises;
use crate::{DbConnection, Result, StorageError};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use domain::{City, CompanyCode, ConstructionBatch, Enterprise, EnterpriseFlag};

/// A row of the `enterprises` table.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = enterprises)]
#[diesel(treat_none_as_null = true)]
pub struct EnterpriseRow {
    /// The 9-digit enterprise code.
    pub company_code: String,
    /// The name.
    pub name: String,
    /// The GB/T 2260 city code.
    pub city_code: String,
    /// 1, 2, or NULL when unknown.
    pub batch: Option<i32>,
    /// Flags joined by `;`.
    pub flags: String,
    /// The row number in the annex.
    pub annex_no: Option<i32>,
    /// The unified social credit code.
    pub credit_code: Option<String>,
    /// The base address of the enterprise's pull endpoint.
    pub base_url: Option<String>,
    /// The AES-128 key of the `datas` envelope.
    pub aes_key: Option<String>,
    /// The AES IV (defaults to the key).
    pub aes_iv: Option<String>,
    /// The slow hash of the HTTP Basic password.
    pub basic_password_hash: Option<String>,
    /// When the row was added (UTC).
    pub created_at: NaiveDateTime,
    /// When the row last changed (UTC).
    pub updated_at: NaiveDateTime,
    /// The answer profile of pushes: `standard` or `national` ([`domain::client::Profile`]).
    pub profile: String,
    /// The `datas` cipher: `aes128cbc` or `sm4cbc` ([`domain::client::Cipher`]).
    pub cipher: String,
    /// The SHA-256 (lowercase hex) of the secret base address `/x/{secret}/…`, when one is set.
    pub base_secret_hash: Option<String>,
}

/// A registered enterprise with its connection settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Registered {
    /// The domain view: code, name, city, batch, flags.
    pub enterprise: Enterprise,
    /// The unified social credit code, when known.
    pub credit_code: Option<String>,
    /// The base address of the pull endpoint, when the enterprise is pulled.
    pub base_url: Option<String>,
    /// Whether an AES key is configured.
    pub has_aes_key: bool,
    /// Whether an HTTP Basic password is configured.
    pub has_basic_password: bool,
    /// The answer profile of its pushes.
    pub profile: domain::client::Profile,
    /// The cipher of its `datas` envelope.
    pub cipher: domain::client::Cipher,
    /// Whether a secret base address is set.
    pub has_base_secret: bool,
    /// When the row was added (UTC).
    pub created_at: NaiveDateTime,
    /// When the row last changed (UTC).
    pub updated_at: NaiveDateTime,
}

impl EnterpriseRow {
    /// A new row for an enterprise, without connection settings.
    pub fn new(e: &Enterprise, now: NaiveDateTime) -> EnterpriseRow {
        EnterpriseRow {
            company_code: e.code.to_string(),
            name: e.name.clone(),
            city_code: e.city.code().to_owned(),
            batch: e.batch.number().map(i32::from),
            flags: EnterpriseFlag::join(&e.flags),
            annex_no: e.annex_no.map(|n| n as i32),
            credit_code: None,
            base_url: None,
            aes_key: None,
            aes_iv: None,
            basic_password_hash: None,
            created_at: now,
            updated_at: now,
            profile: domain::client::Profile::Standard.as_str().to_owned(),
            cipher: domain::client::Cipher::Aes128Cbc.as_str().to_owned(),
            base_secret_hash: None,
        }
    }

    /// The domain view of the row.
    pub fn to_enterprise(&self) -> Result<Enterprise> {
        Ok(Enterprise {
            code: CompanyCode::parse(&self.company_code)?,
            name: self.name.clone(),
            city: City::from_code(&self.city_code)?,
            batch: ConstructionBatch::from_number(self.batch)?,
            flags: EnterpriseFlag::parse_list(&self.flags)?,
            annex_no: self.annex_no.map(|n| n as u32),
        })
    }

    /// The row with its settings summarised.
    pub fn to_registered(&self) -> Result<Registered> {
        Ok(Registered {
            enterprise: self.to_enterprise()?,
            credit_code: self.credit_code.clone(),
            base_url: self.base_url.clone(),
            has_aes_key: self.aes_key.is_some(),
            has_basic_password: self.basic_password_hash.is_some(),
            profile: domain::client::Profile::parse(&self.profile)?,
            cipher: domain::client::Cipher::parse(&self.cipher)?,
            has_base_secret: self.base_secret_hash.is_some(),
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// Which enterprises to list.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter {
    /// Only this city.
    pub city: Option<City>,
    /// Only this batch.
    pub batch: Option<ConstructionBatch>,
}

/// Loads the 176 enterprises of the annex when the registry is empty; returns how many were added. A write
/// transaction (it reads, then writes); not to be called inside a transaction.
pub fn seed_annex(conn: &mut DbConnection, now: NaiveDateTime) -> Result<usize> {
    let annex = domain::registry::annex_enterprises()?;
    crate::tx::write_transaction(conn, |conn| {
        let existing: i64 = enterprises::table.count().get_result(conn)?;
        if existing > 0 {
            return Ok(0);
        }
        for e in &annex {
            diesel::insert_into(enterprises::table).values(EnterpriseRow::new(e, now)).execute(conn)?;
        }
        tracing::info!(enterprises = annex.len(), "registry seeded from the notice's annex");
        Ok(annex.len())
    })
}

/// The registry, ordered by city and code.
pub fn list(conn: &mut DbConnection, filter: Filter) -> Result<Vec<Registered>> {
    let mut q = enterprises::table.select(EnterpriseRow::as_select()).into_boxed();
    if let Some(city) = filter.city {
        q = q.filter(enterprises::city_code.eq(city.code()));
    }
    match filter.batch {
        Some(ConstructionBatch::Unknown) => q = q.filter(enterprises::batch.is_null()),
        Some(b) => q = q.filter(enterprises::batch.eq(b.number().map(i32::from))),
        None => {}
    }
    let rows: Vec<EnterpriseRow> =
        q.order((enterprises::city_code.asc(), enterprises::company_code.asc())).load(conn)?;
    rows.iter().map(EnterpriseRow::to_registered).collect()
}

/// One enterprise by code.
pub fn get(conn: &mut DbConnection, code: &CompanyCode) -> Result<Registered> {
    let row: Option<EnterpriseRow> =
        enterprises::table.find(code.as_str()).select(EnterpriseRow::as_select()).first(conn).optional()?;
    row.ok_or_else(|| StorageError::NotFound(format!("enterprise {code}")))?.to_registered()
}

/// The SHA-256 (lowercase hex) under which a secret base address is stored: the secret is long and random, so a
/// fast hash suffices, and the stored value finds the enterprise through an index.
pub fn base_secret_hash(secret: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(secret.as_bytes()))
}

/// The enterprise whose secret base address is `secret`, if any.
pub fn by_base_secret(conn: &mut DbConnection, secret: &str) -> Result<Option<EnterpriseRow>> {
    Ok(enterprises::table
        .filter(enterprises::base_secret_hash.eq(base_secret_hash(secret)))
        .select(EnterpriseRow::as_select())
        .first(conn)
        .optional()?)
}

/// The full row of one enterprise, with its secrets, for the exchange and pull paths.
pub fn row(conn: &mut DbConnection, code: &CompanyCode) -> Result<Option<EnterpriseRow>> {
    Ok(enterprises::table.find(code.as_str()).select(EnterpriseRow::as_select()).first(conn).optional()?)
}
