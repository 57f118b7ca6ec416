//! Benchmark: advising over 1,000 distinct statements on a 200-table schema (every table
//! 20,000 rows, so none is under the size threshold), with HypoPG, on a throwaway
//! PostgreSQL. Prints the time of `advise` alone. Target: under 30 s.

use harness::bench::{bench_db, BenchDb};
use indexpilot_demo::cluster::ClusterOptions;
use indexpilot_engine::advisor::{advise, AdviseOptions};
use indexpilot_engine::{init, Actor, Silent};
use std::time::{Duration, Instant};

const TARGET: Duration = Duration::from_secs(30);
const TABLES: usize = 200;
const ROWS: usize = 20_000;

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("bench-advise-speed: {e}");
        std::process::exit(2);
    }
}

/// Five statement shapes per table, as an application's query mix would have them.
fn statements(t: usize) -> Vec<String> {
    let next = (t + 1) % TABLES;
    vec![
        format!("SELECT id, c FROM s.t{t:03} WHERE a = $1"),
        format!(
            "SELECT id FROM s.t{t:03} WHERE b = $1 AND d > $2::timestamptz ORDER BY d LIMIT 20"
        ),
        format!("SELECT count(*) FROM s.t{t:03} WHERE e = $1"),
        format!("SELECT id FROM s.t{t:03} WHERE lower(c) = $1"),
        format!(
            "SELECT x.id, y.c FROM s.t{t:03} x JOIN s.t{next:03} y ON y.a = x.b WHERE x.a = $1"
        ),
    ]
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let BenchDb { cluster, url, pool } = bench_db(
        ClusterOptions::default(),
        "CREATE EXTENSION pg_stat_statements; CREATE EXTENSION hypopg; CREATE SCHEMA s;",
    )
    .await?;
    let load = Instant::now();
    for t in 0..TABLES {
        sqlx::raw_sql(&format!(
            "CREATE TABLE s.t{t:03} (id int PRIMARY KEY, a int, b int, c text, d timestamptz, e int);
             INSERT INTO s.t{t:03} SELECT g, (g * 7) % 2000, g % 200, 'v' || (g % 5000), now() - make_interval(secs => g), g % 4
             FROM generate_series(1, {ROWS}) g;
             ANALYZE s.t{t:03};"
        ))
        .execute(&pool)
        .await?;
    }
    println!(
        "schema: {TABLES} tables × {ROWS} rows loaded in {:.1} s",
        load.elapsed().as_secs_f64()
    );
    init(&pool, &Actor::named("bench")).await?;
    sqlx::query("SELECT pg_stat_statements_reset()")
        .execute(&pool)
        .await?;
    let app = sqlx::PgPool::connect(&url).await?;
    let mut distinct = 0;
    for t in 0..TABLES {
        for sql in statements(t) {
            let params = sql.matches('$').count();
            // A skewed mix: the first tables' statements run far more often.
            let times = if t < 10 { 50 } else { 1 };
            for _ in 0..times {
                let mut q = sqlx::query(&sql);
                for p in 0..params {
                    q = match (sql.contains("lower(c)"), p) {
                        (true, _) => q.bind(format!("v{t}")),
                        (false, 1) => q.bind(chrono_like_now()),
                        _ => q.bind(i32::try_from(t % 100).unwrap_or(0)),
                    };
                }
                q.execute(&app).await?;
            }
            distinct += 1;
        }
    }
    app.close().await;

    let options = AdviseOptions {
        record: true,
        ..AdviseOptions::default()
    };
    let started = Instant::now();
    let advice = advise(&pool, &Actor::named("bench"), &options, &Silent).await?;
    let took = started.elapsed();
    println!(
        "advise: {} statements analysed ({distinct} run by the application), {} proposals, {} declined",
        advice.statements_analysed,
        advice.proposals.len(),
        advice.declined.len()
    );
    let mut reasons: std::collections::BTreeMap<String, usize> = Default::default();
    for d in &advice.declined {
        *reasons.entry(format!("{:?}", d.reason_code)).or_default() += 1;
    }
    println!("declined by reason: {reasons:?}");
    println!(
        "advise over {distinct} distinct statements on {TABLES} tables: {:.1} s (target < {} s)",
        took.as_secs_f64(),
        TARGET.as_secs()
    );
    pool.close().await;
    cluster.stop()?;
    if took > TARGET {
        return Err(format!(
            "advise took {:.1} s, over the {} s target",
            took.as_secs_f64(),
            TARGET.as_secs()
        )
        .into());
    }
    Ok(())
}

/// A timestamp parameter as text PostgreSQL casts (`d > $2`).
fn chrono_like_now() -> String {
    "2000-01-01 00:00:00+00".to_string()
}
