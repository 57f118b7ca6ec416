//! Folding at choice time (index merging): the greedy phase is about to take a candidate
//! when a chosen index on the same table can absorb it, one of them a covering index on a
//! key prefix of the other (`(project_id) INCLUDE (id)` next to `(project_id,
//! created_at)`). Ranked one by one, the smaller index of each pair wins its round and the
//! pair ends up as two indexes; their merge (see `candidates::merged`) serves both scans
//! in one slot of the cap, written once per row change. The merge replaces the chosen one
//! when the workload, re-planned, saves nearly as much with it as with the pair.

use super::search::{Replanned, Search};
use crate::advisor::candidates::merge;
use crate::advisor::whatif::{Hypo, WhatIf};
use crate::error::Result;
use std::collections::BTreeSet;

/// The merge is kept when it saves at least this share of what taking the candidate as
/// an index of its own would: a slot of the cap and one index's writes are worth the rest.
const KEEP_SHARE: f64 = 0.9;

/// What became of candidate `ci` about to be taken (its what-if index `h` in place,
/// saving `gain` net of writes).
pub(super) enum Folded {
    /// A chosen index gave way to its merge with `ci`.
    Merged,
    /// Nothing to merge with, or the merge saves too little: take `ci` as planned.
    Alone(Hypo, Vec<Replanned>),
    /// The planner refused `ci` when it was planned again: out of the running.
    Refused,
}

pub(super) async fn fold(
    s: &mut Search<'_>,
    w: &mut WhatIf,
    ci: usize,
    h: Hypo,
    costs: Vec<Replanned>,
    gain: f64,
) -> Result<Folded> {
    let Some((partner, merged)) = partner(s, ci) else {
        return Ok(Folded::Alone(h, costs));
    };
    w.drop_hypo(h).await?;
    let Some(old) = s.hypos.remove(&partner) else {
        return again(s, w, ci).await;
    };
    w.drop_hypo(old).await?;
    let both: Vec<usize> = s.affected[partner]
        .iter()
        .chain(&s.affected[ci])
        .chain(&s.affected[merged])
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if let Some((hm, planned)) = s.with_added(w, merged, &both).await? {
        let others = s.hypos.len();
        let net = s.saving(&planned) - (s.overhead(merged, others) - s.overhead(partner, others));
        if net >= KEEP_SHARE * gain {
            s.replace(partner, merged, hm, &planned);
            s.open.remove(&ci);
            return Ok(Folded::Merged);
        }
        w.drop_hypo(hm).await?;
    }
    s.restore(w, partner).await?;
    again(s, w, ci).await
}

/// `ci` re-planned with the chosen set, after a merge that did not pay.
async fn again(s: &mut Search<'_>, w: &mut WhatIf, ci: usize) -> Result<Folded> {
    match s.with_added(w, ci, &s.affected[ci].clone()).await? {
        Some((h, costs)) => Ok(Folded::Alone(h, costs)),
        None => {
            s.open.remove(&ci);
            Ok(Folded::Refused)
        }
    }
}

/// A chosen index that candidate `ci` merges with, and the candidate that is their merge
/// (not chosen, not ruled out). Runs at every take: only the open candidates on the
/// table are fingerprinted (fingerprints are unique in the candidate list).
fn partner(s: &Search, ci: usize) -> Option<(usize, usize)> {
    let cands = s.inputs.candidates;
    let d = &cands[ci].def;
    s.sel.chosen.iter().find_map(|&o| {
        let e = &cands[o].def;
        let m = merge(d, e).or_else(|| merge(e, d))?;
        let fp = m.fingerprint();
        // Open candidates are never chosen: the merge is not `o` itself.
        s.open
            .iter()
            .copied()
            .find(|&c| {
                let c = &cands[c];
                c.tenants.is_empty() && c.def.same_table(&m) && c.def.fingerprint() == fp
            })
            .map(|merged| (o, merged))
    })
}
