//! Pruning after each greedy round: a chosen index that a later choice made unnecessary is
//! dropped, and one that a smaller candidate of the same statements serves nearly as well
//! gives way to it.

use super::search::Search;
use super::Rejection;
use crate::advisor::index_def::{IndexDef, Method};
use crate::advisor::prefix;
use crate::advisor::whatif::WhatIf;
use crate::error::Result;

/// A smaller candidate may replace a chosen one when it keeps all but this share of the
/// chosen one's saving.
const TRIM_TOLERANCE: f64 = 0.1;

/// Two chosen indexes with the same keys: the one whose INCLUDE list holds the other's
/// serves every scan the other does, so the other goes.
pub(super) async fn covered(s: &mut Search<'_>, w: &mut WhatIf) -> Result<()> {
    for ci in s.sel.chosen.clone() {
        let d = &s.inputs.candidates[ci].def;
        let covered = s.sel.chosen.iter().any(|&o| {
            let e = &s.inputs.candidates[o].def;
            o != ci
                && e.same_table(d)
                && e.keys == d.keys
                && e.predicate == d.predicate
                && e.include.len() > d.include.len()
                && d.include.iter().all(|c| e.include.contains(c))
        });
        if covered {
            if let Some(h) = s.hypos.remove(&ci) {
                w.drop_hypo(h).await?;
            }
            s.sel.chosen.retain(|&c| c != ci);
            s.sel.rejected.insert(ci, Rejection::TooSmallGain);
        }
    }
    Ok(())
}

/// Two chosen B-trees on one table with the same predicate, the keys of one leading the
/// other's (`(l_partkey)` beside `(l_partkey, l_suppkey)`): the longer serves every scan
/// the shorter does. Kept both, health would call the shorter redundant and the next run
/// propose its drop, so the shorter goes, and its statements are planned again without it.
pub(super) async fn prefixed(s: &mut Search<'_>, w: &mut WhatIf) -> Result<()> {
    for ci in s.sel.chosen.clone() {
        let d = &s.inputs.candidates[ci].def;
        let led = s
            .sel
            .chosen
            .iter()
            .any(|&o| o != ci && leads(d, &s.inputs.candidates[o].def));
        if !led {
            continue;
        }
        if let Some(h) = s.hypos.remove(&ci) {
            w.drop_hypo(h).await?;
        }
        let without = s.replan(w, &s.affected[ci], &s.present()).await?;
        for r in without {
            s.cur[r.statement] = Some(r.cost);
        }
        s.sel.chosen.retain(|&c| c != ci);
        s.sel.rejected.insert(ci, Rejection::TooSmallGain);
    }
    Ok(())
}

/// Whether B-tree `longer` serves every scan B-tree `shorter` serves: the same table and
/// predicate, `shorter`'s keys leading `longer`'s, its INCLUDE columns among `longer`'s
/// columns (health's `redundant-index` rule, on definitions).
fn leads(shorter: &IndexDef, longer: &IndexDef) -> bool {
    shorter.method == Method::Btree
        && shorter.same_family(longer)
        && shorter.keys.len() < longer.keys.len()
        && longer.keys[..shorter.keys.len()] == shorter.keys[..]
        && shorter
            .include
            .iter()
            .all(|c| longer.key_and_include_columns().contains(&c.as_str()))
}

/// Latest first, each chosen index is taken out: when the others serve its statements
/// nearly as well it stays out; else a smaller variant of it that keeps nearly all of its
/// saving may take its place (see `trim`).
pub(super) async fn unneeded(s: &mut Search<'_>, w: &mut WhatIf) -> Result<()> {
    for ci in s.sel.chosen.clone().into_iter().rev() {
        let Some(h) = s.hypos.remove(&ci) else {
            continue;
        };
        w.drop_hypo(h).await?;
        let without = s.replan(w, &s.affected[ci], &s.present()).await?;
        let marginal = -s.saving(&without) - s.overhead(ci, s.hypos.len());
        if marginal < s.min_gain {
            for r in without {
                s.cur[r.statement] = Some(r.cost);
            }
            s.sel.chosen.retain(|&c| c != ci);
            s.sel.rejected.insert(ci, Rejection::TooSmallGain);
        } else {
            trim(s, w, ci, marginal).await?;
        }
    }
    Ok(())
}

/// Chosen `ci` (its what-if index taken out) is kept, worth `marginal`. A smaller index of
/// the same statements (a key prefix, no INCLUDE) that keeps nearly all of that replaces
/// it, unless `ci` refines it: the keys it would lose are those the ranking chose it for.
/// What it gives up must be too little for an index of its own (`min_gain`).
async fn trim(s: &mut Search<'_>, w: &mut WhatIf, ci: usize, marginal: f64) -> Result<()> {
    let inputs = s.inputs;
    let def = &inputs.candidates[ci].def;
    let roles = prefix::KeyRoles::of(
        s.affected[ci]
            .iter()
            .map(|&i| &inputs.statements[i].analysis),
        def,
    );
    for alt in smaller_alternatives(s, ci) {
        if prefix::refines(def, &inputs.candidates[alt].def, &roles) {
            continue;
        }
        let both: Vec<usize> = s.affected[ci]
            .iter()
            .chain(&s.affected[alt])
            .copied()
            .collect();
        let Some((h, with_alt)) = s.with_added(w, alt, &both).await? else {
            continue;
        };
        // The saving given up must also be below what is worth an index of its own:
        // else the next round takes one back for it, and two indexes hold what one did.
        let lost = -s.saving(&with_alt);
        if lost <= TRIM_TOLERANCE * marginal && lost < s.min_gain {
            s.replace(ci, alt, h, &with_alt);
            return Ok(());
        }
        w.drop_hypo(h).await?;
    }
    s.restore(w, ci).await
}

/// Candidates on the same table, smaller than `ci`, whose keys start `ci`'s keys (the same
/// keys without INCLUDE, or a prefix), not chosen, smallest first.
fn smaller_alternatives(s: &Search, ci: usize) -> Vec<usize> {
    let d = &s.inputs.candidates[ci].def;
    let size = s.sel.sizes.get(&ci).copied().unwrap_or(i64::MAX);
    let mut alts: Vec<(i64, usize)> = s
        .inputs
        .candidates
        .iter()
        .enumerate()
        .filter(|(a, c)| {
            *a != ci
                && !s.hypos.contains_key(a)
                && c.def.same_family(d)
                && c.def.keys.len() <= d.keys.len()
                && c.def.keys[..] == d.keys[..c.def.keys.len()]
                && c.def.include.iter().all(|i| d.include.contains(i))
        })
        .filter_map(|(a, _)| s.sel.sizes.get(&a).filter(|&&z| z < size).map(|&z| (z, a)))
        .collect();
    alts.sort();
    alts.into_iter().map(|(_, a)| a).collect()
}

#[cfg(test)]
mod tests {
    use super::leads;
    use crate::advisor::index_def::{IndexDef, KeyPart, Method};

    fn btree(keys: &[&str], include: &[&str], predicate: Option<&str>) -> IndexDef {
        IndexDef {
            schema: "tpch".into(),
            table: "lineitem".into(),
            method: Method::Btree,
            keys: keys.iter().map(|k| KeyPart::column(k)).collect(),
            include: include.iter().map(|c| c.to_string()).collect(),
            predicate: predicate.map(String::from),
        }
    }

    #[test]
    fn a_key_prefix_with_the_same_predicate_is_led_by_the_longer_index() {
        let long = btree(&["l_partkey", "l_suppkey"], &["l_quantity"], None);
        assert!(leads(&btree(&["l_partkey"], &[], None), &long));
        assert!(leads(&btree(&["l_partkey"], &["l_suppkey"], None), &long));
        assert!(leads(&btree(&["l_partkey"], &["l_quantity"], None), &long));
        // Another column, another predicate, an INCLUDE the longer lacks, the same keys.
        assert!(!leads(&btree(&["l_suppkey"], &[], None), &long));
        assert!(!leads(
            &btree(&["l_partkey"], &[], Some("l_quantity > 10")),
            &long
        ));
        assert!(!leads(&btree(&["l_partkey"], &["l_tax"], None), &long));
        assert!(!leads(
            &btree(&["l_partkey", "l_suppkey"], &[], None),
            &long
        ));
    }
}
