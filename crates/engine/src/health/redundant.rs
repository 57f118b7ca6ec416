//! `redundant-index`: a B-tree index whose keys lead another valid B-tree index on the same
//! table with the same predicate, so that the other serves every scan it serves. Keys are
//! compared as the definition prints them (operator class, collation, ordering, expressions).
//! A unique index is never redundant: it enforces something.

use super::shape::{
    backs_constraint, column_list, drop_ddl, is_part, key_elements, parent_help, protected,
    table_name, PARTITIONED_HELP,
};
use super::{Check, Evidence, Finding, Input, Severity};
use crate::catalog::{Catalog, Index, RelationKind};
use crate::ident::display_ident;
use std::collections::BTreeSet;

/// Does `big` serve every scan `small` serves, and is this not an exact duplicate?
pub fn covers(small: &Index, big: &Index) -> bool {
    if small.name == big.name
        || small.method != "btree"
        || big.method != "btree"
        || !small.is_valid
        || !big.is_valid
        || protected(small)
        || small.predicate != big.predicate
    {
        return false;
    }
    let (ks, kb) = (key_elements(small), key_elements(big));
    if ks.len() > kb.len() || kb[..ks.len()] != ks[..] {
        return false;
    }
    let small_inc: BTreeSet<&String> = small.include_columns.iter().collect();
    let big_inc: BTreeSet<&String> = big.include_columns.iter().collect();
    let big_all: BTreeSet<&String> = big.key_columns.iter().chain(&big.include_columns).collect();
    if !small_inc.is_subset(&big_all) {
        return false;
    }
    if ks.len() == kb.len() {
        // Same keys: redundant only against a unique index or one that carries strictly
        // more INCLUDE columns; otherwise it is a duplicate (or a near one) and not ours.
        return big.is_unique || (small_inc.is_subset(&big_inc) && small_inc != big_inc);
    }
    true
}

pub fn check(catalog: &Catalog, input: &Input) -> Vec<Finding> {
    let mut out = Vec::new();
    for rel in &catalog.relations {
        // A partition's parts of partitioned indexes are compared on the table.
        for small in rel.indexes.iter().filter(|ix| !is_part(ix, input)) {
            // The covering index: a constraint's first, then the shortest, then by name.
            let Some(big) = rel
                .indexes
                .iter()
                .filter(|big| covers(small, big))
                .min_by_key(|big| (!backs_constraint(big), big.key_columns.len(), &big.name))
            else {
                continue;
            };
            let ddl = drop_ddl(rel, small, input);
            let help = if ddl.is_some() {
                format!(
                    "Drop it unless its smaller size matters for a hot query: {} serves the same scans.",
                    display_ident(&big.name)
                )
            } else if rel.kind == RelationKind::Partitioned {
                format!(
                    "{} serves the same scans: {}",
                    display_ident(&big.name),
                    parent_help(small)
                )
            } else {
                PARTITIONED_HELP.to_string()
            };
            out.push(Finding {
                check: Check::RedundantIndex,
                severity: Severity::Warning,
                schema: rel.schema.clone(),
                table: rel.name.clone(),
                index: Some(small.name.clone()),
                message: format!(
                    "Index {} {} on {} is redundant: {} {} leads with the same columns.",
                    display_ident(&small.name),
                    column_list(&small.key_columns),
                    table_name(rel),
                    display_ident(&big.name),
                    column_list(&big.key_columns)
                ),
                evidence: Evidence {
                    size_bytes: Some(small.size_bytes),
                    definition: Some(small.definition.clone()),
                    scans: input.stats(&small.schema, &small.name).map(|s| s.scans),
                    covered_by: Some(big.name.clone()),
                    covered_by_definition: Some(big.definition.clone()),
                    ..Evidence::default()
                },
                ddl,
                help,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{index, input, table};
    use super::*;

    fn found(indexes: Vec<Index>) -> Vec<(String, String)> {
        let cat = Catalog {
            relations: vec![table("t", 10.0, indexes)],
            ..Catalog::default()
        };
        check(&cat, &input())
            .into_iter()
            .map(|f| (f.index.unwrap(), f.evidence.covered_by.unwrap()))
            .collect()
    }

    #[test]
    fn prefix_is_redundant() {
        let f = found(vec![
            index("t_c_idx", &["c"]),
            index("t_c_a_idx", &["c", "a"]),
        ]);
        assert_eq!(f, [("t_c_idx".to_string(), "t_c_a_idx".to_string())]);
    }

    #[test]
    fn non_prefix_and_other_predicates_are_not() {
        let mut partial = index("t_c_a_partial", &["c", "a"]);
        partial.predicate = Some("(a > 0)".into());
        assert!(found(vec![
            index("t_a_idx", &["a"]),
            index("t_c_a_idx", &["c", "a"])
        ])
        .is_empty());
        assert!(found(vec![index("t_c_idx", &["c"]), partial]).is_empty());
    }

    #[test]
    fn unique_is_never_redundant_but_a_plain_twin_of_one_is() {
        let mut key = index("t_e_key", &["e"]);
        key.is_unique = true;
        key.constraint_name = Some("t_e_key".into());
        key.definition = "CREATE UNIQUE INDEX t_e_key ON app.t USING btree (e)".into();
        let mut wide = index("t_e_x_idx", &["e", "x"]);
        wide.is_unique = false;
        let f = found(vec![key, index("t_e_idx", &["e"]), wide]);
        // t_e_key is unique: never reported, even though t_e_x_idx leads with e.
        assert_eq!(f, [("t_e_idx".to_string(), "t_e_key".to_string())]);
    }

    #[test]
    fn other_methods_and_expressions_differ() {
        let mut gin = index("t_c_gin", &["c"]);
        gin.method = "gin".into();
        gin.definition = "CREATE INDEX t_c_gin ON app.t USING gin (c)".into();
        let mut lower = index("t_lower", &["lower(c)"]);
        lower.has_expressions = true;
        assert!(found(vec![gin, index("t_c_a_idx", &["c", "a"])]).is_empty());
        assert!(found(vec![lower, index("t_c_a_idx", &["c", "a"])]).is_empty());
    }
}
