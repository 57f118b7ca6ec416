//! Benchmark: advising over 1,000 distinct statements on a 200-table schema (every table
//! 20,000 rows, so none is under the size threshold), with HypoPG, on a throwaway
//! PostgreSQL. The mix has jsonb containment and array overlap (GIN candidates, costed
//! without HypoPG) and expressions the planner can only guess (block samples). Prints the
//! time of `advise` alone, once with no storage budget and once with a budget that binds
//! (half of what the first run proposed: the swap and widen phases re-plan). Target: each
//! under 30 s.

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

/// Five statement shapes per table, as an application's query mix would have them: every
/// second table's lookup is by jsonb containment instead of an expression, every third's
/// count by array overlap.
fn statements(t: usize) -> Vec<String> {
    let next = (t + 1) % TABLES;
    vec![
        format!("SELECT id, c FROM s.t{t:03} WHERE a = $1"),
        format!(
            "SELECT id FROM s.t{t:03} WHERE b = $1 AND d > $2::timestamptz ORDER BY d LIMIT 20"
        ),
        if t % 3 == 0 {
            format!("SELECT count(*) FROM s.t{t:03} WHERE tags && $1::text[]")
        } else {
            format!("SELECT count(*) FROM s.t{t:03} WHERE e = $1")
        },
        if t % 2 == 0 {
            format!("SELECT id FROM s.t{t:03} WHERE attrs @> $1::jsonb")
        } else {
            format!("SELECT id FROM s.t{t:03} WHERE lower(c) = $1")
        },
        format!(
            "SELECT x.id, y.c FROM s.t{t:03} x JOIN s.t{next:03} y ON y.a = x.b WHERE x.a = $1"
        ),
    ]
}

/// The value bound to parameter `p` of `sql` for table `t`.
fn value(sql: &str, t: usize, p: usize) -> String {
    if sql.contains("lower(c)") {
        format!("v{t}")
    } else if sql.contains("attrs @>") {
        format!("{{\"k\": {}}}", t % 50)
    } else if sql.contains("tags &&") {
        format!("{{t{}}}", t % 30)
    } else if p == 1 {
        chrono_like_now()
    } else {
        (t % 100).to_string()
    }
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
            "CREATE TABLE s.t{t:03} (id int PRIMARY KEY, a int, b int, c text, d timestamptz, e int,
                                     attrs jsonb, tags text[]);
             INSERT INTO s.t{t:03} SELECT g, (g * 7) % 2000, g % 200, 'v' || (g % 5000), now() - make_interval(secs => g), g % 4,
                                          jsonb_build_object('k', g % 500), ARRAY['t' || (g % 300)]
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
    // pg_stat_statements' default (the throwaway cluster tracks nested statements too), in
    // sessions opened from here on.
    sqlx::raw_sql(
        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET pg_stat_statements.track = top', current_database()); END $$",
    )
    .execute(&pool)
    .await?;
    pool.close().await;
    let pool = sqlx::PgPool::connect(&url).await?;
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
                    let v = value(&sql, t, p);
                    // Integers bind as integers; the rest as text PostgreSQL casts.
                    q = match v.parse::<i32>() {
                        Ok(n) if !sql.contains("lower(c)") => q.bind(n),
                        _ => q.bind(v),
                    };
                }
                q.execute(&app).await?;
            }
            distinct += 1;
        }
    }
    app.close().await;

    let mut options = AdviseOptions {
        record: true,
        ..AdviseOptions::default()
    };
    let mut slowest = Duration::ZERO;
    for run in ["no budget", "a binding budget"] {
        let started = Instant::now();
        let advice = advise(&pool, &Actor::named("bench"), &options, &Silent).await?;
        let took = started.elapsed();
        slowest = slowest.max(took);
        let gin = advice
            .proposals
            .iter()
            .filter(|p| p.ddl.contains("USING gin"))
            .count();
        println!(
            "advise ({run}): {} statements analysed ({distinct} run by the application; {}), {} proposals ({gin} GIN), {} declined",
            advice.statements_analysed,
            advice.workload_source,
            advice.proposals.len(),
            advice.declined.len()
        );
        let mut reasons: std::collections::BTreeMap<String, usize> = Default::default();
        for d in &advice.declined {
            *reasons.entry(format!("{:?}", d.reason_code)).or_default() += 1;
        }
        println!("declined by reason: {reasons:?}");
        let dealloc: i64 = sqlx::query_scalar("SELECT dealloc FROM pg_stat_statements_info")
            .fetch_one(&pool)
            .await?;
        println!("pg_stat_statements entries evicted so far: {dealloc}");
        println!(
            "advise over {distinct} distinct statements on {TABLES} tables, {run}: {:.1} s (target < {} s)",
            took.as_secs_f64(),
            TARGET.as_secs()
        );
        let proposed: i64 = advice
            .proposals
            .iter()
            .map(|p| p.estimated_size_bytes)
            .sum();
        options.select.budget_bytes = Some(proposed / 2);
        // The same workload again: pg_stat_statements as it stands (a recorded run would
        // see only the interval since the first one's snapshot).
        options.record = false;
        options.read_only = true;
    }
    pool.close().await;
    cluster.stop()?;
    if slowest > TARGET {
        return Err(format!(
            "advise took {:.1} s, over the {} s target",
            slowest.as_secs_f64(),
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
