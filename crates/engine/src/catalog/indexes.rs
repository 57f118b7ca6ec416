//! Existing indexes: definition, key and INCLUDE columns, predicate, validity, size.

use serde::Serialize;

pub(super) const SQL: &str = include_str!("sql/indexes.sql");

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
// Named apart from the bindings' index.ts, which a case-insensitive file system would confuse.
#[ts(rename = "ExistingIndex")]
pub struct Index {
    pub schema: String,
    pub name: String,
    /// btree, hash, gin, gist, brin, ...
    pub method: String,
    pub is_unique: bool,
    pub is_primary: bool,
    /// False for a failed CREATE INDEX CONCURRENTLY: the index is maintained but never used.
    pub is_valid: bool,
    pub is_ready: bool,
    /// Full `CREATE INDEX` text as `pg_get_indexdef()` prints it.
    pub definition: String,
    /// Key columns in order; an expression appears as its text, e.g. `lower(email)`.
    pub key_columns: Vec<String>,
    pub include_columns: Vec<String>,
    pub predicate: Option<String>,
    pub has_expressions: bool,
    pub size_bytes: i64,
    pub constraint_name: Option<String>,
}

#[derive(sqlx::FromRow)]
pub(super) struct Row {
    pub table_oid: i64,
    pub schema_name: String,
    pub name: String,
    pub method: String,
    pub is_unique: bool,
    pub is_primary: bool,
    pub is_valid: bool,
    pub is_ready: bool,
    pub definition: String,
    pub key_count: i32,
    pub column_defs: Vec<String>,
    pub predicate: Option<String>,
    pub has_expressions: bool,
    pub size_bytes: i64,
    pub constraint_name: Option<String>,
}

impl From<Row> for Index {
    fn from(mut r: Row) -> Self {
        let keys = usize::try_from(r.key_count)
            .unwrap_or(0)
            .min(r.column_defs.len());
        let include_columns = r.column_defs.split_off(keys);
        Index {
            schema: r.schema_name,
            name: r.name,
            method: r.method,
            is_unique: r.is_unique,
            is_primary: r.is_primary,
            is_valid: r.is_valid,
            is_ready: r.is_ready,
            definition: r.definition,
            key_columns: r.column_defs,
            include_columns,
            predicate: r.predicate,
            has_expressions: r.has_expressions,
            size_bytes: r.size_bytes,
            constraint_name: r.constraint_name,
        }
    }
}
