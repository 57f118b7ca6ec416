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
