//! health: index health findings, as a table or JSON. Findings are not errors: exit code 0.
//! overview: what needs attention on the database, health among it.

use crate::output::{bytes, table, Output};
use indexpilot_engine::health::{self, HealthOptions, HealthReport};
use indexpilot_engine::overview::{self, Overview};
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

pub async fn overview(pool: &PgPool, out: &Output) -> Result<ExitCode> {
    let o = overview::of(pool).await?;
    out.emit(&o, render_overview);
    Ok(ExitCode::SUCCESS)
}

fn render_overview(o: &Overview) -> String {
    let mut lines = vec![format!(
        "{}: PostgreSQL {}{}; HypoPG {}, pg_qualstats {}",
        o.database,
        o.server_version,
        if o.standby {
            " (standby: review only)"
        } else {
            ""
        },
        if o.hypopg {
            "installed"
        } else {
            "not installed"
        },
        if o.pg_qualstats {
            "installed"
        } else {
            "not installed"
        },
    )];
    if !o.initialised {
        lines.push("IndexPilot is not initialised here: `indexpilot init`".into());
    }
    let p = &o.proposals;
    lines.push(format!(
        "proposals waiting: {} to create ({}), {} to drop; estimated saving {:.0}",
        p.creates,
        bytes(p.estimated_bytes),
        p.drops,
        p.estimated_saving
    ));
    if !o.changes.is_empty() {
        let parts: Vec<String> = o.changes.iter().map(|(s, n)| format!("{n} {s}")).collect();
        lines.push(format!("changes: {}", parts.join(", ")));
    }
    let e = &o.experiments;
    let verdicts: Vec<String> = e
        .latest
        .iter()
        .map(|v| format!("change {} {}", v.change_id, v.verdict))
        .collect();
    lines.push(format!(
        "experiments: {} measuring, {} due{}",
        e.measuring,
        e.due,
        if verdicts.is_empty() {
            String::new()
        } else {
            format!("; latest: {}", verdicts.join(", "))
        }
    ));
    let findings: Vec<String> = o
        .health
        .iter()
        .map(|(k, h)| {
            if h.bytes > 0 {
                format!("{} {k} ({})", h.findings, bytes(h.bytes))
            } else {
                format!("{} {k}", h.findings)
            }
        })
        .collect();
    lines.push(format!(
        "health: {}",
        if findings.is_empty() {
            "no findings".to_string()
        } else {
            findings.join(", ")
        }
    ));
    lines.push(match o.collector.age_seconds {
        Some(s) => format!("collector: last snapshot {} min ago", s / 60),
        None => "collector: never ran here (`indexpilot collect --interval 60s`)".into(),
    });
    let s = &o.statements;
    lines.push(format!(
        "pg_stat_statements: {} of {} entries{}",
        s.entries,
        s.max,
        s.dealloc
            .filter(|d| *d > 0)
            .map(|d| format!(", {d} evicted since its reset (raise pg_stat_statements.max)"))
            .unwrap_or_default()
    ));
    lines.join("\n")
}
