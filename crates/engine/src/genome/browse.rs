//! The genome as the catalog view shows it: every field with its curated flags, its keys,
//! the indexes that use it and how many tenants set it explicitly; every table with its
//! estimates, sizes and indexes.

use super::model::GENOME_COLUMNS;
use super::GenomeField;
use crate::catalog::{self, Catalog, ConstraintKind, Index, Relation, RelationKind};
use crate::error::Result;
use crate::migrate::require_initialised;
use serde::Serialize;
use sqlx::PgPool;
use std::collections::{BTreeSet, HashMap};
use ts_rs::TS;

/// A relation as the genome lists it. A partitioned table (and a sub-partitioned partition)
/// carries its leaf partitions' totals: PostgreSQL keeps no rows or pages on the parent.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TableSummary {
    pub schema: String,
    pub name: String,
    pub kind: RelationKind,
    pub parent: Option<(String, String)>,
    /// How a partitioned table is split (`RANGE (at)`).
    pub partition_key: Option<String>,
    /// A partition's bound (`FOR VALUES FROM (…) TO (…)`).
    pub partition_bound: Option<String>,
    /// Leaf partitions under it, at every level (0 for a table that is not partitioned).
    pub partitions: usize,
    pub row_estimate: Option<f64>,
    pub table_bytes: i64,
    pub total_bytes: i64,
    pub field_count: usize,
    pub indexes: Vec<Index>,
}

/// Every relation of the catalog, partitioned ones with their leaves' totals.
pub fn table_summaries(catalog: &Catalog) -> Vec<TableSummary> {
    let mut out: Vec<TableSummary> = catalog
        .relations
        .iter()
        .map(|r| TableSummary {
            schema: r.schema.clone(),
            name: r.name.clone(),
            kind: r.kind,
            parent: r.parent.clone(),
            partition_key: r.partition_key.clone(),
            partition_bound: r.partition_bound.clone(),
            partitions: 0,
            row_estimate: r.row_estimate,
            table_bytes: r.table_bytes,
            total_bytes: r.total_bytes,
            field_count: r.columns.len(),
            indexes: r.indexes.clone(),
        })
        .collect();
    let at: HashMap<(&str, &str), usize> = catalog
        .relations
        .iter()
        .enumerate()
        .map(|(i, r)| ((r.schema.as_str(), r.name.as_str()), i))
        .collect();
    let has_children: BTreeSet<usize> = catalog
        .relations
        .iter()
        .filter_map(|r| r.parent.as_ref())
        .filter_map(|(s, n)| at.get(&(s.as_str(), n.as_str())).copied())
        .collect();
    // Each leaf adds itself to every ancestor; the parents' own figures (no rows, no pages)
    // are replaced by the sums.
    for &i in &has_children {
        out[i].row_estimate = None;
        out[i].table_bytes = 0;
        out[i].total_bytes = 0;
    }
    for (leaf, r) in catalog.relations.iter().enumerate() {
        if has_children.contains(&leaf) {
            continue;
        }
        let mut up = r.parent.as_ref();
        while let Some(&i) = up.and_then(|(s, n)| at.get(&(s.as_str(), n.as_str()))) {
            let (rows, table, total) = (r.row_estimate, r.table_bytes, r.total_bytes);
            let p = &mut out[i];
            p.partitions += 1;
            p.row_estimate = match (p.row_estimate, rows) {
                (Some(a), Some(b)) => Some(a + b),
                (a, b) => a.or(b),
            };
            p.table_bytes += table;
            p.total_bytes += total;
            up = catalog.relations[i].parent.as_ref();
        }
    }
    out
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct GenomeRow {
    pub id: i64,
    pub schema_name: String,
    pub table_name: String,
    pub field_name: String,
    pub field_type: String,
    pub type_category: String,
    pub is_required: bool,
    pub is_primary_key: bool,
    pub is_foreign_key: bool,
    pub is_unique: bool,
    /// Existing indexes with this field among their key columns.
    pub indexed_by: Vec<String>,
    pub is_indexable: bool,
    pub default_expression: bool,
    pub feature_group: String,
    pub curated_flags: Vec<String>,
    pub table_kind: String,
    /// Tenants that switched the field on / off explicitly.
    pub enabled_tenants: i64,
    pub disabled_tenants: i64,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct GenomeBrowse {
    pub tables: Vec<TableSummary>,
    pub fields: Vec<GenomeRow>,
    pub feature_groups: Vec<String>,
}

/// Per relation: which columns are foreign keys, unique on their own, and in which indexes.
struct ColumnFacts<'a> {
    foreign: BTreeSet<&'a str>,
    unique: BTreeSet<&'a str>,
    indexes: HashMap<&'a str, Vec<String>>,
}

fn facts(rel: &Relation) -> ColumnFacts<'_> {
    let mut f = ColumnFacts {
        foreign: BTreeSet::new(),
        unique: BTreeSet::new(),
        indexes: HashMap::new(),
    };
    for c in &rel.constraints {
        match c.kind {
            ConstraintKind::ForeignKey => f.foreign.extend(c.columns.iter().map(String::as_str)),
            ConstraintKind::Unique | ConstraintKind::PrimaryKey if c.columns.len() == 1 => {
                f.unique.insert(&c.columns[0]);
            }
            _ => {}
        }
    }
    for i in &rel.indexes {
        for k in &i.key_columns {
            f.indexes
                .entry(k.as_str())
                .or_default()
                .push(i.name.clone());
        }
    }
    f
}

pub async fn browse(pool: &PgPool) -> Result<GenomeBrowse> {
    require_initialised(pool).await?;
    let catalog = catalog::discover(pool).await?;
    let fields: Vec<GenomeField> = sqlx::query_as(&format!(
        "SELECT {GENOME_COLUMNS} FROM indexpilot.genome_catalog WHERE removed_at IS NULL
         ORDER BY schema_name, table_name, ordinal_position NULLS LAST, field_name"
    ))
    .fetch_all(pool)
    .await?;
    let counts: HashMap<i64, (i64, i64)> = sqlx::query_as::<_, (i64, i64, i64)>(
        "SELECT /* indexpilot */ field_id, count(*) FILTER (WHERE is_enabled), count(*) FILTER (WHERE NOT is_enabled)
         FROM indexpilot.expression_profile GROUP BY field_id",
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|(id, on, off)| (id, (on, off)))
    .collect();

    let table_facts: HashMap<(&str, &str), ColumnFacts<'_>> = catalog
        .relations
        .iter()
        .map(|r| ((r.schema.as_str(), r.name.as_str()), facts(r)))
        .collect();
    let mut groups = BTreeSet::new();
    let rows = fields
        .into_iter()
        .map(|g| {
            groups.insert(g.feature_group.clone());
            let key = (g.schema_name.as_str(), g.table_name.as_str());
            let f = table_facts.get(&key);
            let col = g.field_name.as_str();
            let (enabled_tenants, disabled_tenants) = counts.get(&g.id).copied().unwrap_or((0, 0));
            GenomeRow {
                is_foreign_key: f.is_some_and(|f| f.foreign.contains(col)),
                is_unique: f.is_some_and(|f| f.unique.contains(col)),
                indexed_by: f
                    .and_then(|f| f.indexes.get(col).cloned())
                    .unwrap_or_default(),
                id: g.id,
                field_type: g.field_type,
                type_category: g.type_category,
                is_required: g.is_required,
                is_primary_key: g.is_primary_key,
                is_indexable: g.is_indexable,
                default_expression: g.default_expression,
                feature_group: g.feature_group,
                curated_flags: g.curated_flags,
                table_kind: g.table_kind,
                enabled_tenants,
                disabled_tenants,
                field_name: g.field_name,
                table_name: g.table_name,
                schema_name: g.schema_name,
            }
        })
        .collect();
    let tables = table_summaries(&catalog);
    Ok(GenomeBrowse {
        tables,
        fields: rows,
        feature_groups: groups.into_iter().collect(),
    })
}
