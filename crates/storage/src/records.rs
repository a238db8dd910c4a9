//! Storing validated records: version history, heads, parent checks, pending parents and their release.
//!
//! [`apply`] runs inside the caller's transaction, so a batch and its receipt are stored together or not at all.

use crate::DbConnection;
use crate::heads::{self, HeadRow};
use crate::pending::{self, NewPending};
use crate::rehash;
use crate::versions::VersionRows;
use chrono::NaiveDateTime;
use diesel::QueryResult;
use domain::records::{self, Record};
use domain::{BatchId, CompanyCode, ExchangeTable, RecordId};
use std::collections::{HashMap, HashSet};

/// What happened to one record of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A new version was stored.
    Accepted,
    /// Identical to the stored (or held) version; nothing changed.
    Unchanged,
    /// Its parent is not known yet: held, and stored when the parent arrives.
    Pending {
        /// The wire field naming the parent.
        field: &'static str,
        /// The parent's key.
        key: String,
    },
    /// Older than the stored version, which is kept.
    Stale {
        /// The stored `updateDate` (UTC).
        stored: NaiveDateTime,
    },
    /// Same `updateDate` as the stored version but different content.
    Conflict,
    /// The parent key names a record of another enterprise.
    UnknownParent {
        /// The wire field naming the parent.
        field: &'static str,
        /// The parent's key.
        key: String,
    },
}

/// The outcome of a batch.
#[derive(Debug, Clone, Default)]
pub struct Applied {
    /// Per record of the batch, by its index in the batch.
    pub outcomes: Vec<(usize, Outcome)>,
    /// Records held by earlier batches that this batch's records released.
    pub released: usize,
    /// Check record versions written, its own and released ones (`storage::stored::last_check_seq` then gives the
    /// last one's seq).
    pub check_versions: usize,
}

/// Where the batch is stored from.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    /// The batch id.
    pub batch_id: &'a BatchId,
    /// When the batch was received (UTC).
    pub received_at: NaiveDateTime,
    /// The sending enterprise.
    pub company: &'a CompanyCode,
}

/// Parent status of one record.
enum Parents<'r> {
    Known,
    Missing(&'static str, &'r str, ExchangeTable),
    Foreign(&'static str, &'r str),
}

/// Checks every parent of the records against what is stored.
fn check_parents<'r>(
    conn: &mut DbConnection,
    company: &CompanyCode,
    recs: &[&'r Record],
) -> QueryResult<Vec<Parents<'r>>> {
    let mut wanted: HashMap<ExchangeTable, HashSet<&str>> = HashMap::new();
    for r in recs {
        for (p, key) in r.parents() {
            wanted.entry(p.table).or_default().insert(key);
        }
    }
    let mut known = HashMap::new();
    let mut foreign = HashMap::new();
    for (table, keys) in &wanted {
        let keys: Vec<&str> = keys.iter().copied().collect();
        let k = heads::known_keys(conn, *table, company, &keys)?;
        let missing: Vec<&str> = keys.iter().copied().filter(|x| !k.contains(*x)).collect();
        // Hazard codes are free text chosen by each enterprise, so the same code elsewhere says nothing; ids are
        // UUIDs, so an id known under another enterprise is a real cross-enterprise reference.
        let f = if missing.is_empty() || *table == ExchangeTable::HazardSource {
            HashSet::new()
        } else {
            heads::foreign_keys(conn, *table, company, &missing)?
        };
        known.insert(*table, k);
        foreign.insert(*table, f);
    }
    Ok(recs
        .iter()
        .map(|r| {
            let mut status = Parents::Known;
            for (p, key) in r.parents() {
                if known.get(&p.table).is_some_and(|k| k.contains(key)) {
                    continue;
                }
                if foreign.get(&p.table).is_some_and(|f| f.contains(key)) {
                    return Parents::Foreign(p.field, key);
                }
                if matches!(status, Parents::Known) {
                    status = Parents::Missing(p.field, key, p.table);
                }
            }
            status
        })
        .collect())
}

/// Whether a stored content hash is that of `r`, or of `r` with the `extra` it was received with.
fn same_as_sent(stored: &str, r: &Record, sent_extra: Option<&String>) -> bool {
    rehash::same_content(stored, r)
        || sent_extra.is_some_and(|extra| {
            let mut as_sent = r.clone();
            as_sent.common.extra = Some(extra.clone());
            rehash::same_content(stored, &as_sent)
        })
}

fn head_of(r: &Record, received_at: NaiveDateTime) -> HeadRow {
    HeadRow {
        table_name: r.table().name().to_owned(),
        company_code: r.common.company_code.to_string(),
        record_id: r.common.id.clone(),
        natural_key: r.key().to_owned(),
        update_date: r.common.update_date,
        content_hash: r.content_hash(),
        deleted: r.common.deleted,
        received_at,
        first_received_at: Some(received_at),
    }
}

/// Stores the valid records of one batch of one table: new versions, heads, held records, and releases what they
/// were waiting for. All records must belong to `origin.company` and `table`.
pub fn apply(
    conn: &mut DbConnection,
    origin: Origin<'_>,
    table: ExchangeTable,
    records: &[(usize, Record)],
) -> QueryResult<Applied> {
    apply_sent(conn, origin, table, records, &HashMap::new())
}

/// [`apply`], where some records' `extra` was changed after they were received (a danger's photos replaced by their
/// references, `docs/data-exchange.md` §13): `sent` holds the `extra` as received, by batch index. A version stored
/// before the change with that `extra` and the same `updateDate` is the same record (`unchanged`), not a conflict.
pub fn apply_sent(
    conn: &mut DbConnection,
    origin: Origin<'_>,
    table: ExchangeTable,
    records: &[(usize, Record)],
    sent: &HashMap<usize, String>,
) -> QueryResult<Applied> {
    let ids: Vec<&str> = records.iter().map(|(_, r)| r.common.id.as_str()).collect();
    let stored = heads::load(conn, table, origin.company, &ids)?;
    let held = pending::load(conn, table, origin.company, &ids)?;
    let mut outcomes: Vec<(usize, Option<Outcome>)> = Vec::with_capacity(records.len());
    let mut to_check = Vec::new();
    for (i, (index, r)) in records.iter().enumerate() {
        let previous = stored.get(&r.common.id).map(|h| (h.update_date, h.content_hash.as_str(), false));
        let previous = previous.or_else(|| held.get(&r.common.id).map(|(at, h)| (*at, h.as_str(), true)));
        let decided = match previous {
            Some((at, _, _)) if r.common.update_date < at => Some(Outcome::Stale { stored: at }),
            Some((at, hash, was_held)) if r.common.update_date == at => {
                Some(if !same_as_sent(hash, r, sent.get(index)) {
                    Outcome::Conflict
                } else if was_held {
                    let (field, key) = first_parent(r);
                    Outcome::Pending { field, key }
                } else {
                    Outcome::Unchanged
                })
            }
            _ => None,
        };
        if decided.is_none() {
            to_check.push(i);
        }
        outcomes.push((*index, decided));
    }
    let checked: Vec<&Record> = to_check.iter().map(|&i| &records[i].1).collect();
    let parents = check_parents(conn, origin.company, &checked)?;
    let mut rows = VersionRows::default();
    let mut new_heads = Vec::new();
    for (&i, status) in to_check.iter().zip(parents) {
        let r = &records[i].1;
        outcomes[i].1 = Some(match status {
            Parents::Known => {
                rows.push(r, origin.batch_id, origin.received_at);
                new_heads.push(head_of(r, origin.received_at));
                Outcome::Accepted
            }
            Parents::Foreign(field, key) => Outcome::UnknownParent { field, key: key.to_owned() },
            Parents::Missing(field, key, parent_table) => {
                pending::hold(conn, &held_row(r, origin, parent_table, key))?;
                Outcome::Pending { field, key: key.to_owned() }
            }
        });
    }
    let mut check_versions = rows.checks();
    rows.insert(conn)?;
    // The caller holds the enterprise's lock: a head not loaded above is new, and is inserted rather than upserted.
    let (known, fresh): (Vec<HeadRow>, Vec<HeadRow>) =
        new_heads.into_iter().partition(|h| stored.contains_key(&h.record_id));
    heads::insert_new(conn, &fresh)?;
    heads::upsert(conn, &known)?;
    let new_heads: Vec<HeadRow> = fresh.into_iter().chain(known).collect();
    for h in new_heads.iter().filter(|h| held.contains_key(&h.record_id)) {
        // A directly stored version supersedes held versions that are not newer; a newer held one keeps waiting.
        let id = RecordId::from_stored(h.record_id.clone());
        pending::remove_superseded(conn, &h.table_name, origin.company, &id, h.update_date)?;
    }
    let (released, released_checks) = release(conn, origin, new_heads)?;
    check_versions += released_checks;
    let outcomes = outcomes.into_iter().map(|(i, o)| (i, o.unwrap_or(Outcome::Accepted))).collect();
    Ok(Applied { outcomes, released, check_versions })
}

fn first_parent(r: &Record) -> (&'static str, String) {
    r.parents().first().map_or(("$", String::new()), |(p, k)| (p.field, (*k).to_owned()))
}

fn held_row(r: &Record, origin: Origin<'_>, parent_table: ExchangeTable, key: &str) -> NewPending {
    NewPending {
        table_name: r.table().name().to_owned(),
        company_code: origin.company.to_string(),
        record_id: r.common.id.clone(),
        update_date: r.common.update_date,
        content_hash: r.content_hash(),
        batch_id: origin.batch_id.to_string(),
        received_at: origin.received_at,
        parent_table: parent_table.name().to_owned(),
        parent_key: key.to_owned(),
        payload: records::to_json(r),
    }
}

/// Releases held records whose parents are now all stored, repeatedly (a released record may be a parent itself).
/// Returns how many, and how many of them were check records.
fn release(conn: &mut DbConnection, origin: Origin<'_>, mut new: Vec<HeadRow>) -> QueryResult<(usize, usize)> {
    let (mut released, mut checks) = (0, 0);
    while !new.is_empty() {
        let mut by_table: HashMap<ExchangeTable, Vec<&str>> = HashMap::new();
        for h in &new {
            if let Ok(t) = ExchangeTable::parse(&h.table_name) {
                by_table.entry(t).or_default().push(&h.natural_key);
            }
        }
        let mut waiting = Vec::new();
        for (table, keys) in by_table {
            waiting.extend(pending::waiting_for(conn, origin.company, table, &keys)?);
        }
        let mut next = Vec::new();
        for pending::PendingRow { seq, held } in waiting {
            let Ok(r) = records::from_json(&held.payload) else { continue };
            match check_parents(conn, origin.company, &[&r])?.pop() {
                Some(Parents::Missing(_, key, table)) => pending::retarget(conn, seq, table, key)?,
                Some(Parents::Known) => {
                    pending::remove(
                        conn,
                        &held.table_name,
                        origin.company,
                        &RecordId::from_stored(held.record_id.clone()),
                    )?;
                    let current = heads::load(conn, r.table(), origin.company, &[&r.common.id])?;
                    if current.values().any(|h| h.update_date >= r.common.update_date) {
                        continue; // superseded by a version stored directly
                    }
                    let mut rows = VersionRows::default();
                    rows.push(&r, &BatchId::new(held.batch_id.clone()), origin.received_at);
                    checks += rows.checks();
                    rows.insert(conn)?;
                    let head = head_of(&r, origin.received_at);
                    heads::upsert(conn, std::slice::from_ref(&head))?;
                    next.push(head);
                    released += 1;
                }
                // A parent that now names another enterprise's record: keep holding, visible to operators.
                Some(Parents::Foreign(..)) | None => {}
            }
        }
        new = next;
    }
    Ok((released, checks))
}
