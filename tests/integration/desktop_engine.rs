//! The engine calls behind the desktop app, against a real PostgreSQL: saved connections,
//! "test connection", the genome browser and the tenant × field matrix.

use crate::fixtures::SHOP;
use harness::cli::on;
use harness::{cluster, fresh_db, PASSWORD};
use indexpilot_engine::expression::{self, ExpressionToggle};
use indexpilot_engine::local::{
    ConnectionInput, ConnectionTarget, LocalStore, MemorySecrets, SecretStore,
};
use indexpilot_engine::settings::Tenancy;
use indexpilot_engine::{connect, genome, probe, Actor, FieldRef, SslMode};

fn fields_target(db: &str) -> ConnectionTarget {
    ConnectionTarget::Fields {
        host: "127.0.0.1".into(),
        port: cluster().port(),
        database: db.into(),
        user: "postgres".into(),
        sslmode: SslMode::Disable,
        sslrootcert: None,
    }
}

#[tokio::test]
async fn a_saved_connection_connects_with_the_password_from_the_secret_store() {
    let db = fresh_db().await;
    let store = LocalStore::in_memory().await.unwrap();
    let secrets = MemorySecrets::default();
    let input = ConnectionInput {
        id: None,
        label: "test".into(),
        colour: "#112233".into(),
        read_only: false,
        target: fields_target(&db.name),
        password: Some(PASSWORD.into()),
        forget_password: false,
    };
    let saved = store.save_connection(&secrets, input).await.unwrap();
    let secret = secrets.get(&saved.id).unwrap();
    let opts = saved.target.options(secret.as_ref()).unwrap();
    let pool = connect(&opts).await.unwrap();
    let one: i32 = sqlx::query_scalar("SELECT 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(one, 1);
    // Without the password the server refuses: the secret store really is the source.
    let err = connect(&saved.target.options(None).unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(err.code(), "auth_failed" | "connection_rejected"),
        "{err}"
    );
}

#[tokio::test]
async fn test_connection_reports_version_extensions_metadata_and_role() {
    let db = fresh_db().await;
    let opts = indexpilot_engine::ConnectOptions::resolve(Some(&db.url)).unwrap();
    let r = probe::test_connection(&opts).await.unwrap();
    assert!(r.server_version_num >= 130_000, "{}", r.server_version);
    assert!(r.pg_stat_statements.available && r.pg_stat_statements.installed);
    assert_eq!(r.pg_stat_statements.preloaded, Some(true));
    assert!(
        r.hypopg.available,
        "HypoPG must be installed for the advisor (postgresql-15-hypopg)"
    );
    assert!(!r.hypopg.installed);
    assert_eq!(r.hypopg.preloaded, Some(false));
    assert!(!r.metadata_present && r.metadata_version.is_none());
    assert!(r.role.superuser && r.role.can_create_schema && r.role.owns_database);
    assert!(!r.target.contains(PASSWORD));

    on(&db.url, &["init"]).ok();
    let r = probe::test_connection(&opts).await.unwrap();
    assert_eq!(r.metadata_version, Some(r.latest_metadata_version));

    db.exec(&format!(
        "CREATE ROLE viewer_{} LOGIN PASSWORD 'v-pw'",
        db.name
    ))
    .await;
    let weak = indexpilot_engine::ConnectOptions::resolve(Some(
        &db.url_as(&format!("viewer_{}", db.name), "v-pw"),
    ))
    .unwrap();
    let r = probe::test_connection(&weak).await.unwrap();
    assert!(!r.role.superuser && !r.role.can_create_schema && !r.role.can_use_metadata);
    assert!(
        r.metadata_present && r.metadata_version.is_none(),
        "present but unreadable for this role"
    );
    assert_eq!(
        r.pg_stat_statements.preloaded, None,
        "the setting is hidden from this role"
    );
}

#[tokio::test]
async fn the_genome_browser_joins_flags_keys_indexes_and_tenant_settings() {
    let db = fresh_db().await;
    db.exec(SHOP).await;
    on(&db.url, &["init"]).ok();
    on(
        &db.url,
        &[
            "fields",
            "enable",
            "--tenant",
            "3",
            "shop.customers.custom_region",
        ],
    )
    .ok();
    let b = genome::browse(&db.pool).await.unwrap();
    let row = |t: &str, f: &str| {
        b.fields
            .iter()
            .find(|r| r.table_name == t && r.field_name == f)
            .unwrap()
    };
    assert!(row("customers", "id").is_primary_key && row("customers", "id").is_unique);
    assert!(row("customers", "tenant_id").is_foreign_key);
    assert!(
        !row("customers", "email").is_unique,
        "unique only together with tenant_id"
    );
    assert_eq!(
        row("customers", "custom_region").indexed_by,
        ["customers_region_partial_idx"]
    );
    assert_eq!(row("customers", "custom_region").enabled_tenants, 1);
    assert!(b.feature_groups.contains(&"custom".to_string()));
    let orders = b.tables.iter().find(|t| t.name == "orders").unwrap();
    assert_eq!(
        orders.kind,
        indexpilot_engine::catalog::RelationKind::Partitioned
    );
    assert_eq!(orders.field_count, 6);
    let customers = b.tables.iter().find(|t| t.name == "customers").unwrap();
    assert!(customers
        .indexes
        .iter()
        .any(|i| i.name == "customers_lower_email_idx"));
    assert_eq!(customers.row_estimate, Some(300.0));
}

#[tokio::test]
async fn matrix_toggles_are_atomic_and_logged() {
    let db = fresh_db().await;
    db.exec(SHOP).await;
    on(&db.url, &["init"]).ok();
    let actor = Actor::named("dba");
    let tenancy = Tenancy::default();
    let region = FieldRef::new("shop", "customers", "custom_region");
    let row: Vec<ExpressionToggle> = ["1", "2", "3"]
        .iter()
        .map(|t| ExpressionToggle {
            tenant_id: t.to_string(),
            field: region.clone(),
            enabled: true,
        })
        .collect();
    let changes = expression::set_many(&db.pool, &actor, &tenancy, &row, Some("bulk"))
        .await
        .unwrap();
    assert!(changes.iter().all(|c| c.changed && c.mutation_id.is_some()));

    let m = expression::matrix(&db.pool, &tenancy, "custom")
        .await
        .unwrap();
    assert_eq!(m.tenants.len(), 5);
    assert_eq!(m.fields.len(), 1);
    assert_eq!(m.cells.len(), 3);

    // One bad toggle fails the whole batch: nothing of it is applied or logged.
    let before = db
        .scalar_i64("SELECT count(*) FROM indexpilot.mutation_log")
        .await;
    let mixed = vec![
        ExpressionToggle {
            tenant_id: "4".into(),
            field: region.clone(),
            enabled: true,
        },
        ExpressionToggle {
            tenant_id: "4".into(),
            field: FieldRef::new("shop", "customers", "nope"),
            enabled: true,
        },
    ];
    let err = expression::set_many(&db.pool, &actor, &tenancy, &mixed, None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert_eq!(
        db.scalar_i64("SELECT count(*) FROM indexpilot.mutation_log")
            .await,
        before
    );
    assert_eq!(
        expression::matrix(&db.pool, &tenancy, "custom")
            .await
            .unwrap()
            .cells
            .len(),
        3
    );
}

#[tokio::test]
async fn sync_applies_only_the_reviewed_plan() {
    let db = fresh_db().await;
    db.exec(SHOP).await;
    on(&db.url, &["init"]).ok();
    let actor = Actor::named("dba");
    db.exec("ALTER TABLE shop.customers ADD COLUMN nickname text")
        .await;
    let reviewed = genome::sync(&db.pool, &actor, true).await.unwrap();
    assert_eq!(reviewed.change_count(), 1);

    // The schema moves on after the review: nothing is applied.
    db.exec("ALTER TABLE shop.customers ADD COLUMN surname text")
        .await;
    let err = genome::sync_reviewed(&db.pool, &actor, &reviewed.fingerprint)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "plan_changed");
    assert_eq!(
        db.scalar_i64("SELECT count(*) FROM indexpilot.mutation_log WHERE kind = 'schema_change'")
            .await,
        0
    );

    let fresh = genome::sync(&db.pool, &actor, true).await.unwrap();
    assert_ne!(fresh.fingerprint, reviewed.fingerprint);
    let applied = genome::sync_reviewed(&db.pool, &actor, &fresh.fingerprint)
        .await
        .unwrap();
    assert_eq!(applied.change_count(), 2);
    assert_eq!(
        db.scalar_i64("SELECT count(*) FROM indexpilot.mutation_log WHERE kind = 'schema_change'")
            .await,
        2
    );
}

/// A read-only connection's sessions are read-only on the server: the engine's paths that
/// write refuse in one line before writing, and the reading ones (workload, field usage)
/// work and write nothing, however the engine is called.
#[tokio::test]
async fn a_read_only_connection_is_read_only_on_the_server() {
    let db = fresh_db().await;
    db.exec(SHOP).await;
    on(&db.url, &["init"]).ok();
    on(&db.url, &["collect"]).ok();
    db.exec("SELECT count(*) FROM shop.orders WHERE tenant_id = 3")
        .await;
    let opts = connect::ConnectOptions::resolve(Some(&db.url))
        .unwrap()
        .with_read_only(true);
    let pool = connect(&opts).await.unwrap();
    let cached = "SELECT count(*) FROM indexpilot.statements WHERE analysis IS NOT NULL";
    let before = db.scalar_i64(cached).await;

    let e = indexpilot_engine::workload::collect::collect_once(&pool)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "read_only_server", "{e}");
    assert!(e.to_string().contains("read-only"), "{e}");
    let report = indexpilot_engine::workload::usage::workload(&pool, 50, None)
        .await
        .unwrap();
    assert!(report.total_statements > 0);
    indexpilot_engine::workload::usage::field_usage(&pool, None)
        .await
        .unwrap();
    assert_eq!(db.scalar_i64(cached).await, before, "no analysis cached");

    // Not only the engine's checks: the server refuses a write sent through these sessions.
    let e = sqlx::query("CREATE TABLE shop.pwned (id int)")
        .execute(&pool)
        .await
        .unwrap_err();
    assert_eq!(
        e.as_database_error().and_then(|d| d.code()).as_deref(),
        Some("25006"),
        "{e}"
    );
}

/// An OS keyring that cannot be used (locked, or no Secret Service running).
struct NoKeyring;

impl SecretStore for NoKeyring {
    fn get(&self, _: &str) -> indexpilot_engine::Result<Option<indexpilot_engine::Secret>> {
        Err(indexpilot_engine::Error::Keyring("no result found".into()))
    }
    fn set(&self, _: &str, _: &indexpilot_engine::Secret) -> indexpilot_engine::Result<()> {
        Err(indexpilot_engine::Error::Keyring("no result found".into()))
    }
    fn delete(&self, _: &str) -> indexpilot_engine::Result<()> {
        Err(indexpilot_engine::Error::Keyring("no result found".into()))
    }
}

/// Without a usable keyring, connections are still listed and opened: one without a saved
/// password never asks the keyring; one with a saved password says why it cannot be read,
/// and connects with a password typed for this session.
#[tokio::test]
async fn connections_list_and_open_without_a_usable_keyring() {
    let db = fresh_db().await;
    let store = LocalStore::in_memory().await.unwrap();
    let saved_with = |password: Option<&str>, label: &str| ConnectionInput {
        id: None,
        label: label.into(),
        colour: "#112233".into(),
        read_only: false,
        target: fields_target(&db.name),
        password: password.map(Into::into),
        forget_password: false,
    };
    let keyring = MemorySecrets::default();
    let with = store
        .save_connection(&keyring, saved_with(Some(PASSWORD), "with"))
        .await
        .unwrap();
    let without = store
        .save_connection(&keyring, saved_with(None, "without"))
        .await
        .unwrap();

    // The keyring is locked from now on.
    let listed = store.connections(&NoKeyring).await.unwrap();
    let flags: Vec<(String, bool)> = listed
        .iter()
        .map(|c| (c.label.clone(), c.has_password))
        .collect();
    assert_eq!(
        flags,
        [("with".to_string(), true), ("without".to_string(), false)]
    );

    let (_, opts) = store
        .connect_options(&NoKeyring, &without.id, None)
        .await
        .expect("no password saved: the keyring is not asked");
    assert_eq!(opts.target().database, db.name);

    let e = store
        .connect_options(&NoKeyring, &with.id, None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "password_unavailable");
    assert!(e.to_string().contains("no result found"), "{e}");
    assert!(e.hint().unwrap().contains("for this session"), "{e:?}");

    let (_, opts) = store
        .connect_options(
            &NoKeyring,
            &with.id,
            Some(indexpilot_engine::Secret::new(PASSWORD)),
        )
        .await
        .unwrap();
    let pool = connect(&opts).await.expect("the typed password connects");
    let one: i32 = sqlx::query_scalar("SELECT 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(one, 1);
}
