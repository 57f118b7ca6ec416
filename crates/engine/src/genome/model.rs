//! The genome's two views of a field: as discovered live, and as recorded in genome_catalog.

use crate::catalog::{Catalog, ConstraintKind, Relation, RelationKind};
use crate::ident::FieldRef;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// A field as the live catalog shows it now.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct LiveField {
    pub schema: String,
    pub table: String,
    pub field: String,
    pub field_type: String,
    pub type_category: String,
    pub ordinal: i16,
    pub is_required: bool,
    pub is_primary_key: bool,
    pub table_kind: String,
    pub table_oid: i64,
    pub attnum: i16,
    pub description: Option<String>,
}

impl LiveField {
    pub fn key(&self) -> FieldRef {
        FieldRef::new(&self.schema, &self.table, &self.field)
    }
}

/// The relations whose fields the genome holds. A partition's fields are its partitioned
/// table's (PostgreSQL keeps them identical), so they are the parent's fields only: a table
/// of 200 partitions is one table in the genome, not 201.
fn genome_relations(catalog: &Catalog) -> impl Iterator<Item = &Relation> {
    catalog
        .relations
        .iter()
        .filter(|r| r.kind != RelationKind::Partition)
}

/// How many fields `live_fields` gives, without building them.
pub fn field_count(catalog: &Catalog) -> usize {
    genome_relations(catalog).map(|r| r.columns.len()).sum()
}

/// Flattens a discovered catalog into its fields (see `genome_relations`).
pub fn live_fields(catalog: &Catalog) -> Vec<LiveField> {
    let mut out = Vec::with_capacity(field_count(catalog));
    for rel in genome_relations(catalog) {
        let pk: &[String] = rel
            .constraints
            .iter()
            .find(|c| c.kind == ConstraintKind::PrimaryKey)
            .map_or(&[], |c| c.columns.as_slice());
        for col in &rel.columns {
            out.push(LiveField {
                schema: rel.schema.clone(),
                table: rel.name.clone(),
                field: col.name.clone(),
                field_type: col.data_type.clone(),
                type_category: col.type_category.clone(),
                ordinal: col.attnum,
                is_required: col.not_null,
                is_primary_key: pk.contains(&col.name),
                table_kind: rel.kind.as_str().to_string(),
                table_oid: rel.oid,
                attnum: col.attnum,
                description: col.comment.clone(),
            });
        }
    }
    out
}

/// A field as genome_catalog records it, curated flags included.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, ts_rs::TS)]
pub struct GenomeField {
    pub id: i64,
    pub schema_name: String,
    pub table_name: String,
    pub field_name: String,
    pub field_type: String,
    pub type_category: String,
    pub is_required: bool,
    pub is_primary_key: bool,
    pub is_indexable: bool,
    pub default_expression: bool,
    pub feature_group: String,
    pub curated_flags: Vec<String>,
    pub curated_by: Option<String>,
    pub table_kind: String,
    pub table_oid: Option<i64>,
    pub attnum: Option<i16>,
    pub removed_at: Option<DateTime<Utc>>,
}

impl GenomeField {
    pub fn key(&self) -> FieldRef {
        FieldRef::new(&self.schema_name, &self.table_name, &self.field_name)
    }
}

pub(crate) const GENOME_COLUMNS: &str =
    "id, schema_name, table_name, field_name, field_type, type_category, \
     is_required, is_primary_key, is_indexable, default_expression, feature_group, curated_flags, \
     curated_by, table_kind, table_oid::int8 AS table_oid, attnum, removed_at";
