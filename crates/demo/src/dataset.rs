//! The demo dataset: a multi-tenant mini-CRM in schema `crm` (tenants, users, organisations,
//! contacts, deals, activities) with very unequal tenants and realistic skew.
//!
//! Only primary keys exist, plus foreign keys to them: the secondary indexes a good advisor
//! should propose (`contacts (tenant_id, email)`, `activities (deal_id)`, ...) are missing on
//! purpose. The SQL lives in `sql/`; each table is created and filled by set-based
//! `generate_series` statements in one transaction, which lets a `wal_level = minimal`
//! server (the demo cluster) skip WAL for it entirely.

use std::time::{Duration, Instant};

use sqlx::{Acquire as _, PgConnection, PgPool};

use crate::error::{DemoError, Result};

/// Tables of the dataset, in load order (each references only earlier ones).
pub const TABLES: [&str; 6] = [
    "tenants",
    "users",
    "organisations",
    "contacts",
    "deals",
    "activities",
];

/// Per-tenant custom fields as (schema, table, column): columns a SaaS CRM adds for some
/// tenants, queried by tenant-specific filters.
pub fn custom_fields() -> &'static [(&'static str, &'static str, &'static str)] {
    &[
        ("crm", "contacts", "custom_linkedin"),
        ("crm", "contacts", "custom_region"),
        ("crm", "contacts", "custom_attributes"),
        ("crm", "deals", "custom_probability"),
        ("crm", "deals", "custom_source"),
    ]
}

/// How to load.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoadOptions {
    /// Multiplies every row count except the 40 tenants: 1.0 is ~1.2 million rows
    /// (1,000,000 activities), 0.01 a few thousand with the same skew.
    pub scale: f64,
    /// Drop an existing `crm` schema (and everything in it) instead of failing.
    pub drop_existing: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            scale: 1.0,
            drop_existing: false,
        }
    }
}

/// What was loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadReport {
    pub scale: f64,
    /// Row count per table, in [`TABLES`] order.
    pub tables: Vec<(&'static str, i64)>,
    pub elapsed: Duration,
}

impl LoadReport {
    /// Row count of one table.
    pub fn rows(&self, table: &str) -> Option<i64> {
        self.tables
            .iter()
            .find(|(t, _)| *t == table)
            .map(|(_, n)| *n)
    }
}

/// One transaction of the load: a table's SQL, with the per-tenant shares first if it needs
/// them.
struct Step {
    sql: &'static str,
    per_tenant: bool,
}

const SHARE: &str = include_str!("../sql/share.sql");
const STEPS: [Step; 8] = [
    Step {
        sql: include_str!("../sql/schema.sql"),
        per_tenant: false,
    },
    Step {
        sql: include_str!("../sql/tenants.sql"),
        per_tenant: false,
    },
    Step {
        sql: include_str!("../sql/users.sql"),
        per_tenant: true,
    },
    Step {
        sql: include_str!("../sql/organisations.sql"),
        per_tenant: true,
    },
    Step {
        sql: include_str!("../sql/contacts.sql"),
        per_tenant: true,
    },
    Step {
        sql: include_str!("../sql/deals.sql"),
        per_tenant: true,
    },
    Step {
        sql: include_str!("../sql/activities.sql"),
        per_tenant: true,
    },
    Step {
        sql: include_str!("../sql/constraints.sql"),
        per_tenant: false,
    },
];

/// Loads the dataset at `scale`; fails if schema `crm` already exists.
pub async fn load(pool: &PgPool, scale: f64) -> Result<LoadReport> {
    load_with(
        pool,
        LoadOptions {
            scale,
            drop_existing: false,
        },
    )
    .await
}

/// Loads the dataset. Scale 1.0 takes ~12 s on two cores on the demo cluster (longer on a
/// server that writes WAL for it).
pub async fn load_with(pool: &PgPool, opts: LoadOptions) -> Result<LoadReport> {
    if !(0.001..=20.0).contains(&opts.scale) {
        return Err(DemoError::InvalidScale(opts.scale));
    }
    let started = Instant::now();
    // One connection throughout, closed afterwards rather than handed back to the pool with
    // the load's session settings:
    // - the caller's pool may have a statement timeout meant for application queries;
    // - the generated rows have no statistics, so the planner guesses merge joins that sort
    //   a million rows, where hash joins against the small per-tenant numberings are twice
    //   as fast.
    let mut conn = pool.acquire().await?;
    conn.close_on_drop();
    sqlx::raw_sql("SET statement_timeout = 0; SET enable_mergejoin = off")
        .execute(&mut *conn)
        .await?;
    let exists: bool = sqlx::query_scalar("SELECT to_regnamespace('crm') IS NOT NULL")
        .fetch_one(&mut *conn)
        .await?;
    if exists && !opts.drop_existing {
        return Err(DemoError::SchemaExists);
    }
    if exists {
        sqlx::raw_sql("DROP SCHEMA crm CASCADE")
            .execute(&mut *conn)
            .await?;
    }
    for step in &STEPS {
        run_step(&mut conn, step, opts.scale).await?;
    }
    // VACUUM sets hint bits and the visibility map once, so the first queries of the
    // workload are not the ones paying for it, and index-only scans look as they would in
    // production. It cannot run inside a transaction.
    let tables: Vec<String> = TABLES.iter().map(|t| format!("crm.{t}")).collect();
    sqlx::raw_sql(&format!("VACUUM (ANALYZE) {}", tables.join(", ")))
        .execute(&mut *conn)
        .await?;

    let mut counts = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        let rows: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM crm.{table}"))
            .fetch_one(&mut *conn)
            .await?;
        counts.push((table, rows));
    }
    let report = LoadReport {
        scale: opts.scale,
        tables: counts,
        elapsed: started.elapsed(),
    };
    tracing::info!(
        scale = opts.scale,
        elapsed_ms = report.elapsed.as_millis(),
        "crm dataset loaded"
    );
    Ok(report)
}

async fn run_step(conn: &mut PgConnection, step: &Step, scale: f64) -> Result<()> {
    let mut tx = conn.begin().await?;
    // The SQL files read the scale from a setting, so they stay plain files without
    // placeholders; the fixed seed makes a given scale load the same data every time.
    sqlx::query("SELECT set_config('indexpilot.scale', $1, true), setseed(0.42)")
        .bind(scale.to_string())
        .execute(&mut *tx)
        .await?;
    if step.per_tenant {
        sqlx::raw_sql(SHARE).execute(&mut *tx).await?;
    }
    sqlx::raw_sql(step.sql).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Ids of all tenants, ascending.
pub async fn tenant_ids(pool: &PgPool) -> Result<Vec<i64>> {
    let ids = sqlx::query_scalar("SELECT id FROM crm.tenants ORDER BY id")
        .fetch_all(pool)
        .await
        .map_err(missing_dataset)?;
    if ids.is_empty() {
        return Err(DemoError::NoDataset);
    }
    Ok(ids)
}

/// "relation does not exist" means the dataset was never loaded: say so.
pub(crate) fn missing_dataset(err: sqlx::Error) -> DemoError {
    let undefined = err
        .as_database_error()
        .and_then(|db| db.code())
        .is_some_and(|code| code == "42P01" || code == "3F000");
    if undefined {
        DemoError::NoDataset
    } else {
        DemoError::Database(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_fields_are_columns_the_sql_creates() {
        for (schema, table, column) in custom_fields() {
            assert_eq!(*schema, "crm");
            let sql = STEPS
                .iter()
                .find(|s| s.sql.contains(&format!("CREATE TABLE crm.{table} (")))
                .map(|s| s.sql)
                .unwrap_or_else(|| panic!("no CREATE TABLE for {table}"));
            assert!(
                sql.contains(&format!("\n    {column} ")),
                "{table}.{column} missing"
            );
        }
    }

    #[test]
    fn the_sql_creates_no_secondary_index() {
        for step in &STEPS {
            assert!(!step.sql.to_uppercase().contains("CREATE INDEX"));
            assert!(!step.sql.to_uppercase().contains("UNIQUE"));
        }
    }
}
