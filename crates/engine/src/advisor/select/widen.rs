//! Widening: a chosen index gives way to a candidate that extends its keys (the sort key
//! or range after the equality keys) when its statements save more with it than the extra
//! size and write overhead cost. Ranked per byte of allowance, the short index goes first;
//! measured against it, the longer one then looks as if it added little. When the budget
//! has no room for the difference, the chosen indexes worth least for their room may make
//! it (`swap::widen_with_room`).

use super::search::Search;
use crate::advisor::whatif::WhatIf;
use crate::error::Result;
use std::collections::{BTreeSet, HashMap};

pub(super) async fn widen(s: &mut Search<'_>, w: &mut WhatIf) -> Result<()> {
    let mut worth = HashMap::new();
    for ci in s.sel.chosen.clone() {
        // Made room for an earlier widening.
        if !s.sel.chosen.contains(&ci) {
            continue;
        }
        let own = s.size(ci);
        for alt in larger_alternatives(s, ci) {
            let extra = s.sel.sizes.get(&alt).copied().unwrap_or(i64::MAX) - own;
            if !s.fits(extra) {
                if super::swap::widen_with_room(s, w, ci, alt, &mut worth).await? {
                    break;
                }
                continue;
            }
            let Some(h_ci) = s.hypos.remove(&ci) else {
                break;
            };
            w.drop_hypo(h_ci).await?;
            let both: Vec<usize> = s.affected[ci]
                .iter()
                .chain(&s.affected[alt])
                .copied()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            let Some((h, planned)) = s.with_added(w, alt, &both).await? else {
                s.restore(w, ci).await?;
                continue;
            };
            let others = s.hypos.len();
            let gain = s.saving(&planned) - (s.overhead(alt, others) - s.overhead(ci, others));
            if gain >= s.min_gain {
                s.replace(ci, alt, h, &planned);
                worth.clear();
                break;
            }
            w.drop_hypo(h).await?;
            s.restore(w, ci).await?;
        }
    }
    Ok(())
}

/// Candidates on the same table that extend `ci`'s keys with more (same method, predicate
/// and INCLUDE list), not chosen, shortest first.
fn larger_alternatives(s: &Search, ci: usize) -> Vec<usize> {
    let d = &s.inputs.candidates[ci].def;
    let mut alts: Vec<(usize, usize)> = s
        .inputs
        .candidates
        .iter()
        .enumerate()
        .filter(|(a, c)| {
            !s.sel.chosen.contains(a)
                && c.def.same_family(d)
                && c.def.include == d.include
                && c.def.keys.len() > d.keys.len()
                && c.def.keys[..d.keys.len()] == d.keys[..]
        })
        .map(|(a, c)| (c.def.keys.len(), a))
        .collect();
    alts.sort();
    alts.into_iter().map(|(_, a)| a).collect()
}
