//! Enum types and their labels.

use serde::Serialize;

pub(super) const SQL: &str = include_str!("sql/enums.sql");

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct EnumType {
    pub schema_name: String,
    pub name: String,
    pub labels: Vec<String>,
}
