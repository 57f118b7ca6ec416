//! Data-driven cases for the workload analyser: every `tests/specs/analyse/<case>.sql` is
//! analysed against one fixture catalog and compared with `<case>.json` beside it.
//!
//! A case file is SQL; a first line `-- search_path: crm, public` sets the search path
//! (default: public). Run with `UPDATE_SNAPSHOTS=1` to write the snapshots, then review
//! every changed one by hand: a snapshot is only a test if it is right.

use indexpilot_engine::catalog::RelationKind;
use indexpilot_engine::workload::analyse::{analyse, Resolver};
use std::path::{Path, PathBuf};

/// The schema every case runs against.
fn fixture(search_path: &str) -> Resolver {
    let mut r = Resolver::default().with_search_path(search_path, Some("alice"));
    let mut table = |schema: &str, name: &str, kind: RelationKind, columns: &[&str]| {
        r.add_table(
            schema,
            name,
            kind,
            columns.iter().map(|c| c.to_string()).collect(),
        )
    };
    use RelationKind::{Table, View};
    table(
        "public",
        "users",
        Table,
        &[
            "id",
            "tenant_id",
            "email",
            "name",
            "status",
            "active",
            "data",
            "created_at",
            "deleted_at",
        ],
    );
    table(
        "public",
        "orders",
        Table,
        &[
            "id",
            "tenant_id",
            "user_id",
            "status",
            "total",
            "created_at",
            "shipped_at",
            "notes",
        ],
    );
    table(
        "public",
        "order_items",
        Table,
        &["id", "order_id", "product_id", "quantity", "price"],
    );
    table(
        "public",
        "products",
        Table,
        &["id", "sku", "name", "category_id", "price", "tags"],
    );
    table("public", "categories", Table, &["id", "parent_id", "name"]);
    table(
        "public",
        "events",
        Table,
        &["id", "user_id", "kind", "payload", "occurred_at"],
    );
    table("public", "counters", Table, &["key", "value", "updated_at"]);
    table("public", "active_users", View, &["id", "email"]);
    table(
        "crm",
        "contacts",
        Table,
        &[
            "id",
            "account_id",
            "email",
            "first_name",
            "last_name",
            "stage",
            "owner_id",
            "updated_at",
        ],
    );
    table(
        "crm",
        "accounts",
        Table,
        &["id", "tenant_id", "name", "domain", "created_at"],
    );
    table("crm", "users", Table, &["id", "login"]);
    table(
        "Sales",
        "Deals",
        Table,
        &["Id", "AccountId", "Amount", "closeDate", "stage"],
    );
    r
}

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/specs/analyse")
}

#[test]
fn analyse_specs() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .expect("tests/specs/analyse exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 40, "only {} analyse cases", cases.len());

    let mut failures = Vec::new();
    for case in &cases {
        let sql = std::fs::read_to_string(case).unwrap();
        let search_path = sql
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("-- search_path:"))
            .unwrap_or("public");
        let analysis = analyse(&fixture(search_path), &sql);
        let actual = serde_json::to_string_pretty(&analysis).unwrap() + "\n";
        let snapshot = case.with_extension("json");
        let name = case.file_stem().unwrap().to_string_lossy().to_string();
        if update {
            if std::fs::read_to_string(&snapshot).ok().as_deref() != Some(&actual) {
                std::fs::write(&snapshot, &actual).unwrap();
                eprintln!("updated {name}");
            }
            continue;
        }
        match std::fs::read_to_string(&snapshot) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => failures.push(format!("{name}:\n{}", diff(&expected, &actual))),
            Err(_) => failures.push(format!("{name}: no snapshot; got\n{actual}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ (UPDATE_SNAPSHOTS=1 rewrites them):\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// A line diff (longest common subsequence): `-` expected, `+` actual.
fn diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out += &format!("  {}\n", a[i]);
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out += &format!("+ {}\n", b[j]);
            j += 1;
        } else {
            out += &format!("- {}\n", a[i]);
            i += 1;
        }
    }
    out
}
