//! Indexes that pay only together. A join's indexes on its two sides can be worth little
//! alone and much together: `orders (seller_id, created_at)` finds a seller's recent orders,
//! yet without `order_lines (order_id)` their lines are still found by hashing the whole
//! order_lines table; `order_lines (order_id)` alone is useless while every order is read.
//! Each was costed alone (`Search::single`), so once one is chosen the other's estimate
//! still says it saves nothing and it is never tried. When a candidate is taken, the
//! joins it made cheaper are re-planned with each open candidate on their other tables,
//! and those costs (`Search::joint`) enter the candidates' estimates from then on.

use super::search::{Replanned, Search};
use crate::advisor::whatif::WhatIf;
use crate::error::Result;
use std::collections::BTreeMap;

/// Plans one take may spend on the joins it changed: the candidates that saved most alone
/// on each join are tried first.
const PLANS_PER_TAKE: usize = 24;

pub(super) async fn complements(
    s: &mut Search<'_>,
    w: &mut WhatIf,
    taken: usize,
    costs: &[Replanned],
) -> Result<()> {
    let cands = s.inputs.candidates;
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for r in costs.iter().filter(|r| r.rise < 0.0) {
        let i = r.statement;
        if s.inputs.statements[i].analysis.tables.len() < 2 {
            continue;
        }
        for &cj in &s.open {
            if cands[cj].def.same_table(&cands[taken].def) {
                continue;
            }
            let Some(&alone) = s.single[cj].get(&i) else {
                continue;
            };
            let before = s.sel.base[i].unwrap_or(alone);
            pairs.push((before - alone, cj, i));
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    pairs.truncate(PLANS_PER_TAKE);
    // One what-if index per candidate, for all of its joins among the pairs kept.
    let mut joins: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (_, cj, i) in pairs {
        joins.entry(cj).or_default().push(i);
    }
    for (cj, statements) in joins {
        let Some((h, planned)) = s.with_added(w, cj, &statements).await? else {
            continue;
        };
        w.drop_hypo(h).await?;
        for p in planned.iter().filter(|p| p.rise < 0.0) {
            s.joint.insert((cj, p.statement), p.cost);
        }
    }
    Ok(())
}
