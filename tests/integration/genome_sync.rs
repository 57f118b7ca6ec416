//! The genome: bootstrap defaults, curation that survives discovery, and sync.

use crate::fixtures::SHOP;
use harness::cli::on;
use harness::fresh_db;
use serde_json::Value;

fn field<'a>(list: &'a Value, table: &str, name: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|f| f["table_name"] == table && f["field_name"] == name)
        .unwrap_or_else(|| panic!("{table}.{name} not in genome"))
}

#[tokio::test]
async fn bootstrap_gives_every_field_sensible_defaults() {
    let db = fresh_db().await;
    db.exec(SHOP).await;
    on(&db.url, &["init"]).ok();
    let list = on(&db.url, &["--json", "genome", "list", "--schema", "shop"])
        .ok()
        .json();
    let live = db
        .scalar_i64(
            "SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
             WHERE c.relnamespace = 'shop'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
               AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition",
        )
        .await;
    assert_eq!(list.as_array().unwrap().len() as i64, live);

    let region = field(&list, "customers", "custom_region");
    assert_eq!(region["feature_group"], "custom");
    assert_eq!(region["default_expression"], false);
    assert_eq!(region["is_indexable"], true);
    assert_eq!(
        field(&list, "customers", "tenant_id")["feature_group"],
        "tenancy"
    );
    assert_eq!(
        field(&list, "customers", "raw")["is_indexable"],
        false,
        "json has no btree opclass"
    );
    assert_eq!(
        field(&list, "open_orders", "id")["is_indexable"],
        false,
        "views cannot be indexed"
    );
    assert_eq!(field(&list, "open_orders", "id")["table_kind"], "view");
    // A partitioned table is one table: its fields once, on it, none per partition.
    assert_eq!(field(&list, "orders", "id")["table_kind"], "partitioned");
    assert!(
        !list
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["table_name"] == "orders_2025"),
        "{list:#}"
    );
    assert_eq!(
        field(&list, "customers", "email")["field_type"],
        "shop.email"
    );
    assert_eq!(field(&list, "customers", "id")["is_primary_key"], true);
    assert_eq!(field(&list, "customers", "email")["is_required"], true);

    let boot = db
        .scalar_i64("SELECT count(*) FROM indexpilot.mutation_log WHERE kind = 'genome_bootstrap'")
        .await;
    assert_eq!(boot, 1);
}

#[tokio::test]
async fn curated_flags_survive_discovery_and_sync() {
    let db = fresh_db().await;
    db.exec(SHOP).await;
    on(&db.url, &["init"]).ok();
    on(
        &db.url,
        &[
            "genome",
            "set",
            "shop.customers.custom_region",
            "shop.customers.tags",
            "--indexable",
            "false",
            "--feature-group",
            "geo",
            "--reason",
            "low cardinality",
        ],
    )
    .ok();
    let edits = db
        .scalar_i64("SELECT count(*) FROM indexpilot.mutation_log WHERE kind = 'flag_edit'")
        .await;
    assert_eq!(edits, 2, "one flag_edit per field");
    let reason: String = sqlx::query_scalar(
        "SELECT details_json->>'reason' FROM indexpilot.mutation_log WHERE kind = 'flag_edit' AND field_name = 'tags'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(reason, "low cardinality");

    // A type change re-derives the defaults of uncurated flags, never of curated ones.
    db.exec("ALTER TABLE shop.customers ALTER COLUMN custom_region TYPE varchar(20)")
        .await;
    on(&db.url, &["discover"]).ok();
    on(&db.url, &["sync"]).ok();
    let list = on(
        &db.url,
        &["--json", "genome", "list", "--table", "shop.customers"],
    )
    .ok()
    .json();
    let region = field(&list, "customers", "custom_region");
    assert_eq!(region["field_type"], "character varying(20)");
    assert_eq!(region["is_indexable"], false);
    assert_eq!(region["feature_group"], "geo");
    assert_eq!(
        region["default_expression"], false,
        "uncurated flag keeps its default"
    );
    assert_eq!(
        region["curated_flags"],
        serde_json::json!(["feature_group", "is_indexable"])
    );

    let r = on(
        &db.url,
        &[
            "genome",
            "set",
            "shop.customers.nope",
            "--indexable",
            "true",
        ],
    )
    .user_error();
    assert!(
        r.stderr.contains("field not found: shop.customers.nope"),
        "{}",
        r.stderr
    );
    on(&db.url, &["genome", "set", "shop.customers.email"]).user_error();
}

#[tokio::test]
async fn sync_reports_then_applies_each_change_once() {
    let db = fresh_db().await;
    db.exec(SHOP).await;
    on(&db.url, &["init"]).ok();
    on(
        &db.url,
        &[
            "fields",
            "enable",
            "--tenant",
            "2",
            "shop.customers.custom_region",
        ],
    )
    .ok();
    db.exec(
        "ALTER TABLE shop.customers ADD COLUMN nickname text;
         ALTER TABLE shop.customers DROP COLUMN raw;
         ALTER TABLE shop.customers ALTER COLUMN profile TYPE json USING profile::json;
         ALTER TABLE shop.customers RENAME COLUMN custom_region TO custom_area;
         ALTER TABLE shop.tenants RENAME TO accounts;
         CREATE TABLE shop.coupons (code text PRIMARY KEY);",
    )
    .await;
    let log_before = db
        .scalar_i64("SELECT count(*) FROM indexpilot.mutation_log")
        .await;

    let dry = on(&db.url, &["--json", "sync", "--dry-run"]).ok().json();
    let plan = &dry["plan"];
    let names = |list: &Value, key: &str| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|f| f[key].as_str().unwrap().to_string())
            .collect()
    };
    let mut added = names(&plan["added"], "field");
    added.sort();
    assert_eq!(added, ["code", "nickname"]);
    assert_eq!(names(&plan["removed"], "field_name"), ["raw"]);
    assert_eq!(plan["type_changed"][0]["field"]["column"], "profile");
    assert_eq!(plan["type_changed"][0]["before"]["field_type"], "jsonb");
    assert_eq!(plan["type_changed"][0]["after"]["field_type"], "json");
    let renamed = plan["renamed"].as_array().unwrap();
    assert!(renamed
        .iter()
        .any(|r| r["from"]["column"] == "custom_region"
            && r["to"]["column"] == "custom_area"
            && r["what"] == "column"));
    assert_eq!(
        renamed.iter().filter(|r| r["what"] == "table").count(),
        2,
        "tenants(id, name) became accounts"
    );
    assert_eq!(plan["tables_added"], serde_json::json!(["shop.coupons"]));
    assert_eq!(plan["tables_removed"], serde_json::json!([]));
    assert_eq!(dry["changes"], 7);
    assert_eq!(
        db.scalar_i64("SELECT count(*) FROM indexpilot.mutation_log")
            .await,
        log_before,
        "dry run wrote"
    );

    let applied = on(&db.url, &["--json", "sync"]).ok().json();
    assert_eq!(applied["changes"], 7);
    let logged = db
        .scalar_i64("SELECT count(*) FROM indexpilot.mutation_log WHERE kind = 'schema_change'")
        .await;
    assert_eq!(logged, 7);
    // The renamed field kept its identity, so the tenant's setting followed it.
    let enabled = db
        .scalar_i64(
            "SELECT count(*) FROM indexpilot.expression_profile p JOIN indexpilot.genome_catalog g ON g.id = p.field_id
             WHERE g.field_name = 'custom_area' AND p.tenant_id = '2' AND p.is_enabled",
        )
        .await;
    assert_eq!(enabled, 1);
    let removed = db
        .scalar_i64("SELECT count(*) FROM indexpilot.genome_catalog WHERE field_name = 'raw' AND removed_at IS NOT NULL")
        .await;
    assert_eq!(removed, 1, "removed fields are kept, marked removed");

    let again = on(&db.url, &["--json", "sync"]).ok().json();
    assert_eq!(again["changes"], 0);
    let text = on(&db.url, &["sync", "--dry-run"]).ok();
    assert!(text.stdout.contains("no differences"), "{}", text.stdout);
}
