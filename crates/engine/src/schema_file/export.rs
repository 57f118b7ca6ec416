//! The genome and the live keys and indexes as a schema file.

use super::compare::qualify;
use super::model::{
    FieldSpec, ForeignKeySpec, IndexSpec, ReferenceSpec, SchemaFile, TableSpec, VERSION,
};
use crate::catalog::{self, ConstraintKind};
use crate::error::Result;
use crate::genome::{self, GenomeFilter};
use sqlx::PgPool;

/// Every active field of the genome with its flags, table by table in the genome's order,
/// with each table's foreign keys and its indexes (those behind a primary key or unique
/// constraint are part of the table, not intended indexes, and are left out; so are
/// invalid ones). The same database gives the same file.
pub async fn export(pool: &PgPool) -> Result<SchemaFile> {
    let fields = genome::list(pool, &GenomeFilter::default()).await?;
    let catalog = catalog::discover(pool).await?;
    let mut tables: Vec<TableSpec> = Vec::new();
    for f in fields {
        let name = qualify(&f.schema_name, &f.table_name);
        if tables.last().is_none_or(|t| t.table != name) {
            let mut spec = TableSpec {
                table: name,
                fields: Vec::new(),
                foreign_keys: Vec::new(),
                indexes: Vec::new(),
            };
            if let Some(rel) = catalog.relation(&f.schema_name, &f.table_name) {
                spec.foreign_keys = rel
                    .constraints
                    .iter()
                    .filter(|c| c.kind == ConstraintKind::ForeignKey)
                    .filter_map(|c| {
                        let r = c.references.as_ref()?;
                        Some(ForeignKeySpec {
                            columns: c.columns.clone(),
                            references: ReferenceSpec {
                                table: qualify(&r.schema, &r.table),
                                columns: r.columns.clone(),
                            },
                        })
                    })
                    .collect();
                spec.indexes = rel
                    .indexes
                    .iter()
                    .filter(|i| i.is_valid && i.constraint_name.is_none())
                    .map(|i| IndexSpec {
                        name: i.name.clone(),
                        columns: i.key_columns.clone(),
                        unique: i.is_unique,
                        method: (i.method != "btree").then(|| i.method.clone()),
                        include: i.include_columns.clone(),
                        predicate: i.predicate.clone(),
                    })
                    .collect();
                spec.indexes.sort_by(|a, b| a.name.cmp(&b.name));
            }
            tables.push(spec);
        }
        if let Some(t) = tables.last_mut() {
            t.fields.push(FieldSpec {
                name: f.field_name,
                field_type: f.field_type,
                required: f.is_required,
                indexable: Some(f.is_indexable),
                default_expression: Some(f.default_expression),
                feature_group: Some(f.feature_group),
            });
        }
    }
    Ok(SchemaFile {
        version: VERSION,
        tables,
    })
}
