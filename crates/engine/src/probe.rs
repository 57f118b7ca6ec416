//! "Test connection": what a DBA wants to know before trusting a tool with a database —
//! server version, the extensions IndexPilot uses, whether it is initialised there, and
//! what this role may do. Read-only, a handful of catalog queries.

use crate::connect::transaction::{self, Mode};
use crate::connect::{connect, ConnectOptions};
use crate::error::Result;
use crate::migrate;
use serde::Serialize;
use sqlx::PgPool;
use std::time::Instant;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
pub struct ExtensionState {
    /// Installed on the server (pg_available_extensions).
    pub available: bool,
    /// Created in this database.
    pub installed: bool,
    /// In shared_preload_libraries (pg_stat_statements needs it; HypoPG does not). None when
    /// this role may not read that setting (pg_read_all_settings).
    pub preloaded: Option<bool>,
    pub version: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct RoleInfo {
    pub name: String,
    pub superuser: bool,
    pub owns_database: bool,
    /// CREATE on the database: may run `init`.
    pub can_create_schema: bool,
    /// pg_read_all_stats: sees the text of every role's statements.
    pub can_read_all_stats: bool,
    /// USAGE on schema indexpilot, when it exists.
    pub can_use_metadata: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ConnectionReport {
    pub target: String,
    pub server_version: String,
    pub server_version_num: i32,
    pub pg_stat_statements: ExtensionState,
    pub hypopg: ExtensionState,
    /// Whether schema indexpilot exists.
    pub metadata_present: bool,
    /// Its version; None when it does not exist or this role may not read it.
    pub metadata_version: Option<i32>,
    pub latest_metadata_version: i32,
    pub role: RoleInfo,
    pub latency_ms: u64,
}

/// Connects with `opts`, reports, and closes.
pub async fn test_connection(opts: &ConnectOptions) -> Result<ConnectionReport> {
    let started = Instant::now();
    let pool = connect(&opts.clone().with_max_connections(1)).await?;
    let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let report = probe(&pool, &opts.target().to_string(), latency_ms).await;
    pool.close().await;
    report
}

/// The server's major and minor version as one number (`150018` for 15.18): the features
/// the engine uses depend on it.
pub async fn server_version_num<'e, E: sqlx::PgExecutor<'e>>(executor: E) -> Result<i32> {
    Ok(
        sqlx::query_scalar("SELECT /* indexpilot */ current_setting('server_version_num')::int")
            .fetch_one(executor)
            .await?,
    )
}

pub async fn probe(pool: &PgPool, target: &str, latency_ms: u64) -> Result<ConnectionReport> {
    let mut tx = transaction::begin(pool, Mode::ReadOnly).await?;
    // shared_preload_libraries is hidden from roles without pg_read_all_settings.
    let (server_version, server_version_num, preload): (String, String, Option<String>) =
        sqlx::query_as(
            "SELECT /* indexpilot */ current_setting('server_version'), current_setting('server_version_num'),
                CASE WHEN pg_has_role('pg_read_all_settings', 'MEMBER')
                     THEN current_setting('shared_preload_libraries') END",
        )
        .fetch_one(&mut *tx)
        .await?;
    let preloaded: Option<Vec<String>> =
        preload.map(|p| p.split(',').map(|s| s.trim().to_string()).collect());
    let role: (String, bool, bool, bool, bool, bool) = sqlx::query_as(
        "SELECT /* indexpilot */ current_user::text, r.rolsuper,
                (SELECT d.datdba = r.oid FROM pg_database d WHERE d.datname = current_database()),
                has_database_privilege(current_database(), 'CREATE'),
                pg_has_role('pg_read_all_stats', 'MEMBER'),
                COALESCE((SELECT has_schema_privilege(n.oid, 'USAGE') FROM pg_namespace n WHERE n.nspname = 'indexpilot'), false)
         FROM pg_roles r WHERE r.rolname = current_user",
    )
    .fetch_one(&mut *tx)
    .await?;
    let pgss = extension(&mut tx, "pg_stat_statements", preloaded.as_deref()).await?;
    let hypopg = extension(&mut tx, "hypopg", preloaded.as_deref()).await?;
    tx.commit().await?;
    let (metadata_present, metadata_version) = match migrate::current_version(pool).await {
        Ok(0) => (false, None),
        Ok(v) => (true, Some(v)),
        // The schema exists but this role may not read it.
        Err(crate::Error::PermissionDenied(_)) => (true, None),
        Err(e) => return Err(e),
    };
    Ok(ConnectionReport {
        target: target.to_string(),
        server_version,
        server_version_num: server_version_num.parse().unwrap_or(0),
        pg_stat_statements: pgss,
        hypopg,
        metadata_present,
        metadata_version,
        latest_metadata_version: migrate::latest_version(),
        role: RoleInfo {
            name: role.0,
            superuser: role.1,
            owns_database: role.2,
            can_create_schema: role.3,
            can_read_all_stats: role.4,
            can_use_metadata: role.5,
        },
        latency_ms,
    })
}

/// Whether `name` is available, installed in this database (and in which version), and
/// preloaded when `preloaded` lists shared_preload_libraries.
pub(crate) async fn extension(
    conn: &mut sqlx::PgConnection,
    name: &str,
    preloaded: Option<&[String]>,
) -> Result<ExtensionState> {
    let row: Option<(Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT /* indexpilot */ default_version, installed_version FROM pg_available_extensions WHERE name = $1",
    )
    .bind(name)
    .fetch_optional(conn)
    .await?;
    Ok(ExtensionState {
        available: row.is_some(),
        installed: row.as_ref().is_some_and(|r| r.1.is_some()),
        preloaded: preloaded.map(|list| list.iter().any(|p| p == name)),
        version: row.and_then(|r| r.1.or(r.0)),
    })
}
