//! Discovery reports every kind of relation, column type, key and index exactly.

use crate::fixtures::SHOP;
use harness::{fresh_db, Steps};
use indexpilot_engine::catalog::{self, ConstraintKind, RelationKind};
use std::time::{Duration, Instant};

#[tokio::test]
async fn discovery_reports_relations_columns_keys_and_indexes() {
    let db = fresh_db().await;
    db.exec(SHOP).await;
    // A failed concurrent build leaves an INVALID index behind: discovery must say so.
    db.exec("CREATE TABLE shop.dupes (v int); INSERT INTO shop.dupes VALUES (1), (1);")
        .await;
    let failed = sqlx::query("CREATE UNIQUE INDEX CONCURRENTLY dupes_v_key ON shop.dupes (v)")
        .execute(&db.pool)
        .await;
    assert!(failed.is_err());

    let cat = catalog::discover(&db.pool).await.unwrap();
    let rel = |name: &str| {
        cat.relation("shop", name)
            .unwrap_or_else(|| panic!("shop.{name} not discovered"))
    };

    assert_eq!(rel("customers").kind, RelationKind::Table);
    assert_eq!(rel("orders").kind, RelationKind::Partitioned);
    assert_eq!(rel("orders_2025").kind, RelationKind::Partition);
    assert_eq!(
        rel("orders_2025").parent,
        Some(("shop".to_string(), "orders".to_string()))
    );
    assert_eq!(rel("open_orders").kind, RelationKind::View);
    assert_eq!(rel("revenue").kind, RelationKind::Matview);
    assert_eq!(rel("customers").comment.as_deref(), Some("people who buy"));
    assert_eq!(rel("customers").row_estimate, Some(300.0));
    assert!(rel("customers").total_bytes > rel("customers").table_bytes);
    // Extension objects and IndexPilot's own schema are not business objects.
    assert!(cat.relation("public", "pg_stat_statements").is_none());

    let customers = rel("customers");
    let col = |name: &str| {
        customers
            .column(name)
            .unwrap_or_else(|| panic!("customers.{name}"))
    };
    assert_eq!(col("email").data_type, "shop.email");
    assert_eq!(col("email").type_category, "domain");
    assert_eq!(col("email").comment.as_deref(), Some("login e-mail"));
    assert_eq!(col("tags").data_type, "text[]");
    assert_eq!(col("tags").type_category, "array");
    assert_eq!(
        col("scores").default_expr.as_deref(),
        Some("'{}'::integer[]")
    );
    assert_eq!(col("id").identity.as_deref(), Some("a"));
    assert!(col("tenant_id").not_null && !col("custom_region").not_null);
    let status = rel("orders").column("status").unwrap();
    assert_eq!(
        (status.data_type.as_str(), status.type_category.as_str()),
        ("shop.order_status", "enum")
    );
    assert_eq!(
        rel("orders").column("total").unwrap().data_type,
        "numeric(12,2)"
    );
    let e = cat.enums.iter().find(|e| e.name == "order_status").unwrap();
    assert_eq!(e.labels, ["open", "paid", "shipped", "cancelled"]);

    assert_eq!(
        rel("orders").primary_key().unwrap().columns,
        ["id", "placed_at"]
    );
    let fk = customers
        .constraints
        .iter()
        .find(|c| c.kind == ConstraintKind::ForeignKey)
        .unwrap();
    assert_eq!(fk.columns, ["tenant_id"]);
    let target = fk.references.as_ref().unwrap();
    assert_eq!(
        (target.table.as_str(), target.columns.as_slice()),
        ("tenants", &["id".to_string()][..])
    );
    assert!(customers
        .constraints
        .iter()
        .any(|c| c.kind == ConstraintKind::Unique && c.columns == ["tenant_id", "email"]));

    let idx = |name: &str| {
        customers
            .indexes
            .iter()
            .find(|i| i.name == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    let lower = idx("customers_lower_email_idx");
    assert!(lower.has_expressions);
    assert_eq!(lower.key_columns, ["lower(email::text)"]);
    let partial = idx("customers_region_partial_idx");
    assert_eq!(partial.key_columns, ["custom_region"]);
    assert_eq!(partial.include_columns, ["email"]);
    assert_eq!(
        partial.predicate.as_deref(),
        Some("(custom_region IS NOT NULL)")
    );
    assert!(partial
        .definition
        .starts_with("CREATE INDEX customers_region_partial_idx ON shop.customers"));
    assert!(idx("customers_pkey").is_primary && idx("customers_pkey").is_valid);
    assert!(idx("customers_pkey").size_bytes > 0);
    let invalid = rel("dupes")
        .indexes
        .iter()
        .find(|i| i.name == "dupes_v_key")
        .unwrap();
    assert!(!invalid.is_valid);
}

#[tokio::test]
async fn discovery_is_read_only_and_bulk() {
    let db = fresh_db().await;
    db.exec(SHOP).await;
    db.exec("SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)").await;
    catalog::discover(&db.pool).await.unwrap();
    // A handful of catalog statements, not one per table.
    let calls = db
        .scalar_i64(
            "SELECT coalesce(sum(calls), 0)::int8 FROM pg_stat_statements
             WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
               AND query ILIKE '%pg_class%'",
        )
        .await;
    assert!(calls <= 6, "discovery ran {calls} catalog statements");
}

#[tokio::test]
async fn a_partitioned_table_is_one_table_with_its_partitions_key_bounds_and_totals() {
    let db = fresh_db().await;
    // Range over two levels (2026 by list of regions), list, and hash.
    db.exec(
        "CREATE SCHEMA app;
         CREATE TABLE app.events (id bigint, region text, at date, body text) PARTITION BY RANGE (at);
         CREATE TABLE app.events_2025 PARTITION OF app.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
         CREATE TABLE app.events_2026 PARTITION OF app.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')
             PARTITION BY LIST (region);
         CREATE TABLE app.events_2026_eu PARTITION OF app.events_2026 FOR VALUES IN ('eu');
         CREATE TABLE app.events_2026_us PARTITION OF app.events_2026 FOR VALUES IN ('us');
         CREATE TABLE app.sessions (id bigint, token text) PARTITION BY HASH (id);
         CREATE TABLE app.sessions_0 PARTITION OF app.sessions FOR VALUES WITH (MODULUS 2, REMAINDER 0);
         CREATE TABLE app.sessions_1 PARTITION OF app.sessions FOR VALUES WITH (MODULUS 2, REMAINDER 1);
         INSERT INTO app.events SELECT g, CASE WHEN g % 2 = 0 THEN 'eu' ELSE 'us' END,
             date '2025-06-01' + (g % 400), repeat('x', 50) FROM generate_series(1, 20000) g;
         ANALYZE;",
    )
    .await;
    let cat = catalog::discover(&db.pool).await.unwrap();
    let rel = |name: &str| cat.relation("app", name).unwrap();
    assert_eq!(rel("events").partition_key.as_deref(), Some("RANGE (at)"));
    assert_eq!(rel("sessions").partition_key.as_deref(), Some("HASH (id)"));
    assert_eq!(
        rel("events_2026").partition_key.as_deref(),
        Some("LIST (region)")
    );
    assert_eq!(
        rel("events_2026_eu").partition_bound.as_deref(),
        Some("FOR VALUES IN ('eu')")
    );
    assert_eq!(
        rel("events_2025").partition_bound.as_deref(),
        Some("FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')")
    );
    assert_eq!(rel("events").partition_bound, None);

    let tables = indexpilot_engine::genome::table_summaries(&cat);
    let table = |name: &str| tables.iter().find(|t| t.name == name).unwrap();
    let leaves = ["events_2025", "events_2026_eu", "events_2026_us"];
    let rows: f64 = leaves.iter().map(|l| rel(l).row_estimate.unwrap()).sum();
    let bytes: i64 = leaves.iter().map(|l| rel(l).total_bytes).sum();
    assert_eq!(rows, 20000.0);
    let events = table("events");
    assert_eq!(events.partitions, 3, "leaves at every level");
    assert_eq!(events.row_estimate, Some(rows));
    assert_eq!(events.total_bytes, bytes);
    assert!(bytes > 0);
    assert_eq!(table("events_2026").partitions, 2);
    assert_eq!(table("sessions").partitions, 2);
    assert_eq!(table("events_2025").partitions, 0);

    // The CLI lists the partitioned tables, not their partitions.
    harness::cli::on(&db.url, &["init"]).ok();
    let text = harness::cli::on(&db.url, &["discover"]).ok().stdout;
    assert!(
        text.contains("partitioned RANGE (at), 3 partitions"),
        "{text}"
    );
    assert!(
        text.contains("partitioned HASH (id), 2 partitions"),
        "{text}"
    );
    assert!(!text.contains("events_2025"), "{text}");
    assert!(
        text.contains("8 relations (6 of them partitions)"),
        "{text}"
    );
}

/// A DBA's transaction holding a table's ACCESS EXCLUSIVE lock past IndexPilot's
/// lock_timeout (5 s) while the catalog is read: the read waits for it, says whose lock it
/// is, and returns the whole catalog once the lock is released. On every major (this test
/// is in the majors suite): where reading index definitions takes the table's lock, the
/// read outlasts the lock and must have said so.
#[tokio::test]
async fn discovery_waits_for_another_sessions_lock_and_says_whose() {
    let db = fresh_db().await;
    db.exec("CREATE SCHEMA app; CREATE TABLE app.events (id int PRIMARY KEY, kind int)")
        .await;
    let release = db
        .hold_exclusive_lock("app.events", Duration::from_secs(7))
        .await;
    let steps = Steps::default();
    let started = Instant::now();
    let cat = catalog::discover_reporting(&db.pool, &steps, 0.5)
        .await
        .unwrap();
    release.await.unwrap();
    let events = cat
        .relation("app", "events")
        .expect("app.events discovered");
    assert!(
        events.indexes.iter().any(|i| i.name == "events_pkey"),
        "{:?}",
        events.indexes
    );
    let seen = steps.seen();
    if started.elapsed() >= Duration::from_secs(6) {
        assert!(
            seen.iter()
                .any(|s| s.starts_with("waiting for pid") && s.contains("on app.events")),
            "{seen:#?}"
        );
    }
}
