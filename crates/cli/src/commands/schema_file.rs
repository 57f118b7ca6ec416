//! genome import / export: the genome as a schema file kept in version control.

use crate::output::Output;
use indexpilot_engine::config::{self, PolicyFile};
use indexpilot_engine::schema_file::{self, Format, ImportOptions, ImportReport, SchemaFile};
use indexpilot_engine::{migrate, Actor, Result};
use sqlx::PgPool;
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

pub async fn import(
    pool: &PgPool,
    out: &Output,
    policy: &PolicyFile,
    path: &Path,
    dry_run: bool,
    strict: bool,
) -> Result<ExitCode> {
    let file = SchemaFile::read(path)?;
    migrate::require_initialised(pool).await?;
    let options = ImportOptions {
        dry_run,
        strict,
        reason: Some(format!("schema file {}", path.display())),
        tenant_key: Some(config::tenancy(pool, policy).await?.tenant_key),
    };
    let report = schema_file::import(pool, &Actor::from_env(), &file, &options).await?;
    out.emit(&report, render);
    if strict && report.differences() > 0 {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn export(
    pool: &PgPool,
    out: &Output,
    path: Option<&Path>,
    format: Option<&str>,
) -> Result<ExitCode> {
    let format = match (format, path) {
        (Some(f), _) => Format::parse(f)?,
        (None, Some(p)) => Format::from_name(&p.display().to_string())?,
        (None, None) => Format::Yaml,
    };
    migrate::require_initialised(pool).await?;
    let file = schema_file::export(pool).await?;
    let text = file.render(format)?;
    match path {
        Some(p) => {
            indexpilot_engine::typegen::write_file(p, &text)?;
            let fields: usize = file.tables.iter().map(|t| t.fields.len()).sum();
            out.emit(
                &serde_json::json!({"path": p.display().to_string(), "tables": file.tables.len(), "fields": fields}),
                |_| format!("wrote {} ({} tables, {fields} fields)", p.display(), file.tables.len()),
            );
        }
        None if out.json => out.emit(&file, |_| String::new()),
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

fn render(r: &ImportReport) -> String {
    let mut s = format!(
        "{} tables, {} fields in the file; {} difference(s) with the database\n",
        r.tables_in_file,
        r.fields_in_file,
        r.differences()
    );
    let mut list = |title: &str, items: Vec<String>| {
        if !items.is_empty() {
            let _ = writeln!(s, "{title} ({}):", items.len());
            for i in items.iter().take(50) {
                let _ = writeln!(s, "  {i}");
            }
            if items.len() > 50 {
                let _ = writeln!(s, "  … and {} more (see --json)", items.len() - 50);
            }
        }
    };
    list(
        "tables in the file, not in the database",
        r.file_only_tables.clone(),
    );
    list(
        "fields in the file, not in the database",
        r.file_only_fields.clone(),
    );
    list(
        "tables in the database, not in the file",
        r.database_only_tables.clone(),
    );
    list(
        "fields in the database, not in the file",
        r.database_only_fields.clone(),
    );
    let mismatch = |m: &Vec<indexpilot_engine::schema_file::Mismatch>| {
        m.iter()
            .map(|m| format!("{}: file {}, database {}", m.name, m.file, m.database))
            .collect::<Vec<_>>()
    };
    list("types that differ", mismatch(&r.type_mismatches));
    list("NOT NULL that differs", mismatch(&r.required_mismatches));
    list(
        "foreign keys missing in the database",
        r.missing_foreign_keys.clone(),
    );
    list("indexes missing in the database", r.missing_indexes.clone());
    list("indexes defined differently", mismatch(&r.index_mismatches));
    list(
        "flag changes",
        r.flag_changes
            .iter()
            .map(|c| {
                format!(
                    "{}.{}.{}: {} {} → {}",
                    c.schema, c.table, c.field, c.flag, c.before, c.after
                )
            })
            .collect(),
    );
    let outcome = if r.applied {
        format!(
            "{}applied {} flag change(s) to the genome",
            if r.bootstrapped {
                "bootstrapped the genome; "
            } else {
                ""
            },
            r.flag_changes.len()
        )
    } else if r.differences() > 0 && r.flag_changes.is_empty() {
        "nothing written".to_string()
    } else {
        "nothing written (dry run, or --strict with differences)".to_string()
    };
    s.push_str(&outcome);
    s
}
