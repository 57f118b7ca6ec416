//! The genome: the canonical list of fields with curated flags. Discovery fills it; a person's
//! curation survives every later discovery and sync.

mod browse;
mod curate;
mod defaults;
mod diff;
mod model;
mod store;

pub use browse::{browse, table_summaries, GenomeBrowse, GenomeRow, TableSummary};
pub use curate::{set_flags, FlagEdit};
pub use defaults::{default_flags, Flags};
pub use diff::{plan, Rename, RenameKind, Shape, SyncPlan, TypeChange};
pub use model::{field_count, live_fields, GenomeField, LiveField};

use crate::catalog::{self, Catalog};
use crate::connect::transaction::{self, Mode};
use crate::error::Result;
use crate::migrate::require_initialised;
use crate::mutations::{self, Actor, MutationKind, NewMutation};
use crate::settings;
use model::GENOME_COLUMNS;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{PgConnection, PgPool};

/// What happened to the genome when the catalog was applied to it.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Reconciled {
    /// The genome was empty and now holds every field (one summary mutation).
    Bootstrapped { fields: usize, tables: usize },
    /// The genome existed; these changes were applied (one mutation each).
    Synced { plan: SyncPlan },
}

/// Reads the live catalog and brings the genome up to date with it.
pub async fn discover_and_bootstrap(pool: &PgPool, actor: &Actor) -> Result<(Catalog, Reconciled)> {
    require_initialised(pool).await?;
    let catalog = catalog::discover(pool).await?;
    let outcome = bootstrap(pool, actor, &catalog).await?;
    Ok((catalog, outcome))
}

/// Applies an already discovered catalog to the genome: a bulk bootstrap when the genome is
/// empty, a logged sync otherwise.
pub async fn bootstrap(pool: &PgPool, actor: &Actor, catalog: &Catalog) -> Result<Reconciled> {
    let tenancy = settings::tenancy(pool).await?;
    bootstrap_for(pool, actor, catalog, &tenancy.tenant_key).await
}

/// [`bootstrap`] with the tenant key given (a policy file's) instead of the stored one: new
/// fields named after it join the `tenancy` feature group.
pub async fn bootstrap_for(
    pool: &PgPool,
    actor: &Actor,
    catalog: &Catalog,
    tenant_key: &str,
) -> Result<Reconciled> {
    let live = live_fields(catalog);
    let mut tx = transaction::begin(pool, Mode::Write).await?;
    lock_genome(&mut tx).await?;
    let empty: bool = sqlx::query_scalar(
        "SELECT /* indexpilot */ NOT EXISTS (SELECT 1 FROM indexpilot.genome_catalog)",
    )
    .fetch_one(&mut *tx)
    .await?;
    let outcome = if empty {
        let all: Vec<&LiveField> = live.iter().collect();
        store::upsert(&mut tx, &all, tenant_key, store::OnExisting::Impossible).await?;
        let tables = catalog.relations.len();
        let entry = NewMutation::new(
            MutationKind::GenomeBootstrap,
            json!({"fields": live.len(), "tables": tables, "tenant_key": tenant_key}),
        );
        mutations::record(&mut tx, actor, &[entry]).await?;
        Reconciled::Bootstrapped {
            fields: live.len(),
            tables,
        }
    } else {
        let plan = apply_sync(&mut tx, actor, &live, tenant_key, None).await?;
        Reconciled::Synced { plan }
    };
    tx.commit().await?;
    Ok(outcome)
}

/// Applies the differences only if they are exactly the ones a person reviewed (the
/// `fingerprint` of the plan they saw); otherwise applies nothing and says so.
pub async fn sync_reviewed(pool: &PgPool, actor: &Actor, fingerprint: &str) -> Result<SyncPlan> {
    sync_applying(pool, actor, Some(fingerprint), None).await
}

/// Compares the live catalog with the genome; applies the changes unless `dry_run`.
pub async fn sync(pool: &PgPool, actor: &Actor, dry_run: bool) -> Result<SyncPlan> {
    sync_for(pool, actor, dry_run, None).await
}

/// [`sync`] with the tenant key given (a policy file's) instead of the stored one.
pub async fn sync_for(
    pool: &PgPool,
    actor: &Actor,
    dry_run: bool,
    tenant_key: Option<&str>,
) -> Result<SyncPlan> {
    if !dry_run {
        return sync_applying(pool, actor, None, tenant_key).await;
    }
    require_initialised(pool).await?;
    let catalog = catalog::discover(pool).await?;
    let live = live_fields(&catalog);
    let mut tx = transaction::begin(pool, Mode::ReadOnly).await?;
    let genome = store::load_active(&mut tx).await?;
    tx.commit().await?;
    Ok(plan(&live, &genome))
}

/// Discovers, compares and applies in one locked transaction; with `expected`, only when the
/// plan is still the one with that fingerprint.
async fn sync_applying(
    pool: &PgPool,
    actor: &Actor,
    expected: Option<&str>,
    tenant_key: Option<&str>,
) -> Result<SyncPlan> {
    require_initialised(pool).await?;
    let catalog = catalog::discover(pool).await?;
    let live = live_fields(&catalog);
    let tenant_key = match tenant_key {
        Some(k) => k.to_string(),
        None => settings::tenancy(pool).await?.tenant_key,
    };
    let mut tx = transaction::begin(pool, Mode::Write).await?;
    lock_genome(&mut tx).await?;
    let plan = apply_sync(&mut tx, actor, &live, &tenant_key, expected).await?;
    tx.commit().await?;
    Ok(plan)
}

async fn apply_sync(
    conn: &mut PgConnection,
    actor: &Actor,
    live: &[LiveField],
    tenant_key: &str,
    expected: Option<&str>,
) -> Result<SyncPlan> {
    let genome = store::load_active(conn).await?;
    let plan = plan(live, &genome);
    if expected.is_some_and(|f| f != plan.fingerprint) {
        return Err(crate::Error::PlanChanged);
    }
    store::apply(conn, &plan, actor, tenant_key).await?;
    store::refresh_hints(conn, live).await?;
    Ok(plan)
}

/// One writer of the genome at a time, across every IndexPilot instance on this database.
pub(crate) async fn lock_genome(conn: &mut PgConnection) -> Result<()> {
    sqlx::query("SELECT /* indexpilot */ pg_advisory_xact_lock(hashtext('indexpilot.genome'))")
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct GenomeFilter {
    pub schema: Option<String>,
    pub table: Option<String>,
    pub feature_group: Option<String>,
    pub include_removed: bool,
    pub limit: Option<i64>,
}

pub async fn list(pool: &PgPool, filter: &GenomeFilter) -> Result<Vec<GenomeField>> {
    require_initialised(pool).await?;
    Ok(sqlx::query_as(&format!(
        "SELECT {GENOME_COLUMNS} FROM indexpilot.genome_catalog
         WHERE ($1::text IS NULL OR schema_name = $1)
           AND ($2::text IS NULL OR table_name = $2)
           AND ($3::text IS NULL OR feature_group = $3)
           AND ($4 OR removed_at IS NULL)
         ORDER BY schema_name, table_name, ordinal_position NULLS LAST, field_name
         LIMIT $5"
    ))
    .bind(filter.schema.as_deref())
    .bind(filter.table.as_deref())
    .bind(filter.feature_group.as_deref())
    .bind(filter.include_removed)
    .bind(filter.limit.unwrap_or(i64::MAX))
    .fetch_all(pool)
    .await?)
}
