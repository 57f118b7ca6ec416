//! `unindexed-foreign-key`: a foreign key on a large table with no valid, non-partial index
//! whose leading key columns are exactly the key's columns (in any order). Without one, every
//! DELETE or key UPDATE on the referenced table scans the referencing table.

use super::shape::{column_list, table_name};
use super::{Check, Evidence, Finding, Input, Severity};
use crate::catalog::{Catalog, ConstraintKind, Index};
use crate::ident::{display_ident, quote_ident, quote_qualified};
use std::collections::BTreeSet;

/// Can `ix` find the rows of one referenced key?
fn serves(ix: &Index, columns: &BTreeSet<&String>) -> bool {
    let n = columns.len();
    let usable_method = ix.method == "btree" || (ix.method == "hash" && n == 1);
    usable_method
        && ix.is_valid
        && ix.predicate.is_none()
        && ix.key_columns.len() >= n
        && ix.key_columns[..n].iter().collect::<BTreeSet<_>>() == *columns
}

pub fn check(catalog: &Catalog, input: &Input) -> Vec<Finding> {
    let mut out = Vec::new();
    for rel in &catalog.relations {
        let Some(rows) = rel.row_estimate else {
            continue;
        };
        if rows < input.options.min_table_rows {
            continue;
        }
        for fk in rel
            .constraints
            .iter()
            .filter(|c| c.kind == ConstraintKind::ForeignKey && !c.columns.is_empty())
        {
            let columns: BTreeSet<&String> = fk.columns.iter().collect();
            if rel.indexes.iter().any(|ix| serves(ix, &columns)) {
                continue;
            }
            let references = fk
                .references
                .as_ref()
                .map(|r| format!("{}.{}", display_ident(&r.schema), display_ident(&r.table)));
            let cols = fk
                .columns
                .iter()
                .map(|c| quote_ident(c))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(Finding {
                check: Check::UnindexedForeignKey,
                severity: Severity::Warning,
                schema: rel.schema.clone(),
                table: rel.name.clone(),
                index: None,
                message: format!(
                    "Foreign key {} {} on {} (about {rows:.0} rows) has no index: each delete or key update in {} scans the table.",
                    display_ident(&fk.name),
                    column_list(&fk.columns),
                    table_name(rel),
                    references.as_deref().unwrap_or("the referenced table"),
                ),
                evidence: Evidence {
                    constraint: Some(fk.name.clone()),
                    fk_columns: fk.columns.clone(),
                    references,
                    table_rows: Some(rows),
                    table_bytes: Some(rel.table_bytes),
                    ..Evidence::default()
                },
                ddl: Some(format!(
                    "CREATE INDEX CONCURRENTLY ON {} ({cols});",
                    quote_qualified(&rel.schema, &rel.name)
                )),
                help: "Create the index unless rows of the referenced table are never deleted and its key never changes.".to_string(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{fk, index, input, table};
    use super::*;

    #[test]
    fn large_table_without_index_is_reported() {
        let mut big = table("big", 20_000.0, vec![index("big_x_idx", &["x", "p"])]);
        big.constraints.push(fk("big_p_fkey", &["p"]));
        let mut small = table("small", 50.0, vec![]);
        small.constraints.push(fk("small_p_fkey", &["p"]));
        let cat = Catalog {
            relations: vec![big, small],
            ..Catalog::default()
        };
        let found = check(&cat, &input());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].table, "big");
        assert_eq!(
            found[0].ddl.as_deref(),
            Some(r#"CREATE INDEX CONCURRENTLY ON "app"."big" ("p");"#)
        );
    }

    #[test]
    fn leading_columns_in_any_order_serve() {
        let mut t = table("t", 20_000.0, vec![index("t_b_a_c", &["b", "a", "c"])]);
        t.constraints.push(fk("t_ab_fkey", &["a", "b"]));
        let cat = Catalog {
            relations: vec![t],
            ..Catalog::default()
        };
        assert!(check(&cat, &input()).is_empty());
    }
}
