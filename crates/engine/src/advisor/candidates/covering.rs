//! Covering candidates: the statement's other columns in INCLUDE, when few and narrow, for
//! an index-only scan.

use super::super::facts::TableFacts;
use super::super::index_def::IndexDef;
use super::{already_indexed, Context};
use crate::workload::analyse::ColumnUse;
use std::collections::BTreeSet;

/// Columns wider than this (bytes on average) stay out of INCLUDE.
const NARROW_WIDTH: i32 = 64;

/// The covering variant of each candidate whose keys are plain columns: the columns the
/// statement reads (`reads`) and the columns behind its expressions, in INCLUDE.
pub(super) fn variants(
    out: &[IndexDef],
    reads: &BTreeSet<String>,
    uses: &[&ColumnUse],
    facts: &TableFacts,
    ctx: &Context,
) -> Vec<IndexDef> {
    let (schema, table) = (facts.schema.as_str(), facts.table.as_str());
    out.iter()
        // Keys an index already has (a primary key): covering them saves one heap fetch.
        .filter(|d| !already_indexed(d, &facts.indexes))
        .filter_map(|d| {
            let in_key: BTreeSet<&str> = d.keys.iter().map(|k| k.column.as_str()).collect();
            let extra: Vec<String> = reads
                .iter()
                .chain(
                    uses.iter()
                        .filter(|u| u.expression.is_some())
                        .map(|u| &u.column),
                )
                .filter(|c| !in_key.contains(c.as_str()))
                .filter(|c| ctx.policy.indexable(schema, table, c))
                .cloned()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            let narrow = extra.iter().all(|c| {
                facts
                    .columns
                    .get(c)
                    .is_none_or(|s| s.avg_width <= NARROW_WIDTH)
            });
            let keys_cover: bool = d.keys.iter().all(|k| k.expression.is_none());
            (!extra.is_empty() && extra.len() <= ctx.options.max_include && narrow && keys_cover)
                .then(|| {
                    let mut c = d.clone();
                    c.include = extra;
                    c
                })
        })
        .collect()
}
