//! Benchmark: one collector snapshot of 5,000 distinct statements (pg_stat_statements
//! deltas written to query_stats) on a throwaway PostgreSQL. Target: under 0.5 s.

use indexpilot_demo::cluster::{Cluster, ClusterOptions};
use indexpilot_engine::workload::collect::collect_once;
use indexpilot_engine::{connect, migrate, ConnectOptions};
use std::time::{Duration, Instant};

const TARGET: Duration = Duration::from_millis(500);
const TABLES: usize = 100;
const COLUMNS: usize = 50;

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("bench-collect: {e}");
        std::process::exit(2);
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    // pg_stat_statements keeps 5,000 entries by default; make room for the benchmark's own.
    let first = tokio::task::spawn_blocking(|| Cluster::start(ClusterOptions::default())).await??;
    let admin = sqlx::PgPool::connect(&first.admin_url()).await?;
    sqlx::query("ALTER SYSTEM SET pg_stat_statements.max = 20000")
        .execute(&admin)
        .await?;
    admin.close().await;
    first.stop()?;
    let dir = first.data_dir().to_path_buf();
    let cluster = tokio::task::spawn_blocking(move || {
        Cluster::start(ClusterOptions {
            data_dir: Some(dir),
            ..ClusterOptions::default()
        })
    })
    .await??;

    let url = cluster.create_database("bench").await?;
    let pool = connect(
        &ConnectOptions::resolve(Some(&url))?.with_statement_timeout(Duration::from_secs(600)),
    )
    .await?;
    sqlx::query("CREATE EXTENSION pg_stat_statements")
        .execute(&pool)
        .await?;
    let cols: Vec<String> = (0..COLUMNS).map(|c| format!("c{c} int")).collect();
    for t in 0..TABLES {
        sqlx::query(&format!("CREATE TABLE t{t} ({})", cols.join(", ")))
            .execute(&pool)
            .await?;
    }
    migrate::migrate(&pool).await?;

    // The application: 5,000 distinct statements (one per table and column).
    let app = sqlx::PgPool::connect(&url).await?;
    let workload = || async {
        for t in 0..TABLES {
            for c in 0..COLUMNS {
                sqlx::query(&format!("SELECT count(*) FROM t{t} WHERE c{c} = $1"))
                    .bind(1_i32)
                    .execute(&app)
                    .await?;
            }
        }
        Ok::<(), sqlx::Error>(())
    };
    workload().await?;
    let baseline = collect_once(&pool).await?;
    workload().await?;
    let started = Instant::now();
    let report = collect_once(&pool).await?;
    let took = started.elapsed();
    println!(
        "collect: snapshot of {} statements, {} deltas recorded in {:.3} s (target < {:.1} s: {})",
        report.statements,
        report.recorded,
        took.as_secs_f64(),
        TARGET.as_secs_f64(),
        if took < TARGET { "met" } else { "MISSED" }
    );
    if baseline.statements < TABLES * COLUMNS || report.recorded < TABLES * COLUMNS {
        return Err(format!(
            "expected {} statements, saw {} (baseline {})",
            TABLES * COLUMNS,
            report.recorded,
            baseline.statements
        )
        .into());
    }
    app.close().await;
    pool.close().await;
    Ok(())
}
