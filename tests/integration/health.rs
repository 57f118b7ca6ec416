//! `indexpilot health` against planted problems: unused, duplicate, redundant and invalid
//! indexes, foreign keys without an index, and a unique constraint that must never be offered
//! for dropping.

use harness::cli::on;
use harness::fresh_db;
use serde_json::Value;
use sqlx::Connection;
use std::time::Duration;

const PLANTED: &str = r"
CREATE SCHEMA app;
CREATE TABLE app.parents (id int PRIMARY KEY, name text);
INSERT INTO app.parents SELECT g, 'p' || g FROM generate_series(1, 100) g;
CREATE TABLE app.big (
    id int PRIMARY KEY,
    parent_id int REFERENCES app.parents (id),
    a int, b int, c int,
    email text,
    CONSTRAINT big_email_key UNIQUE (email)
);
INSERT INTO app.big
SELECT g, g % 100 + 1, g % 1000, g % 500, g % 300, 'user' || g || '@example.com'
FROM generate_series(1, 20000) g;
CREATE INDEX big_a_idx ON app.big (a);
CREATE INDEX big_b_idx ON app.big (b);
CREATE INDEX big_b_idx_copy ON app.big (b);
CREATE INDEX big_c_idx ON app.big (c);
CREATE INDEX big_c_a_idx ON app.big (c, a);
CREATE INDEX big_email_idx ON app.big (email);
CREATE TABLE app.small (id int, parent_id int REFERENCES app.parents (id));
INSERT INTO app.small SELECT g, g FROM generate_series(1, 10) g;
CREATE TABLE app.codes (v int);
INSERT INTO app.codes VALUES (1), (1);
ANALYZE;
";

fn findings<'a>(report: &'a Value, check: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check"] == check)
        .collect()
}

fn one<'a>(report: &'a Value, check: &str, index: &str) -> &'a Value {
    let found: Vec<&Value> = findings(report, check)
        .into_iter()
        .filter(|f| f["index"] == index)
        .collect();
    assert_eq!(found.len(), 1, "{check} {index}: {report:#}");
    found[0]
}

fn indexes(report: &Value, check: &str) -> Vec<String> {
    findings(report, check)
        .iter()
        .filter_map(|f| f["index"].as_str().map(str::to_string))
        .collect()
}

async fn idx_scan(db: &harness::TestDb, index: &str) -> i64 {
    sqlx::query("SELECT pg_stat_clear_snapshot()")
        .execute(&db.pool)
        .await
        .unwrap();
    sqlx::query_scalar(&format!(
        "SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelname = '{index}'"
    ))
    .fetch_one(&db.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn health_reports_planted_index_problems() {
    let db = fresh_db().await;
    // On a connection of its own, so that its counters are published when it exits.
    let mut setup = sqlx::PgConnection::connect(&db.url).await.unwrap();
    sqlx::raw_sql(PLANTED).execute(&mut setup).await.unwrap();
    setup.close().await.unwrap();
    // A failed concurrent build leaves an INVALID index behind.
    let failed = sqlx::query("CREATE UNIQUE INDEX CONCURRENTLY codes_v_key ON app.codes (v)")
        .execute(&db.pool)
        .await;
    assert!(failed.is_err());

    // Read through big_a_idx on a connection of its own; counters are published when it
    // flushes (forced here) or exits.
    let mut reader = sqlx::PgConnection::connect(&db.url).await.unwrap();
    sqlx::raw_sql(
        "SET enable_seqscan = off; SET enable_bitmapscan = off;
         SELECT count(*) FROM app.big WHERE a = 5;
         SELECT count(*) FROM app.big WHERE a = 7;",
    )
    .execute(&mut reader)
    .await
    .unwrap();
    harness::flush_stats(&mut reader).await;
    reader.close().await.unwrap();
    let (mut scans, mut inserted) = (0, 0);
    for _ in 0..100 {
        scans = idx_scan(&db, "big_a_idx").await;
        inserted = db
            .scalar_i64("SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = 'big'")
            .await;
        if scans > 0 && inserted == 20_000 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(scans > 0, "the planted read did not reach big_a_idx");
    assert_eq!(
        inserted, 20_000,
        "the setup connection's counters were not published"
    );
    let seq_before = db
        .scalar_i64("SELECT seq_scan FROM pg_stat_user_tables WHERE relname = 'big'")
        .await;

    let report = on(&db.url, &["health", "--json"]).ok().json();

    // Unused: the planted plain indexes, with the age of the statistics; never the index
    // that was read, the primary key or the unique constraint.
    let mut unused = indexes(&report, "unused-index");
    unused.sort();
    assert_eq!(
        unused,
        [
            "big_b_idx",
            "big_b_idx_copy",
            "big_c_a_idx",
            "big_c_idx",
            "big_email_idx"
        ],
        "{report:#}"
    );
    let u = one(&report, "unused-index", "big_b_idx");
    assert_eq!(u["ddl"], r#"DROP INDEX CONCURRENTLY "app"."big_b_idx";"#);
    assert_eq!(u["severity"], "info", "a fresh server has young statistics");
    let msg = u["message"].as_str().unwrap();
    assert!(
        msg.starts_with("Index big_b_idx on app.big has had no scans since ")
            && msg.contains("of statistics"),
        "{msg}"
    );
    assert_eq!(u["evidence"]["scans"], 0);
    assert!(u["evidence"]["size_bytes"].as_i64().unwrap() > 0);
    assert!(report["stats_since"].is_string());
    assert!(report["stats_age_days"].as_f64().unwrap() >= 0.0);

    // Duplicate: the copy, covered by the original.
    assert_eq!(indexes(&report, "duplicate-index"), ["big_b_idx_copy"]);
    let d = one(&report, "duplicate-index", "big_b_idx_copy");
    assert_eq!(d["evidence"]["covered_by"], "big_b_idx");
    assert_eq!(
        d["ddl"],
        r#"DROP INDEX CONCURRENTLY "app"."big_b_idx_copy";"#
    );

    // Redundant: a prefix of a wider index, and a plain twin of the unique constraint's index.
    let mut redundant = indexes(&report, "redundant-index");
    redundant.sort();
    assert_eq!(redundant, ["big_c_idx", "big_email_idx"], "{report:#}");
    let r = one(&report, "redundant-index", "big_c_idx");
    assert_eq!(r["evidence"]["covered_by"], "big_c_a_idx");
    assert_eq!(r["ddl"], r#"DROP INDEX CONCURRENTLY "app"."big_c_idx";"#);
    let r = one(&report, "redundant-index", "big_email_idx");
    assert_eq!(r["evidence"]["covered_by"], "big_email_key");
    assert_eq!(
        r["ddl"],
        r#"DROP INDEX CONCURRENTLY "app"."big_email_idx";"#
    );

    // Invalid: the failed concurrent build.
    assert_eq!(indexes(&report, "invalid-index"), ["codes_v_key"]);
    let i = one(&report, "invalid-index", "codes_v_key");
    assert_eq!(i["ddl"], r#"DROP INDEX CONCURRENTLY "app"."codes_v_key";"#);

    // Unindexed foreign key: on the large table only.
    let fks = findings(&report, "unindexed-foreign-key");
    assert_eq!(fks.len(), 1, "{report:#}");
    assert_eq!(fks[0]["table"], "big");
    assert_eq!(
        fks[0]["evidence"]["fk_columns"],
        serde_json::json!(["parent_id"])
    );
    assert_eq!(
        fks[0]["ddl"],
        r#"CREATE INDEX CONCURRENTLY ON "app"."big" ("parent_id");"#
    );

    // Nothing ever proposes dropping an index that enforces something.
    for f in report["findings"].as_array().unwrap() {
        let ddl = f["ddl"].as_str().unwrap_or_default();
        for protected in ["big_email_key", "big_pkey", "parents_pkey", "big_a_idx"] {
            assert!(!ddl.contains(protected), "{f:#}");
            assert_ne!(f["index"], protected, "{f:#}");
        }
    }

    // Fewer rows than the threshold: no foreign key finding; the human form says the window.
    let report = on(&db.url, &["health", "--json", "--min-table-rows", "100000"])
        .ok()
        .json();
    assert!(findings(&report, "unindexed-foreign-key").is_empty());
    let text = on(&db.url, &["health"]).ok().stdout;
    assert!(
        text.contains("index statistics since") && text.contains("redundant-index"),
        "{text}"
    );

    // Health read statistics and the catalog only: no table was scanned.
    tokio::time::sleep(Duration::from_millis(700)).await;
    sqlx::query("SELECT pg_stat_clear_snapshot()")
        .execute(&db.pool)
        .await
        .unwrap();
    let seq_after = db
        .scalar_i64("SELECT seq_scan FROM pg_stat_user_tables WHERE relname = 'big'")
        .await;
    assert_eq!(seq_before, seq_after);
}

/// A partitioned table's index is one index: its scans are its partitions' summed (a scan
/// of one partition is a scan of it), its parts are never reported on their own, and an
/// index that only some partitions have is a gap.
#[tokio::test]
async fn a_partitioned_tables_indexes_are_judged_as_one_and_gaps_are_reported() {
    let db = fresh_db().await;
    db.exec(
        "CREATE SCHEMA app;
         CREATE TABLE app.events (id int, tenant_id int, kind int, at date NOT NULL) PARTITION BY RANGE (at);
         CREATE TABLE app.events_1 PARTITION OF app.events FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');
         CREATE TABLE app.events_2 PARTITION OF app.events FOR VALUES FROM ('2026-02-01') TO ('2026-03-01');
         CREATE TABLE app.events_3 PARTITION OF app.events FOR VALUES FROM ('2026-03-01') TO ('2026-04-01');
         INSERT INTO app.events SELECT g, g % 50, g % 7, date '2026-01-01' + g % 90 FROM generate_series(1, 30000) g;
         CREATE INDEX events_tenant_idx ON app.events (tenant_id);
         CREATE INDEX events_tenant_copy ON app.events (tenant_id);
         CREATE INDEX events_kind_idx ON app.events (kind);
         CREATE INDEX events_1_at_idx ON app.events_1 (at);
         CREATE INDEX events_2_at_idx ON app.events_2 (at);
         ANALYZE;",
    )
    .await;
    // One partition's scan through a tenant index counts for the table's index.
    let mut reader = sqlx::PgConnection::connect(&db.url).await.unwrap();
    sqlx::raw_sql(
        "SET enable_seqscan = off; SET enable_bitmapscan = off;
         SELECT count(*) FROM app.events WHERE tenant_id = 3 AND at < '2026-02-01';",
    )
    .execute(&mut reader)
    .await
    .unwrap();
    harness::flush_stats(&mut reader).await;
    reader.close().await.unwrap();
    let mut scans = 0;
    for _ in 0..100 {
        sqlx::query("SELECT pg_stat_clear_snapshot()")
            .execute(&db.pool)
            .await
            .unwrap();
        scans = db
            .scalar_i64(
                "SELECT coalesce(sum(idx_scan), 0)::int8 FROM pg_stat_user_indexes
                 WHERE relname = 'events_1' AND indexrelname LIKE 'events_1_tenant%'",
            )
            .await;
        if scans > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(scans > 0, "the planted read did not reach a tenant index");
    let report = on(&db.url, &["health", "--json"]).ok().json();
    let unused = indexes(&report, "unused-index");
    assert!(
        unused.contains(&"events_kind_idx".to_string()),
        "{report:#}"
    );
    assert!(
        !(unused.contains(&"events_tenant_idx".to_string())
            && unused.contains(&"events_tenant_copy".to_string())),
        "the scanned tenant index is used: {unused:?}"
    );
    let parts: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid
         JOIN pg_class p ON p.oid = h.inhparent WHERE p.relkind = 'I'",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(parts.len(), 9);
    let all: Vec<&Value> = report["findings"].as_array().unwrap().iter().collect();
    assert!(
        !all.iter()
            .any(|f| parts.iter().any(|p| f["index"] == p.as_str())),
        "a partition's part is judged with its table's index: {report:#}"
    );
    let kind = one(&report, "unused-index", "events_kind_idx");
    assert_eq!(kind["ddl"], Value::Null, "{kind:#}");
    assert!(
        kind["help"].as_str().unwrap().contains("ACCESS EXCLUSIVE"),
        "{kind:#}"
    );
    // The duplicate is found on the table, once, not once per partition.
    let dups = indexes(&report, "duplicate-index");
    assert_eq!(dups, vec!["events_tenant_idx".to_string()], "{report:#}");
    // `at` is indexed on two of the three partitions.
    let gaps = findings(&report, "partition-index-gap");
    assert_eq!(gaps.len(), 1, "{report:#}");
    let message = gaps[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("2 of the 3 partitions of app.events have an index USING btree (at)")
            && message.ends_with("missing on events_3."),
        "{message}"
    );
}

/// `indexpilot overview`: what needs attention on one database, each counter from what it
/// counts. Before `init`, the server's facts and health (the metadata counters empty, and
/// said so); after, proposals waiting (from a run of the advisor), a change approved but not
/// built, the collector's snapshot, pg_stat_statements' fill. Reads only: the overview
/// records nothing.
#[tokio::test]
async fn the_overview_counts_what_needs_attention() {
    let db = fresh_db().await;
    db.exec(PLANTED).await;
    db.exec(
        "CREATE TABLE app.events (id bigint PRIMARY KEY, account int NOT NULL, note text);
         INSERT INTO app.events SELECT g, g % 5000, 'n' FROM generate_series(1, 100000) g;
         ANALYZE",
    )
    .await;
    let version = db
        .scalar_i64("SELECT current_setting('server_version_num')::int8")
        .await;

    let before = on(&db.url, &["--json", "overview"]).ok().json();
    assert_eq!(before["initialised"], false, "{before:#}");
    assert_eq!(before["server_version_num"], version);
    assert_eq!(before["standby"], false);
    assert_eq!(before["hypopg"], false);
    assert_eq!(before["proposals"]["creates"], 0);
    // One of the two identical indexes on app.big (b) is a duplicate: its size is what
    // dropping it frees.
    let copy = db
        .scalar_i64("SELECT pg_relation_size('app.big_b_idx_copy')")
        .await;
    assert_eq!(
        before["health"]["duplicate-index"]["findings"], 1,
        "{before:#}"
    );
    assert_eq!(before["health"]["duplicate-index"]["bytes"], copy);
    let text = on(&db.url, &["overview"]).ok().stdout;
    assert!(
        text.contains("not initialised here: `indexpilot init`"),
        "{text}"
    );

    on(&db.url, &["init"]).ok();
    // The workload is the application's reads, not the set-up's bulk inserts.
    db.exec("SELECT pg_stat_statements_reset()").await;
    let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
    for i in 0..400 {
        sqlx::query("SELECT id, note FROM app.events WHERE account = $1")
            .bind(i % 5000)
            .fetch_all(&pool)
            .await
            .unwrap();
    }
    let advice = on(&db.url, &["--json", "advise"]).ok().json();
    let creates = advice["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["kind"] == "create")
        .count();
    assert!(creates > 0, "{advice:#}");
    let first = advice["proposals"][0]["id"].as_i64().unwrap().to_string();
    on(&db.url, &["approve", &first]).ok();
    on(&db.url, &["collect", "--once"]).ok();
    let log_before = db
        .scalar_i64("SELECT count(*) FROM indexpilot.mutation_log")
        .await;

    let after = on(&db.url, &["--json", "overview"]).ok().json();
    assert_eq!(after["initialised"], true);
    // The approved one is no longer waiting: it is a change to build.
    assert_eq!(
        after["proposals"]["creates"].as_u64(),
        u64::try_from(creates - 1).ok(),
        "{after:#}"
    );
    assert_eq!(after["changes"]["approved"], 1, "{after:#}");
    let age = after["collector"]["age_seconds"].as_i64().unwrap();
    assert!((0..120).contains(&age), "{after:#}");
    let max = db
        .scalar_i64("SELECT current_setting('pg_stat_statements.max')::int8")
        .await;
    assert_eq!(after["statements"]["max"], max);
    assert!(after["statements"]["entries"].as_i64().unwrap() > 0);
    if version >= 140_000 {
        assert!(after["statements"]["dealloc"].is_i64(), "{after:#}");
    }
    assert_eq!(
        db.scalar_i64("SELECT count(*) FROM indexpilot.mutation_log")
            .await,
        log_before,
        "the overview records nothing"
    );
}

/// `overview --all` over the policy file's list: every database read at once, an
/// unreachable one (nothing listens) and a silent one (accepts, never answers) reported
/// without holding up the others, the rows ordered by what needs attention, no password
/// anywhere (it comes from a .pgpass), exit 1 because one could not be read. A password in
/// the list itself is refused before any connection.
#[tokio::test]
async fn the_overview_of_every_database_waits_for_none() {
    use std::io::Write;
    let quiet = fresh_db().await;
    let busy = fresh_db().await;
    on(&quiet.url, &["init"]).ok();
    on(&busy.url, &["init"]).ok();
    busy.exec(
        "CREATE SCHEMA app;
         CREATE TABLE app.t (id int PRIMARY KEY, b int);
         CREATE INDEX t_b ON app.t (b);
         CREATE INDEX t_b_copy ON app.t (b);",
    )
    .await;
    let port = harness::cluster().port();
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_port = silent.local_addr().unwrap().port();
    let refused_port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let dir = tempfile::tempdir().unwrap();
    let pgpass = dir.path().join("pgpass");
    let mut f = std::fs::File::create(&pgpass).unwrap();
    writeln!(f, "127.0.0.1:{port}:*:postgres:{}", harness::PASSWORD).unwrap();
    drop(f);
    std::fs::set_permissions(&pgpass, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let policy = dir.path().join("indexpilot.toml");
    std::fs::write(
        &policy,
        format!(
            "[overview]\ndatabases = [\n  \"postgres://postgres@127.0.0.1:{port}/{}\",\n  \"postgres://postgres@127.0.0.1:{silent_port}/nothing\",\n  \"host=127.0.0.1 port={port} user=postgres dbname={}\",\n  \"postgres://postgres@127.0.0.1:{refused_port}/gone\",\n]\n",
            quiet.name, busy.name
        ),
    )
    .unwrap();
    let args = [
        "--json",
        "--config",
        policy.to_str().unwrap(),
        "overview",
        "--all",
        "--timeout",
        "3",
    ];
    let env = [("PGPASSFILE", pgpass.to_str().unwrap())];
    let started = std::time::Instant::now();
    let r = harness::cli::run_with_env(&args, &env);
    let took = started.elapsed();
    assert_eq!(
        r.code, 1,
        "one database could not be read\n{}{}",
        r.stdout, r.stderr
    );
    // Concurrently: one time limit, not one per database.
    assert!(took < Duration::from_secs(8), "took {took:?}");
    let rows = r.json();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 4, "{rows:#?}");
    let states: Vec<&str> = rows.iter().map(|r| r["state"].as_str().unwrap()).collect();
    // Unread first, then the database with the duplicate index before the quiet one.
    assert_eq!(states[2..], ["read", "read"], "{rows:#?}");
    assert!(states[..2].contains(&"timed_out"), "{rows:#?}");
    assert!(states[..2].contains(&"failed"), "{rows:#?}");
    assert!(rows[2]["target"].as_str().unwrap().ends_with(&busy.name));
    assert!(rows[3]["target"].as_str().unwrap().ends_with(&quiet.name));
    assert!(
        rows[2]["attention"].as_i64().unwrap() > rows[3]["attention"].as_i64().unwrap(),
        "{rows:#?}"
    );
    assert_eq!(
        rows[2]["overview"]["health"]["duplicate-index"]["findings"], 1,
        "{rows:#?}"
    );
    assert!(!r.stdout.contains(harness::PASSWORD), "{}", r.stdout);

    // The same as a table, one line more per database that could not be read.
    let text = harness::cli::run_with_env(&args[1..], &env);
    assert_eq!(text.code, 1);
    assert!(text.stdout.contains("timed out"), "{}", text.stdout);
    drop(silent);

    // A password in the list is refused, naming its line, before anything connects.
    std::fs::write(
        &policy,
        format!(
            "[overview]\ndatabases = [\"postgres://postgres:{}@127.0.0.1:{port}/x\"]\n",
            harness::PASSWORD
        ),
    )
    .unwrap();
    let refused = harness::cli::run_with_env(&args, &env).user_error();
    assert!(
        refused.stderr.contains("holds a password"),
        "{}",
        refused.stderr
    );
    assert!(
        !refused.stderr.contains(harness::PASSWORD),
        "{}",
        refused.stderr
    );
}
