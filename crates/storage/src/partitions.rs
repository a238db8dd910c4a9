//! The monthly partitions of the version tables on PostgreSQL (migration 000019, `docs/scale-out.md`,
//! "Partitions"). Each `<table>_versions` is partitioned by month of receipt (`received_at`, UTC months): one
//! partition per month, named `<table>_versions_YYYY_MM`, and a `<table>_versions_default` partition that takes any
//! row whose month has none yet, so that an insert never fails for want of a partition.
//!
//! [`cover`] creates the partitions of a range of months; a row the default partition holds for such a month is moved
//! into the new partition in the same transaction. The work is the database function `dualprev_cover_partitions`,
//! created by the migration, which also uses it; one body for both. Each migration run ([`crate::conn::migrate`],
//! so every start) covers two months ahead of the database's clock ([`cover_ahead`]), and bulk loads cover the months
//! they write. SQLite has no partitions: every function here does nothing there.

use crate::{DbConnection, Result};
use chrono::NaiveDateTime;
use diesel::sql_types::{BigInt, Integer, Text, Timestamp};
use diesel::{QueryableByName, RunQueryDsl};
use domain::ExchangeTable;

/// How many months past the current one [`cover_ahead`] prepares.
pub const AHEAD_MONTHS: u32 = 2;

#[derive(QueryableByName)]
struct Created {
    #[diesel(sql_type = Integer)]
    n: i32,
}

/// Creates the monthly partitions of every version table for the months from `first`'s through `last`'s, those
/// not there yet; returns how many partitions were created. Nothing on SQLite.
pub fn cover(conn: &mut DbConnection, first: NaiveDateTime, last: NaiveDateTime) -> Result<usize> {
    // Backends differ: only PostgreSQL partitions the version tables.
    let DbConnection::Postgresql(pg) = conn else { return Ok(0) };
    let mut created = 0;
    for table in ExchangeTable::ALL {
        let name = format!("{}_versions", table.name());
        // raw SQL: a database function (created by migration 000019) is not in diesel's DSL.
        let n = diesel::sql_query("SELECT dualprev_cover_partitions($1, $1, $2, $3) AS n")
            .bind::<Text, _>(&name)
            .bind::<Timestamp, _>(first)
            .bind::<Timestamp, _>(last)
            .get_result::<Created>(pg)?
            .n;
        let n = usize::try_from(n)
            .map_err(|_| crate::StorageError::Corrupt(format!("{name}: {n} partitions created, a negative count")))?;
        created += n;
    }
    Ok(created)
}

/// Covers the current month and the [`AHEAD_MONTHS`] after it, by the database's clock (UTC); returns how many
/// partitions were created. Nothing on SQLite.
pub fn cover_ahead(conn: &mut DbConnection) -> Result<usize> {
    // Backends differ: only PostgreSQL partitions the version tables.
    let DbConnection::Postgresql(pg) = conn else { return Ok(0) };
    #[derive(QueryableByName)]
    struct Now {
        #[diesel(sql_type = Timestamp)]
        now: NaiveDateTime,
    }
    // raw SQL: the database's clock, which the migration used too.
    let now = diesel::sql_query("SELECT (now() AT TIME ZONE 'UTC') AS now").get_result::<Now>(pg)?.now;
    let last = now.checked_add_months(chrono::Months::new(AHEAD_MONTHS)).unwrap_or(now);
    cover(conn, now, last)
}

/// One partition of a version table.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Partition {
    /// The partitioned table (`check_record_versions`).
    #[diesel(sql_type = Text)]
    pub parent: String,
    /// The partition (`check_record_versions_2026_12`, or `…_default`).
    #[diesel(sql_type = Text)]
    pub name: String,
    /// Its bounds as PostgreSQL prints them (`FOR VALUES FROM (…) TO (…)`, or `DEFAULT`).
    #[diesel(sql_type = Text)]
    pub bounds: String,
    /// The rows it holds.
    #[diesel(sql_type = BigInt)]
    pub rows: i64,
}

/// Every partition of the version tables, by table and name, with its exact row count (a full count of each: for
/// tests and an operator's inspection, not for a hot path). Empty on SQLite.
pub fn list(conn: &mut DbConnection) -> Result<Vec<Partition>> {
    // Backends differ: only PostgreSQL partitions the version tables.
    let DbConnection::Postgresql(pg) = conn else { return Ok(Vec::new()) };
    // raw SQL: the catalog (pg_inherits) is not in schema.rs.
    let parts: Vec<Partition> = diesel::sql_query(
        "SELECT p.relname::text AS parent, c.relname::text AS name, \
         pg_get_expr(c.relpartbound, c.oid) AS bounds, 0::bigint AS rows \
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent \
         WHERE p.relname LIKE '%\\_versions' AND p.relkind = 'p' ORDER BY p.relname, c.relname",
    )
    .load(pg)?;
    parts
        .into_iter()
        .map(|mut p| {
            #[derive(QueryableByName)]
            struct Count {
                #[diesel(sql_type = BigInt)]
                n: i64,
            }
            // raw SQL: the partition is named at run time.
            p.rows = diesel::sql_query(format!("SELECT count(*) AS n FROM \"{}\"", p.name)).get_result::<Count>(pg)?.n;
            Ok(p)
        })
        .collect()
}
