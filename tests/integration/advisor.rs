//! `indexpilot advise` with HypoPG on planted problems: the missing indexes a DBA would add
//! (tenant-leading composite, expression, partial), traps where a sequential scan is right,
//! fields the genome rules out, a redundant index to drop; every DDL applies as is, and a
//! re-run keeps the same proposals instead of piling up new ones.

use harness::cli::on;
use harness::{fresh_db, TestDb};
use serde_json::Value;
use sqlx::PgPool;

const SCHEMA: &str = r"
CREATE EXTENSION IF NOT EXISTS hypopg;
CREATE SCHEMA shop;
CREATE TABLE shop.customers (id int PRIMARY KEY, tenant_id int NOT NULL, email text NOT NULL);
INSERT INTO shop.customers SELECT g, g % 50, 'User' || g || '@example.com' FROM generate_series(1, 50000) g;
CREATE TABLE shop.orders (
    id int PRIMARY KEY,
    tenant_id int NOT NULL,
    customer_id int NOT NULL,
    status text NOT NULL,
    processed boolean NOT NULL,
    amount numeric NOT NULL,
    created_at timestamptz NOT NULL,
    note text,
    custom_ref text
);
INSERT INTO shop.orders
SELECT g, g % 50, (g / 50) % 200 + 1,
       CASE WHEN g % 50 = 0 THEN 'failed' WHEN g % 100 = 1 THEN 'pending' ELSE 'ok' END,
       g % 60 <> 0, (g % 1000) / 10.0, now() - make_interval(secs => g * 10),
       'note ' || g, 'ref' || g
FROM generate_series(1, 200000) g;
-- A redundant index: a prefix of the next one.
CREATE INDEX orders_tenant_idx ON shop.orders (tenant_id);
CREATE INDEX orders_tenant_created_idx ON shop.orders (tenant_id, created_at);
CREATE TABLE shop.tiny (code text PRIMARY KEY, label text, flag int);
INSERT INTO shop.tiny SELECT 'c' || g, 'label', g % 3 FROM generate_series(1, 100) g;
ANALYZE;
";

/// A fresh database with HypoPG and `tables` (SQL that creates and fills them), analysed,
/// with IndexPilot initialised and no statement recorded yet.
pub(crate) async fn planted(tables: &str) -> TestDb {
    let db = fresh_db().await;
    db.exec(&format!(
        "CREATE EXTENSION IF NOT EXISTS hypopg; {tables}; ANALYZE;"
    ))
    .await;
    on(&db.url, &["init"]).ok();
    reset_statements(&db.pool).await;
    db
}

/// Forgets this database's statements, so that the workload is the one the test runs.
pub(crate) async fn reset_statements(pool: &PgPool) {
    sqlx::query("SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)")
        .execute(pool)
        .await
        .unwrap();
}

/// Runs one statement many times with parameters, as an application would.
pub(crate) async fn run(pool: &PgPool, sql: &str, times: i32, bind: impl Fn(i32) -> Vec<String>) {
    for i in 0..times {
        let mut q = sqlx::query(sql);
        for v in bind(i) {
            q = q.bind(v);
        }
        q.execute(pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

async fn workload(pool: &PgPool) {
    reset_statements(pool).await;
    // Planted: (tenant_id, customer_id) — tenant key leading: a customer id alone matches
    // 1,000 rows across tenants, with the tenant 20.
    run(
        pool,
        "SELECT id, amount FROM shop.orders WHERE tenant_id = $1::int AND customer_id = $2::int",
        300,
        |i| vec![(i % 50).to_string(), (i * 13 % 200 + 1).to_string()],
    )
    .await;
    // Planted: an expression index on lower(email).
    run(
        pool,
        "SELECT id FROM shop.customers WHERE lower(email) = $1",
        300,
        |i| vec![format!("user{}@example.com", i * 17 % 50000 + 1)],
    )
    .await;
    // Planted: a partial index (the unprocessed 1.7% of the rows), per tenant.
    run(
        pool,
        "SELECT id, amount FROM shop.orders WHERE tenant_id = $1::int AND NOT processed",
        300,
        |i| vec![(i % 50).to_string()],
    )
    .await;
    // Trap: a third of the rows match any status value (generic plan): a scan is right.
    run(
        pool,
        "SELECT count(*) FROM shop.orders WHERE status = $1",
        30,
        |_| vec!["ok".into()],
    )
    .await;
    // Trap: a 100-row table.
    run(
        pool,
        "SELECT label FROM shop.tiny WHERE flag = $1::int",
        300,
        |i| vec![(i % 3).to_string()],
    )
    .await;
    // Ruled out by the genome: not indexable, and a custom field no tenant expresses.
    run(
        pool,
        "SELECT id FROM shop.orders WHERE note = $1",
        50,
        |i| vec![format!("note {i}")],
    )
    .await;
    run(
        pool,
        "SELECT id FROM shop.orders WHERE custom_ref = $1",
        50,
        |i| vec![format!("ref{i}")],
    )
    .await;
}

pub(crate) fn proposals(advice: &Value) -> &Vec<Value> {
    advice["proposals"].as_array().unwrap()
}

/// The proposal of a new index whose leading key is `column`.
pub(crate) fn index_on<'a>(advice: &'a Value, column: &str) -> Option<&'a Value> {
    proposals(advice)
        .iter()
        .find(|p| p["kind"] == "create" && p["columns"][0] == column)
}

/// `advise` with at most `cap` new indexes. A statement is declined for the cap only while
/// the cap is full: a slot freed late (pruned, swapped two for one, led by a widened index)
/// is offered again to what the cap left out.
pub(crate) fn capped(url: &str, cap: usize) -> Value {
    let advice = on(
        url,
        &[
            "advise",
            "--json",
            "--dry-run",
            "--max-indexes",
            &cap.to_string(),
        ],
    )
    .ok()
    .json();
    let creates = proposals(&advice)
        .iter()
        .filter(|p| p["kind"] == "create")
        .count();
    let cap_declined = advice["declined"]
        .as_array()
        .is_some_and(|d| d.iter().any(|d| d["reason_code"] == "cap"));
    assert!(creates <= cap, "{advice:#}");
    assert!(!cap_declined || creates == cap, "{advice:#}");
    advice
}

/// `advise` allowed a single index: its one create proposal, and the whole advice for
/// assertion messages.
fn the_one_index(url: &str) -> (Value, Value) {
    let advice = capped(url, 1);
    let creates: Vec<&Value> = proposals(&advice)
        .iter()
        .filter(|p| p["kind"] == "create")
        .collect();
    assert_eq!(creates.len(), 1, "{advice:#}");
    (creates[0].clone(), advice)
}

/// The declined statement whose text contains `needle`.
pub(crate) fn declined<'a>(advice: &'a Value, needle: &str) -> &'a Value {
    advice["declined"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["query"].as_str().unwrap().contains(needle))
        .unwrap_or_else(|| panic!("no decline for {needle}: {advice:#}"))
}

pub(crate) fn declined_code<'a>(advice: &'a Value, needle: &str) -> &'a str {
    declined(advice, needle)["reason_code"].as_str().unwrap()
}

#[tokio::test]
async fn the_advisor_finds_the_planted_indexes_and_declines_the_traps() {
    let db = fresh_db().await;
    db.exec(SCHEMA).await;
    db.exec("VACUUM shop.orders").await;
    on(&db.url, &["init"]).ok();
    on(
        &db.url,
        &["genome", "set", "shop.orders.note", "--indexable", "false"],
    )
    .ok();
    on(
        &db.url,
        &[
            "genome",
            "set",
            "shop.orders.custom_ref",
            "--default-expression",
            "off",
        ],
    )
    .ok();
    workload(&db.pool).await;

    let advice = on(&db.url, &["advise", "--json"]).ok().json();
    assert_eq!(advice["hypopg"], true, "{advice:#}");
    assert!(advice["statements_analysed"].as_u64().unwrap() >= 7);
    let creates: Vec<&Value> = proposals(&advice)
        .iter()
        .filter(|p| p["kind"] == "create")
        .collect();
    let cols = |p: &Value| -> Vec<String> {
        p["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect()
    };
    let find = |table: &str, pred: &dyn Fn(&Value) -> bool| {
        creates
            .iter()
            .find(|p| p["table"] == table && pred(p))
            .copied()
            .unwrap_or_else(|| panic!("no create on {table} as expected: {advice:#}"))
    };
    let composite = find("orders", &|p| {
        cols(p).starts_with(&["tenant_id".into(), "customer_id".into()])
    });
    let expression = find("customers", &|p| cols(p) == ["lower(email)"]);
    let partial = find("orders", &|p| {
        p["ddl"]
            .as_str()
            .unwrap()
            .contains("WHERE NOT \"processed\"")
    });
    for p in [composite, expression, partial] {
        let b = &p["benefit"];
        assert!(
            b["weighted_cost_after"].as_f64().unwrap()
                < b["weighted_cost_before"].as_f64().unwrap() / 2.0,
            "{p:#}"
        );
        assert!(p["estimated_size_bytes"].as_i64().unwrap() > 0, "{p:#}");
        assert!(!p["statements"].as_array().unwrap().is_empty(), "{p:#}");
        assert!(
            p["ddl"]
                .as_str()
                .unwrap()
                .starts_with("CREATE INDEX CONCURRENTLY \""),
            "{p:#}"
        );
        assert!(p["reason"].as_str().unwrap().contains("Serves"), "{p:#}");
    }
    // The traps and the genome's rules.
    for p in &creates {
        let ddl = p["ddl"].as_str().unwrap();
        assert!(
            !ddl.contains("\"note\"") && !ddl.contains("custom_ref") && !ddl.contains("tiny"),
            "{ddl}"
        );
        assert!(!cols(p).starts_with(&["status".into()]), "{ddl}");
    }
    assert_eq!(declined_code(&advice, "shop.tiny"), "table_too_small");
    assert_eq!(declined_code(&advice, "status = $1"), "not_selective");
    assert_eq!(declined_code(&advice, "note = $1"), "not_indexable");
    assert_eq!(declined_code(&advice, "custom_ref = $1"), "not_expressed");
    // The planted redundant index.
    let drop = proposals(&advice)
        .iter()
        .find(|p| p["kind"] == "drop")
        .unwrap_or_else(|| panic!("no drop proposal: {advice:#}"));
    assert_eq!(
        drop["ddl"],
        "DROP INDEX CONCURRENTLY \"shop\".\"orders_tenant_idx\";"
    );

    // Stored as proposals; a re-run keeps the same ids and adds no new proposal.
    let ids: Vec<i64> = proposals(&advice)
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert!(ids.iter().all(|&id| id > 0), "{ids:?}");
    let roots = "SELECT count(*) FROM indexpilot.mutation_log WHERE parent_id IS NULL AND status = 'proposed'";
    let before = db.scalar_i64(roots).await;
    assert_eq!(usize::try_from(before).unwrap(), ids.len());
    let again = on(&db.url, &["advise", "--json"]).ok().json();
    let ids_again: Vec<i64> = proposals(&again)
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, ids_again);
    assert_eq!(db.scalar_i64(roots).await, before);
    let details: Value =
        sqlx::query_scalar("SELECT details_json FROM indexpilot.mutation_log WHERE id = $1")
            .bind(ids[0])
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert!(
        details["reason"].is_string()
            && details["benefit"].is_object()
            && details["statements"].is_array()
    );

    // Nothing hypothetical was left behind, and every DDL applies as is.
    for p in proposals(&advice) {
        sqlx::raw_sql(p["ddl"].as_str().unwrap())
            .execute(&db.pool)
            .await
            .unwrap_or_else(|e| panic!("{p:#}: {e}"));
    }
    let invalid = db
        .scalar_i64("SELECT count(*) FROM pg_index WHERE NOT indisvalid")
        .await;
    assert_eq!(invalid, 0);
    let created = db
        .scalar_i64(&format!(
            "SELECT count(*) FROM pg_indexes WHERE indexname = '{}'",
            composite["index_name"].as_str().unwrap()
        ))
        .await;
    assert_eq!(created, 1);
    // Estimated sizes are close to what the builds took (HypoPG's own figure for the
    // tenant/customer composite is five times the built size: it is blind to deduplication).
    for p in proposals(&advice).iter().filter(|p| p["kind"] == "create") {
        let built = db
            .scalar_i64(&format!(
                "SELECT pg_relation_size(format('%I.%I', '{}', '{}')::regclass)",
                p["schema"].as_str().unwrap(),
                p["index_name"].as_str().unwrap()
            ))
            .await as f64;
        let estimated = p["estimated_size_bytes"].as_f64().unwrap();
        assert!(
            (0.5..=2.0).contains(&(estimated / built)),
            "{}: estimated {estimated} bytes, built {built}",
            p["index_name"]
        );
    }

    // Applied by hand, they are no longer proposed: a re-run marks each one superseded,
    // with a new entry (the log stays append-only).
    on(&db.url, &["advise", "--json"]).ok();
    let superseded: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM unnest($1::int8[]) AS p(id)
         WHERE (SELECT m.status FROM indexpilot.mutation_log m
                WHERE m.id = p.id OR m.parent_id = p.id
                ORDER BY m.occurred_at DESC, m.id DESC LIMIT 1) = 'superseded'",
    )
    .bind(&ids)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(usize::try_from(superseded).unwrap(), ids.len());
}

#[tokio::test]
async fn without_hypopg_the_figures_are_labelled_estimates() {
    let db = fresh_db().await;
    db.exec(&SCHEMA.replace("CREATE EXTENSION IF NOT EXISTS hypopg;", ""))
        .await;
    on(&db.url, &["init"]).ok();
    workload(&db.pool).await;
    let advice = on(&db.url, &["advise", "--json", "--dry-run"]).ok().json();
    assert_eq!(advice["hypopg"], false);
    let creates: Vec<&Value> = proposals(&advice)
        .iter()
        .filter(|p| p["kind"] == "create")
        .collect();
    assert!(!creates.is_empty(), "{advice:#}");
    for p in &creates {
        assert_eq!(p["verified"], false);
        assert!(
            p["reason"].as_str().unwrap().contains("not verified"),
            "{p:#}"
        );
    }
    let human = on(&db.url, &["advise", "--dry-run"]).ok();
    assert!(human.stdout.contains("ESTIMATES"), "{}", human.stdout);
    // A dry run records nothing.
    let n = db
        .scalar_i64("SELECT count(*) FROM indexpilot.mutation_log WHERE kind = 'index_create'")
        .await;
    assert_eq!(n, 0);
}

#[tokio::test]
async fn samples_recover_the_expression_constants_pg_stat_statements_normalises_away() {
    let db = planted(
        "CREATE SCHEMA shop;
        CREATE TABLE shop.events (id int PRIMARY KEY, props jsonb NOT NULL);
        INSERT INTO shop.events
        SELECT g, CASE WHEN g % 10 = 0 THEN jsonb_build_object('campaign', 'c' || (g % 500)) ELSE '{}' END
        FROM generate_series(1, 100000) g",
    )
    .await;
    // The application, on its own connection, while the sampler looks at pg_stat_activity.
    let app = sqlx::PgPool::connect(&db.url).await.unwrap();
    let running = tokio::spawn(async move {
        for i in 0..40 {
            sqlx::query(
                "SELECT count(*), pg_sleep(0.05) FROM shop.events WHERE props ->> 'campaign' = $1",
            )
            .bind(format!("c{i}"))
            .execute(&app)
            .await
            .unwrap();
        }
    });
    let mut sampled = 0;
    while !running.is_finished() {
        sampled += indexpilot_engine::workload::collect::sample_activity(&db.pool)
            .await
            .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    running.await.unwrap();
    assert!(sampled >= 1, "no sample taken");
    let sample: String = sqlx::query_scalar(
        "SELECT sample FROM indexpilot.statement_samples WHERE sample LIKE '%campaign%'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert!(sample.contains("'campaign'"), "{sample}");

    let advice = on(&db.url, &["advise", "--json", "--dry-run"]).ok().json();
    let p = proposals(&advice)
        .iter()
        .find(|p| p["table"] == "events" && p["kind"] == "create")
        .unwrap_or_else(|| panic!("no index on events: {advice:#}"));
    let ddl = p["ddl"].as_str().unwrap();
    assert!(ddl.contains("(props ->> 'campaign')"), "{ddl}");
    // Nine rows in ten have no campaign: the index holds only the others.
    assert!(
        ddl.contains("WHERE (props ->> 'campaign') IS NOT NULL"),
        "{ddl}"
    );
    sqlx::raw_sql(ddl).execute(&db.pool).await.unwrap();
}

/// A client that sends no bind parameters shows every value as a literal. The sampler counts
/// the executions that repeat the sample's text and keeps the first that differs: literals
/// that agree across executions are the code's (a partial index's predicate), the others
/// per-call values.
#[tokio::test]
async fn literals_repeated_across_executions_of_an_unbound_statement_make_a_partial_index() {
    let db = planted(
        "CREATE SCHEMA q;
        CREATE TABLE q.jobs (id int PRIMARY KEY, queue int NOT NULL, state text NOT NULL,
            run_at timestamptz NOT NULL);
        INSERT INTO q.jobs
        SELECT g, g % 50, CASE WHEN g % 100 = 0 THEN 'queued' WHEN g % 100 = 1 THEN 'retry'
                               ELSE 'done' END,
               now() - make_interval(secs => g)
        FROM generate_series(1, 200000) g",
    )
    .await;
    let app = sqlx::PgPool::connect(&db.url).await.unwrap();
    let running = tokio::spawn(async move {
        for i in 0..30 {
            // Simple protocol, values inline, as an interpolating client sends them.
            sqlx::raw_sql(
                "SELECT id, pg_sleep(0.03) FROM q.jobs WHERE state IN ('queued', 'retry')
                 AND run_at <= now() ORDER BY run_at LIMIT 10",
            )
            .execute(&app)
            .await
            .unwrap();
            sqlx::raw_sql(&format!(
                "SELECT count(*), pg_sleep(0.03) FROM q.jobs WHERE queue = {}",
                i % 50
            ))
            .execute(&app)
            .await
            .unwrap();
        }
    });
    while !running.is_finished() {
        indexpilot_engine::workload::collect::sample_activity(&db.pool)
            .await
            .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    running.await.unwrap();
    let settled = |like: &'static str| {
        let pool = db.pool.clone();
        async move {
            sqlx::query_as::<_, (i32, Option<String>)>(
                "SELECT executions, differing FROM indexpilot.statement_samples WHERE sample LIKE $1",
            )
            .bind(like)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let (executions, differing) = settled("%'queued', 'retry'%").await;
    assert_eq!(
        (executions, differing),
        (
            indexpilot_engine::workload::collect::AGREEING_EXECUTIONS,
            None
        )
    );
    let (_, differing) = settled("%WHERE queue = %").await;
    assert!(differing.is_some_and(|t| t.contains("WHERE queue = ")));

    let advice = on(&db.url, &["advise", "--json", "--dry-run"]).ok().json();
    let ddls: Vec<&str> = proposals(&advice)
        .iter()
        .filter(|p| p["table"] == "jobs" && p["kind"] == "create")
        .filter_map(|p| p["ddl"].as_str())
        .collect();
    assert!(
        ddls.iter()
            .any(|d| d.contains("WHERE \"state\" IN ('queued', 'retry')")),
        "{advice:#}"
    );
    // The queue changed between executions: no index is limited to one queue.
    assert!(!ddls.iter().any(|d| d.contains("\"queue\" = ")), "{ddls:?}");
}

#[tokio::test]
async fn a_cached_database_priced_as_disk_gets_a_note_until_the_setting_is_fixed() {
    let db = fresh_db().await;
    db.exec(
        "CREATE TABLE public.events (id int PRIMARY KEY, payload text NOT NULL);
         INSERT INTO public.events SELECT g, repeat('x', 200) FROM generate_series(1, 20000) g;",
    )
    .await;
    on(&db.url, &["init"]).ok();
    // Reads served from shared buffers, on one connection whose statistics are then
    // flushed (a backend otherwise reports them up to a second later, or when idle).
    let mut conn = db.pool.acquire().await.unwrap();
    for _ in 0..30 {
        sqlx::query("SELECT count(*) FROM public.events WHERE payload <> ''")
            .execute(&mut *conn)
            .await
            .unwrap();
    }
    harness::flush_stats(&mut conn).await;
    sqlx::query("SELECT 1").execute(&mut *conn).await.unwrap();
    drop(conn);

    let advice = on(&db.url, &["advise", "--json", "--dry-run"]).ok().json();
    let notes = advice["notes"].as_array().expect("notes is a list");
    assert_eq!(notes.len(), 1, "{advice:#}");
    assert_eq!(notes[0]["code"], "random_page_cost");
    let detail = notes[0]["detail"].as_str().unwrap();
    assert!(detail.contains("random_page_cost is 4 "), "{detail}");
    let text = on(&db.url, &["advise", "--dry-run"]).ok().stdout;
    assert!(text.contains("note: random_page_cost is 4"), "{text}");

    db.exec(&format!(
        "ALTER DATABASE \"{}\" SET random_page_cost = 1.1",
        db.name
    ))
    .await;
    let advice = on(&db.url, &["advise", "--json", "--dry-run"]).ok().json();
    assert_eq!(advice["notes"], serde_json::json!([]), "{advice:#}");
}

/// The planner prices an index's heap reads from its first column's correlation: on a table
/// stored in `created_at` order, `(status, created_at)` looks several times dearer than
/// `(created_at)` for `status = $1 AND created_at` in a window, although it reads a subset
/// of the same rows in the same order. The advisor proposes the equality-led index.
#[tokio::test]
async fn an_index_led_by_a_fixed_status_wins_over_the_heap_ordered_timestamp_alone() {
    let db = planted(
        "CREATE SCHEMA sales;
        CREATE TABLE sales.orders (id int PRIMARY KEY, status text NOT NULL,
            total numeric NOT NULL, created_at timestamptz NOT NULL);
        INSERT INTO sales.orders
        SELECT g, CASE WHEN g % 20 = 0 THEN 'failed' WHEN g % 10 = 3 THEN 'pending'
                       ELSE 'completed' END,
               g % 500, timestamptz '2026-01-01' + make_interval(mins => g)
        FROM generate_series(1, 200000) g;
        CREATE TABLE sales.order_items (order_id int NOT NULL, line_no int NOT NULL,
            product_id int NOT NULL, quantity int NOT NULL, PRIMARY KEY (order_id, line_no));
        INSERT INTO sales.order_items
        SELECT o, l, (o * 7 + l) % 1000, 1 + o % 3
        FROM generate_series(1, 200000) o, generate_series(1, 3) l",
    )
    .await;
    let window = |i: i32| {
        vec![
            "completed".to_string(),
            format!("2026-0{}-1{} 00:00", 2 + i % 3, i % 8),
            format!("2026-0{}-1{} 00:00", 2 + i % 3, i % 8 + 2),
        ]
    };
    run(
        &db.pool,
        "SELECT date_trunc('day', created_at), count(*), sum(total) FROM sales.orders
         WHERE status = $1 AND created_at >= $2::timestamptz AND created_at < $3::timestamptz
         GROUP BY 1",
        200,
        window,
    )
    .await;
    run(
        &db.pool,
        "SELECT i.product_id, sum(i.quantity) FROM sales.orders o
         JOIN sales.order_items i ON i.order_id = o.id
         WHERE o.status = $1 AND o.created_at >= $2::timestamptz AND o.created_at < $3::timestamptz
         GROUP BY 1",
        200,
        window,
    )
    .await;

    let (index, advice) = the_one_index(&db.url);
    assert_eq!(index["table"], "orders", "{advice:#}");
    assert_eq!(
        index["columns"],
        serde_json::json!(["status", "created_at"]),
        "{advice:#}"
    );
    // The reason says where the advisor counted a lower price than the planner's.
    let reason = index["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("first column's correlation"), "{reason}");
}

#[tokio::test]
async fn an_index_with_the_pinned_stage_inside_wins_over_filtering_the_stage_out() {
    // A deal's stage follows its close date (old deals are closed, new ones prospecting):
    // read in close-date order, the rows of one stage are not spread evenly.
    let db = planted(
        "CREATE SCHEMA sales;
        CREATE TABLE sales.deals (id int PRIMARY KEY, tenant_id int NOT NULL,
            stage text NOT NULL, close_date date NOT NULL, amount numeric NOT NULL);
        INSERT INTO sales.deals
        SELECT g, g % 20,
               (ARRAY['closed', 'negotiation', 'proposal', 'qualification', 'prospecting'])
                   [1 + least(4, (g % 1000) / 150)],
               date '2025-01-01' + (g % 1000), g % 997
        FROM generate_series(1, 200000) g;
        -- The three candidates save within a few percent of each other (see CLOSING_CALLS):
        -- statistics from the whole table (a sample of 300 x 1000 rows), not from a random
        -- 30,000 of them, so that every run weighs them on the same figures.
        ALTER TABLE sales.deals ALTER stage SET STATISTICS 1000",
    )
    .await;
    run(
        &db.pool,
        "SELECT id, amount, close_date FROM sales.deals
         WHERE tenant_id = $1::int AND close_date BETWEEN $2::date AND $3::date
         ORDER BY close_date LIMIT 100",
        CLOSING_CALLS,
        |i| {
            let month = 1 + i % 8;
            vec![
                (i % 20).to_string(),
                format!("2026-0{month}-01"),
                format!("2026-0{}-01", month + 1),
            ]
        },
    )
    .await;
    run(
        &db.pool,
        "SELECT id, amount, close_date FROM sales.deals
         WHERE tenant_id = $1::int AND stage = $2 ORDER BY close_date LIMIT 50",
        BY_STAGE_CALLS,
        |i| {
            vec![
                (i % 20).to_string(),
                (if i % 2 == 0 {
                    "negotiation"
                } else {
                    "proposal"
                })
                .into(),
            ]
        },
    )
    .await;

    let (index, advice) = the_one_index(&db.url);
    assert_eq!(
        index["columns"],
        serde_json::json!(["tenant_id", "stage", "close_date"]),
        "{advice:#}"
    );
}

/// Calls of the two statements in the test above, weighted so that `(close_date)`,
/// `(tenant_id, close_date)` and `(tenant_id, stage, close_date)` save within a few percent
/// of each other on the planner's costs: the first two serve the window without a sort, and
/// the planner expects the second statement's stage to turn up evenly along the dates. On
/// cost alone the smallest would win.
const CLOSING_CALLS: i32 = 25;
const BY_STAGE_CALLS: i32 = 150;

#[tokio::test]
async fn an_ordered_index_wins_over_sorting_the_matches_of_an_expression() {
    let db = planted(
        "CREATE SCHEMA crm;
        CREATE TABLE crm.contacts (id int PRIMARY KEY, tenant_id int NOT NULL,
            region text NOT NULL, email text NOT NULL, created_at timestamptz NOT NULL);
        INSERT INTO crm.contacts
        SELECT g, g % 20, (ARRAY['North', 'south', 'East', 'west'])[1 + g % 4],
               'c' || g || '@example.com', timestamptz '2025-01-01' + make_interval(mins => g)
        FROM generate_series(1, 200000) g",
    )
    .await;
    run(
        &db.pool,
        "SELECT id, email FROM crm.contacts WHERE tenant_id = $1::int AND lower(region) = $2
         ORDER BY created_at DESC LIMIT 50",
        200,
        |i| {
            vec![
                (i % 20).to_string(),
                ["north", "south", "east", "west"][usize::try_from(i % 4).unwrap_or(0)].into(),
            ]
        },
    )
    .await;

    let (index, advice) = the_one_index(&db.url);
    // Without statistics on lower(region) until an index on it exists, the planner expects
    // a handful of matches and prices sorting them as nothing; a quarter of the tenant's
    // contacts match.
    assert_eq!(
        index["columns"],
        serde_json::json!(["tenant_id", "lower(region)", "created_at"]),
        "{advice:#}"
    );
}
