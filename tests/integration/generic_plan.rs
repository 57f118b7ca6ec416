//! A statement the advisor cannot give a value for every parameter is costed by its generic
//! plan. On PostgreSQL 16 and later that is `EXPLAIN (GENERIC_PLAN)` of the text itself (once
//! a PREPARE has told the session its parameter types); before 16, a prepared statement
//! executed under `plan_cache_mode = force_generic_plan` with NULL arguments. Both give the
//! planner's cost for any value. Runs without HypoPG, so on every major
//! (`make test-pg-majors`).

use harness::cli::on;
use harness::fresh_db;
use indexpilot_engine::advisor::whatif::WhatIf;
use std::collections::BTreeMap;

#[tokio::test]
async fn a_generic_plan_is_explain_generic_plan_from_postgresql_16_on() {
    let db = fresh_db().await;
    // No statistics on `addr`, and no value of its type the advisor would make up: the
    // statement can only be planned generically.
    db.exec(
        "CREATE SCHEMA app;
         CREATE TABLE app.hosts (id int PRIMARY KEY, addr inet NOT NULL, note text);
         INSERT INTO app.hosts SELECT g, ('10.0.' || g / 250 || '.' || g % 250)::inet, 'n' || g
         FROM generate_series(1, 20000) g;
         ALTER TABLE app.hosts ALTER addr SET STATISTICS 0;
         CREATE INDEX hosts_addr_idx ON app.hosts (addr);
         ANALYZE app.hosts",
    )
    .await;
    on(&db.url, &["init"]).ok();
    let version = db
        .scalar_i64("SELECT current_setting('server_version_num')::int8")
        .await;
    db.exec("SELECT pg_stat_statements_reset()").await;

    let sql = "SELECT id, note FROM app.hosts WHERE addr = $1";
    let mut w = WhatIf::open_plain(&db.pool).await.unwrap();
    let first = w.plan(sql, false, &BTreeMap::new()).await.unwrap();
    let again = w.plan(sql, false, &BTreeMap::new()).await.unwrap();
    w.close().await.unwrap();
    let (first, again) = (first.expect("planned"), again.expect("planned again"));
    assert_eq!(first.cost, again.cost);
    // Any value: the planner's default selectivity for an equality, through the index.
    assert_eq!(
        first.indexes,
        vec!["hosts_addr_idx".to_string()],
        "{first:?}"
    );

    // The harness's server tracks nested statements: the EXPLAINs run inside
    // indexpilot.explain are there.
    let texts = db.statement_texts().await;
    let count = |needle: &str| texts.iter().filter(|q| q.contains(needle)).count();
    let generic = count("EXPLAIN (FORMAT JSON, GENERIC_PLAN) SELECT id, note FROM app.hosts");
    let executed = count("EXPLAIN (FORMAT JSON) EXECUTE indexpilot_whatif");
    if version >= 160_000 {
        assert!(generic >= 1 && executed == 0, "{texts:#?}");
    } else {
        assert_eq!(generic, 0, "{texts:#?}");
        assert!(executed >= 1, "{texts:#?}");
    }
}
