//! Reading and writing the rows of any table on either backend, with the column types of
//! [`introspect`](crate::introspect): rows are read as one JSON array each (the same text shape from both
//! backends), parsed into typed [`Cell`]s, and inserted with typed bind parameters.

use super::CopyError;
use crate::DbConnection;
use crate::backend::{db_run, values_placeholders};
use crate::introspect::{ColumnInfo, ColumnKind};
use chrono::NaiveDateTime;
use diesel::sql_types::{BigInt, Binary, Bool, Integer, Nullable, Text, Timestamp};
use diesel::{QueryableByName, RunQueryDsl};

/// One value of a row, typed by its column.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Cell {
    /// BIGINT.
    BigInt(Option<i64>),
    /// INTEGER.
    Integer(Option<i32>),
    /// TEXT.
    Text(Option<String>),
    /// TIMESTAMP (naive UTC, microseconds).
    Timestamp(Option<NaiveDateTime>),
    /// BOOLEAN.
    Bool(Option<bool>),
    /// BLOB / BYTEA.
    Binary(Option<Vec<u8>>),
}

/// A table and its columns, in column order.
#[derive(Debug, Clone)]
pub struct Table {
    /// The table name.
    pub name: String,
    /// Its columns.
    pub columns: Vec<ColumnInfo>,
}

impl Table {
    /// The primary-key columns, in key order.
    pub fn key(&self) -> Vec<&str> {
        let mut pk: Vec<&ColumnInfo> = self.columns.iter().filter(|c| c.pk.is_some()).collect();
        pk.sort_by_key(|c| c.pk);
        pk.iter().map(|c| c.name.as_str()).collect()
    }

    /// The primary-key cells of a row of this table, in key order.
    pub fn key_cells(&self, row: &[Cell]) -> Vec<Cell> {
        let mut pk: Vec<(i64, usize)> =
            self.columns.iter().enumerate().filter_map(|(i, c)| c.pk.map(|k| (k, i))).collect();
        pk.sort_unstable();
        pk.iter().filter_map(|(_, i)| row.get(*i).cloned()).collect()
    }

    /// The single 64-bit key column (a SQLite rowid or a PostgreSQL BIGSERIAL), if the key is one.
    pub fn serial(&self) -> Option<&str> {
        match self.columns.iter().filter(|c| c.pk.is_some()).collect::<Vec<_>>()[..] {
            [c] if c.kind == ColumnKind::BigInt => Some(&c.name),
            _ => None,
        }
    }
}

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

/// The SELECT of one page of a table in primary-key order, each row as a JSON array of text, numbers, booleans or
/// NULLs; `after` adds `WHERE (key…) > (…)` (keyset paging: each page costs the same however far into the table).
fn select_sql(conn: &DbConnection, table: &Table, after: bool) -> String {
    let pg = matches!(conn, DbConnection::Postgresql(_));
    let exprs: Vec<String> = table
        .columns
        .iter()
        .map(|c| match (c.kind, pg) {
            (ColumnKind::Timestamp, true) => format!("to_char(\"{}\", 'YYYY-MM-DD HH24:MI:SS.US')", c.name),
            (ColumnKind::Binary, true) => format!("encode(\"{}\", 'hex')", c.name),
            (ColumnKind::Binary, false) => format!("hex(\"{}\")", c.name),
            _ => format!("\"{}\"", c.name),
        })
        .collect();
    let key: Vec<String> = table.key().iter().map(|k| format!("\"{k}\"")).collect();
    let param = |n: usize| if pg { format!("${n}") } else { "?".to_owned() };
    let filter = if after {
        let params: Vec<String> = (1..=key.len()).map(param).collect();
        format!("WHERE ({}) > ({})", key.join(", "), params.join(", "))
    } else {
        String::new()
    };
    let limit = param(if after { key.len() + 1 } else { 1 });
    let (array, cast) = if pg { ("json_build_array", "::text") } else { ("json_array", "") };
    format!(
        "SELECT {array}({}){cast} AS line FROM \"{}\" {filter} ORDER BY {} LIMIT {limit}",
        exprs.join(", "),
        table.name,
        key.join(", ")
    )
}

/// Binds cells, each with its column's nullable type, to a boxed query.
macro_rules! bind_cells {
    ($q:expr, $cells:expr) => {{
        let mut q = $q;
        for cell in $cells {
            q = match cell.clone() {
                Cell::BigInt(v) => q.bind::<Nullable<BigInt>, _>(v),
                Cell::Integer(v) => q.bind::<Nullable<Integer>, _>(v),
                Cell::Text(v) => q.bind::<Nullable<Text>, _>(v),
                Cell::Timestamp(v) => q.bind::<Nullable<Timestamp>, _>(v),
                Cell::Bool(v) => q.bind::<Nullable<Bool>, _>(v),
                Cell::Binary(v) => q.bind::<Nullable<Binary>, _>(v),
            };
        }
        q
    }};
}

/// Reads up to `limit` rows of a table in primary-key order, after the row whose key cells are `after` (from the
/// start when None).
pub fn read_page(
    conn: &mut DbConnection,
    table: &Table,
    after: Option<&[Cell]>,
    limit: i64,
) -> Result<Vec<Vec<Cell>>, CopyError> {
    let sql = select_sql(conn, table, after.is_some());
    let key = after.unwrap_or_default();
    // raw SQL: the table and its columns are known only at run time.
    let lines: Vec<Line> =
        db_run!(conn: c => bind_cells!(diesel::sql_query(sql).into_boxed(), key).bind::<BigInt, _>(limit).load(c)?);
    lines.iter().map(|l| parse_row(table, &l.line)).collect()
}

fn bad(table: &Table, col: &ColumnInfo, v: &serde_json::Value) -> CopyError {
    CopyError::BadValue(format!("{}.{}: {v}", table.name, col.name))
}

/// Parses one JSON row into typed cells.
fn parse_row(table: &Table, line: &str) -> Result<Vec<Cell>, CopyError> {
    let values: Vec<serde_json::Value> =
        serde_json::from_str(line).map_err(|e| CopyError::BadValue(format!("{}: {e}", table.name)))?;
    if values.len() != table.columns.len() {
        return Err(CopyError::BadValue(format!(
            "{}: {} values for {} columns",
            table.name,
            values.len(),
            table.columns.len()
        )));
    }
    table
        .columns
        .iter()
        .zip(values)
        .map(|(col, v)| {
            use serde_json::Value as J;
            let null = v.is_null();
            let cell = match col.kind {
                ColumnKind::BigInt => {
                    Cell::BigInt(if null { None } else { Some(v.as_i64().ok_or_else(|| bad(table, col, &v))?) })
                }
                ColumnKind::Integer => Cell::Integer(if null {
                    None
                } else {
                    Some(v.as_i64().and_then(|n| i32::try_from(n).ok()).ok_or_else(|| bad(table, col, &v))?)
                }),
                ColumnKind::Text => Cell::Text(match &v {
                    J::Null => None,
                    J::String(s) => Some(s.clone()),
                    _ => return Err(bad(table, col, &v)),
                }),
                ColumnKind::Timestamp => Cell::Timestamp(match &v {
                    J::Null => None,
                    J::String(s) => Some(parse_time(s).ok_or_else(|| bad(table, col, &v))?),
                    _ => return Err(bad(table, col, &v)),
                }),
                ColumnKind::Bool => Cell::Bool(match &v {
                    J::Null => None,
                    J::Bool(b) => Some(*b),
                    J::Number(n) => Some(n.as_i64() != Some(0)),
                    _ => return Err(bad(table, col, &v)),
                }),
                ColumnKind::Binary => Cell::Binary(match &v {
                    J::Null => None,
                    J::String(s) => Some(hex::decode(s).map_err(|_| bad(table, col, &v))?),
                    _ => return Err(bad(table, col, &v)),
                }),
            };
            Ok(cell)
        })
        .collect()
}

/// A stored time as either backend writes it: `YYYY-MM-DD HH:MM:SS[.ffffff]` (or with a `T`).
fn parse_time(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f"))
        .ok()
}

/// Inserts rows (all of one table) in one statement.
pub fn insert_rows(conn: &mut DbConnection, table: &Table, rows: &[Vec<Cell>]) -> Result<usize, CopyError> {
    if rows.is_empty() {
        return Ok(0);
    }
    let values = values_placeholders(conn, rows.len(), table.columns.len());
    let names: Vec<String> = table.columns.iter().map(|c| format!("\"{}\"", c.name)).collect();
    let sql = format!("INSERT INTO \"{}\" ({}) VALUES {values}", table.name, names.join(", "));
    // raw SQL: the table and its columns are known only at run time.
    Ok(db_run!(conn: c => bind_cells!(diesel::sql_query(sql).into_boxed(), rows.iter().flatten()).execute(c)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_backends_shapes() {
        assert_eq!(hex::decode("00fFa1").ok(), Some(vec![0, 255, 161]));
        assert_eq!(hex::decode("0").ok(), None);
        let a = parse_time("2026-11-01 08:00:00");
        assert_eq!(a, parse_time("2026-11-01T08:00:00.000000"));
        assert!(a.is_some());
        assert_eq!(parse_time("2026-11-01 08:00:00.123456"), parse_time("2026-11-01T08:00:00.123456"));
    }
}
