//! Operators only a GIN index serves: jsonb containment, array containment and substring
//! searches. HypoPG cannot create GIN indexes, so the advisor prices them itself; the
//! proposals say they are estimates, and a trigram index waits for pg_trgm, saying so.

use crate::advisor::{declined, declined_code, planted, proposals, run};
use harness::cli::on;
use serde_json::Value;

/// Listings as a marketplace keeps them: a few attributes in jsonb, a few tags, a title.
const ITEMS: &str = "CREATE SCHEMA app;
    CREATE TABLE app.items (id int PRIMARY KEY, price int NOT NULL, attrs jsonb NOT NULL,
        tags text[] NOT NULL, title text NOT NULL);
    INSERT INTO app.items
    SELECT g, g % 997,
        jsonb_build_object('color', 'c' || (g % 12), 'material', 'm' || (g % 10), 'brand', 'b' || (g % 300)),
        ARRAY['t' || (g % 120), 't' || ((g * 7) % 120)],
        'item ' || md5(g::text) || ' ' || (ARRAY['lamp', 'chair', 'table', 'rug', 'vase'])[1 + g % 5]
    FROM generate_series(1, 120000) g";

fn gin_on<'a>(advice: &'a Value, column: &str) -> Option<&'a Value> {
    proposals(advice).iter().find(|p| {
        p["kind"] == "create"
            && p["columns"][0] == column
            && p["ddl"].as_str().is_some_and(|d| d.contains("USING gin"))
    })
}

#[tokio::test]
async fn containment_gets_a_gin_index_priced_from_statistics_and_labelled_so() {
    let db = planted(ITEMS).await;
    run(
        &db.pool,
        "SELECT id, price FROM app.items WHERE attrs @> $1::jsonb",
        60,
        |i| {
            vec![format!(
                r#"{{"color": "c{}", "material": "m{}"}}"#,
                i % 12,
                i % 10
            )]
        },
    )
    .await;
    run(
        &db.pool,
        "SELECT id FROM app.items WHERE tags @> ARRAY[$1, $2]::text[] ORDER BY price LIMIT 24",
        60,
        |i| vec![format!("t{}", i % 120), format!("t{}", (i * 7 + 3) % 120)],
    )
    .await;
    let advice = on(&db.url, &["advise", "--json", "--dry-run"]).ok().json();
    let attrs = gin_on(&advice, "attrs").unwrap_or_else(|| panic!("{advice:#}"));
    assert!(
        attrs["ddl"].as_str().unwrap().contains("jsonb_path_ops"),
        "{attrs:#}"
    );
    assert_eq!(attrs["verified"], false, "{attrs:#}");
    assert!(
        attrs["reason"]
            .as_str()
            .unwrap()
            .contains("HypoPG cannot create GIN indexes"),
        "{attrs:#}"
    );
    let before = attrs["benefit"]["weighted_cost_before"].as_f64().unwrap();
    let after = attrs["benefit"]["weighted_cost_after"].as_f64().unwrap();
    assert!(after < before * 0.8, "{attrs:#}");
    assert!(
        attrs["estimated_size_bytes"].as_i64().unwrap() > 0,
        "{attrs:#}"
    );
    let tags = gin_on(&advice, "tags").unwrap_or_else(|| panic!("{advice:#}"));
    assert!(!tags["ddl"].as_str().unwrap().contains("_ops"), "{tags:#}");
}

#[tokio::test]
async fn a_substring_search_waits_for_pg_trgm_and_then_gets_a_trigram_index() {
    let db = planted(&format!("DROP EXTENSION IF EXISTS pg_trgm; {ITEMS}")).await;
    let search = "SELECT id FROM app.items WHERE title ILIKE '%' || $1 || '%'";
    run(&db.pool, search, 60, |i| {
        vec![format!("{:x}{:x}", i % 16, (i * 5) % 16)]
    })
    .await;
    let advice = on(&db.url, &["advise", "--json", "--dry-run"]).ok().json();
    assert_eq!(
        declined_code(&advice, "ILIKE"),
        "needs_extension",
        "{advice:#}"
    );
    let detail = declined(&advice, "ILIKE")["detail"].as_str().unwrap();
    assert!(detail.contains("CREATE EXTENSION pg_trgm"), "{detail}");

    db.exec("CREATE EXTENSION pg_trgm").await;
    let advice = on(&db.url, &["advise", "--json", "--dry-run"]).ok().json();
    let title = gin_on(&advice, "title").unwrap_or_else(|| panic!("{advice:#}"));
    assert!(
        title["ddl"].as_str().unwrap().contains("gin_trgm_ops"),
        "{title:#}"
    );
}
