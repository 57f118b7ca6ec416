//! Awkward identifiers round-trip exactly: mixed case, reserved words, spaces, quotes,
//! unicode and 63-byte names, through discovery, the genome and the CLI.

use harness::cli::on;
use harness::fresh_db;
use indexpilot_engine::ident::quote_ident;
use indexpilot_engine::FieldRef;

#[tokio::test]
async fn awkward_names_round_trip() {
    let db = fresh_db().await;
    let long = "n".repeat(63);
    // 63 bytes of two-byte characters is the most PostgreSQL keeps.
    let long_unicode = format!("{}x", "é".repeat(31));
    assert_eq!(long_unicode.len(), 63);
    let schema = "Mixed Schema";
    let table = "select";
    let columns = [
        "CamelCase",
        "with space",
        "quo\"te",
        "ünïcødé",
        "order",
        long.as_str(),
        long_unicode.as_str(),
    ];
    let cols_sql: Vec<String> = columns
        .iter()
        .map(|c| format!("{} text", quote_ident(c)))
        .collect();
    db.exec(&format!(
        "CREATE SCHEMA {s}; CREATE TABLE {s}.{t} (tenant_id int, {cols});",
        s = quote_ident(schema),
        t = quote_ident(table),
        cols = cols_sql.join(", ")
    ))
    .await;
    on(&db.url, &["init"]).ok();

    let list = on(&db.url, &["--json", "genome", "list", "--schema", schema])
        .ok()
        .json();
    let mut got: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert_eq!(f["schema_name"], schema);
            assert_eq!(f["table_name"], table);
            f["field_name"].as_str().unwrap().to_string()
        })
        .collect();
    got.sort();
    let mut want: Vec<String> = columns
        .iter()
        .map(|c| c.to_string())
        .chain(["tenant_id".to_string()])
        .collect();
    want.sort();
    assert_eq!(got, want);

    // Every name can be addressed from the command line in its displayed (quoted) form.
    for c in columns {
        let f = FieldRef::new(schema, table, c).to_string();
        let r = on(
            &db.url,
            &["--json", "fields", "enable", "--tenant", "7", &f],
        )
        .ok()
        .json();
        assert_eq!(r["field"]["column"], c);
        assert_eq!(r["changed"], true);
    }
    let logged: Vec<String> = sqlx::query_scalar(
        "SELECT field_name FROM indexpilot.mutation_log WHERE kind = 'field_enable' ORDER BY field_name",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let mut expected: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
    expected.sort();
    assert_eq!(logged, expected);

    // Unquoted input folds to lower case, as in SQL: "Mixed Schema" needs its quotes.
    let r = on(
        &db.url,
        &[
            "fields",
            "enable",
            "--tenant",
            "7",
            "Mixed Schema.select.order",
        ],
    )
    .user_error();
    assert!(r.stderr.contains("field not found"), "{}", r.stderr);
}
