//! The first phase: the workload costed with the indexes the database has, then each
//! candidate alone (every statement it may affect, planned with only that what-if index),
//! with its estimated built size.

use super::search::Search;
use super::{Inputs, SelectOptions, Selection};
use crate::advisor::index_def::{IndexDef, Method};
use crate::advisor::measured::TimeScale;
use crate::advisor::overhead::TableWrites;
use crate::advisor::params::{self, Values};
use crate::advisor::size;
use crate::advisor::whatif::WhatIf;
use crate::error::Result;
use crate::workload::analyse::{Access, Role};
use crate::Progress;
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub(super) async fn cost<'a>(
    w: &mut WhatIf,
    inputs: &'a Inputs<'a>,
    options: &'a SelectOptions,
    progress: &dyn Progress,
) -> Result<Search<'a>> {
    let n = inputs.statements.len();
    let affected = affected(inputs);
    let relevant: BTreeSet<usize> = affected.iter().flatten().copied().collect();
    let views: Vec<bool> = inputs
        .statements
        .iter()
        .map(|s| super::through_view(s, inputs.views))
        .collect();
    let values: Vec<Vec<Values>> = inputs
        .statements
        .iter()
        .map(|s| params::sets_for_statement(s, inputs.tables, inputs.policy))
        .collect();

    let mut sel = Selection::new(n);
    let total = relevant.len() + inputs.candidates.len();
    let mut done = 0usize;
    for &i in &relevant {
        let text = inputs.statements[i].plan_text().0;
        if let Some(plan) = w.plan_each(text, views[i], &values[i]).await? {
            sel.base_uses_index[i] = !plan.indexes.is_empty();
            sel.base[i] = Some(plan.cost);
        } else {
            sel.plan_errors[i] = w.failure(text).cloned();
        }
        done += 1;
        if done % 50 == 0 {
            progress.step("costing the workload", done as f64 / total as f64);
        }
    }
    // Savings are ranked in estimated milliseconds (see `measured`).
    let scale = TimeScale::new(inputs.statements, &sel.base);
    sel.time_measured = scale.measured;
    let workload_cost: f64 = (0..n)
        .filter_map(|i| sel.base[i].map(|c| scale.weighted(inputs.statements, i, c)))
        .sum();

    let mut s = Search {
        inputs,
        options,
        affected,
        relevant,
        views,
        values,
        scale,
        writes: TableWrites::by_table(inputs.statements, inputs.tables.keys()),
        min_gain: (options.min_gain_share * workload_cost).max(1.0),
        single: Vec::with_capacity(inputs.candidates.len()),
        cur: sel.base.clone(),
        hypos: BTreeMap::new(),
        open: (0..inputs.candidates.len()).collect(),
        verified: HashMap::new(),
        joint: HashMap::new(),
        sel,
    };

    // HypoPG's sizes, calibrated on indexes the tables have.
    let calibration = size::calibrate(w, inputs.tables).await?;
    tracing::debug!(calibration, "built size over HypoPG's estimate");

    for (ci, c) in inputs.candidates.iter().enumerate() {
        let Some(h) = w.create(&c.def).await? else {
            // Refused by the planner: no saving, never chosen.
            s.single.push(HashMap::new());
            continue;
        };
        let kept = kept_share(w, &c.def, h.size_bytes).await?;
        let size = size::estimate(
            &c.def,
            inputs
                .tables
                .get(&(c.def.schema.clone(), c.def.table.clone())),
            h.size_bytes,
            calibration,
            inputs.deduplication,
            kept,
        );
        s.sel.sizes.insert(ci, size);
        let mut costs = HashMap::new();
        let present = HashMap::from([(h.oid, ci)]);
        for i in s.affected[ci].clone() {
            if s.sel.base[i].is_none() {
                continue;
            }
            if let Some(plan) = s.plan(w, i, &present).await? {
                costs.insert(i, plan.cost);
                let best = &mut s.sel.best_single[i];
                *best = Some(best.map_or(plan.cost, |b: f64| b.min(plan.cost)));
            }
        }
        w.drop_hypo(h).await?;
        s.single.push(costs);
        done += 1;
        if done % 10 == 0 {
            progress.step("costing candidates", done as f64 / total as f64);
        }
    }
    Ok(s)
}

/// The share of its table's rows a partial B-tree keeps, as the planner estimates its
/// predicate: HypoPG's size of it over the size of the same index without the predicate.
/// None for any other index, or when HypoPG gives no size.
async fn kept_share(w: &mut WhatIf, def: &IndexDef, hypo_bytes: i64) -> Result<Option<f64>> {
    if def.predicate.is_none() || def.method != Method::Btree || hypo_bytes <= 0 {
        return Ok(None);
    }
    let whole = IndexDef {
        predicate: None,
        ..def.clone()
    };
    let Some(h) = w.create(&whole).await? else {
        return Ok(None);
    };
    let bytes = h.size_bytes;
    w.drop_hypo(h).await?;
    // Both figures count a metapage whatever the rows: only the rest scales with them.
    const META: f64 = 8192.0;
    let (part, all) = (hypo_bytes as f64 - META, bytes as f64 - META);
    Ok((all > 0.0).then(|| (part.max(0.0) / all).min(1.0)))
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
            let target = c.target().to_string();
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
