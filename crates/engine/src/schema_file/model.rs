//! The schema file as written: tables, their fields with the genome's curated flags, foreign
//! keys and intended indexes. Unknown keys are refused so that a misspelt flag is never
//! silently ignored.

use serde::{Deserialize, Serialize};

/// The format version this build reads and writes.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaFile {
    pub version: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tables: Vec<TableSpec>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSpec {
    /// `schema.table`; a bare name means `public`.
    pub table: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign_keys: Vec<ForeignKeySpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<IndexSpec>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    pub name: String,
    /// The type as PostgreSQL prints it (`bigint`, `character varying(80)`); common
    /// spellings (`int8`, `varchar(80)`, `timestamptz`) are accepted.
    #[serde(rename = "type")]
    pub field_type: String,
    /// NOT NULL.
    #[serde(default)]
    pub required: bool,
    /// May an index ever use this field? Absent: the genome's value stays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indexable: Option<bool>,
    /// Is the field active for tenants with no setting of their own? Absent: unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_expression: Option<bool>,
    /// `core`, `custom`, `tenancy`, or a group of the team's own. Absent: unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature_group: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForeignKeySpec {
    pub columns: Vec<String>,
    pub references: ReferenceSpec,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceSpec {
    /// `schema.table`; a bare name means `public`.
    pub table: String,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexSpec {
    pub name: String,
    /// Key columns in order; an expression as PostgreSQL prints it, e.g. `lower(email)`.
    pub columns: Vec<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub unique: bool,
    /// btree when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// The predicate of a partial index.
    #[serde(default, rename = "where", skip_serializing_if = "Option::is_none")]
    pub predicate: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}
