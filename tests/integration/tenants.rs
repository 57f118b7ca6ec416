//! Tenants and per-tenant field expression.

use harness::cli::on;
use harness::fresh_db;

const SKEWED: &str = "
CREATE SCHEMA app;
CREATE TABLE app.tenants (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE app.items (id bigserial PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES app.tenants (id),
                        title text, custom_colour text);
INSERT INTO app.tenants SELECT g, 'Tenant ' || g FROM generate_series(1, 12) g;
INSERT INTO app.items (tenant_id, title) SELECT 1, 'big ' || g FROM generate_series(1, 20000) g;
INSERT INTO app.items (tenant_id, title) SELECT 2, 'mid ' || g FROM generate_series(1, 2000) g;
INSERT INTO app.items (tenant_id, title) SELECT 3 + (g % 10), 'small ' || g FROM generate_series(1, 100) g;
ANALYZE;
";

#[tokio::test]
async fn tenants_are_listed_with_sizes_from_statistics_without_scanning() {
    let db = fresh_db().await;
    db.exec(SKEWED).await;
    on(&db.url, &["init"]).ok();
    let seq_before = seq_scans(&db, "items").await;

    let r = on(&db.url, &["--json", "tenants"]).ok().json();
    assert_eq!(r["tenant_key"], "tenant_id");
    assert_eq!(r["tenants_table"]["table"], "tenants");
    assert_eq!(r["tenants_table"]["name_column"], "name");
    let tenants = r["tenants"].as_array().unwrap();
    assert_eq!(
        tenants.len(),
        12,
        "every tenant of the tenants table is listed"
    );
    assert_eq!(tenants[0]["tenant_id"], "1");
    assert_eq!(tenants[0]["name"], "Tenant 1");
    assert_eq!(tenants[0]["measured"], true);
    let rows = |i: usize| tenants[i]["approx_rows"].as_i64().unwrap();
    assert!(
        (18_000..=22_000).contains(&rows(0)),
        "tenant 1 ≈ 20000 rows, got {}",
        rows(0)
    );
    assert!(
        (1_500..=2_500).contains(&rows(1)),
        "tenant 2 ≈ 2000 rows, got {}",
        rows(1)
    );
    assert!(rows(11) < 100, "small tenants stay small: {}", rows(11));
    assert!(tenants[0]["approx_bytes"].as_i64().unwrap() > 100_000);

    assert_eq!(
        seq_scans(&db, "items").await,
        seq_before,
        "listing tenants scanned a business table"
    );

    let text = on(&db.url, &["tenants"]).ok();
    assert!(text.stdout.contains("Tenant 1"), "{}", text.stdout);
}

#[tokio::test]
async fn unanalysed_tables_and_a_custom_tenant_key() {
    let db = fresh_db().await;
    db.exec(
        "CREATE TABLE public.docs (account text, body text);
         INSERT INTO public.docs SELECT CASE WHEN g % 4 = 0 THEN 'acme' ELSE 'globex' END, 'x' FROM generate_series(1, 4000) g;",
    )
    .await;
    on(&db.url, &["init"]).ok();
    let r = on(&db.url, &["--json", "tenants", "--tenant-key", "account"])
        .ok()
        .json();
    assert_eq!(r["unanalysed_tables"], serde_json::json!(["public.docs"]));
    db.exec("ANALYZE public.docs").await;
    on(&db.url, &["tenancy", "--tenant-key", "account", "--save"]).ok();
    let r = on(&db.url, &["--json", "tenants"]).ok().json();
    assert_eq!(r["tenant_key"], "account");
    let tenants = r["tenants"].as_array().unwrap();
    assert_eq!(tenants[0]["tenant_id"], "globex");
    assert_eq!(tenants[1]["tenant_id"], "acme");
    assert!(r["tenants_table"].is_null());
    let policy = db
        .scalar_i64("SELECT count(*) FROM indexpilot.mutation_log WHERE kind = 'policy_change'")
        .await;
    assert_eq!(policy, 1);
}

#[tokio::test]
async fn field_toggles_are_recorded_with_actor_and_reason() {
    let db = fresh_db().await;
    db.exec(SKEWED).await;
    on(&db.url, &["init"]).ok();
    let field = "app.items.custom_colour";

    let fields = on(
        &db.url,
        &[
            "--json", "fields", "list", "--tenant", "2", "--group", "custom",
        ],
    )
    .ok()
    .json();
    assert_eq!(fields[0]["field_name"], "custom_colour");
    assert_eq!(fields[0]["is_enabled"], false);
    assert_eq!(fields[0]["explicit"], false);

    let r = on(
        &db.url,
        &[
            "--json",
            "fields",
            "enable",
            "--tenant",
            "2",
            field,
            "--reason",
            "pilot customer",
        ],
    )
    .ok()
    .json();
    assert_eq!(
        (
            r["before"].as_bool(),
            r["after"].as_bool(),
            r["changed"].as_bool()
        ),
        (Some(false), Some(true), Some(true))
    );
    let (role, os_user, reason, tenant): (String, Option<String>, Option<String>, Option<String>) = sqlx::query_as(
        "SELECT actor_role, actor_os_user, details_json->>'reason', tenant_id FROM indexpilot.mutation_log
         WHERE kind = 'field_enable'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(role, "postgres");
    assert_eq!(os_user.as_deref(), Some("test-operator"));
    assert_eq!(reason.as_deref(), Some("pilot customer"));
    assert_eq!(tenant.as_deref(), Some("2"));

    // Enabling again changes nothing and logs nothing.
    let again = on(
        &db.url,
        &["--json", "fields", "enable", "--tenant", "2", field],
    )
    .ok()
    .json();
    assert_eq!(again["changed"], false);
    on(
        &db.url,
        &[
            "fields",
            "disable",
            "--tenant",
            "2",
            field,
            "--reason",
            "pilot over",
        ],
    )
    .ok();
    let kinds: Vec<String> = sqlx::query_scalar(
        "SELECT kind FROM indexpilot.mutation_log WHERE tenant_id = '2' ORDER BY id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(kinds, ["field_enable", "field_disable"]);

    let state = on(
        &db.url,
        &[
            "--json", "fields", "list", "--tenant", "2", "--group", "custom",
        ],
    )
    .ok()
    .json();
    assert_eq!(
        (
            state[0]["is_enabled"].as_bool(),
            state[0]["explicit"].as_bool()
        ),
        (Some(false), Some(true))
    );
    let explicit = on(&db.url, &["--json", "fields", "list"]).ok().json();
    assert_eq!(explicit.as_array().unwrap().len(), 1);

    let r = on(&db.url, &["fields", "enable", "--tenant", "999", field]).user_error();
    assert!(r.stderr.contains("tenant not found: 999"), "{}", r.stderr);
    let r = on(&db.url, &["fields", "enable", "--tenant", "abc", field]).user_error();
    assert!(r.stderr.contains("tenant not found"), "{}", r.stderr);
    let r = on(&db.url, &["fields", "enable", "--tenant", "2", "app.items"]).user_error();
    assert!(r.stderr.contains("schema.table.column"), "{}", r.stderr);
    let log = on(&db.url, &["log", "--kind", "field_disable"]).ok();
    assert!(
        log.stdout.contains("pilot over") && log.stdout.contains("test-operator"),
        "{}",
        log.stdout
    );
}

async fn seq_scans(db: &harness::TestDb, table: &str) -> i64 {
    // Backends publish their counters when they finish; give the CLI's backend that moment.
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    sqlx::query("SELECT pg_stat_clear_snapshot()")
        .execute(&db.pool)
        .await
        .unwrap();
    sqlx::query_scalar(&format!(
        "SELECT seq_scan FROM pg_stat_user_tables WHERE schemaname = 'app' AND relname = '{table}'"
    ))
    .fetch_one(&db.pool)
    .await
    .unwrap()
}
