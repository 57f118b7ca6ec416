//! The state every phase of the selection works on: what was costed before choosing
//! (each statement with no new index, each candidate alone) and what is chosen so far,
//! with the what-if indexes that stand for it and each statement's cost with them.

use super::{Inputs, Rejection, SelectOptions, Selection};
use crate::advisor::measured::TimeScale;
use crate::advisor::overhead::{write_overhead, TableWrites};
use crate::advisor::params::Values;
use crate::advisor::prefix;
use crate::advisor::whatif::{Hypo, Plan, WhatIf};
use crate::error::Result;
use crate::workload::analyse::Analysis;
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub(super) struct Search<'a> {
    pub inputs: &'a Inputs<'a>,
    pub options: &'a SelectOptions,
    /// Statements each candidate may affect.
    pub affected: Vec<Vec<usize>>,
    /// Statements some candidate may affect: those costed at all.
    pub relevant: BTreeSet<usize>,
    /// The statement reads through a view (planned as a plain statement, see `whatif`).
    pub views: Vec<bool>,
    /// The parameter sets each statement is planned with (typical and rare calls).
    pub values: Vec<Vec<Values>>,
    pub scale: TimeScale,
    pub writes: HashMap<(String, String), TableWrites>,
    /// An index must save at least this much (weighted, net of writes).
    pub min_gain: f64,
    /// Each candidate's cost of each statement it affects, with no other new index.
    pub single: Vec<HashMap<usize, f64>>,
    /// Each statement's cost with the chosen indexes (None: not plannable).
    pub cur: Vec<Option<f64>>,
    /// The what-if index of each chosen candidate.
    pub hypos: BTreeMap<usize, Hypo>,
    /// Candidates still competing.
    pub open: BTreeSet<usize>,
    /// What a candidate was found to save once verified with the chosen set, where that
    /// was less than estimated: its estimate never exceeds it again.
    pub verified: HashMap<usize, f64>,
    /// A candidate's cost of a join, re-planned with the indexes chosen on the join's
    /// other tables (see `complements`), by candidate and statement.
    pub joint: HashMap<(usize, usize), f64>,
    pub sel: Selection,
}

/// A statement re-planned with a changed set of indexes.
#[derive(Debug, Clone, Copy)]
pub(super) struct Replanned {
    pub statement: usize,
    pub cost: f64,
    /// Over the cost before the change (negative where it fell).
    pub rise: f64,
}

impl Search<'_> {
    /// The objective's value of `cost` on every call of statement `i`.
    pub fn weighted(&self, i: usize, cost: f64) -> f64 {
        self.scale.weighted(self.inputs.statements, i, cost)
    }

    /// Candidate `ci`'s write overhead in planner units, with `extra` new indexes besides
    /// the table's own.
    pub fn overhead_cost(&self, ci: usize, extra: usize) -> f64 {
        let d = &self.inputs.candidates[ci].def;
        let key = (d.schema.clone(), d.table.clone());
        let (Some(wr), Some(f)) = (self.writes.get(&key), self.inputs.tables.get(&key)) else {
            return 0.0;
        };
        write_overhead(d, wr, f.hot_ratio, f.indexes.len() + extra)
    }

    /// The same, in the objective's units.
    pub fn overhead(&self, ci: usize, extra: usize) -> f64 {
        self.scale.overhead(self.overhead_cost(ci, extra))
    }

    /// The chosen indexes on a candidate's table (itself aside).
    pub fn same_table(&self, ci: usize) -> Vec<usize> {
        let d = &self.inputs.candidates[ci].def;
        self.hypos
            .keys()
            .copied()
            .filter(|&o| o != ci && self.inputs.candidates[o].def.same_table(d))
            .collect()
    }

    pub fn chosen_on(&self, ci: usize) -> usize {
        self.same_table(ci).len()
    }

    /// What candidate `ci` would save added to the chosen set, net of its writes, from
    /// the costs measured alone. A statement's cost adds up over the tables it reads (a
    /// join, a correlated subquery): an index saves on its own table's part. Measured
    /// alone, with no other new index, a candidate's cost still carries the other tables'
    /// parts, so comparing it with the current cost once an index on another table is
    /// chosen says it saves nothing. Its saving is counted from the best chosen index on
    /// its own table (or the base plan), never beyond what the statement still costs.
    /// Verification re-plans with the chosen set, so the estimate only decides what is
    /// tried; `bounded` caps it at what verification found.
    pub fn estimate(&self, ci: usize, bounded: bool) -> f64 {
        let same_table = self.same_table(ci);
        let saving: f64 = self.single[ci]
            .iter()
            .filter_map(|(&i, &c)| {
                let now = self.cur[i]?;
                let before = self.sel.base[i].unwrap_or(now);
                // Slower than with no new index at all: a plan the planner prefers by its
                // guess, which really reads far more (see `gin`). Against another chosen
                // index alone a higher cost only means the planner keeps that one.
                if c > before {
                    return Some(self.weighted(i, before - c));
                }
                let from = same_table
                    .iter()
                    .filter_map(|o| self.single[*o].get(&i).copied())
                    .fold(before, f64::min);
                let alone = (from - c).clamp(0.0, now);
                // Planned with the other tables' chosen indexes, what it saves on the
                // statement as it costs now.
                let joint = self
                    .joint
                    .get(&(ci, i))
                    .map_or(0.0, |&j| (now - j).clamp(0.0, now));
                Some(self.weighted(i, alone.max(joint)))
            })
            .sum();
        let est = saving - self.overhead(ci, same_table.len());
        match self.verified.get(&ci) {
            Some(&v) if bounded => est.min(v),
            _ => est,
        }
    }

    /// The analyses of the statements candidate `ci` alone makes cheaper than they cost now.
    pub fn helped(&self, ci: usize) -> impl Iterator<Item = &Analysis> + '_ {
        self.single[ci]
            .iter()
            .filter(|(&i, &c)| self.cur[i].is_some_and(|now| c < now))
            .map(|(&i, _)| &self.inputs.statements[i].analysis)
    }

    /// Candidate `ci`'s estimated built size (0 when it was never sized).
    pub fn size(&self, ci: usize) -> i64 {
        self.sel.sizes.get(&ci).copied().unwrap_or(0)
    }

    /// Storage the chosen indexes take.
    pub fn used_bytes(&self) -> i64 {
        self.sel.chosen.iter().map(|&ci| self.size(ci)).sum()
    }

    /// Whether `bytes` more still fit the storage budget.
    pub fn fits(&self, bytes: i64) -> bool {
        self.options
            .budget_bytes
            .is_none_or(|b| self.used_bytes().saturating_add(bytes) <= b)
    }

    /// What candidate `ci` would use up of the allowance left (see `allowance_share`).
    pub fn share(&self, ci: usize) -> f64 {
        allowance_share(
            self.size(ci),
            self.options.budget_bytes.map(|b| b - self.used_bytes()),
            self.options
                .max_indexes
                .saturating_sub(self.sel.chosen.len()),
        )
    }

    /// The what-if indexes in place, by oid: which candidate a plan's index is.
    pub fn present(&self) -> HashMap<i64, usize> {
        self.hypos.iter().map(|(&ci, h)| (h.oid, ci)).collect()
    }

    /// Candidate `ci` chosen, with its what-if index and the statements' new costs.
    pub fn take(&mut self, ci: usize, h: Hypo, costs: &[Replanned]) {
        for r in costs {
            self.cur[r.statement] = Some(r.cost);
        }
        self.hypos.insert(ci, h);
        self.open.remove(&ci);
        self.sel.rejected.remove(&ci);
        self.sel.chosen.push(ci);
    }

    /// Chosen candidate `ci` gives way to `alt`, which takes its place in the order.
    pub fn replace(&mut self, ci: usize, alt: usize, h: Hypo, costs: &[Replanned]) {
        for r in costs {
            self.cur[r.statement] = Some(r.cost);
        }
        self.hypos.insert(alt, h);
        self.open.remove(&alt);
        self.sel.rejected.remove(&alt);
        for c in self.sel.chosen.iter_mut().filter(|c| **c == ci) {
            *c = alt;
        }
        self.sel.rejected.insert(ci, Rejection::TooSmallGain);
    }

    /// Puts back the what-if index of chosen candidate `ci` after a trial without it.
    pub async fn restore(&mut self, w: &mut WhatIf, ci: usize) -> Result<()> {
        if let Some(h) = w.create(&self.inputs.candidates[ci].def).await? {
            self.hypos.insert(ci, h);
        }
        Ok(())
    }

    /// Statements `of` with candidate `ci`'s what-if index added to the chosen ones (None
    /// when the planner refuses the index); `ci`'s index stays in place until dropped.
    pub async fn with_added(
        &self,
        w: &mut WhatIf,
        ci: usize,
        of: &[usize],
    ) -> Result<Option<(Hypo, Vec<Replanned>)>> {
        let Some(h) = w.create(&self.inputs.candidates[ci].def).await? else {
            return Ok(None);
        };
        let mut present = self.present();
        present.insert(h.oid, ci);
        let planned = self.replan(w, of, &present).await?;
        Ok(Some((h, planned)))
    }

    /// Re-plans `statements` with the what-if indexes that exist now (`present`: those of
    /// the candidates, by oid): their new costs, each with how much it rose over `cur`
    /// (negative where it fell).
    pub async fn replan(
        &self,
        w: &mut WhatIf,
        statements: &[usize],
        present: &HashMap<i64, usize>,
    ) -> Result<Vec<Replanned>> {
        let mut costs = Vec::new();
        for &i in statements {
            let Some(now) = self.cur[i] else { continue };
            if let Some(p) = self.plan(w, i, present).await? {
                costs.push(Replanned {
                    statement: i,
                    cost: p.cost,
                    rise: p.cost - now,
                });
            }
        }
        Ok(costs)
    }

    /// The weighted saving of re-planned statements (negative: they got dearer).
    pub fn saving(&self, planned: &[Replanned]) -> f64 {
        planned
            .iter()
            .map(|r| -self.weighted(r.statement, r.rise))
            .sum()
    }

    /// Statement `i` planned with the what-if indexes that exist now. Where the plan reads
    /// through a candidate whose leading keys the statement fixes by equality, the
    /// statement costs no more than with that candidate without those keys (see
    /// `prefix`); the plan's indexes stay those of the first plan.
    pub async fn plan(
        &self,
        w: &mut WhatIf,
        i: usize,
        present: &HashMap<i64, usize>,
    ) -> Result<Option<Plan>> {
        let (sql, analysis) = self.inputs.statements[i].plan_text();
        let Some(mut plan) = w.plan_each(sql, self.views[i], &self.values[i]).await? else {
            return Ok(None);
        };
        let used: BTreeSet<usize> = plan
            .indexes
            .iter()
            .filter_map(|name| hypo_oid(name).and_then(|oid| present.get(&oid).copied()))
            .collect();
        for ci in used {
            let Some(shorter) =
                prefix::without_equality_prefix(&self.inputs.candidates[ci].def, analysis)
            else {
                continue;
            };
            let Some(h) = w.create(&shorter).await? else {
                continue;
            };
            let alternative = w.plan_each(sql, self.views[i], &self.values[i]).await;
            w.drop_hypo(h).await?;
            if let Some(alt) = alternative? {
                if alt.cost < plan.cost {
                    plan.cost = alt.cost;
                    plan.capped = true;
                }
            }
        }
        Ok(Some(plan))
    }
}

/// What one more index of `size` bytes uses up of the scarcer allowance: one of the
/// `slots_left` under the cap, or its share of the storage left. Ranking by saving per share
/// picks by saving alone while storage is plentiful, and by saving per byte once the budget
/// binds, so that a few wide indexes do not spend the budget that several narrow ones would
/// put to better use.
pub(super) fn allowance_share(size: i64, storage_left: Option<i64>, slots_left: usize) -> f64 {
    let slot = 1.0 / slots_left.max(1) as f64;
    match storage_left {
        Some(left) => (size as f64 / left.max(1) as f64).max(slot),
        None => slot,
    }
}

/// HypoPG names its indexes `<oid>btree_table_cols`.
pub(super) fn hypo_oid(name: &str) -> Option<i64> {
    let rest = name.strip_prefix('<')?;
    let end = rest.find('>')?;
    rest[..end].parse().ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_scarcer_allowance_decides_what_an_index_uses_up() {
        // No budget: every index uses one of the slots left.
        assert_eq!(super::allowance_share(5 << 20, None, 4), 0.25);
        // Storage plentiful: still a slot.
        assert_eq!(super::allowance_share(1 << 20, Some(100 << 20), 4), 0.25);
        // Storage scarce: its share of what is left, so a saving per byte decides.
        assert_eq!(super::allowance_share(50 << 20, Some(100 << 20), 4), 0.5);
        // Larger than what is left: more than the whole allowance.
        assert!(super::allowance_share(200 << 20, Some(100 << 20), 4) > 1.0);
        assert!(super::allowance_share(1, Some(0), 0) >= 1.0);
    }

    #[test]
    fn hypothetical_index_names_give_their_oid() {
        assert_eq!(
            super::hypo_oid("<13556>btree_orders_customer_id"),
            Some(13556)
        );
        assert_eq!(super::hypo_oid("orders_pkey"), None);
    }
}
