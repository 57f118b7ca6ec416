//! Finding the table that lists the tenants: the configured one, else the table most
//! single-column foreign keys on the tenant key point at, else a table named `tenants`.

use crate::error::Result;
use crate::settings::Tenancy;
use serde::Serialize;
use sqlx::PgPool;

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, ts_rs::TS)]
pub struct TenantsTable {
    pub schema: String,
    pub table: String,
    /// The referenced key column and its type (for typed, index-friendly lookups).
    pub key_column: String,
    pub key_type: String,
    /// A human-readable column (`name`, `display_name`, `title`, `slug`) when there is one.
    pub name_column: Option<String>,
    pub row_estimate: Option<f64>,
}

const BY_FOREIGN_KEYS: &str = "
SELECT /* indexpilot */ fn.nspname AS schema, fc.relname AS \"table\", fa.attname AS key_column,
       format_type(fa.atttypid, fa.atttypmod) AS key_type,
       (SELECT x.attname::text FROM pg_attribute x
        WHERE x.attrelid = fc.oid AND NOT x.attisdropped AND x.attnum > 0
          AND x.attname IN ('name', 'display_name', 'title', 'slug')
        ORDER BY array_position(ARRAY['name', 'display_name', 'title', 'slug'], x.attname::text) LIMIT 1) AS name_column,
       CASE WHEN fc.reltuples < 0 THEN NULL ELSE fc.reltuples::float8 END AS row_estimate
FROM pg_constraint con
JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
JOIN pg_class fc ON fc.oid = con.confrelid
JOIN pg_namespace fn ON fn.oid = fc.relnamespace
JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = con.confkey[1]
WHERE con.contype = 'f' AND cardinality(con.conkey) = 1 AND a.attname = $1
  AND ($2::text IS NULL OR (fn.nspname = $2 AND fc.relname = $3))
GROUP BY fn.nspname, fc.relname, fc.oid, fa.attname, fa.atttypid, fa.atttypmod, fc.reltuples
ORDER BY count(*) DESC, 1, 2
LIMIT 1";

const BY_NAME: &str = "
SELECT /* indexpilot */ n.nspname AS schema, c.relname AS \"table\", a.attname AS key_column,
       format_type(a.atttypid, a.atttypmod) AS key_type,
       (SELECT x.attname::text FROM pg_attribute x
        WHERE x.attrelid = c.oid AND NOT x.attisdropped AND x.attnum > 0
          AND x.attname IN ('name', 'display_name', 'title', 'slug')
        ORDER BY array_position(ARRAY['name', 'display_name', 'title', 'slug'], x.attname::text) LIMIT 1) AS name_column,
       CASE WHEN c.reltuples < 0 THEN NULL ELSE c.reltuples::float8 END AS row_estimate
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_constraint pk ON pk.conrelid = c.oid AND pk.contype = 'p' AND cardinality(pk.conkey) = 1
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = pk.conkey[1]
WHERE c.relkind IN ('r', 'p')
  AND (($1::text IS NULL AND c.relname = 'tenants' AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'indexpilot'))
       OR (n.nspname = $1 AND c.relname = $2))
ORDER BY n.nspname = 'public' DESC, 1
LIMIT 1";

pub async fn resolve(pool: &PgPool, tenancy: &Tenancy) -> Result<Option<TenantsTable>> {
    let (schema, table) = match &tenancy.tenants_table {
        Some((s, t)) => (Some(s.as_str()), Some(t.as_str())),
        None => (None, None),
    };
    let found: Option<TenantsTable> = sqlx::query_as(BY_FOREIGN_KEYS)
        .bind(&tenancy.tenant_key)
        .bind(schema)
        .bind(table)
        .fetch_optional(pool)
        .await?;
    if found.is_some() {
        return Ok(found);
    }
    Ok(sqlx::query_as(BY_NAME)
        .bind(schema)
        .bind(table)
        .fetch_optional(pool)
        .await?)
}
