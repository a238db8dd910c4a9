//! Processing one batch: parse the body (plain or `datas` envelope), validate each record, store the valid ones and
//! the receipt in one transaction, and answer the receipt.

use chrono::NaiveDateTime;
use domain::Code;
use domain::client::Cipher;
use domain::{BatchId, CompanyCode, ExchangeTable};
use exchange::{Body, BodyError, Context, Receipt, RecordError};
use serde_json::Value;
use storage::batches::{self, BatchErrorRow, BatchRow, RejectRow, StoredBatch};
use storage::records::{self, Origin, Outcome};
use storage::tx::lock_enterprise;
use storage::{Db, StorageError, registry};
use thiserror::Error;

/// Where a batch came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Pushed by the enterprise.
    Push,
    /// Pulled from the enterprise's endpoint.
    Pull,
}

impl Source {
    /// `push` or `pull`.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Push => "push",
            Source::Pull => "pull",
        }
    }
}

/// A batch to process.
#[derive(Debug, Clone)]
pub struct IncomingBatch<'a> {
    /// The table.
    pub table: ExchangeTable,
    /// The sending enterprise.
    pub sender: &'a CompanyCode,
    /// Who sent it: a token subject, `basic:<code>` or `pull`.
    pub actor: &'a str,
    /// Push or pull.
    pub source: Source,
    /// Validate and check only; store nothing.
    pub dry_run: bool,
    /// When it was received (UTC).
    pub now: NaiveDateTime,
}

/// A batch that could not be processed at all (nothing was stored).
#[derive(Debug, Error)]
pub enum PushError {
    /// The body is not a JSON array of records or cannot be decrypted.
    #[error(transparent)]
    Body(#[from] BodyError),
    /// An encrypted body from an enterprise without a configured key.
    #[error("该企业未配置密钥，无法解密 datas / no key is configured for enterprise {0}, so datas cannot be decrypted")]
    NoKey(String),
    /// A danger body whose records without their photos are over 8 MiB (`crate::photos::check_body`).
    #[error("请求体过大 / the body is too large: {0}")]
    TooLarge(String),
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl PushError {
    /// The stable code.
    pub fn code(&self) -> Code {
        match self {
            PushError::Body(e) => e.code(),
            PushError::NoKey(_) => Code::NoKey,
            PushError::TooLarge(_) => Code::TooLarge,
            PushError::Storage(e) => e.code(),
        }
    }
}

/// Processes a request body: a JSON array, or `{"datas": …}` decrypted with the enterprise's cipher and key.
pub fn process(db: &Db, batch: &IncomingBatch<'_>, body: &[u8]) -> Result<Receipt, PushError> {
    let values = match exchange::parse_body(body)? {
        Body::Records(values) => values,
        Body::Encrypted(b64) => {
            let row = db.with(|c| registry::row(c, batch.sender))?;
            decrypt_for(row.as_ref(), &b64)?.ok_or_else(|| PushError::NoKey(batch.sender.to_string()))?
        }
    };
    crate::photos::check_body(batch.table, body.len(), &values).map_err(PushError::TooLarge)?;
    Ok(process_values(db, batch, &values)?)
}

/// The records of a `datas` text decrypted with an enterprise's cipher, key and IV (the IV defaults to the key);
/// `None` when it has no key configured (or is not registered).
pub fn decrypt_for(row: Option<&registry::EnterpriseRow>, b64: &str) -> Result<Option<Vec<Value>>, PushError> {
    let key = row.and_then(|r| r.aes_key.as_deref()).and_then(exchange::key_bytes);
    let iv = row.and_then(|r| r.aes_iv.as_deref()).and_then(exchange::key_bytes).or(key);
    let (Some(row), Some(key), Some(iv)) = (row, key, iv) else { return Ok(None) };
    let cipher = Cipher::parse(&row.cipher).map_err(StorageError::from)?;
    let plain = exchange::decrypt_datas(b64, cipher, &key, &iv)?;
    // A wrong key or IV can pass the padding check and leave garbage: say so, rather than "not JSON".
    let records = exchange::parse_records(&plain).map_err(|e| match e {
        BodyError::NotJson(why) => BodyError::Decrypt(format!(
            "解密结果不是 JSON（{c}，密钥或 IV 错误？）/ the decrypted text is not JSON ({c}: wrong key or IV?): {why}",
            c = exchange::cipher_name(cipher)
        )),
        other => other,
    })?;
    Ok(Some(records))
}

/// Ends a dry run's transaction without keeping anything.
enum TxEnd {
    Db(StorageError),
    DryRun(Box<Receipt>),
}

impl From<StorageError> for TxEnd {
    fn from(e: StorageError) -> Self {
        TxEnd::Db(e)
    }
}

impl From<storage::QueryError> for TxEnd {
    fn from(e: storage::QueryError) -> Self {
        TxEnd::Db(StorageError::Query(e))
    }
}

/// Validates and stores records, returning the receipt; with `dry_run`, everything is checked (referential checks
/// included) and rolled back.
pub fn process_values(db: &Db, batch: &IncomingBatch<'_>, values: &[Value]) -> Result<Receipt, StorageError> {
    let mut validated = exchange::validate_batch(batch.table, values, &Context::new(batch.sender.clone(), batch.now));
    // Photos of dangers are checked here (bad ones reject their record) and stored with the records below.
    let photos = crate::photos::take(batch.table, &mut validated);
    let batch_id = BatchId::new(uuid::Uuid::new_v4().to_string());
    // On SQLite the batch shares a transaction with the batches that arrive meanwhile (group commit): it is answered
    // only after that transaction's commit, and a failure of its own rolls back only its savepoint.
    let result = db.write(|c| {
        lock_enterprise(c, batch.sender).map_err(TxEnd::from)?;
        let city = registry::row(c, batch.sender).map_err(TxEnd::Db)?.map(|r| r.city_code);
        let registered = city.is_some();
        let mut receipt = Receipt::new(batch_id.as_str(), batch.table, batch.sender.clone(), batch.now, values.len());
        receipt.errors = validated.errors.clone();
        receipt.warnings = validated.warnings.clone();
        let origin = Origin { batch_id: &batch_id, received_at: batch.now, company: batch.sender };
        let (mut released, mut check_versions) = (0, 0);
        if registered {
            let sent: std::collections::HashMap<usize, String> =
                photos.iter().map(|p| (p.index, p.sent_extra.clone())).collect();
            let applied = records::apply_sent(c, origin, batch.table, &validated.valid, &sent)?;
            if !batch.dry_run {
                crate::photos::store(c, batch.sender, batch.table, &photos, &applied.outcomes, batch.now)?;
            }
            let ids: std::collections::HashMap<usize, &str> =
                validated.valid.iter().map(|(i, r)| (*i, r.common.id.as_str())).collect();
            for (index, outcome) in applied.outcomes {
                count(&mut receipt, index, ids.get(&index).copied(), outcome);
            }
            (released, check_versions) = (applied.released, applied.check_versions);
            if applied.released > 0 {
                tracing::info!(batch = %batch_id, released = applied.released, "held records released");
            }
        } else {
            for (index, r) in &validated.valid {
                let e = RecordError::unregistered_company(*index, Some(&r.common.id), batch.sender.as_str());
                receipt.errors.push(e);
            }
        }
        receipt.errors.sort_by_key(|e| e.index);
        receipt.recount_rejected();
        debug_assert!(receipt.is_balanced(), "{receipt:?}");
        if batch.dry_run {
            receipt.dry_run = true;
            return Err(TxEnd::DryRun(Box::new(receipt)));
        }
        // A pulled page that changes nothing (the records of the watermark's own second, fetched again) leaves
        // no receipt: it would only say "unchanged" thousands of times a day.
        if batch.source == Source::Pull && receipt.unchanged == receipt.received {
            return Ok(receipt);
        }
        batches::insert(c, &stored(&receipt, batch, values))?;
        // The seq of the last check version it wrote: readers fold up to it (`storage::stored`).
        let check_seq = match check_versions {
            0 => None,
            _ => storage::stored::last_check_seq(c, batch.sender, batch.now)?,
        };
        let event = stored_event(&receipt, batch, Written { released, check_seq }, city.as_deref());
        // Last in the transaction: the change feed's append lock is held only until the commit.
        storage::events::append(c, &[event])?;
        Ok(receipt)
    });
    let outcome = match result {
        Ok(r) => r,
        Err(TxEnd::DryRun(r)) => *r,
        Err(TxEnd::Db(e)) => return Err(e),
    };
    tracing::info!(
        batch = %outcome.batch_id, table = %batch.table, company = %batch.sender, source = batch.source.as_str(),
        received = outcome.received, accepted = outcome.accepted, unchanged = outcome.unchanged,
        pending = outcome.pending, rejected = outcome.rejected, dry_run = batch.dry_run, "batch processed"
    );
    Ok(outcome)
}

/// What a batch wrote beyond its receipt, as its `batch.stored` event tells the figures service.
struct Written {
    /// Held records of any table it released (the figures service reads its small tables again only when a batch
    /// stored something other than check records).
    released: usize,
    /// The seq of the last check record version it wrote (`None`: none), up to which a reader folds
    /// (`storage::stored`).
    check_seq: Option<i64>,
}

/// The change feed's `batch.stored` event of a stored batch (`docs/integration.md`).
fn stored_event(
    receipt: &Receipt,
    batch: &IncomingBatch<'_>,
    written: Written,
    city: Option<&str>,
) -> storage::events::NewEvent {
    let data = serde_json::json!({
        "batchId": receipt.batch_id, "table": batch.table.name(), "source": batch.source.as_str(),
        "received": receipt.received, "accepted": receipt.accepted, "unchanged": receipt.unchanged,
        "pending": receipt.pending, "rejected": receipt.rejected, "released": written.released,
        "checkSeq": written.check_seq,
    });
    storage::events::NewEvent::new("batch.stored", city, Some(batch.sender), &data, batch.now)
}

/// Counts one storage outcome into the receipt.
fn count(receipt: &mut Receipt, index: usize, id: Option<&str>, outcome: Outcome) {
    match outcome {
        Outcome::Accepted => receipt.accepted += 1,
        Outcome::Unchanged => receipt.unchanged += 1,
        Outcome::Pending { field, key } => receipt.hold([RecordError::pending_parent(index, id, field, &key)]),
        Outcome::Stale { .. } => receipt.errors.push(RecordError::stale_version(index, id)),
        Outcome::Conflict => receipt.errors.push(RecordError::conflict(index, id)),
        Outcome::UnknownParent { field, key } => {
            receipt.errors.push(RecordError::unknown_parent(index, id, field, &key));
        }
    }
}

/// The stored form of a receipt, with the raw JSON of every rejected record.
fn stored(receipt: &Receipt, batch: &IncomingBatch<'_>, values: &[Value]) -> StoredBatch {
    let n = |x: usize| i32::try_from(x).unwrap_or(i32::MAX);
    let mut rejected: Vec<usize> = receipt.errors.iter().filter(|e| e.code.is_rejection()).map(|e| e.index).collect();
    rejected.dedup();
    StoredBatch {
        batch: BatchRow {
            batch_id: receipt.batch_id.clone(),
            table_name: batch.table.name().to_owned(),
            company_code: batch.sender.to_string(),
            source: batch.source.as_str().to_owned(),
            actor: batch.actor.to_owned(),
            received_at: batch.now,
            received: n(receipt.received),
            accepted: n(receipt.accepted),
            unchanged: n(receipt.unchanged),
            pending: n(receipt.pending),
            rejected: n(receipt.rejected),
        },
        // The warnings are stored after the errors, among the same rows; reading back sorts them apart by code.
        errors: receipt
            .errors
            .iter()
            .chain(&receipt.warnings)
            .enumerate()
            .map(|(ord, e)| BatchErrorRow {
                batch_id: receipt.batch_id.clone(),
                ord: n(ord),
                record_index: n(e.index),
                record_id: e.id.clone(),
                field: e.field.clone(),
                code: e.code.as_str().to_owned(),
                message: e.message.clone(),
            })
            .collect(),
        rejects: rejected
            .into_iter()
            .filter_map(|i| values.get(i).map(|v| (i, v)))
            .map(|(i, v)| RejectRow { batch_id: receipt.batch_id.clone(), record_index: n(i), raw: v.to_string() })
            .collect(),
    }
}
