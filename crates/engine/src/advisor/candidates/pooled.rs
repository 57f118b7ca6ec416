//! Pooled partial candidates: several statements each narrow a table to a few rows with
//! constants on the same column (a queue's `state = 'available'`, its stager's `state IN
//! ('scheduled', 'retryable')`, its reaper's `state = 'executing'`). One partial index over
//! the union of their values, keyed by that column first, serves all of them and is written
//! once per row change; one partial index each would be written as many times, and a full
//! index on the column holds every row. Found across the whole workload, then offered to
//! each statement whose values it covers; costing decides.

use super::super::facts::TableFacts;
use super::partial::{constant_share, in_list_items, predicate_sql};
use super::Context;
use crate::ident::quote_ident;
use crate::workload::analyse::{Access, Analysis, ColumnUse, Role};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The union of the statements' selective constants on one column of one table.
#[derive(Debug, Clone)]
pub(super) struct Pool {
    column: String,
    values: BTreeSet<String>,
    /// The partial index's WHERE clause.
    pub sql: String,
    /// Share of the table's rows the union keeps.
    pub share: f64,
}

impl Pool {
    /// Whether the pool serves this use of its column: its constants are among the pool's
    /// values, and its own predicate is not already the pool's (that is its own variant).
    pub fn serves(&self, u: &ColumnUse) -> bool {
        u.column == self.column
            && constant_values(u).is_some_and(|v| v.is_subset(&self.values))
            && predicate_sql(u).as_deref() != Some(self.sql.as_str())
    }
}

pub(super) type Pools = HashMap<(String, String), Vec<Pool>>;

/// One statement's values on a column, and its predicate's text.
type ValueSet = (BTreeSet<String>, String);

/// The pools of the workload: per table and column, the value sets of at least two
/// statements whose constants there keep few rows, when their union still does.
pub(super) fn pools(analyses: &[&Analysis], ctx: &Context) -> Pools {
    // (schema, table, column) → the distinct value sets, each with its predicate text,
    // in the order the statements come.
    let mut found: BTreeMap<(String, String, String), Vec<ValueSet>> = BTreeMap::new();
    for a in analyses {
        for u in &a.columns {
            let Some(schema) = &u.schema else { continue };
            let Some(facts) = ctx.tables.get(&(schema.clone(), u.table.clone())) else {
                continue;
            };
            if !poolable(a, u, facts, ctx) {
                continue;
            }
            let (Some(values), Some(sql)) = (constant_values(u), predicate_sql(u)) else {
                continue;
            };
            let sets = found
                .entry((schema.clone(), u.table.clone(), u.column.clone()))
                .or_default();
            if !sets.iter().any(|(v, _)| *v == values) {
                sets.push((values, sql));
            }
        }
    }
    let mut out: Pools = HashMap::new();
    for ((schema, table, column), sets) in found {
        if sets.len() < 2 {
            continue;
        }
        let Some(facts) = ctx.tables.get(&(schema.clone(), table.clone())) else {
            continue;
        };
        let Some(st) = facts.columns.get(&column) else {
            continue;
        };
        let values: BTreeSet<String> = sets.iter().flat_map(|(v, _)| v.iter().cloned()).collect();
        let shares: Option<Vec<f64>> = values.iter().map(|v| st.constant_share(v)).collect();
        let Some(share) = shares.map(|s| s.iter().sum::<f64>().min(1.0)) else {
            continue;
        };
        if share > ctx.options.partial_max_share {
            continue;
        }
        // A statement that names the whole union lends its text, so that its own partial
        // variant and the pool are one candidate.
        let sql = sets
            .iter()
            .find(|(v, _)| *v == values)
            .map(|(_, sql)| sql.clone())
            .unwrap_or_else(|| {
                let list: Vec<&str> = values.iter().map(String::as_str).collect();
                format!("{} IN ({})", quote_ident(&column), list.join(", "))
            });
        out.entry((schema, table)).or_default().push(Pool {
            column,
            values,
            sql,
            share,
        });
    }
    out
}

/// An equality or IN list with literal values on a plain column the policy lets be keyed,
/// selective on its own, in a statement that reads the table (not only inserts into it).
fn poolable(a: &Analysis, u: &ColumnUse, facts: &TableFacts, ctx: &Context) -> bool {
    let reads = a.tables.iter().any(|t| {
        t.known
            && t.access != Access::Insert
            && t.table == u.table
            && t.schema.as_deref() == u.schema.as_deref()
    });
    reads
        && matches!(u.role, Role::Equality | Role::InList)
        && u.expression.is_none()
        && ctx.policy.indexable(&facts.schema, &facts.table, &u.column)
        && constant_share(u, facts.columns.get(&u.column))
            .is_some_and(|s| s <= ctx.options.partial_max_share)
}

/// The literal values of an equality or IN list; None for a boolean (the union of `true`
/// and `false` is every row) or anything that is not a plain literal.
fn constant_values(u: &ColumnUse) -> Option<BTreeSet<String>> {
    let c = u.constant.as_deref()?.trim();
    let items: Vec<String> = match u.role {
        Role::Equality => vec![c.to_string()],
        Role::InList => in_list_items(c)?,
        _ => return None,
    };
    let literal = |v: &str| !v.is_empty() && !v.starts_with('$') && !matches!(v, "true" | "false");
    (!items.is_empty() && items.iter().all(|v| literal(v))).then(|| items.into_iter().collect())
}
