//! health: index health findings, as a table or JSON. Findings are not errors: exit code 0.
//! overview: what needs attention on the database, health among it.

use crate::output::{bytes, table, Output};
use indexpilot_engine::config::PolicyFile;
use indexpilot_engine::health::{self, HealthOptions, HealthReport};
use indexpilot_engine::overview::fleet::{self, DatabaseOverview, ReadState};
use indexpilot_engine::overview::{self, Overview};
use indexpilot_engine::{ConnectOptions, Error, Result};
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

/// `overview --all`: every database of the policy file's `overview.databases`, read at
/// once; exit 1 when one could not be read, so a cron job or a monitor notices.
pub async fn overview_all(file: &PolicyFile, out: &Output, timeout: u64) -> Result<ExitCode> {
    if file.databases.is_empty() {
        return Err(Error::InvalidInput(
            "overview --all reads the databases listed in the policy file: add `[overview] databases = [\"postgres://user@host/db\", …]` to indexpilot.toml (passwords in ~/.pgpass)".into(),
        ));
    }
    let targets = file
        .databases
        .iter()
        .map(|url| Ok(((), ConnectOptions::resolve(Some(url))?)))
        .collect::<Result<Vec<_>>>()?;
    let rows: Vec<DatabaseOverview> =
        fleet::of_all(targets, std::time::Duration::from_secs(timeout))
            .await
            .into_iter()
            .map(|(_, r)| r)
            .collect();
    out.emit(&rows, |rows| render_all(rows));
    Ok(if rows.iter().all(|r| r.state == ReadState::Read) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn render_all(rows: &[DatabaseOverview]) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| match &r.overview {
            Some(o) => {
                let findings: usize = o.health.values().map(|h| h.findings).sum();
                let changes: i64 = o.changes.values().sum();
                vec![
                    r.target.clone(),
                    format!(
                        "PostgreSQL {}{}",
                        o.server_version,
                        if o.standby { ", standby" } else { "" }
                    ),
                    r.attention.to_string(),
                    if o.initialised {
                        format!(
                            "{} ({:.0})",
                            o.proposals.creates + o.proposals.drops,
                            o.proposals.estimated_saving
                        )
                    } else {
                        "not initialised".into()
                    },
                    changes.to_string(),
                    o.experiments.due.to_string(),
                    findings.to_string(),
                    o.collector
                        .age_seconds
                        .map_or("never".into(), |s| format!("{} min ago", s / 60)),
                ]
            }
            None => vec![r.target.clone(), r.state.as_str().to_string()],
        })
        .collect();
    let errors = rows
        .iter()
        .filter_map(|r| Some(format!("{}: {}", r.target, r.error.as_deref()?)));
    let listed = table(
        &[
            "database",
            "server",
            "attention",
            "proposals (saving)",
            "changes",
            "experiments due",
            "health findings",
            "collector",
        ],
        &cells,
    );
    std::iter::once(listed)
        .chain(errors)
        .collect::<Vec<_>>()
        .join("\n")
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
