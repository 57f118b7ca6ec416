//! Live tests on a real cluster started from this machine's PostgreSQL binaries (through
//! `runuser -u postgres` when running as root). They never skip: without PostgreSQL they
//! fail with the message that says what to install.

use std::net::TcpStream;
use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

use indexpilot_demo::{
    cluster, dataset, workload, Cluster, ClusterOptions, ClusterState, DemoError, WorkloadOptions,
};
use sqlx::{Connection as _, PgConnection};

/// Unwraps with the error's one-line message instead of its `Debug` form.
fn ok<T>(result: Result<T, DemoError>) -> T {
    result.unwrap_or_else(|e| panic!("{e}"))
}

fn port_is_closed(port: u16) -> bool {
    TcpStream::connect(("127.0.0.1", port)).is_err()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dataset_and_workload_fill_pg_stat_statements() {
    let preload = vec!["pg_stat_statements".to_owned(), "pg_qualstats".to_owned()];
    let cluster = ok(Cluster::start(ClusterOptions {
        preload,
        ..ClusterOptions::default()
    }));
    let url = ok(cluster.create_database("crm test").await);
    let pool = ok(workload::connect(&url, 4).await);

    let report = ok(dataset::load(&pool, 0.02).await);
    for (table, rows) in &report.tables {
        assert!(*rows > 0, "{table} is empty: {report:?}");
    }
    assert_eq!(report.rows("tenants"), Some(40));
    assert_tenants_skewed(&pool).await;
    assert_eq!(ok(dataset::tenant_ids(&pool).await).len(), 40);
    let again = dataset::load(&pool, 0.01).await;
    assert!(matches!(again, Err(DemoError::SchemaExists)), "{again:?}");
    // The smallest useful scale keeps the skew.
    let options = dataset::LoadOptions {
        scale: 0.01,
        drop_existing: true,
    };
    let small = ok(dataset::load_with(&pool, options).await);
    assert!(
        small.rows("activities") < report.rows("activities"),
        "{small:?}"
    );
    assert_tenants_skewed(&pool).await;

    sqlx::raw_sql("CREATE EXTENSION pg_stat_statements; SELECT pg_stat_statements_reset();")
        .execute(&pool)
        .await
        .expect("pg_stat_statements");
    // Whatever the installed extensions, those reported as installed must really work.
    let qualstats = cluster::pg_qualstats_installed();
    for (installed, extension) in [
        (cluster::hypopg_installed(), "hypopg"),
        (qualstats, "pg_qualstats"),
    ] {
        if installed {
            sqlx::raw_sql(&format!("CREATE EXTENSION {extension}"))
                .execute(&pool)
                .await
                .unwrap_or_else(|e| panic!("{extension} reported installed: {e}"));
        }
    }
    let opts = WorkloadOptions {
        concurrency: 4,
        max_statements: Some(300),
        duration: None,
        seed: Some(7),
    };
    let (_stop, stop_rx) = tokio::sync::watch::channel(false);
    let run = ok(workload::run(&pool, opts, stop_rx).await);
    assert_eq!(run.executed, 300, "{run:?}");
    assert_eq!(run.errors, 0, "{:?}", run.first_errors);
    assert_eq!(run.templates.iter().map(|t| t.executed).sum::<u64>(), 300);

    let statements: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid \
         WHERE d.datname = current_database() AND s.calls > 0 \
         AND s.query LIKE '%crm.%' AND s.query NOT LIKE '%TABLESAMPLE%'",
    )
    .fetch_one(&pool)
    .await
    .expect("pg_stat_statements rows");
    assert!(
        statements >= 10,
        "only {statements} distinct statements recorded"
    );
    let executed_templates = run.templates.iter().filter(|t| t.executed > 0).count();
    assert!(i64::try_from(executed_templates).expect("small") >= statements.min(10));

    if qualstats {
        // Preloaded with sample_rate = 1, so the workload's predicates were all recorded.
        let predicates: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_qualstats")
            .fetch_one(&pool)
            .await
            .expect("pg_qualstats rows");
        assert!(predicates > 0, "pg_qualstats recorded nothing");
    }

    pool.close().await;
    let port = cluster.port();
    ok(cluster.stop());
    assert!(port_is_closed(port), "port {port} still open after stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_start_reuses_the_data_dir() {
    // Under /tmp with a traversable parent: as root the server runs as `postgres`.
    let base = tempfile::Builder::new()
        .prefix("indexpilot-reuse-")
        .tempdir_in("/tmp")
        .expect("temp dir");
    std::fs::set_permissions(base.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let data_dir = base.path().join("data");
    let opts = |password: &str| ClusterOptions {
        data_dir: Some(data_dir.clone()),
        password: Some(password.to_owned()),
        ..ClusterOptions::default()
    };

    let first = ok(Cluster::start(opts("first secret")));
    let first_port = first.port();
    ok(first.create_database("marker").await);
    ok(first.remember_database("marker"));
    assert_password_required(&first.url("marker")).await;
    drop(first);
    assert!(port_is_closed(first_port));
    assert!(
        data_dir.join("PG_VERSION").is_file(),
        "data dir removed on drop"
    );

    let second = ok(Cluster::start(opts("second secret")));
    assert_eq!(second.data_dir(), data_dir);
    // The database created by the first start is still there, and the new password works.
    let conn = PgConnection::connect(&second.url("marker"))
        .await
        .expect("reused cluster");
    conn.close().await.expect("close");
    let state = ok(ClusterState::read(&data_dir));
    assert_eq!(
        (state.port, state.database.as_deref()),
        (second.port(), Some("marker"))
    );
    drop(second);

    // keep_running leaves it up for a later `stop_data_dir` (indexpilot demo stop).
    let detached = ok(Cluster::start(ClusterOptions {
        keep_running: true,
        ..opts("third")
    }));
    let port = detached.port();
    drop(detached);
    assert!(
        !port_is_closed(port),
        "keep_running cluster stopped on drop"
    );
    assert!(ok(Cluster::stop_data_dir(&data_dir)));
    assert!(port_is_closed(port));
    assert!(
        !ok(Cluster::stop_data_dir(&data_dir)),
        "second stop found a server"
    );
}

async fn assert_tenants_skewed(pool: &sqlx::PgPool) {
    let (largest, smallest): (i64, i64) = sqlx::query_as(
        "SELECT max(n), min(n) FROM (SELECT count(*) AS n FROM crm.activities GROUP BY tenant_id) t",
    )
    .fetch_one(pool)
    .await
    .expect("per-tenant counts");
    assert!(
        largest >= 20 * smallest,
        "tenants too even: largest {largest}, smallest {smallest}"
    );
}

async fn assert_password_required(url: &str) {
    PgConnection::connect(url)
        .await
        .expect("connect with the password")
        .close()
        .await
        .expect("close");
    let without = url.replacen(":first%20secret@", "@", 1);
    assert_ne!(without, url);
    let err = PgConnection::connect(&without)
        .await
        .expect_err("connected without a password");
    assert!(err.to_string().contains("password"), "{err}");
}

#[test]
fn stopping_a_directory_without_a_cluster_says_so() {
    assert!(!ok(Cluster::stop_data_dir(Path::new(
        "/nonexistent/indexpilot"
    ))));
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("notes.txt"), "not a cluster").expect("write");
    let err = Cluster::stop_data_dir(dir.path()).expect_err("not a cluster");
    assert!(matches!(err, DemoError::NotADataDir(_)), "{err}");
}

/// The full-size dataset: load time and what the workload does on it (mean time per
/// statement). Not run by default: ~12 s of loading plus ~25 s of workload on two cores.
/// `cargo test -p indexpilot-demo -- --ignored --nocapture`
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "loads the scale-1 dataset and runs a workload (~40 s); run with --ignored"]
async fn scale_one_loads_within_a_minute() {
    let cluster = ok(Cluster::start(ClusterOptions::default()));
    let url = ok(cluster.create_database("crm").await);
    let pool = ok(workload::connect(&url, 4).await);
    let report = ok(dataset::load(&pool, 1.0).await);
    eprintln!(
        "scale 1.0 loaded in {:.1} s: {:?}",
        report.elapsed.as_secs_f64(),
        report.tables
    );
    assert!(report.elapsed.as_secs() < 60, "{report:?}");
    assert!(
        report.rows("activities").is_some_and(|n| n >= 900_000),
        "{report:?}"
    );

    let opts = WorkloadOptions {
        concurrency: 4,
        max_statements: Some(1_000),
        duration: None,
        seed: Some(1),
    };
    let (_stop, stop_rx) = tokio::sync::watch::channel(false);
    let run = ok(workload::run(&pool, opts, stop_rx).await);
    eprintln!(
        "{} statements in {:.1} s, {} errors",
        run.executed,
        run.elapsed.as_secs_f64(),
        run.errors
    );
    for t in &run.templates {
        let runs = u32::try_from(t.executed).unwrap_or(u32::MAX).max(1);
        let mean_ms = t.total_time.as_secs_f64() * 1000.0 / f64::from(runs);
        eprintln!(
            "  {:<26} {:>5} runs, mean {mean_ms:>7.1} ms",
            t.name, t.executed
        );
    }
    assert_eq!(run.errors, 0, "{:?}", run.first_errors);
}

#[test]
fn a_failed_start_quotes_the_server_log() {
    let taken = std::net::TcpListener::bind(("127.0.0.1", 0)).expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let err = Cluster::start(ClusterOptions {
        port: Some(port),
        ..ClusterOptions::default()
    })
    .expect_err("the port is taken");
    let message = err.to_string();
    assert!(matches!(err, DemoError::StartFailed { .. }), "{message}");
    assert!(
        message.contains("could not bind") || message.contains("in use"),
        "{message}"
    );
}
