//! The greedy phase: the candidate with the largest net saving per share of the allowance
//! left is re-costed together with the indexes already chosen, and taken when it still
//! saves that much, so that two indexes serving the same statements, or one index serving
//! many, are counted once. It stops at the storage budget, the index cap, or when the best
//! remaining saving is too small to be worth an index.

use super::complement;
use super::fold;
use super::search::Search;
use super::Rejection;
use crate::advisor::prefix;
use crate::advisor::whatif::WhatIf;
use crate::error::Result;
use crate::Progress;

/// Candidates saving at least this share of the best one's saving count as equally good.
const NEAR_BEST: f64 = 0.95;

/// A verified candidate is taken while its score stays within this share of the next
/// one's estimate: re-costed with the chosen set, a saving is only ever smaller.
const VERIFIED_SHARE: f64 = 0.9;

/// A candidate in the running.
#[derive(Debug, Clone, Copy)]
struct Ranked {
    /// Saving per share of the allowance it uses up (see `allowance_share`).
    score: f64,
    /// Estimated saving, net of writes.
    saving: f64,
    candidate: usize,
}

/// Takes candidates until none is worth one more index or the cap is reached.
pub(super) async fn greedy(
    s: &mut Search<'_>,
    w: &mut WhatIf,
    progress: &dyn Progress,
) -> Result<()> {
    while s.sel.chosen.len() < s.options.max_indexes {
        let ranked = rank(s);
        let Some(&best) = ranked.first() else { break };
        let ci = best.candidate;
        if !s.fits(s.size(ci)) {
            s.open.remove(&ci);
            s.sel.rejected.insert(ci, Rejection::Budget);
            continue;
        }
        // Verify together with what is already chosen.
        let share = s.share(ci);
        let Some((h, costs)) = s.with_added(w, ci, &s.affected[ci].clone()).await? else {
            s.open.remove(&ci);
            continue;
        };
        let saving = s.saving(&costs);
        let gain = saving - s.overhead(ci, s.chosen_on(ci));
        let next = ranked.get(1).map_or(f64::MIN, |r| r.score);
        if gain >= s.min_gain && gain / share >= VERIFIED_SHARE * next.min(best.score) {
            if let fold::Folded::Alone(h, costs) = fold::fold(s, w, ci, h, costs, gain).await? {
                s.take(ci, h, &costs);
                complement::complements(s, w, ci, &costs).await?;
            }
            progress.step(
                "choosing indexes",
                s.sel.chosen.len() as f64 / s.options.max_indexes as f64,
            );
        } else {
            w.drop_hypo(h).await?;
            if gain < s.min_gain {
                s.open.remove(&ci);
                let why = if saving >= s.min_gain {
                    Rejection::WriteOverhead
                } else {
                    Rejection::TooSmallGain
                };
                s.sel.rejected.insert(ci, why);
            } else {
                s.verified.insert(ci, gain);
            }
        }
    }
    Ok(())
}

/// The open candidates worth an index, best first: by saving per share of the allowance,
/// then the smallest of those nearly as good, then the smallest that refines the pick.
fn rank(s: &Search) -> Vec<Ranked> {
    let mut ranked: Vec<Ranked> = s
        .open
        .iter()
        .map(|&ci| {
            let saving = s.estimate(ci, true);
            Ranked {
                score: saving / s.share(ci),
                saving,
                candidate: ci,
            }
        })
        .filter(|r| r.saving >= s.min_gain)
        .collect();
    ranked.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.candidate.cmp(&b.candidate))
    });
    let Some(&top) = ranked.first() else {
        return ranked;
    };
    // Within a few percent of the best, the smallest index wins: a covering or wider variant
    // must pay for its size. When the smaller one drops a key the best one's statements pin,
    // only while what it gives up would not be worth an index of its own: a few percent of
    // a statement's saving can be most of what it still costs (a window scan filtered row
    // by row against an equality that reads its rows alone), and once the rest is indexed
    // that remainder is what the workload waits on. One that keeps those keys (a partial
    // index over the live rows, a sort key after them) reaches the same rows, and the
    // planner's small difference is no such remainder.
    let size = |ci: usize| s.sel.sizes.get(&ci).copied().unwrap_or(i64::MAX);
    let top_def = &s.inputs.candidates[top.candidate].def;
    let top_roles = prefix::KeyRoles::of(s.helped(top.candidate), top_def);
    smallest_first(&mut ranked, size, |r| {
        let def = &s.inputs.candidates[r.candidate].def;
        r.score >= top.score * NEAR_BEST
            && (top.saving - r.saving < s.min_gain
                || prefix::keeps_pinned(def, top_def, &top_roles))
    });
    // But an index that refines the pick with keys the statements it helps pin, saving as
    // much, does the same work on fewer rows (see `prefix`): the smallest such goes first
    // when the budget has room for it, and so on while one refines that one in turn (each
    // step adds keys, so this ends).
    let pick_saving = ranked[0].saving;
    loop {
        let pick = ranked[0].candidate;
        let def = &s.inputs.candidates[pick].def;
        let roles = prefix::KeyRoles::of(s.helped(pick), def);
        smallest_first(&mut ranked, size, |r| {
            r.saving >= pick_saving * NEAR_BEST
                && s.fits(size(r.candidate))
                && prefix::refines(&s.inputs.candidates[r.candidate].def, def, &roles)
        });
        if ranked[0].candidate == pick {
            break;
        }
    }
    ranked
}

/// Moves the smallest of the ranked entries that `keep` accepts to the front; the ranking
/// is unchanged when it accepts none.
fn smallest_first(
    ranked: &mut Vec<Ranked>,
    size: impl Fn(usize) -> i64,
    keep: impl Fn(&Ranked) -> bool,
) {
    if let Some(pos) = ranked
        .iter()
        .enumerate()
        .filter(|(_, r)| keep(r))
        .min_by_key(|(_, r)| size(r.candidate))
        .map(|(p, _)| p)
    {
        let pick = ranked.remove(pos);
        ranked.insert(0, pick);
    }
}

#[cfg(test)]
mod tests {
    use super::Ranked;

    fn ranked(entries: &[(f64, usize)]) -> Vec<Ranked> {
        entries
            .iter()
            .map(|&(score, candidate)| Ranked {
                score,
                saving: score,
                candidate,
            })
            .collect()
    }

    fn order(r: &[Ranked]) -> Vec<usize> {
        r.iter().map(|r| r.candidate).collect()
    }

    #[test]
    fn the_smallest_accepted_candidate_moves_to_the_front() {
        let sizes = [0i64, 300, 100, 200];
        let size = |ci: usize| sizes[ci];
        let mut r = ranked(&[(9.0, 1), (8.0, 3), (7.0, 2)]);
        super::smallest_first(&mut r, size, |r| r.score >= 8.0);
        assert_eq!(order(&r), vec![3, 1, 2]);
        super::smallest_first(&mut r, size, |_| false);
        assert_eq!(order(&r), vec![3, 1, 2]);
    }
}
