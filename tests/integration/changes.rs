//! Applying changes safely, on the throwaway PostgreSQL: apply → a valid index; rollback →
//! gone; re-apply; two appliers → exactly one builds; a build terminated mid-way and one
//! that hits lock_timeout fail cleanly (no INVALID index, the log consistent); reconcile after
//! a simulated crash; validation finds a helpful index "improved" and an engineered plan
//! regression "regressed"; the policy; and the CLI's one-line errors.

use harness::cli::{on, run_with_env};
use harness::{fresh_db, TestDb};
use indexpilot_engine::advisor::{IndexDef, KeyPart, Method};
use indexpilot_engine::change::{self, experiment, Change, ChangeState, Verdict};
use indexpilot_engine::workload::collect::collect_once;
use indexpilot_engine::{Actor, Error, Silent};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

const SCHEMA: &str = r"
CREATE SCHEMA app;
CREATE TABLE app.events (id bigint PRIMARY KEY, account int NOT NULL, kind int NOT NULL, payload text);
INSERT INTO app.events SELECT g, g % 5000, g % 7, repeat('x', 40) FROM generate_series(1, 200000) g;
CREATE TABLE app.notes (id bigint PRIMARY KEY, author int NOT NULL, body text);
INSERT INTO app.notes SELECT g, g % 300, 'note' FROM generate_series(1, 20000) g;
ANALYZE;
";

async fn db() -> TestDb {
    let db = fresh_db().await;
    db.exec(SCHEMA).await;
    on(&db.url, &["init"]).ok();
    db
}

fn def(table: &str, column: &str) -> IndexDef {
    IndexDef {
        schema: "app".into(),
        table: table.into(),
        method: Method::Btree,
        keys: vec![KeyPart::column(column)],
        include: Vec::new(),
        predicate: None,
    }
}

/// Keeps every progress step an apply reports.
#[derive(Default)]
struct Recorder(std::sync::Mutex<Vec<(String, f64)>>);

impl Recorder {
    fn phases(&self) -> Vec<String> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .map(|(p, _)| p.clone())
            .collect()
    }
}

impl indexpilot_engine::Progress for Recorder {
    fn step(&self, step: &str, fraction: f64) {
        assert!((0.0..=1.0).contains(&fraction), "{step}: {fraction}");
        self.0.lock().unwrap().push((step.to_string(), fraction));
    }
}

/// The apply policy as the test stored it in the database.
async fn policy(pool: &sqlx::PgPool) -> change::ApplyPolicy {
    change::policy::load(pool).await.expect("policy loads")
}

/// Approves a change and records it as applying by backend `pid`, as a build that a crash
/// interrupted would have left it; returns the index name.
async fn as_if_building(db: &TestDb, id: i64, pid: i64) -> String {
    change::approve(&db.pool, &actor(), id, None).await.unwrap();
    let name = change::log::load_pool(&db.pool, id)
        .await
        .unwrap()
        .index_name;
    change::log::transition(
        &db.pool,
        &actor(),
        id,
        ChangeState::Applying,
        serde_json::json!({"pid": pid}),
    )
    .await
    .unwrap();
    name
}

/// Applies a change under the stored policy, with no progress shown and no cancellation.
async fn apply_now(pool: &sqlx::PgPool, id: i64) -> indexpilot_engine::Result<Change> {
    change::apply(pool, &actor(), &policy(pool).await, id, &Silent, &never()).await
}

fn actor() -> Actor {
    Actor::named("test-operator")
}

fn never() -> Arc<AtomicBool> {
    Arc::new(AtomicBool::new(false))
}

async fn propose(db: &TestDb, table: &str, column: &str) -> i64 {
    change::propose_index(&db.pool, &actor(), &def(table, column), "test")
        .await
        .unwrap()
}

async fn state(db: &TestDb, id: i64) -> ChangeState {
    change::log::load_pool(&db.pool, id).await.unwrap().state
}

async fn invalid_indexes(db: &TestDb) -> i64 {
    db.scalar_i64(
        "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'app' AND NOT i.indisvalid",
    )
    .await
}

async fn index_valid(db: &TestDb, name: &str) -> Option<bool> {
    sqlx::query_scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass($1)")
        .bind(format!("app.{name}"))
        .fetch_optional(&db.pool)
        .await
        .unwrap()
}

fn statuses(entries: &[change::HistoryEntry], id: i64) -> Vec<String> {
    entries
        .iter()
        .filter(|e| e.change_id == id && e.kind != "validation")
        .filter_map(|e| e.status.clone())
        .collect()
}

#[tokio::test]
async fn apply_rollback_and_reapply_through_the_cli() {
    let db = db().await;
    let id = propose(&db, "events", "account").await;
    let ids = id.to_string();
    let name = change::log::load_pool(&db.pool, id)
        .await
        .unwrap()
        .index_name;

    let e = on(&db.url, &["apply", &ids, "--wait"]).user_error();
    assert!(e.stderr.contains("approve it first"), "{}", e.stderr);
    on(&db.url, &["approve", &ids, "--note", "looks right"]).ok();
    let applied = on(&db.url, &["--json", "apply", &ids, "--wait"])
        .ok()
        .json();
    assert_eq!(applied["state"], "applied");
    assert_eq!(index_valid(&db, &name).await, Some(true));
    assert_eq!(
        db.scalar_i64(&format!(
            "SELECT count(*) FROM indexpilot.index_versions WHERE index_name = '{name}' AND valid_to IS NULL AND definition LIKE 'CREATE INDEX%'"
        ))
        .await,
        1
    );
    let e = on(&db.url, &["apply", &ids, "--wait"]).user_error();
    assert!(e.stderr.contains("roll it back first"), "{}", e.stderr);

    on(&db.url, &["rollback", &ids]).ok();
    assert_eq!(index_valid(&db, &name).await, None);
    assert_eq!(state(&db, id).await, ChangeState::RolledBack);
    on(&db.url, &["reapply", &ids, "--wait"]).ok();
    assert_eq!(index_valid(&db, &name).await, Some(true));

    let history = on(&db.url, &["--json", "history"]).ok().json();
    let mine: Vec<&serde_json::Value> = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["change_id"] == id && e["kind"] != "validation")
        .collect();
    let states: Vec<&str> = mine.iter().map(|e| e["status"].as_str().unwrap()).collect();
    assert_eq!(
        states,
        [
            "proposed",
            "approved",
            "applying",
            "applied",
            "rolling_back",
            "rolled_back",
            "applying",
            "applied"
        ]
    );
    // Who and why: the database role and the OS user, on every transition.
    for e in &mine[1..] {
        assert_eq!(e["actor_role"], "postgres");
        assert_eq!(e["actor_os_user"], "test-operator");
    }
    assert_eq!(mine[1]["details_json"]["note"], "looks right");
    assert!(mine[2]["details_json"]["pid"].as_i64().is_some());

    // IndexPilot's own builds, drops and session settings carry its tag, so they never count
    // as the application's workload.
    let untagged = db
        .scalar_i64(&format!(
            "SELECT count(*) FROM pg_stat_statements
              WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                AND (query LIKE '%INDEX%{name}%' OR query LIKE 'SET %')
                AND query NOT LIKE '%/* indexpilot */%'"
        ))
        .await;
    assert_eq!(
        untagged, 0,
        "IndexPilot's own statements counted as workload"
    );

    // Unknown ids: one line, exit code 2.
    let e = on(&db.url, &["rollback", "999999"]).user_error();
    assert!(
        e.stderr.contains("change not found: 999999"),
        "{}",
        e.stderr
    );
}

/// A writer holding its transaction open keeps CREATE INDEX CONCURRENTLY waiting in its
/// first phase, so a build can be caught while it runs.
async fn hold_writer(db: &TestDb, table: &str) -> sqlx::pool::PoolConnection<sqlx::Postgres> {
    let mut conn = db.pool.acquire().await.unwrap();
    sqlx::raw_sql(&format!(
        "BEGIN; UPDATE app.{table} SET id = id WHERE id = 1;"
    ))
    .execute(&mut *conn)
    .await
    .unwrap();
    conn
}

async fn wait_for_applying(db: &TestDb, id: i64) -> i64 {
    for _ in 0..200 {
        let c = change::log::load_pool(&db.pool, id).await.unwrap();
        if c.state == ChangeState::Applying {
            return c.last["pid"].as_i64().unwrap();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("change {id} never started applying");
}

#[tokio::test]
async fn two_appliers_exactly_one_builds() {
    let db = db().await;
    on(&db.url, &["policy", "set", "lock_timeout", "60s"]).ok();
    on(&db.url, &["policy", "set", "require_approval", "off"]).ok();
    let a = propose(&db, "events", "kind").await;
    let b = propose(&db, "notes", "author").await;
    let mut writer = hold_writer(&db, "events").await;
    let pool = db.pool.clone();
    let seen = Arc::new(Recorder::default());
    let progress = Arc::clone(&seen);
    let first = tokio::spawn(async move {
        change::apply(
            &pool,
            &actor(),
            &policy(&pool).await,
            a,
            &*progress,
            &never(),
        )
        .await
    });
    wait_for_applying(&db, a).await;
    // The build's phase comes from pg_stat_progress_create_index while it waits.
    for _ in 0..100 {
        if seen.phases().iter().any(|p| p.starts_with("waiting for")) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        seen.phases().iter().any(|p| p.starts_with("waiting for")),
        "{:?}",
        seen.phases()
    );

    let second = apply_now(&db.pool, b).await;
    assert!(matches!(second, Err(Error::Busy(_))), "{second:?}");
    let e = on(&db.url, &["apply", &b.to_string(), "--wait"]).user_error();
    assert!(
        e.stderr.contains("busy") && e.stderr.contains(&format!("indexpilot build {a}")),
        "{}",
        e.stderr
    );
    assert_eq!(state(&db, b).await, ChangeState::Proposed);

    sqlx::raw_sql("ROLLBACK")
        .execute(&mut *writer)
        .await
        .unwrap();
    let done = first.await.unwrap().unwrap();
    assert_eq!(done.state, ChangeState::Applied);
    assert_eq!(
        seen.0.lock().unwrap().last().map(|(p, f)| (p.as_str(), *f)),
        Some(("done", 1.0))
    );
    // The slot is free again.
    let c = apply_now(&db.pool, b).await.unwrap();
    assert_eq!(c.state, ChangeState::Applied);
}

#[tokio::test]
async fn a_terminated_build_fails_and_leaves_no_invalid_index() {
    let db = db().await;
    on(&db.url, &["policy", "set", "lock_timeout", "60s"]).ok();
    let id = propose(&db, "events", "payload").await;
    change::approve(&db.pool, &actor(), id, None).await.unwrap();
    let mut writer = hold_writer(&db, "events").await;
    let pool = db.pool.clone();
    let build = tokio::spawn(async move { apply_now(&pool, id).await });
    let pid = wait_for_applying(&db, id).await;
    // Wait until the index exists (INVALID) in the catalog: the build is under way.
    for _ in 0..100 {
        if invalid_indexes(&db).await == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        invalid_indexes(&db).await,
        1,
        "the build should be waiting with its index INVALID"
    );
    db.exec(&format!("SELECT pg_terminate_backend({pid})"))
        .await;
    sqlx::raw_sql("ROLLBACK")
        .execute(&mut *writer)
        .await
        .unwrap();

    let err = build.await.unwrap().expect_err("the build was terminated");
    assert!(matches!(err, Error::ChangeFailed { .. }), "{err:?}");
    assert_eq!(
        invalid_indexes(&db).await,
        0,
        "the leftover INVALID index must be dropped"
    );
    let c = change::log::load_pool(&db.pool, id).await.unwrap();
    assert_eq!(c.state, ChangeState::Failed);
    assert!(
        c.last["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{}",
        c.last
    );
    assert!(
        c.last["cleanup"]
            .as_str()
            .is_some_and(|m| m.contains("was dropped")),
        "{}",
        c.last
    );
    let history = change::history(&db.pool, None).await.unwrap();
    assert_eq!(
        statuses(&history, id),
        ["proposed", "approved", "applying", "failed"]
    );
    // A failed change can be tried again.
    let c = apply_now(&db.pool, id).await.unwrap();
    assert_eq!(c.state, ChangeState::Applied);
}

#[tokio::test]
async fn lock_timeout_fails_cleanly() {
    let db = db().await;
    on(&db.url, &["policy", "set", "lock_timeout", "300ms"]).ok();
    let id = propose(&db, "notes", "author").await;
    on(&db.url, &["approve", &id.to_string()]).ok();
    let mut holder = db.pool.acquire().await.unwrap();
    sqlx::raw_sql("BEGIN; LOCK TABLE app.notes IN SHARE UPDATE EXCLUSIVE MODE;")
        .execute(&mut *holder)
        .await
        .unwrap();
    let e = on(&db.url, &["apply", &id.to_string(), "--wait"]).user_error();
    assert!(e.stderr.contains("lock timeout"), "{}", e.stderr);
    sqlx::raw_sql("ROLLBACK")
        .execute(&mut *holder)
        .await
        .unwrap();
    let c = change::log::load_pool(&db.pool, id).await.unwrap();
    assert_eq!(c.state, ChangeState::Failed);
    assert_eq!(c.last["sqlstate"], "55P03");
    assert_eq!(invalid_indexes(&db).await, 0);
    assert_eq!(index_valid(&db, &c.index_name).await, None);
}

/// A report elsewhere in the database (a REPEATABLE READ transaction touching nothing the
/// build uses) makes a concurrent build wait at its end, for older snapshots. That is a
/// normal day: the build waits under `build_wait_timeout`, not `lock_timeout`, names the
/// backend it waits for, and finishes once the report ends.
#[tokio::test]
async fn a_build_waits_for_a_long_transaction_and_names_it() {
    let db = db().await;
    on(&db.url, &["policy", "set", "lock_timeout", "300ms"]).ok();
    let id = propose(&db, "events", "account").await;
    change::approve(&db.pool, &actor(), id, None).await.unwrap();
    let mut report = db.pool.acquire().await.unwrap();
    sqlx::raw_sql("BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM app.notes;")
        .execute(&mut *report)
        .await
        .unwrap();
    let report_pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
        .fetch_one(&mut *report)
        .await
        .unwrap();
    let recorder = Arc::new(Recorder::default());
    let (pool, rec) = (db.pool.clone(), recorder.clone());
    let build = tokio::spawn(async move {
        let policy = policy(&pool).await;
        change::apply(&pool, &actor(), &policy, id, rec.as_ref(), &never()).await
    });
    let named = format!("pid {report_pid} (");
    for _ in 0..100 {
        if recorder.phases().iter().any(|p| p.contains(&named)) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let phases = recorder.phases();
    assert!(
        phases
            .iter()
            .any(|p| p.contains("waiting for 1 transaction to end") && p.contains(&named)),
        "{phases:?}"
    );
    // Well past lock_timeout, still waiting.
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(!build.is_finished());
    assert_eq!(state(&db, id).await, ChangeState::Applying);
    sqlx::raw_sql("COMMIT").execute(&mut *report).await.unwrap();
    let applied = build.await.unwrap().unwrap();
    assert_eq!(applied.state, ChangeState::Applied);
    assert_eq!(index_valid(&db, &applied.index_name).await, Some(true));
}

/// A crash right after a build finished, before its validation started: the next command
/// starts the experiment, measured from when the build started, and only once.
#[tokio::test]
async fn a_crash_between_build_and_validation_starts_the_experiment_later() {
    let db = db().await;
    let id = propose(&db, "notes", "author").await;
    change::approve(&db.pool, &actor(), id, None).await.unwrap();
    apply_now(&db.pool, id).await.unwrap();
    db.exec(&format!(
        "DELETE FROM indexpilot.ab_experiments WHERE mutation_id = {id}"
    ))
    .await;
    let counting = format!(
        "SELECT count(*) FROM indexpilot.ab_experiments WHERE mutation_id = {id}
           AND baseline_end = (SELECT max(occurred_at) FROM indexpilot.mutation_log
                               WHERE (id = {id} OR parent_id = {id}) AND status = 'applying')"
    );
    let count = || db.scalar_i64(&counting);
    let run = on(&db.url, &["history"]).ok();
    assert!(
        run.stderr.contains("validation had not started"),
        "{}",
        run.stderr
    );
    assert_eq!(count().await, 1);
    on(&db.url, &["history"]).ok();
    assert_eq!(count().await, 1);
    assert_eq!(state(&db, id).await, ChangeState::Applied);
}

#[tokio::test]
async fn reconcile_settles_builds_a_crash_left_behind() {
    let db = db().await;
    db.exec("CREATE TABLE app.dupes (v int); INSERT INTO app.dupes SELECT g % 10 FROM generate_series(1, 1000) g;")
        .await;
    // Crash 1: the build had started (an INVALID index is left, no backend runs it).
    let broken = propose(&db, "dupes", "v").await;
    let name = as_if_building(&db, broken, 999_999).await;
    // A failed unique build leaves exactly the INVALID index a crash would.
    let left = sqlx::raw_sql(&format!(
        "CREATE UNIQUE INDEX CONCURRENTLY \"{name}\" ON app.dupes (v)"
    ))
    .execute(&db.pool)
    .await;
    assert!(left.is_err());
    assert_eq!(invalid_indexes(&db).await, 1);

    // Crash 2: the build had finished, but nobody recorded it.
    let finished = propose(&db, "notes", "author").await;
    let done_name = as_if_building(&db, finished, 999_998).await;
    db.exec(&format!(
        "CREATE INDEX \"{done_name}\" ON app.notes (author)"
    ))
    .await;

    // Crash 3: the build never started, and someone else's failed build left an INVALID
    // index under the change's name, on other keys: not this change's, so it stays.
    db.exec("ALTER TABLE app.dupes ADD COLUMN w int DEFAULT 1")
        .await;
    let other = propose(&db, "dupes", "w").await;
    let other_name = as_if_building(&db, other, 999_997).await;
    let foreign = sqlx::raw_sql(&format!(
        "CREATE UNIQUE INDEX CONCURRENTLY \"{other_name}\" ON app.dupes (v)"
    ))
    .execute(&db.pool)
    .await;
    assert!(foreign.is_err());
    assert_eq!(invalid_indexes(&db).await, 2);

    let run = on(&db.url, &["history"]).ok();
    assert!(
        run.stderr
            .contains(&format!("change {broken}: applying → failed")),
        "{}",
        run.stderr
    );
    assert_eq!(state(&db, broken).await, ChangeState::Failed);
    assert_eq!(state(&db, other).await, ChangeState::Failed);
    assert_eq!(invalid_indexes(&db).await, 1);
    assert_eq!(index_valid(&db, &other_name).await, Some(false));
    assert_eq!(state(&db, finished).await, ChangeState::Applied);
    assert_eq!(
        db.scalar_i64(&format!("SELECT count(*) FROM indexpilot.index_versions WHERE index_name = '{done_name}' AND valid_to IS NULL")).await,
        1
    );
    // Nothing left to settle: a second start changes nothing.
    assert!(
        change::reconcile(&db.pool, &actor(), &policy(&db.pool).await)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn run_queries(db: &TestDb, sql: &str, times: usize) {
    for i in 0..times {
        sqlx::query(sql)
            .bind(i32::try_from(i % 4000).unwrap())
            .execute(&db.pool)
            .await
            .unwrap();
    }
}

/// Baseline deltas, the change, then deltas after it; returns the experiment judged now.
async fn measure(db: &TestDb, id: i64, sql: &str) -> indexpilot_engine::change::Experiment {
    collect_once(&db.pool).await.unwrap();
    run_queries(db, sql, 40).await;
    collect_once(&db.pool).await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    apply_now(&db.pool, id).await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    collect_once(&db.pool).await.unwrap();
    run_queries(db, sql, 40).await;
    collect_once(&db.pool).await.unwrap();
    let eid: i64 =
        sqlx::query_scalar("SELECT id FROM indexpilot.ab_experiments WHERE mutation_id = $1")
            .bind(id)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    let judged = on(
        &db.url,
        &["--json", "experiments", "--judge", &eid.to_string()],
    )
    .ok()
    .json();
    let row = judged
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == eid)
        .unwrap()
        .clone();
    assert_eq!(row["status"], "done");
    experiment::list(&db.pool)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.id == eid)
        .unwrap()
}

#[tokio::test]
async fn validation_finds_an_improvement_and_an_engineered_regression() {
    let db = db().await;
    on(&db.url, &["policy", "set", "require_approval", "off"]).ok();
    on(&db.url, &["policy", "set", "validation_window", "10m"]).ok();

    // Helpful: an equality lookup that scanned 200,000 rows gets its index.
    let helpful = propose(&db, "events", "account").await;
    let e = measure(
        &db,
        helpful,
        "SELECT count(*) FROM app.events WHERE account = $1",
    )
    .await;
    assert_eq!(e.verdict.as_deref(), Some("improved"), "{}", e.verdict_json);
    assert!(
        e.verdict_json["time_ratio"].as_f64().unwrap() < 0.5,
        "{}",
        e.verdict_json
    );
    let counted: Vec<&serde_json::Value> = e.verdict_json["statements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["counted"] == true)
        .collect();
    assert!(!counted.is_empty());
    assert!(counted
        .iter()
        .all(|s| s["calls_before"].as_i64().unwrap() >= 20
            && s["calls_after"].as_i64().unwrap() >= 20));
    assert!(e.verdict_json["index_size_bytes"].as_i64().unwrap() > 0);

    // Engineered regression: the rows a LIMIT query wants sit at the far end of the new
    // index's order, which the planner cannot know (it assumes they are spread evenly).
    // The rows are stored in random order, so walking the index reads the heap at random:
    // several times the sequential scan it replaces, well clear of timing noise.
    db.exec(
        "CREATE TABLE app.feed (id int PRIMARY KEY, kind int NOT NULL, created int NOT NULL, body text);
         INSERT INTO app.feed SELECT g, CASE WHEN g > 297000 THEN 1 ELSE 2 + g % 50 END, g, 'b'
         FROM generate_series(1, 300000) g ORDER BY md5(g::text);
         ANALYZE app.feed;",
    )
    .await;
    let trap = propose(&db, "feed", "created").await;
    let e = measure(
        &db,
        trap,
        "SELECT id FROM app.feed WHERE kind = 1 AND $1::int >= 0 ORDER BY created LIMIT 5",
    )
    .await;
    assert_eq!(
        e.verdict.as_deref(),
        Some("regressed"),
        "{}",
        e.verdict_json
    );
    assert_eq!(e.verdict_json["rollback_proposed"], true);
    let experiments = on(&db.url, &["experiments"]).ok();
    assert!(
        experiments
            .stdout
            .contains(&format!("roll it back with `indexpilot rollback {trap}`")),
        "{}",
        experiments.stdout
    );
    // The verdict is on the timeline, and the change stays applied (auto-rollback is off).
    let history = change::history(&db.pool, None).await.unwrap();
    assert!(history.iter().any(|h| h.change_id == trap
        && h.kind == "validation"
        && h.details_json["verdict"] == "regressed"));
    assert_eq!(state(&db, trap).await, ChangeState::Applied);

    // With auto-rollback on, judging the regression again rolls the change back.
    on(&db.url, &["policy", "set", "auto_rollback", "on"]).ok();
    let trap_experiment: i64 =
        sqlx::query_scalar("SELECT id FROM indexpilot.ab_experiments WHERE mutation_id = $1")
            .bind(trap)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    let again = experiment::evaluate(
        &db.pool,
        &actor(),
        &policy(&db.pool).await,
        trap_experiment,
        true,
    )
    .await
    .unwrap();
    assert_eq!(again.verdict.as_deref(), Some("regressed"));
    assert_eq!(state(&db, trap).await, ChangeState::RolledBack);
    on(&db.url, &["policy", "set", "auto_rollback", "off"]).ok();

    // Charts of judged experiments are valid SVG.
    let dir = tempfile::tempdir().unwrap();
    let eid: i64 =
        sqlx::query_scalar("SELECT id FROM indexpilot.ab_experiments WHERE mutation_id = $1")
            .bind(trap)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    on(
        &db.url,
        &[
            "experiments",
            "--judge",
            &eid.to_string(),
            "--charts",
            dir.path().to_str().unwrap(),
        ],
    )
    .ok();
    let svg = std::fs::read_to_string(dir.path().join(format!("experiment-{eid}.svg"))).unwrap();
    assert!(
        svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
        "{svg}"
    );
    assert!(svg.contains("mean time (ms)"));
    let _ = Verdict::Improved;
}

#[tokio::test]
async fn the_policy_is_stored_shown_and_enforced() {
    let db = db().await;
    let shown = on(&db.url, &["--json", "policy", "show"]).ok().json();
    let lock = shown
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["key"] == "lock_timeout")
        .unwrap();
    assert_eq!(lock["source"], "default");
    on(&db.url, &["policy", "set", "lock_timeout", "2s"]).ok();
    let shown = on(&db.url, &["--json", "policy", "show"]).ok().json();
    let lock = shown
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["key"] == "lock_timeout")
        .unwrap();
    assert_eq!(
        (lock["value"].as_str(), lock["source"].as_str()),
        (Some("2000 ms"), Some("database"))
    );
    assert_eq!(
        db.scalar_i64("SELECT count(*) FROM indexpilot.mutation_log WHERE kind = 'policy_change'")
            .await,
        1
    );

    let e = on(&db.url, &["policy", "set", "lock_timeot", "2s"]).user_error();
    assert!(
        e.stderr.contains("unknown policy key \"lock_timeot\""),
        "{}",
        e.stderr
    );
    let e = on(
        &db.url,
        &[
            "policy",
            "set",
            "maintenance_windows",
            "someday 01:00-02:00",
        ],
    )
    .user_error();
    assert!(e.stderr.contains("someday"), "{}", e.stderr);

    // A window that is never now (a minute that has just passed, tomorrow's weekday): refused.
    let (dow, minute): (i32, i32) = sqlx::query_as(
        "SELECT extract(isodow FROM now() AT TIME ZONE current_setting('log_timezone'))::int,
                (extract(hour FROM now() AT TIME ZONE current_setting('log_timezone')) * 60
                 + extract(minute FROM now() AT TIME ZONE current_setting('log_timezone')))::int",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let tomorrow = days[usize::try_from(dow % 7).unwrap()];
    let _ = minute;
    on(
        &db.url,
        &[
            "policy",
            "set",
            "maintenance_windows",
            &format!("{tomorrow} 00:00-00:01"),
        ],
    )
    .ok();
    let id = propose(&db, "notes", "author").await;
    on(&db.url, &["approve", &id.to_string()]).ok();
    let e = on(&db.url, &["apply", &id.to_string(), "--wait"]).user_error();
    assert!(
        e.stderr.contains("outside the maintenance windows"),
        "{}",
        e.stderr
    );
    on(
        &db.url,
        &["policy", "set", "maintenance_windows", "default"],
    )
    .ok();

    on(&db.url, &["policy", "set", "max_index_size", "1kB"]).ok();
    let e = on(&db.url, &["apply", &id.to_string(), "--wait"]).user_error();
    assert!(e.stderr.contains("max_index_size"), "{}", e.stderr);
    on(&db.url, &["policy", "set", "max_index_size", "none"]).ok();

    // Without --wait the build runs in the background and the command returns. Its log is
    // in the app-data folder, readable by its owner only.
    let data = std::env::temp_dir().join(format!("indexpilot-data-{}", db.name));
    let started = run_with_env(
        &["apply", &id.to_string()],
        &[
            ("DATABASE_URL", db.url.as_str()),
            ("INDEXPILOT_DATA_DIR", data.to_str().unwrap()),
        ],
    )
    .ok();
    {
        use std::os::unix::fs::PermissionsExt as _;
        let logs = data.join("logs");
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&logs), 0o700);
        let files: Vec<_> = std::fs::read_dir(&logs).unwrap().flatten().collect();
        assert_eq!(files.len(), 1, "{files:?}");
        assert_eq!(mode(&files[0].path()), 0o600);
    }
    built_in_the_background(&db, id, &started.stdout).await;

    // `reapply` is the same: refused up front while the change is applied, in the
    // background once it is rolled back.
    let reapply = || {
        run_with_env(
            &["reapply", &id.to_string()],
            &[
                ("DATABASE_URL", db.url.as_str()),
                ("INDEXPILOT_DATA_DIR", data.to_str().unwrap()),
            ],
        )
    };
    let e = reapply().user_error();
    assert!(
        e.stderr.contains("only a rolled-back change"),
        "{}",
        e.stderr
    );
    on(&db.url, &["rollback", &id.to_string()]).ok();
    let started = reapply().ok();
    built_in_the_background(&db, id, &started.stdout).await;
}

/// The command said the build started in the background (or had already ended); it ends
/// applied within 10 s.
async fn built_in_the_background(db: &TestDb, id: i64, stdout: &str) {
    assert!(
        stdout.contains("applying in the background") || stdout.contains("is applied"),
        "{stdout}"
    );
    for _ in 0..100 {
        if state(db, id).await == ChangeState::Applied {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(state(db, id).await, ChangeState::Applied);
}

#[tokio::test]
async fn a_cancelled_build_fails_cleanly() {
    let db = db().await;
    on(&db.url, &["policy", "set", "lock_timeout", "60s"]).ok();
    on(&db.url, &["policy", "set", "require_approval", "off"]).ok();
    let id = propose(&db, "events", "kind").await;
    let mut writer = hold_writer(&db, "events").await;
    let cancel = never();
    let pool = db.pool.clone();
    let flag = Arc::clone(&cancel);
    let build = tokio::spawn(async move {
        change::apply(&pool, &actor(), &policy(&pool).await, id, &Silent, &flag).await
    });
    wait_for_applying(&db, id).await;
    cancel.store(true, std::sync::atomic::Ordering::SeqCst);
    // The cleanup's DROP INDEX CONCURRENTLY waits for the writer, as it would in production.
    tokio::time::sleep(Duration::from_millis(500)).await;
    sqlx::raw_sql("ROLLBACK")
        .execute(&mut *writer)
        .await
        .unwrap();
    let err = build.await.unwrap().expect_err("cancelled");
    assert!(err.to_string().contains("cancelled"), "{err}");
    let c = change::log::load_pool(&db.pool, id).await.unwrap();
    assert_eq!(c.state, ChangeState::Failed);
    assert_eq!(c.last["cancelled"], true);
    assert_eq!(c.last["sqlstate"], "57014");
    assert_eq!(invalid_indexes(&db).await, 0);
}

#[tokio::test]
async fn a_stale_proposal_and_a_missing_privilege_are_refused_before_building() {
    let db = db().await;
    let id = propose(&db, "notes", "author").await;
    let ids = id.to_string();
    on(&db.url, &["approve", &ids]).ok();
    // Someone built the same index by hand meanwhile.
    db.exec("CREATE INDEX by_hand ON app.notes (author)").await;
    let e = on(&db.url, &["apply", &ids, "--wait"]).user_error();
    assert!(
        e.stderr.contains("no longer holds") && e.stderr.contains("by_hand"),
        "{}",
        e.stderr
    );
    assert_eq!(state(&db, id).await, ChangeState::Approved);
    db.exec("DROP INDEX app.by_hand").await;

    // A role that may use IndexPilot but does not own the table.
    db.exec(
        "CREATE ROLE weak_dba LOGIN PASSWORD 'weak-pw';
         GRANT USAGE ON SCHEMA indexpilot, app TO weak_dba;
         GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA indexpilot TO weak_dba;
         GRANT SELECT ON ALL TABLES IN SCHEMA app TO weak_dba;",
    )
    .await;
    let weak = db.url_as("weak_dba", "weak-pw");
    let e = on(&weak, &["apply", &ids, "--wait"]).user_error();
    assert!(
        e.stderr.contains("may not create indexes on") && e.stderr.contains("postgres"),
        "{}",
        e.stderr
    );
    assert_eq!(state(&db, id).await, ChangeState::Approved);
    db.exec("DROP OWNED BY weak_dba; DROP ROLE weak_dba").await;
}

#[tokio::test]
async fn an_approved_drop_is_applied_and_rolled_back_from_its_kept_definition() {
    let db = fresh_db().await;
    db.exec(&format!("CREATE EXTENSION IF NOT EXISTS hypopg; {SCHEMA}"))
        .await;
    db.exec(
        "CREATE INDEX notes_author_idx ON app.notes (author);
         CREATE INDEX notes_author_id_idx ON app.notes (author, id) WHERE author > 0;
         CREATE INDEX notes_author_body_idx ON app.notes (author, body);",
    )
    .await;
    on(&db.url, &["init"]).ok();
    let advice = on(&db.url, &["--json", "advise", "--min-table-rows", "0"])
        .ok()
        .json();
    let drop = advice["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "drop" && p["ddl"].as_str().unwrap().contains("notes_author_idx"))
        .unwrap_or_else(|| panic!("no drop proposal for the redundant index: {advice}"))
        .clone();
    let id = drop["id"].as_i64().unwrap();
    let ids = id.to_string();
    let before: String =
        sqlx::query_scalar("SELECT pg_get_indexdef('app.notes_author_idx'::regclass)")
            .fetch_one(&db.pool)
            .await
            .unwrap();

    // A drop is never applied without approval, whatever the policy says.
    on(&db.url, &["policy", "set", "require_approval", "off"]).ok();
    let e = on(&db.url, &["apply", &ids, "--wait"]).user_error();
    assert!(
        e.stderr.contains("a drop always needs approval"),
        "{}",
        e.stderr
    );
    on(&db.url, &["approve", &ids]).ok();
    on(&db.url, &["apply", &ids, "--wait"]).ok();
    assert_eq!(index_valid(&db, "notes_author_idx").await, None);

    on(&db.url, &["rollback", &ids]).ok();
    assert_eq!(index_valid(&db, "notes_author_idx").await, Some(true));
    let after: String =
        sqlx::query_scalar("SELECT pg_get_indexdef('app.notes_author_idx'::regclass)")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(after, before);
    assert_eq!(state(&db, id).await, ChangeState::RolledBack);
}

/// What a scheduled `indexpilot advise` recorded is there to show when the app opens
/// (`advisor::open_proposals`): the open proposals with who first proposed them and when. A
/// later run by someone else keeps them (and their first proposer); a rejected one is no
/// longer open. Runs without HypoPG too (`make test-pg-majors`).
#[tokio::test]
async fn stored_proposals_are_the_open_ones_with_who_proposed_them() {
    let db = db().await;
    run_queries(
        &db,
        "SELECT id, kind FROM app.events WHERE account = $1",
        400,
    )
    .await;
    let url = db.url.clone();
    let advise = |user: &str| {
        run_with_env(
            &["--database-url", &url, "--json", "advise"],
            &[("USER", user)],
        )
        .ok()
        .json()
    };
    let advice = advise("nightly-cron");
    let mut made: Vec<(i64, String)> = advice["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["id"].as_i64().unwrap(),
                p["ddl"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    made.sort();
    assert!(!made.is_empty(), "{advice}");
    let open = || async {
        let mut v: Vec<_> = indexpilot_engine::advisor::open_proposals(&db.pool)
            .await
            .unwrap();
        v.sort_by_key(|s| s.proposal.id);
        v
    };
    let stored = open().await;
    let shown: Vec<(i64, String)> = stored
        .iter()
        .map(|s| (s.proposal.id, s.proposal.ddl.clone()))
        .collect();
    assert_eq!(shown, made);
    for s in &stored {
        assert_eq!(s.proposed_by.as_deref(), Some("nightly-cron"));
        assert!(s.refreshed_at >= s.proposed_at);
        assert!(!s.proposal.reason.is_empty() && !s.proposal.statements.is_empty());
        assert!(s.proposal.definition.is_some(), "{:?}", s.proposal);
    }

    advise("someone-else");
    let again = open().await;
    assert_eq!(
        again.iter().map(|s| s.proposal.id).collect::<Vec<_>>(),
        made.iter().map(|(id, _)| *id).collect::<Vec<_>>()
    );
    assert!(again
        .iter()
        .all(|s| s.proposed_by.as_deref() == Some("nightly-cron")));

    let first = made[0].0.to_string();
    on(&db.url, &["reject", &first, "--reason", "not this quarter"]).ok();
    assert!(open().await.iter().all(|s| s.proposal.id != made[0].0));
}
