//! Columns with their exact types, nullability and defaults.

use serde::Serialize;

pub(super) const SQL: &str = include_str!("sql/columns.sql");

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Column {
    #[serde(skip)]
    pub table_oid: i64,
    pub attnum: i16,
    pub name: String,
    /// Exact type as `format_type()` prints it: `character varying(80)`, `crm.stage[]`.
    pub data_type: String,
    /// base, enum, domain, array, composite, range or other.
    pub type_category: String,
    pub not_null: bool,
    pub default_expr: Option<String>,
    /// `a` (always) or `d` (by default) for identity columns.
    pub identity: Option<String>,
    pub generated: bool,
    pub comment: Option<String>,
}
