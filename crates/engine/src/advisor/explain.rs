//! EXPLAIN for a person: a statement's plan as a tree, as it is now or with one hypothetical
//! index (HypoPG). Planned in the advisor's what-if session (read-only, rolled back), with
//! a custom plan from type defaults for the parameters, or a generic plan.

use super::index_def::IndexDef;
use super::params::Values;
use super::whatif::{PlanFailure, WhatIf, NOT_A_QUERY};
use crate::error::{Error, Result};
use crate::workload::analyse::{is_single_query, repair};
use serde::Serialize;
use serde_json::Value;
use sqlx::PgPool;
use ts_rs::TS;

/// One node of a plan.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PlanNode {
    pub node_type: String,
    /// The table (or index) the node reads, when it reads one.
    #[ts(optional)]
    pub relation: Option<String>,
    #[ts(optional)]
    pub index: Option<String>,
    /// Conditions, filters, keys: `Index Cond: (customer_ref = 'x')`.
    pub detail: Vec<String>,
    pub total_cost: f64,
    pub rows: f64,
    pub children: Vec<PlanNode>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Explained {
    pub total_cost: f64,
    pub plan: PlanNode,
    /// The hypothetical index planned with, as DDL.
    #[ts(optional)]
    pub hypothetical: Option<String>,
    /// Whether the plan used the hypothetical index.
    pub uses_hypothetical: bool,
}

const DETAILS: &[&str] = &[
    "Index Cond",
    "Recheck Cond",
    "Filter",
    "Join Filter",
    "Hash Cond",
    "Merge Cond",
    "Sort Key",
    "Group Key",
];

fn node(v: &Value) -> PlanNode {
    let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let relation = match (text("Schema"), text("Relation Name")) {
        (Some(s), Some(r)) => Some(format!("{s}.{r}")),
        (None, Some(r)) => Some(r),
        _ => None,
    };
    let detail = DETAILS
        .iter()
        .filter_map(|k| {
            let v = v.get(*k)?;
            let shown = match v {
                Value::Array(items) => items
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(", "),
                other => other.as_str().map(str::to_string)?,
            };
            Some(format!("{k}: {shown}"))
        })
        .collect();
    PlanNode {
        node_type: text("Node Type").unwrap_or_default(),
        relation,
        index: text("Index Name"),
        detail,
        total_cost: v.get("Total Cost").and_then(Value::as_f64).unwrap_or(0.0),
        rows: v.get("Plan Rows").and_then(Value::as_f64).unwrap_or(0.0),
        children: v
            .get("Plans")
            .and_then(Value::as_array)
            .map(|c| c.iter().map(node).collect())
            .unwrap_or_default(),
    }
}

/// Plans `query` (a statement of the workload, `$n` parameters allowed), optionally with
/// `hypothetical` in place. Nothing is built; the session is rolled back.
pub async fn explain(
    pool: &PgPool,
    query: &str,
    hypothetical: Option<&IndexDef>,
) -> Result<Explained> {
    // A normalised typed literal (`interval $2`) is planned as the cast it stands for.
    let repaired = repair(query);
    let text = repaired.as_deref().unwrap_or(query);
    if !is_single_query(text) {
        return Err(Error::InvalidInput(format!(
            "{NOT_A_QUERY}: paste a single statement without `;` between statements"
        )));
    }
    if let Some(def) = hypothetical {
        if def.predicate.is_some() && reads_a_view(pool, query).await? {
            // HypoPG can crash the backend planning a statement through a view while a
            // partial hypothetical index exists (HypoPG issue #116): never run that shape.
            return Err(Error::InvalidInput(
                "this statement reads a view: its plan with a partial hypothetical index is not shown (HypoPG can crash planning that shape)".into(),
            ));
        }
    }
    let mut session = match hypothetical {
        Some(_) => WhatIf::open(pool).await?,
        None => WhatIf::open_plain(pool).await?,
    };
    let mut ddl = None;
    let mut made = None;
    if let Some(def) = hypothetical {
        made = session.create(def).await?;
        if made.is_none() {
            let _ = session.close().await;
            return Err(Error::InvalidInput(
                "HypoPG refused this index definition, so its plan cannot be shown".into(),
            ));
        }
        let partitioned =
            crate::change::partitions::is_partitioned(pool, &def.schema, &def.table).await?;
        ddl = Some(def.create_ddl(&def.name(), partitioned));
    }
    let planned = session.plan(text, false, &Values::new()).await;
    let failure = session.failure(text).cloned();
    let _ = session.close().await;
    let plan = planned?.ok_or_else(|| {
        Error::InvalidInput(match failure {
            Some(PlanFailure::Refused(e)) => {
                format!("PostgreSQL could not plan this statement here: {e}")
            }
            Some(PlanFailure::TimedOut(e)) => format!(
                "planning this statement ran out of time on every attempt ({e}): try again when the server is less busy or the session holding its table's lock has finished"
            ),
            None => "the planner could not plan this statement here".into(),
        })
    })?;
    let uses = made.is_some() && plan.indexes.iter().any(|i| i.starts_with('<'));
    Ok(Explained {
        total_cost: plan.cost,
        plan: node(&plan.tree),
        hypothetical: ddl,
        uses_hypothetical: uses,
    })
}

/// Whether any relation the statement names is a view or materialized view.
async fn reads_a_view(pool: &PgPool, query: &str) -> Result<bool> {
    // Fail closed: a text whose tables cannot be read is treated as reading a view.
    let names: Vec<String> = match pg_query::parse(query, 0) {
        Ok(parsed) => parsed.tables(),
        Err(_) => return Ok(true),
    };
    Ok(sqlx::query_scalar(
        "SELECT /* indexpilot */ coalesce(bool_or(c.relkind IN ('v', 'm')), false)
         FROM unnest($1::text[]) AS n(name)
         JOIN pg_class c ON c.oid = to_regclass(n.name)",
    )
    .bind(&names)
    .fetch_one(pool)
    .await?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn plans_become_readable_trees() {
        let v: serde_json::Value = serde_json::from_str(
            r#"{"Node Type": "Limit", "Total Cost": 9.5, "Plan Rows": 5, "Plans": [
                 {"Node Type": "Index Scan", "Relation Name": "orders", "Schema": "shop",
                  "Index Name": "orders_ref_idx", "Index Cond": "(ref = 'x'::text)",
                  "Filter": "(total > 1)", "Total Cost": 9.0, "Plan Rows": 5}]}"#,
        )
        .unwrap_or_default();
        let n = super::node(&v);
        assert_eq!(n.node_type, "Limit");
        let scan = &n.children[0];
        assert_eq!(scan.relation.as_deref(), Some("shop.orders"));
        assert_eq!(scan.index.as_deref(), Some("orders_ref_idx"));
        assert_eq!(
            scan.detail,
            vec!["Index Cond: (ref = 'x'::text)", "Filter: (total > 1)"]
        );
    }
}
