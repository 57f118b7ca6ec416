//! PostgreSQL 18's B-tree skip scan: a `(site, visitor)` index serves `WHERE visitor = $1`
//! when `site` has few distinct values. On 18 the advisor must not propose `(visitor)` over
//! it; on older majors, where the planner cannot skip, it must. Health's redundancy stays a
//! prefix rule on every major: `(site)` is redundant beside `(site, visitor)`, `(visitor)` is
//! not (whether a skip scan serves it depends on the data, which the unused-index check
//! judges from its scans). Runs without HypoPG, so on every major (`make test-pg-majors`).

use crate::advisor::{proposals, reset_statements, run};
use harness::cli::on;
use harness::fresh_db;
use serde_json::Value;

const SCHEMA: &str = "
CREATE SCHEMA app;
CREATE TABLE app.visits (id bigint PRIMARY KEY, site int NOT NULL, visitor int NOT NULL,
                         at timestamptz NOT NULL, page text NOT NULL);
INSERT INTO app.visits
SELECT g, g % 4, (g::int8 * 7919 % 60000)::int, now() - make_interval(secs => g), repeat('p', 60)
FROM generate_series(1, 300000) g;
CREATE INDEX visits_site_visitor_idx ON app.visits (site, visitor);
ANALYZE app.visits;
";

fn creates_on_visitor(advice: &Value) -> Vec<&Value> {
    proposals(advice)
        .iter()
        .filter(|p| {
            p["kind"] == "create"
                && p["ddl"]
                    .as_str()
                    .is_some_and(|d| d.contains("(visitor)") || d.contains("(\"visitor\")"))
        })
        .collect()
}

/// The planner's total cost of one visitor's lookup, after `settings` (in its transaction).
async fn total_cost(db: &harness::TestDb, settings: &str) -> f64 {
    let mut tx = db.pool.begin().await.unwrap();
    sqlx::raw_sql(settings).execute(&mut *tx).await.unwrap();
    let plan: Value = sqlx::query_scalar(
        "EXPLAIN (FORMAT JSON) SELECT id, at FROM app.visits WHERE visitor = 4242",
    )
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    plan[0]["Plan"]["Total Cost"].as_f64().unwrap()
}

#[tokio::test]
async fn a_skip_scan_of_a_wider_index_is_not_duplicated_on_any_major() {
    let db = fresh_db().await;
    db.exec(SCHEMA).await;
    let version = db
        .scalar_i64("SELECT current_setting('server_version_num')::int8")
        .await;
    on(&db.url, &["init"]).ok();
    reset_statements(&db.pool).await;
    run(
        &db.pool,
        "SELECT id, at FROM app.visits WHERE visitor = $1::int",
        300,
        |i| vec![((i * 37) % 60000).to_string()],
    )
    .await;

    // The premise, as the planner sees it: only 18 probes the wider index for a visitor,
    // at a small share of a sequential scan's cost (older majors read all of it, or the heap).
    let probe = total_cost(&db, "").await;
    let seq = total_cost(
        &db,
        "SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off;",
    )
    .await;
    assert_eq!(
        probe * 20.0 < seq,
        version >= 180_000,
        "PostgreSQL {version}: cost {probe} through the index, {seq} without"
    );

    let advice = on(&db.url, &["advise", "--json", "--dry-run"]).ok().json();
    let creates = creates_on_visitor(&advice);
    if version >= 180_000 {
        assert!(
            creates.is_empty(),
            "PostgreSQL {version} skips through (site, visitor): {advice:#}"
        );
    } else {
        assert_eq!(creates.len(), 1, "PostgreSQL {version}: {advice:#}");
    }

    // Health: a prefix is redundant, a skipped-to suffix is not, on every major.
    db.exec(
        "CREATE INDEX visits_site_idx ON app.visits (site);
         CREATE INDEX visits_visitor_idx ON app.visits (visitor);",
    )
    .await;
    let report = on(&db.url, &["health", "--json"]).ok().json();
    let redundant: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check"] == "redundant-index")
        .filter_map(|f| f["index"].as_str())
        .collect();
    assert_eq!(
        redundant,
        ["visits_site_idx"],
        "PostgreSQL {version}: {report:#}"
    );
}
