//! The last phase: why each candidate left competing was not chosen, and every statement
//! planned once more with the chosen set (its final cost, and which chosen index serves it).

use super::search::{hypo_oid, Search};
use super::{Rejection, Selection};
use crate::advisor::whatif::WhatIf;
use crate::error::Result;
use std::collections::BTreeSet;

/// `cap_bound`: the cap on new indexes stopped the greedy phase.
pub(super) async fn finish(
    mut s: Search<'_>,
    w: &mut WhatIf,
    cap_bound: bool,
) -> Result<Selection> {
    for ci in std::mem::take(&mut s.open) {
        let net = s.estimate(ci, false);
        let saving = net + s.overhead(ci, s.chosen_on(ci));
        let why = if cap_bound && net >= s.min_gain {
            s.sel.left_out_by_cap(ci, net, s.options.max_indexes)
        } else if saving >= s.min_gain {
            Rejection::WriteOverhead
        } else {
            Rejection::TooSmallGain
        };
        s.sel.rejected.entry(ci).or_insert(why);
    }

    let names = s.present();
    for &i in &s.relevant {
        if s.sel.base[i].is_none() {
            continue;
        }
        if let Some(plan) = s.plan(w, i, &names).await? {
            s.sel.after[i] = Some(plan.cost);
            s.sel.capped[i] = plan.capped;
            s.sel.used_by[i] = plan
                .indexes
                .iter()
                .filter_map(|name| hypo_oid(name).and_then(|oid| names.get(&oid).copied()))
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            for (ci, relation) in scans(&plan.tree, &names) {
                s.sel.scanned.entry((ci, i)).or_default().insert(relation);
            }
        }
    }
    let extra = s.hypos.len().saturating_sub(1);
    let overheads: Vec<(usize, f64)> = s
        .hypos
        .keys()
        .map(|&ci| (ci, s.overhead_cost(ci, extra)))
        .collect();
    s.sel.overheads.extend(overheads);
    for (_, h) in std::mem::take(&mut s.hypos) {
        w.drop_hypo(h).await?;
    }
    s.sel.affected = s.affected;
    s.sel.plans = w.plans;
    Ok(s.sel)
}

/// Which relation each what-if index in `present` is read on, in a plan: an index scan
/// names its relation, a bitmap index scan's is that of the heap scan above it. On a
/// partitioned table these are the partitions left after pruning.
pub(super) fn scans(
    tree: &serde_json::Value,
    present: &std::collections::HashMap<i64, usize>,
) -> Vec<(usize, String)> {
    fn walk(
        node: &serde_json::Value,
        relation: Option<&str>,
        present: &std::collections::HashMap<i64, usize>,
        out: &mut Vec<(usize, String)>,
    ) {
        let relation = node
            .get("Relation Name")
            .and_then(|r| r.as_str())
            .or(relation);
        let index = node.get("Index Name").and_then(|n| n.as_str());
        if let (Some(index), Some(relation)) = (index, relation) {
            if let Some(&ci) = hypo_oid(index).and_then(|oid| present.get(&oid)) {
                out.push((ci, relation.to_string()));
            }
        }
        for child in node
            .get("Plans")
            .and_then(|p| p.as_array())
            .into_iter()
            .flatten()
        {
            walk(child, relation, present, out);
        }
    }
    let mut out = Vec::new();
    walk(tree, None, present, &mut out);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_index_is_read_on_the_partitions_pruning_left() {
        let tree = serde_json::json!({
            "Node Type": "Append", "Subplans Removed": 10, "Plans": [
                {"Node Type": "Bitmap Heap Scan", "Relation Name": "events_11", "Plans": [
                    {"Node Type": "Bitmap Index Scan", "Index Name": "<42>btree_app_events_t"}]},
                {"Node Type": "Index Scan", "Relation Name": "events_12",
                 "Index Name": "<42>btree_app_events_t"},
                {"Node Type": "Index Scan", "Relation Name": "tenants",
                 "Index Name": "tenants_pkey"}]});
        let present = [(42, 7)].into_iter().collect();
        assert_eq!(
            super::scans(&tree, &present),
            vec![(7, "events_11".to_string()), (7, "events_12".to_string())]
        );
    }
}
