//! Stored receipts, read back.

use domain::{CompanyCode, ExchangeTable};
use exchange::{ErrorCode, Receipt, RecordError};
use storage::StorageError;
use storage::batches::StoredBatch;

/// Rebuilds the receipt of a stored batch.
pub fn receipt_of(b: &StoredBatch) -> Result<Receipt, StorageError> {
    let corrupt = |what: &str| StorageError::Corrupt(format!("batch {}: {what}", b.batch.batch_id));
    let table = ExchangeTable::parse(&b.batch.table_name).map_err(|_| corrupt("table"))?;
    let company = CompanyCode::parse(&b.batch.company_code).map_err(|_| corrupt("company code"))?;
    let u = |x: i32| usize::try_from(x).unwrap_or(0);
    let mut r = Receipt::new(&b.batch.batch_id, table, company, b.batch.received_at, u(b.batch.received));
    r.accepted = u(b.batch.accepted);
    r.unchanged = u(b.batch.unchanged);
    r.pending = u(b.batch.pending);
    r.rejected = u(b.batch.rejected);
    for e in &b.errors {
        let code = ErrorCode::parse(&e.code).ok_or_else(|| corrupt("error code"))?;
        let list = if code.is_warning() { &mut r.warnings } else { &mut r.errors };
        list.push(RecordError {
            index: u(e.record_index),
            id: e.record_id.clone(),
            field: e.field.clone(),
            code,
            message: e.message.clone(),
        });
    }
    Ok(r)
}
