//! Shapes applications write that the advisor must see through: a statement whose cost adds
//! up over several tables (an ORM's correlated count subquery) needs an index on each.

use crate::advisor::{capped, planted, proposals, run};
use harness::cli::on;
use serde_json::Value;

/// The proposals of new indexes on `table`.
fn creates_on<'a>(advice: &'a Value, table: &str) -> Vec<&'a Value> {
    proposals(advice)
        .iter()
        .filter(|p| p["kind"] == "create" && p["table"] == table)
        .collect()
}

/// A proposal's key columns, in order.
fn columns(proposal: &Value) -> Vec<&str> {
    proposal["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn a_statement_over_two_tables_gets_an_index_on_each() {
    let db = planted(
        "CREATE SCHEMA desk;
        CREATE TABLE desk.tickets (id int PRIMARY KEY, assignee_id int, state text NOT NULL,
            updated_at timestamptz NOT NULL, title text NOT NULL);
        INSERT INTO desk.tickets
        SELECT g, g % 2000, CASE WHEN g % 5 = 0 THEN 'open' ELSE 'closed' END,
               now() - make_interval(mins => g), 'ticket ' || g
        FROM generate_series(1, 100000) g;
        CREATE TABLE desk.replies (id int PRIMARY KEY, ticket_id int NOT NULL, body text NOT NULL);
        INSERT INTO desk.replies SELECT g, 1 + (g * 7) % 100000, 'reply ' || g
        FROM generate_series(1, 150000) g",
    )
    .await;
    // One assignee's tickets, newest first, each with its number of replies: without an
    // index on replies every ticket scans them; without one on tickets the table is scanned.
    run(
        &db.pool,
        "SELECT t.id, t.title, (SELECT count(*) FROM desk.replies r WHERE r.ticket_id = t.id)
         FROM desk.tickets t WHERE t.assignee_id = $1::int ORDER BY t.updated_at DESC LIMIT 21",
        100,
        |i| vec![(i * 37 % 2000).to_string()],
    )
    .await;
    let advice = capped(&db.url, 2);
    let tables: Vec<&str> = proposals(&advice)
        .iter()
        .filter(|p| p["kind"] == "create")
        .filter_map(|p| p["table"].as_str())
        .collect();
    assert!(
        tables.contains(&"tickets") && tables.contains(&"replies"),
        "{tables:?}: {advice:#}"
    );
    let tickets: &Value = proposals(&advice)
        .iter()
        .find(|p| p["table"] == "tickets")
        .unwrap();
    assert_eq!(tickets["columns"][0], "assignee_id", "{tickets:#}");
}

/// A storefront's newest listings of one shop, where one shop holds most of the rows: read
/// backwards by time alone, the big shop's 24 come at once, a small shop's only after most
/// of the index. The index must serve both kinds of call, so the shop leads it.
#[tokio::test]
async fn a_limit_over_a_skewed_key_is_served_for_small_values_too() {
    let db = planted(
        "CREATE SCHEMA shop;
        CREATE TABLE shop.listings (id int PRIMARY KEY, seller_id int NOT NULL,
            created_at timestamptz NOT NULL, title text NOT NULL);
        INSERT INTO shop.listings
        SELECT g, CASE WHEN g % 10 < 6 THEN 1 ELSE 2 + g % 3000 END,
               now() - make_interval(mins => g), 'listing ' || g
        FROM generate_series(1, 150000) g",
    )
    .await;
    run(
        &db.pool,
        "SELECT id, title FROM shop.listings WHERE seller_id = $1::int ORDER BY created_at DESC LIMIT 24",
        120,
        |i| vec![if i % 4 == 0 { "1".into() } else { (2 + i * 7 % 3000).to_string() }],
    )
    .await;
    // The storefront's newest listings of all shops: an index on the time alone serves it,
    // and the big shop's page too.
    run(
        &db.pool,
        "SELECT id, title FROM shop.listings ORDER BY created_at DESC LIMIT 24",
        120,
        |_| vec![],
    )
    .await;
    let advice = on(&db.url, &["advise", "--json", "--dry-run"]).ok().json();
    let creates: Vec<&Value> = creates_on(&advice, "listings");
    assert!(
        creates.iter().any(|p| p["columns"][0] == "seller_id"),
        "{advice:#}"
    );
}

/// A project's issue count wants `(project_id) INCLUDE (id)` for an index-only scan, its
/// issue list (of a column too wide to include) `(project_id, created_at)`: two indexes,
/// while their merge serves both scans as one (`candidates::merged`, `select::fold`).
#[tokio::test]
async fn a_covering_index_on_a_key_prefix_of_another_is_merged_into_it() {
    let db = planted(
        "CREATE SCHEMA t;
        CREATE TABLE t.issues (id int PRIMARY KEY, project_id int NOT NULL,
            created_at timestamptz NOT NULL, title text NOT NULL, body text NOT NULL);
        INSERT INTO t.issues
        SELECT g, g % 200, timestamptz '2026-01-01' + g * interval '1 minute',
               'issue ' || g, repeat('x', 200)
        FROM generate_series(1, 200000) g",
    )
    .await;
    // All-visible pages: what makes an index-only scan cheap. The first VACUUM after the
    // load may leave pages unmarked; the next one marks them.
    for _ in 0..3 {
        db.exec("VACUUM (FREEZE, ANALYZE) t.issues").await;
        let unmarked = db
            .scalar_i64(
                "SELECT (relpages - relallvisible)::int8 FROM pg_class WHERE oid = 't.issues'::regclass",
            )
            .await;
        if unmarked == 0 {
            break;
        }
    }
    run(
        &db.pool,
        "SELECT count(id) FROM t.issues WHERE project_id = $1::int",
        100,
        |i| vec![(i * 7 % 200).to_string()],
    )
    .await;
    run(
        &db.pool,
        "SELECT id, body FROM t.issues WHERE project_id = $1::int ORDER BY created_at DESC LIMIT 20",
        100,
        |i| vec![(i * 13 % 200).to_string()],
    )
    .await;
    let advice = on(&db.url, &["advise", "--json", "--dry-run"]).ok().json();
    let creates: Vec<&Value> = proposals(&advice)
        .iter()
        .filter(|p| p["kind"] == "create")
        .collect();
    assert_eq!(creates.len(), 1, "{advice:#}");
    let p = creates[0];
    assert_eq!(
        p["columns"],
        serde_json::json!(["project_id", "created_at"]),
        "{p:#}"
    );
    assert_eq!(p["why"]["include"], serde_json::json!(["id"]), "{p:#}");
    assert_eq!(p["why"]["statements"], 2, "{p:#}");
}

/// An ORM's label filter: a correlated EXISTS whose probe pins the label as well as the
/// issue, beside the prefetch of an issue list's labels by issue. One index with the join
/// key first and the probe's `=` filter after it serves both: the probe reads only the
/// matching row, the prefetch reads by its leading key.
#[tokio::test]
async fn a_correlated_probe_gets_its_join_key_with_its_own_filter() {
    let db = planted(
        "CREATE SCHEMA t;
        CREATE TABLE t.issues (id int PRIMARY KEY, project_id int NOT NULL,
            created_at timestamptz NOT NULL, title text NOT NULL);
        INSERT INTO t.issues
        SELECT g, g % 400, timestamptz '2026-01-01' + g * interval '1 minute', 'issue ' || g
        FROM generate_series(1, 100000) g;
        CREATE TABLE t.issue_labels (id int PRIMARY KEY, issue_id int NOT NULL,
            label_id int NOT NULL, created_at timestamptz NOT NULL);
        INSERT INTO t.issue_labels
        SELECT g, 1 + (g * 7919) % 100000, g % 60, timestamptz '2026-01-01'
        FROM generate_series(1, 240000) g",
    )
    .await;
    db.exec("VACUUM ANALYZE t.issues, t.issue_labels").await;
    run(
        &db.pool,
        "SELECT \"t\".\"issues\".\"id\", \"t\".\"issues\".\"title\" FROM \"t\".\"issues\"
         WHERE (\"t\".\"issues\".\"project_id\" = $1::int AND EXISTS(SELECT 1 AS \"a\"
           FROM \"t\".\"issue_labels\" U1 WHERE (U1.\"label_id\" = $2::int
             AND U1.\"issue_id\" = (\"t\".\"issues\".\"id\")) LIMIT 1))
         ORDER BY \"t\".\"issues\".\"created_at\" DESC LIMIT 21",
        150,
        |i| vec![(i * 7 % 400).to_string(), (i * 11 % 60).to_string()],
    )
    .await;
    run(
        &db.pool,
        "SELECT \"t\".\"issue_labels\".\"issue_id\", \"t\".\"issue_labels\".\"label_id\"
         FROM \"t\".\"issue_labels\" WHERE \"t\".\"issue_labels\".\"issue_id\" = ANY($1::int[])",
        150,
        |i| {
            let ids: Vec<String> = (0..20)
                .map(|k| (1 + (i * 20 + k) * 37 % 100_000).to_string())
                .collect();
            vec![format!("{{{}}}", ids.join(","))]
        },
    )
    .await;
    let advice = capped(&db.url, 2);
    let labels: Vec<&Value> = creates_on(&advice, "issue_labels");
    assert_eq!(labels.len(), 1, "{advice:#}");
    assert_eq!(
        labels[0]["columns"],
        serde_json::json!(["issue_id", "label_id"]),
        "{:#}",
        labels[0]
    );
}

/// An order's lines, each joined to the stock of its product in its warehouse: the join
/// is on two columns of one table, so every probe pins both. One index on both reads only
/// the matching row; either column alone reads every warehouse's row of the product (or
/// every product's of the warehouse) and filters the rest.
#[tokio::test]
async fn a_join_on_two_columns_of_one_table_gets_one_index_on_both() {
    let db = planted(
        "CREATE SCHEMA w;
        CREATE TABLE w.stock (id int PRIMARY KEY, warehouse_id int NOT NULL,
            product_id int NOT NULL, on_hand int NOT NULL);
        INSERT INTO w.stock
        SELECT g, g % 100, g / 100, g % 37 FROM generate_series(0, 199999) g;
        CREATE TABLE w.order_lines (id int PRIMARY KEY, order_id int NOT NULL,
            warehouse_id int NOT NULL, product_id int NOT NULL, qty int NOT NULL);
        INSERT INTO w.order_lines
        SELECT g, g / 5, (g * 7) % 100, (g * 13) % 2000, 1 + g % 4
        FROM generate_series(0, 249999) g",
    )
    .await;
    db.exec("VACUUM ANALYZE w.stock, w.order_lines").await;
    run(
        &db.pool,
        "SELECT l.id, l.qty, s.on_hand FROM w.order_lines l
         JOIN w.stock s ON s.warehouse_id = l.warehouse_id AND s.product_id = l.product_id
         WHERE l.order_id = $1::int",
        150,
        |i| vec![(i * 331 % 50_000).to_string()],
    )
    .await;
    let advice = capped(&db.url, 2);
    let stock: Vec<&Value> = creates_on(&advice, "stock");
    assert_eq!(stock.len(), 1, "{advice:#}");
    let mut columns = columns(stock[0]);
    columns.sort_unstable();
    assert_eq!(columns, ["product_id", "warehouse_id"], "{:#}", stock[0]);
}

#[tokio::test]
async fn a_keyset_cursor_written_out_as_an_or_gets_the_equality_then_the_cursor_columns() {
    let db = planted(
        "CREATE SCHEMA shop;
        CREATE TABLE shop.favourites (id int PRIMARY KEY, buyer_id int NOT NULL,
            listing_id int NOT NULL, created_at timestamptz NOT NULL);
        INSERT INTO shop.favourites
        SELECT g, g % 5000, (g * 7) % 40000, now() - make_interval(mins => (g * 13) % 500000)
        FROM generate_series(1, 200000) g",
    )
    .await;
    db.exec("VACUUM ANALYZE shop.favourites").await;
    // The next page of a buyer's favourites after a cursor, as Rails and hand-written SQL
    // spell `(created_at, id) < ($2, $3)`.
    run(
        &db.pool,
        "SELECT f.id, f.listing_id, f.created_at FROM shop.favourites f
         WHERE f.buyer_id = $1::int
           AND (f.created_at < $2::timestamptz OR (f.created_at = $2::timestamptz AND f.id < $3::int))
         ORDER BY f.created_at DESC, f.id DESC LIMIT 24",
        150,
        |i| {
            vec![
                (i * 37 % 5000).to_string(),
                // 'now' is a timestamptz PostgreSQL reads: the first page.
                "now".to_string(),
                "1000000".to_string(),
            ]
        },
    )
    .await;
    let advice = capped(&db.url, 2);
    let favourites = creates_on(&advice, "favourites");
    assert_eq!(favourites.len(), 1, "{advice:#}");
    let columns = columns(favourites[0]);
    // The `=` inside the OR is no key before the buyer, nor a second created_at.
    assert_eq!(
        columns[..2],
        ["buyer_id", "created_at"],
        "{:#}",
        favourites[0]
    );
    let mut distinct = columns.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), columns.len(), "{:#}", favourites[0]);
}
