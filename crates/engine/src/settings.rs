//! Settings stored in the database (indexpilot.settings) so the whole team shares them.

use crate::error::{Error, Result};
use crate::ident::{display_ident, parse_table};
use crate::mutations::{self, Actor, MutationKind, NewMutation};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::PgPool;

pub const DEFAULT_TENANT_KEY: &str = "tenant_id";

/// How tenants are recognised: a tenant key column on tenant-scoped tables and, optionally,
/// a table that lists the tenants (detected from foreign keys when not set).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tenancy {
    pub tenant_key: String,
    /// `(schema, table)`.
    pub tenants_table: Option<(String, String)>,
}

impl Default for Tenancy {
    fn default() -> Self {
        Tenancy {
            tenant_key: DEFAULT_TENANT_KEY.to_string(),
            tenants_table: None,
        }
    }
}

impl Tenancy {
    /// Overrides from the command line: a tenant key and `schema.table`.
    pub fn with_overrides(mut self, key: Option<&str>, table: Option<&str>) -> Result<Self> {
        if let Some(k) = key {
            if k.is_empty() {
                return Err(Error::InvalidInput(
                    "the tenant key cannot be empty".to_string(),
                ));
            }
            self.tenant_key = k.to_string();
        }
        if let Some(t) = table {
            self.tenants_table = Some(parse_table(t)?);
        }
        Ok(self)
    }

    pub fn describe(&self) -> String {
        match &self.tenants_table {
            Some((s, t)) => format!(
                "key {} (tenants in {}.{})",
                self.tenant_key,
                display_ident(s),
                display_ident(t)
            ),
            None => format!("key {}", self.tenant_key),
        }
    }
}

const TENANCY_KEY: &str = "tenancy";

pub async fn tenancy(pool: &PgPool) -> Result<Tenancy> {
    let value: Option<serde_json::Value> =
        sqlx::query_scalar("SELECT value FROM indexpilot.settings WHERE key = $1")
            .bind(TENANCY_KEY)
            .fetch_optional(pool)
            .await?;
    match value {
        None => Ok(Tenancy::default()),
        Some(v) => serde_json::from_value(v).map_err(|e| {
            Error::InvalidInput(format!(
                "setting \"tenancy\" in indexpilot.settings is malformed: {e}"
            ))
        }),
    }
}

/// Stores the tenancy setting and records the change as a policy_change.
pub async fn set_tenancy(pool: &PgPool, actor: &Actor, tenancy: &Tenancy) -> Result<()> {
    let value = serde_json::to_value(tenancy).map_err(|e| Error::Client(e.to_string()))?;
    let mut tx = pool.begin().await?;
    let before: Option<serde_json::Value> =
        sqlx::query_scalar("SELECT value FROM indexpilot.settings WHERE key = $1 FOR UPDATE")
            .bind(TENANCY_KEY)
            .fetch_optional(&mut *tx)
            .await?;
    sqlx::query(
        "INSERT INTO indexpilot.settings (key, value) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_by = current_user, updated_at = now()",
    )
    .bind(TENANCY_KEY)
    .bind(&value)
    .execute(&mut *tx)
    .await?;
    let entry = NewMutation::new(
        MutationKind::PolicyChange,
        json!({"setting": TENANCY_KEY, "before": before, "after": value}),
    );
    mutations::record(&mut tx, actor, &[entry]).await?;
    tx.commit().await?;
    Ok(())
}
