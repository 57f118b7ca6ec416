//! `duplicate-index`: two valid indexes on the same table with the same method, keys
//! (operator classes, collations and ordering included), INCLUDE columns, predicate and
//! uniqueness. One is kept: the one that backs a constraint, else the first by name.

use super::shape::{
    backs_constraint, body, drop_ddl, is_part, parent_help, protected, table_name, PARTITIONED_HELP,
};
use super::{Check, Evidence, Finding, Input, Severity};
use crate::catalog::{Catalog, Index, RelationKind};
use crate::ident::display_ident;
use std::collections::BTreeMap;

pub fn check(catalog: &Catalog, input: &Input) -> Vec<Finding> {
    let mut out = Vec::new();
    for rel in &catalog.relations {
        let mut groups: BTreeMap<(bool, &str), Vec<&Index>> = BTreeMap::new();
        // A partition's parts of partitioned indexes are compared on the table.
        for ix in rel
            .indexes
            .iter()
            .filter(|ix| ix.is_valid && !is_part(ix, input))
        {
            groups.entry((ix.is_unique, body(ix))).or_default().push(ix);
        }
        for mut group in groups.into_values().filter(|g| g.len() > 1) {
            // Keep a constraint's index first, then the first by name.
            group.sort_by(|a, b| {
                (!backs_constraint(a), &a.name).cmp(&(!backs_constraint(b), &b.name))
            });
            let keep = group[0];
            for dup in &group[1..] {
                let ddl = if protected(dup) {
                    None
                } else {
                    drop_ddl(rel, dup, input)
                };
                let help = if backs_constraint(dup) {
                    format!(
                        "Both back constraints: drop the redundant constraint ({}) if nothing relies on it; its index goes with it.",
                        display_ident(dup.constraint_name.as_deref().unwrap_or(&dup.name))
                    )
                } else if protected(dup) {
                    format!(
                        "It is unique: check that no foreign key relies on it, then drop it by hand; {} keeps the rows unique.",
                        display_ident(&keep.name)
                    )
                } else if rel.kind == RelationKind::Partitioned {
                    format!(
                        "{} serves the same scans: {}",
                        display_ident(&keep.name),
                        parent_help(dup)
                    )
                } else if ddl.is_none() {
                    PARTITIONED_HELP.to_string()
                } else {
                    format!(
                        "Drop it: {} serves the same scans.",
                        display_ident(&keep.name)
                    )
                };
                out.push(Finding {
                    check: Check::DuplicateIndex,
                    severity: Severity::Warning,
                    schema: rel.schema.clone(),
                    table: rel.name.clone(),
                    index: Some(dup.name.clone()),
                    message: format!(
                        "Index {} on {} duplicates {}: same columns, method and predicate.",
                        display_ident(&dup.name),
                        table_name(rel),
                        display_ident(&keep.name)
                    ),
                    evidence: Evidence {
                        size_bytes: Some(dup.size_bytes),
                        definition: Some(dup.definition.clone()),
                        scans: input.stats(&dup.schema, &dup.name).map(|s| s.scans),
                        covered_by: Some(keep.name.clone()),
                        covered_by_definition: Some(keep.definition.clone()),
                        constraint: dup.constraint_name.clone(),
                        ..Evidence::default()
                    },
                    ddl,
                    help,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{index, input, table};
    use super::*;

    #[test]
    fn exact_duplicate_drops_the_second_by_name() {
        let cat = Catalog {
            relations: vec![table(
                "t",
                10.0,
                vec![index("t_b_idx", &["b"]), index("t_b_idx1", &["b"])],
            )],
            ..Catalog::default()
        };
        let found = check(&cat, &input());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].index.as_deref(), Some("t_b_idx1"));
        assert_eq!(found[0].evidence.covered_by.as_deref(), Some("t_b_idx"));
        assert_eq!(
            found[0].ddl.as_deref(),
            Some(r#"DROP INDEX CONCURRENTLY "app"."t_b_idx1";"#)
        );
    }

    #[test]
    fn the_constraint_side_is_kept() {
        let mut key = index("t_a_key", &["a"]);
        key.is_unique = true;
        key.constraint_name = Some("t_a_key".into());
        let mut plain = index("a_unique", &["a"]);
        plain.is_unique = true;
        let cat = Catalog {
            relations: vec![table("t", 10.0, vec![plain, key])],
            ..Catalog::default()
        };
        let found = check(&cat, &input());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].index.as_deref(), Some("a_unique"));
        // Unique: reported, but no DDL.
        assert_eq!(found[0].ddl, None);
    }

    #[test]
    fn both_constraints_reported_without_ddl() {
        let mut k1 = index("t_a_key", &["a"]);
        k1.is_unique = true;
        k1.constraint_name = Some("t_a_key".into());
        let mut k2 = index("t_a_key1", &["a"]);
        k2.is_unique = true;
        k2.constraint_name = Some("t_a_key1".into());
        let cat = Catalog {
            relations: vec![table("t", 10.0, vec![k1, k2])],
            ..Catalog::default()
        };
        let found = check(&cat, &input());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].ddl, None);
    }

    #[test]
    fn different_opclass_or_predicate_is_not_a_duplicate() {
        let mut pattern = index("t_e_pattern", &["e"]);
        pattern.definition =
            r#"CREATE INDEX t_e_pattern ON app.t USING btree (e text_pattern_ops)"#.into();
        let mut partial = index("t_e_partial", &["e"]);
        partial.predicate = Some("(e IS NOT NULL)".into());
        partial.definition =
            r#"CREATE INDEX t_e_partial ON app.t USING btree (e) WHERE (e IS NOT NULL)"#.into();
        let cat = Catalog {
            relations: vec![table(
                "t",
                10.0,
                vec![index("t_e_idx", &["e"]), pattern, partial],
            )],
            ..Catalog::default()
        };
        assert!(check(&cat, &input()).is_empty());
    }
}
