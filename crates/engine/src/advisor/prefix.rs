//! Equality prefixes: where the planner's price of an index and the work it does part ways.
//!
//! The planner prices an index scan's heap reads from the correlation of the index's first
//! column alone (pg_stats' `correlation`, taken at three quarters for a multi-column index),
//! and a bitmap scan's as if the rows were spread over the table. An index that leads with
//! columns the statement fixes by equality — `(status, created_at)` for
//! `status = 'completed' AND created_at >= $1` — reads a subset of the entries, and of the
//! heap rows, that the same index without those columns reads, in the same order. Yet when
//! the leading column (a status, a tenant id) is scattered over the heap and the next one
//! (a timestamp) follows the heap's order, the planner prices the first as random reads and
//! the second as sequential ones, up to tenfold apart, although the first does less.
//!
//! So where a plan reads through such an index, the advisor prices the statement no higher
//! than with the index without its equality prefix (planned as a second hypothetical index
//! next to it). Only for plans that use the index: when the planner would not, its price
//! decides what runs. And when the two then save about the same, the longer one is chosen
//! (`extends`): it does the same for fewer rows, and it keeps the planner on index plans
//! for the statements it serves (with the shorter index, a join over the window may turn
//! into a hash join over a sequential scan of the other table).

use super::index_def::{IndexDef, Method};
use crate::workload::analyse::{Analysis, Role};

/// `def` without the leading keys that `analysis` fixes by equality on `def`'s table, when
/// there are such keys and at least one key after them; `None` otherwise.
pub fn without_equality_prefix(def: &IndexDef, analysis: &Analysis) -> Option<IndexDef> {
    if def.method != Method::Btree {
        return None;
    }
    let fixed = |target: &str| {
        analysis.columns.iter().any(|u| {
            u.role == Role::Equality
                && u.operator.as_deref().is_none_or(|op| op == "=")
                && u.schema.as_deref() == Some(def.schema.as_str())
                && u.table == def.table
                && u.expression.as_deref().unwrap_or(&u.column) == target
        })
    };
    let prefix = def.keys.iter().take_while(|k| fixed(&k.target())).count();
    if prefix == 0 || prefix == def.keys.len() {
        return None;
    }
    Some(IndexDef {
        keys: def.keys[prefix..].to_vec(),
        ..def.clone()
    })
}

/// `longer` is `shorter` with more leading keys (and at least its INCLUDE columns): where
/// the statements fix those keys by equality, it reads a subset of what `shorter` reads.
pub fn extends(longer: &IndexDef, shorter: &IndexDef) -> bool {
    longer.schema == shorter.schema
        && longer.table == shorter.table
        && longer.method == shorter.method
        && longer.predicate == shorter.predicate
        && longer.keys.len() > shorter.keys.len()
        && longer.keys.ends_with(&shorter.keys)
        && shorter.include.iter().all(|c| longer.include.contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisor::index_def::test_btree;
    use crate::catalog::Catalog;
    use crate::workload::analyse::{analyse, Resolver};

    fn analysed(sql: &str) -> Analysis {
        analyse(&Resolver::new(&Catalog::default()), sql)
    }

    #[test]
    fn the_equality_prefix_is_dropped_up_to_the_first_other_key() {
        let a =
            analysed("SELECT * FROM s.t WHERE status = 'done' AND kind = $1 AND created_at >= $2");
        let def = test_btree(&["status", "kind", "created_at", "id"], None);
        let shorter = without_equality_prefix(&def, &a).unwrap_or_else(|| panic!("a suffix"));
        let keys: Vec<String> = shorter.keys.iter().map(|k| k.target()).collect();
        assert_eq!(keys, vec!["created_at", "id"]);
    }

    #[test]
    fn an_index_extends_the_one_it_ends_with() {
        let long = test_btree(&["status", "created_at"], None);
        let short = test_btree(&["created_at"], None);
        assert!(extends(&long, &short));
        assert!(!extends(&short, &long));
        assert!(!extends(&long, &long));
        assert!(!extends(
            &test_btree(&["created_at", "status"], None),
            &short
        ));
        let mut covering = short.clone();
        covering.include = vec!["total".into()];
        assert!(!extends(&long, &covering));
    }

    #[test]
    fn nothing_to_drop_without_an_equality_lead_or_a_key_after_it() {
        let a = analysed("SELECT * FROM s.t WHERE status = 'done' AND created_at >= $1");
        assert!(
            without_equality_prefix(&test_btree(&["created_at", "status"], None), &a).is_none()
        );
        assert!(without_equality_prefix(&test_btree(&["status"], None), &a).is_none());
        let ranged = analysed("SELECT * FROM s.t WHERE status > 'a' AND created_at >= $1");
        assert!(
            without_equality_prefix(&test_btree(&["status", "created_at"], None), &ranged)
                .is_none()
        );
    }
}
