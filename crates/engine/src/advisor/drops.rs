//! Drop proposals from index health: duplicate and redundant indexes (another index serves
//! every scan they serve), and indexes unused over a statistics window long enough to trust.
//! The evidence is health's (scans, the covering index, the window) plus the write overhead
//! the drop saves, priced like a new index's. Indexes that enforce something (primary keys,
//! unique, constraints) are never proposed.

use super::candidates::Statement;
use super::facts::TableFacts;
use super::index_def::{IndexDef, KeyPart, Method};
use super::model::{Benefit, Proposal, ProposalKind};
use super::overhead::{write_overhead, TableWrites};
use crate::catalog::Catalog;
use crate::error::Result;
use crate::health::{self, Check, HealthOptions, Severity};
use sqlx::PgPool;
use std::collections::HashMap;

/// Drop proposals with their fingerprints.
pub async fn proposals(
    pool: &PgPool,
    catalog: &Catalog,
    tables: &HashMap<(String, String), TableFacts>,
    statements: &[Statement],
) -> Result<Vec<(Proposal, String)>> {
    let report = health::run_on(pool, catalog, HealthOptions::default()).await?;
    let mut out = Vec::new();
    for f in report.findings {
        let wanted = match f.check {
            Check::DuplicateIndex | Check::RedundantIndex => true,
            // Unused only once the statistics cover long enough (health says so with a warning).
            Check::UnusedIndex => f.severity >= Severity::Warning,
            _ => false,
        };
        let (Some(index), Some(ddl)) = (f.index.clone(), f.ddl.clone()) else {
            continue;
        };
        if !wanted {
            continue;
        }
        let facts = tables.get(&(f.schema.clone(), f.table.clone()));
        let existing = facts.and_then(|t| t.indexes.iter().find(|i| i.name == index));
        let columns: Vec<String> = existing.map(|i| i.key_columns.clone()).unwrap_or_default();
        let saved = match (facts, existing) {
            (Some(t), Some(ix)) => {
                let def = IndexDef {
                    schema: t.schema.clone(),
                    table: t.table.clone(),
                    method: Method::Btree,
                    keys: ix.key_columns.iter().map(|c| KeyPart::column(c)).collect(),
                    include: ix.include_columns.clone(),
                    predicate: None,
                };
                let writes = TableWrites::of(statements, &t.schema, &t.table);
                write_overhead(
                    &def,
                    &writes,
                    t.hot_ratio,
                    t.indexes.len().saturating_sub(1),
                )
            }
            _ => 0.0,
        };
        let fingerprint = format!("drop {}.{}", f.schema, index);
        let mut reason = f.message.clone();
        if !f.help.is_empty() {
            reason.push(' ');
            reason.push_str(&f.help);
        }
        out.push((
            Proposal {
                id: 0,
                kind: ProposalKind::Drop,
                schema: f.schema.clone(),
                table: f.table.clone(),
                columns,
                ddl,
                estimated_size_bytes: f.evidence.size_bytes.unwrap_or(0),
                // Nothing the planner would do differently: the workload's costs stay; the
                // write overhead is what the drop saves.
                benefit: Benefit {
                    weighted_cost_before: 0.0,
                    weighted_cost_after: 0.0,
                    write_overhead: saved,
                    measured_ms: None,
                    expected_ms: None,
                },
                statements: Vec::new(),
                reason,
                why: super::reason::Why::Drop { finding: f.check },
                verified: false,
                index_name: index,
                definition: None,
            },
            fingerprint,
        ));
    }
    Ok(out)
}
