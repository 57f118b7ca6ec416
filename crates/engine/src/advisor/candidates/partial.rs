//! Partial candidates: a constant predicate that keeps few rows (`status = 'failed'`, `NOT
//! done`), or all of a statement's constant filters on a table together (`status = 'active'
//! AND deleted_at IS NULL`), moves to the index's WHERE; the rest of the key stays.

use super::super::facts::{ColumnStats, TableFacts};
use super::super::index_def::{split_top_level, IndexDef, KeyPart, Method};
use super::{sortable, sorted_keys, Shape};
use crate::advisor::facts::CandidateOptions;
use crate::ident::quote_ident;
use crate::workload::analyse::{ColumnUse, Role};
use std::collections::BTreeSet;

/// The partial variants of one statement's shape on a table, one per predicate.
pub(super) fn variants(
    shape: &Shape,
    partials: &[(String, f64)],
    uses: &[&ColumnUse],
    facts: &TableFacts,
) -> Vec<IndexDef> {
    let mut out = Vec::new();
    // Partial: the constant predicates move to WHERE, the rest stays the key.
    for (pred, _share) in partials {
        let pred_cols: BTreeSet<&str> = uses
            .iter()
            .filter(|u| {
                predicate_sql(u).is_some_and(|p| p == *pred || pred.split(" AND ").any(|t| t == p))
            })
            .map(|u| u.column.as_str())
            .collect();
        let rest = shape
            .eq
            .iter()
            .filter(|p| !pred_cols.contains(p.key.column.as_str()));
        // A range on the sort keys themselves (a keyset cursor, `(created_at, id) < ($1,
        // $2) ORDER BY created_at DESC, id DESC`) is served by the keys in ORDER BY order.
        let ranges_sorted = shape.ranges.iter().all(|r| {
            shape
                .sort
                .iter()
                .any(|s| s.key.column == r.key.column && s.key.expression == r.key.expression)
        });
        let ordered = ranges_sorted && sortable(shape.sort);
        let mut keys: Vec<KeyPart> = if ordered {
            sorted_keys(rest, shape.sort)
        } else {
            rest.map(|p| p.key.clone()).collect()
        };
        if let Some(r) = shape.ranges.first().filter(|_| !ordered) {
            keys.push(r.key.clone());
        }
        if keys.is_empty() {
            keys = facts
                .primary_key
                .iter()
                .map(|c| KeyPart::column(c))
                .collect();
        }
        if keys.is_empty() {
            continue;
        }
        out.push(IndexDef {
            schema: facts.schema.clone(),
            table: facts.table.clone(),
            method: Method::Btree,
            keys,
            include: Vec::new(),
            predicate: Some(pred.clone()),
        });
    }
    out
}

/// Rows a partial index on the shared filters must leave out to be worth its own variant.
const SHARED_FILTERS_MAX_SHARE: f64 = 0.8;

/// Share of rows a constant predicate selects: `= 'open'`, `IN ('a','b')`, `IS NULL`, a
/// bare boolean.
pub(super) fn constant_share(u: &ColumnUse, st: Option<&ColumnStats>) -> Option<f64> {
    let st = st?;
    match (u.role, u.operator.as_deref()) {
        (Role::IsNull, Some("is null")) => Some(st.null_frac),
        (Role::IsNull, Some("is not null")) => Some(1.0 - st.null_frac),
        (Role::Equality, _) => u.constant.as_deref().and_then(|c| st.constant_share(c)),
        (Role::NotEqual, _) => u
            .constant
            .as_deref()
            .and_then(|c| st.constant_share(c))
            .map(|s| (1.0 - s - st.null_frac).max(0.0)),
        (Role::InList, _) => {
            let items = in_list_items(u.constant.as_deref()?)?;
            let shares: Option<Vec<f64>> = items.iter().map(|v| st.constant_share(v)).collect();
            shares.map(|s| s.iter().sum::<f64>().min(1.0))
        }
        _ => None,
    }
}

/// The items of an IN list's constant text, `('a', 'b')`: split at top-level commas,
/// trimmed, empty ones (an empty list, a trailing comma) left out. None when the text is not
/// a parenthesised list.
pub(super) fn in_list_items(list: &str) -> Option<Vec<String>> {
    let inner = list.trim().strip_prefix('(')?.strip_suffix(')')?;
    Some(
        split_top_level(inner, ",")
            .into_iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    )
}

/// A partial index's predicate and the share of rows it keeps, when the constant predicate
/// keeps few enough rows to be worth one.
pub(super) fn partial_predicate(
    u: &ColumnUse,
    share: Option<f64>,
    opts: &CandidateOptions,
) -> Option<(String, f64)> {
    let share = share.filter(|&s| s <= opts.partial_max_share)?;
    Some((predicate_sql(u)?, share))
}

/// One partial index for all of a statement's constant filters on a table together, however
/// many rows they keep: what applications put on every statement (`status = 'active'`,
/// soft deletes' `deleted_at IS NULL`) is the natural predicate of a partial index. The
/// filters leave the key, which gets shorter, and the rows they exclude leave the index,
/// which gets smaller; every statement that writes them is served. Costing decides whether
/// that beats keying on them. None when a single selective predicate already is that
/// variant, or when the filters keep nearly every row.
pub(super) fn shared_filters(
    constants: &[(String, f64)],
    singles: &[(String, f64)],
) -> Option<(String, f64)> {
    let mut seen = BTreeSet::new();
    let parts: Vec<&(String, f64)> = constants
        .iter()
        .filter(|(p, _)| seen.insert(p.clone()))
        .collect();
    let share: f64 = parts.iter().map(|(_, s)| s).product();
    if parts.is_empty() || share > SHARED_FILTERS_MAX_SHARE {
        return None;
    }
    let sql = parts
        .iter()
        .map(|(p, _)| p.as_str())
        .collect::<Vec<_>>()
        .join(" AND ");
    (!singles.iter().any(|(p, _)| *p == sql)).then_some((sql, share))
}

/// The WHERE clause of a partial index for a constant predicate.
pub(super) fn predicate_sql(u: &ColumnUse) -> Option<String> {
    if u.expression.is_some() {
        return None;
    }
    let col = quote_ident(&u.column);
    match (u.role, u.operator.as_deref(), u.constant.as_deref()) {
        (Role::IsNull, Some("is null"), _) => Some(format!("{col} IS NULL")),
        (Role::IsNull, Some("is not null"), _) => Some(format!("{col} IS NOT NULL")),
        (Role::Equality, _, Some("true")) => Some(col),
        (Role::Equality, _, Some("false")) => Some(format!("NOT {col}")),
        (Role::Equality, _, Some(c)) => Some(format!("{col} = {c}")),
        (Role::NotEqual, _, Some(c)) => Some(format!("{col} <> {c}")),
        (Role::InList, _, Some(c)) if c.trim_start().starts_with('(') => {
            Some(format!("{col} IN {}", c.trim()))
        }
        _ => None,
    }
}
