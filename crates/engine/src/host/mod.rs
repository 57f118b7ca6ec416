//! The engine as a library, for host applications that automate from code: each step of
//! an integration is one function here. Every function takes the host's connection pool
//! and plain values and returns data; nothing is kept between calls and there is no global
//! state, so several databases can be served from one process.
//!
//! The usual order, once per database and again after each of the host's migrations:
//!
//! 1. [`create_metadata_schema`] — the `indexpilot` schema only (no discovery).
//! 2. [`discover`] — the live schema, read in one snapshot.
//! 3. [`bootstrap_from_catalog`], or [`bootstrap_from_schema_file`] to take the curated
//!    flags from a file kept in version control; [`discover_and_bootstrap`] does 2 and 3.
//! 4. [`detect_schema_changes`] after a migration, then [`sync_schema_changes`].
//! 5. [`StatsLogger`] on the hot path: the tenant, table, field and time of each query.
//! 6. [`advise`], then [`open_proposals`] to read what it proposed.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let pool = indexpilot_engine::doctest::database("host_overview").await?;
//! use indexpilot_engine::{host, Actor};
//!
//! let actor = Actor::named("billing-service");
//! host::create_metadata_schema(&pool).await?;
//! let (catalog, _) = host::discover_and_bootstrap(&pool, &actor).await?;
//! assert!(catalog.relation("public", "orders").is_some());
//! # Ok(()) }
//! ```

mod stats;

pub use stats::{QueryStat, QueryType, StatsCounters, StatsLogger, StatsLoggerOptions};

use crate::advisor::{self, Advice, AdviseOptions};
use crate::catalog::{self, Catalog};
use crate::change::{self, Change, ChangeState};
use crate::error::Result;
use crate::genome::{self, Reconciled, SyncPlan};
use crate::migrate::{self, MigrateReport};
use crate::mutations::Actor;
use crate::schema_file::{self, ImportOptions, ImportReport, SchemaFile};
use crate::Silent;
use sqlx::PgPool;

/// Creates or upgrades the `indexpilot` metadata schema, and nothing else: no discovery,
/// no genome. Safe to run at every start of the host; a current schema gets no DDL.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let pool = indexpilot_engine::doctest::database("create_metadata").await?;
/// let first = indexpilot_engine::host::create_metadata_schema(&pool).await?;
/// assert!(first.created_schema);
/// let again = indexpilot_engine::host::create_metadata_schema(&pool).await?;
/// assert!(again.applied.is_empty());
/// # Ok(()) }
/// ```
pub async fn create_metadata_schema(pool: &PgPool) -> Result<MigrateReport> {
    migrate::migrate(pool).await
}

/// Reads the live schema (tables, columns, constraints, indexes, enums) in one read-only
/// snapshot. IndexPilot's own schema is left out.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let pool = indexpilot_engine::doctest::database("discover").await?;
/// let catalog = indexpilot_engine::host::discover(&pool).await?;
/// let orders = catalog.relation("public", "orders").expect("the example table");
/// assert!(orders.column("customer_id").is_some());
/// # Ok(()) }
/// ```
pub async fn discover(pool: &PgPool) -> Result<Catalog> {
    catalog::discover(pool).await
}

/// Fills the genome from a discovered catalog: every field with default flags when the
/// genome is empty, a logged sync otherwise (curated flags are kept).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let pool = indexpilot_engine::doctest::database("bootstrap_catalog").await?;
/// use indexpilot_engine::{genome::Reconciled, host, Actor};
///
/// host::create_metadata_schema(&pool).await?;
/// let catalog = host::discover(&pool).await?;
/// let outcome = host::bootstrap_from_catalog(&pool, &Actor::named("svc"), &catalog).await?;
/// assert!(matches!(outcome, Reconciled::Bootstrapped { .. }));
/// # Ok(()) }
/// ```
pub async fn bootstrap_from_catalog(
    pool: &PgPool,
    actor: &Actor,
    catalog: &Catalog,
) -> Result<Reconciled> {
    genome::bootstrap(pool, actor, catalog).await
}

/// Bootstraps the genome from the live schema, then takes the curated flags from a schema
/// file (see [`crate::schema_file`]). The report lists what the file and the database
/// disagree on; with `options.dry_run` nothing is written.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let pool = indexpilot_engine::doctest::database("bootstrap_file").await?;
/// use indexpilot_engine::{host, schema_file::{ImportOptions, SchemaFile}, Actor};
///
/// let file = SchemaFile::parse_str("schema.yaml", r#"
/// version: 1
/// tables:
///   - table: public.orders
///     fields:
///       - name: note
///         type: text
///         indexable: false
///         feature_group: notes
/// "#)?;
/// host::create_metadata_schema(&pool).await?;
/// let report = host::bootstrap_from_schema_file(
///     &pool, &Actor::named("svc"), &file, &ImportOptions::default()).await?;
/// assert_eq!(report.flag_changes.len(), 2);
/// // Fields the file leaves out are reported, not guessed.
/// assert!(report.database_only_fields.iter().any(|f| f.ends_with(".customer_id")));
/// # Ok(()) }
/// ```
pub async fn bootstrap_from_schema_file(
    pool: &PgPool,
    actor: &Actor,
    file: &SchemaFile,
    options: &ImportOptions,
) -> Result<ImportReport> {
    schema_file::import(pool, actor, file, options).await
}

/// [`discover`] and [`bootstrap_from_catalog`] in one call.
pub async fn discover_and_bootstrap(pool: &PgPool, actor: &Actor) -> Result<(Catalog, Reconciled)> {
    genome::discover_and_bootstrap(pool, actor).await
}

/// What changed in the live schema since the genome last saw it (added, removed, renamed
/// and retyped fields), without writing anything.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let pool = indexpilot_engine::doctest::database("detect_changes").await?;
/// use indexpilot_engine::{host, Actor};
///
/// host::create_metadata_schema(&pool).await?;
/// host::discover_and_bootstrap(&pool, &Actor::named("svc")).await?;
/// sqlx::query("ALTER TABLE orders ADD COLUMN shipped_at timestamptz").execute(&pool).await?;
///
/// let plan = host::detect_schema_changes(&pool).await?;
/// assert_eq!(plan.added.len(), 1);
/// let applied = host::sync_schema_changes(&pool, &Actor::named("svc")).await?;
/// assert_eq!(applied.fingerprint, plan.fingerprint);
/// assert!(host::detect_schema_changes(&pool).await?.is_empty());
/// # Ok(()) }
/// ```
pub async fn detect_schema_changes(pool: &PgPool) -> Result<SyncPlan> {
    genome::sync(pool, &Actor { os_user: None }, true).await
}

/// Applies the live schema's changes to the genome, one mutation-log entry each.
pub async fn sync_schema_changes(pool: &PgPool, actor: &Actor) -> Result<SyncPlan> {
    genome::sync(pool, actor, false).await
}

/// Runs the index advisor on the collected workload and records its proposals (unless
/// `options.record` is false). HypoPG is used when it is installed.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let pool = indexpilot_engine::doctest::database("advise").await?;
/// use indexpilot_engine::{advisor::AdviseOptions, host, Actor};
///
/// let actor = Actor::named("svc");
/// host::create_metadata_schema(&pool).await?;
/// host::discover_and_bootstrap(&pool, &actor).await?;
/// let options = AdviseOptions { record: true, ..AdviseOptions::default() };
/// let advice = host::advise(&pool, &actor, &options).await?;
/// let open = host::open_proposals(&pool).await?;
/// assert_eq!(open.len(), advice.proposals.len());
/// # Ok(()) }
/// ```
pub async fn advise(pool: &PgPool, actor: &Actor, options: &AdviseOptions) -> Result<Advice> {
    advisor::advise(pool, actor, options, &Silent).await
}

/// The advisor's proposals that nobody has approved or rejected yet, oldest first.
pub async fn open_proposals(pool: &PgPool) -> Result<Vec<Change>> {
    change::log::in_states(pool, &[ChangeState::Proposed]).await
}
