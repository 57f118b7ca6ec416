//! What the benchmarks share: a throwaway cluster with pg_stat_statements preloaded and one
//! database with the advisor's extensions, opened with a long statement timeout (loading a
//! benchmark schema takes longer than the engine's polite 30 s).

use indexpilot_demo::cluster::{Cluster, ClusterOptions};
use indexpilot_engine::{connect, ConnectOptions};
use sqlx::PgPool;
use std::time::Duration;

pub type BoxError = Box<dyn std::error::Error>;

/// A started cluster, the URL of its `bench` database and a pool on it.
pub struct BenchDb {
    pub cluster: Cluster,
    pub url: String,
    pub pool: PgPool,
}

/// Starts the cluster (in `options`, pg_stat_statements is added to the preloads), creates
/// database `bench` and runs `setup` in it (extensions, schemas).
pub async fn bench_db(options: ClusterOptions, setup: &str) -> Result<BenchDb, BoxError> {
    let cluster = tokio::task::spawn_blocking(move || {
        let mut options = options;
        if !options.preload.iter().any(|p| p == "pg_stat_statements") {
            options.preload.push("pg_stat_statements".into());
        }
        Cluster::start(options)
    })
    .await??;
    let url = cluster.create_database("bench").await?;
    let pool = connect(
        &ConnectOptions::resolve(Some(&url))?.with_statement_timeout(Duration::from_secs(1800)),
    )
    .await?;
    sqlx::raw_sql(setup).execute(&pool).await?;
    Ok(BenchDb { cluster, url, pool })
}
