//! `invalid-index`: an index left INVALID by a failed `CREATE INDEX CONCURRENTLY` (or
//! `REINDEX CONCURRENTLY`). It is still maintained on every write but serves no reads.

use super::shape::{backs_constraint, drop_ddl, parent_help, table_name, PARTITIONED_HELP};
use super::{Check, Evidence, Finding, Input, Severity};
use crate::catalog::{Catalog, RelationKind};
use crate::ident::display_ident;

pub fn check(catalog: &Catalog, input: &Input) -> Vec<Finding> {
    let mut out = Vec::new();
    for rel in &catalog.relations {
        for ix in rel.indexes.iter().filter(|ix| !ix.is_valid) {
            let ddl = if backs_constraint(ix) {
                None
            } else {
                drop_ddl(rel, ix, input)
            };
            let help = if backs_constraint(ix) {
                "It backs a constraint: rebuild it with REINDEX INDEX CONCURRENTLY rather than dropping it.".to_string()
            } else if rel.kind == RelationKind::Partitioned {
                // Not a failed build of its own: some partition has no part attached yet
                // (see `partition-index-gap`).
                format!(
                    "A partitioned table's index is valid once every partition has its part attached: build the missing ones (applying its change again resumes IndexPilot's build), or {}",
                    parent_help(ix)
                )
            } else if ddl.is_none() {
                PARTITIONED_HELP.to_string()
            } else {
                "Drop it; if it is still wanted, fix the cause (duplicate values, a cancelled build) and create it again with CREATE INDEX CONCURRENTLY.".to_string()
            };
            out.push(Finding {
                check: Check::InvalidIndex,
                severity: Severity::Warning,
                schema: rel.schema.clone(),
                table: rel.name.clone(),
                index: Some(ix.name.clone()),
                message: format!(
                    "Index {} on {} is invalid (a failed concurrent build): it slows every write and serves no reads.",
                    display_ident(&ix.name),
                    table_name(rel)
                ),
                evidence: Evidence {
                    size_bytes: Some(ix.size_bytes),
                    definition: Some(ix.definition.clone()),
                    constraint: ix.constraint_name.clone(),
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

    #[test]
    fn invalid_index_is_dropped_concurrently() {
        let mut bad = index("t_v_key", &["v"]);
        bad.is_valid = false;
        bad.is_unique = true;
        let cat = Catalog {
            relations: vec![table("t", 10.0, vec![bad, index("t_w_idx", &["w"])])],
            ..Catalog::default()
        };
        let found = check(&cat, &input());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].index.as_deref(), Some("t_v_key"));
        assert_eq!(
            found[0].ddl.as_deref(),
            Some(r#"DROP INDEX CONCURRENTLY "app"."t_v_key";"#)
        );
    }
}
