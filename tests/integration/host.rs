//! The engine as a library: the stats logger under load and through an outage, and the
//! example host application in `examples/host-service`, built and run as the README says.

use harness::proxy::Proxy;
use harness::{cluster, fresh_db, TestDb};
use indexpilot_engine::host::{self, QueryStat, QueryType, StatsLogger, StatsLoggerOptions};
use indexpilot_engine::{connect, ConnectOptions};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

async fn initialised() -> TestDb {
    let db = fresh_db().await;
    host::create_metadata_schema(&db.pool).await.unwrap();
    db
}

fn stat(i: usize) -> QueryStat {
    QueryStat::new(
        "orders",
        QueryType::Select,
        Duration::from_micros(100 + i as u64),
    )
    .tenant((i % 7).to_string())
    .field("status")
}

async fn host_rows(db: &TestDb) -> i64 {
    db.scalar_i64("SELECT count(*) FROM indexpilot.query_stats WHERE source = 'host'")
        .await
}

/// A pool that reaches the test database through a proxy the test can cut.
async fn through_proxy(db: &TestDb) -> (Proxy, sqlx::PgPool) {
    let proxy = Proxy::start(cluster().port()).await;
    let url = db.url.replace(
        &format!(":{}/", cluster().port()),
        &format!(":{}/", proxy.port),
    );
    let options = ConnectOptions::resolve(Some(&url))
        .unwrap()
        .with_connect_timeout(Duration::from_secs(1));
    (proxy, connect(&options).await.unwrap())
}

fn fast_retries() -> StatsLoggerOptions {
    StatsLoggerOptions {
        batch_size: 250,
        flush_interval: Duration::from_millis(100),
        backoff: Duration::from_millis(50),
        max_backoff: Duration::from_millis(200),
        write_timeout: Duration::from_secs(2),
        ..StatsLoggerOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_logged_statistics_are_all_written() {
    let db = initialised().await;
    let logger = StatsLogger::start(db.pool.clone(), fast_retries());
    for i in 0..10_000 {
        logger.log(stat(i));
    }
    let counters = logger.shutdown().await;
    assert_eq!(counters.accepted, 10_000);
    assert_eq!(counters.written, 10_000, "{counters:?}");
    assert_eq!(counters.pending(), 0);
    assert_eq!(counters.dropped_queue_full + counters.dropped_retry_full, 0);
    assert_eq!(host_rows(&db).await, 10_000);
    // What each row says survives the batching.
    let tenants = db
        .scalar_i64(
            "SELECT count(DISTINCT tenant_id) FROM indexpilot.query_stats
             WHERE source = 'host' AND schema_name = 'public' AND table_name = 'orders'
               AND field_name = 'status' AND query_type = 'select' AND duration_ms > 0.09",
        )
        .await;
    assert_eq!(tenants, 7);
    // The logger's own INSERTs are tagged, so the workload analysis leaves them out.
    let untagged = db
        .scalar_i64(
            "SELECT count(*) FROM pg_stat_statements
             WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
               AND query ILIKE 'insert%indexpilot.query_stats%' AND query NOT LIKE '%/* indexpilot */%'",
        )
        .await;
    assert_eq!(untagged, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_neither_fails_the_caller_nor_loses_rows() {
    let db = initialised().await;
    let (proxy, pool) = through_proxy(&db).await;
    let logger = StatsLogger::start(pool.clone(), fast_retries());

    for i in 0..2_000 {
        logger.log(stat(i));
    }
    assert_eq!(logger.flush().await.written, 2_000);

    proxy.cut();
    let started = Instant::now();
    for i in 0..3_000 {
        logger.log(stat(i)); // returns at once: nothing to handle, nothing thrown
    }
    let during = logger.flush().await;
    assert_eq!(during.written, 2_000, "{during:?}");
    assert_eq!(during.pending(), 3_000, "{during:?}");
    assert!(during.failed_writes >= 1, "{during:?}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "logging waited for the database"
    );

    proxy.restore();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut after = logger.counters();
    while after.written < 5_000 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
        after = logger.flush().await;
    }
    let end = logger.shutdown().await;
    assert_eq!(end.written, 5_000, "{end:?}");
    assert_eq!(
        end.dropped_queue_full + end.dropped_retry_full,
        0,
        "{end:?}"
    );
    assert_eq!(host_rows(&db).await, 5_000);
    pool.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_its_retry_capacity_the_logger_drops_the_oldest_and_counts_them() {
    let db = initialised().await;
    let (proxy, pool) = through_proxy(&db).await;
    let logger = StatsLogger::start(
        pool.clone(),
        StatsLoggerOptions {
            retry_capacity: 1_000,
            ..fast_retries()
        },
    );
    proxy.cut();
    for i in 0..3_000 {
        logger.log(stat(i));
    }
    let during = logger.flush().await;
    assert_eq!(during.dropped_retry_full, 2_000, "{during:?}");
    proxy.restore();
    let end = logger.shutdown().await;
    assert_eq!(end.written, 1_000, "{end:?}");
    assert_eq!(
        end.accepted,
        end.written + end.dropped_retry_full + end.dropped_queue_full
    );
    assert_eq!(host_rows(&db).await, 1_000);
    // The newest rows were kept: their durations are the largest.
    let oldest_kept = db
        .scalar_i64(
            "SELECT round(min(duration_ms) * 1000)::int8 FROM indexpilot.query_stats WHERE source = 'host'",
        )
        .await;
    assert_eq!(oldest_kept, 100 + 2_000);
    pool.close().await;
}

#[tokio::test]
async fn a_row_without_a_table_is_refused_and_shutdown_ends_with_clones_alive() {
    let db = initialised().await;
    let logger = StatsLogger::start(db.pool.clone(), StatsLoggerOptions::default());
    logger.log(QueryStat::new(
        " ",
        QueryType::Delete,
        Duration::from_millis(1),
    ));
    logger.log(stat(1));
    // A clone still held elsewhere does not keep the writer from ending.
    let clone = logger.clone();
    let end = tokio::time::timeout(Duration::from_secs(30), logger.shutdown())
        .await
        .expect("shutdown ends while a clone lives");
    assert_eq!((end.rejected, end.written), (1, 1));
    clone.log(stat(2));
    assert_eq!(clone.counters().dropped_queue_full, 1);
    assert_eq!(host_rows(&db).await, 1);
}

fn example_binary() -> PathBuf {
    let bin = harness::cli::binary().with_file_name("indexpilot-host-example");
    assert!(
        bin.exists(),
        "{} is missing: build it with `cargo build -p indexpilot-host-example` (make test does)",
        bin.display()
    );
    bin
}

fn run_example(db: &TestDb, extra: &[&str]) -> serde_json::Value {
    let out = Command::new(example_binary())
        .args(["--requests", "600"])
        .args(extra)
        .env("DATABASE_URL", &db.url)
        .output()
        .expect("run the example");
    assert!(
        out.status.success(),
        "example failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the example prints JSON")
}

#[tokio::test]
async fn the_example_host_application_integrates_every_step() {
    let db = fresh_db().await;
    let first = run_example(&db, &[]);
    assert_eq!(first["metadata"]["created_schema"], true);
    assert_eq!(first["genome"]["from"], "discovery");
    assert_eq!(first["genome"]["outcome"]["outcome"], "bootstrapped");
    assert_eq!(
        first["schema_changes"]["added"],
        serde_json::json!(["public.invoices.due_at"])
    );
    assert_eq!(first["stats"]["written"], 600);
    assert_eq!(host_rows(&db).await, 600);
    assert!(
        first["advice"]["statements_analysed"].as_u64().unwrap() >= 1,
        "{first}"
    );
    let proposals = first["advice"]["proposals"].as_array().unwrap();
    assert!(
        proposals
            .iter()
            .any(|p| p.as_str().unwrap().contains("invoices")
                && p.as_str().unwrap().contains("customer_email")),
        "{first}"
    );
    assert_eq!(
        first["open_proposals"].as_u64().unwrap(),
        proposals.len() as u64
    );
    let genome_fields = db
        .scalar_i64(
            "SELECT count(*) FROM indexpilot.genome_catalog WHERE table_name = 'invoices' AND removed_at IS NULL",
        )
        .await;
    assert_eq!(genome_fields, 7);

    // A second start (a redeploy): no DDL for the metadata, no schema change, same genome.
    let second = run_example(&db, &[]);
    assert_eq!(second["metadata"]["created_schema"], false);
    assert_eq!(second["metadata"]["applied"], serde_json::json!([]));
    assert_eq!(second["schema_changes"]["applied"], 0);
    assert_eq!(host_rows(&db).await, 1200);
}

#[tokio::test]
async fn the_example_takes_its_flags_from_a_schema_file() {
    let db = fresh_db().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("schema.yaml");
    std::fs::write(
        &file,
        "version: 1
tables:
  - table: invoices
    fields:
      - name: customer_email
        type: text
        required: true
        indexable: false
        feature_group: contact
",
    )
    .unwrap();
    let out = run_example(&db, &["--schema-file", file.to_str().unwrap()]);
    assert_eq!(out["genome"]["from"], "schema_file");
    assert_eq!(out["genome"]["bootstrapped"], true);
    assert_eq!(out["genome"]["flag_changes"], 2);
    let curated = db
        .scalar_i64(
            "SELECT count(*) FROM indexpilot.genome_catalog
             WHERE table_name = 'invoices' AND field_name = 'customer_email'
               AND NOT is_indexable AND feature_group = 'contact'
               AND curated_flags @> ARRAY['feature_group', 'is_indexable']",
        )
        .await;
    assert_eq!(curated, 1);
}
