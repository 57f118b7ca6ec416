//! advise: index proposals for the workload, as a table or the documented JSON.

use crate::output::{bytes, table, Output};
use indexpilot_engine::advisor::{self, compact, Advice, AdviseOptions, ProposalKind};
use indexpilot_engine::config::{self, PolicyFile};
use indexpilot_engine::{Actor, Result, Silent};
use sqlx::PgPool;
use std::process::ExitCode;

pub struct Args {
    pub budget: Option<i64>,
    pub max_indexes: Option<usize>,
    pub min_table_rows: Option<f64>,
    pub since: Option<chrono::DateTime<chrono::Utc>>,
    pub dry_run: bool,
}

/// The advisor policy (defaults, policy file, database), then this run's flags on top.
pub async fn run(pool: &PgPool, out: &Output, file: &PolicyFile, args: Args) -> Result<ExitCode> {
    indexpilot_engine::migrate::require_initialised(pool).await?;
    let effective = config::effective(pool, file).await?;
    let mut options = AdviseOptions {
        since: args.since,
        record: !args.dry_run,
        // A dry run writes nothing anywhere: it runs on a hot standby or a read-only role.
        read_only: args.dry_run,
        ..effective.advisor.options()
    };
    if args.budget.is_some() {
        options.select.budget_bytes = args.budget;
    }
    if let Some(n) = args.max_indexes {
        options.select.max_indexes = n;
    }
    if let Some(n) = args.min_table_rows {
        options.candidates.min_table_rows = n;
    }
    options.tenancy = Some(effective.tenancy);
    let advice = advisor::advise(pool, &Actor::from_env(), &options, &Silent).await?;
    out.emit(&advice, render);
    Ok(ExitCode::SUCCESS)
}

fn render(a: &Advice) -> String {
    let mode = if a.hypopg {
        "planner costs with HypoPG hypothetical indexes"
    } else {
        "ESTIMATES from statistics (HypoPG is not installed: CREATE EXTENSION hypopg to verify)"
    };
    let mut text = format!(
        "{} statements analysed ({} workload); {mode}\nworkload cost {} → {} with every proposal\n",
        a.statements_analysed,
        a.workload_source,
        compact(a.workload_cost_before),
        compact(a.workload_cost_after)
    );
    if let Some(share) = a.cached_pages {
        text.push_str(&format!(
            "costs price {:.0}% of random page reads as sequential: the workload found that share of its blocks cached\n",
            share * 100.0
        ));
    }
    if a.proposals.is_empty() {
        text.push_str("\nno proposals\n");
    } else {
        let rows: Vec<Vec<String>> = a
            .proposals
            .iter()
            .map(|p| {
                let saving = p.benefit.weighted_cost_before - p.benefit.weighted_cost_after;
                vec![
                    p.id.to_string(),
                    match p.kind {
                        ProposalKind::Create => "create".into(),
                        ProposalKind::Drop => "drop".into(),
                    },
                    format!("{}.{}", p.schema, p.table),
                    format!("{} ({})", p.index_name, p.columns.join(", ")),
                    bytes(p.estimated_size_bytes),
                    match p.kind {
                        ProposalKind::Create => compact(saving),
                        ProposalKind::Drop => {
                            format!("writes {}", compact(p.benefit.write_overhead))
                        }
                    },
                    p.statements.len().to_string(),
                ]
            })
            .collect();
        text.push('\n');
        text.push_str(&table(
            &[
                "id",
                "kind",
                "table",
                "proposal",
                "size",
                "saving",
                "statements helped",
            ],
            &rows,
        ));
        text.push_str("\n\nDDL (review, then run or approve):\n");
        for p in &a.proposals {
            text.push_str(&format!("-- {}: {}\n{}\n", p.id, p.reason, p.ddl));
        }
    }
    for n in &a.notes {
        text.push_str(&format!("\nnote: {}\n", n.detail));
    }
    if !a.declined.is_empty() {
        let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
        for d in &a.declined {
            let code = serde_json::to_value(d.reason_code)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default();
            *counts.entry(code).or_default() += 1;
        }
        let list: Vec<String> = counts.iter().map(|(k, v)| format!("{k} {v}")).collect();
        text.push_str(&format!(
            "\n{} statements declined: {} (--json lists each with its reason)\n",
            a.declined.len(),
            list.join(", ")
        ));
    }
    text
}
