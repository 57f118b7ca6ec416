//! Tenants: recognised from a tenant key column and an optional tenants table, sized from
//! planner statistics without scanning any business table.

mod sizes;
mod table;

pub use sizes::{estimate, ColumnStats, Estimate};
pub use table::{resolve as resolve_tenants_table, TenantsTable};

use crate::error::{Error, Result};
use crate::ident::quote_ident;
use crate::ident::quote_qualified;
use crate::settings::Tenancy;
use serde::Serialize;
use sqlx::PgPool;

/// A tenants table larger than this is not listed in full: it is not a tenants table a
/// person can read, and reading it would be a heavy probe.
const MAX_LISTED_TENANTS: i64 = 10_000;

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Tenant {
    pub tenant_id: String,
    pub name: Option<String>,
    pub approx_rows: i64,
    pub approx_bytes: i64,
    /// True when the tenant is among the most common values of some table; otherwise its
    /// size is its even share of the remaining rows.
    pub measured: bool,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct TenantReport {
    pub tenant_key: String,
    pub tenants_table: Option<TenantsTable>,
    /// `schema.table` of every analysed table that carries the tenant key.
    pub scoped_tables: Vec<String>,
    /// Tables that carry the tenant key but have no statistics yet (run ANALYZE).
    pub unanalysed_tables: Vec<String>,
    pub truncated: bool,
    pub tenants: Vec<Tenant>,
}

pub async fn list(pool: &PgPool, tenancy: &Tenancy) -> Result<TenantReport> {
    let tenants_table = table::resolve(pool, tenancy).await?;
    let (mut known, truncated) = match &tenants_table {
        Some(t) => read_tenants(pool, t).await?,
        None => (Vec::new(), false),
    };
    let stats: Vec<ColumnStats> = sqlx::query_as(sizes::STATS_SQL)
        .bind(&tenancy.tenant_key)
        .fetch_all(pool)
        .await?;
    let ids: Vec<String> = known.iter().map(|(id, _)| id.clone()).collect();
    let estimates = sizes::estimate(&stats, &ids);
    // Tenants seen only in statistics (no tenants table) are listed too.
    for id in estimates.keys() {
        if !ids.contains(id) {
            known.push((id.clone(), None));
        }
    }
    let mut tenants: Vec<Tenant> = known
        .into_iter()
        .map(|(tenant_id, name)| {
            let e = estimates.get(&tenant_id).cloned().unwrap_or_default();
            Tenant {
                tenant_id,
                name,
                approx_rows: round(e.rows),
                approx_bytes: round(e.bytes),
                measured: e.measured,
            }
        })
        .collect();
    tenants.sort_by(|a, b| {
        b.approx_rows
            .cmp(&a.approx_rows)
            .then_with(|| a.tenant_id.cmp(&b.tenant_id))
    });

    Ok(TenantReport {
        tenant_key: tenancy.tenant_key.clone(),
        scoped_tables: stats
            .iter()
            .map(|s| format!("{}.{}", s.schema, s.table))
            .collect(),
        unanalysed_tables: unanalysed(pool, &tenancy.tenant_key).await?,
        tenants_table,
        truncated,
        tenants,
    })
}

/// Checks that `tenant` exists in the tenants table, when there is one.
pub async fn require_tenant(pool: &PgPool, tenancy: &Tenancy, tenant: &str) -> Result<()> {
    require_tenants(pool, tenancy, &[tenant]).await
}

/// Checks that every tenant exists in the tenants table, when there is one, in one query
/// whatever their number. Values are cast to the key's type so the primary key index is used.
pub async fn require_tenants(pool: &PgPool, tenancy: &Tenancy, tenants: &[&str]) -> Result<()> {
    if tenants.iter().any(|t| t.trim().is_empty()) {
        return Err(Error::InvalidInput(
            "the tenant id cannot be empty".to_string(),
        ));
    }
    let Some(t) = table::resolve(pool, tenancy).await? else {
        return Ok(());
    };
    let mut distinct: Vec<&str> = tenants.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    // A value that is not even of the key's type (e.g. "abc" for a bigint key) is missing
    // too; the pattern guard keeps the cast from failing the whole query.
    let castable = if t.key_type.contains("int") || t.key_type == "numeric" {
        "v ~ '^-?[0-9]+$'"
    } else if t.key_type == "uuid" {
        "v ~* '^[0-9a-f]{8}-?([0-9a-f]{4}-?){3}[0-9a-f]{12}$'"
    } else {
        "true"
    };
    let sql = format!(
        "SELECT /* indexpilot */ v FROM unnest($1::text[]) AS v
         WHERE NOT (CASE WHEN {castable}
                         THEN EXISTS (SELECT 1 FROM {table} WHERE {key} = CAST(v AS {ty}))
                         ELSE false END)
         ORDER BY v LIMIT 1",
        table = quote_qualified(&t.schema, &t.table),
        key = quote_ident(&t.key_column),
        ty = t.key_type
    );
    let missing: Option<String> = sqlx::query_scalar(&sql)
        .bind(&distinct)
        .fetch_optional(pool)
        .await?;
    match missing {
        None => Ok(()),
        Some(m) => Err(Error::NotFound {
            what: "tenant",
            name: format!("{m} (not in {}.{})", t.schema, t.table),
        }),
    }
}

async fn read_tenants(
    pool: &PgPool,
    t: &TenantsTable,
) -> Result<(Vec<(String, Option<String>)>, bool)> {
    let name = t.name_column.as_deref().map_or_else(
        || "NULL::text".to_string(),
        |c| format!("{}::text", quote_ident(c)),
    );
    let sql = format!(
        "SELECT /* indexpilot */ {key}::text, {name} FROM {table} ORDER BY {key} LIMIT $1",
        key = quote_ident(&t.key_column),
        table = quote_qualified(&t.schema, &t.table),
    );
    let mut rows: Vec<(String, Option<String>)> = sqlx::query_as(&sql)
        .bind(MAX_LISTED_TENANTS + 1)
        .fetch_all(pool)
        .await?;
    let truncated = rows.len() > usize::try_from(MAX_LISTED_TENANTS).unwrap_or(usize::MAX);
    rows.truncate(usize::try_from(MAX_LISTED_TENANTS).unwrap_or(usize::MAX));
    Ok((rows, truncated))
}

async fn unanalysed(pool: &PgPool, tenant_key: &str) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT /* indexpilot */ n.nspname || '.' || c.relname
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE a.attname = $1 AND NOT a.attisdropped AND c.relkind = 'r'
           AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'indexpilot') AND n.nspname NOT LIKE 'pg\\_%'
           AND NOT EXISTS (SELECT 1 FROM pg_stats s WHERE s.schemaname = n.nspname AND s.tablename = c.relname
                           AND s.attname = a.attname AND NOT s.inherited)
         ORDER BY 1",
    )
    .bind(tenant_key)
    .fetch_all(pool)
    .await?)
}

fn round(x: f64) -> i64 {
    // Estimates are far below i64::MAX; the saturating float-to-int cast is the intent.
    #[allow(clippy::cast_possible_truncation)]
    let v = x.round() as i64;
    v
}
