//! `indexpilot init`: versioned migrations, idempotence, and business tables untouched.

use crate::fixtures::SHOP;
use harness::cli::on;
use harness::fresh_db;
use harness::snapshot::business_snapshot;

const METADATA_TABLES: &[&str] = &[
    "schema_migrations",
    "settings",
    "genome_catalog",
    "expression_profile",
    "mutation_log",
    "statements",
    "query_stats",
    "index_versions",
    "ab_experiments",
    "ab_experiment_results",
    "pgss_snapshot",
    "collector_state",
    "table_stats",
    "table_stats_snapshot",
    "statement_samples",
    "index_stats",
];

#[tokio::test]
async fn init_creates_the_metadata_schema_and_is_idempotent() {
    let db = fresh_db().await;
    db.exec(SHOP).await;

    let first = on(&db.url, &["--json", "init"]).ok().json();
    assert_eq!(first["migrations"]["created_schema"], true);
    assert_eq!(
        first["migrations"]["applied"],
        serde_json::json!([1, 2, 3, 4, 5, 6, 7, 8])
    );
    assert_eq!(first["genome"]["outcome"], "bootstrapped");

    for t in METADATA_TABLES {
        let n = db
            .scalar_i64(&format!(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'indexpilot' AND tablename = '{t}'"
            ))
            .await;
        assert_eq!(n, 1, "indexpilot.{t} missing");
    }
    // Tables filtered by time have their time index.
    for idx in [
        "mutation_log_occurred_at_idx",
        "query_stats_recorded_at_idx",
        "ab_experiments_created_at_idx",
    ] {
        let n = db
            .scalar_i64(&format!(
                "SELECT count(*) FROM pg_indexes WHERE indexname = '{idx}'"
            ))
            .await;
        assert_eq!(n, 1, "{idx} missing");
    }
    // No foreign key leaves the indexpilot schema.
    let outward = db
        .scalar_i64(
            "SELECT count(*) FROM pg_constraint c JOIN pg_class f ON f.oid = c.confrelid
             JOIN pg_namespace n ON n.oid = f.relnamespace
             WHERE c.contype = 'f' AND c.connamespace = 'indexpilot'::regnamespace AND n.nspname <> 'indexpilot'",
        )
        .await;
    assert_eq!(outward, 0);

    let metadata_before = metadata_snapshot(&db.pool).await;
    let second = on(&db.url, &["--json", "init"]).ok().json();
    assert_eq!(second["migrations"]["created_schema"], false);
    assert_eq!(second["migrations"]["applied"], serde_json::json!([]));
    assert_eq!(second["genome"]["outcome"], "synced");
    assert_eq!(second["genome"]["plan"]["added"], serde_json::json!([]));
    assert_eq!(
        metadata_snapshot(&db.pool).await,
        metadata_before,
        "a second init changed something"
    );
}

#[tokio::test]
async fn init_never_touches_business_objects() {
    let db = fresh_db().await;
    db.exec(SHOP).await;
    let before = business_snapshot(&db.pool).await;
    assert!(before.len() > 50, "the snapshot should see the fixture");
    on(&db.url, &["init"]).ok();
    on(&db.url, &["discover"]).ok();
    on(&db.url, &["sync"]).ok();
    assert_eq!(business_snapshot(&db.pool).await, before);
}

#[tokio::test]
async fn a_newer_metadata_schema_is_refused() {
    let db = fresh_db().await;
    on(&db.url, &["init"]).ok();
    db.exec("INSERT INTO indexpilot.schema_migrations (version, name, checksum) VALUES (999, 'future', 'x')").await;
    let r = on(&db.url, &["init"]).user_error();
    assert!(r.stderr.contains("newer than this build"), "{}", r.stderr);
}

#[tokio::test]
async fn commands_before_init_say_what_to_do() {
    let db = fresh_db().await;
    let r = on(&db.url, &["genome", "list"]).user_error();
    assert!(
        r.stderr.contains("not initialised") && r.stderr.contains("indexpilot init"),
        "{}",
        r.stderr
    );
}

#[tokio::test]
async fn mutation_log_is_append_only() {
    let db = fresh_db().await;
    on(&db.url, &["init"]).ok();
    for sql in [
        "UPDATE indexpilot.mutation_log SET kind = 'init'",
        "DELETE FROM indexpilot.mutation_log",
        "TRUNCATE indexpilot.mutation_log CASCADE",
    ] {
        let err = sqlx::query(sql).execute(&db.pool).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    let rows = db
        .scalar_i64("SELECT count(*) FROM indexpilot.mutation_log")
        .await;
    assert!(rows > 0);
}

/// Row counts and contents of every metadata table except the log's own timestamps.
async fn metadata_snapshot(pool: &sqlx::PgPool) -> Vec<String> {
    let mut out = Vec::new();
    for t in METADATA_TABLES {
        let v: Option<String> = sqlx::query_scalar(&format!(
            "SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) FROM indexpilot.{t} x"
        ))
        .fetch_one(pool)
        .await
        .unwrap();
        out.push(format!("{t} {}", v.unwrap_or_default()));
    }
    out
}
