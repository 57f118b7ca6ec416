//! Merged candidates (index merging): two statements on one table each get their own
//! index, one a covering index on a key prefix of the other's (`(project_id) INCLUDE (id)`
//! for a count, `(project_id, created_at)` for a list). One index with the longer keys and
//! the covering one's INCLUDE list serves both scans, takes one slot of the cap instead of
//! two, and is written once per row change. Made from the candidates of the whole workload;
//! costing decides whether it beats the pair.

use super::Candidate;
use crate::advisor::index_def::IndexDef;
use std::collections::BTreeMap;

/// Candidates made at most: merging is pairwise, and each merge is costed once alone.
const MAX_MERGED: usize = 200;

/// The merged candidates not already among `candidates`.
pub(super) fn merged(candidates: &[Candidate]) -> Vec<Candidate> {
    let known: std::collections::BTreeSet<String> =
        candidates.iter().map(|c| c.def.fingerprint()).collect();
    let mut out: BTreeMap<String, Candidate> = BTreeMap::new();
    for covering in candidates.iter().filter(|c| c.tenants.is_empty()) {
        for longer in candidates.iter().filter(|c| c.tenants.is_empty()) {
            let Some(def) = merge(&covering.def, &longer.def) else {
                continue;
            };
            let fp = def.fingerprint();
            if known.contains(&fp) {
                continue;
            }
            let m = out.entry(fp).or_insert_with(|| Candidate {
                def,
                statements: Default::default(),
                tenants: Vec::new(),
            });
            m.statements.extend(covering.statements.iter().copied());
            m.statements.extend(longer.statements.iter().copied());
            if out.len() >= MAX_MERGED {
                return out.into_values().collect();
            }
        }
    }
    out.into_values().collect()
}

/// `covering` (with an INCLUDE list) folded into `longer`, whose keys extend its keys in
/// the same family (table, method, predicate): `longer`'s keys, both INCLUDE lists.
pub(crate) fn merge(covering: &IndexDef, longer: &IndexDef) -> Option<IndexDef> {
    let shorter = covering.keys.len();
    if covering.include.is_empty()
        || !longer.same_family(covering)
        || longer.keys.len() <= shorter
        || longer.keys[..shorter] != covering.keys[..]
    {
        return None;
    }
    let mut def = longer.clone();
    for c in &covering.include {
        let in_keys = def
            .keys
            .iter()
            .any(|k| k.expression.is_none() && &k.column == c);
        if !in_keys && !def.include.contains(c) {
            def.include.push(c.clone());
        }
    }
    def.include.sort();
    Some(def)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisor::index_def::test_btree;

    fn cand(cols: &[&str], include: &[&str], pred: Option<&str>, st: usize) -> Candidate {
        let mut def = test_btree(cols, pred);
        def.include = include.iter().map(|c| c.to_string()).collect();
        Candidate {
            def,
            statements: [st].into(),
            tenants: vec![],
        }
    }

    #[test]
    fn a_covering_index_on_a_key_prefix_merges_into_the_longer_one() {
        let p = Some("deleted_at IS NULL");
        let out = merged(&[
            cand(&["project_id"], &["id", "state"], p, 0),
            cand(&["project_id", "created_at"], &[], p, 1),
        ]);
        assert_eq!(out.len(), 1);
        assert_eq!(
            out[0].def.body(),
            r#"USING btree ("project_id", "created_at") INCLUDE ("id", "state") WHERE deleted_at IS NULL"#
        );
        assert_eq!(out[0].statements, [0, 1].into());
    }

    #[test]
    fn include_columns_the_longer_keys_hold_are_not_repeated() {
        let out = merged(&[
            cand(&["a"], &["b", "c"], None, 0),
            cand(&["a", "b"], &[], None, 1),
        ]);
        assert_eq!(out[0].def.body(), r#"USING btree ("a", "b") INCLUDE ("c")"#);
    }

    #[test]
    fn different_predicates_prefixes_or_no_include_make_nothing() {
        // Different predicates: the merged index would serve neither.
        assert!(merged(&[
            cand(&["a"], &["c"], Some("x IS NULL"), 0),
            cand(&["a", "b"], &[], None, 1),
        ])
        .is_empty());
        // Not a key prefix.
        assert!(merged(&[
            cand(&["a"], &["c"], None, 0),
            cand(&["b", "a"], &[], None, 1)
        ])
        .is_empty());
        // No INCLUDE: the longer index already serves the shorter one's scans.
        assert!(merged(&[cand(&["a"], &[], None, 0), cand(&["a", "b"], &[], None, 1)]).is_empty());
        // Already a candidate.
        assert!(merged(&[
            cand(&["a"], &["c"], None, 0),
            cand(&["a", "b"], &[], None, 1),
            cand(&["a", "b"], &["c"], None, 2),
        ])
        .is_empty());
    }
}
