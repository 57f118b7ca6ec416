//! Per-tenant field expression: which tenant uses which field. Toggling is a business
//! decision, so every change is recorded with its actor and reason.

use crate::connect::transaction::{self, Mode};
use crate::error::{Error, Result};
use crate::ident::FieldRef;
use crate::migrate::require_initialised;
use crate::mutations::{self, Actor, MutationKind, NewMutation};
use crate::settings::Tenancy;
use crate::tenants;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::PgPool;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
pub struct ExpressionChange {
    pub tenant_id: String,
    pub field: FieldRef,
    pub field_id: i64,
    pub before: bool,
    pub after: bool,
    /// False when the field already was in the requested state (nothing is logged then).
    pub changed: bool,
    pub mutation_id: Option<i64>,
}

/// One requested change: `field` on or off for `tenant`.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ExpressionToggle {
    pub tenant_id: String,
    pub field: FieldRef,
    pub enabled: bool,
}

/// Switches `field` on or off for `tenant`.
pub async fn set(
    pool: &PgPool,
    actor: &Actor,
    tenancy: &Tenancy,
    tenant: &str,
    field: &FieldRef,
    enabled: bool,
    reason: Option<&str>,
) -> Result<ExpressionChange> {
    let toggle = ExpressionToggle {
        tenant_id: tenant.to_string(),
        field: field.clone(),
        enabled,
    };
    let mut changes = set_many(pool, actor, tenancy, &[toggle], reason).await?;
    changes
        .pop()
        .ok_or_else(|| Error::Client("no change was reported".to_string()))
}

/// Applies several toggles (a row or column of the tenant × field matrix) in one
/// transaction: all of them, or none when one fails.
pub async fn set_many(
    pool: &PgPool,
    actor: &Actor,
    tenancy: &Tenancy,
    toggles: &[ExpressionToggle],
    reason: Option<&str>,
) -> Result<Vec<ExpressionChange>> {
    require_initialised(pool).await?;
    let ids: Vec<&str> = toggles.iter().map(|t| t.tenant_id.as_str()).collect();
    tenants::require_tenants(pool, tenancy, &ids).await?;
    let mut tx = transaction::begin(pool, Mode::Write).await?;
    let mut changes = Vec::with_capacity(toggles.len());
    let mut entries = Vec::new();
    for t in toggles {
        let (change, entry) = set_one(&mut tx, t, reason).await?;
        if let Some(e) = entry {
            entries.push(e);
        }
        changes.push(change);
    }
    let ids = mutations::record(&mut tx, actor, &entries).await?;
    tx.commit().await?;
    let mut ids = ids.into_iter();
    for c in changes.iter_mut().filter(|c| c.changed) {
        c.mutation_id = ids.next();
    }
    Ok(changes)
}

async fn set_one(
    conn: &mut sqlx::PgConnection,
    t: &ExpressionToggle,
    reason: Option<&str>,
) -> Result<(ExpressionChange, Option<NewMutation>)> {
    let field = &t.field;
    let row: Option<(i64, bool, Option<bool>)> = sqlx::query_as(
        "SELECT /* indexpilot */ g.id, g.default_expression, p.is_enabled
         FROM indexpilot.genome_catalog g
         LEFT JOIN indexpilot.expression_profile p ON p.field_id = g.id AND p.tenant_id = $4
         WHERE g.schema_name = $1 AND g.table_name = $2 AND g.field_name = $3 AND g.removed_at IS NULL
         FOR UPDATE OF g",
    )
    .bind(&field.schema)
    .bind(&field.table)
    .bind(&field.column)
    .bind(&t.tenant_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((field_id, default, explicit)) = row else {
        return Err(Error::NotFound {
            what: "field",
            name: field.to_string(),
        });
    };
    let before = explicit.unwrap_or(default);
    let change = ExpressionChange {
        tenant_id: t.tenant_id.clone(),
        field: field.clone(),
        field_id,
        before,
        after: t.enabled,
        changed: explicit != Some(t.enabled),
        mutation_id: None,
    };
    if !change.changed {
        return Ok((change, None));
    }
    sqlx::query(
        "INSERT INTO indexpilot.expression_profile (tenant_id, field_id, is_enabled, reason)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, field_id) DO UPDATE SET is_enabled = excluded.is_enabled,
             reason = excluded.reason, changed_by = current_user, changed_at = now()",
    )
    .bind(&t.tenant_id)
    .bind(field_id)
    .bind(t.enabled)
    .bind(reason)
    .execute(&mut *conn)
    .await?;
    let kind = if t.enabled {
        MutationKind::FieldEnable
    } else {
        MutationKind::FieldDisable
    };
    let entry = NewMutation::new(
        kind,
        json!({"reason": reason, "before": before, "after": t.enabled, "default_expression": default}),
    )
    .on_field(&field.schema, &field.table, &field.column)
    .for_tenant(&t.tenant_id);
    Ok((change, Some(entry)))
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct FieldExpression {
    pub schema_name: String,
    pub table_name: String,
    pub field_name: String,
    pub feature_group: String,
    pub default_expression: bool,
    pub tenant_id: Option<String>,
    /// The effective state: the tenant's own setting, else the field's default.
    pub is_enabled: bool,
    /// Whether the tenant has its own setting (as opposed to following the default).
    pub explicit: bool,
}

/// With a tenant: every field's effective state for it. Without: every explicit setting.
pub async fn list(
    pool: &PgPool,
    tenant: Option<&str>,
    feature_group: Option<&str>,
) -> Result<Vec<FieldExpression>> {
    require_initialised(pool).await?;
    let sql = if tenant.is_some() {
        "SELECT g.schema_name, g.table_name, g.field_name, g.feature_group, g.default_expression,
                $1::text AS tenant_id, COALESCE(p.is_enabled, g.default_expression) AS is_enabled,
                p.is_enabled IS NOT NULL AS explicit
         FROM indexpilot.genome_catalog g
         LEFT JOIN indexpilot.expression_profile p ON p.field_id = g.id AND p.tenant_id = $1
         WHERE g.removed_at IS NULL AND ($2::text IS NULL OR g.feature_group = $2)
         ORDER BY g.schema_name, g.table_name, g.ordinal_position NULLS LAST, g.field_name"
    } else {
        "SELECT g.schema_name, g.table_name, g.field_name, g.feature_group, g.default_expression,
                p.tenant_id, p.is_enabled, true AS explicit
         FROM indexpilot.expression_profile p
         JOIN indexpilot.genome_catalog g ON g.id = p.field_id
         WHERE g.removed_at IS NULL AND ($1::text IS NULL OR true) AND ($2::text IS NULL OR g.feature_group = $2)
         ORDER BY g.schema_name, g.table_name, g.field_name, p.tenant_id"
    };
    Ok(sqlx::query_as(sql)
        .bind(tenant)
        .bind(feature_group)
        .fetch_all(pool)
        .await?)
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct MatrixField {
    pub id: i64,
    pub schema_name: String,
    pub table_name: String,
    pub field_name: String,
    pub feature_group: String,
    pub default_expression: bool,
}

/// An explicit setting; a tenant without one follows the field's default.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MatrixCell {
    pub tenant_id: String,
    pub field_id: i64,
    pub is_enabled: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ExpressionMatrix {
    pub tenants: Vec<tenants::Tenant>,
    pub fields: Vec<MatrixField>,
    pub cells: Vec<MatrixCell>,
}

/// The tenant × field matrix of one feature group (the custom fields, usually).
pub async fn matrix(
    pool: &PgPool,
    tenancy: &Tenancy,
    feature_group: &str,
) -> Result<ExpressionMatrix> {
    require_initialised(pool).await?;
    let report = tenants::list(pool, tenancy).await?;
    let fields: Vec<(i64, String, String, String, String, bool)> = sqlx::query_as(
        "SELECT /* indexpilot */ id, schema_name, table_name, field_name, feature_group, default_expression
         FROM indexpilot.genome_catalog WHERE removed_at IS NULL AND feature_group = $1
         ORDER BY schema_name, table_name, ordinal_position NULLS LAST, field_name",
    )
    .bind(feature_group)
    .fetch_all(pool)
    .await?;
    let cells: Vec<(String, i64, bool)> = sqlx::query_as(
        "SELECT /* indexpilot */ p.tenant_id, p.field_id, p.is_enabled FROM indexpilot.expression_profile p
         JOIN indexpilot.genome_catalog g ON g.id = p.field_id
         WHERE g.removed_at IS NULL AND g.feature_group = $1
         ORDER BY p.tenant_id, p.field_id",
    )
    .bind(feature_group)
    .fetch_all(pool)
    .await?;
    Ok(ExpressionMatrix {
        tenants: report.tenants,
        fields: fields
            .into_iter()
            .map(
                |(id, schema_name, table_name, field_name, feature_group, default_expression)| {
                    MatrixField {
                        id,
                        schema_name,
                        table_name,
                        field_name,
                        feature_group,
                        default_expression,
                    }
                },
            )
            .collect(),
        cells: cells
            .into_iter()
            .map(|(tenant_id, field_id, is_enabled)| MatrixCell {
                tenant_id,
                field_id,
                is_enabled,
            })
            .collect(),
    })
}
