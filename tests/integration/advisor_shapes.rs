//! Shapes applications write that the advisor must see through: a statement whose cost adds
//! up over several tables (an ORM's correlated count subquery) needs an index on each.

use crate::advisor::{planted, proposals, run};
use harness::cli::on;
use serde_json::Value;

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
    let advice = on(
        &db.url,
        &["advise", "--json", "--dry-run", "--max-indexes", "2"],
    )
    .ok()
    .json();
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
