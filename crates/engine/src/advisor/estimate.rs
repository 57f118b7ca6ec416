//! Without HypoPG: an estimate from statistics alone, always labelled as such (`hypopg:
//! false`, `verified: false` on every proposal). A statement's cost now is the planner's,
//! with the indexes the database has (planning needs no HypoPG), capped at a sequential scan
//! of its table. With a candidate, the cost is an index probe plus a random page per
//! matching row (capped at the table's pages), credited only when it at least halves the
//! cost now: the model is no planner, and a plan that already uses an index well (a
//! PostgreSQL 18 skip scan of a wider index included) is left alone rather than given a
//! near-twin index on the strength of the model's error. Each statement is credited to its
//! best candidate only, so overlapping candidates are not counted twice.

use super::candidates::{Candidate, Statement};
use super::facts::{FieldPolicy, TableFacts};
use super::overhead::{write_overhead, TableWrites};
use super::params;
use super::select::{through_view, Rejection, SelectOptions, Selection};
use super::whatif::WhatIf;
use crate::error::Result;
use crate::workload::analyse::Role;
use sqlx::PgPool;
use std::collections::{BTreeSet, HashMap, HashSet};

const SEQ_PAGE: f64 = 1.0;
const RANDOM_PAGE: f64 = 4.0;
const CPU_TUPLE: f64 = 0.01;
const CPU_OPERATOR: f64 = 0.0025;
/// The share of the cost now a candidate's modelled cost must fall below to be credited.
const CLEAR_MARGIN: f64 = 0.5;

/// A statement as the planner plans it now, with the indexes the database has.
#[derive(Debug, Clone, Copy)]
pub struct Planned {
    pub cost: f64,
    pub uses_index: bool,
}

fn seq_scan(f: &TableFacts) -> f64 {
    f.pages * SEQ_PAGE + f.rows * (CPU_TUPLE + CPU_OPERATOR)
}

/// Share of rows the candidate's keys select for statement `s` (equality keys multiply).
fn share(c: &Candidate, s: &Statement, f: &TableFacts) -> f64 {
    let mut share = 1.0;
    for k in &c.def.keys {
        let role = s
            .analysis
            .columns_of(&f.schema, &f.table)
            .filter(|u| u.column == k.column && u.expression == k.expression)
            .map(|u| u.role)
            .min();
        match role {
            Some(Role::Equality | Role::JoinKey) => {
                share *= f
                    .columns
                    .get(&k.column)
                    .and_then(|c| c.equality_share())
                    .unwrap_or(0.01);
            }
            Some(Role::InList) => share *= 0.05,
            Some(Role::Range) => share *= 1.0 / 3.0,
            Some(Role::PrefixLike) => share *= 0.05,
            // PostgreSQL's own default for containment and pattern matching it cannot judge.
            Some(Role::Contains | Role::Substring) => share *= 0.01,
            _ => break,
        }
    }
    share
}

fn index_scan(matched: f64, f: &TableFacts) -> f64 {
    let height = (f.rows.max(2.0).log(256.0)).ceil().max(1.0);
    height * RANDOM_PAGE + matched.min(f.pages) * RANDOM_PAGE + matched * (CPU_TUPLE + CPU_OPERATOR)
}

/// Bytes: key and INCLUDE widths plus the tuple header, at B-tree's usual 70% leaf fill.
fn size(c: &Candidate, f: &TableFacts) -> i64 {
    let width: f64 = c
        .def
        .key_and_include_columns()
        .iter()
        .map(|col| f64::from(f.columns.get(*col).map_or(8, |s| s.avg_width.max(1))))
        .sum();
    // A size estimate far below i64::MAX; the saturating float-to-int cast is the intent.
    #[allow(clippy::cast_possible_truncation)]
    let bytes = ((f.rows * (width + 16.0)) / 0.7) as i64;
    bytes
}

/// The plan of each statement some candidate serves, with the indexes the database has
/// (`None` where it cannot be planned: the model's sequential scan stands).
pub async fn planned(
    pool: &PgPool,
    statements: &[Statement],
    candidates: &[Candidate],
    tables: &HashMap<(String, String), TableFacts>,
    views: &HashSet<(String, String)>,
    policy: &FieldPolicy,
) -> Result<Vec<Option<Planned>>> {
    let served: BTreeSet<usize> = candidates
        .iter()
        .flat_map(|c| c.statements.iter().copied())
        .collect();
    let mut w = WhatIf::open_plain(pool).await?;
    let result: Result<Vec<Option<Planned>>> = async {
        let mut costs = vec![None; statements.len()];
        for i in served {
            let s = &statements[i];
            let sets = params::sets_for_statement(s, tables, policy);
            let plan = w
                .plan_each(s.plan_text().0, through_view(s, views), &sets)
                .await?;
            costs[i] = plan.map(|p| Planned {
                cost: p.cost,
                uses_index: !p.indexes.is_empty(),
            });
        }
        Ok(costs)
    }
    .await;
    // The session ends either way; a failure to close it is secondary to the planning's.
    let closed = w.close().await;
    let costs = result?;
    closed?;
    Ok(costs)
}

/// `planned`: each statement's plan now (see `planned`), or empty.
pub fn select(
    statements: &[Statement],
    candidates: &[Candidate],
    tables: &HashMap<(String, String), TableFacts>,
    planned: &[Option<Planned>],
    options: &SelectOptions,
) -> Selection {
    let n = statements.len();
    let mut sel = Selection::new(n);
    sel.affected = candidates
        .iter()
        .map(|c| c.statements.iter().copied().collect())
        .collect();
    let facts = |c: &Candidate| tables.get(&(c.def.schema.clone(), c.def.table.clone()));
    let mut single: Vec<HashMap<usize, f64>> = Vec::new();
    for (ci, c) in candidates.iter().enumerate() {
        let mut costs = HashMap::new();
        if let Some(f) = facts(c) {
            sel.sizes.insert(ci, size(c, f));
            for &i in &c.statements {
                let seq = seq_scan(f);
                let now = planned.get(i).copied().flatten();
                let before = now.map_or(seq, |p| p.cost.min(seq));
                sel.base_uses_index[i] = now.is_some_and(|p| p.uses_index);
                sel.base[i] = Some(sel.base[i].map_or(before, |b: f64| b.max(before)));
                let modelled = index_scan(share(c, &statements[i], f) * f.rows, f);
                let after = if modelled < before * CLEAR_MARGIN {
                    modelled
                } else {
                    before
                };
                costs.insert(i, after);
                sel.best_single[i] = Some(sel.best_single[i].map_or(after, |b: f64| b.min(after)));
            }
        }
        single.push(costs);
    }
    let workload: f64 = (0..n)
        .filter_map(|i| sel.base[i].map(|b| b * statements[i].calls))
        .sum();
    let min_gain = (options.min_gain_share * workload).max(1.0);
    let mut cur = sel.base.clone();
    let mut open: BTreeSet<usize> = (0..candidates.len()).collect();
    let mut used = 0i64;
    // Each candidate's write overhead: the same in every round.
    let writes = TableWrites::by_table(statements, tables.keys());
    let overheads: Vec<f64> = candidates
        .iter()
        .map(|c| {
            let key = (c.def.schema.clone(), c.def.table.clone());
            match (tables.get(&key), writes.get(&key)) {
                (Some(f), Some(w)) => write_overhead(&c.def, w, f.hot_ratio, f.indexes.len()),
                _ => 0.0,
            }
        })
        .collect();
    while sel.chosen.len() < options.max_indexes {
        let best = open
            .iter()
            .map(|&ci| {
                let saving: f64 = single[ci]
                    .iter()
                    .filter_map(|(&i, &after)| {
                        cur[i].map(|now| statements[i].calls * (now - after).max(0.0))
                    })
                    .sum();
                let oh = overheads[ci];
                (saving - oh, oh, ci)
            })
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let Some((gain, oh, ci)) = best else { break };
        if gain < min_gain {
            break;
        }
        open.remove(&ci);
        let bytes = sel.sizes.get(&ci).copied().unwrap_or(0);
        if options.budget_bytes.is_some_and(|b| used + bytes > b) {
            sel.rejected.insert(ci, Rejection::Budget);
            continue;
        }
        used += bytes;
        for (&i, &after) in &single[ci] {
            if cur[i].is_some_and(|now| after < now) {
                cur[i] = Some(after);
                sel.used_by[i] = vec![ci];
            }
        }
        sel.overheads.insert(ci, oh);
        sel.chosen.push(ci);
    }
    let capped = sel.chosen.len() >= options.max_indexes;
    for ci in open {
        let net: f64 = single[ci]
            .iter()
            .filter_map(|(&i, &after)| {
                cur[i].map(|now| statements[i].calls * (now - after).max(0.0))
            })
            .sum::<f64>()
            - overheads[ci];
        let why = if capped && net >= min_gain {
            sel.left_out_by_cap(ci, net, options.max_indexes)
        } else {
            Rejection::TooSmallGain
        };
        sel.rejected.entry(ci).or_insert(why);
    }
    sel.after = cur;
    sel
}
