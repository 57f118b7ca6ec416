//! The mutation log: every decision and change, who made it, when and why. Append-only.

use crate::error::Result;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use sqlx::PgConnection;

/// Who acts. The database role is taken server-side (`current_user`); the OS user is the
/// person at the keyboard or the account a cron job runs as.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Actor {
    pub os_user: Option<String>,
}

impl Actor {
    pub fn from_env() -> Self {
        let os_user = ["USER", "LOGNAME", "USERNAME"]
            .iter()
            .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
        Actor { os_user }
    }

    pub fn named(os_user: impl Into<String>) -> Self {
        Actor {
            os_user: Some(os_user.into()),
        }
    }
}

/// Every kind of entry the mutation log holds (its `kind` column's CHECK constraint): the
/// general ones appended through [`record`], an index change's root (`index_create`,
/// `index_drop`) and a change's validation verdict. The UI's `MutationKind` type is
/// generated from it (ts-rs), so the timeline's labels cover every kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum MutationKind {
    Init,
    GenomeBootstrap,
    SchemaChange,
    FlagEdit,
    FieldEnable,
    FieldDisable,
    PolicyChange,
    IndexCreate,
    IndexDrop,
    Validation,
}

impl MutationKind {
    pub const ALL: [MutationKind; 10] = [
        MutationKind::Init,
        MutationKind::GenomeBootstrap,
        MutationKind::SchemaChange,
        MutationKind::FlagEdit,
        MutationKind::FieldEnable,
        MutationKind::FieldDisable,
        MutationKind::PolicyChange,
        MutationKind::IndexCreate,
        MutationKind::IndexDrop,
        MutationKind::Validation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MutationKind::Init => "init",
            MutationKind::GenomeBootstrap => "genome_bootstrap",
            MutationKind::SchemaChange => "schema_change",
            MutationKind::FlagEdit => "flag_edit",
            MutationKind::FieldEnable => "field_enable",
            MutationKind::FieldDisable => "field_disable",
            MutationKind::PolicyChange => "policy_change",
            MutationKind::IndexCreate => "index_create",
            MutationKind::IndexDrop => "index_drop",
            MutationKind::Validation => "validation",
        }
    }
}

/// One entry to append. Names are business names (schema, table, field), never foreign keys.
#[derive(Debug, Clone)]
pub struct NewMutation {
    pub kind: MutationKind,
    pub schema: Option<String>,
    pub table: Option<String>,
    pub field: Option<String>,
    pub tenant: Option<String>,
    pub details: Value,
}

impl NewMutation {
    pub fn new(kind: MutationKind, details: Value) -> Self {
        NewMutation {
            kind,
            schema: None,
            table: None,
            field: None,
            tenant: None,
            details,
        }
    }

    pub fn on_field(mut self, schema: &str, table: &str, field: &str) -> Self {
        self.schema = Some(schema.to_string());
        self.table = Some(table.to_string());
        self.field = Some(field.to_string());
        self
    }

    pub fn for_tenant(mut self, tenant: &str) -> Self {
        self.tenant = Some(tenant.to_string());
        self
    }
}

/// Appends entries in one statement (a schema sync can produce thousands).
pub async fn record(
    conn: &mut PgConnection,
    actor: &Actor,
    entries: &[NewMutation],
) -> Result<Vec<i64>> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let kinds: Vec<&str> = entries.iter().map(|e| e.kind.as_str()).collect();
    let schemas: Vec<Option<&str>> = entries.iter().map(|e| e.schema.as_deref()).collect();
    let tables: Vec<Option<&str>> = entries.iter().map(|e| e.table.as_deref()).collect();
    let fields: Vec<Option<&str>> = entries.iter().map(|e| e.field.as_deref()).collect();
    let tenants: Vec<Option<&str>> = entries.iter().map(|e| e.tenant.as_deref()).collect();
    let details: Vec<Value> = entries.iter().map(|e| e.details.clone()).collect();
    let ids = sqlx::query_scalar(
        "INSERT INTO indexpilot.mutation_log
             (kind, actor_os_user, schema_name, table_name, field_name, tenant_id, details_json)
         SELECT k, $2, s, t, f, tn, d
         FROM unnest($1::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[])
              WITH ORDINALITY AS x(k, s, t, f, tn, d, ord)
         ORDER BY ord
         RETURNING id",
    )
    .bind(&kinds)
    .bind(actor.os_user.as_deref())
    .bind(&schemas)
    .bind(&tables)
    .bind(&fields)
    .bind(&tenants)
    .bind(&details)
    .fetch_all(conn)
    .await?;
    Ok(ids)
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct MutationEntry {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub kind: String,
    pub status: Option<String>,
    pub parent_id: Option<i64>,
    pub actor_role: String,
    pub actor_os_user: Option<String>,
    pub schema_name: Option<String>,
    pub table_name: Option<String>,
    pub field_name: Option<String>,
    pub tenant_id: Option<String>,
    pub ddl: Option<String>,
    pub details_json: Value,
}

/// The latest entries, newest first, optionally of one kind.
pub async fn recent(
    pool: &sqlx::PgPool,
    kind: Option<&str>,
    limit: i64,
) -> Result<Vec<MutationEntry>> {
    Ok(sqlx::query_as(
        "SELECT /* indexpilot */ id, occurred_at, kind, status, parent_id, actor_role, actor_os_user, schema_name,
                table_name, field_name, tenant_id, ddl, details_json
         FROM indexpilot.mutation_log
         WHERE $1::text IS NULL OR kind = $1
         ORDER BY occurred_at DESC, id DESC
         LIMIT $2",
    )
    .bind(kind)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

#[cfg(test)]
mod tests {
    use super::MutationKind;

    /// The kinds the UI is told about are exactly the ones the log's CHECK constraint allows
    /// (the latest migration that sets it), and serde writes each as `as_str` does.
    #[test]
    fn log_kinds_are_the_ones_the_table_allows() {
        let migration = include_str!("../migrations/0004_changes.sql");
        let check = migration
            .split("CHECK (kind IN (")
            .nth(1)
            .and_then(|rest| rest.split("))").next())
            .expect("the kind CHECK constraint");
        let mut allowed: Vec<&str> = check
            .split(',')
            .map(|k| k.trim().trim_matches('\''))
            .collect();
        let mut ours: Vec<&str> = MutationKind::ALL.iter().map(|k| k.as_str()).collect();
        allowed.sort_unstable();
        ours.sort_unstable();
        assert_eq!(ours, allowed);
        for kind in MutationKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
    }
}
