//! Sparse candidates: an equality or range on a mostly-NULL column implies IS NOT NULL, so
//! an index of the non-NULL rows alone serves it and is a fraction of the size.

use super::super::facts::TableFacts;
use super::super::index_def::{IndexDef, KeyPart};

/// A leading key column with at least this share of NULLs also gets a partial variant
/// `WHERE col IS NOT NULL`.
const SPARSE_NULL_FRAC: f64 = 0.5;

/// The `IS NOT NULL` partial variant of each full candidate whose leading key is mostly
/// NULL.
pub(super) fn variants(out: &[IndexDef], facts: &TableFacts) -> Vec<IndexDef> {
    out.iter()
        .filter(|d| d.predicate.is_none())
        .filter_map(|d| {
            let lead = d.keys.first()?;
            let null_frac = match &lead.expression {
                None => facts.columns.get(&lead.column)?.null_frac,
                Some(e) => *facts.expression_nulls.get(e)?,
            };
            (null_frac >= SPARSE_NULL_FRAC).then(|| {
                let mut p = d.clone();
                let target = KeyPart {
                    opclass: None,
                    descending: false,
                    ..lead.clone()
                }
                .sql();
                p.predicate = Some(format!("{target} IS NOT NULL"));
                p
            })
        })
        .collect()
}
