//! The `select` stage: which candidates to propose, judged on the whole workload. It runs
//! as phases over one shared state (`search`):
//!
//! 1. `costing`: every statement with the indexes the database has, then each candidate
//!    alone, with its estimated size.
//! 2. `choose`: a greedy loop takes the candidate with the largest net saving —
//!    Σ calls × (current cost − cost with it) − write overhead, in estimated milliseconds
//!    (see `measured`) — per share of the allowance left, once re-costed with the indexes
//!    already chosen. A candidate that a chosen index can absorb (a covering index on a
//!    key prefix of the other's) is folded into it when the merge saves nearly as much
//!    (`fold`). The joins a taken index made cheaper are re-planned with the candidates on
//!    their other tables, which may pay only together with it (`complement`).
//! 3. `prune`: a chosen index that later ones made unnecessary goes; a smaller variant that
//!    keeps nearly all of a chosen index's saving replaces it. Choosing and pruning repeat
//!    while the cap stopped the loop and pruning freed a slot.
//! 4. `swap`: under a binding budget or cap, a candidate left out may displace the chosen
//!    indexes worth least for the room they hold.
//! 5. `widen`: a chosen index gives way to one extending its keys when that pays. When
//!    the cap had stopped the loop and a slot is free after these phases, choosing and
//!    pruning run once more.
//! 6. `finish`: why each remaining candidate was not chosen, and the final plans.

mod choose;
mod complement;
mod costing;
mod finish;
mod fold;
mod prune;
mod search;
mod swap;
mod widen;

use super::candidates::{Candidate, Statement};
use super::facts::{FieldPolicy, TableFacts};
use super::whatif::{PlanFailure, WhatIf};
use crate::error::Result;
use crate::Progress;
use search::Search;
use std::collections::{BTreeSet, HashMap, HashSet};

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
    /// Why a statement could not be planned.
    pub plan_errors: Vec<Option<PlanFailure>>,
    /// With every chosen index.
    pub after: Vec<Option<f64>>,
    /// The chosen candidates each statement's final plan uses.
    pub used_by: Vec<Vec<usize>>,
    /// The relations a chosen candidate is read on in a statement's final plan, by
    /// (candidate, statement): on a partitioned table, the partitions pruning left.
    pub scanned: HashMap<(usize, usize), BTreeSet<String>>,
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
    /// The share of random page reads costs price as sequential ones, the workload having
    /// found that share of its blocks cached (see `whatif::cached`); 0: the planner's own.
    pub cached_pages: f64,
    /// Statements each candidate may affect.
    pub affected: Vec<Vec<usize>>,
    pub plans: u64,
}

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

pub(super) fn through_view(s: &Statement, views: &HashSet<(String, String)>) -> bool {
    s.analysis.tables.iter().any(|t| {
        t.schema
            .as_ref()
            .is_some_and(|sc| views.contains(&(sc.clone(), t.table.clone())))
    })
}

/// Rounds of choosing and pruning at most.
const ROUNDS: usize = 3;

pub async fn select(
    w: &mut WhatIf,
    inputs: &Inputs<'_>,
    options: &SelectOptions,
    progress: &dyn Progress,
) -> Result<Selection> {
    let mut s = costing::cost(w, inputs, options, progress).await?;
    // Rounds of choosing and pruning: a pruned index frees a slot the next round may fill.
    let mut cap_bound = false;
    for round in 1..=ROUNDS {
        let picked = choose_and_prune(&mut s, w, progress).await?;
        cap_bound = picked >= options.max_indexes;
        let freed = cap_bound && s.sel.chosen.len() < picked;
        if !freed || s.open.is_empty() || round == ROUNDS {
            break;
        }
    }
    swap::swap(&mut s, w).await?;
    widen::widen(&mut s, w).await?;
    // Swapping and widening may have put an index beside one whose keys it leads.
    prune::prefixed(&mut s, w).await?;
    // A slot the cap had filled may be free again (pruned in the last round, swapped two
    // for one, led by a widened index): what the cap left out competes for it as it would
    // have in another round.
    if cap_bound && s.sel.chosen.len() < options.max_indexes && !s.open.is_empty() {
        choose_and_prune(&mut s, w, progress).await?;
        cap_bound = s.sel.chosen.len() >= options.max_indexes;
    }
    finish::finish(s, w, cap_bound).await
}

/// One round: the greedy loop, then pruning. How many indexes were chosen before pruning.
async fn choose_and_prune(
    s: &mut Search<'_>,
    w: &mut WhatIf,
    progress: &dyn Progress,
) -> Result<usize> {
    choose::greedy(s, w, progress).await?;
    let picked = s.sel.chosen.len();
    prune::covered(s, w).await?;
    prune::prefixed(s, w).await?;
    prune::unneeded(s, w).await?;
    Ok(picked)
}
