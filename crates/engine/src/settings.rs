//! Settings stored in the database (indexpilot.settings) so the whole team shares them.

use crate::connect::transaction::{self, Mode};
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
        sqlx::query_scalar("SELECT /* indexpilot */ value FROM indexpilot.settings WHERE key = $1")
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
    let mut tx = transaction::begin(pool, Mode::Write).await?;
    let before: Option<serde_json::Value> = sqlx::query_scalar(
        "SELECT /* indexpilot */ value FROM indexpilot.settings WHERE key = $1 FOR UPDATE",
    )
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

/// A setting stored as a JSON object of which only the keys someone set are present (the
/// apply and advisor policies); `{}` when nothing is stored.
pub(crate) async fn stored_map(
    pool: &PgPool,
    key: &str,
) -> Result<serde_json::Map<String, serde_json::Value>> {
    let value: Option<serde_json::Value> =
        sqlx::query_scalar("SELECT /* indexpilot */ value FROM indexpilot.settings WHERE key = $1")
            .bind(key)
            .fetch_optional(pool)
            .await?;
    match value {
        None => Ok(serde_json::Map::new()),
        Some(serde_json::Value::Object(m)) => Ok(m),
        Some(_) => Err(Error::InvalidInput(format!(
            "setting \"{key}\" in indexpilot.settings is malformed (not a JSON object): fix it with `indexpilot config set`"
        ))),
    }
}

/// Sets (`Some`) or removes (`None`, back to the default) one entry of such a setting, after
/// `check` accepts the whole new object, and records the change as a policy_change.
pub(crate) async fn set_map_entry(
    pool: &PgPool,
    actor: &Actor,
    key: &str,
    field: &str,
    value: Option<serde_json::Value>,
    check: impl FnOnce(&serde_json::Map<String, serde_json::Value>) -> Result<()>,
) -> Result<serde_json::Map<String, serde_json::Value>> {
    let mut tx = transaction::begin(pool, Mode::Write).await?;
    let before: Option<serde_json::Value> = sqlx::query_scalar(
        "SELECT /* indexpilot */ value FROM indexpilot.settings WHERE key = $1 FOR UPDATE",
    )
    .bind(key)
    .fetch_optional(&mut *tx)
    .await?;
    let mut map = match before.clone() {
        Some(serde_json::Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    };
    match value {
        Some(v) => map.insert(field.to_string(), v),
        None => map.remove(field),
    };
    check(&map)?;
    let after = serde_json::Value::Object(map.clone());
    sqlx::query(
        "INSERT INTO indexpilot.settings (key, value) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_by = current_user, updated_at = now()",
    )
    .bind(key)
    .bind(&after)
    .execute(&mut *tx)
    .await?;
    let entry = NewMutation::new(
        MutationKind::PolicyChange,
        json!({"setting": key, "key": field, "before": before, "after": after}),
    );
    mutations::record(&mut tx, actor, &[entry]).await?;
    tx.commit().await?;
    Ok(map)
}

/// A policy stored under one settings key as a JSON object of the keys someone set, each
/// set from its text form: the apply and the advisor policies share how that is done.
pub(crate) struct StoredPolicy<T> {
    /// The settings key (`apply_policy`).
    pub setting: &'static str,
    /// How errors name it (`policy`, `advisor`).
    pub what: &'static str,
    pub keys: &'static [&'static str],
    /// The stored field behind a key.
    pub field: fn(&str) -> &'static str,
    /// A key's stored value from its text form.
    pub parse: fn(&str, &str) -> Result<serde_json::Value>,
    pub from_map: fn(serde_json::Map<String, serde_json::Value>) -> Result<T>,
}

impl<T> StoredPolicy<T> {
    /// Sets one key from its text form (`default` goes back to the default) and records it.
    pub async fn set(&self, pool: &PgPool, actor: &Actor, key: &str, text: &str) -> Result<T> {
        if !self.keys.contains(&key) {
            return Err(Error::InvalidInput(format!(
                "unknown {} key \"{key}\": use one of {}",
                self.what,
                self.keys.join(", ")
            )));
        }
        let value = if text.trim() == "default" {
            None
        } else {
            Some((self.parse)(key, text)?)
        };
        let from_map = self.from_map;
        let map = set_map_entry(pool, actor, self.setting, (self.field)(key), value, |m| {
            from_map(m.clone()).map(|_| ())
        })
        .await?;
        from_map(map)
    }
}
