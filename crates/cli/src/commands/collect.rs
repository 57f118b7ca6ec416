//! collect: one snapshot, or one every interval until Ctrl-C.

use crate::output::Output;
use indexpilot_engine::config::PolicyFile;
use indexpilot_engine::workload::collect::{
    collect_with_policy, sample_activity, CollectReport, SAMPLE_EVERY,
};
use indexpilot_engine::Result;
use sqlx::PgPool;
use std::process::ExitCode;
use std::time::Duration;

pub async fn run(
    pool: &PgPool,
    out: &Output,
    file: &PolicyFile,
    interval: Option<Duration>,
) -> Result<ExitCode> {
    let Some(every) = interval else {
        let report = collect_with_policy(pool, file).await?;
        out.emit(&report, describe);
        return Ok(ExitCode::SUCCESS);
    };
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut sample = tokio::time::interval(SAMPLE_EVERY);
    sample.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        tokio::select! {
            _ = tick.tick() => {
                let report = collect_with_policy(pool, file).await?;
                out.emit(&report, describe);
            }
            // Running statements, with their constants, between collections.
            _ = sample.tick() => {
                sample_activity(pool).await?;
            }
            _ = tokio::signal::ctrl_c() => return Ok(ExitCode::SUCCESS),
        }
    }
}

fn describe(r: &CollectReport) -> String {
    let mut line = match r.interval_start {
        None => format!(
            "{}: baseline taken ({} statements); deltas start with the next collection",
            r.captured_at.format("%Y-%m-%d %H:%M:%S"),
            r.statements
        ),
        Some(start) => format!(
            "{}: {} of {} statements active since {}; {} tables with activity",
            r.captured_at.format("%Y-%m-%d %H:%M:%S"),
            r.recorded,
            r.statements,
            start.format("%H:%M:%S"),
            r.tables_recorded
        ),
    };
    if r.reset_detected {
        line.push_str("; pg_stat_statements was reset: counted from zero");
    }
    if let Some(n) = r.evicted.filter(|n| *n > 0) {
        line.push_str(&format!(
            "; {n} entries were evicted (raise pg_stat_statements.max)"
        ));
    }
    if r.hidden > 0 {
        line.push_str(&format!(
            "; {} statements of other roles are hidden (grant pg_read_all_stats to see their text)",
            r.hidden
        ));
    }
    line
}

pub fn since(ago: Option<Duration>) -> Option<chrono::DateTime<chrono::Utc>> {
    ago.and_then(|d| chrono::Duration::from_std(d).ok())
        .map(|d| chrono::Utc::now() - d)
}

/// What the figures cover: collected intervals, or (before the collector's first interval)
/// pg_stat_statements' own totals, as `advise` and the app's Workload view use them.
fn window(
    from: Option<chrono::DateTime<chrono::Utc>>,
    to: Option<chrono::DateTime<chrono::Utc>>,
    shown: usize,
) -> String {
    match (from, to) {
        (Some(f), Some(t)) => format!("workload from {} to {}", f.format("%Y-%m-%d %H:%M"), t.format("%Y-%m-%d %H:%M")),
        _ if shown > 0 => "pg_stat_statements' totals since its last reset (no interval collected yet: `indexpilot collect --interval 60s` measures intervals)".to_string(),
        _ => "no workload yet: pg_stat_statements holds no statement of this database and no interval was collected".to_string(),
    }
}

pub async fn workload(
    pool: &PgPool,
    out: &Output,
    top: usize,
    ago: Option<Duration>,
) -> Result<ExitCode> {
    let report = indexpilot_engine::workload::usage::workload(pool, top, since(ago)).await?;
    out.emit(&report, |r| {
        let mut lines = vec![format!(
            "{}; {} statements ({} utility, {} unparsable)",
            window(r.from, r.to, r.total_statements),
            r.total_statements,
            r.utility,
            r.unparsable
        )];
        for s in &r.statements {
            lines.push(String::new());
            lines.push(format!(
                "{:>10.1} ms total  {:>8} calls  {:>8.2} ms mean  {}",
                s.total_exec_ms,
                s.calls,
                s.mean_exec_ms,
                s.query.split_whitespace().collect::<Vec<_>>().join(" ")
            ));
            for c in &s.analysis.columns {
                let field = match &c.schema {
                    Some(schema) => format!("{schema}.{}.{}", c.table, c.column),
                    None => format!("{}.{}", c.table, c.column),
                };
                let mut detail = format!("{:?}", c.role).to_lowercase();
                if let Some(e) = &c.expression {
                    detail.push_str(&format!(" on {e}"));
                }
                if let Some(k) = &c.constant {
                    detail.push_str(&format!(" = {k}"));
                }
                lines.push(format!("    {field}: {detail}"));
            }
        }
        lines.join("\n")
    });
    Ok(ExitCode::SUCCESS)
}

pub async fn field_usage(pool: &PgPool, out: &Output, ago: Option<Duration>) -> Result<ExitCode> {
    let report = indexpilot_engine::workload::usage::field_usage(pool, since(ago)).await?;
    out.emit(&report, |r| {
        let rows: Vec<Vec<String>> = r
            .fields
            .iter()
            .map(|f| {
                vec![
                    format!(
                        "{}{}.{}",
                        f.schema
                            .as_deref()
                            .map(|s| format!("{s}."))
                            .unwrap_or_default(),
                        f.table,
                        f.column
                    ),
                    format!("{:?}", f.role).to_lowercase(),
                    f.expression.clone().unwrap_or_default(),
                    f.statements.to_string(),
                    f.calls.to_string(),
                    format!("{:.1}", f.total_exec_ms),
                ]
            })
            .collect();
        let mut text = format!(
            "{}\n\n{}",
            window(r.from, r.to, r.fields.len()),
            crate::output::table(
                &[
                    "field",
                    "role",
                    "expression",
                    "statements",
                    "calls",
                    "time (ms)"
                ],
                &rows
            )
        );
        if !r.host.is_empty() {
            let host: Vec<Vec<String>> = r
                .host
                .iter()
                .map(|h| {
                    vec![
                        h.tenant_id.clone().unwrap_or_else(|| "-".to_string()),
                        format!(
                            "{}.{}",
                            h.schema_name.as_deref().unwrap_or("?"),
                            h.table_name
                        ),
                        h.field_name.clone().unwrap_or_default(),
                        h.query_type.clone().unwrap_or_default(),
                        h.calls.to_string(),
                        format!("{:.1}", h.total_ms),
                    ]
                })
                .collect();
            text.push_str(&format!(
                "\n\nlogged by host applications\n{}",
                crate::output::table(
                    &[
                        "tenant",
                        "table",
                        "field",
                        "query type",
                        "calls",
                        "time (ms)"
                    ],
                    &host
                )
            ));
        }
        text
    });
    Ok(ExitCode::SUCCESS)
}
