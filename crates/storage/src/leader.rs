//! Leadership among the processes that share one database, for work that must run in exactly one of them (the
//! webhook deliveries). On PostgreSQL it is a session advisory lock held by a connection of its own: the leader keeps
//! it while it lives, and when its process dies the server releases the lock and another process takes over. On
//! SQLite, where every process is on one machine and there is normally one, it is always granted.

use crate::conn::establish;
use crate::{Db, DbConnection, Result};
use diesel::RunQueryDsl;

/// Held leadership; dropping it (or the process ending) gives it up.
pub struct Leadership {
    _conn: Option<DbConnection>,
}

impl std::fmt::Debug for Leadership {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Leadership").field("postgres", &self._conn.is_some()).finish()
    }
}

#[derive(diesel::QueryableByName)]
struct Got {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    ok: bool,
}

/// Tries to become the leader of `name` without waiting: `Some` when this process leads.
pub fn try_lead(db: &Db, name: &str) -> Result<Option<Leadership>> {
    let mut conn = establish(db.url())?;
    let DbConnection::Postgresql(pg) = &mut conn else { return Ok(Some(Leadership { _conn: None })) };
    let got: Got = diesel::sql_query("SELECT pg_try_advisory_lock(hashtext($1)) AS ok")
        .bind::<diesel::sql_types::Text, _>(format!("leader:{name}"))
        .get_result(pg)?;
    Ok(got.ok.then_some(Leadership { _conn: Some(conn) }))
}
