//! The workload collector against a real pg_stat_statements: baselines, deltas, resets,
//! IndexPilot's own statements left out, host-application rows, and a missing extension.

use harness::cli::on;
use harness::fresh_db;
use indexpilot_engine::ConnectOptions;
use sqlx::Connection;

/// The application's own session (not IndexPilot's), running a statement `n` times.
async fn app_runs(url: &str, n: usize) {
    let pool = sqlx::PgPool::connect(url).await.unwrap();
    let before = item_scans(url).await;
    for i in 0..n {
        let _: Option<i64> = sqlx::query_scalar("SELECT id FROM app.items WHERE id = $1")
            .bind(i64::try_from(i).unwrap())
            .fetch_optional(&pool)
            .await
            .unwrap();
    }
    pool.close().await;
    // Table statistics reach the views asynchronously: through the stats collector before
    // PostgreSQL 15, and from 15 on when the backend flushes them as it exits, after the
    // client has gone. Wait until they show these scans, so the interval holds them: all
    // of them, or a count that has stopped moving for a second (PostgreSQL 13's collector
    // was seen to hold the last one back for longer).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let (mut last, mut since) = (before, std::time::Instant::now());
    loop {
        let now = item_scans(url).await;
        if now >= before + i64::try_from(n).unwrap() {
            break;
        }
        if now != last {
            (last, since) = (now, std::time::Instant::now());
        } else if now > before && since.elapsed() > std::time::Duration::from_secs(1) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the table statistics never showed the {n} scans (before {before}, now {now})"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// `app.items`' index scans as the table statistics show them now (a new session each time:
/// a session keeps its statistics snapshot until its transaction ends).
async fn item_scans(url: &str) -> i64 {
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    let scans: i64 = sqlx::query_scalar(
        "SELECT coalesce(idx_scan, 0) FROM pg_stat_user_tables WHERE relid = 'app.items'::regclass",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    conn.close().await.unwrap();
    scans
}

async fn calls_recorded(db: &harness::TestDb) -> Vec<i64> {
    sqlx::query_scalar(
        "SELECT qs.calls FROM indexpilot.query_stats qs JOIN indexpilot.statements s USING (queryid)
         WHERE s.query LIKE 'SELECT id FROM app.items WHERE id = $1%' ORDER BY qs.id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap()
}

/// Before the collector's first interval, `workload` and `fields usage` show
/// pg_stat_statements' totals, labelled so (as `advise` and the app's Workload view use
/// them), instead of sending the user off to collect first.
#[tokio::test]
async fn before_any_interval_the_cli_shows_the_totals_labelled_so() {
    let db = fresh_db().await;
    db.exec("CREATE SCHEMA app; CREATE TABLE app.items (id bigint PRIMARY KEY); INSERT INTO app.items SELECT generate_series(1, 100);")
        .await;
    on(&db.url, &["init"]).ok();
    app_runs(&db.url, 4).await;
    let label = "pg_stat_statements' totals since its last reset";
    let w = on(&db.url, &["workload"]).ok();
    assert!(w.stdout.starts_with(label), "{}", w.stdout);
    assert!(
        w.stdout.contains("SELECT id FROM app.items"),
        "{}",
        w.stdout
    );
    let u = on(&db.url, &["fields", "usage"]).ok();
    assert!(u.stdout.starts_with(label), "{}", u.stdout);
    assert!(u.stdout.contains("app.items.id"), "{}", u.stdout);
}

#[tokio::test]
async fn deltas_across_collections_and_a_reset() {
    let db = fresh_db().await;
    db.exec("CREATE SCHEMA app; CREATE TABLE app.items (id bigint PRIMARY KEY); INSERT INTO app.items SELECT generate_series(1, 100);")
        .await;
    on(&db.url, &["init"]).ok();

    let first = on(&db.url, &["--json", "collect", "--once"]).ok().json();
    assert!(
        first["interval_start"].is_null(),
        "the first collection is a baseline: {first}"
    );
    assert_eq!(first["recorded"], 0);

    app_runs(&db.url, 5).await;
    let second = on(&db.url, &["--json", "collect"]).ok().json();
    assert!(second["interval_start"].is_string());
    assert!(second["recorded"].as_u64().unwrap() >= 1);
    assert!(
        second["own_excluded"].as_u64().unwrap() > 0,
        "IndexPilot's own statements are left out"
    );
    assert_eq!(calls_recorded(&db).await, [5]);

    // Reset this database's entries: the counters go down, the delta counts from zero.
    db.exec("SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)")
        .await;
    app_runs(&db.url, 3).await;
    on(&db.url, &["collect"]).ok();
    assert_eq!(
        calls_recorded(&db).await,
        [5, 3],
        "never negative, never doubled"
    );

    // No activity: nothing recorded for it.
    on(&db.url, &["collect"]).ok();
    assert_eq!(calls_recorded(&db).await, [5, 3]);

    // The picture: the statement ranked with its columns by role, field usage per role.
    let w = on(&db.url, &["--json", "workload", "--top", "5"])
        .ok()
        .json();
    let stmt = w["statements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["query"]
                .as_str()
                .unwrap()
                .starts_with("SELECT id FROM app.items")
        })
        .unwrap_or_else(|| panic!("statement missing: {w}"));
    assert_eq!(stmt["calls"], 8);
    let cols = stmt["analysis"]["columns"].as_array().unwrap();
    assert!(
        cols.iter().any(|c| c["schema"] == "app"
            && c["table"] == "items"
            && c["column"] == "id"
            && c["role"] == "equality"),
        "{stmt}"
    );
    let cached = db
        .scalar_i64("SELECT count(*) FROM indexpilot.statements WHERE analysis IS NOT NULL")
        .await;
    assert!(cached >= 1, "analyses are cached per statement");
    let u = on(&db.url, &["--json", "fields", "usage"]).ok().json();
    let id_eq = u["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["table"] == "items" && f["column"] == "id" && f["role"] == "equality")
        .unwrap_or_else(|| panic!("{u}"));
    assert_eq!(id_eq["calls"], 8);
    let text = on(&db.url, &["workload"]).ok();
    assert!(
        text.stdout.contains("app.items.id: equality"),
        "{}",
        text.stdout
    );
    // A schema change makes cached analyses stale: sync clears them, the next report redoes them.
    db.exec("ALTER TABLE app.items ADD COLUMN label text").await;
    on(&db.url, &["sync"]).ok();
    assert_eq!(
        db.scalar_i64("SELECT count(*) FROM indexpilot.statements WHERE analysis IS NOT NULL")
            .await,
        0
    );
    on(&db.url, &["workload"]).ok();
    assert!(
        db.scalar_i64("SELECT count(*) FROM indexpilot.statements WHERE analysis IS NOT NULL")
            .await
            >= 1
    );

    // IndexPilot's catalog reads never enter the workload.
    let own = db
        .scalar_i64("SELECT count(*) FROM indexpilot.statements WHERE query LIKE '%indexpilot%' OR query LIKE '%format_type%'")
        .await;
    let texts: Vec<String> = sqlx::query_scalar("SELECT query FROM indexpilot.statements WHERE query LIKE '%indexpilot%' OR query LIKE '%format_type%'").fetch_all(&db.pool).await.unwrap();
    assert_eq!(own, 0, "{texts:?}");
    // PostgreSQL 13's stats collector was seen to deliver a session's last scan long after
    // the session ended: once the statistics show all eight, one more interval records
    // what came late.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while item_scans(&db.url).await < 8 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    on(&db.url, &["collect"]).ok();
    let tables = db
        .scalar_i64("SELECT coalesce(sum(idx_scan), 0)::int8 FROM indexpilot.table_stats WHERE table_name = 'items'")
        .await;
    assert!(
        tables >= 8,
        "table activity is recorded per interval: {tables}"
    );
}

#[tokio::test]
async fn host_applications_log_their_own_rows() {
    let db = fresh_db().await;
    on(&db.url, &["init"]).ok();
    db.exec(
        "SELECT indexpilot.log_query_stat('7', 'crm', 'deals', 'stage', 'select', 12.5);
         SELECT indexpilot.log_query_stat(NULL, 'crm', 'deals', NULL, 'insert', 3);",
    )
    .await;
    let rows: Vec<(Option<String>, String, Option<String>, f64)> = sqlx::query_as(
        "SELECT tenant_id, table_name, field_name, duration_ms FROM indexpilot.query_stats
         WHERE source = 'host' ORDER BY id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0],
        (
            Some("7".to_string()),
            "deals".to_string(),
            Some("stage".to_string()),
            12.5
        )
    );
    assert_eq!(rows[1].0, None, "a row without a tenant is accepted");
    let u = on(&db.url, &["--json", "fields", "usage"]).ok().json();
    let host = u["host"].as_array().unwrap();
    assert_eq!(host.len(), 2);
    assert!(host
        .iter()
        .any(|h| h["tenant_id"] == "7" && h["field_name"] == "stage" && h["calls"] == 1));
}

#[tokio::test]
async fn without_pg_stat_statements_the_message_says_how_to_enable_it() {
    let db = fresh_db().await;
    on(&db.url, &["init"]).ok();
    db.exec("DROP EXTENSION pg_stat_statements").await;
    let r = on(&db.url, &["collect"]).user_error();
    assert!(
        r.stderr.contains("pg_stat_statements is not installed"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("shared_preload_libraries") && r.stderr.contains("CREATE EXTENSION"),
        "{}",
        r.stderr
    );
    // What does not need it still works.
    on(&db.url, &["health"]).ok();
    let _ = ConnectOptions::resolve(Some(&db.url)).unwrap();
}

#[tokio::test]
async fn the_background_collector_runs_until_stopped() {
    use indexpilot_engine::workload::collect::Collector;
    use std::sync::{Arc, Mutex};
    let db = fresh_db().await;
    on(&db.url, &["init"]).ok();
    let reports = Arc::new(Mutex::new(Vec::new()));
    let sink = reports.clone();
    let collector = Collector::start(
        db.pool.clone(),
        std::time::Duration::from_millis(200),
        move |r| {
            sink.lock().unwrap().push(r.map(|r| r.statements));
        },
    );
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    collector.stop().await;
    let seen = reports.lock().unwrap().len();
    assert!(seen >= 2, "{seen} collections");
    assert!(reports.lock().unwrap().iter().all(Result::is_ok));
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(reports.lock().unwrap().len(), seen, "stopped means stopped");
}

#[tokio::test]
async fn a_role_without_pg_read_all_stats_is_told_texts_are_hidden() {
    let db = fresh_db().await;
    db.exec("CREATE SCHEMA app; CREATE TABLE app.items (id bigint PRIMARY KEY);")
        .await;
    on(&db.url, &["init"]).ok();
    let role = format!("collector_{}", db.name);
    db.exec(&format!(
        "CREATE ROLE {role} LOGIN PASSWORD 'c-pw';
         GRANT USAGE ON SCHEMA indexpilot TO {role};
         GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA indexpilot TO {role};"
    ))
    .await;
    // The superuser's statements: their texts are not this role's to read.
    app_runs(&db.url, 2).await;
    let url = db.url_as(&role, "c-pw");
    on(&url, &["collect"]).ok();
    let r = on(&url, &["--json", "collect"]).ok().json();
    assert!(r["hidden"].as_u64().unwrap() > 0, "{r}");
    let text = on(&url, &["collect"]).ok();
    assert!(
        text.stdout.contains("grant pg_read_all_stats"),
        "{}",
        text.stdout
    );
}

/// Every statement IndexPilot sends is its own to pg_stat_statements, transaction control
/// included: on PostgreSQL 13 to 15 a bare `BEGIN` or `COMMIT` would be counted with the
/// application's.
#[tokio::test]
async fn every_statement_indexpilot_sends_is_tagged_as_its_own() {
    let db = fresh_db().await;
    db.exec("CREATE SCHEMA app; CREATE TABLE app.tenants (id bigint PRIMARY KEY, name text); INSERT INTO app.tenants SELECT g, 't' || g FROM generate_series(1, 5) g; CREATE TABLE app.items (id bigint PRIMARY KEY, tenant_id bigint REFERENCES app.tenants, label text); INSERT INTO app.items SELECT g, 1 + g % 5, 'x' || g FROM generate_series(1, 2000) g; ANALYZE;")
        .await;
    db.exec("SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)")
        .await;
    on(&db.url, &["init"]).ok();
    on(&db.url, &["collect"]).ok();
    app_runs(&db.url, 3).await;
    // The daily loop's commands, writes to IndexPilot's own tables included (their foreign
    // key checks run as statements PostgreSQL itself sends, on its quoted table names).
    for args in [
        &["collect"][..],
        &["sync"],
        &["workload"],
        &["fields", "usage"],
        &["tenants"],
        &["fields", "enable", "--tenant", "2", "app.items.label"],
        &["fields", "list", "--tenant", "2"],
        &["genome", "set", "app.items.label", "--indexable", "false"],
        &["genome", "list"],
        &["policy", "set", "lock_timeout", "7s"],
        &["log"],
        &["overview"],
        &["advise"],
        &["health"],
        &["generate-types", "--lang", "rust"],
    ] {
        on(&db.url, args).ok();
    }
    let texts = db.statement_texts().await;
    assert!(
        texts.len() > 20,
        "IndexPilot's statements are recorded: {texts:?}"
    );
    let foreign: Vec<&String> = texts
        .iter()
        .filter(|q| !q.starts_with("SELECT id FROM app.items"))
        .filter(|q| !q.starts_with("SELECT pg_stat_statements_reset"))
        // `app_runs` waiting for the table statistics.
        .filter(|q| !q.starts_with("SELECT coalesce(idx_scan"))
        .filter(|q| !indexpilot_engine::workload::collect::is_own(q))
        .collect();
    assert!(foreign.is_empty(), "untagged statements: {foreign:?}");
}
