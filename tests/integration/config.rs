//! The policy file (`indexpilot.toml` or YAML) under the database's settings:
//! `indexpilot config show` names where each value came from, unknown keys are errors, and
//! the commands use the effective values.

use harness::cli::{binary, on, run_with_env};
use harness::{fresh_db, TestDb};
use serde_json::Value;
use std::path::Path;

async fn initialised() -> TestDb {
    let db = fresh_db().await;
    on(&db.url, &["init"]).ok();
    db
}

fn show(db: &TestDb, file: &Path) -> Vec<Value> {
    on(
        &db.url,
        &[
            "--json",
            "--config",
            file.to_str().unwrap(),
            "config",
            "show",
        ],
    )
    .ok()
    .json()
    .as_array()
    .cloned()
    .unwrap()
}

fn setting<'a>(all: &'a [Value], key: &str) -> &'a Value {
    all.iter()
        .find(|s| s["key"] == key)
        .unwrap_or_else(|| panic!("no {key} in {all:?}"))
}

const POLICY: &str = "# the team's policy
[tenancy]
tenant_key = \"account_id\"

[apply]
lock_timeout = \"2s\"
maintenance_windows = [\"daily 01:00-05:00\"]

[advisor]
max_indexes = 3
drops = false
";

#[tokio::test]
async fn each_value_says_whether_it_came_from_the_default_the_file_or_the_database() {
    let db = initialised().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("indexpilot.toml");
    std::fs::write(&file, POLICY).unwrap();
    let path = file.to_str().unwrap().to_string();

    let all = show(&db, &file);
    assert_eq!(setting(&all, "apply.lock_timeout")["value"], "2000 ms");
    assert_eq!(
        setting(&all, "apply.lock_timeout")["source"],
        serde_json::json!({"layer": "file", "path": path, "line": 6})
    );
    assert_eq!(
        setting(&all, "apply.maintenance_windows")["value"],
        "daily 01:00-05:00"
    );
    assert_eq!(setting(&all, "advisor.max_indexes")["value"], "3");
    assert_eq!(setting(&all, "advisor.drops")["value"], "off");
    assert_eq!(setting(&all, "tenancy.tenant_key")["value"], "account_id");
    assert_eq!(
        setting(&all, "apply.auto_rollback")["source"]["layer"],
        "default"
    );

    // The database wins over the file; `default` hands the key back to the file.
    on(&db.url, &["config", "set", "apply.lock_timeout", "9s"]).ok();
    on(&db.url, &["config", "set", "advisor.max_indexes", "5"]).ok();
    let all = show(&db, &file);
    assert_eq!(setting(&all, "apply.lock_timeout")["value"], "9000 ms");
    assert_eq!(
        setting(&all, "apply.lock_timeout")["source"]["layer"],
        "database"
    );
    assert_eq!(setting(&all, "advisor.max_indexes")["value"], "5");
    on(&db.url, &["config", "set", "apply.lock_timeout", "default"]).ok();
    let all = show(&db, &file);
    assert_eq!(
        setting(&all, "apply.lock_timeout")["source"]["layer"],
        "file"
    );
    // Every change to the stored policy is in the log.
    let logged = db
        .scalar_i64("SELECT count(*) FROM indexpilot.mutation_log WHERE kind = 'policy_change'")
        .await;
    assert_eq!(logged, 3);
    // `policy show` is the apply section of the same picture.
    let policy = on(&db.url, &["--json", "--config", &path, "policy", "show"])
        .ok()
        .json();
    let lock = policy
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["key"] == "lock_timeout")
        .cloned()
        .unwrap();
    assert_eq!(lock["source"], format!("{path}:6"));
}

#[tokio::test]
async fn the_file_is_found_in_the_working_directory_or_through_the_environment() {
    let db = initialised().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("indexpilot.yaml"),
        "advisor:\n  budget: 1GB\n",
    )
    .unwrap();
    let out = std::process::Command::new(binary())
        .args(["--json", "--database-url", &db.url, "config", "show"])
        .current_dir(dir.path())
        .env_remove("INDEXPILOT_CONFIG")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let all: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(setting(&all, "advisor.budget")["value"], "1073741824 bytes");
    let source = setting(&all, "advisor.budget")["source"]["path"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(source.ends_with("/indexpilot.yaml"), "{source}");

    let other = dir.path().join("team.toml");
    std::fs::write(&other, "[advisor]\ninclude_columns = 0\n").unwrap();
    let all = run_with_env(
        &["--json", "--database-url", &db.url, "config", "show"],
        &[("INDEXPILOT_CONFIG", other.to_str().unwrap())],
    )
    .ok()
    .json();
    assert_eq!(
        setting(all.as_array().unwrap(), "advisor.include_columns")["value"],
        "0"
    );
}

#[tokio::test]
async fn an_unknown_key_or_a_bad_value_is_one_line_naming_it_and_its_line() {
    let db = initialised().await;
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "a.toml",
            POLICY.replace("lock_timeout", "lock_timout"),
            vec!["line 6", "unknown key \"apply.lock_timout\""],
        ),
        (
            "b.toml",
            POLICY.replace("max_indexes = 3", "max_indexes = 0"),
            vec!["line 10", "advisor.max_indexes"],
        ),
        (
            "c.toml",
            POLICY.replace("[advisor]", "[advice]"),
            vec!["line 9", "unknown section \"advice\""],
        ),
        (
            "d.yaml",
            "apply:\n  require_approval: sometimes\n".to_string(),
            vec!["line 2", "apply.require_approval"],
        ),
        ("e.toml", "[apply\n".to_string(), vec!["line 1"]),
    ];
    for (name, text, expected) in cases {
        let file = dir.path().join(name);
        std::fs::write(&file, text).unwrap();
        // Reported before any connection is attempted: the URL here leads nowhere.
        let run = on(
            "postgres://nobody@127.0.0.1:1/none",
            &["--config", file.to_str().unwrap(), "config", "show"],
        )
        .user_error();
        for e in expected {
            assert!(run.stderr.contains(e), "{name}: {}", run.stderr);
        }
    }
    let missing = on(
        &db.url,
        &["--config", "/nonexistent/indexpilot.toml", "config", "show"],
    )
    .user_error();
    assert!(
        missing.stderr.contains("does not exist"),
        "{}",
        missing.stderr
    );
    let bad_set = on(&db.url, &["config", "set", "advisor.max_index", "4"]).user_error();
    assert!(
        bad_set.stderr.contains("unknown advisor key \"max_index\""),
        "{}",
        bad_set.stderr
    );
}

#[tokio::test]
async fn the_advisor_does_what_the_file_allows() {
    let db = initialised().await;
    // Two identical indexes: the health check proposes dropping one.
    db.exec(
        "CREATE TABLE items (id bigint PRIMARY KEY, sku text NOT NULL);
         INSERT INTO items SELECT g, 'sku' || g FROM generate_series(1, 2000) g;
         CREATE INDEX items_sku_a ON items (sku);
         CREATE INDEX items_sku_b ON items (sku);
         ANALYZE items;",
    )
    .await;
    on(&db.url, &["sync"]).ok();
    let drops = |args: &[&str]| -> usize {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["advise", "--dry-run"]);
        on(&db.url, &all).ok().json()["proposals"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["kind"] == "drop")
            .count()
    };
    assert_eq!(drops(&[]), 1);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("indexpilot.toml");
    std::fs::write(&file, "[advisor]\ndrops = false\n").unwrap();
    assert_eq!(drops(&["--config", file.to_str().unwrap()]), 0);
}

#[tokio::test]
async fn the_files_tenant_key_shapes_the_genome_when_the_database_stores_none() {
    let db = fresh_db().await;
    db.exec(
        "CREATE TABLE accounts (id bigint PRIMARY KEY);
         CREATE TABLE invoices (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts, tenant_id bigint);",
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("indexpilot.toml");
    std::fs::write(&file, "[tenancy]\ntenant_key = \"account_id\"\n").unwrap();
    let path = file.to_str().unwrap();
    on(&db.url, &["--config", path, "init"]).ok();
    let group = |field: &'static str| {
        let db = &db;
        async move {
            sqlx::query_scalar::<_, String>(
                "SELECT feature_group FROM indexpilot.genome_catalog WHERE table_name = 'invoices' AND field_name = $1",
            )
            .bind(field)
            .fetch_one(&db.pool)
            .await
            .unwrap()
        }
    };
    assert_eq!(group("account_id").await, "tenancy");
    assert_eq!(group("tenant_id").await, "core");
    // A column added later is judged by the same key.
    db.exec("ALTER TABLE accounts ADD COLUMN account_id bigint")
        .await;
    on(&db.url, &["--config", path, "sync"]).ok();
    let added: String = sqlx::query_scalar(
        "SELECT feature_group FROM indexpilot.genome_catalog WHERE table_name = 'accounts' AND field_name = 'account_id'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(added, "tenancy");
}
