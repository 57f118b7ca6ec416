//! Reasons the advisor gives after costing (the candidate stage's reasons are spec cases in
//! `crates/engine/tests/candidate_specs.rs`), each shown to be true.

use crate::advisor::{declined, declined_code, index_on, planted, proposals, run};
use harness::cli::on;
use harness::Steps;
use indexpilot_engine::advisor::{advise, AdviseOptions};
use indexpilot_engine::Actor;
use std::time::{Duration, Instant};

/// Events spread over the table: every kind on every page.
const EVENTS: &str = "CREATE SCHEMA app;
    CREATE TABLE app.events (id int PRIMARY KEY, kind int NOT NULL, bucket int NOT NULL,
        payload text NOT NULL);
    INSERT INTO app.events SELECT g, g % 12, g % 5000, repeat('x', 60)
    FROM generate_series(1, 100000) g";

/// Every event was seen in the last ten days.
const SEEN: &str = "ALTER TABLE app.events ADD COLUMN seen_at timestamptz;
    UPDATE app.events SET seen_at = now() - (id % 10) * interval '1 day'";

/// A window over `SEEN` that keeps every row.
const RECENT: &str = "SELECT kind, count(*) FROM app.events WHERE seen_at >= now() - make_interval(days => 30) GROUP BY kind";

/// `write_overhead` is true: the index would speed up a rare read, but every one of the
/// many updates of its column would have to maintain it.
#[tokio::test]
async fn an_index_writes_pay_for_is_declined_write_overhead() {
    let db = planted(EVENTS).await;
    run(
        &db.pool,
        "UPDATE app.events SET bucket = bucket + 1 WHERE id = $1::int",
        3000,
        |i| vec![(1 + i * 31 % 100_000).to_string()],
    )
    .await;
    run(
        &db.pool,
        "SELECT id FROM app.events WHERE bucket = $1::int",
        3,
        |i| vec![i.to_string()],
    )
    .await;
    let advice = on(&db.url, &["advise", "--json", "--dry-run"]).ok().json();
    assert_eq!(
        declined_code(&advice, "WHERE bucket ="),
        "write_overhead",
        "{advice:#}"
    );
}

/// `seq_scan_best` is true: the window keeps every row (all were seen in the last ten days),
/// which only the planner can tell; with the what-if index it stays with its sequential
/// scan, and with a real index of that definition as well.
#[tokio::test]
async fn a_window_that_keeps_every_row_is_declined_seq_scan_best() {
    let db = planted(&format!("{EVENTS}; {SEEN}")).await;
    run(&db.pool, RECENT, 40, |_| Vec::new()).await;
    let advice = on(&db.url, &["advise", "--json", "--dry-run"]).ok().json();
    assert_eq!(
        declined_code(&advice, "WHERE seen_at >="),
        "seq_scan_best",
        "{advice:#}"
    );
    db.exec("CREATE INDEX ON app.events (seen_at)").await;
    db.exec("VACUUM ANALYZE app.events").await;
    let plan: Vec<String> = sqlx::query_scalar(&format!("EXPLAIN {RECENT}"))
        .fetch_all(&db.pool)
        .await
        .unwrap();
    assert!(
        plan.iter().any(|l| l.contains("Seq Scan")) && !plan.iter().any(|l| l.contains("Index")),
        "{plan:#?}"
    );
}

/// `too_small_gain` is true: a rare statement on a table just past the size threshold,
/// next to a heavy one. Its whole measured time is under the share of the workload an index
/// must save, so no index on it could be worth its upkeep; the heavy one gets its index.
#[tokio::test]
async fn a_rare_cheap_statement_is_declined_too_small_gain() {
    let db = planted(&format!(
        "{EVENTS};
         CREATE TABLE app.codes (id int PRIMARY KEY, code text NOT NULL, label text NOT NULL);
         INSERT INTO app.codes SELECT g, 'c' || g, 'label ' || g FROM generate_series(1, 12000) g"
    ))
    .await;
    run(
        &db.pool,
        "SELECT count(*) FROM app.events WHERE bucket = $1::int",
        1000,
        |i| vec![(i % 5000).to_string()],
    )
    .await;
    run(
        &db.pool,
        "SELECT label FROM app.codes WHERE code = $1",
        1,
        |i| vec![format!("c{}", i * 7 + 1)],
    )
    .await;
    let advice = on(&db.url, &["advise", "--json", "--dry-run"]).ok().json();
    assert_eq!(
        declined_code(&advice, "FROM app.codes"),
        "too_small_gain",
        "{advice:#}"
    );
    assert!(
        proposals(&advice)
            .iter()
            .any(|p| p["table"] == "events" && p["kind"] == "create"),
        "{advice:#}"
    );
    // The whole of its measured time is under the advisor's threshold (0.1% of the workload).
    let share: f64 = sqlx::query_scalar(
        "SELECT (sum(total_exec_time) FILTER (WHERE query LIKE 'SELECT label FROM app.codes%')
                 / sum(total_exec_time) FILTER (WHERE query LIKE 'SELECT%app.%'))::float8
         FROM pg_stat_statements
         WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert!(share < 0.001, "its share of the time: {share}");
}

/// A selective statement whose planning folds an immutable function that takes about half a
/// second (the planner evaluates it once per plan), so that every plan of it runs past a
/// short limit. The function runs no query: HypoPG's indexes are not seen by a plan made
/// while the planner itself runs one.
const SLOW_TO_PLAN: &str =
    "SELECT id FROM app.events WHERE bucket = $1::int AND kind = app.slow_kind()";

/// `plan_timeout` is true, and `not_costable` is not claimed: the text is fine (it ran), but
/// planning it takes longer than the advisor's per-plan limit, on both attempts. Raised
/// above what it needs, the same statement is costed and gets its index.
#[tokio::test]
async fn a_statement_slow_to_plan_is_declined_plan_timeout() {
    let db = planted(&format!(
        "{EVENTS};
         CREATE FUNCTION app.slow_kind() RETURNS int IMMUTABLE LANGUAGE plpgsql
           AS 'BEGIN FOR i IN 1..80000000 LOOP END LOOP; RETURN 7; END'"
    ))
    .await;
    run(&db.pool, SLOW_TO_PLAN, 3, |i| vec![(i * 7).to_string()]).await;
    on(&db.url, &["config", "set", "advisor.plan_timeout", "200ms"]).ok();
    let advice = on(&db.url, &["advise", "--json", "--dry-run"]).ok().json();
    let d = declined(&advice, "slow_kind()");
    assert_eq!(d["reason_code"], "plan_timeout", "{advice:#}");
    let detail = d["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("statement timeout") && detail.contains("advisor.plan_timeout"),
        "{detail}"
    );

    on(&db.url, &["config", "set", "advisor.plan_timeout", "5s"]).ok();
    let advice = on(&db.url, &["advise", "--json", "--dry-run"]).ok().json();
    assert!(index_on(&advice, "bucket").is_some(), "{advice:#}");
}

/// A DBA's transaction holding a table's ACCESS EXCLUSIVE lock (a migration's `ALTER
/// TABLE`) while the advisor runs: reading the catalog (`pg_get_indexdef` locks the table)
/// waits for it, saying whose lock it waits for, and the run completes once it is released,
/// with the statement on that table costed and its index proposed.
#[tokio::test]
async fn advise_waits_visibly_for_a_lock_another_session_holds() {
    let db = planted(EVENTS).await;
    let sql = "SELECT id FROM app.events WHERE bucket = $1::int";
    run(&db.pool, sql, 50, |i| vec![i.to_string()]).await;
    let release = db
        .hold_exclusive_lock("app.events", Duration::from_secs(8))
        .await;
    let url = db.url.clone();
    let started = Instant::now();
    let advise = tokio::task::spawn_blocking(move || on(&url, &["advise", "--json", "--dry-run"]));
    let done = advise.await.unwrap().ok();
    release.await.unwrap();
    assert!(started.elapsed().as_secs() >= 8, "it did not wait");
    assert!(
        done.stderr.contains("waits for pid") && done.stderr.contains("app.events"),
        "{}",
        done.stderr
    );
    assert!(
        index_on(&done.json(), "bucket").is_some(),
        "{}",
        done.stdout
    );
}

/// What the desktop app shows while the advisor waits for such a lock: the wait is a step of
/// the run's progress, naming the session, and the run then completes.
#[tokio::test]
async fn the_wait_for_a_lock_is_a_step_of_the_advisors_progress() {
    let db = planted(EVENTS).await;
    run(
        &db.pool,
        "SELECT id FROM app.events WHERE bucket = $1::int",
        50,
        |i| vec![i.to_string()],
    )
    .await;
    let release = db
        .hold_exclusive_lock("app.events", Duration::from_secs(7))
        .await;
    let steps = Steps::default();
    let options = AdviseOptions {
        read_only: true,
        ..AdviseOptions::default()
    };
    let advice = advise(&db.pool, &Actor::named("dba"), &options, &steps)
        .await
        .unwrap();
    release.await.unwrap();
    let seen = steps.seen();
    assert!(
        seen.iter()
            .any(|s| s.starts_with("waiting for pid") && s.contains("on app.events")),
        "{seen:#?}"
    );
    assert!(
        advice.proposals.iter().any(|p| p.table == "events"),
        "{advice:#?}"
    );
}

/// A workload that finds its pages in shared buffers has its random page reads priced as
/// sequential ones (see `whatif::cached`), and the advice says so where it shows costs: a
/// reason's costs are then not the figures EXPLAIN prints.
#[tokio::test]
async fn costs_priced_with_cached_pages_say_so() {
    let db = planted(&format!("{EVENTS}; {SEEN}")).await;
    run(
        &db.pool,
        "SELECT id FROM app.events WHERE bucket = $1::int",
        200,
        |i| vec![(i % 5000).to_string()],
    )
    .await;
    // The window keeps every row: declined seq_scan_best, with its cost.
    run(&db.pool, RECENT, 40, |_| Vec::new()).await;
    let advice = on(&db.url, &["advise", "--json", "--dry-run"]).ok().json();
    let share = advice["cached_pages"].as_f64().unwrap_or_default();
    assert!(share > 0.9, "{advice:#}");
    assert!(!proposals(&advice).is_empty(), "{advice:#}");
    let reason = declined(&advice, "WHERE seen_at >=");
    assert!(
        reason["detail"]
            .as_str()
            .is_some_and(|d| d.contains("cached page reads priced as sequential")),
        "{reason:#}"
    );
    let text = on(&db.url, &["advise", "--dry-run"]).ok().stdout;
    assert!(
        text.contains("of random page reads as sequential"),
        "{text}"
    );
}
