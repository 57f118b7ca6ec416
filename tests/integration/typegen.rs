//! Row types from a live schema (`indexpilot generate-types`): golden files for a schema
//! with every mapped type, each language's own checker run on the output (mypy --strict,
//! tsc --strict; the Rust compiles in `tests/typegen/rust-check` and reads real rows here),
//! `--check` for CI, and bad input.

use harness::cli::{on, run};
use harness::{fresh_db, TestDb};
use indexpilot_typegen_check::rows::{AwkwardNamesRow, EverythingRow, OrderStatus, TypegenMood};
use std::path::{Path, PathBuf};
use std::process::Command;

const SCHEMA: &str = include_str!("../typegen/schema.sql");
const LANGS: [(&str, &str); 3] = [
    ("python", "rows.py"),
    ("typescript", "rows.ts"),
    ("rust", "rows.rs"),
];

fn typegen_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("typegen")
}

async fn typegen_db() -> TestDb {
    let db = fresh_db().await;
    db.exec(SCHEMA).await;
    db
}

fn generate(db: &TestDb, lang: &str) -> String {
    on(
        &db.url,
        &[
            "generate-types",
            "--lang",
            lang,
            "--schema",
            "typegen",
            "--schema",
            "typegen_b",
        ],
    )
    .ok()
    .stdout
}

#[tokio::test]
async fn generated_files_match_the_golden_files() {
    let db = typegen_db().await;
    for (lang, file) in LANGS {
        let text = generate(&db, lang);
        assert_eq!(
            text,
            generate(&db, lang),
            "{lang}: output is not deterministic"
        );
        let golden = typegen_dir().join("golden").join(file);
        if std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1") {
            std::fs::write(&golden, &text).unwrap();
        }
        let want = std::fs::read_to_string(&golden).unwrap();
        assert!(
            text == want,
            "{lang}: output differs from {} (if the change is intended: UPDATE_GOLDEN=1 cargo test -p indexpilot-tests --test integration typegen)\n--- got ---\n{text}",
            golden.display()
        );
    }
}

/// Line numbers marked `error` in a misuse file.
fn marked_lines(path: &Path, marker: &str) -> Vec<usize> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim_end().ends_with(marker))
        .map(|(i, _)| i + 1)
        .collect()
}

fn tool(cmd: &mut Command, what: &str) -> std::process::Output {
    cmd.output().unwrap_or_else(|e| {
        panic!("cannot run {what} ({e}): install it with `bash .ci/install-system-deps` and `make ui-deps`")
    })
}

#[test]
fn python_passes_mypy_strict_and_catches_misuse() {
    let dir = typegen_dir();
    let cache = tempfile::tempdir().unwrap();
    let mypy = |file: &str| {
        let out = tool(
            Command::new("mypy")
                .args(["--strict", "--cache-dir"])
                .arg(cache.path())
                .arg(file)
                .env("MYPYPATH", dir.join("golden"))
                .current_dir(&dir),
            "mypy",
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let usage = mypy("usage.py");
    assert!(
        usage.starts_with("Success"),
        "mypy --strict usage.py:\n{usage}"
    );
    let golden = mypy("golden/rows.py");
    assert!(
        golden.starts_with("Success"),
        "mypy --strict rows.py:\n{golden}"
    );

    let misuse = mypy("misuse.py");
    let mut got: Vec<usize> = misuse
        .lines()
        .filter_map(|l| l.strip_prefix("misuse.py:"))
        .filter(|l| l.contains(": error:"))
        .filter_map(|l| l.split(':').next()?.parse().ok())
        .collect();
    got.dedup();
    assert_eq!(
        got,
        marked_lines(&dir.join("misuse.py"), "# error"),
        "{misuse}"
    );
}

#[test]
fn typescript_passes_tsc_strict_and_catches_misuse() {
    let dir = typegen_dir();
    let tsc = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/node_modules/.bin/tsc");
    let check = |file: &str| {
        let out = tool(
            Command::new(&tsc)
                .args(["--noEmit", "--strict", "--target", "es2022", file])
                .current_dir(&dir),
            "tsc (ui/node_modules)",
        );
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    for file in ["golden/rows.ts", "usage.ts"] {
        let (ok, text) = check(file);
        assert!(ok, "tsc --strict {file}:\n{text}");
    }
    let (ok, text) = check("misuse.ts");
    assert!(!ok);
    let mut got: Vec<usize> = text
        .lines()
        .filter_map(|l| l.strip_prefix("misuse.ts("))
        .filter_map(|l| l.split(',').next()?.parse().ok())
        .collect();
    got.dedup();
    assert_eq!(
        got,
        marked_lines(&dir.join("misuse.ts"), "// error"),
        "{text}"
    );
}

#[tokio::test]
async fn rust_types_read_real_rows() {
    let db = typegen_db().await;
    db.exec(
        r#"INSERT INTO typegen.everything (small, regular, single, dbl, num, price, flag, name, code,
               body, born, wakes, wakes_tz, at_local, took, doc, data, raw, ip, net, owner_oid, markup,
               search, spot, mood, moods, mood_list, tags, scores, stamps, email, amount)
           VALUES (1, 2, 1.5, 2.25, 12.34, 5.5, true, 'widget', 'abc', 'text', '2026-11-29', '10:30',
               '10:30+02', '2026-11-29 10:30', '1 day 2 hours', '{"a": 1}', '[1, "x"]', '\x0102',
               '10.0.0.1', '10.0.0.0/8', 42, '<a/>', 'fat cat', '(1,2)', 'it''s "complicated"',
               '{happy,so-so}', '{Self}', '{a,b}', '{1.5,2}', '{2026-01-01 00:00+00}', 'a@b.c', 7.25);
           INSERT INTO typegen.everything (small, name, mood, amount) VALUES (2, 'bare', 'happy', 1);
           INSERT INTO typegen."Awkward Names" ("CamelCase", camel_case, "with space", "quo""te",
               "ünïcødé", "order", "class", "type", "self", "__dunder", "2nd", status)
           VALUES ('A', 'b', 3, 'q', 'u', 4, 'c', 't', 's', 'd', 2, '2-day');"#,
    )
    .await;
    // Columns with no sqlx type are read as text, as the generated doc comment says.
    let rows: Vec<EverythingRow> = sqlx::query_as(
        "SELECT id, small, regular, big, single, dbl, num, price, flag, name, code, body, ident,
                born, wakes, wakes_tz::text AS wakes_tz, at_local, created_at, took, doc, data, raw,
                ip, net, owner_oid, markup::text AS markup, search::text AS search,
                spot::text AS spot, mood, moods, mood_list, tags, scores, stamps, email, amount, total
         FROM typegen.everything ORDER BY id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let (full, bare) = (&rows[0], &rows[1]);
    assert_eq!(full.mood, TypegenMood::ItSComplicated);
    assert_eq!(
        full.moods,
        Some(vec![TypegenMood::Happy, TypegenMood::SoSo])
    );
    assert_eq!(full.mood_list, Some(vec![TypegenMood::Self_]));
    assert_eq!(full.tags, vec!["a".to_string(), "b".to_string()]);
    assert_eq!(full.num.map(|d| d.to_string()), Some("12.34".to_string()));
    assert_eq!(full.total.map(|d| d.to_string()), Some("24.68".to_string()));
    assert_eq!(full.amount.to_string(), "7.25");
    assert_eq!(full.raw.as_deref(), Some(&[1u8, 2][..]));
    assert_eq!(full.search.as_deref(), Some("'cat' 'fat'"));
    assert_eq!(full.doc, Some(serde_json::json!({"a": 1})));
    assert_eq!(
        full.ip.map(|ip| ip.to_string()),
        Some("10.0.0.1/32".to_string())
    );
    assert_eq!(full.email.as_deref(), Some("a@b.c"));
    assert_eq!(bare.regular, None);
    assert_eq!(bare.tags, Vec::<String>::new());
    assert_eq!(bare.data, serde_json::json!({}));

    let awkward: AwkwardNamesRow = sqlx::query_as("SELECT * FROM typegen.\"Awkward Names\"")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(awkward.camel_case.as_deref(), Some("A"));
    assert_eq!(awkward.camel_case2.as_deref(), Some("b"));
    assert_eq!(awkward.with_space, 3);
    assert_eq!(awkward.r#type.as_deref(), Some("t"));
    assert_eq!(awkward.self_.as_deref(), Some("s"));
    assert_eq!(awkward.f_2nd, Some(2));
    assert_eq!(awkward.status, Some(OrderStatus::T2Day));
    // serde keeps the database's names.
    let json = serde_json::to_value(&awkward).unwrap();
    assert_eq!(json["with space"], 3);
    assert_eq!(json["quo\"te"], "q");
    assert_eq!(json["status"], "2-day");
}

#[tokio::test]
async fn check_passes_on_a_fresh_file_and_fails_after_alter_table() {
    let db = typegen_db().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rows.py");
    let file_s = file.to_str().unwrap();
    let args = |check: bool| {
        let mut a = vec![
            "generate-types",
            "--lang",
            "python",
            "--schema",
            "typegen_b",
            "--out",
            file_s,
        ];
        if check {
            a.push("--check");
        }
        a
    };
    let missing = on(&db.url, &args(true));
    assert_eq!(missing.code, 1, "{}", missing.stdout);
    assert!(
        missing.stdout.contains("does not exist"),
        "{}",
        missing.stdout
    );

    on(&db.url, &args(false)).ok();
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.contains("class OrdersRow(TypedDict):"), "{written}");
    let current = on(&db.url, &args(true)).ok();
    assert!(current.stdout.contains("is current"), "{}", current.stdout);

    db.exec("ALTER TABLE typegen_b.orders ADD COLUMN shipped_at timestamptz")
        .await;
    let stale = on(&db.url, &args(true));
    assert_eq!(stale.code, 1, "{}\n{}", stale.stdout, stale.stderr);
    assert!(
        stale
            .stdout
            .contains("+    shipped_at: datetime.datetime | None"),
        "{}",
        stale.stdout
    );
    assert!(stale.stdout.contains("is stale"), "{}", stale.stdout);
    // --check never writes.
    assert_eq!(std::fs::read_to_string(&file).unwrap(), written);

    let json = on(&db.url, &{
        let mut a = vec!["--json"];
        a.extend(args(true));
        a
    });
    assert_eq!(json.code, 1);
    assert_eq!(json.json()["current"], false);
}

#[tokio::test]
async fn bad_input_is_one_line_and_exit_code_two() {
    let db = typegen_db().await;
    let e = on(&db.url, &["generate-types", "--lang", "go"]).user_error();
    assert!(e.stderr.contains("unknown language \"go\""), "{}", e.stderr);
    // Checked before connecting: no database needed to hear about it.
    let e = run(&[
        "--database-url",
        "postgres://nobody@127.0.0.1:1/x",
        "generate-types",
        "--lang",
        "cobol",
    ])
    .user_error();
    assert!(e.stderr.contains("unknown language"), "{}", e.stderr);
    let e = on(&db.url, &["generate-types", "--lang", "python", "--check"]).user_error();
    assert!(e.stderr.contains("--check needs --out"), "{}", e.stderr);
    let e = on(
        &db.url,
        &["generate-types", "--lang", "python", "--schema", "nope"],
    )
    .user_error();
    assert!(e.stderr.contains("schema not found: nope"), "{}", e.stderr);
    let e = on(
        &db.url,
        &[
            "generate-types",
            "--lang",
            "rust",
            "--schema",
            "typegen",
            "--tables",
            "orders,nope",
        ],
    )
    .user_error();
    assert!(e.stderr.contains("table not found: nope"), "{}", e.stderr);

    // Unwritable output: a directory in the way, a folder that does not exist. Nothing is
    // left behind, and a file already there is untouched.
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("rows.ts");
    std::fs::create_dir(&blocker).unwrap();
    let e = on(
        &db.url,
        &[
            "generate-types",
            "--lang",
            "typescript",
            "--out",
            blocker.to_str().unwrap(),
        ],
    )
    .user_error();
    assert!(e.stderr.contains("cannot write"), "{}", e.stderr);
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, vec![std::ffi::OsString::from("rows.ts")]);
    let nowhere = dir.path().join("missing/rows.ts");
    on(
        &db.url,
        &[
            "generate-types",
            "--lang",
            "typescript",
            "--out",
            nowhere.to_str().unwrap(),
        ],
    )
    .user_error();
    assert!(!nowhere.exists());
}

#[tokio::test]
async fn tables_filter_and_metadata_schema_on_request() {
    let db = typegen_db().await;
    let one = on(
        &db.url,
        &[
            "generate-types",
            "--lang",
            "typescript",
            "--tables",
            "typegen_b.orders",
        ],
    )
    .ok()
    .stdout;
    assert!(one.contains("// Tables: typegen_b.orders."), "{one}");
    assert!(one.contains("export interface OrdersRow {"), "{one}");
    assert!(!one.contains("EverythingRow"), "{one}");

    // By default IndexPilot's own tables stay out; named, they are generated.
    on(&db.url, &["init"]).ok();
    let default = on(&db.url, &["generate-types", "--lang", "python"])
        .ok()
        .stdout;
    assert!(!default.contains("MutationLogRow"), "{default}");
    assert!(default.contains("class EverythingRow(TypedDict):"));
    let meta = on(
        &db.url,
        &[
            "generate-types",
            "--lang",
            "python",
            "--schema",
            "indexpilot",
        ],
    )
    .ok()
    .stdout;
    assert!(meta.contains("class MutationLogRow(TypedDict):"), "{meta}");
    assert!(
        meta.contains("class GenomeCatalogRow(TypedDict):"),
        "{meta}"
    );
    // Partitions are left to their parent; pg_stat_statements' views (an extension's) stay out.
    assert!(default.contains("class EventsRow(TypedDict):"));
    assert!(!default.contains("Events2026Row"), "{default}");
    assert!(!default.contains("PgStatStatements"), "{default}");
}
