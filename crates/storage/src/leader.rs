//! Leadership among the processes that share one database, for work that must run in exactly one of them (the
//! webhook deliveries). On PostgreSQL it is a session advisory lock held by a connection of its own: the leader keeps
//! it while it lives, and when its process dies the server releases the lock and another process takes over. The lock
//! also goes when only its connection ends (`pg_terminate_backend`, a failover, a server restart) while the process
//! lives on: a leader therefore asks [`Leadership::still_leads`] before each stretch of work and stops when it does
//! not. On SQLite, where every process is on one machine and there is normally one, it is always granted.

use crate::conn::establish;
use crate::{Db, DbConnection, Result};
use diesel::RunQueryDsl;
use diesel::sql_types::{BigInt, Bool, Integer, Text};

/// Held leadership; dropping it (or the process ending) gives it up.
pub struct Leadership {
    /// The connection holding the lock (PostgreSQL), `None` on SQLite.
    conn: Option<DbConnection>,
    /// The advisory lock's key: `hashtext('leader:<name>')` as a bigint, as every version of dualprev takes it.
    key: i64,
    /// The PostgreSQL backend process of `conn`.
    pid: Option<i32>,
}

impl std::fmt::Debug for Leadership {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Leadership").field("postgres", &self.conn.is_some()).field("key", &self.key).finish()
    }
}

#[derive(diesel::QueryableByName)]
struct Taken {
    #[diesel(sql_type = BigInt)]
    key: i64,
    #[diesel(sql_type = Bool)]
    ok: bool,
    #[diesel(sql_type = Integer)]
    pid: i32,
}

#[derive(diesel::QueryableByName)]
struct Held {
    #[diesel(sql_type = Bool)]
    held: bool,
}

/// Tries to become the leader of `name` without waiting: `Some` when this process leads.
pub fn try_lead(db: &Db, name: &str) -> Result<Option<Leadership>> {
    let mut conn = establish(db.url())?;
    let DbConnection::Postgresql(pg) = &mut conn else { return Ok(Some(Leadership { conn: None, key: 0, pid: None })) };
    // raw SQL: `pg_try_advisory_lock` and `pg_backend_pid` are not in diesel's DSL. Not `lock::xact_lock`: this is a
    // session-level lock held by a connection of its own for as long as the process leads, tried without waiting.
    // The key is the one earlier versions locked (`pg_try_advisory_lock(hashtext(…))`, the int4 widened to a bigint),
    // so that during a rolling upgrade old and new processes still exclude each other.
    let taken: Taken = diesel::sql_query(
        "SELECT k.key, pg_try_advisory_lock(k.key) AS ok, pg_backend_pid() AS pid \
         FROM (SELECT hashtext($1)::int8 AS key) AS k",
    )
    .bind::<Text, _>(format!("leader:{name}"))
    .get_result(pg)?;
    Ok(taken.ok.then_some(Leadership { conn: Some(conn), key: taken.key, pid: Some(taken.pid) }))
}

impl Leadership {
    /// Whether this leadership still holds: on PostgreSQL, whether its own connection's session still holds the
    /// advisory lock (the server lists it in `pg_locks`, a bigint key split into `classid` = high 32 bits and
    /// `objid` = low 32 bits, `objsubid` = 1). An error means the check could not be made, typically because the
    /// connection was ended, which releases the lock: callers treat it as lost, like `Ok(false)`, and drop this
    /// value. On SQLite always `Ok(true)`.
    pub fn still_leads(&mut self) -> Result<bool> {
        let Some(DbConnection::Postgresql(pg)) = &mut self.conn else { return Ok(true) };
        // raw SQL: `pg_locks` is not in schema.rs.
        let held: Held = diesel::sql_query(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted \
             AND classid::int8 = (($1 >> 32) & 4294967295) AND objid::int8 = ($1 & 4294967295) AND objsubid = 1) \
             AS held",
        )
        .bind::<BigInt, _>(self.key)
        .get_result(pg)?;
        Ok(held.held)
    }

    /// The PostgreSQL backend process of the connection holding the lock (`None` on SQLite), e.g. for an operator
    /// or a test to end that session with `pg_terminate_backend`.
    pub fn backend_pid(&self) -> Option<i32> {
        self.pid
    }
}
