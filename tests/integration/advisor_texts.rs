//! Statements whose pg_stat_statements text PostgreSQL cannot prepare as stored: the advisor
//! must still cost them with HypoPG and propose their indexes, and say PostgreSQL's own
//! error when a text really cannot be planned.

use crate::advisor::{capped, declined, declined_code, index_on, planted, proposals, run};
use harness::cli::on;
use serde_json::Value;

const EVENTS: &str = "CREATE SCHEMA app;
    CREATE TABLE app.events (id int PRIMARY KEY, bucket int NOT NULL, kind text NOT NULL,
        created_at timestamptz NOT NULL, payload text NOT NULL);
    INSERT INTO app.events
    SELECT g, g % 5000, 'k' || (g % 7), now() - make_interval(secs => g * 60), repeat('x', 40)
    FROM generate_series(1, 100000) g";

#[tokio::test]
async fn a_time_window_written_as_an_interval_literal_is_costed_and_indexed() {
    let db = planted(EVENTS).await;
    // Stored as `now() - interval $1`: a syntax error when prepared as it is.
    run(
        &db.pool,
        "SELECT count(*) FROM app.events WHERE created_at > now() - interval '1 day'",
        100,
        |_| vec![],
    )
    .await;
    let stored: String = sqlx::query_scalar(
        "SELECT query FROM pg_stat_statements
         WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND query LIKE 'SELECT count(*) FROM app.events%'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert!(stored.contains("interval $1"), "{stored}");

    let advice = on(&db.url, &["advise", "--json", "--dry-run"]).ok().json();
    let p = index_on(&advice, "created_at").unwrap_or_else(|| panic!("{advice:#}"));
    assert!(
        p["statements"][0]["query"]
            .as_str()
            .is_some_and(|q| q.contains("interval $1")),
        "{p:#}"
    );
    // Its measured mean time, for the plan comparison to show next to the estimate.
    assert!(
        p["statements"][0]["mean_ms"]
            .as_f64()
            .is_some_and(|ms| ms > 0.0),
        "{p:#}"
    );
}

#[tokio::test]
async fn parameters_only_a_constant_typed_are_declared_and_costed() {
    let db = planted(EVENTS).await;
    // Stored as `bucket = $1 + $2 % $3`: PREPARE cannot type unknown + unknown.
    run(
        &db.pool,
        "SELECT id, kind FROM app.events WHERE bucket = 3 + 7 % 5",
        100,
        |_| vec![],
    )
    .await;
    let advice = on(&db.url, &["advise", "--json", "--dry-run"]).ok().json();
    assert!(index_on(&advice, "bucket").is_some(), "{advice:#}");
}

#[tokio::test]
async fn days_off_a_date_a_truncation_unit_and_a_percentile_are_costed() {
    let db = planted(EVENTS).await;
    // Stored as `created_at >= CURRENT_DATE - $2`: unknown, PostgreSQL takes $2 for a date,
    // and date - date is an integer no timestamp compares with.
    run(
        &db.pool,
        "SELECT kind, count(*) FROM app.events WHERE bucket = $1::int AND created_at >= CURRENT_DATE - 30 GROUP BY kind",
        100,
        |i| vec![i.to_string()],
    )
    .await;
    // Stored as `date_trunc($1, created_at)`: a text, but not any text is a unit.
    run(
        &db.pool,
        "SELECT date_trunc('month', created_at), count(*) FROM app.events WHERE bucket = $1::int AND created_at >= date_trunc('month', now()) - interval '3 months' GROUP BY 1",
        100,
        |i| vec![i.to_string()],
    )
    .await;
    // Stored as `percentile_cont($2)`: unknown, it matches two signatures.
    run(
        &db.pool,
        "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY created_at - now()) FROM app.events WHERE bucket = $1::int + 1",
        100,
        |i| vec![i.to_string()],
    )
    .await;
    let advice = on(&db.url, &["advise", "--json", "--dry-run"]).ok().json();
    for shape in ["CURRENT_DATE - $", "date_trunc($", "percentile_cont($"] {
        let refused = advice["declined"].as_array().unwrap().iter().any(|d| {
            d["reason_code"] == "not_costable"
                && d["query"].as_str().is_some_and(|q| q.contains(shape))
        });
        assert!(!refused, "{shape}: {advice:#}");
        let served = proposals(&advice).iter().any(|p| {
            p["statements"].as_array().is_some_and(|s| {
                s.iter()
                    .any(|s| s["query"].as_str().is_some_and(|q| q.contains(shape)))
            })
        });
        assert!(served, "{shape}: {advice:#}");
    }
}

#[tokio::test]
async fn a_text_postgresql_refuses_is_declined_with_its_error() {
    let db = planted(&format!(
        "{EVENTS}; CREATE FUNCTION app.is_hot(text) RETURNS boolean IMMUTABLE
         LANGUAGE sql AS $$ SELECT $1 = 'k1' $$"
    ))
    .await;
    run(
        &db.pool,
        "SELECT id FROM app.events WHERE bucket = 42 AND app.is_hot(kind)",
        100,
        |_| vec![],
    )
    .await;
    // The function is gone since the statement ran: PostgreSQL itself refuses the text now.
    db.exec("DROP FUNCTION app.is_hot(text)").await;
    let advice = on(&db.url, &["advise", "--json", "--dry-run"]).ok().json();
    assert_eq!(
        declined_code(&advice, "is_hot"),
        "not_costable",
        "{advice:#}"
    );
    let detail = declined(&advice, "is_hot")["detail"].as_str().unwrap();
    assert!(
        detail.contains("function app.is_hot(text) does not exist"),
        "{detail}"
    );
}

#[tokio::test]
async fn a_binding_cap_is_named_with_what_the_next_index_would_have_saved() {
    let db = planted(EVENTS).await;
    run(
        &db.pool,
        "SELECT id FROM app.events WHERE bucket = $1::int",
        100,
        |i| vec![i.to_string()],
    )
    .await;
    run(
        &db.pool,
        "SELECT count(*) FROM app.events WHERE created_at > $1::timestamptz",
        100,
        |_| vec!["2026-12-01".into()],
    )
    .await;
    let advice = capped(&db.url, 1);
    let creates = proposals(&advice)
        .iter()
        .filter(|p| p["kind"] == "create")
        .count();
    assert_eq!(creates, 1, "{advice:#}");
    let declined: Vec<&Value> = advice["declined"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["reason_code"] == "cap")
        .collect();
    assert_eq!(declined.len(), 1, "{advice:#}");
    let detail = declined[0]["detail"].as_str().unwrap();
    assert!(
        detail.contains("cap of 1 new indexes") && detail.contains("would have saved"),
        "{detail}"
    );
}

#[tokio::test]
async fn the_advisors_own_statements_are_recognised_as_its_own() {
    let db = planted(EVENTS).await;
    run(
        &db.pool,
        "SELECT id FROM app.events WHERE bucket = $1::int",
        50,
        |i| vec![i.to_string()],
    )
    .await;
    on(&db.url, &["advise", "--json", "--dry-run"]).ok();
    // A second run reads the first one's statements from pg_stat_statements: none of them
    // is workload.
    let advice = on(&db.url, &["advise", "--json", "--dry-run"]).ok().json();
    let text = advice.to_string();
    for own in [
        "SAVEPOINT",
        "plan_cache_mode",
        "SET TRANSACTION",
        "hypopg_",
        "pg_namespace",
        "max(oid)",
    ] {
        assert!(!text.contains(own), "{own} in {advice:#}");
    }
    // Savepoints, SET LOCAL, read-only transactions: everything the advisor sent that
    // pg_stat_statements recorded is recognised as IndexPilot's own.
    let texts: Vec<String> = sqlx::query_scalar(
        "SELECT query FROM pg_stat_statements
         WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND query ~* '(savepoint|set local|set transaction|read only|plan_cache_mode|hypopg)'
           AND query NOT LIKE '%pg_stat_statements%'",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert!(!texts.is_empty(), "the advisor's session left no statement");
    let foreign: Vec<&String> = texts
        .iter()
        .filter(|t| !indexpilot_engine::workload::collect::is_own(t))
        .collect();
    assert!(foreign.is_empty(), "{foreign:#?}");
}
