//! Benchmark: discover + bootstrap the genome of a schema of 5,000 tables × 20 columns
//! (100,000 fields) on a throwaway PostgreSQL, and print the time. Target: under 3 s.
//!
//! Usage: bench-discovery [TABLES] [COLUMNS]

use indexpilot_demo::cluster::{Cluster, ClusterOptions};
use indexpilot_engine::genome::{self, Reconciled};
use indexpilot_engine::{catalog, connect, migrate, Actor, ConnectOptions};
use std::time::{Duration, Instant};

const TARGET: Duration = Duration::from_secs(3);

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("bench-discovery: {e}");
        std::process::exit(2);
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let tables: u32 = args.next().map_or(Ok(5000), |a| a.parse())?;
    let columns: u32 = args.next().map_or(Ok(20), |a| a.parse())?;

    let cluster =
        tokio::task::spawn_blocking(|| Cluster::start(ClusterOptions::default())).await??;
    let url = cluster.create_database("bench").await?;
    let opts =
        ConnectOptions::resolve(Some(&url))?.with_statement_timeout(Duration::from_secs(600));
    let pool = connect(&opts).await?;

    let built = Instant::now();
    sqlx::query("CREATE SCHEMA bench").execute(&pool).await?;
    // Batches of 100 tables per transaction: one transaction for all would exhaust the lock table.
    let cols: Vec<String> = (1..columns)
        .map(|i| {
            format!(
                "c{i} {}",
                ["text", "integer", "timestamptz", "numeric", "boolean"][i as usize % 5]
            )
        })
        .collect();
    let ddl = format!("(id bigint PRIMARY KEY, {})", cols.join(", "));
    for start in (0..tables).step_by(100) {
        let end = (start + 100).min(tables);
        let block = format!(
            "DO $$ BEGIN FOR i IN {start}..{} LOOP EXECUTE format('CREATE TABLE bench.t%s {ddl}', i); END LOOP; END $$",
            end - 1
        );
        sqlx::raw_sql(&block).execute(&pool).await?;
    }
    println!(
        "schema: {tables} tables x {columns} columns = {} fields (built in {:.1} s)",
        tables * columns,
        built.elapsed().as_secs_f64()
    );
    migrate::migrate(&pool).await?;

    let actor = Actor::named("bench");
    let started = Instant::now();
    let catalog = catalog::discover(&pool).await?;
    let discovered = started.elapsed();
    let outcome = genome::bootstrap(&pool, &actor, &catalog).await?;
    let first = started.elapsed();
    let fields = match outcome {
        Reconciled::Bootstrapped { fields, .. } => fields,
        Reconciled::Synced { .. } => return Err("the genome was not empty".into()),
    };
    let started = Instant::now();
    let (_, again) = genome::discover_and_bootstrap(&pool, &actor).await?;
    let second = started.elapsed();
    if let Reconciled::Synced { plan } = &again {
        assert!(plan.is_empty(), "a second discovery found changes");
    }
    println!(
        "discover + bootstrap: {} relations, {fields} fields in {:.2} s (target < {} s: {})",
        catalog.relations.len(),
        first.as_secs_f64(),
        TARGET.as_secs(),
        if first < TARGET { "met" } else { "MISSED" }
    );
    println!(
        "  of which catalog reads {:.2} s, genome bootstrap {:.2} s",
        discovered.as_secs_f64(),
        (first - discovered).as_secs_f64()
    );
    println!(
        "discover + sync with no changes: {:.2} s",
        second.as_secs_f64()
    );
    pool.close().await;
    drop(cluster);
    Ok(())
}
