//! BRIN candidates: a range on a column whose values follow the physical order (a timestamp
//! of an append-only table) is served by a block-range index a thousandth of a B-tree's
//! size.

use super::super::facts::TableFacts;
use super::super::index_def::{IndexDef, KeyPart, Method};
use super::Part;
use crate::workload::analyse::Role;

/// BRIN candidates: tables at least this large, columns at least this correlated with the
/// physical order.
const BRIN_MIN_ROWS: f64 = 100_000.0;
const BRIN_MIN_CORRELATION: f64 = 0.9;

/// A BRIN index per range of a statement without equality keys, on a large table whose
/// column is ordered like the rows (the caller knows the table is append-only).
pub(super) fn variants(ranges: &[Part], facts: &TableFacts) -> Vec<IndexDef> {
    if facts.rows < BRIN_MIN_ROWS {
        return Vec::new();
    }
    ranges
        .iter()
        .filter(|r| r.role == Role::Range && r.key.expression.is_none())
        .filter(|r| {
            facts
                .columns
                .get(&r.key.column)
                .and_then(|s| s.correlation)
                .is_some_and(|c| c.abs() >= BRIN_MIN_CORRELATION)
        })
        .map(|r| IndexDef {
            schema: facts.schema.clone(),
            table: facts.table.clone(),
            method: Method::Brin,
            keys: vec![KeyPart::column(&r.key.column)],
            include: Vec::new(),
            predicate: None,
        })
        .collect()
}
