//! Reads the tables and columns of a migrated database, on either backend. Used to generate `schema.rs` and to
//! prove that the two migration trees give the same schema.

use crate::{DbConnection, Result};
use diesel::sql_types::{BigInt, Integer, Text};
use diesel::{QueryableByName, RunQueryDsl};

/// The portable type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ColumnKind {
    /// 64-bit integer.
    BigInt,
    /// 32-bit integer.
    Integer,
    /// Text.
    Text,
    /// Naive timestamp (UTC by convention).
    Timestamp,
    /// Boolean.
    Bool,
    /// Bytes (BLOB on SQLite, bytea on PostgreSQL).
    Binary,
}

impl ColumnKind {
    /// The diesel SQL type name.
    pub fn diesel_name(self) -> &'static str {
        match self {
            ColumnKind::BigInt => "BigInt",
            ColumnKind::Integer => "Integer",
            ColumnKind::Text => "Text",
            ColumnKind::Timestamp => "Timestamp",
            ColumnKind::Bool => "Bool",
            ColumnKind::Binary => "Binary",
        }
    }
}

/// One column of one table.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ColumnInfo {
    /// The table.
    pub table: String,
    /// The position of the column in its table (1-based).
    pub position: i64,
    /// The column name.
    pub name: String,
    /// The portable type.
    pub kind: ColumnKind,
    /// Whether NULL is allowed.
    pub nullable: bool,
    /// The position of the column in the primary key (1-based), if it belongs to it.
    pub pk: Option<i64>,
}

#[derive(QueryableByName)]
struct RawColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = BigInt)]
    position: i64,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Integer)]
    not_null: i32,
    #[diesel(sql_type = BigInt)]
    pk: i64,
}

const SQLITE_COLUMNS: &str = "SELECT m.name AS table_name, p.cid + 1 AS position, p.name AS column_name, \
     upper(p.type) AS data_type, p.\"notnull\" AS not_null, p.pk AS pk \
     FROM sqlite_master m JOIN pragma_table_info(m.name) p \
     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '__diesel_schema_migrations' \
     ORDER BY m.name, p.cid";

/// PostgreSQL's columns. Partitions (migration 000019's `<table>_versions_YYYY_MM`) are not tables of their own
/// here, and a partitioned table's key is given without its partition column: the version tables are keyed
/// `(seq, received_at)` only because PostgreSQL requires the partition column in a partitioned table's key, while
/// `seq` alone is unique (one sequence), as on SQLite.
const POSTGRES_COLUMNS: &str = "SELECT c.table_name::text AS table_name, c.ordinal_position::bigint AS position, \
     c.column_name::text AS column_name, c.data_type::text AS data_type, \
     (CASE WHEN c.is_nullable = 'NO' THEN 1 ELSE 0 END)::int AS not_null, \
     COALESCE((SELECT k.ordinal_position FROM information_schema.table_constraints t \
        JOIN information_schema.key_column_usage k ON k.constraint_name = t.constraint_name \
         AND k.table_schema = t.table_schema AND k.table_name = t.table_name \
        WHERE t.constraint_type = 'PRIMARY KEY' AND t.table_schema = c.table_schema \
         AND t.table_name = c.table_name AND k.column_name = c.column_name \
         AND NOT EXISTS (SELECT 1 FROM pg_partitioned_table pt JOIN pg_attribute a ON a.attrelid = pt.partrelid \
          AND a.attnum = ANY (pt.partattrs::int2[]) \
          WHERE pt.partrelid = (quote_ident(c.table_schema) || '.' || quote_ident(c.table_name))::regclass \
          AND a.attname = c.column_name)), 0)::bigint AS pk \
     FROM information_schema.columns c \
     WHERE c.table_schema = current_schema() AND c.table_name <> '__diesel_schema_migrations' \
     AND NOT EXISTS (SELECT 1 FROM pg_class r WHERE r.relnamespace = current_schema()::regnamespace \
      AND r.relname = c.table_name AND r.relispartition) \
     ORDER BY c.table_name, c.ordinal_position";

/// Every column of every table of the platform, ordered by table and position.
pub fn columns(conn: &mut DbConnection) -> Result<Vec<ColumnInfo>> {
    // Backends differ: each has its own catalog to read.
    let sqlite = matches!(conn, DbConnection::Sqlite(_));
    // raw SQL: the system catalogs (`pragma_table_info`, `information_schema`) are not in schema.rs.
    let raw: Vec<RawColumn> = diesel::sql_query(if sqlite { SQLITE_COLUMNS } else { POSTGRES_COLUMNS }).load(conn)?;
    let pk_len = |table: &str| raw.iter().filter(|c| c.table_name == table && c.pk > 0).count();
    let single_pk: Vec<bool> = raw.iter().map(|r| pk_len(&r.table_name) == 1).collect();
    raw.into_iter()
        .zip(single_pk)
        .map(|(r, single_pk)| {
            let kind = match r.data_type.as_str() {
                // SQLite's single-column INTEGER PRIMARY KEY is the 64-bit rowid.
                "INTEGER" if sqlite && r.pk > 0 && single_pk => ColumnKind::BigInt,
                "BIGINT" | "bigint" => ColumnKind::BigInt,
                "INTEGER" | "integer" => ColumnKind::Integer,
                "TEXT" | "text" => ColumnKind::Text,
                "TIMESTAMP" | "timestamp without time zone" => ColumnKind::Timestamp,
                "BOOLEAN" | "boolean" => ColumnKind::Bool,
                "BLOB" | "bytea" => ColumnKind::Binary,
                other => {
                    return Err(crate::StorageError::Corrupt(format!(
                        "{}.{} has a type that is not portable: {other}",
                        r.table_name, r.column_name
                    )));
                }
            };
            Ok(ColumnInfo {
                table: r.table_name,
                position: r.position,
                name: r.column_name,
                kind,
                // A primary-key column is never NULL, whatever SQLite reports.
                nullable: r.not_null == 0 && r.pk == 0,
                pk: (r.pk > 0).then_some(r.pk),
            })
        })
        .collect()
}

/// Renders diesel `table!` definitions for the columns, the text of `schema.rs`.
pub fn render_schema(columns: &[ColumnInfo]) -> String {
    let mut out = String::from(
        "// @generated from the migrated SQLite schema by `DUALPREV_BLESS=1 cargo test -p storage --test it schema`.\n\
         // Do not edit: change the migrations, then regenerate.\n\n",
    );
    let mut tables: Vec<&str> = columns.iter().map(|c| c.table.as_str()).collect();
    tables.dedup();
    for table in &tables {
        let cols: Vec<&ColumnInfo> = columns.iter().filter(|c| c.table == *table).collect();
        let mut pk: Vec<&&ColumnInfo> = cols.iter().filter(|c| c.pk.is_some()).collect();
        pk.sort_by_key(|c| c.pk);
        let pk: Vec<&str> = pk.iter().map(|c| c.name.as_str()).collect();
        out.push_str(&format!("diesel::table! {{\n    /// The `{table}` table.\n    {table} ({}) {{\n", pk.join(", ")));
        for c in cols {
            let ty = c.kind.diesel_name();
            let ty = if c.nullable { format!("Nullable<{ty}>") } else { ty.to_owned() };
            out.push_str(&format!("        /// `{table}.{}`.\n        {} -> {ty},\n", c.name, c.name));
        }
        out.push_str("    }\n}\n\n");
    }
    out.push_str(&format!("diesel::allow_tables_to_appear_in_same_query!({});\n", tables.join(", ")));
    out
}
