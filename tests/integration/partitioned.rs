//! A partitioned table end to end, on the throwaway PostgreSQL: the advisor proposes an index
//! for the table its workload queries (the parent, costed through its 12 partitions); apply
//! builds it partition by partition while a writer inserts every 50 ms, and the writer never
//! waits long; the result is one valid partitioned index attached on all 12; rollback removes
//! it everywhere. A build stopped part-way keeps the partitions it built and resumes.

use crate::advisor::{planted, proposals, run};
use harness::cli::on;
use harness::TestDb;
use indexpilot_engine::change::{self, ChangeState};
use indexpilot_engine::{Actor, Silent};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Twelve monthly partitions of about 85,000 rows each.
const SCHEMA: &str = "
CREATE SCHEMA app;
CREATE TABLE app.events (
    id bigint GENERATED ALWAYS AS IDENTITY, tenant_id int NOT NULL, kind int NOT NULL,
    occurred_at timestamptz NOT NULL, payload text
) PARTITION BY RANGE (occurred_at);
DO $$ BEGIN
    FOR m IN 1..12 LOOP
        EXECUTE format('CREATE TABLE app.events_%s PARTITION OF app.events FOR VALUES FROM (%L) TO (%L)',
            lpad(m::text, 2, '0'), make_date(2026, m, 1), make_date(2026, m, 1) + interval '1 month');
    END LOOP;
END $$;
INSERT INTO app.events (tenant_id, kind, occurred_at, payload)
SELECT g % 2000, g % 9, timestamptz '2026-01-01' + (g % 1000000) * interval '31 seconds', 'event ' || g
FROM generate_series(1, 1000000) g";

fn actor() -> Actor {
    Actor::named("test-operator")
}

/// Every progress step an apply reports.
#[derive(Default)]
struct Steps(Mutex<Vec<(String, f64)>>);

impl indexpilot_engine::Progress for Steps {
    fn step(&self, step: &str, fraction: f64) {
        assert!((0.0..=1.0).contains(&fraction), "{step}: {fraction}");
        self.0.lock().unwrap().push((step.to_string(), fraction));
    }
}

/// The one tenant's latest events: the workload the advisor sees, through the parent.
async fn workload(db: &TestDb) {
    run(
        &db.pool,
        "SELECT id, kind, occurred_at FROM app.events WHERE tenant_id = $1::int ORDER BY occurred_at DESC LIMIT 20",
        40,
        |i| vec![(i * 37 % 2000).to_string()],
    )
    .await;
    // Served only by an expression index, which HypoPG does not apply to the partitions:
    // IndexPilot prices it as a bitmap scan of each.
    run(
        &db.pool,
        "SELECT id FROM app.events WHERE lower(payload) = lower($1::text)",
        5,
        |i| vec![format!("X{i}")],
    )
    .await;
    // Served by the same index read in order (HypoPG matches its order on the partitions).
    run(
        &db.pool,
        "SELECT id, payload FROM app.events ORDER BY lower(payload) LIMIT 10",
        3,
        |_| vec![],
    )
    .await;
}

/// The proposal for app.events, recorded; its id and ddl.
async fn proposal(db: &TestDb) -> (i64, String, serde_json::Value) {
    let advice = on(&db.url, &["advise", "--json", "--max-indexes", "2"])
        .ok()
        .json();
    // The expression index HypoPG does not apply to the partitions is proposed all the
    // same, for both statements, from IndexPilot's estimate of its bitmap scans.
    let expression = proposals(&advice)
        .iter()
        .find(|p| {
            p["kind"] == "create" && p["ddl"].as_str().unwrap_or("").contains("lower(payload)")
        })
        .unwrap_or_else(|| panic!("no expression proposal: {advice:#}"));
    assert_eq!(expression["why"]["statements"], 2, "{expression:#}");
    assert_eq!(expression["verified"], false, "{expression:#}");
    assert_eq!(
        expression["why"]["evidence"], "session_estimate",
        "{expression:#}"
    );
    assert!(
        expression["reason"]
            .as_str()
            .unwrap()
            .contains("not verified by the planner"),
        "{expression:#}"
    );
    let p = proposals(&advice)
        .iter()
        .find(|p| p["kind"] == "create" && p["columns"][0] == "tenant_id")
        .unwrap_or_else(|| panic!("no proposal for app.events: {advice:#}"))
        .clone();
    (
        p["id"].as_i64().unwrap(),
        p["ddl"].as_str().unwrap().to_string(),
        p,
    )
}

/// (partitions with an index attached to `index`, of them valid, the index's own validity).
async fn attached(db: &TestDb, index: &str) -> (i64, i64, Option<bool>) {
    sqlx::query_as(
        "SELECT (SELECT count(*) FROM pg_partition_tree(to_regclass($1)) t WHERE t.isleaf),
                (SELECT count(*) FROM pg_partition_tree(to_regclass($1)) t
                 JOIN pg_index i ON i.indexrelid = t.relid WHERE t.isleaf AND i.indisvalid),
                (SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass($1))",
    )
    .bind(format!("app.{index}"))
    .fetch_one(&db.pool)
    .await
    .unwrap()
}

/// Indexes on the partitions besides their primary keys (there are none).
async fn partition_indexes(db: &TestDb) -> i64 {
    db.scalar_i64(
        "SELECT count(*) FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'app'",
    )
    .await
}

#[tokio::test]
async fn an_index_for_a_partitioned_table_is_proposed_built_per_partition_without_blocking_writers_and_rolled_back(
) {
    let db = planted(SCHEMA).await;
    workload(&db).await;
    let (id, ddl, p) = proposal(&db).await;
    // The table the workload queries is the one proposed for: PostgreSQL cannot build it
    // concurrently there, so the statement is the definition and the reason says how.
    assert!(
        ddl.starts_with("CREATE INDEX \"") && ddl.contains("ON \"app\".\"events\""),
        "{ddl}"
    );
    assert_eq!(p["columns"][0], "tenant_id", "{p:#}");
    let reason = p["reason"].as_str().unwrap();
    assert!(
        reason.contains("partition by partition") && reason.contains("each of its 12 partitions"),
        "{reason}"
    );
    assert_eq!(p["why"]["partitions"], 12, "{p:#}");
    let index = p["index_name"].as_str().unwrap().to_string();

    // A writer inserts every 50 ms through the parent for the whole build.
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let pool = db.pool.clone();
        let stop = Arc::clone(&stop);
        tokio::spawn(async move {
            let (mut worst, mut n) = (Duration::ZERO, 0);
            while !stop.load(Ordering::SeqCst) {
                let t = Instant::now();
                sqlx::query(
                    "INSERT INTO app.events (tenant_id, kind, occurred_at, payload)
                     VALUES (7, 1, timestamptz '2026-06-15' + random() * interval '100 days', 'live')",
                )
                .execute(&pool)
                .await
                .unwrap();
                worst = worst.max(t.elapsed());
                n += 1;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            (worst, n)
        })
    };
    let steps = Steps::default();
    on(&db.url, &["policy", "set", "require_approval", "off"]).ok();
    let policy = change::policy::load(&db.pool).await.unwrap();
    let applied = change::apply(
        &db.pool,
        &actor(),
        &policy,
        id,
        &steps,
        &Arc::new(AtomicBool::new(false)),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    stop.store(true, Ordering::SeqCst);
    let (worst, inserts) = writer.await.unwrap();
    assert_eq!(applied.state, ChangeState::Applied);
    assert!(inserts > 5, "the writer ran alongside ({inserts} inserts)");
    assert!(
        worst < Duration::from_secs(2),
        "an insert waited {worst:?} during the build"
    );
    assert_eq!(attached(&db, &index).await, (12, 12, Some(true)));
    // Each partition's build was reported, in order, as a share of the whole.
    let seen = steps.0.lock().unwrap().clone();
    for k in 1..=12 {
        assert!(
            seen.iter()
                .any(|(s, _)| s.starts_with(&format!("partition {k}/12 "))),
            "partition {k}: {seen:?}"
        );
    }
    let fractions: Vec<f64> = seen.iter().map(|(_, f)| *f).collect();
    assert!(
        fractions.windows(2).all(|w| w[1] >= w[0] - 1e-9),
        "{seen:?}"
    );
    // What ran is in the log: the table's index, then each partition's build and attach.
    let logged = change::log::load_pool(&db.pool, id).await.unwrap();
    let history = change::history(&db.pool, None).await.unwrap();
    let applying = history
        .iter()
        .find(|e| e.change_id == id && e.status.as_deref() == Some("applying"))
        .map(|e| {
            e.details_json["sql"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .unwrap_or_default();
    assert!(
        applying.contains(" ON ONLY \"app\".\"events\""),
        "{applying}"
    );
    assert_eq!(
        applying.matches("CREATE INDEX CONCURRENTLY").count(),
        12,
        "{applying}"
    );
    assert_eq!(
        applying.matches("ATTACH PARTITION").count(),
        12,
        "{applying}"
    );
    assert!(
        logged.last["size_bytes"].as_i64().unwrap_or(0) > 1 << 20,
        "{:#}",
        logged.last
    );
    // The planner uses it through the parent.
    let plan: String = sqlx::query_scalar::<_, String>(
        "EXPLAIN (FORMAT TEXT) SELECT id FROM app.events WHERE tenant_id = 5 ORDER BY occurred_at DESC LIMIT 20",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap()
    .join("\n");
    assert!(plan.contains("Index"), "{plan}");

    let rolled = change::rollback(
        &db.pool,
        &actor(),
        &policy,
        id,
        &Silent,
        &Arc::new(AtomicBool::new(false)),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rolled.state, ChangeState::RolledBack);
    assert_eq!(attached(&db, &index).await, (0, 0, None));
    assert_eq!(
        partition_indexes(&db).await,
        0,
        "nothing left on any partition"
    );
}

#[tokio::test]
async fn a_partitioned_build_stopped_part_way_keeps_what_it_built_and_resumes() {
    let db = planted(SCHEMA).await;
    workload(&db).await;
    let (id, _, p) = proposal(&db).await;
    let index = p["index_name"].as_str().unwrap().to_string();
    on(&db.url, &["policy", "set", "require_approval", "off"]).ok();
    on(&db.url, &["policy", "set", "build_wait_timeout", "1s"]).ok();
    // A transaction that wrote to the fifth partition and stays open: its concurrent build
    // waits for it, and gives up at build_wait_timeout.
    let mut holder = db.pool.acquire().await.unwrap();
    sqlx::raw_sql("BEGIN; UPDATE app.events_05 SET kind = kind WHERE id = (SELECT min(id) FROM app.events_05);")
        .execute(&mut *holder)
        .await
        .unwrap();
    let policy = change::policy::load(&db.pool).await.unwrap();
    let never = Arc::new(AtomicBool::new(false));
    let err = change::apply(&db.pool, &actor(), &policy, id, &Silent, &never)
        .await
        .expect_err("the fifth partition's build times out");
    assert!(
        err.to_string().contains("apply it again to resume"),
        "{err}"
    );
    let failed = change::log::load_pool(&db.pool, id).await.unwrap();
    assert_eq!(failed.state, ChangeState::Failed);
    // Four partitions built and attached; the table's index waits for the rest.
    let (leaves, valid, own) = attached(&db, &index).await;
    assert_eq!((leaves, valid, own), (4, 4, Some(false)));
    let kept: Vec<i64> = sqlx::query_scalar(
        "SELECT t.relid::int8 FROM pg_partition_tree(to_regclass($1)) t WHERE t.isleaf ORDER BY 1",
    )
    .bind(format!("app.{index}"))
    .fetch_all(&db.pool)
    .await
    .unwrap();

    sqlx::raw_sql("ROLLBACK")
        .execute(&mut *holder)
        .await
        .unwrap();
    drop(holder);
    let resumed = change::apply(&db.pool, &actor(), &policy, id, &Silent, &never)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(resumed.state, ChangeState::Applied);
    assert_eq!(attached(&db, &index).await, (12, 12, Some(true)));
    // The four built before were kept, not built again.
    let now: Vec<i64> = sqlx::query_scalar(
        "SELECT t.relid::int8 FROM pg_partition_tree(to_regclass($1)) t WHERE t.isleaf ORDER BY 1",
    )
    .bind(format!("app.{index}"))
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert!(kept.iter().all(|k| now.contains(k)), "{kept:?} {now:?}");
    assert_eq!(
        db.scalar_i64(
            "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'app' AND NOT i.indisvalid"
        )
        .await,
        0
    );
}

/// Without HypoPG, on any supported major (`make test-pg-majors` runs it on 13 and 17 as
/// well): a person's proposal for a partitioned table is the plain definition, built
/// partition by partition, sub-partitions included, and rolled back everywhere.
#[tokio::test]
async fn a_proposal_for_a_partitioned_table_is_built_per_partition_and_rolled_back_on_any_major() {
    let db = harness::fresh_db().await;
    db.exec(
        "CREATE SCHEMA app;
         CREATE TABLE app.events (id int, tenant_id int NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
         CREATE TABLE app.events_1 PARTITION OF app.events FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');
         CREATE TABLE app.events_2 PARTITION OF app.events FOR VALUES FROM ('2026-02-01') TO ('2026-03-01')
             PARTITION BY HASH (tenant_id);
         CREATE TABLE app.events_2a PARTITION OF app.events_2 FOR VALUES WITH (MODULUS 2, REMAINDER 0);
         CREATE TABLE app.events_2b PARTITION OF app.events_2 FOR VALUES WITH (MODULUS 2, REMAINDER 1);
         INSERT INTO app.events SELECT g, g % 100, date '2026-01-01' + g % 59 FROM generate_series(1, 40000) g;
         ANALYZE;",
    )
    .await;
    on(&db.url, &["init"]).ok();
    on(&db.url, &["policy", "set", "require_approval", "off"]).ok();
    let def = indexpilot_engine::advisor::IndexDef {
        schema: "app".into(),
        table: "events".into(),
        method: indexpilot_engine::advisor::Method::Btree,
        keys: vec![indexpilot_engine::advisor::KeyPart::column("tenant_id")],
        include: Vec::new(),
        predicate: None,
    };
    let id = change::propose_index(&db.pool, &actor(), &def, "for the tenant pages")
        .await
        .unwrap();
    let proposed = change::log::load_pool(&db.pool, id).await.unwrap();
    assert!(
        proposed.ddl.starts_with("CREATE INDEX \"") && !proposed.ddl.contains("CONCURRENTLY"),
        "{}",
        proposed.ddl
    );
    let policy = change::policy::load(&db.pool).await.unwrap();
    // The confirmation shows every step, and why there are several, before anything runs.
    let preview = change::preview::apply(&db.pool, &policy, id).await.unwrap();
    let lines: Vec<&str> = preview.sql.lines().collect();
    assert_eq!(lines.len(), 1 + 2 * 4, "{}", preview.sql);
    assert!(
        lines[0].contains(" ON ONLY \"app\".\"events\""),
        "{}",
        preview.sql
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("CREATE INDEX CONCURRENTLY"))
            .count(),
        3,
        "one build per leaf: {}",
        preview.sql
    );
    let note = preview.note.unwrap();
    assert!(note.contains("each of its 4 partitions"), "{note}");
    // The CLI shows the same, and runs nothing either.
    let shown = on(&db.url, &["apply", &id.to_string(), "--dry-run"])
        .ok()
        .stdout;
    assert!(
        shown.starts_with(lines[0]) && shown.contains(&note),
        "{shown}"
    );
    let json = on(&db.url, &["--json", "apply", &id.to_string(), "--dry-run"])
        .ok()
        .json();
    assert_eq!(json["sql"], preview.sql);
    assert_eq!(partition_indexes(&db).await, 0, "a preview builds nothing");

    let never = Arc::new(AtomicBool::new(false));
    let steps = Steps::default();
    let applied = change::apply(&db.pool, &actor(), &policy, id, &steps, &never)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(applied.state, ChangeState::Applied);
    // Three leaves (the hash sub-partitions through their own ON ONLY index), all valid.
    assert_eq!(
        attached(&db, &proposed.index_name).await,
        (3, 3, Some(true))
    );
    let seen = steps.0.lock().unwrap().clone();
    assert!(
        seen.iter().any(|(s, _)| s.starts_with("partition 3/3 ")),
        "{seen:?}"
    );
    let preview = change::preview::rollback(&db.pool, &policy, id)
        .await
        .unwrap();
    assert_eq!(
        preview.sql,
        format!("DROP INDEX IF EXISTS \"app\".\"{}\";", proposed.index_name)
    );
    let note = preview.note.unwrap();
    assert!(
        note.contains("ACCESS EXCLUSIVE lock on \"app\".\"events\" and its 4 partitions")
            && note.contains(&format!("{} ms", policy.lock_timeout_ms)),
        "{note}"
    );
    let shown = on(&db.url, &["rollback", &id.to_string(), "--dry-run"])
        .ok()
        .stdout;
    assert!(
        shown.contains(&preview.sql) && shown.contains(&note),
        "{shown}"
    );
    assert_eq!(
        attached(&db, &proposed.index_name).await,
        (3, 3, Some(true)),
        "a rollback's preview drops nothing"
    );
    let rolled = change::rollback(&db.pool, &actor(), &policy, id, &Silent, &never)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rolled.state, ChangeState::RolledBack);
    assert_eq!(
        partition_indexes(&db).await,
        0,
        "nothing left on any partition"
    );
}

/// Twelve monthly partitions ending with the current month (bounds from now()), 300,000
/// rows spread over the last 330 days.
const RECENT_SCHEMA: &str = "
CREATE SCHEMA app;
CREATE TABLE app.events (
    id bigint GENERATED ALWAYS AS IDENTITY, tenant_id int NOT NULL, kind int NOT NULL,
    occurred_at timestamptz NOT NULL, payload text
) PARTITION BY RANGE (occurred_at);
DO $$ BEGIN
    FOR m IN 0..11 LOOP
        EXECUTE format('CREATE TABLE app.events_m%s PARTITION OF app.events FOR VALUES FROM (%L) TO (%L)',
            lpad(m::text, 2, '0'),
            date_trunc('month', now()) - (11 - m) * interval '1 month',
            CASE WHEN m = 11 THEN 'infinity'::timestamptz
                 ELSE date_trunc('month', now()) - (10 - m) * interval '1 month' END);
    END LOOP;
END $$;
INSERT INTO app.events (tenant_id, kind, occurred_at, payload)
SELECT g % 500, g % 9, now() - (g % 330) * interval '1 day' - (g % 86400) * interval '1 second', 'event ' || g
FROM generate_series(1, 300000) g";

/// A tenant's events of the last days, the window written as applications write it: every
/// call is pruned to the newest partition or two, so the index goes there only, labelled so,
/// and is built and rolled back as an index of that partition.
#[tokio::test]
async fn an_index_only_recent_partitions_read_is_proposed_for_those_partitions() {
    let db = planted(RECENT_SCHEMA).await;
    run(
        &db.pool,
        "SELECT id, kind, occurred_at FROM app.events
         WHERE tenant_id = $1::int AND occurred_at > now() - interval '2 days'
         ORDER BY occurred_at DESC LIMIT 50",
        60,
        |i| vec![(i * 37 % 500).to_string()],
    )
    .await;
    let advice = on(&db.url, &["advise", "--json"]).ok().json();
    let creates: Vec<&serde_json::Value> = proposals(&advice)
        .iter()
        .filter(|p| p["kind"] == "create")
        .collect();
    assert!(!creates.is_empty(), "{advice:#}");
    assert!(
        creates.iter().all(|p| p["table"] != "events"),
        "nothing on the parent: {advice:#}"
    );
    let reached: Vec<String> = creates[0]["why"]["recent"]["reached"]
        .as_array()
        .unwrap_or_else(|| panic!("labelled: {advice:#}"))
        .iter()
        .map(|r| r.as_str().unwrap().to_string())
        .collect();
    // The newest partition, and the one before it early in a month.
    assert!(
        reached.contains(&"app.events_m11".to_string()) && reached.len() <= 2,
        "{reached:?}"
    );
    assert_eq!(
        creates.len(),
        reached.len(),
        "one proposal per partition: {advice:#}"
    );
    let p = creates
        .iter()
        .find(|p| p["table"] == "events_m11")
        .unwrap_or_else(|| panic!("{advice:#}"));
    assert_eq!(p["why"]["recent"]["parent"], "app.events");
    assert_eq!(p["why"]["recent"]["of"], 12);
    assert_eq!(p["why"]["partitions"], 0, "{p:#}");
    assert_eq!(p["columns"][0], "tenant_id", "{p:#}");
    let ddl = p["ddl"].as_str().unwrap();
    assert!(
        ddl.starts_with("CREATE INDEX CONCURRENTLY") && ddl.contains("ON \"app\".\"events_m11\""),
        "{ddl}"
    );
    let reason = p["reason"].as_str().unwrap();
    assert!(
        reason.contains("Recent partitions only")
            && reason.contains("Partitions created later do not get it"),
        "{reason}"
    );

    // Applied as an index of the partition alone; rolled back from there.
    on(&db.url, &["policy", "set", "require_approval", "off"]).ok();
    let id = p["id"].as_i64().unwrap().to_string();
    on(&db.url, &["apply", &id, "--wait"]).ok();
    let index = p["index_name"].as_str().unwrap();
    let on_partition = |name: &str| {
        format!(
            "SELECT count(*) FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
             WHERE i.indexrelid = to_regclass('app.{name}') AND t.relname = 'events_m11' AND i.indisvalid"
        )
    };
    assert_eq!(db.scalar_i64(&on_partition(index)).await, 1);
    assert_eq!(partition_indexes(&db).await, 1, "on no other partition");
    // Health knows the gap is the design: info, naming the change, not a warning to
    // build it on the table.
    let health = on(&db.url, &["health", "--json"]).ok().json();
    let gaps: Vec<&serde_json::Value> = health["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check"] == "partition-index-gap" && f["table"] == "events")
        .collect();
    assert_eq!(gaps.len(), 1, "{health:#}");
    assert_eq!(gaps[0]["severity"], "info", "{health:#}");
    let message = gaps[0]["message"].as_str().unwrap();
    assert!(
        message.contains(&format!(
            "built for the recent partitions only by change #{id}"
        )),
        "{message}"
    );
    on(&db.url, &["rollback", &id]).ok();
    assert_eq!(partition_indexes(&db).await, 0);
}
