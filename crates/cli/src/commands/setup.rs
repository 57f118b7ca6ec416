//! init, discover, sync and log.

use crate::output::{bytes, table, Output};
use indexpilot_engine::catalog::RelationKind;
use indexpilot_engine::config::{self, PolicyFile};
use indexpilot_engine::genome::{self, Reconciled, SyncPlan};
use indexpilot_engine::{migrate, mutations, Actor, Result};
use serde_json::json;
use sqlx::PgPool;
use std::process::ExitCode;

pub async fn init(pool: &PgPool, out: &Output, file: &PolicyFile) -> Result<ExitCode> {
    let report =
        indexpilot_engine::init_with(pool, &Actor::from_env(), &indexpilot_engine::Silent, file)
            .await?;
    out.emit(&report, |r| {
        let schema = if r.migrations.applied.is_empty() {
            format!(
                "metadata schema indexpilot is current (version {})",
                r.migrations.version
            )
        } else {
            format!(
                "metadata schema indexpilot at version {} (applied {:?})",
                r.migrations.version, r.migrations.applied
            )
        };
        format!(
            "{schema}\ndiscovered {} relations, {} fields\n{}",
            r.relations,
            r.fields,
            reconciled(&r.genome)
        )
    });
    Ok(ExitCode::SUCCESS)
}

pub async fn discover(pool: &PgPool, out: &Output, file: &PolicyFile) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    migrate::require_initialised(pool).await?;
    let tenancy = config::tenancy(pool, file).await?;
    let cat = indexpilot_engine::catalog::discover(pool).await?;
    let outcome =
        genome::bootstrap_for(pool, &Actor::from_env(), &cat, &tenancy.tenant_key).await?;
    let elapsed_ms = started.elapsed().as_millis();
    let value = json!({"catalog": cat, "genome": outcome, "elapsed_ms": elapsed_ms});
    out.emit(&value, |_| {
        // A partitioned table is one row with its partitions' totals; the partitions are in
        // the JSON catalog.
        let summaries = genome::table_summaries(&cat);
        let rows: Vec<Vec<String>> = summaries
            .iter()
            .filter(|t| t.kind != RelationKind::Partition)
            .map(|t| {
                let kind = match &t.partition_key {
                    Some(key) => format!("partitioned {key}, {} partitions", t.partitions),
                    None => t.kind.as_str().to_string(),
                };
                vec![
                    format!("{}.{}", t.schema, t.name),
                    kind,
                    t.field_count.to_string(),
                    t.indexes.len().to_string(),
                    t.row_estimate
                        .map_or("never analysed".to_string(), |n| format!("{n:.0}")),
                    bytes(t.total_bytes),
                ]
            })
            .collect();
        format!(
            "{}\n\n{} relations ({} of them partitions), {} fields in the genome, {} indexes in {} ms\n{}",
            table(
                &[
                    "relation",
                    "kind",
                    "fields",
                    "indexes",
                    "rows (est.)",
                    "size (est.)"
                ],
                &rows
            ),
            cat.relations.len(),
            summaries.len() - rows.len(),
            genome::field_count(&cat),
            cat.index_count(),
            elapsed_ms,
            reconciled(&outcome)
        )
    });
    Ok(ExitCode::SUCCESS)
}

pub async fn sync(
    pool: &PgPool,
    out: &Output,
    file: &PolicyFile,
    dry_run: bool,
) -> Result<ExitCode> {
    migrate::require_initialised(pool).await?;
    let tenancy = config::tenancy(pool, file).await?;
    let plan =
        genome::sync_for(pool, &Actor::from_env(), dry_run, Some(&tenancy.tenant_key)).await?;
    let value = json!({"dry_run": dry_run, "changes": plan.change_count(), "plan": plan});
    out.emit(&value, |_| {
        let verb = if dry_run { "would apply" } else { "applied" };
        format!(
            "{}\n{verb} {} change(s)",
            describe_plan(&plan),
            plan.change_count()
        )
    });
    Ok(ExitCode::SUCCESS)
}

pub async fn log(pool: &PgPool, out: &Output, kind: Option<&str>, limit: i64) -> Result<ExitCode> {
    migrate::require_initialised(pool).await?;
    let entries = mutations::recent(pool, kind, limit).await?;
    out.emit(&entries, |entries| {
        let rows: Vec<Vec<String>> = entries
            .iter()
            .map(|e| {
                let target = [&e.schema_name, &e.table_name, &e.field_name]
                    .iter()
                    .filter_map(|p| p.as_deref())
                    .collect::<Vec<_>>()
                    .join(".");
                vec![
                    e.id.to_string(),
                    e.occurred_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                    e.kind.clone(),
                    format!(
                        "{}{}",
                        e.actor_role,
                        e.actor_os_user
                            .as_ref()
                            .map(|u| format!(" ({u})"))
                            .unwrap_or_default()
                    ),
                    target,
                    e.tenant_id.clone().unwrap_or_default(),
                    e.details_json.to_string(),
                ]
            })
            .collect();
        table(
            &["id", "when", "kind", "actor", "target", "tenant", "details"],
            &rows,
        )
    });
    Ok(ExitCode::SUCCESS)
}

fn reconciled(r: &Reconciled) -> String {
    match r {
        Reconciled::Bootstrapped { fields, tables } => {
            format!("genome bootstrapped: {fields} fields in {tables} relations")
        }
        Reconciled::Synced { plan } if plan.is_empty() => {
            "genome is in sync with the schema".to_string()
        }
        Reconciled::Synced { plan } => format!(
            "genome synced: {} change(s)\n{}",
            plan.change_count(),
            describe_plan(plan)
        ),
    }
}

fn describe_plan(plan: &SyncPlan) -> String {
    let mut lines = Vec::new();
    for t in &plan.tables_added {
        lines.push(format!("+ table {t}"));
    }
    for t in &plan.tables_removed {
        lines.push(format!("- table {t}"));
    }
    for f in &plan.added {
        lines.push(format!("+ {} {}", f.key(), f.field_type));
    }
    for g in &plan.removed {
        lines.push(format!("- {} {}", g.key(), g.field_type));
    }
    for c in &plan.type_changed {
        let req = |r: bool| if r { " not null" } else { "" };
        lines.push(format!(
            "~ {} {}{} -> {}{}",
            c.field,
            c.before.field_type,
            req(c.before.is_required),
            c.after.field_type,
            req(c.after.is_required)
        ));
    }
    for r in &plan.renamed {
        lines.push(format!(
            "> {} renamed to {} ({} rename)",
            r.from,
            r.to,
            r.what.as_str()
        ));
    }
    if lines.is_empty() {
        "no differences between the schema and the genome".to_string()
    } else {
        lines.join("\n")
    }
}
