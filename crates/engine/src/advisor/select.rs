//! The `select` stage: which candidates to propose, judged on the whole workload.
//!
//! Each candidate is first costed alone (every statement it may affect, planned with only
//! that hypothetical index). Then a greedy loop picks the candidate with the largest net
//! saving — Σ calls × (current cost − cost with it) − write overhead — but only after
//! re-costing it together with the indexes already chosen, so that two indexes serving the
//! same statements, or one index serving many, are counted once. A final pass removes any
//! chosen index that the later ones made unnecessary. The loop stops at the storage budget,
//! the index cap, or when the best remaining saving is too small to be worth an index.
//! Under a storage budget, candidates compete on saving per share of what is left (see
//! `allowance_share`), so that the budget buys the most saving rather than the first large one.

use super::candidates::{Candidate, Statement};
use super::facts::{FieldPolicy, TableFacts};
use super::measured::TimeScale;
use super::overhead::{write_overhead, TableWrites};
use super::params::{self, Values};
use super::prefix;
use super::size;
use super::whatif::{Hypo, Plan, WhatIf};
use crate::error::Result;
use crate::workload::analyse::{Access, Role};
use crate::Progress;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The default ceiling on new indexes in one run. What stops the selection is the
/// workload: an index is proposed only while it saves at least `min_gain_share` of the
/// workload net of its write overhead, and fits the budget. The ceiling only keeps one
/// run's proposals reviewable; when it binds, the statements it left out say so (`cap`).
pub const DEFAULT_MAX_INDEXES: usize = 25;

#[derive(Debug, Clone)]
pub struct SelectOptions {
    pub budget_bytes: Option<i64>,
    pub max_indexes: usize,
    /// A proposal must save at least this share of the workload's weighted cost.
    pub min_gain_share: f64,
}

impl Default for SelectOptions {
    fn default() -> Self {
        SelectOptions {
            budget_bytes: None,
            max_indexes: DEFAULT_MAX_INDEXES,
            min_gain_share: 0.001,
        }
    }
}

/// Why a candidate was not chosen, for the statements it would have helped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    WriteOverhead,
    TooSmallGain,
    /// The storage budget ran out.
    Budget,
    /// The cap on new indexes was reached while the index still paid for itself.
    Cap,
}

#[derive(Debug, Default)]
pub struct Selection {
    /// Indexes into the candidate list, in the order chosen.
    pub chosen: Vec<usize>,
    pub sizes: HashMap<usize, i64>,
    pub overheads: HashMap<usize, f64>,
    /// Cost of each statement with no new index (None: could not be planned).
    pub base: Vec<Option<f64>>,
    /// PostgreSQL's error for a statement it could not plan.
    pub plan_errors: Vec<Option<String>>,
    /// With every chosen index.
    pub after: Vec<Option<f64>>,
    /// The chosen candidates each statement's final plan uses.
    pub used_by: Vec<Vec<usize>>,
    /// The statement's final cost is capped by an index's shorter variant (see `prefix`).
    pub capped: Vec<bool>,
    /// Best cost of each statement with any single candidate.
    pub best_single: Vec<Option<f64>>,
    /// The base plan already uses an index on a table of the candidate.
    pub base_uses_index: Vec<bool>,
    pub rejected: HashMap<usize, Rejection>,
    /// What each candidate left out by the cap would have saved (weighted, net of writes).
    pub forgone: HashMap<usize, f64>,
    /// The cap on new indexes, when it bound.
    pub cap: Option<usize>,
    /// Savings were ranked in measured milliseconds (else in planner cost).
    pub time_measured: bool,
    /// Statements each candidate may affect.
    pub affected: Vec<Vec<usize>>,
    pub plans: u64,
}

/// Rounds of choosing and pruning at most.
const ROUNDS: usize = 3;

/// Candidates saving at least this share of the best one's saving count as equally good.
const NEAR_BEST: f64 = 0.95;

impl Selection {
    /// Records that the cap on new indexes left candidate `ci` out while it would still
    /// have saved `net` (net of writes).
    pub fn left_out_by_cap(&mut self, ci: usize, net: f64, cap: usize) -> Rejection {
        self.forgone.insert(ci, net);
        self.cap = Some(cap);
        Rejection::Cap
    }

    /// Room for `n` statements, nothing costed yet.
    pub fn new(n: usize) -> Self {
        Selection {
            base: vec![None; n],
            plan_errors: vec![None; n],
            after: vec![None; n],
            used_by: vec![Vec::new(); n],
            capped: vec![false; n],
            best_single: vec![None; n],
            base_uses_index: vec![false; n],
            ..Selection::default()
        }
    }
}

pub struct Inputs<'a> {
    pub statements: &'a [Statement],
    pub candidates: &'a [Candidate],
    pub tables: &'a HashMap<(String, String), TableFacts>,
    pub views: &'a HashSet<(String, String)>,
    pub policy: &'a FieldPolicy,
    /// The server deduplicates B-tree keys (13 and later): sizes are scaled to it.
    pub deduplication: bool,
}

/// Statements a candidate may change the plan of: those it was made for, and every other
/// statement that reads its table using its leading key.
fn affected(inputs: &Inputs) -> Vec<Vec<usize>> {
    let mut by_lead: HashMap<(String, String, String), Vec<usize>> = HashMap::new();
    for (i, s) in inputs.statements.iter().enumerate() {
        let a = &s.analysis;
        let mut seen = BTreeSet::new();
        for c in &a.columns {
            let Some(schema) = &c.schema else { continue };
            if matches!(c.role, Role::Read | Role::Updated | Role::ConflictKey) {
                continue;
            }
            let target = c.expression.clone().unwrap_or_else(|| c.column.clone());
            if seen.insert((schema.clone(), c.table.clone(), target.clone())) {
                by_lead
                    .entry((schema.clone(), c.table.clone(), target))
                    .or_default()
                    .push(i);
            }
        }
    }
    inputs
        .candidates
        .iter()
        .map(|c| {
            let mut set: BTreeSet<usize> = c.statements.clone();
            if let Some(first) = c.def.keys.first() {
                if let Some(list) =
                    by_lead.get(&(c.def.schema.clone(), c.def.table.clone(), first.target()))
                {
                    set.extend(list.iter().copied());
                }
            }
            // An INSERT … VALUES plans no scan of the table.
            set.retain(|&i| {
                let a = &inputs.statements[i].analysis;
                !a.tables.iter().all(|t| t.access == Access::Insert)
            });
            set.into_iter().collect()
        })
        .collect()
}

pub(super) fn through_view(s: &Statement, views: &HashSet<(String, String)>) -> bool {
    s.analysis.tables.iter().any(|t| {
        t.schema
            .as_ref()
            .is_some_and(|sc| views.contains(&(sc.clone(), t.table.clone())))
    })
}

pub async fn select(
    w: &mut WhatIf,
    inputs: &Inputs<'_>,
    options: &SelectOptions,
    progress: &dyn Progress,
) -> Result<Selection> {
    let n = inputs.statements.len();
    let affected = affected(inputs);
    let relevant: BTreeSet<usize> = affected.iter().flatten().copied().collect();
    let views: Vec<bool> = inputs
        .statements
        .iter()
        .map(|s| through_view(s, inputs.views))
        .collect();
    let values: Vec<Vec<Values>> = inputs
        .statements
        .iter()
        .map(|s| params::sets_for_statement(s, inputs.tables, inputs.policy))
        .collect();

    let mut sel = Selection::new(n);

    // Costs with the indexes the database has.
    let total = relevant.len() + inputs.candidates.len();
    let mut done = 0usize;
    for &i in &relevant {
        let text = inputs.statements[i].plan_text().0;
        if let Some(plan) = w.plan_each(text, views[i], &values[i]).await? {
            sel.base_uses_index[i] = !plan.indexes.is_empty();
            sel.base[i] = Some(plan.cost);
        } else {
            sel.plan_errors[i] = w.failure(text).map(String::from);
        }
        done += 1;
        if done % 50 == 0 {
            progress.step("costing the workload", done as f64 / total as f64);
        }
    }
    // Savings are ranked in estimated milliseconds (see `measured`).
    let scale = TimeScale::new(inputs.statements, &sel.base);
    sel.time_measured = scale.measured;
    let weighted = |i: usize, cost: f64| scale.weighted(inputs.statements, i, cost);
    let workload_cost: f64 = (0..n)
        .filter_map(|i| sel.base[i].map(|c| weighted(i, c)))
        .sum();
    let min_gain = (options.min_gain_share * workload_cost).max(1.0);

    // HypoPG's sizes, calibrated on indexes the tables have.
    let calibration = size::calibrate(w, inputs.tables).await?;
    tracing::debug!(calibration, "built size over HypoPG's estimate");

    // Each candidate alone.
    let mut single: Vec<HashMap<usize, f64>> = Vec::with_capacity(inputs.candidates.len());
    for (ci, c) in inputs.candidates.iter().enumerate() {
        let Some(h) = w.create(&c.def).await? else {
            // Refused by the planner: no saving, never chosen.
            single.push(HashMap::new());
            continue;
        };
        let size = size::estimate(
            &c.def,
            inputs
                .tables
                .get(&(c.def.schema.clone(), c.def.table.clone())),
            h.size_bytes,
            calibration,
            inputs.deduplication,
        );
        sel.sizes.insert(ci, size);
        let mut costs = HashMap::new();
        let present = HashMap::from([(h.oid, ci)]);
        for &i in &affected[ci] {
            if sel.base[i].is_none() {
                continue;
            }
            if let Some(plan) = plan_statement(w, inputs, &views, &values, i, &present).await? {
                costs.insert(i, plan.cost);
                let best = &mut sel.best_single[i];
                *best = Some(best.map_or(plan.cost, |b: f64| b.min(plan.cost)));
            }
        }
        w.drop_hypo(h).await?;
        single.push(costs);
        done += 1;
        if done % 10 == 0 {
            progress.step("costing candidates", done as f64 / total as f64);
        }
    }

    // Write overhead per candidate, with the table's existing indexes.
    let writes = TableWrites::by_table(inputs.statements, inputs.tables.keys());
    let overhead_cost = |ci: usize, extra: usize| -> f64 {
        let d = &inputs.candidates[ci].def;
        let key = (d.schema.clone(), d.table.clone());
        let (Some(wr), Some(f)) = (writes.get(&key), inputs.tables.get(&key)) else {
            return 0.0;
        };
        write_overhead(d, wr, f.hot_ratio, f.indexes.len() + extra)
    };
    let overhead = |ci: usize, extra: usize| scale.overhead(overhead_cost(ci, extra));

    let mut cur: Vec<Option<f64>> = sel.base.clone();
    let mut hypos: BTreeMap<usize, Hypo> = BTreeMap::new();
    let mut cap: HashMap<usize, f64> = HashMap::new();
    let mut open: BTreeSet<usize> = (0..inputs.candidates.len()).collect();
    let mut used_bytes: i64;
    // The chosen indexes on a candidate's table (itself aside).
    let same_table = |hypos: &BTreeMap<usize, Hypo>, ci: usize| -> Vec<usize> {
        let d = &inputs.candidates[ci].def;
        hypos
            .keys()
            .copied()
            .filter(|&o| {
                let e = &inputs.candidates[o].def;
                o != ci && e.schema == d.schema && e.table == d.table
            })
            .collect()
    };
    let chosen_on = |hypos: &BTreeMap<usize, Hypo>, ci: usize| same_table(hypos, ci).len();
    // A statement's cost adds up over the tables it reads (a join, a correlated subquery):
    // an index saves on its own table's part. Measured alone, with no other new index, a
    // candidate's cost still carries the other tables' parts, so comparing it with the
    // current cost once an index on another table is chosen says it saves nothing. Its
    // saving is counted from the best chosen index on its own table (or the base plan),
    // never beyond what the statement still costs. Verification re-plans with the chosen
    // set, so the estimate only decides what is tried.
    let base = sel.base.clone();
    let estimate = |ci: usize,
                    cur: &[Option<f64>],
                    hypos: &BTreeMap<usize, Hypo>,
                    cap: &HashMap<usize, f64>|
     -> f64 {
        let same_table = same_table(hypos, ci);
        let saving: f64 = single[ci]
            .iter()
            .filter_map(|(&i, &c)| {
                let now = cur[i]?;
                let before = base[i].unwrap_or(now);
                // Slower than with no new index at all: a plan the planner prefers by its
                // guess, which really reads far more (see `gin`). Against another chosen
                // index alone a higher cost only means the planner keeps that one.
                if c > before {
                    return Some(weighted(i, before - c));
                }
                let from = same_table
                    .iter()
                    .filter_map(|o| single[*o].get(&i).copied())
                    .fold(before, f64::min);
                Some(weighted(i, (from - c).clamp(0.0, now)))
            })
            .sum();
        let est = saving - overhead(ci, chosen_on(hypos, ci));
        cap.get(&ci).map_or(est, |&c| est.min(c))
    };

    let sizes = sel.sizes.clone();
    let share = |ci: usize, chosen: usize, used: i64| -> f64 {
        allowance_share(
            sizes.get(&ci).copied().unwrap_or(0),
            options.budget_bytes.map(|b| b - used),
            options.max_indexes.saturating_sub(chosen),
        )
    };
    // Rounds of choosing and pruning: a pruned index frees a slot the next round may fill.
    let mut cap_bound = false;
    for round in 1..=ROUNDS {
        used_bytes = sel
            .chosen
            .iter()
            .map(|ci| sel.sizes.get(ci).copied().unwrap_or(0))
            .sum();
        while sel.chosen.len() < options.max_indexes {
            let (chosen_n, used) = (sel.chosen.len(), used_bytes);
            // (saving per share, saving, candidate); only savings worth an index compete.
            let mut ranked: Vec<(f64, f64, usize)> = open
                .iter()
                .map(|&ci| {
                    let est = estimate(ci, &cur, &hypos, &cap);
                    (est / share(ci, chosen_n, used), est, ci)
                })
                .filter(|r| r.1 >= min_gain)
                .collect();
            ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)));
            // Within a few percent of the best, the smallest index wins: a covering or wider
            // variant must pay for its size.
            if let Some(&(top, _, _)) = ranked.first() {
                let size = |ci: usize| sel.sizes.get(&ci).copied().unwrap_or(i64::MAX);
                smallest_first(&mut ranked, size, |r| r.0 >= top * NEAR_BEST);
                // But an index that refines the pick with keys the statements it helps pin,
                // saving as much, does the same work on fewer rows (see `prefix`): the smallest
                // such goes first when the budget has room for it, and so on while one refines
                // that one in turn (each step adds keys, so this ends).
                let pick_saving = ranked[0].1;
                let fits = |ci: usize| {
                    options
                        .budget_bytes
                        .is_none_or(|b| used_bytes + size(ci) <= b)
                };
                loop {
                    let pick = ranked[0].2;
                    let def = &inputs.candidates[pick].def;
                    let helped = single[pick]
                        .iter()
                        .filter(|(&i, &c)| cur[i].is_some_and(|now| c < now))
                        .map(|(&i, _)| &inputs.statements[i].analysis);
                    let roles = prefix::KeyRoles::of(helped, def);
                    smallest_first(&mut ranked, size, |r| {
                        r.1 >= pick_saving * NEAR_BEST
                            && fits(r.2)
                            && prefix::refines(&inputs.candidates[r.2].def, def, &roles)
                    });
                    if ranked[0].2 == pick {
                        break;
                    }
                }
            }
            let Some(&(best_score, _, ci)) = ranked.first() else {
                break;
            };
            let size = sel.sizes.get(&ci).copied().unwrap_or(0);
            if options.budget_bytes.is_some_and(|b| used_bytes + size > b) {
                open.remove(&ci);
                sel.rejected.insert(ci, Rejection::Budget);
                continue;
            }
            // Verify together with what is already chosen.
            let Some(h) = w.create(&inputs.candidates[ci].def).await? else {
                open.remove(&ci);
                continue;
            };
            let mut new_costs: Vec<(usize, Plan)> = Vec::new();
            let mut present = oids(&hypos);
            present.insert(h.oid, ci);
            for &i in &affected[ci] {
                if cur[i].is_none() {
                    continue;
                }
                if let Some(plan) = plan_statement(w, inputs, &views, &values, i, &present).await? {
                    new_costs.push((i, plan));
                }
            }
            let saving: f64 = new_costs
                .iter()
                .filter_map(|(i, p)| cur[*i].map(|now| weighted(*i, now - p.cost)))
                .sum();
            let gain = saving - overhead(ci, chosen_on(&hypos, ci));
            let next = ranked.get(1).map_or(f64::MIN, |r| r.0);
            let score = gain / share(ci, chosen_n, used);
            if gain >= min_gain && score >= 0.9 * next.min(best_score) {
                for (i, p) in new_costs {
                    cur[i] = Some(p.cost);
                }
                used_bytes += size;
                hypos.insert(ci, h);
                open.remove(&ci);
                sel.chosen.push(ci);
                progress.step(
                    "choosing indexes",
                    sel.chosen.len() as f64 / options.max_indexes as f64,
                );
            } else {
                w.drop_hypo(h).await?;
                if gain < min_gain {
                    open.remove(&ci);
                    let writes_heavy = saving >= min_gain;
                    sel.rejected.insert(
                        ci,
                        if writes_heavy {
                            Rejection::WriteOverhead
                        } else {
                            Rejection::TooSmallGain
                        },
                    );
                } else {
                    cap.insert(ci, gain);
                }
            }
        }
        let picked = sel.chosen.len();
        cap_bound = picked >= options.max_indexes;
        // Two chosen indexes with the same keys: the one whose INCLUDE list holds the other's
        // serves every scan the other does.
        for ci in sel.chosen.clone() {
            let d = &inputs.candidates[ci].def;
            let covered = sel.chosen.iter().any(|&o| {
                let e = &inputs.candidates[o].def;
                o != ci
                    && e.schema == d.schema
                    && e.table == d.table
                    && e.keys == d.keys
                    && e.predicate == d.predicate
                    && e.include.len() > d.include.len()
                    && d.include.iter().all(|c| e.include.contains(c))
            });
            if covered {
                if let Some(h) = hypos.remove(&ci) {
                    w.drop_hypo(h).await?;
                }
                sel.chosen.retain(|&c| c != ci);
                sel.rejected.insert(ci, Rejection::TooSmallGain);
            }
        }

        // Drop what later choices made unnecessary: without it, the others serve its statements.
        for ci in sel.chosen.clone().into_iter().rev() {
            let Some(h) = hypos.remove(&ci) else { continue };
            w.drop_hypo(h).await?;
            let without = increase(
                w,
                inputs,
                &views,
                &values,
                &cur,
                &affected[ci],
                &oids(&hypos),
            )
            .await?;
            let loss: f64 = without.iter().map(|&(i, _, up)| weighted(i, up)).sum();
            if loss - overhead(ci, hypos.len()) < min_gain {
                for (i, c, _) in without {
                    cur[i] = Some(c);
                }
                sel.chosen.retain(|&c| c != ci);
                sel.rejected.insert(ci, Rejection::TooSmallGain);
            } else {
                // Kept. A smaller index of the same statements (a key prefix, no INCLUDE) that
                // keeps nearly all of its saving replaces it, unless this one refines it: the
                // keys it would lose are those the ranking chose it for.
                let marginal = loss - overhead(ci, hypos.len());
                let mut kept = ci;
                let def = &inputs.candidates[ci].def;
                let roles = prefix::KeyRoles::of(
                    affected[ci].iter().map(|&i| &inputs.statements[i].analysis),
                    def,
                );
                for alt in smaller_alternatives(inputs, ci, &sel.sizes, &hypos) {
                    if prefix::refines(def, &inputs.candidates[alt].def, &roles) {
                        continue;
                    }
                    let Some(h) = w.create(&inputs.candidates[alt].def).await? else {
                        continue;
                    };
                    let both: Vec<usize> =
                        affected[ci].iter().chain(&affected[alt]).copied().collect();
                    let mut present = oids(&hypos);
                    present.insert(h.oid, alt);
                    let with_alt =
                        increase(w, inputs, &views, &values, &cur, &both, &present).await?;
                    let alt_loss: f64 = with_alt.iter().map(|&(i, _, up)| weighted(i, up)).sum();
                    if alt_loss <= TRIM_TOLERANCE * marginal {
                        for (i, c, _) in with_alt {
                            cur[i] = Some(c);
                        }
                        hypos.insert(alt, h);
                        kept = alt;
                        break;
                    }
                    w.drop_hypo(h).await?;
                }
                if kept == ci {
                    if let Some(h) = w.create(&inputs.candidates[ci].def).await? {
                        hypos.insert(ci, h);
                    }
                } else {
                    for c in sel.chosen.iter_mut().filter(|c| **c == ci) {
                        *c = kept;
                    }
                    sel.rejected.insert(ci, Rejection::TooSmallGain);
                }
            }
        }

        // Another round only when the cap stopped this one and pruning freed a slot.
        let freed = cap_bound && sel.chosen.len() < picked;
        if !freed || open.is_empty() || round == ROUNDS {
            break;
        }
    }
    // Widening: a chosen index gives way to a candidate that extends its keys (the sort key
    // or range after the equality keys) when its statements save more with it than the
    // extra size and write overhead cost. Ranked per byte of allowance, the short index goes
    // first; measured against it, the longer one then looks as if it added little.
    for ci in sel.chosen.clone() {
        let used: i64 = sel
            .chosen
            .iter()
            .map(|c| sel.sizes.get(c).copied().unwrap_or(0))
            .sum();
        let own = sel.sizes.get(&ci).copied().unwrap_or(0);
        for alt in larger_alternatives(inputs, ci, &sel.chosen) {
            let extra = sel.sizes.get(&alt).copied().unwrap_or(i64::MAX) - own;
            if options.budget_bytes.is_some_and(|b| used + extra > b) {
                continue;
            }
            let Some(h_ci) = hypos.remove(&ci) else { break };
            w.drop_hypo(h_ci).await?;
            let Some(h) = w.create(&inputs.candidates[alt].def).await? else {
                if let Some(h) = w.create(&inputs.candidates[ci].def).await? {
                    hypos.insert(ci, h);
                }
                continue;
            };
            let mut present = oids(&hypos);
            present.insert(h.oid, alt);
            let both: Vec<usize> = affected[ci]
                .iter()
                .chain(&affected[alt])
                .copied()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            let planned = increase(w, inputs, &views, &values, &cur, &both, &present).await?;
            let saving: f64 = planned.iter().map(|&(i, _, up)| -weighted(i, up)).sum();
            let others = hypos.len();
            let gain = saving - (overhead(alt, others) - overhead(ci, others));
            if gain >= min_gain {
                for (i, c, _) in planned {
                    cur[i] = Some(c);
                }
                hypos.insert(alt, h);
                open.remove(&alt);
                sel.rejected.remove(&alt);
                for c in sel.chosen.iter_mut().filter(|c| **c == ci) {
                    *c = alt;
                }
                sel.rejected.insert(ci, Rejection::TooSmallGain);
                break;
            }
            w.drop_hypo(h).await?;
            if let Some(h) = w.create(&inputs.candidates[ci].def).await? {
                hypos.insert(ci, h);
            }
        }
    }

    let capped = cap_bound;
    for ci in open {
        let net = estimate(ci, &cur, &hypos, &HashMap::new());
        let saving = net + overhead(ci, chosen_on(&hypos, ci));
        let why = if capped && net >= min_gain {
            sel.left_out_by_cap(ci, net, options.max_indexes)
        } else if saving >= min_gain {
            Rejection::WriteOverhead
        } else {
            Rejection::TooSmallGain
        };
        sel.rejected.entry(ci).or_insert(why);
    }

    // Final plans with the chosen set: which index serves which statement.
    let names = oids(&hypos);
    for &i in &relevant {
        if sel.base[i].is_none() {
            continue;
        }
        if let Some(plan) = plan_statement(w, inputs, &views, &values, i, &names).await? {
            sel.after[i] = Some(plan.cost);
            sel.capped[i] = plan.capped;
            sel.used_by[i] = plan
                .indexes
                .iter()
                .filter_map(|name| hypo_oid(name).and_then(|oid| names.get(&oid).copied()))
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
        }
    }
    for &ci in hypos.keys() {
        sel.overheads
            .insert(ci, overhead_cost(ci, hypos.len().saturating_sub(1)));
    }
    for (_, h) in hypos {
        w.drop_hypo(h).await?;
    }
    sel.affected = affected;
    sel.plans = w.plans;
    Ok(sel)
}

/// Moves the smallest of the ranked `(score, saving, candidate)` entries that `keep`
/// accepts to the front; the ranking is unchanged when it accepts none.
fn smallest_first(
    ranked: &mut Vec<(f64, f64, usize)>,
    size: impl Fn(usize) -> i64,
    keep: impl Fn(&(f64, f64, usize)) -> bool,
) {
    if let Some(pos) = ranked
        .iter()
        .enumerate()
        .filter(|(_, r)| keep(r))
        .min_by_key(|(_, r)| size(r.2))
        .map(|(p, _)| p)
    {
        let pick = ranked.remove(pos);
        ranked.insert(0, pick);
    }
}

/// What one more index of `size` bytes uses up of the scarcer allowance: one of the
/// `slots_left` under the cap, or its share of the storage left. Ranking by saving per share
/// picks by saving alone while storage is plentiful, and by saving per byte once the budget
/// binds, so that a few wide indexes do not spend the budget that several narrow ones would
/// put to better use.
fn allowance_share(size: i64, storage_left: Option<i64>, slots_left: usize) -> f64 {
    let slot = 1.0 / slots_left.max(1) as f64;
    match storage_left {
        Some(left) => (size as f64 / left.max(1) as f64).max(slot),
        None => slot,
    }
}

/// Re-plans `statements` with the hypothetical indexes that exist now: their new costs,
/// each with how much it rose over `cur` (negative where it fell: an index whose plan is
/// slower than the planner thinks made it worse).
async fn increase(
    w: &mut WhatIf,
    inputs: &Inputs<'_>,
    views: &[bool],
    values: &[Vec<Values>],
    cur: &[Option<f64>],
    statements: &[usize],
    present: &HashMap<i64, usize>,
) -> Result<Vec<(usize, f64, f64)>> {
    let mut costs = Vec::new();
    for &i in statements {
        let Some(now) = cur[i] else { continue };
        if let Some(p) = plan_statement(w, inputs, views, values, i, present).await? {
            costs.push((i, p.cost, p.cost - now));
        }
    }
    Ok(costs)
}

/// A smaller candidate may replace a chosen one when it keeps all but this share of the
/// chosen one's saving.
const TRIM_TOLERANCE: f64 = 0.1;

/// Candidates on the same table, smaller than `ci`, whose keys start `ci`'s keys (the same
/// keys without INCLUDE, or a prefix), smallest first.
fn smaller_alternatives(
    inputs: &Inputs,
    ci: usize,
    sizes: &HashMap<usize, i64>,
    chosen: &BTreeMap<usize, Hypo>,
) -> Vec<usize> {
    let d = &inputs.candidates[ci].def;
    let size = sizes.get(&ci).copied().unwrap_or(i64::MAX);
    let mut alts: Vec<(i64, usize)> = inputs
        .candidates
        .iter()
        .enumerate()
        .filter(|(a, c)| {
            *a != ci
                && !chosen.contains_key(a)
                && c.def.schema == d.schema
                && c.def.table == d.table
                && c.def.method == d.method
                && c.def.predicate == d.predicate
                && c.def.keys.len() <= d.keys.len()
                && c.def.keys[..] == d.keys[..c.def.keys.len()]
                && c.def.include.iter().all(|i| d.include.contains(i))
        })
        .filter_map(|(a, _)| sizes.get(&a).filter(|&&s| s < size).map(|&s| (s, a)))
        .collect();
    alts.sort();
    alts.into_iter().map(|(_, a)| a).collect()
}

/// Candidates on the same table that extend `ci`'s keys with more (same method, predicate
/// and INCLUDE list), not chosen, shortest first.
fn larger_alternatives(inputs: &Inputs, ci: usize, chosen: &[usize]) -> Vec<usize> {
    let d = &inputs.candidates[ci].def;
    let mut alts: Vec<(usize, usize)> = inputs
        .candidates
        .iter()
        .enumerate()
        .filter(|(a, c)| {
            !chosen.contains(a)
                && c.def.schema == d.schema
                && c.def.table == d.table
                && c.def.method == d.method
                && c.def.predicate == d.predicate
                && c.def.include == d.include
                && c.def.keys.len() > d.keys.len()
                && c.def.keys[..d.keys.len()] == d.keys[..]
        })
        .map(|(a, c)| (c.def.keys.len(), a))
        .collect();
    alts.sort();
    alts.into_iter().map(|(_, a)| a).collect()
}

/// The hypothetical indexes in place, by oid: which candidate a plan's index is.
fn oids(hypos: &BTreeMap<usize, Hypo>) -> HashMap<i64, usize> {
    hypos.iter().map(|(&ci, h)| (h.oid, ci)).collect()
}

/// Statement `i` planned with the hypothetical indexes that exist now (`present`: those of
/// the candidates, by oid). Where the plan reads through a candidate whose leading keys
/// the statement fixes by equality, the statement costs no more than with that candidate
/// without those keys (see `prefix`); the plan's indexes stay those of the first plan.
async fn plan_statement(
    w: &mut WhatIf,
    inputs: &Inputs<'_>,
    views: &[bool],
    values: &[Vec<Values>],
    i: usize,
    present: &HashMap<i64, usize>,
) -> Result<Option<Plan>> {
    let (sql, analysis) = inputs.statements[i].plan_text();
    let Some(mut plan) = w.plan_each(sql, views[i], &values[i]).await? else {
        return Ok(None);
    };
    let used: BTreeSet<usize> = plan
        .indexes
        .iter()
        .filter_map(|name| hypo_oid(name).and_then(|oid| present.get(&oid).copied()))
        .collect();
    for ci in used {
        let Some(shorter) = prefix::without_equality_prefix(&inputs.candidates[ci].def, analysis)
        else {
            continue;
        };
        let Some(h) = w.create(&shorter).await? else {
            continue;
        };
        let alternative = w.plan_each(sql, views[i], &values[i]).await;
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

/// HypoPG names its indexes `<oid>btree_table_cols`.
fn hypo_oid(name: &str) -> Option<i64> {
    let rest = name.strip_prefix('<')?;
    let end = rest.find('>')?;
    rest[..end].parse().ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_smallest_accepted_candidate_moves_to_the_front() {
        let sizes = [0i64, 300, 100, 200];
        let size = |ci: usize| sizes[ci];
        let mut ranked = vec![(9.0, 9.0, 1), (8.0, 8.0, 3), (7.0, 7.0, 2)];
        super::smallest_first(&mut ranked, size, |r| r.0 >= 8.0);
        assert_eq!(
            ranked.iter().map(|r| r.2).collect::<Vec<_>>(),
            vec![3, 1, 2]
        );
        super::smallest_first(&mut ranked, size, |_| false);
        assert_eq!(
            ranked.iter().map(|r| r.2).collect::<Vec<_>>(),
            vec![3, 1, 2]
        );
    }

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
