//! Connection settings and every way connecting can go wrong: one clear line, exit code 2,
//! never the password.

use harness::cli::{on, run_with_env};
use harness::{cluster, fresh_db, PASSWORD};
use std::io::Write;

#[tokio::test]
async fn sessions_are_named_and_carry_timeouts() {
    let db = fresh_db().await;
    let (app, statement, lock): (String, String, String) = sqlx::query_as(
        "SELECT current_setting('application_name'), current_setting('statement_timeout'), current_setting('lock_timeout')",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(app, "indexpilot");
    assert_eq!(statement, "30s");
    assert_eq!(lock, "5s");
}

#[tokio::test]
async fn malformed_url() {
    let r = on(
        "postgres://someone:sekrit-pw@localhost:notaport/db",
        &["init"],
    )
    .user_error();
    assert!(
        r.stderr.contains("invalid connection settings"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("hint:"), "{}", r.stderr);
    assert!(!r.stderr.contains("sekrit-pw"));
}

#[tokio::test]
async fn refused_connection() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("postgres://u:sekrit-pw@127.0.0.1:{port}/db");
    let r = on(&url, &["init"]).user_error();
    assert!(r.stderr.contains("connection refused"), "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!("127.0.0.1:{port}")),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("sekrit-pw"));
}

#[tokio::test]
async fn wrong_password() {
    let db = fresh_db().await;
    let r = on(&db.url_as("postgres", "wrong-sekrit"), &["init"]).user_error();
    assert!(
        r.stderr
            .contains("password authentication failed for user \"postgres\""),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("PGPASSWORD"), "{}", r.stderr);
    assert!(!r.stderr.contains("wrong-sekrit"));
    // The JSON form carries the same code for scripts, and no password either.
    let j = on(&db.url_as("postgres", "wrong-sekrit"), &["--json", "init"]);
    assert_eq!(j.code, 2);
    assert_eq!(j.json()["error"]["code"], "auth_failed");
    assert!(!j.stdout.contains("wrong-sekrit"));
}

#[tokio::test]
async fn missing_database() {
    let url = format!(
        "postgres://postgres:{PASSWORD}@127.0.0.1:{}/no_such_db",
        cluster().port()
    );
    let r = on(&url, &["discover"]).user_error();
    assert!(
        r.stderr.contains("database \"no_such_db\" does not exist"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("createdb"), "{}", r.stderr);
    assert!(!r.stderr.contains(PASSWORD));
}

#[tokio::test]
async fn missing_privilege() {
    let db = fresh_db().await;
    let role = format!("weak_{}", db.name);
    db.exec(&format!("CREATE ROLE {role} LOGIN PASSWORD 'weak-pw'"))
        .await;
    let r = on(&db.url_as(&role, "weak-pw"), &["init"]).user_error();
    assert!(r.stderr.contains("permission denied"), "{}", r.stderr);
    assert!(r.stderr.contains("hint:"), "{}", r.stderr);
    // Nothing half-made was left behind.
    assert_eq!(
        db.scalar_i64("SELECT count(*) FROM pg_namespace WHERE nspname = 'indexpilot'")
            .await,
        0
    );
    // Initialised by its owner, the weak role still may not read the metadata: said clearly.
    on(&db.url, &["init"]).ok();
    let r = on(&db.url_as(&role, "weak-pw"), &["genome", "list"]).user_error();
    assert!(
        r.stderr.contains("permission denied for schema indexpilot"),
        "{}",
        r.stderr
    );
}

#[tokio::test]
async fn tls_required_but_not_offered() {
    let db = fresh_db().await;
    let r = on(&format!("{}?sslmode=require", db.url), &["init"]).user_error();
    assert!(r.stderr.contains("TLS"), "{}", r.stderr);
    assert!(r.stderr.contains("sslmode"), "{}", r.stderr);
}

#[tokio::test]
async fn pg_environment_and_pgpass() {
    let db = fresh_db().await;
    let dir = tempfile::tempdir().unwrap();
    let pgpass = dir.path().join("pgpass");
    let mut f = std::fs::File::create(&pgpass).unwrap();
    writeln!(f, "127.0.0.1:{}:*:postgres:{PASSWORD}", cluster().port()).unwrap();
    drop(f);
    std::fs::set_permissions(&pgpass, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let port = cluster().port().to_string();
    let env = [
        ("PGHOST", "127.0.0.1"),
        ("PGPORT", port.as_str()),
        ("PGUSER", "postgres"),
        ("PGDATABASE", db.name.as_str()),
        ("PGPASSFILE", pgpass.to_str().unwrap()),
    ];
    let r = run_with_env(&["--json", "init"], &env).ok();
    assert_eq!(
        r.json()["migrations"]["version"],
        indexpilot_engine::migrate::latest_version()
    );
    // A libpq key=value string works too.
    let kv = format!(
        "host=127.0.0.1 port={port} dbname={} user=postgres password={PASSWORD}",
        db.name
    );
    run_with_env(&["--database-url", &kv, "sync", "--dry-run"], &[]).ok();
}

#[tokio::test]
async fn connect_timeout_is_honoured() {
    // A socket that accepts TCP but never speaks PostgreSQL.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let started = std::time::Instant::now();
    let r = on(
        &format!("postgres://u@127.0.0.1:{port}/db?connect_timeout=1"),
        &["discover"],
    )
    .user_error();
    assert!(r.stderr.contains("timed out after 1 s"), "{}", r.stderr);
    assert!(started.elapsed() < std::time::Duration::from_secs(8));
    drop(silent);
}

#[tokio::test]
async fn verbose_logs_never_show_the_password() {
    let db = fresh_db().await;
    let r = on(&db.url, &["-vv", "init"]).ok();
    assert!(!r.stderr.is_empty(), "-vv should log something");
    assert!(!r.stderr.contains(PASSWORD) && !r.stdout.contains(PASSWORD));
    let r = on(&db.url_as("postgres", "wrong-sekrit"), &["-vv", "init"]);
    assert_eq!(r.code, 2);
    assert!(!r.stderr.contains("wrong-sekrit"), "{}", r.stderr);
}
