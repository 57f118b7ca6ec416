//! Adversarial conditions a production database brings: IndexPilot's sessions never make an
//! application wait, text never becomes more than the one statement it claims to be (pasted
//! SQL, forged log rows), literals mean the same under any server setting, and credentials
//! typed in other sessions are never kept.

use crate::advisor::{planted, proposals, run};
use harness::cli::on;
use indexpilot_engine::advisor::explain::explain;
use indexpilot_engine::advisor::whatif::{PlanFailure, WhatIf, NOT_A_QUERY};
use indexpilot_engine::advisor::{IndexDef, KeyPart, Method};
use indexpilot_engine::change;
use indexpilot_engine::workload::collect::sample_activity;
use indexpilot_engine::Actor;
use indexpilot_engine::Error;
use sqlx::Connection;
use std::collections::BTreeMap;

/// Relation locks held by the one other backend of this database that sits in a transaction
/// (the what-if session between two of its statements).
async fn locks_of_the_idle_transaction(pool: &sqlx::PgPool) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT l.relation::regclass::text FROM pg_locks l
         JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
           AND a.state = 'idle in transaction' AND l.locktype = 'relation'
         ORDER BY 1",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

/// The what-if session is one long read-only transaction; every statement in it runs in a
/// subtransaction that is rolled back, so between statements it holds no lock on any
/// relation, and an application's `ALTER TABLE` goes through at once.
#[tokio::test]
async fn the_what_if_session_holds_no_relation_lock_between_statements() {
    let db = planted(
        "CREATE SCHEMA app;
         CREATE TABLE app.orders (id int PRIMARY KEY, customer int NOT NULL, note text);
         INSERT INTO app.orders SELECT g, g % 500, 'n' || g FROM generate_series(1, 20000) g",
    )
    .await;
    let mut w = WhatIf::open(&db.pool).await.unwrap();
    w.sample_pages(8);
    let hypo = w
        .create_statement("CREATE INDEX ON app.orders (customer)", false)
        .await
        .unwrap()
        .expect("hypothetical index");
    let plan = w
        .plan(
            "SELECT id FROM app.orders WHERE customer = $1 AND note LIKE 'n1%'",
            false,
            &BTreeMap::new(),
        )
        .await
        .unwrap()
        .expect("a plan");
    assert!(plan.cost > 0.0);
    // A text PostgreSQL refuses leaves nothing behind either.
    let refused = w
        .plan("SELECT nope FROM app.orders", false, &BTreeMap::new())
        .await
        .unwrap();
    assert!(refused.is_none());
    assert_eq!(
        locks_of_the_idle_transaction(&db.pool).await,
        Vec::<String>::new()
    );
    sqlx::raw_sql("SET lock_timeout = '2s'; ALTER TABLE app.orders ADD COLUMN flag boolean")
        .execute(&db.pool)
        .await
        .expect("ALTER TABLE waited for the what-if session");
    w.drop_hypo(hypo).await.unwrap();
    w.close().await.unwrap();
}

/// A password typed in another session never reaches IndexPilot's tables: the sampler keeps
/// only statements an index can serve. Samples are kept for the policy's retention.
#[tokio::test]
async fn credentials_typed_in_another_session_are_never_sampled_and_samples_expire() {
    let db = planted(
        "CREATE SCHEMA app;
         CREATE TABLE app.orders (id int PRIMARY KEY, customer int NOT NULL);
         INSERT INTO app.orders SELECT g, g % 500 FROM generate_series(1, 20000) g",
    )
    .await;
    let role = format!("hostile_{}", db.name);
    // Another session: a DBA sets a password, then sits idle (pg_stat_activity keeps
    // showing the text), and an application runs a query.
    let mut dba = sqlx::PgConnection::connect(&db.url).await.unwrap();
    sqlx::raw_sql(&format!(
        "CREATE ROLE {role}; ALTER ROLE {role} PASSWORD 'hunter2'"
    ))
    .execute(&mut dba)
    .await
    .unwrap();
    let mut app = sqlx::PgConnection::connect(&db.url).await.unwrap();
    sqlx::raw_sql("SELECT count(*) FROM app.orders WHERE customer = 7")
        .execute(&mut app)
        .await
        .unwrap();
    for _ in 0..3 {
        sample_activity(&db.pool).await.unwrap();
    }
    let texts: Vec<String> = sqlx::query_scalar("SELECT sample FROM indexpilot.statement_samples")
        .fetch_all(&db.pool)
        .await
        .unwrap();
    assert!(
        texts.iter().any(|t| t.contains("app.orders")),
        "the query was not sampled: {texts:?}"
    );
    assert!(!texts.iter().any(|t| t.contains("hunter2")), "{texts:?}");

    // A week-old sample goes at the next collection; a longer retention keeps it.
    let age = |days: i32| {
        let pool = db.pool.clone();
        async move {
            sqlx::query(
                "UPDATE indexpilot.statement_samples SET sampled_at = now() - make_interval(days => $1)",
            )
            .bind(days)
            .execute(&pool)
            .await
            .unwrap();
        }
    };
    // (A collection samples again: the application's session still shows its query.)
    let count = || {
        db.scalar_i64(
            "SELECT count(*) FROM indexpilot.statement_samples WHERE sampled_at < now() - interval '7 days'",
        )
    };
    on(
        &db.url,
        &["config", "set", "advisor.sample_retention", "30 days"],
    )
    .ok();
    age(8).await;
    on(&db.url, &["collect"]).ok();
    assert!(count().await > 0);
    on(
        &db.url,
        &["config", "set", "advisor.sample_retention", "default"],
    )
    .ok();
    on(&db.url, &["collect"]).ok();
    assert_eq!(count().await, 0);
    let bad = on(
        &db.url,
        &["config", "set", "advisor.sample_retention", "forever"],
    )
    .user_error();
    assert!(bad.stderr.contains("number of days"), "{}", bad.stderr);

    sqlx::raw_sql(&format!("DROP ROLE {role}"))
        .execute(&mut dba)
        .await
        .unwrap();
}

/// Text from the app's EXPLAIN box or from the workload is planned only when it is one
/// query or DML statement: a `COMMIT` in it can never end the read-only transaction, and
/// nothing after it runs.
#[tokio::test]
async fn a_text_with_more_than_one_statement_is_refused_and_nothing_runs() {
    let db = planted("CREATE TABLE public.t (id int PRIMARY KEY)").await;
    let hostile = "SELECT 1; COMMIT; CREATE TABLE public.pwned ()";
    let e = explain(&db.pool, hostile, None).await.unwrap_err();
    assert!(matches!(e, Error::InvalidInput(_)), "{e:?}");
    assert_eq!(e.to_string().lines().count(), 1, "{e}");
    assert!(e.to_string().contains("single statement"), "{e}");

    let mut w = WhatIf::open(&db.pool).await.unwrap();
    let planned = w.plan(hostile, false, &BTreeMap::new()).await.unwrap();
    assert!(planned.is_none());
    assert_eq!(
        w.failure(hostile).map(PlanFailure::message),
        Some(NOT_A_QUERY)
    );
    // The session is still usable, and still read-only.
    let ok = w
        .plan(
            "SELECT id FROM public.t WHERE id = $1",
            false,
            &BTreeMap::new(),
        )
        .await
        .unwrap();
    assert!(ok.is_some());
    w.close().await.unwrap();
    let made = db
        .scalar_i64("SELECT count(*) FROM pg_class WHERE relname = 'pwned'")
        .await;
    assert_eq!(made, 0);
}

/// Values from `pg_stats` are business data written into what-if SQL as literals; a server
/// set to `standard_conforming_strings = off` would read a backslash in one as an escape.
/// The engine's sessions force the setting on, so a value ending in a backslash is still
/// the custom plan's literal.
#[tokio::test]
async fn literals_keep_their_meaning_when_the_server_escapes_backslashes() {
    let db = planted(
        "CREATE TABLE public.paths (id int PRIMARY KEY, dir text NOT NULL);
         INSERT INTO public.paths SELECT g, 'C:\\dir' || (g % 100) || '\\' FROM generate_series(1, 5000) g",
    )
    .await;
    sqlx::raw_sql(&format!(
        "ALTER DATABASE {} SET standard_conforming_strings = off",
        db.name
    ))
    .execute(&db.pool)
    .await
    .unwrap();
    let opts = indexpilot_engine::ConnectOptions::resolve(Some(&db.url)).unwrap();
    let pool = indexpilot_engine::connect(&opts).await.unwrap();
    let on: String = sqlx::query_scalar("SHOW standard_conforming_strings")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(on, "on");

    let mut w = WhatIf::open(&pool).await.unwrap();
    // As the advisor writes a value from pg_stats: a literal with `'` doubled.
    let value = r"'C:\dir7\'".to_string();
    let plan = w
        .plan(
            "SELECT id FROM public.paths WHERE dir = $1",
            false,
            &BTreeMap::from([(1, value)]),
        )
        .await
        .unwrap()
        .expect("a plan");
    // The custom plan, with the value as it is (a generic plan would show `$1`).
    let tree = plan.tree.to_string();
    assert!(tree.contains(r"'C:\\dir7\\'"), "{tree}");
    w.close().await.unwrap();
}

/// Anyone with INSERT on `indexpilot.mutation_log` can add a row. What a change runs is
/// built from the typed definition that was proposed, never taken from the stored text,
/// and a row whose text and definition disagree is refused: nothing of it runs.
#[tokio::test]
async fn a_forged_log_row_never_runs_its_text() {
    let db = planted(
        "CREATE SCHEMA app;
         CREATE TABLE app.events (id int PRIMARY KEY, account int NOT NULL);
         INSERT INTO app.events SELECT g, g % 500 FROM generate_series(1, 20000) g;
         CREATE TABLE app.notes (id int PRIMARY KEY)",
    )
    .await;
    let def = IndexDef {
        schema: "app".into(),
        table: "events".into(),
        method: Method::Btree,
        keys: vec![KeyPart::column("account")],
        include: Vec::new(),
        predicate: None,
    };
    let id = change::propose_index(&db.pool, &Actor::named("test"), &def, "test")
        .await
        .unwrap();
    let forge = |ddl: &'static str, details: &'static str| {
        let pool = db.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(&format!(
                "INSERT INTO indexpilot.mutation_log (kind, status, schema_name, table_name, ddl, details_json)
                 SELECT kind, status, schema_name, table_name, {ddl}, {details}
                 FROM indexpilot.mutation_log WHERE id = $1 RETURNING id"
            ))
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    for forged in [
        // A second statement after the genuine one.
        forge("ddl || ' DROP TABLE app.notes;'", "details_json").await,
        // The genuine text, with a definition that would print a second statement.
        forge(
            "ddl",
            "jsonb_set(details_json, '{definition,keys,0,expression}', '\"account); DROP TABLE app.notes; --\"')",
        )
        .await,
    ] {
        let ids = forged.to_string();
        on(&db.url, &["approve", &ids]).ok();
        let e = on(&db.url, &["apply", &ids, "--wait"]).user_error();
        assert!(e.stderr.contains("was altered"), "{}", e.stderr);
    }
    let notes = db
        .scalar_i64("SELECT count(*) FROM pg_class WHERE oid = to_regclass('app.notes')")
        .await;
    assert_eq!(notes, 1);
    // The genuine proposal is untouched and applies.
    let ids = id.to_string();
    on(&db.url, &["approve", &ids]).ok();
    on(&db.url, &["apply", &ids, "--wait"]).ok();

    // Someone replaces the built index with another of the same name: a rollback drops
    // only the index the change built, so this one stays.
    let name = change::log::load_pool(&db.pool, id)
        .await
        .unwrap()
        .index_name;
    db.exec(&format!(
        "DROP INDEX app.{name}; CREATE INDEX {name} ON app.events (id)"
    ))
    .await;
    let e = on(&db.url, &["rollback", &ids]).user_error();
    assert!(e.stderr.contains("no longer the index"), "{}", e.stderr);
    let still = db
        .scalar_i64(&format!(
            "SELECT count(*) FROM pg_class WHERE oid = to_regclass('app.{name}')"
        ))
        .await;
    assert_eq!(still, 1);
}

/// A column named by a reserved word inside an expression index: every identifier the
/// engine prints is quoted where PostgreSQL would read a keyword, so the hypothetical
/// index exists, the statement is costed and the proposal builds.
#[tokio::test]
async fn a_reserved_word_column_inside_an_expression_is_quoted() {
    let db = planted(
        "CREATE SCHEMA app;
         CREATE TABLE app.items (id int PRIMARY KEY, \"order\" varchar(40) NOT NULL);
         INSERT INTO app.items SELECT g, 'Ref-' || g FROM generate_series(1, 200000) g",
    )
    .await;
    run(
        &db.pool,
        "SELECT id FROM app.items WHERE lower(\"order\") = lower($1)",
        200,
        |i| vec![format!("REF-{}", i * 97)],
    )
    .await;
    let advice = on(&db.url, &["advise", "--json", "--dry-run"]).ok().json();
    let ddl = proposals(&advice)
        .iter()
        .filter(|p| p["table"] == "items" && p["kind"] == "create")
        .find_map(|p| p["ddl"].as_str())
        .unwrap_or_else(|| panic!("no index on items: {advice:#}"))
        .to_string();
    assert!(ddl.contains("lower(") && ddl.contains("\"order\""), "{ddl}");
    sqlx::raw_sql(&ddl).execute(&db.pool).await.unwrap();
}

/// A role whose every transaction is read-only, as on a hot standby: `advise --dry-run`
/// reads pg_stat_statements as it stands and writes nothing anywhere; a command that must
/// write says so in one line.
#[tokio::test]
async fn a_read_only_role_runs_a_dry_run_and_writes_nothing() {
    let db = planted(
        "CREATE SCHEMA app;
         CREATE TABLE app.events (id int PRIMARY KEY, account int NOT NULL);
         INSERT INTO app.events SELECT g, g % 2000 FROM generate_series(1, 100000) g",
    )
    .await;
    run(
        &db.pool,
        "SELECT count(*) FROM app.events WHERE account = $1::int",
        200,
        |i| vec![(i % 2000).to_string()],
    )
    .await;
    let role = format!("reader_{}", db.name);
    db.exec(&format!(
        "CREATE ROLE {role} LOGIN PASSWORD 'r-pw';
         GRANT pg_read_all_stats TO {role};
         GRANT USAGE ON SCHEMA app, indexpilot TO {role};
         GRANT SELECT ON ALL TABLES IN SCHEMA app, indexpilot TO {role};
         ALTER ROLE {role} SET default_transaction_read_only = on"
    ))
    .await;
    let url = db.url_as(&role, "r-pw");
    let written = || {
        db.scalar_i64(
            "SELECT (SELECT count(*) FROM indexpilot.statements)
                  + (SELECT count(*) FROM indexpilot.pgss_snapshot)
                  + (SELECT count(*) FROM indexpilot.query_stats)
                  + (SELECT count(*) FROM indexpilot.mutation_log)
                  + (SELECT count(*) FROM indexpilot.statement_samples)
                  + (SELECT count(*) FROM indexpilot.statements WHERE analysis IS NOT NULL)",
        )
    };
    let before = written().await;
    let advice = on(&url, &["advise", "--json", "--dry-run"]).ok().json();
    assert!(
        proposals(&advice)
            .iter()
            .any(|p| p["table"] == "events" && p["kind"] == "create"),
        "{advice:#}"
    );
    assert_eq!(written().await, before);

    // The workload, field usage and health read, analyse and write nothing.
    let w = on(&url, &["--json", "workload"]).ok().json();
    assert!(
        w["statements"].as_array().is_some_and(|s| s
            .iter()
            .any(|s| s["query"].as_str().unwrap_or("").contains("app.events"))),
        "{w:#}"
    );
    on(&url, &["--json", "fields", "usage"]).ok();
    on(&url, &["--json", "health"]).ok();
    assert_eq!(written().await, before);

    // Commands that must write say why in one line, before writing anything.
    for args in [&["collect"][..], &["advise"], &["sync"]] {
        let e = on(&url, args).user_error();
        assert!(
            e.stderr
                .contains("this session is read-only (default_transaction_read_only"),
            "{args:?}: {}",
            e.stderr
        );
    }
    assert_eq!(written().await, before);
}

/// Quoted names everywhere at once: a schema with a space, a mixed-case table named by a
/// keyword, a tenant key with a space, a reserved-word column inside an expression. The
/// tenancy is found, the advice is costed and recorded, and the index is built, judged and
/// rolled back under the names PostgreSQL knows.
#[tokio::test]
async fn quoted_names_from_tenancy_to_rollback() {
    let db = planted(
        r#"CREATE SCHEMA "Billing Data";
         CREATE TABLE "Billing Data"."Tenant" ("Tenant Id" int PRIMARY KEY, name text);
         INSERT INTO "Billing Data"."Tenant" SELECT g, 't' || g FROM generate_series(1, 400) g;
         CREATE TABLE "Billing Data"."Order" (
             id int PRIMARY KEY,
             "Tenant Id" int NOT NULL REFERENCES "Billing Data"."Tenant",
             "select" varchar(40) NOT NULL);
         INSERT INTO "Billing Data"."Order"
             SELECT g, 1 + g % 400, 'Ref-' || g FROM generate_series(1, 200000) g"#,
    )
    .await;
    let tenancy = on(
        &db.url,
        &["--json", "tenancy", "--tenant-key", "Tenant Id", "--save"],
    )
    .ok()
    .json();
    assert_eq!(tenancy["tenancy"]["tenant_key"], "Tenant Id", "{tenancy:#}");
    assert_eq!(
        tenancy["tenants_table"]["key_column"], "Tenant Id",
        "{tenancy:#}"
    );
    let tenants = on(&db.url, &["--json", "tenants"]).ok().json();
    assert!(
        tenants.to_string().contains("\"Tenant\""),
        "the tenants table is found: {tenants:#}"
    );
    run(
        &db.pool,
        r#"SELECT id FROM "Billing Data"."Order" WHERE "Tenant Id" = $1::int AND lower("select") = lower($2)"#,
        300,
        |i| vec![(1 + i % 400).to_string(), format!("REF-{}", i * 97)],
    )
    .await;
    let advice = on(&db.url, &["advise", "--json"]).ok().json();
    let proposal = proposals(&advice)
        .iter()
        .find(|p| p["table"] == "Order" && p["kind"] == "create")
        .unwrap_or_else(|| panic!("no index on \"Order\": {advice:#}"))
        .clone();
    let ddl = proposal["ddl"].as_str().unwrap();
    assert!(
        ddl.contains(r#""Billing Data"."Order""#) && ddl.contains(r#""select""#),
        "{ddl}"
    );
    let ids = proposal["id"].to_string();
    on(&db.url, &["approve", &ids]).ok();
    on(&db.url, &["apply", &ids, "--wait"]).ok();
    let built = || {
        db.scalar_i64(
            r#"SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
               WHERE i.indrelid = '"Billing Data"."Order"'::regclass AND i.indisvalid
                 AND NOT i.indisprimary"#,
        )
    };
    assert_eq!(built().await, 1);
    on(&db.url, &["--json", "health"]).ok();
    on(&db.url, &["rollback", &ids]).ok();
    assert_eq!(built().await, 0);
}

/// A real hot standby (a copy of a cleanly stopped primary, started in recovery): the
/// workload, health and a dry run read what the primary collected and write nothing; a
/// command that must write says it is a standby, in one line, before writing anything.
#[tokio::test]
async fn a_hot_standby_reads_and_says_why_it_will_not_write() {
    use indexpilot_demo::cluster::{Cluster, ClusterOptions};
    let base = tempfile::Builder::new()
        .prefix("indexpilot-standby-")
        .tempdir_in("/tmp")
        .unwrap();
    let (primary_dir, standby_dir) = (base.path().join("primary"), base.path().join("standby"));
    let start = |dir: &std::path::Path| {
        Cluster::start(ClusterOptions {
            data_dir: Some(dir.to_path_buf()),
            preload: vec!["pg_stat_statements".into()],
            ..ClusterOptions::default()
        })
        .unwrap()
    };
    let primary = start(&primary_dir);
    let url = primary.create_database("app").await.unwrap();
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    sqlx::raw_sql(
        "CREATE EXTENSION pg_stat_statements; CREATE EXTENSION hypopg;
         CREATE SCHEMA app;
         CREATE TABLE app.events (id int PRIMARY KEY, account int NOT NULL);
         INSERT INTO app.events SELECT g, g % 2000 FROM generate_series(1, 100000) g;
         ANALYZE;
         SELECT pg_stat_statements_reset()",
    )
    .execute(&pool)
    .await
    .unwrap();
    on(&url, &["init"]).ok();
    on(&url, &["collect"]).ok();
    run(
        &pool,
        "SELECT count(*) FROM app.events WHERE account = $1::int",
        200,
        |i| vec![(i % 2000).to_string()],
    )
    .await;
    on(&url, &["collect"]).ok();
    // A hot standby needs WAL written at `replica` level (the throwaway cluster's is minimal).
    sqlx::query("ALTER SYSTEM SET wal_level = 'replica'")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    primary.stop().unwrap();
    start(&primary_dir).stop().unwrap();
    let copied = std::process::Command::new("cp")
        .arg("-a")
        .arg(&primary_dir)
        .arg(&standby_dir)
        .status()
        .unwrap();
    assert!(copied.success());
    std::fs::write(standby_dir.join("standby.signal"), "").unwrap();
    let standby = start(&standby_dir);
    let url = standby.url("app");
    let in_recovery: bool = sqlx::query_scalar("SELECT pg_is_in_recovery()")
        .fetch_one(&sqlx::PgPool::connect(&url).await.unwrap())
        .await
        .unwrap();
    assert!(in_recovery, "the copy runs as a hot standby");

    let w = on(&url, &["--json", "workload"]).ok().json();
    assert!(
        w["statements"].as_array().is_some_and(|s| s
            .iter()
            .any(|s| s["query"].as_str().unwrap_or("").contains("app.events"))),
        "the collected workload: {w:#}"
    );
    on(&url, &["--json", "health"]).ok();
    let advice = on(&url, &["advise", "--json", "--dry-run"]).ok().json();
    assert!(
        proposals(&advice)
            .iter()
            .any(|p| p["table"] == "events" && p["kind"] == "create"),
        "{advice:#}"
    );
    for args in [&["collect"][..], &["advise"], &["sync"]] {
        let e = on(&url, args).user_error();
        assert!(
            e.stderr
                .contains("hot standby (pg_is_in_recovery() is true)"),
            "{args:?}: {}",
            e.stderr
        );
    }
    standby.stop().unwrap();
}

/// The advisor plans thousands of texts. Sent as `EXPLAIN … EXECUTE name('a', 20)`, each
/// would be an entry of its own in pg_stat_statements (a utility statement is keyed by its
/// text before PostgreSQL 16), evicting the application's statements once the view is full.
/// Through `indexpilot.explain($1)` they are one entry (with the default `track = top`), and
/// every statement the application ran is still there after `advise`.
#[tokio::test]
async fn the_advisor_leaves_pg_stat_statements_to_the_application() {
    let db = planted(
        "CREATE SCHEMA app;
         CREATE TABLE app.a (id int PRIMARY KEY, x int, y int, note text);
         CREATE TABLE app.b (id int PRIMARY KEY, x int, y int, note text);
         INSERT INTO app.a SELECT g, g % 3000, g % 700, 'n' || g FROM generate_series(1, 60000) g;
         INSERT INTO app.b SELECT g, g % 3000, g % 700, 'n' || g FROM generate_series(1, 60000) g",
    )
    .await;
    // pg_stat_statements' default (the throwaway cluster tracks nested statements too).
    db.exec(&format!(
        "ALTER DATABASE {} SET pg_stat_statements.track = 'top'",
        db.name
    ))
    .await;
    for t in ["a", "b"] {
        for sql in [
            format!("SELECT id FROM app.{t} WHERE x = $1::int AND y > $2::int"),
            format!("SELECT count(*) FROM app.{t} WHERE y = $1::int AND note LIKE $2"),
        ] {
            run(&db.pool, &sql, 3, |i| vec![(i * 7).to_string(), "5".into()]).await;
        }
    }
    let app_entries = || {
        sqlx::query_scalar::<_, i64>(
            "SELECT queryid FROM pg_stat_statements
             WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
               AND query LIKE '%FROM app.%' ORDER BY 1",
        )
        .fetch_all(&db.pool)
    };
    let before = app_entries().await.unwrap();
    assert_eq!(before.len(), 4);
    on(&db.url, &["advise", "--json"]).ok();
    let texts = db.statement_texts().await;
    // IndexPilot's own entries are its fixed set of queries, however many plans it made (a
    // guessed filter's row estimate is still one EXPLAIN per distinct clause).
    let explains: Vec<&String> = texts
        .iter()
        .filter(|q| {
            q.trim_start()
                .to_uppercase()
                .starts_with("EXPLAIN (FORMAT JSON) EXECUTE")
        })
        .collect();
    assert!(
        explains.is_empty(),
        "{} EXPLAIN entries: {:#?}",
        explains.len(),
        &explains[..explains.len().min(5)]
    );
    let own = texts
        .iter()
        .filter(|q| indexpilot_engine::workload::collect::is_own(q))
        .count();
    assert!(own < 200, "IndexPilot's own entries: {own}");
    assert_eq!(app_entries().await.unwrap(), before);
}
