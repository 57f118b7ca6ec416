//! Per-tenant field expression: which tenant uses which field. Toggling is a business
//! decision, so every change is recorded with its actor and reason.

use crate::error::{Error, Result};
use crate::ident::FieldRef;
use crate::migrate::require_initialised;
use crate::mutations::{self, Actor, MutationKind, NewMutation};
use crate::settings::Tenancy;
use crate::tenants;
use serde::Serialize;
use serde_json::json;
use sqlx::PgPool;

#[derive(Debug, Clone, Serialize)]
pub struct ExpressionChange {
    pub tenant_id: String,
    pub field: FieldRef,
    pub before: bool,
    pub after: bool,
    /// False when the field already was in the requested state (nothing is logged then).
    pub changed: bool,
    pub mutation_id: Option<i64>,
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
    require_initialised(pool).await?;
    tenants::require_tenant(pool, tenancy, tenant).await?;
    let mut tx = pool.begin().await?;
    let row: Option<(i64, bool, Option<bool>)> = sqlx::query_as(
        "SELECT g.id, g.default_expression, p.is_enabled
         FROM indexpilot.genome_catalog g
         LEFT JOIN indexpilot.expression_profile p ON p.field_id = g.id AND p.tenant_id = $4
         WHERE g.schema_name = $1 AND g.table_name = $2 AND g.field_name = $3 AND g.removed_at IS NULL
         FOR UPDATE OF g",
    )
    .bind(&field.schema)
    .bind(&field.table)
    .bind(&field.column)
    .bind(tenant)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((field_id, default, explicit)) = row else {
        return Err(Error::NotFound {
            what: "field",
            name: field.to_string(),
        });
    };
    let before = explicit.unwrap_or(default);
    let mut change = ExpressionChange {
        tenant_id: tenant.to_string(),
        field: field.clone(),
        before,
        after: enabled,
        changed: explicit != Some(enabled),
        mutation_id: None,
    };
    if !change.changed {
        tx.commit().await?;
        return Ok(change);
    }
    sqlx::query(
        "INSERT INTO indexpilot.expression_profile (tenant_id, field_id, is_enabled, reason)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, field_id) DO UPDATE SET is_enabled = excluded.is_enabled,
             reason = excluded.reason, changed_by = current_user, changed_at = now()",
    )
    .bind(tenant)
    .bind(field_id)
    .bind(enabled)
    .bind(reason)
    .execute(&mut *tx)
    .await?;
    let kind = if enabled {
        MutationKind::FieldEnable
    } else {
        MutationKind::FieldDisable
    };
    let entry = NewMutation::new(
        kind,
        json!({"reason": reason, "before": before, "after": enabled, "default_expression": default}),
    )
    .on_field(&field.schema, &field.table, &field.column)
    .for_tenant(tenant);
    let ids = mutations::record(&mut tx, actor, &[entry]).await?;
    tx.commit().await?;
    change.mutation_id = ids.first().copied();
    Ok(change)
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
