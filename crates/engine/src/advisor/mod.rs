//! The index advisor: `candidates` (from the analysed workload, filtered by the genome and
//! what exists) → `what-if` (HypoPG planner costs, or a labelled estimate without it) →
//! `select` (workload-level, net of write overhead, under a budget) → `explain` (each
//! proposal with its DDL, reason and the statements it helps) → `store` (proposals in the
//! mutation log, stable across re-runs). Drop proposals come from index health.

pub mod candidates;
mod drops;
mod estimate;
pub mod evaluate;
pub mod explain;
pub mod facts;
mod gin;
pub mod index_def;
mod input;
pub mod measured;
pub mod model;
pub mod notes;
pub mod overhead;
mod param_types;
mod params;
pub mod policy;
mod prefix;
pub mod reason;
pub mod recent;
mod select;
mod size;
mod store;
pub mod whatif;

pub use facts::CandidateOptions;
pub use index_def::{IndexDef, KeyPart, Method};
pub use model::{Advice, Benefit, Declined, Proposal, ProposalKind, ReasonCode, StatementEffect};
pub use notes::{Note, NoteCode};
pub use policy::AdvisorPolicy;
pub use reason::Why;
use reason::{CreateReason, IndexAccess, PartialTo, Verification};
pub use select::SelectOptions;
pub use store::{open_proposals, StoredProposal};

use crate::catalog;
use crate::error::Result;
use crate::migrate::require_initialised;
use crate::mutations::Actor;
use crate::Progress;
use candidates::{Candidate, Context, Statement};
use chrono::{DateTime, Utc};
use facts::TableFacts;
use select::{Rejection, Selection};
use sqlx::PgPool;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::time::Instant;
use whatif::{PlanFailure, WhatIf};

#[derive(Debug, Clone)]
pub struct AdviseOptions {
    pub select: SelectOptions,
    pub candidates: CandidateOptions,
    /// Only workload collected after this instant (collected deltas only).
    pub since: Option<DateTime<Utc>>,
    /// Record proposals in the mutation log (false: a dry run).
    pub record: bool,
    /// Write nothing anywhere (a dry run from the command line, a hot standby, a read-only
    /// role): the workload is read from pg_stat_statements as it stands when no interval
    /// has been collected, and analyses are not cached.
    pub read_only: bool,
    /// Cost without HypoPG even when it is installed (for comparison and tests).
    pub force_estimate: bool,
    /// Propose no drops (the policy's `drops = off`).
    pub skip_drops: bool,
    /// How tenants are recognised, when not the stored setting (a policy file's).
    pub tenancy: Option<crate::settings::Tenancy>,
    /// Pages a block sample may read per guessed filter (see `AdvisorPolicy`); 0: none.
    pub sample_pages: u32,
    /// Milliseconds one what-if plan may take (see `AdvisorPolicy`).
    pub plan_timeout_ms: u64,
}

/// At most this many pages (8 MB) per sampled filter: a block sample of a large table.
pub const DEFAULT_SAMPLE_PAGES: u32 = 1000;

/// A plan normally takes milliseconds; one that takes ten seconds is left uncosted rather
/// than holding the run (and a connection of the DBA's server) up.
pub const DEFAULT_PLAN_TIMEOUT_MS: u64 = 10_000;

impl Default for AdviseOptions {
    fn default() -> Self {
        AdviseOptions {
            select: SelectOptions::default(),
            candidates: CandidateOptions::default(),
            since: None,
            record: false,
            read_only: false,
            force_estimate: false,
            skip_drops: false,
            tenancy: None,
            sample_pages: DEFAULT_SAMPLE_PAGES,
            plan_timeout_ms: DEFAULT_PLAN_TIMEOUT_MS,
        }
    }
}

/// Runs the whole pipeline.
pub async fn advise(
    pool: &PgPool,
    actor: &Actor,
    options: &AdviseOptions,
    progress: &dyn Progress,
) -> Result<Advice> {
    require_initialised(pool).await?;
    if options.record || !options.read_only {
        // Said before the analysis, not after it: the proposals would have nowhere to go.
        crate::connect::access::of_pool(pool)
            .await?
            .require_writable()?;
    }
    let started = Instant::now();
    progress.step("reading the workload", 0.0);
    let catalog = catalog::discover_reporting(pool, progress, 0.0).await?;
    let workload = input::workload(pool, &catalog, options.since, options.read_only).await?;
    let statements = &workload.statements;
    let used = input::tables_used(statements);
    let mut tables = input::table_facts(pool, &catalog, &used).await?;
    input::probe_expressions(pool, statements, &mut tables).await?;
    let policy = input::policy(pool, options.tenancy.as_ref()).await?;
    let copts = input::database_options(pool, options.candidates.clone()).await?;
    let views = input::views(&catalog);
    let others = input::other_relations(&catalog);
    let mut generated = candidates::generate(
        statements,
        &Context {
            tables: &tables,
            others: &others,
            policy: &policy,
            options: &copts,
        },
    );
    // What the policy forbids is never costed.
    generated.candidates.retain(|c| {
        (copts.partial || c.def.predicate.is_none())
            && (copts.expressions || c.def.keys.iter().all(|k| k.expression.is_none()))
    });
    let hypopg = !options.force_estimate && WhatIf::available(pool).await?;
    let mut estimated = HashSet::new();
    let selection = if hypopg {
        let mut w = WhatIf::open(pool).await?;
        w.sample_pages(options.sample_pages);
        w.price_cached_pages(workload.cached_share);
        w.plan_timeout(options.plan_timeout_ms).await?;
        let inputs = select::Inputs {
            statements,
            candidates: &generated.candidates,
            tables: &tables,
            views: &views,
            policy: &policy,
            deduplication: copts.deduplication,
        };
        let result = select::select(&mut w, &inputs, &options.select, progress)
            .await
            .map(|mut sel| {
                sel.cached_pages = workload.cached_share;
                sel
            });
        estimated = w.estimated();
        // The session ends either way; a failure to close it is secondary to `result`.
        let closed = w.close().await;
        let sel = result?;
        closed?;
        sel
    } else {
        let planned = estimate::planned(
            pool,
            statements,
            &generated.candidates,
            &tables,
            &views,
            &policy,
        )
        .await?;
        estimate::select(
            statements,
            &generated.candidates,
            &tables,
            &planned,
            &options.select,
        )
    };

    progress.step("explaining", 0.95);
    let mut taken: HashSet<String> = catalog
        .relations
        .iter()
        .flat_map(|r| r.indexes.iter().map(|i| format!("{}.{}", r.schema, i.name)))
        .collect();
    let mut proposals = Vec::new();
    let mut fingerprints = Vec::new();
    for &ci in &selection.chosen {
        let c = &generated.candidates[ci];
        let partitions = tables
            .get(&(c.def.schema.clone(), c.def.table.clone()))
            .map_or(0, |f| f.partitions);
        let shown = Shown {
            verified: hypopg,
            partitions,
            estimated: estimated.contains(&c.def.fingerprint()),
        };
        if partitions > 0 {
            let portions = recent_portions(&catalog, c, ci, statements, &selection);
            if !portions.is_empty() {
                for portion in &portions {
                    let shown = Shown {
                        partitions: 0,
                        ..shown
                    };
                    if let Some(p) = explain_create(
                        c,
                        ci,
                        statements,
                        &selection,
                        shown,
                        Some(portion),
                        &mut taken,
                    ) {
                        fingerprints.push(portion.def.fingerprint());
                        proposals.push(p);
                    }
                }
                continue;
            }
        }
        if let Some(p) = explain_create(c, ci, statements, &selection, shown, None, &mut taken) {
            fingerprints.push(c.def.fingerprint());
            proposals.push(p);
        }
    }
    let drops = if options.skip_drops {
        Vec::new()
    } else {
        drops::proposals(pool, &catalog, &tables, statements).await?
    };
    for (p, fp) in drops {
        fingerprints.push(fp);
        proposals.push(p);
    }
    if options.record {
        store::save(pool, actor, &mut proposals, &fingerprints).await?;
    }
    let declined = declines(statements, &generated, &selection, &tables);
    let weighted = |costs: &[Option<f64>]| -> f64 {
        statements
            .iter()
            .enumerate()
            .filter_map(|(i, s)| costs[i].map(|c| c * s.calls))
            .sum()
    };
    let after: Vec<Option<f64>> = selection
        .base
        .iter()
        .zip(&selection.after)
        .map(|(b, a)| a.or(*b))
        .collect();
    Ok(Advice {
        hypopg,
        statements_analysed: statements.len(),
        workload_cost_before: weighted(&selection.base),
        workload_cost_after: weighted(&after),
        proposals,
        declined,
        workload_source: workload.source.to_string(),
        cached_pages: (selection.cached_pages > 0.0).then_some(selection.cached_pages),
        notes: notes::notes(&notes::read(pool).await?),
        elapsed_seconds: started.elapsed().as_secs_f64(),
    })
}

/// A unique index name in the schema.
fn unique_name(def: &IndexDef, taken: &mut HashSet<String>) -> String {
    let base = def.name();
    let mut name = base.clone();
    let mut n = 1;
    while taken.contains(&format!("{}.{}", def.schema, name)) {
        let suffix = format!("_{n}");
        let mut cut = base.clone();
        let mut end = base.len().min(63 - suffix.len());
        while !cut.is_char_boundary(end) {
            end -= 1;
        }
        cut.truncate(end);
        name = format!("{cut}{suffix}");
        n += 1;
    }
    taken.insert(format!("{}.{}", def.schema, name));
    name
}

/// What a proposal says beyond the selection's figures.
#[derive(Clone, Copy)]
struct Shown {
    /// HypoPG planned the statements with the index.
    verified: bool,
    /// Leaf partitions of the table (0: not partitioned).
    partitions: usize,
    /// Some statement's saving is the what-if session's own estimate (an expression or
    /// partial B-tree HypoPG did not apply there).
    estimated: bool,
}

/// The part of a chosen index on a partitioned table that goes on one of the recent
/// partitions its statements reach (see `recent`).
struct Portion {
    def: IndexDef,
    /// The statements read on this partition, each with its share of the saving.
    statements: Vec<(usize, f64)>,
    /// Share of the index's size and write overhead this partition takes (its share of the
    /// table's rows).
    share: f64,
    recent: recent::RecentPartitions,
}

/// Chosen candidate `ci`, on a partitioned table, as one index per recent partition when
/// its statements read it there only (see `recent`); empty to keep it on the table.
fn recent_portions(
    catalog: &catalog::Catalog,
    c: &Candidate,
    ci: usize,
    statements: &[Statement],
    sel: &Selection,
) -> Vec<Portion> {
    let d = &c.def;
    if d.method != Method::Btree || !c.tenants.is_empty() {
        return Vec::new();
    }
    let Some(rel) = catalog.relation(&d.schema, &d.table) else {
        return Vec::new();
    };
    let leaves: Vec<recent::Leaf> = catalog
        .leaf_partitions(&d.schema, &d.table)
        .into_iter()
        .map(|r| recent::Leaf {
            schema: r.schema.clone(),
            name: r.name.clone(),
            rows: r.row_estimate.unwrap_or(0.0),
        })
        .collect();
    let helped = helped_by(sel, ci);
    let scanned = helped
        .iter()
        .filter_map(|&i| sel.scanned.get(&(ci, i)).map(|s| (i, s.clone())))
        .collect();
    let Some(split) = recent::split(
        &d.table,
        rel.partition_key.as_deref(),
        &leaves,
        &helped,
        statements,
        &scanned,
    ) else {
        return Vec::new();
    };
    let recent = recent::RecentPartitions {
        parent: format!("{}.{}", d.schema, d.table),
        reached: split
            .reached
            .keys()
            .map(|&l| format!("{}.{}", leaves[l].schema, leaves[l].name))
            .collect(),
        of: leaves.len(),
        row_share: split.row_share(),
    };
    split
        .reached
        .into_iter()
        .map(|(l, reached)| Portion {
            def: IndexDef {
                schema: leaves[l].schema.clone(),
                table: leaves[l].name.clone(),
                ..d.clone()
            },
            statements: reached.statements,
            share: reached.row_share,
            recent: recent.clone(),
        })
        .collect()
}

/// The statements whose final plan uses chosen candidate `ci`.
fn helped_by(sel: &Selection, ci: usize) -> Vec<usize> {
    (0..sel.used_by.len())
        .filter(|&i| sel.used_by[i].contains(&ci))
        .collect()
}

fn explain_create(
    c: &Candidate,
    ci: usize,
    statements: &[Statement],
    sel: &Selection,
    Shown {
        verified,
        partitions,
        estimated,
    }: Shown,
    portion: Option<&Portion>,
    taken: &mut HashSet<String>,
) -> Option<Proposal> {
    // Each helped statement with the share of its saving this index takes.
    let mut helped: Vec<(usize, f64)> = match portion {
        Some(p) => p.statements.clone(),
        None => helped_by(sel, ci).into_iter().map(|i| (i, 1.0)).collect(),
    };
    if helped.is_empty() {
        return None;
    }
    let def = portion.map_or(&c.def, |p| &p.def);
    let saving = |(i, share): (usize, f64)| {
        share * statements[i].calls * (sel.base[i].unwrap_or(0.0) - sel.after[i].unwrap_or(0.0))
    };
    helped.sort_by(|&a, &b| saving(b).total_cmp(&saving(a)));
    let before: f64 = helped
        .iter()
        .map(|&(i, share)| share * statements[i].calls * sel.base[i].unwrap_or(0.0))
        .sum();
    let after: f64 = helped
        .iter()
        .map(|&(i, share)| share * statements[i].calls * sel.after[i].unwrap_or(0.0))
        .sum();
    let size_share = portion.map_or(1.0, |p| p.share);
    let overhead = size_share * sel.overheads.get(&ci).copied().unwrap_or(0.0);
    let calls: f64 = helped.iter().map(|&(i, _)| statements[i].calls).sum();
    // Measured time, and what the planner's ratio makes of it (see `measured`).
    let timed: Vec<(usize, f64)> = helped
        .iter()
        .copied()
        .filter(|&(i, _)| statements[i].total_ms > 0.0)
        .collect();
    let measured_ms: f64 = timed
        .iter()
        .map(|&(i, share)| share * statements[i].total_ms)
        .sum();
    let expected_ms: f64 = timed
        .iter()
        .map(|&(i, share)| {
            share
                * match (sel.base[i], sel.after[i]) {
                    (Some(b), Some(a)) if b > 0.0 => statements[i].total_ms * (a / b).min(1.0),
                    _ => statements[i].total_ms,
                }
        })
        .sum();
    let helped: Vec<usize> = helped.into_iter().map(|(i, _)| i).collect();
    // A size estimate far below i64::MAX; the saturating float-to-int cast is the intent.
    #[allow(clippy::cast_possible_truncation)]
    let size = (size_share * sel.sizes.get(&ci).copied().unwrap_or(0) as f64) as i64;
    let name = unique_name(def, taken);
    let keys: Vec<String> = c.def.keys.iter().map(KeyPart::label).collect();
    let gin = c.def.method == Method::Gin;
    let blind = estimated && gin::hypopg_blind(&c.def);
    let benefit = Benefit {
        weighted_cost_before: before,
        weighted_cost_after: after,
        write_overhead: overhead,
        measured_ms: (measured_ms > 0.0).then_some(measured_ms),
        expected_ms: (measured_ms > 0.0).then_some(expected_ms),
    };
    let why = CreateReason {
        statements: helped.len(),
        calls,
        timed_statements: timed.len(),
        access: if gin {
            IndexAccess::Gin {
                keys: keys.clone(),
                opclass: c.def.keys.first().and_then(|k| k.opclass.clone()),
            }
        } else {
            IndexAccess::Btree { keys: keys.clone() }
        },
        include: c.def.include.clone(),
        partial: if !c.tenants.is_empty() {
            Some(PartialTo::Tenants {
                tenants: c.tenants.clone(),
            })
        } else {
            c.def
                .predicate
                .clone()
                .map(|predicate| PartialTo::Predicate { predicate })
        },
        capped_statements: helped.iter().filter(|&&i| sel.capped[i]).count(),
        evidence: match (verified, gin) {
            (false, _) => Verification::Statistics,
            (true, true) => Verification::GinEstimate,
            (true, false) if blind => Verification::SessionEstimate,
            (true, false) => Verification::Planner,
        },
        partitions,
        recent: portion.map(|p| Box::new(p.recent.clone())),
    };
    let reason = why.sentence(&benefit);
    let verified = verified && !gin && !blind;
    Some(Proposal {
        id: 0,
        kind: ProposalKind::Create,
        schema: def.schema.clone(),
        table: def.table.clone(),
        columns: keys,
        ddl: def.create_ddl(&name, partitions > 0),
        estimated_size_bytes: size,
        benefit,
        statements: helped
            .iter()
            .map(|&i| StatementEffect {
                queryid: statements[i].queryid,
                query: statements[i].query.clone(),
                calls: statements[i].calls,
                cost_before: sel.base[i].unwrap_or(0.0),
                cost_after: sel.after[i].unwrap_or(0.0),
                mean_ms: (statements[i].calls > 0.0 && statements[i].total_ms > 0.0)
                    .then(|| statements[i].total_ms / statements[i].calls),
            })
            .collect(),
        reason,
        why: Why::Create(why),
        verified,
        index_name: name,
        definition: Some(def.clone()),
    })
}

/// `850 ms`, `4.7 s`, `12 min`.
fn duration(ms: f64) -> String {
    if ms >= 120_000.0 {
        format!("{:.0} min", ms / 60_000.0)
    } else if ms >= 1000.0 {
        format!("{:.1} s", ms / 1000.0)
    } else {
        format!("{ms:.0} ms")
    }
}

/// `1.2M`, `35k`, `12.5`.
pub fn compact(v: f64) -> String {
    let a = v.abs();
    if a >= 1e9 {
        format!("{:.1}G", v / 1e9)
    } else if a >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if a >= 1e3 {
        format!("{:.1}k", v / 1e3)
    } else {
        format!("{v:.1}")
    }
}

/// A statement is "helped" when its cost falls by at least this share.
const HELPED: f64 = 0.95;

fn declines(
    statements: &[Statement],
    generated: &candidates::Generated,
    sel: &Selection,
    tables: &HashMap<(String, String), TableFacts>,
) -> Vec<Declined> {
    // HypoPG plans a hypothetical index on a partitioned table for each partition, but not
    // an expression or partial one (nor one made on each partition): the session prices
    // those as bitmap scans of the partitions they filter (`gin`); for any other use (index
    // order) such a candidate looks useless, and saying the planner prefers a scan would be
    // false.
    let unverifiable = |ci: usize| {
        let d = &generated.candidates[ci].def;
        tables
            .get(&(d.schema.clone(), d.table.clone()))
            .is_some_and(|f| f.partitions > 0)
            && gin::hypopg_blind(d)
    };
    let mut by_statement: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); statements.len()];
    for (ci, c) in generated.candidates.iter().enumerate() {
        for &i in &c.statements {
            by_statement[i].insert(ci);
        }
    }
    let mut out = Vec::new();
    for (i, s) in statements.iter().enumerate() {
        let decline = if let Some(d) = generated.declined.get(&i) {
            Some((d.code, d.detail.clone()))
        } else {
            match (sel.base[i], sel.after[i]) {
                (None, _) => Some(not_planned(sel.plan_errors[i].as_ref())),
                (Some(b), Some(a)) if a < b * HELPED => None,
                (Some(b), _)
                    if sel.best_single[i].unwrap_or(b) >= b * HELPED
                        && by_statement[i].iter().any(|&ci| unverifiable(ci)) =>
                {
                    let defs: Vec<String> = by_statement[i]
                        .iter()
                        .filter(|&&ci| unverifiable(ci))
                        .map(|&ci| generated.candidates[ci].def.hypothetical_sql())
                        .collect();
                    Some((
                        ReasonCode::Unverifiable,
                        format!(
                            "HypoPG cannot plan an expression or partial index on a partitioned table, and IndexPilot's estimate of one (a bitmap scan of each partition it filters) does not cover this use ({}): not proposed without evidence; build it on one partition and compare its plan",
                            defs.join("; ")
                        ),
                    ))
                }
                (Some(b), _) => Some(why_not(i, b, &by_statement[i], sel)),
            }
        };
        if let Some((code, detail)) = decline {
            out.push(Declined {
                query: s.query.clone(),
                reason_code: code,
                detail,
            });
        }
    }
    out
}

/// Why a statement with no plan has none: PostgreSQL refused its text, or planning it ran
/// out of time (which says nothing about the text).
fn not_planned(failure: Option<&PlanFailure>) -> (ReasonCode, String) {
    match failure {
        Some(PlanFailure::Refused(e)) => (
            ReasonCode::NotCostable,
            format!("PostgreSQL refused to plan its text: {e}"),
        ),
        Some(PlanFailure::TimedOut(e)) => (
            ReasonCode::PlanTimeout,
            format!(
                "planning it ran out of time on every attempt ({e}), so it was not costed: run advise again when the server is less busy or the session holding its table's lock has finished, or raise advisor.plan_timeout"
            ),
        ),
        None => (
            ReasonCode::NotCostable,
            "it was not planned (a view with a partial hypothetical index, which HypoPG cannot plan safely)".to_string(),
        ),
    }
}

fn why_not(
    i: usize,
    base: f64,
    candidates: &BTreeSet<usize>,
    sel: &Selection,
) -> (ReasonCode, String) {
    let best = sel.best_single[i].unwrap_or(base);
    // Costs priced with cached pages are not the figures EXPLAIN prints: say so.
    let priced = if sel.cached_pages > 0.0 {
        ", cached page reads priced as sequential"
    } else {
        ""
    };
    if best >= base * HELPED {
        return if sel.base_uses_index[i] {
            (
                ReasonCode::AlreadyIndexed,
                format!(
                    "its plan already uses an index (cost {}{priced}); no candidate lowers it",
                    compact(base)
                ),
            )
        } else {
            (
                ReasonCode::SeqScanBest,
                format!(
                    "with the best hypothetical index the planner still prefers its current plan (cost {}{priced})",
                    compact(base)
                ),
            )
        };
    }
    let reasons: Vec<Rejection> = candidates
        .iter()
        .filter_map(|ci| sel.rejected.get(ci).copied())
        .collect();
    let detail = format!(
        "an index would lower its cost from {} to {}{}",
        compact(base),
        compact(best),
        if priced.is_empty() {
            ""
        } else {
            " (cached page reads priced as sequential)"
        }
    );
    if reasons.contains(&Rejection::WriteOverhead) {
        (
            ReasonCode::WriteOverhead,
            format!("{detail}, but the index would cost more in writes than it saves"),
        )
    } else if reasons.contains(&Rejection::Cap) {
        let next = candidates
            .iter()
            .filter_map(|ci| sel.forgone.get(ci))
            .fold(0.0_f64, |a, &b| a.max(b));
        let cap = sel.cap.unwrap_or_default();
        let next = if sel.time_measured {
            format!("about {} of execution time", duration(next))
        } else {
            format!("{} of weighted planner cost", compact(next))
        };
        (
            ReasonCode::Cap,
            format!(
                "{detail}, but the cap of {cap} new indexes was reached; its index would have saved {next}, net of writes: raise advisor.max_indexes or pass --max-indexes"
            ),
        )
    } else if reasons.contains(&Rejection::Budget) {
        (
            ReasonCode::Budget,
            format!("{detail}, but the storage budget ran out"),
        )
    } else {
        (
            ReasonCode::TooSmallGain,
            format!("{detail}, but its weighted saving is too small to be worth an index"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::gin::hypopg_blind;
    use super::{IndexDef, KeyPart, Method};

    fn def(key: KeyPart, method: Method, predicate: Option<&str>) -> IndexDef {
        IndexDef {
            schema: "app".into(),
            table: "events".into(),
            method,
            keys: vec![key],
            include: vec![],
            predicate: predicate.map(String::from),
        }
    }

    #[test]
    fn hypopg_leaves_expression_and_partial_btrees_out_of_partitions() {
        let plain = KeyPart::column("tenant_id");
        let expression = KeyPart {
            expression: Some("lower(email)".into()),
            ..KeyPart::column("email")
        };
        assert!(!hypopg_blind(&def(plain.clone(), Method::Btree, None)));
        assert!(hypopg_blind(&def(expression, Method::Btree, None)));
        assert!(hypopg_blind(&def(
            plain.clone(),
            Method::Btree,
            Some("deleted_at IS NULL")
        )));
        // GIN is the session's own in any case.
        assert!(!hypopg_blind(&def(plain, Method::Gin, None)));
    }
}
