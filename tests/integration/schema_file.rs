//! `indexpilot genome export` / `genome import`: the genome as a YAML or TOML file, checked
//! against the live database, with curation taken back into the genome.

use harness::cli::on;
use harness::{fresh_db, TestDb};

const SCHEMA: &str = "
CREATE SCHEMA crm;
CREATE TABLE crm.tenants (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE crm.contacts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id bigint NOT NULL REFERENCES crm.tenants (id),
    email text NOT NULL,
    custom_region text,
    payload jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, email)
);
CREATE INDEX contacts_lower_email_idx ON crm.contacts (tenant_id, lower(email));
CREATE INDEX contacts_recent_idx ON crm.contacts (created_at) INCLUDE (email) WHERE custom_region IS NOT NULL;
CREATE INDEX contacts_payload_idx ON crm.contacts USING gin (payload);
";

async fn schema_db() -> TestDb {
    let db = fresh_db().await;
    db.exec(SCHEMA).await;
    on(&db.url, &["init"]).ok();
    db
}

fn export(db: &TestDb, path: &std::path::Path) -> String {
    on(
        &db.url,
        &["genome", "export", "--out", path.to_str().unwrap()],
    )
    .ok();
    std::fs::read_to_string(path).unwrap()
}

fn import(db: &TestDb, path: &std::path::Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["--json", "genome", "import", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    on(&db.url, &args).ok().json()
}

async fn mutations(db: &TestDb) -> i64 {
    db.scalar_i64("SELECT count(*) FROM indexpilot.mutation_log")
        .await
}

#[tokio::test]
async fn export_then_import_round_trips_in_both_formats() {
    let db = schema_db().await;
    let dir = tempfile::tempdir().unwrap();
    for name in ["genome.yaml", "genome.toml"] {
        let path = dir.path().join(name);
        let text = export(&db, &path);
        assert!(text.contains("crm.contacts"), "{text}");
        assert!(text.contains("lower(email)"), "{text}");
        assert!(text.contains("custom_region IS NOT NULL"), "{text}");
        assert!(text.contains("gin"), "{text}");
        // The constraint's own index is part of the table, not an intended index.
        assert!(!text.contains("contacts_tenant_id_email_key"), "{text}");

        let before = mutations(&db).await;
        let report = import(&db, &path, &[]);
        assert_eq!(report["applied"], true);
        for key in [
            "file_only_tables",
            "file_only_fields",
            "database_only_tables",
            "database_only_fields",
            "type_mismatches",
            "required_mismatches",
            "missing_foreign_keys",
            "missing_indexes",
            "index_mismatches",
            "flag_changes",
        ] {
            assert_eq!(
                report[key],
                serde_json::json!([]),
                "{name}: {key}: {report}"
            );
        }
        assert_eq!(mutations(&db).await, before, "a no-op import logs nothing");
        assert_eq!(export(&db, &path), text, "{name}: export is stable");
    }
}

#[tokio::test]
async fn curation_in_the_file_reaches_the_genome_and_the_log() {
    let db = schema_db().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("genome.yaml");
    let text = export(&db, &path);
    // custom_region: a custom field (off by default); make it core and on, and payload not indexable.
    let edited = text
        .replace(
            "  - name: custom_region\n    type: text\n    required: false\n    indexable: true\n    default_expression: false\n    feature_group: custom",
            "  - name: custom_region\n    type: text\n    required: false\n    indexable: true\n    default_expression: true\n    feature_group: regions",
        )
        .replace(
            "  - name: payload\n    type: jsonb\n    required: false\n    indexable: true",
            "  - name: payload\n    type: jsonb\n    required: false\n    indexable: false",
        );
    assert_ne!(
        edited, text,
        "the export's layout changed: update this test"
    );
    std::fs::write(&path, &edited).unwrap();

    let dry = import(&db, &path, &["--dry-run"]);
    assert_eq!(dry["applied"], false);
    assert_eq!(dry["flag_changes"].as_array().unwrap().len(), 3, "{dry}");
    assert_eq!(
        db.scalar_i64(
            "SELECT count(*) FROM indexpilot.genome_catalog WHERE feature_group = 'regions'"
        )
        .await,
        0,
        "a dry run writes nothing"
    );

    let report = import(&db, &path, &[]);
    assert_eq!(report["applied"], true);
    let curated = db
        .scalar_i64(
            "SELECT count(*) FROM indexpilot.genome_catalog
             WHERE (field_name = 'custom_region' AND feature_group = 'regions' AND default_expression
                    AND curated_flags = ARRAY['default_expression', 'feature_group'])
                OR (field_name = 'payload' AND NOT is_indexable AND curated_flags = ARRAY['is_indexable'])",
        )
        .await;
    assert_eq!(curated, 2);
    let logged = db
        .scalar_i64(
            "SELECT count(*) FROM indexpilot.mutation_log
             WHERE kind = 'flag_edit' AND details_json->>'source' = 'schema_file'
               AND details_json->>'reason' LIKE 'schema file %genome.yaml'",
        )
        .await;
    assert_eq!(logged, 2, "one entry per field");
    // Discovery keeps the file's curation.
    on(&db.url, &["sync"]).ok();
    assert_eq!(export(&db, &path), edited);
}

#[tokio::test]
async fn the_file_and_the_database_are_compared_both_ways() {
    let db = schema_db().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("schema.yaml");
    std::fs::write(
        &path,
        "version: 1
tables:
  - table: crm.contacts
    fields:
      - name: id
        type: int8
        required: true
      - name: email
        type: varchar(80)
        required: true
        indexable: false
      - name: phone
        type: text
    foreign_keys:
      - columns: [tenant_id]
        references: { table: crm.tenants, columns: [id] }
      - columns: [id]
        references: { table: crm.accounts, columns: [id] }
    indexes:
      - name: contacts_lower_email_idx
        columns: [tenant_id, lower(email)]
      - name: contacts_phone_idx
        columns: [phone]
      - name: contacts_recent_idx
        columns: [created_at]
  - table: crm.deals
    fields:
      - name: id
        type: bigint
",
    )
    .unwrap();
    let before = mutations(&db).await;
    let strict = on(
        &db.url,
        &[
            "--json",
            "genome",
            "import",
            path.to_str().unwrap(),
            "--strict",
        ],
    );
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    let r = strict.json();
    assert_eq!(r["applied"], false);
    assert_eq!(
        mutations(&db).await,
        before,
        "--strict with differences writes nothing"
    );

    assert_eq!(r["file_only_tables"], serde_json::json!(["crm.deals"]));
    assert_eq!(
        r["file_only_fields"],
        serde_json::json!(["crm.contacts.phone"])
    );
    assert_eq!(
        r["database_only_fields"],
        serde_json::json!([
            "crm.contacts.tenant_id",
            "crm.contacts.custom_region",
            "crm.contacts.payload",
            "crm.contacts.created_at"
        ])
    );
    assert_eq!(
        r["database_only_tables"],
        serde_json::json!(["crm.tenants"])
    );
    // int8 is bigint; varchar(80) is not text.
    assert_eq!(r["type_mismatches"].as_array().unwrap().len(), 1, "{r}");
    assert_eq!(r["type_mismatches"][0]["name"], "crm.contacts.email");
    assert_eq!(
        r["missing_foreign_keys"].as_array().unwrap().len(),
        1,
        "{r}"
    );
    assert!(r["missing_foreign_keys"][0]
        .as_str()
        .unwrap()
        .contains("crm.accounts"));
    assert_eq!(r["missing_indexes"].as_array().unwrap().len(), 1, "{r}");
    assert!(r["missing_indexes"][0]
        .as_str()
        .unwrap()
        .contains("contacts_phone_idx"));
    assert_eq!(
        r["index_mismatches"][0]["name"], "crm.contacts_recent_idx",
        "{r}"
    );

    // Without --strict the flags of the fields both have are taken.
    let applied = import(&db, &path, &[]);
    assert_eq!(applied["applied"], true);
    assert_eq!(
        db.scalar_i64(
            "SELECT count(*) FROM indexpilot.genome_catalog WHERE field_name = 'email' AND NOT is_indexable"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_malformed_file_is_one_line_naming_its_line_and_key_and_changes_nothing() {
    let db = schema_db().await;
    let dir = tempfile::tempdir().unwrap();
    let before = mutations(&db).await;
    let cases = [
        (
            "bad.yaml",
            "version: 1\ntables:\n  - table: crm.contacts\n    fields:\n      - name: email\n        type: text\n        indexible: false\n",
            ["line 7", "unknown field `indexible`"],
        ),
        (
            "bad.toml",
            "version = 1\n[[tables]]\ntable = \"crm.contacts\"\n[[tables.fields]]\nname = \"email\"\ntype = \"text\"\nrequired = \"yes\"\n",
            ["line 7", "required"],
        ),
        (
            "dup.yaml",
            "version: 1\ntables:\n  - table: crm.contacts\n    fields:\n      - name: email\n        type: text\n      - name: email\n        type: text\n",
            ["line 7", "field email appears twice"],
        ),
        (
            "schema.json",
            "{}",
            ["schema.json", ".yaml, .yml or .toml"],
        ),
    ];
    for (name, text, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let run = on(&db.url, &["genome", "import", path.to_str().unwrap()]).user_error();
        for e in expected {
            assert!(run.stderr.contains(e), "{name}: {}", run.stderr);
        }
    }
    let missing = on(&db.url, &["genome", "import", "/nonexistent/schema.yaml"]).user_error();
    assert!(missing.stderr.contains("cannot read"), "{}", missing.stderr);
    assert_eq!(mutations(&db).await, before);
}
