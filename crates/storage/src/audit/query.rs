//! Reading the audit trail: filters and keyset paging by `seq`.

use super::AuditRow;
use crate::schema::audit_log;
use crate::{DbConnection, Result};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Which rows to list; every set field must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// The actor, exactly (e.g. `city:140100`).
    pub actor: Option<String>,
    /// The role, exactly.
    pub role: Option<String>,
    /// The outcome, exactly.
    pub outcome: Option<String>,
    /// Rows at or after this time (UTC).
    pub since: Option<NaiveDateTime>,
    /// Rows before this time (UTC).
    pub until: Option<NaiveDateTime>,
    /// Rows whose route pattern starts with this text.
    pub route_prefix: Option<String>,
}

/// One page of rows, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditPage {
    /// The rows, by increasing `seq`.
    pub rows: Vec<AuditRow>,
    /// The `after` of the next page; `None` on the last page.
    pub next: Option<i64>,
}

/// Escapes `%`, `_` and the escape character itself for a `LIKE … ESCAPE '\'` prefix match.
fn like_prefix(prefix: &str) -> String {
    let mut out = String::with_capacity(prefix.len() + 1);
    for ch in prefix.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('%');
    out
}

/// Rows matching the filter with `seq` greater than `after`, oldest first, at most `limit` of them.
pub fn list(conn: &mut DbConnection, filter: &AuditFilter, after: Option<i64>, limit: u32) -> Result<AuditPage> {
    let mut q = audit_log::table.select(AuditRow::as_select()).into_boxed();
    if let Some(after) = after {
        q = q.filter(audit_log::seq.gt(after));
    }
    if let Some(v) = &filter.actor {
        q = q.filter(audit_log::actor.eq(v.clone()));
    }
    if let Some(v) = &filter.role {
        q = q.filter(audit_log::role.eq(v.clone()));
    }
    if let Some(v) = &filter.outcome {
        q = q.filter(audit_log::outcome.eq(v.clone()));
    }
    if let Some(v) = filter.since {
        q = q.filter(audit_log::at.ge(v));
    }
    if let Some(v) = filter.until {
        q = q.filter(audit_log::at.lt(v));
    }
    if let Some(v) = &filter.route_prefix {
        q = q.filter(audit_log::route.like(like_prefix(v)).escape('\\'));
    }
    let limit = i64::from(limit.max(1));
    let mut rows: Vec<AuditRow> = q.order(audit_log::seq.asc()).limit(limit + 1).load(conn)?;
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| r.seq)
    } else {
        None
    };
    Ok(AuditPage { rows, next })
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_prefix_escapes_wildcards() {
        assert_eq!(super::like_prefix("/api/v1/a_b%"), "/api/v1/a\\_b\\%%");
    }
}
