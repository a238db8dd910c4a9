//! A push by a group credential (集团/园区, `docs/data-exchange.md` §12): the batch belongs to the enterprise its
//! records name, which must be one of the group's members. One push carries one enterprise's records: a record of
//! another enterprise (a member or not) is rejected `bad_company` on its own, as for any sender.

use crate::push::{IncomingBatch, PushError, process_values};
use domain::CompanyCode;
use exchange::{Body, BodyError, Receipt};
use serde_json::Value;
use storage::{Db, registry};

/// What a group push gives: the enterprise it was for and its receipt, or why it was refused as a whole.
#[derive(Debug)]
pub enum GroupOutcome {
    /// The batch of this enterprise was processed.
    Processed(CompanyCode, Receipt),
    /// No record names an enterprise of the group: nothing was looked at further (answered 403).
    NoMember,
}

/// The enterprise of a group's batch: the first member that a record's `companyCode` names.
pub fn company_of(values: &[Value], members: &[CompanyCode]) -> Option<CompanyCode> {
    values
        .iter()
        .filter_map(|v| v.get("companyCode")?.as_str())
        .find_map(|c| members.iter().find(|m| m.as_str() == c).cloned())
}

/// Decrypts `datas` with the key of the first member whose cipher, key and IV give a JSON array (a group's
/// members usually share the key of the group's system); `no_key` when no member has a key.
fn decrypt_any(db: &Db, members: &[CompanyCode], b64: &str) -> Result<Vec<Value>, PushError> {
    let mut last = None;
    for m in members {
        let row = db.with(|c| registry::row(c, m))?;
        match crate::push::decrypt_for(row.as_ref(), b64) {
            Ok(Some(values)) => return Ok(values),
            Ok(None) => {}
            Err(e) => last = Some(e),
        }
    }
    Err(match last {
        Some(PushError::Body(BodyError::Decrypt(why))) => PushError::Body(BodyError::Decrypt(format!(
            "任何成员企业的密钥都无法解密 / no member's key decrypts it: {why}"
        ))),
        Some(e) => e,
        None => PushError::NoKey(members.iter().map(CompanyCode::as_str).collect::<Vec<_>>().join(",")),
    })
}

/// Processes a group's push: reads (and decrypts) the body, finds its enterprise, and processes it as that
/// enterprise's batch. `batch.sender` is replaced by the enterprise found.
pub fn process_group(
    db: &Db,
    batch: &IncomingBatch<'_>,
    members: &[CompanyCode],
    body: &[u8],
) -> Result<GroupOutcome, PushError> {
    let values = match exchange::parse_body(body)? {
        Body::Records(values) => values,
        Body::Encrypted(b64) => decrypt_any(db, members, &b64)?,
    };
    let Some(company) = company_of(&values, members) else { return Ok(GroupOutcome::NoMember) };
    crate::photos::check_body(batch.table, body.len(), &values).map_err(PushError::TooLarge)?;
    let own = IncomingBatch { sender: &company, ..batch.clone() };
    let receipt = process_values(db, &own, &values)?;
    Ok(GroupOutcome::Processed(company, receipt))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_batch_is_the_first_member_named() {
        let members = [CompanyCode::parse("140100002").unwrap(), CompanyCode::parse("140100003").unwrap()];
        let values = [
            json!({"companyCode": "140100009"}),
            json!({"companyCode": 140100002}),
            json!(1),
            json!({"companyCode": "140100003"}),
            json!({"companyCode": "140100002"}),
        ];
        assert_eq!(company_of(&values, &members).map(|c| c.to_string()).as_deref(), Some("140100003"));
        assert_eq!(company_of(&values[..3], &members), None);
    }
}
