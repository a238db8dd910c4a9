//! One statement, written once, run on the concrete connection of either backend ([`db_run!`]).
//!
//! diesel's `MultiConnection` runs most queries itself, but not multi-row inserts, upserts (`ON CONFLICT`) and a few
//! others, which need the concrete `SqliteConnection` or `PgConnection`. Instead of a `match` whose two arms repeat
//! the same statement, such code is written once inside [`db_run!`], which compiles it for each backend (after
//! vaultwarden's macro of the same name).
//!
//! A `match` on [`DbConnection`](crate::DbConnection) remains only where the backends genuinely differ (a statement
//! one of them lacks, a different migration tree, a different `BEGIN`); each such place says why.

/// Runs `body` with `c` bound to the concrete connection behind `conn` (a `&mut DbConnection`), whichever backend it
/// is. `db_run!(conn: c => body)` expands to
///
/// ```text
/// match conn {
///     DbConnection::Sqlite(c) => body,
///     DbConnection::Postgresql(c) => body,
/// }
/// ```
///
/// so `body` is type-checked once per backend and must have the same type in both; `?` inside it returns from the
/// enclosing function.
macro_rules! db_run {
    ($conn:ident: $c:ident => $body:expr) => {
        match $conn {
            $crate::DbConnection::Sqlite($c) => $body,
            $crate::DbConnection::Postgresql($c) => $body,
        }
    };
}

pub(crate) use db_run;

/// The bind placeholders of a raw multi-row `VALUES` list of `rows` rows of `width` values each, in the backend's
/// form: `(?, ?), (?, ?)` on SQLite, `($1, $2), ($3, $4)` on PostgreSQL.
pub(crate) fn values_placeholders(conn: &crate::DbConnection, rows: usize, width: usize) -> String {
    let pg = matches!(conn, crate::DbConnection::Postgresql(_));
    let mut n = 0;
    let row = |n: &mut usize| {
        let params: Vec<String> = (0..width)
            .map(|_| {
                *n += 1;
                if pg { format!("${n}") } else { "?".to_owned() }
            })
            .collect();
        format!("({})", params.join(", "))
    };
    (0..rows).map(|_| row(&mut n)).collect::<Vec<_>>().join(", ")
}
