//! `indexpilot demo`: a throwaway server with the CRM, a workload, and IndexPilot initialised.

use harness::cli::{on, run, run_with_env};
use indexpilot_engine::local::{LocalStore, MemorySecrets, STORE_FILE};
use std::os::unix::fs::PermissionsExt;

#[tokio::test]
async fn demo_starts_loads_runs_a_workload_and_stops() {
    let dir = tempfile::tempdir().unwrap();
    // The server runs as an unprivileged user when the tests run as root: let it in.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let data = dir.path().join("demo");
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port().to_string()
    };
    let data_arg = data.to_str().unwrap();
    let common = ["--data-dir", data_arg, "--port", port.as_str()];

    let mut args = vec![
        "--json", "demo", "--scale", "0.02", "--detach", "--burst", "400",
    ];
    args.extend_from_slice(&common);
    // The app's store lives in a scratch folder: a test never writes to the real one.
    let app_dir = dir.path().join("app");
    let app_env = [("INDEXPILOT_DATA_DIR", app_dir.to_str().unwrap())];
    let started = run_with_env(&args, &app_env).ok().json();
    let url = started["url"].as_str().unwrap().to_string();
    assert!(url.contains(&format!(":{port}/indexpilot_demo")), "{url}");
    assert!(started["fields"].as_u64().unwrap() > 40);

    // Tenants of very different sizes, from statistics.
    let tenants = on(&url, &["--json", "tenants"]).ok().json();
    let list = tenants["tenants"].as_array().unwrap();
    assert!(list.len() >= 20, "{} tenants", list.len());
    let biggest = list[0]["approx_rows"].as_i64().unwrap();
    let smallest = list.last().unwrap()["approx_rows"].as_i64().unwrap().max(1);
    assert!(
        biggest >= 20 * smallest,
        "sizes should differ widely: {biggest} vs {smallest}"
    );

    // Custom fields are off by default and switched on for some tenants.
    let explicit = on(&url, &["--json", "fields", "list", "--group", "custom"])
        .ok()
        .json();
    assert!(explicit.as_array().unwrap().len() >= 10);

    // The workload reached pg_stat_statements, under the application's own name.
    let opts = indexpilot_engine::ConnectOptions::resolve(Some(&url)).unwrap();
    let pool = indexpilot_engine::connect(&opts).await.unwrap();
    let statements: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_stat_statements
         WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND query ILIKE '%crm.%' AND calls > 0",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(
        statements >= 8,
        "only {statements} distinct workload statements recorded"
    );
    pool.close().await;

    let mut url_args = vec!["demo", "url"];
    url_args.extend_from_slice(&common);
    assert_eq!(run(&url_args).ok().stdout.trim(), url);

    // A second start reuses the running server and the loaded data.
    let again = run_with_env(&args, &app_env).ok().json();
    assert_eq!(again["url"], started["url"]);

    // The desktop app lists the demo database, once.
    let store = LocalStore::open(&app_dir.join(STORE_FILE)).await.unwrap();
    let saved = store.connections(&MemorySecrets::default()).await.unwrap();
    assert_eq!(saved.len(), 1, "{saved:?}");
    assert_eq!(saved[0].label, "IndexPilot demo");
    assert_eq!(
        saved[0].target.describe(),
        format!("postgres@127.0.0.1:{port}/indexpilot_demo")
    );

    let mut stop = vec!["--json", "demo", "stop"];
    stop.extend_from_slice(&common);
    assert_eq!(run(&stop).ok().json()["stopped"], true);
    let refused = std::net::TcpStream::connect(format!("127.0.0.1:{port}"));
    assert!(refused.is_err(), "the demo server still listens after stop");
}
