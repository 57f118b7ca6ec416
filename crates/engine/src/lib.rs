//! IndexPilot's engine: everything the desktop app and the `indexpilot` CLI do, with no
//! GUI dependency. Functions take a connection pool and plain values and return data.
//!
//! - [`connect`](mod@connect): libpq-style connection settings and polite sessions.
//! - [`migrate`]: the versioned `indexpilot` metadata schema.
//! - [`catalog`]: bulk schema discovery.
//! - [`genome`]: the field catalog with curated flags, bootstrap and sync.
//! - [`tenants`] and [`expression`]: tenants and per-tenant field activation.
//! - [`mutations`]: the append-only log of every decision and change.
//! - [`local`] and [`probe`]: the desktop app's store and "test connection".
//! - [`workload`]: the statement analyser; [`health`]: index health checks.
//! - [`advisor`]: index proposals judged on the whole workload with HypoPG.
//! - [`change`]: approving, applying, rolling back and validating index changes.
//! - [`typegen`]: row types (Python, TypeScript, Rust) generated from the live schema.
//! - [`host`]: the integration steps for applications that use the engine as a library;
//!   [`schema_file`]: the genome as a YAML/TOML file; [`config`]: the policy file.

pub mod advisor;
pub mod catalog;
pub mod change;
pub mod config;
pub mod connect;
#[doc(hidden)]
pub mod doctest;
pub mod error;
pub mod expression;
pub mod genome;
pub mod health;
pub mod host;
pub mod ident;
pub mod local;
pub mod migrate;
pub mod mutations;
pub mod overview;
pub mod probe;
pub mod schema_file;
pub mod secret;
pub mod settings;
pub mod tenants;
pub mod typegen;
pub mod workload;

pub use connect::{connect, ConnectOptions, SslMode, Target};
pub use error::{Error, ErrorCode, PgError, Result};
pub use ident::FieldRef;
pub use mutations::Actor;
pub use secret::Secret;

/// The engine's version, shown by the CLI and the app.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// `init`: creates or upgrades the metadata schema, then discovers the schema and
/// bootstraps (or syncs) the genome. Safe to run again: a second run changes nothing.
pub async fn init(pool: &sqlx::PgPool, actor: &Actor) -> Result<InitReport> {
    init_with_progress(pool, actor, &Silent).await
}

/// Receives the steps of long work shown to a person: (step, fraction done).
pub trait Progress: Send + Sync {
    fn step(&self, step: &str, fraction: f64);
}

/// Progress nobody watches.
pub struct Silent;

impl Progress for Silent {
    fn step(&self, _: &str, _: f64) {}
}

/// [`init`], reporting each step.
pub async fn init_with_progress(
    pool: &sqlx::PgPool,
    actor: &Actor,
    progress: &dyn Progress,
) -> Result<InitReport> {
    init_with(pool, actor, progress, &config::PolicyFile::none()).await
}

/// [`init`] under a policy file (its tenant key, when the database stores none).
pub async fn init_with(
    pool: &sqlx::PgPool,
    actor: &Actor,
    progress: &dyn Progress,
    file: &config::PolicyFile,
) -> Result<InitReport> {
    progress.step("creating the metadata schema", 0.0);
    let migrated = migrate::migrate(pool).await?;
    if !migrated.applied.is_empty() {
        let entry = mutations::NewMutation::new(
            mutations::MutationKind::Init,
            serde_json::json!({"migrations_applied": migrated.applied, "version": migrated.version}),
        );
        let mut conn = pool.acquire().await?;
        mutations::record(&mut conn, actor, &[entry]).await?;
    }
    progress.step("reading the catalog", 0.3);
    let catalog = catalog::discover_reporting(pool, progress, 0.3).await?;
    progress.step("building the genome", 0.7);
    let tenancy = config::tenancy(pool, file).await?;
    let genome = genome::bootstrap_for(pool, actor, &catalog, &tenancy.tenant_key).await?;
    progress.step("done", 1.0);
    Ok(InitReport {
        migrations: migrated,
        relations: catalog.relations.len(),
        fields: catalog.field_count(),
        genome,
    })
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct InitReport {
    pub migrations: migrate::MigrateReport,
    pub relations: usize,
    pub fields: usize,
    pub genome: genome::Reconciled,
}
