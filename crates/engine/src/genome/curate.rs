//! A person's edits to the curated flags. Each edit marks the flag as curated, so discovery
//! and sync never overwrite it, and is recorded in mutation_log with before and after.

use super::model::{GenomeField, GENOME_COLUMNS};
use crate::connect::transaction::{self, Mode};
use crate::error::{Error, Result};
use crate::ident::FieldRef;
use crate::mutations::{self, Actor, MutationKind, NewMutation};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::PgPool;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct FlagEdit {
    pub is_indexable: Option<bool>,
    pub feature_group: Option<String>,
    pub default_expression: Option<bool>,
}

impl FlagEdit {
    fn names(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.is_indexable.is_some() {
            v.push("is_indexable");
        }
        if self.feature_group.is_some() {
            v.push("feature_group");
        }
        if self.default_expression.is_some() {
            v.push("default_expression");
        }
        v
    }
}

/// Applies one edit to every field in `fields` (one or many: bulk edits are the same
/// operation), in one transaction. Unknown fields fail the whole edit.
pub async fn set_flags(
    pool: &PgPool,
    actor: &Actor,
    fields: &[FieldRef],
    edit: &FlagEdit,
    reason: Option<&str>,
) -> Result<Vec<GenomeField>> {
    let names = edit.names();
    if names.is_empty() {
        return Err(Error::InvalidInput(
            "nothing to change: give --indexable, --feature-group or --default-expression"
                .to_string(),
        ));
    }
    if let Some(group) = &edit.feature_group {
        if group.trim().is_empty() {
            return Err(Error::InvalidInput(
                "the feature group cannot be empty".to_string(),
            ));
        }
    }
    let mut tx = transaction::begin(pool, Mode::Write).await?;
    let mut updated = Vec::with_capacity(fields.len());
    let mut entries = Vec::with_capacity(fields.len());
    for f in fields {
        let before: Option<GenomeField> = sqlx::query_as(&format!(
            "SELECT {GENOME_COLUMNS} FROM indexpilot.genome_catalog
             WHERE schema_name = $1 AND table_name = $2 AND field_name = $3 AND removed_at IS NULL
             FOR UPDATE"
        ))
        .bind(&f.schema)
        .bind(&f.table)
        .bind(&f.column)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(before) = before else {
            return Err(Error::NotFound {
                what: "field",
                name: f.to_string(),
            });
        };
        let after: GenomeField = sqlx::query_as(&format!(
            "UPDATE indexpilot.genome_catalog SET
                 is_indexable = COALESCE($2, is_indexable),
                 feature_group = COALESCE($3, feature_group),
                 default_expression = COALESCE($4, default_expression),
                 curated_flags = ARRAY(SELECT DISTINCT unnest(curated_flags || $5::text[]) ORDER BY 1),
                 curated_by = current_user, curated_at = now()
             WHERE id = $1
             RETURNING {GENOME_COLUMNS}"
        ))
        .bind(before.id)
        .bind(edit.is_indexable)
        .bind(edit.feature_group.as_deref())
        .bind(edit.default_expression)
        .bind(&names)
        .fetch_one(&mut *tx)
        .await?;
        entries.push(
            NewMutation::new(
                MutationKind::FlagEdit,
                json!({
                    "reason": reason,
                    "before": {"is_indexable": before.is_indexable, "feature_group": before.feature_group,
                               "default_expression": before.default_expression},
                    "after": {"is_indexable": after.is_indexable, "feature_group": after.feature_group,
                              "default_expression": after.default_expression},
                }),
            )
            .on_field(&f.schema, &f.table, &f.column),
        );
        updated.push(after);
    }
    mutations::record(&mut tx, actor, &entries).await?;
    tx.commit().await?;
    Ok(updated)
}
