//! Swapping under a binding allowance. The greedy phase spends the storage budget (or the
//! cap's slots) in order of saving per share of what is left, and what no longer fits is
//! left out for good. So the outcome hangs on the order: a large index taken early, worth
//! less than it seemed once others were chosen, keeps out a small one that would save more.
//! Here each candidate the allowance left out, best first, may displace the chosen indexes
//! worth least for the room they hold, when the workload saves more with it than with them
//! (re-planned with the whole set, not estimated).

use super::search::Search;
use super::Rejection;
use crate::advisor::whatif::WhatIf;
use crate::error::Result;
use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap};

/// Left-out candidates tried at most: each try re-plans the statements of the indexes it
/// would displace.
const TRIES: usize = 8;

pub(super) async fn swap(s: &mut Search<'_>, w: &mut WhatIf) -> Result<()> {
    let mut worth: HashMap<usize, f64> = HashMap::new();
    let mut tried: BTreeSet<usize> = BTreeSet::new();
    for _ in 0..TRIES {
        let Some(x) = best_left_out(s, &tried) else {
            break;
        };
        tried.insert(x);
        let estimate = s.estimate(x, true);
        let bytes_needed = s
            .options
            .budget_bytes
            .map_or(0, |b| s.used_bytes() + s.size(x) - b);
        let slots_needed = (s.sel.chosen.len() + 1).saturating_sub(s.options.max_indexes);
        if bytes_needed <= 0 && slots_needed == 0 {
            // Pruning or an earlier swap made room.
            let Some((h, planned)) = s.with_added(w, x, &s.affected[x].clone()).await? else {
                continue;
            };
            if s.saving(&planned) - s.overhead(x, s.chosen_on(x)) >= s.min_gain {
                s.take(x, h, &planned);
                worth.clear();
            } else {
                w.drop_hypo(h).await?;
            }
            continue;
        }
        let Some((out, given_up)) =
            room(s, w, &mut worth, None, bytes_needed, slots_needed).await?
        else {
            continue;
        };
        if given_up >= estimate {
            continue;
        }
        if try_swap(s, w, x, &out, &worth, bytes_needed > 0).await? {
            worth.clear();
        }
    }
    Ok(())
}

/// Chosen `ci` gives way to `alt`, which extends its keys (see `widen`), when the budget
/// has no room for the difference: the other chosen indexes worth least for the room they
/// hold make it, kept only when the workload saves more without them and with `alt`
/// (re-planned). Whether it was done. `worth` caches what each chosen index is worth (see
/// `marginal_worth`) between calls; cleared when the chosen set changes.
pub(super) async fn widen_with_room(
    s: &mut Search<'_>,
    w: &mut WhatIf,
    ci: usize,
    alt: usize,
    worth: &mut HashMap<usize, f64>,
) -> Result<bool> {
    let Some(budget) = s.options.budget_bytes else {
        return Ok(false);
    };
    let bytes_needed = s.used_bytes() - s.size(ci) + s.size(alt) - budget;
    let Some((mut out, given_up)) = room(s, w, worth, Some(ci), bytes_needed, 0).await? else {
        return Ok(false);
    };
    if given_up >= s.estimate(alt, true) {
        return Ok(false);
    }
    out.push(ci);
    let done = try_swap(s, w, alt, &out, worth, true).await?;
    if done {
        // Extended, not left out for room.
        s.sel.rejected.insert(ci, Rejection::TooSmallGain);
        worth.clear();
    }
    Ok(done)
}

/// The candidate left out by the allowance (over budget, or open while the cap is full)
/// with the largest estimated saving worth an index, not yet tried.
fn best_left_out(s: &Search, tried: &BTreeSet<usize>) -> Option<usize> {
    let full = s.sel.chosen.len() >= s.options.max_indexes;
    let budget = s.options.budget_bytes.is_some();
    s.sel
        .rejected
        .iter()
        .filter(|(_, &why)| budget && why == Rejection::Budget)
        .map(|(&ci, _)| ci)
        .chain(s.open.iter().copied().filter(|_| full))
        .filter(|ci| !tried.contains(ci) && !s.hypos.contains_key(ci))
        .map(|ci| (s.estimate(ci, true), ci))
        .filter(|&(e, _)| e >= s.min_gain)
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
        .map(|(_, ci)| ci)
}

/// The chosen indexes (all but `except`) worth least for the room they hold that together
/// free `bytes` of storage and `slots` under the cap, with what they are worth together;
/// None when all of them would not. Fills `worth` for every chosen index.
async fn room(
    s: &mut Search<'_>,
    w: &mut WhatIf,
    worth: &mut HashMap<usize, f64>,
    except: Option<usize>,
    bytes: i64,
    slots: usize,
) -> Result<Option<(Vec<usize>, f64)>> {
    for c in s.sel.chosen.clone() {
        if let Entry::Vacant(e) = worth.entry(c) {
            e.insert(marginal_worth(s, w, c).await?);
        }
    }
    let held = s
        .sel
        .chosen
        .iter()
        .filter(|&&c| Some(c) != except)
        .map(|&candidate| Held {
            candidate,
            worth: worth[&candidate],
            bytes: s.size(candidate),
        })
        .collect();
    Ok(displaced(held, bytes, slots).map(|out| {
        let given_up = out.iter().map(|c| worth[c]).sum();
        (out, given_up)
    }))
}

/// What the workload loses without chosen `c` (the others in place), net of its writes.
async fn marginal_worth(s: &mut Search<'_>, w: &mut WhatIf, c: usize) -> Result<f64> {
    let Some(h) = s.hypos.remove(&c) else {
        return Ok(0.0);
    };
    w.drop_hypo(h).await?;
    let without = s.replan(w, &s.affected[c], &s.present()).await?;
    let loss = -s.saving(&without) - s.overhead(c, s.hypos.len());
    s.restore(w, c).await?;
    Ok(loss)
}

/// A chosen index that could make room.
#[derive(Debug, Clone, Copy)]
struct Held {
    candidate: usize,
    /// What the workload loses without it (see `marginal_worth`).
    worth: f64,
    bytes: i64,
}

/// The chosen indexes worth least for what they hold that together free `bytes` of storage
/// and `slots` under the cap; None when all of them would not.
fn displaced(mut held: Vec<Held>, bytes: i64, slots: usize) -> Option<Vec<usize>> {
    let per = |h: &Held| {
        if bytes > 0 {
            h.worth / h.bytes.max(1) as f64
        } else {
            h.worth
        }
    };
    held.sort_by(|a, b| {
        per(a)
            .total_cmp(&per(b))
            .then(a.candidate.cmp(&b.candidate))
    });
    let (mut freed, mut out) = (0i64, Vec::new());
    for h in held {
        if freed >= bytes && out.len() >= slots {
            break;
        }
        freed += h.bytes;
        out.push(h.candidate);
    }
    (freed >= bytes && out.len() >= slots).then_some(out)
}

/// Candidate `x` in place of the chosen `out`, kept when the workload saves more with it,
/// re-planned; else everything is put back. Whether it was kept. `for_bytes`: `out` made
/// room in the storage budget (else a slot under the cap).
async fn try_swap(
    s: &mut Search<'_>,
    w: &mut WhatIf,
    x: usize,
    out: &[usize],
    worth: &HashMap<usize, f64>,
    for_bytes: bool,
) -> Result<bool> {
    for c in out {
        if let Some(h) = s.hypos.remove(c) {
            w.drop_hypo(h).await?;
        }
    }
    let statements: Vec<usize> = out
        .iter()
        .chain(std::iter::once(&x))
        .flat_map(|&c| s.affected[c].iter().copied())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let others = s.hypos.len();
    let Some((h, planned)) = s.with_added(w, x, &statements).await? else {
        for &c in out {
            s.restore(w, c).await?;
        }
        return Ok(false);
    };
    let writes_freed: f64 = out.iter().map(|&c| s.overhead(c, others)).sum();
    let gain = s.saving(&planned) - s.overhead(x, s.chosen_on(x)) + writes_freed;
    if gain < s.min_gain {
        w.drop_hypo(h).await?;
        for &c in out {
            s.restore(w, c).await?;
        }
        return Ok(false);
    }
    tracing::debug!(candidate = x, displaced = ?out, gain, "swapped in");
    s.sel.chosen.retain(|c| !out.contains(c));
    for &c in out {
        let why = if for_bytes {
            Rejection::Budget
        } else {
            s.sel.left_out_by_cap(
                c,
                worth.get(&c).copied().unwrap_or(0.0),
                s.options.max_indexes,
            )
        };
        s.sel.rejected.insert(c, why);
    }
    s.take(x, h, &planned);
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::{displaced, Held};

    fn held(entries: &[(usize, f64, i64)]) -> Vec<Held> {
        entries
            .iter()
            .map(|&(candidate, worth, bytes)| Held {
                candidate,
                worth,
                bytes,
            })
            .collect()
    }

    #[test]
    fn room_is_made_from_the_indexes_worth_least_per_byte() {
        // 4 is worth the most in all but the least per byte: it goes first.
        let h = held(&[(1, 10.0, 1 << 20), (2, 5.0, 4 << 20), (4, 40.0, 40 << 20)]);
        assert_eq!(displaced(h.clone(), 30 << 20, 0), Some(vec![4]));
        // More than it holds: the next cheapest per byte joins it.
        assert_eq!(displaced(h.clone(), 42 << 20, 0), Some(vec![4, 2]));
        // More than all of them hold.
        assert_eq!(displaced(h.clone(), 100 << 20, 0), None);
        // Only a slot: the one worth least, whatever its size.
        assert_eq!(displaced(h, 0, 1), Some(vec![2]));
    }
}
