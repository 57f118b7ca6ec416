//! Write overhead: what one more index costs the statements that write to its table, in the
//! planner's cost units and over the same window as the workload's read costs, so that the
//! selection can subtract it from the saving.
//!
//! - Every inserted row adds an entry to the index.
//! - An update that changes none of the table's indexed columns can be HOT (no index entry
//!   at all). Updates that are not HOT add an entry to every index, this one included.
//! - When the new index covers a column an UPDATE sets, that statement's HOT updates stop
//!   being HOT: each then adds an entry to every index of the table.
//!
//! One entry is priced like a single-row index probe plus the page write it dirties; the
//! figures come from the workload's own INSERT/UPDATE statements (rows affected, from
//! pg_stat_statements) and the table's HOT ratio.

use super::candidates::Statement;
use super::index_def::IndexDef;
use crate::workload::analyse::{Access, Role};
use std::collections::{BTreeSet, HashMap};

/// Planner cost units for adding one entry to one B-tree (descent, leaf write, WAL).
pub const ENTRY_COST: f64 = 8.0;
/// GIN entries are several per row (one per key in the value).
pub const GIN_ENTRY_COST: f64 = 24.0;

/// Rows the workload writes to one table.
#[derive(Debug, Clone, Default)]
pub struct TableWrites {
    pub inserted_rows: f64,
    /// Per UPDATE statement: rows updated and the columns it sets.
    pub updates: Vec<(f64, BTreeSet<String>)>,
}

impl TableWrites {
    pub fn of(statements: &[Statement], schema: &str, table: &str) -> Self {
        let mut w = TableWrites::default();
        for s in statements {
            let a = &s.analysis;
            let touches = |access: Access| {
                a.tables.iter().any(|t| {
                    t.access == access && t.table == table && t.schema.as_deref() == Some(schema)
                })
            };
            if touches(Access::Insert) {
                w.inserted_rows += s.rows;
            }
            if touches(Access::Update) {
                let set: BTreeSet<String> = a
                    .columns_of(schema, table)
                    .filter(|c| c.role == Role::Updated)
                    .map(|c| c.column.clone())
                    .collect();
                w.updates.push((s.rows, set));
            }
        }
        w
    }

    /// The writes of each of `tables`, read from the workload once.
    pub fn by_table<'t>(
        statements: &[Statement],
        tables: impl IntoIterator<Item = &'t (String, String)>,
    ) -> HashMap<(String, String), TableWrites> {
        tables
            .into_iter()
            .map(|(s, t)| ((s.clone(), t.clone()), TableWrites::of(statements, s, t)))
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.inserted_rows == 0.0 && self.updates.is_empty()
    }
}

/// Columns a definition depends on: keys (and the columns of expression keys), INCLUDE, and
/// the quoted names in its predicate.
pub fn columns_of(def: &IndexDef) -> BTreeSet<String> {
    let mut cols: BTreeSet<String> = def
        .key_and_include_columns()
        .into_iter()
        .map(String::from)
        .collect();
    if let Some(p) = &def.predicate {
        let mut rest = p.as_str();
        while let Some(start) = rest.find('"') {
            let after = &rest[start + 1..];
            let mut name = String::new();
            let mut chars = after.char_indices().peekable();
            let mut end = after.len();
            while let Some((i, c)) = chars.next() {
                if c == '"' {
                    if chars.peek().map(|(_, n)| *n) == Some('"') {
                        name.push('"');
                        chars.next();
                        continue;
                    }
                    end = i + 1;
                    break;
                }
                name.push(c);
            }
            cols.insert(name);
            rest = &after[end.min(after.len())..];
        }
    }
    cols
}

/// The maintenance cost one more index adds over the window.
/// `existing` is the number of indexes the table has (plus those chosen before this one).
pub fn write_overhead(
    def: &IndexDef,
    writes: &TableWrites,
    hot_ratio: f64,
    existing: usize,
) -> f64 {
    let entry = match def.method {
        super::index_def::Method::Gin => GIN_ENTRY_COST,
        _ => ENTRY_COST,
    };
    let cols = columns_of(def);
    let hot = hot_ratio.clamp(0.0, 1.0);
    let mut cost = writes.inserted_rows * entry;
    for (rows, set) in &writes.updates {
        if set.iter().any(|c| cols.contains(c)) {
            // Not HOT any more: this index, and every other index, gets an entry.
            cost += rows * (1.0 - hot) * entry + rows * hot * entry * (existing as f64 + 1.0);
        } else {
            cost += rows * (1.0 - hot) * entry;
        }
    }
    cost
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(cols: &[&str], predicate: Option<&str>) -> IndexDef {
        crate::advisor::index_def::test_btree(cols, predicate)
    }

    #[test]
    fn indexing_an_updated_column_costs_the_hot_updates() {
        let writes = TableWrites {
            inserted_rows: 100.0,
            updates: vec![(1000.0, ["status".to_string()].into())],
        };
        let other = write_overhead(&def(&["owner_id"], None), &writes, 0.9, 2);
        let status = write_overhead(&def(&["status"], None), &writes, 0.9, 2);
        assert!(
            (other - (100.0 * ENTRY_COST + 1000.0 * 0.1 * ENTRY_COST)).abs() < 1e-6,
            "{other}"
        );
        assert!(status > 10.0 * other, "{status} vs {other}");
        let partial = write_overhead(
            &def(&["owner_id"], Some("\"status\" = 'open'")),
            &writes,
            0.9,
            2,
        );
        assert_eq!(partial, status);
    }

    #[test]
    fn predicate_columns_are_read_from_quoted_names() {
        let d = def(&["a"], Some("\"we\"\"ird\" IS NULL AND NOT \"done\""));
        let cols = columns_of(&d);
        assert!(
            cols.contains("we\"ird") && cols.contains("done") && cols.contains("a"),
            "{cols:?}"
        );
    }
}
