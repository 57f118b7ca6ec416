//! health: index health findings, as a table or JSON. Findings are not errors: exit code 0.

use crate::output::{bytes, table, Output};
use indexpilot_engine::health::{self, HealthOptions, HealthReport};
use indexpilot_engine::Result;
use sqlx::PgPool;
use std::process::ExitCode;

pub async fn run(pool: &PgPool, out: &Output, min_table_rows: f64) -> Result<ExitCode> {
    let options = HealthOptions {
        min_table_rows,
        ..HealthOptions::default()
    };
    let report = health::run(pool, options).await?;
    out.emit(&report, render);
    Ok(ExitCode::SUCCESS)
}

fn render(r: &HealthReport) -> String {
    let window = format!(
        "index statistics {}; {} indexes in {} relations checked",
        r.stats_window, r.indexes, r.relations
    );
    if r.findings.is_empty() {
        return format!("{window}\nno findings");
    }
    let rows: Vec<Vec<String>> = r
        .findings
        .iter()
        .map(|f| {
            vec![
                f.severity.as_str().to_string(),
                f.check.id().to_string(),
                format!("{}.{}", f.schema, f.table),
                f.index.clone().unwrap_or_default(),
                f.evidence.size_bytes.map(bytes).unwrap_or_default(),
                f.message.clone(),
            ]
        })
        .collect();
    // One statement can answer several findings (an index both unused and a duplicate).
    let mut ddl: Vec<&str> = Vec::new();
    for d in r.findings.iter().filter_map(|f| f.ddl.as_deref()) {
        if !ddl.contains(&d) {
            ddl.push(d);
        }
    }
    let mut text = format!(
        "{window}\n\n{}\n\n{} finding(s)",
        table(
            &["severity", "check", "table", "index", "size", "message"],
            &rows
        ),
        r.findings.len()
    );
    if !ddl.is_empty() {
        text.push_str("\n\nsuggested DDL (review before running):\n");
        text.push_str(&ddl.join("\n"));
    }
    text
}
