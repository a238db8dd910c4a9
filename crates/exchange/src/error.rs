//! One problem of one record, with constructors for the checks that need the database (done by storage), so that
//! every message of a receipt reads the same whoever found the problem.

use crate::ErrorCode;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One problem of one record of a batch: what a receipt lists under `errors`.
///
/// Messages are Chinese then English, separated by `" / "`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordError {
    /// The record's 0-based index in the batch.
    pub index: usize,
    /// The record's `id`, when it is a readable string (at most 64 characters, no control characters).
    pub id: Option<String>,
    /// The JSON path of the field, e.g. `"$.checkStatus"`; `"$"` for the whole record.
    pub field: String,
    /// The stable code.
    pub code: ErrorCode,
    /// What is wrong, in Chinese and English.
    pub message: String,
}

/// The JSON path of a wire field: `"checkStatus"` → `"$.checkStatus"`; a path (starting with `$`) is kept.
pub fn field_path(field: &str) -> String {
    if field.starts_with('$') { field.to_owned() } else { format!("$.{field}") }
}

impl RecordError {
    /// A problem of `field` (a wire name like `"checkStatus"`, or a path starting with `$`).
    pub fn new(index: usize, id: Option<&str>, field: &str, code: ErrorCode, message: impl Into<String>) -> Self {
        RecordError { index, id: id.map(str::to_owned), field: field_path(field), code, message: message.into() }
    }

    /// The record is not a JSON object (`malformed`, field `"$"`).
    pub fn malformed(index: usize) -> Self {
        RecordError::new(
            index,
            None,
            "$",
            ErrorCode::Malformed,
            "记录必须是 JSON 对象 / the record must be a JSON object",
        )
    }

    /// A later record of the batch repeats the `id` of the record at `first` (`duplicate_in_batch`).
    pub fn duplicate_in_batch(index: usize, id: Option<&str>, first: usize) -> Self {
        let message = format!(
            "id 与本批索引 {first} 的记录重复，只处理首条 / the id repeats the record at index {first} of this batch; \
             only the first is processed"
        );
        RecordError::new(index, id, "id", ErrorCode::DuplicateInBatch, message)
    }

    /// The record names another enterprise than the sender (`bad_company`).
    pub fn other_company(index: usize, id: Option<&str>, sent: &str, sender: &str) -> Self {
        let message = format!(
            "companyCode {sent} 不是发送方企业 {sender} / companyCode {sent} is not the sender's enterprise {sender}"
        );
        RecordError::new(index, id, "companyCode", ErrorCode::BadCompany, message)
    }

    /// The record names an enterprise that is not registered (`bad_company`; checked by storage).
    pub fn unregistered_company(index: usize, id: Option<&str>, sent: &str) -> Self {
        let message =
            format!("companyCode {sent} 不是已登记的企业 / companyCode {sent} is not a registered enterprise");
        RecordError::new(index, id, "companyCode", ErrorCode::BadCompany, message)
    }

    /// The parent key in `field` names a record of another enterprise (`unknown_parent`; checked by storage).
    pub fn unknown_parent(index: usize, id: Option<&str>, field: &str, parent_key: &str) -> Self {
        let message = format!(
            "{field} 指向的 {parent_key} 属于其他企业 / {field} names {parent_key}, a record of another enterprise"
        );
        RecordError::new(index, id, field, ErrorCode::UnknownParent, message)
    }

    /// The parent named in `field` has not arrived: the record is held (`pending_parent`, not a rejection).
    pub fn pending_parent(index: usize, id: Option<&str>, field: &str, parent_key: &str) -> Self {
        let message = format!(
            "{field} 指向的 {parent_key} 尚未收到，记录已暂存，待其到达后处理 / {field} names {parent_key}, which has not \
             arrived yet; the record is held until it does"
        );
        RecordError::new(index, id, field, ErrorCode::PendingParent, message)
    }

    /// The record's `updateDate` is older than the stored version's (`stale_version`; checked by storage).
    pub fn stale_version(index: usize, id: Option<&str>) -> Self {
        let message = "updateDate 早于已保存的版本，保留已保存的版本 / updateDate is older than the stored version, \
                       which is kept";
        RecordError::new(index, id, "updateDate", ErrorCode::StaleVersion, message)
    }

    /// Same `updateDate` as the stored version but different content (`conflict`; checked by storage).
    pub fn conflict(index: usize, id: Option<&str>) -> Self {
        let message = "updateDate 与已保存的版本相同但内容不同，保留已保存的版本 / the same updateDate as the stored \
                       version but different content; the stored version is kept";
        RecordError::new(index, id, "updateDate", ErrorCode::Conflict, message)
    }
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {} {}: {}", self.index, self.field, self.code, self.message)
    }
}

/// A message in both languages for a field: `"{field} {zh} / {field} {en}"`.
pub(crate) fn both(field: &str, zh: &str, en: &str) -> String {
    format!("{field} {zh} / {field} {en}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constructors_fill_path_code_and_both_languages() {
        let e = RecordError::pending_parent(3, Some("a"), "checkTaskId", "t1");
        assert_eq!((e.index, e.id.as_deref(), e.field.as_str(), e.code), (3, Some("a"), "$.checkTaskId", e.code));
        assert_eq!(e.code, ErrorCode::PendingParent);
        assert!(e.message.contains(" / ") && e.message.contains("t1"));
        assert_eq!(RecordError::malformed(0).field, "$");
        assert_eq!(RecordError::stale_version(1, None).code, ErrorCode::StaleVersion);
        assert_eq!(RecordError::conflict(1, None).field, "$.updateDate");
        assert_eq!(RecordError::unknown_parent(1, None, "$.riskUnitId", "u").field, "$.riskUnitId");
        assert!(RecordError::duplicate_in_batch(5, None, 2).message.contains("index 2"));
        assert_eq!(RecordError::unregistered_company(0, None, "140100001").code, ErrorCode::BadCompany);
    }

    #[test]
    fn serialises_as_the_receipt_shape() {
        let e = RecordError::other_company(2, Some("x"), "140100002", "140100001");
        let v = serde_json::to_value(&e).unwrap_or_default();
        assert_eq!(v["code"], "bad_company");
        assert_eq!(v["field"], "$.companyCode");
        assert_eq!(v["index"], 2);
        let back: Result<RecordError, _> = serde_json::from_value(v);
        assert_eq!(back.ok(), Some(e));
    }
}
