//! Reasons the advisor gives after costing (the candidate stage's reasons are spec cases in
//! `crates/engine/tests/candidate_specs.rs`), each shown to be true.

use crate::advisor::{declined_code, planted, run};
use harness::cli::on;

/// Events spread over the table: every kind on every page.
const EVENTS: &str = "CREATE SCHEMA app;
    CREATE TABLE app.events (id int PRIMARY KEY, kind int NOT NULL, bucket int NOT NULL,
        payload text NOT NULL);
    INSERT INTO app.events SELECT g, g % 12, g % 5000, repeat('x', 60)
    FROM generate_series(1, 100000) g";

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
