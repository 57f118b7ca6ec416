//! The `candidates` stage: from each analysed statement, the indexes that could serve it,
//! and for statements no index can serve, the reason. Pure: the workload, table facts and
//! field policy come in as data, so every rule is a spec case.
//!
//! Per statement and table, keys go equality → range → sort (the order in which a B-tree
//! can use them). The tenant key leads when the statement filters by it, so that one index
//! serves every tenant's statements. Variants, here: the full key, the key that also returns
//! rows in ORDER BY order, each selective column alone (shared by many statements, and the
//! inner side of joins), join keys (alone, after the tenant key, before the probed
//! table's own `=` filters, and together when they join one other table's columns), and a
//! tenant-partial index for a field only a few
//! tenants express; one file each for the others: `partial` (constant predicates in WHERE),
//! `sparse` (`IS NOT NULL` on a mostly-NULL key), `covering` (INCLUDE for an index-only
//! scan), `merged` (a covering index folded into one with longer keys), `brin` (ranges on
//! an append-only table's ordered column), `gin` (operators no B-tree serves). Costing
//! decides among them.

use super::facts::{CandidateOptions, ColumnStats, Expressed, FieldPolicy, TableFacts};
use super::index_def::{normalise_key, IndexDef, KeyPart, Method};
use super::model::ReasonCode;
use crate::catalog::RelationKind;
use crate::ident::quote_ident;
use crate::workload::analyse::{Access, Analysis, ColumnUse, Direction, Role, StatementKind};
use std::collections::{BTreeMap, BTreeSet, HashMap};

mod brin;
mod covering;
mod gin;
mod merged;
pub(crate) use merged::merge;
mod partial;
mod pooled;
mod sparse;
pub use gin::TRIGRAM_EXTENSION;
use partial::{constant_share, partial_predicate, predicate_sql};

/// A statement of the workload with its weight.
#[derive(Debug, Clone)]
pub struct Statement {
    pub queryid: i64,
    pub query: String,
    pub calls: f64,
    /// Rows returned or affected, in all calls.
    pub rows: f64,
    /// Execution time of all calls as pg_stat_statements measured it, in ms (0: unknown).
    pub total_ms: f64,
    pub analysis: Analysis,
    /// The statement as a backend ran it, when sampled: planned instead of `query`.
    pub sample: Option<Sample>,
}

#[derive(Debug, Clone)]
pub struct Sample {
    pub text: String,
    pub analysis: Analysis,
}

impl Statement {
    /// The text to plan, and the analysis whose parameter numbers match it.
    pub fn plan_text(&self) -> (&str, &Analysis) {
        match &self.sample {
            Some(s) => (&s.text, &s.analysis),
            None => (&self.query, &self.analysis),
        }
    }
}

/// A candidate index and the statements (indexes into the workload) it was made for.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub def: IndexDef,
    pub statements: BTreeSet<usize>,
    /// Tenants a tenant-partial index is limited to.
    pub tenants: Vec<String>,
}

/// The share of rows a range or prefix predicate with an unknown bound is taken to select.
const RANGE_SHARE: f64 = 0.05;

/// Why a statement gets no candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct Decline {
    pub code: ReasonCode,
    pub detail: String,
}

#[derive(Debug, Default)]
pub struct Generated {
    pub candidates: Vec<Candidate>,
    /// Statements without any candidate.
    pub declined: BTreeMap<usize, Decline>,
}

/// Everything the candidate stage reads besides the workload.
pub struct Context<'a> {
    pub tables: &'a HashMap<(String, String), TableFacts>,
    /// The kind of each other relation of the catalog (views, partitioned tables, foreign
    /// tables): what a statement reads there is declined with the reason.
    pub others: &'a HashMap<(String, String), RelationKind>,
    pub policy: &'a FieldPolicy,
    pub options: &'a CandidateOptions,
}

/// One usable predicate or ordering column of one table in one statement.
#[derive(Debug, Clone)]
struct Part {
    key: KeyPart,
    role: Role,
    /// Share of rows the predicate selects (1 for ORDER BY).
    share: f64,
    position: u32,
}

/// A statement's usable parts on one table, sorted: what the variants are made from.
struct Shape<'p> {
    eq: &'p [Part],
    ranges: &'p [Part],
    sort: &'p [Part],
}

/// Why a relation the statement reads gets no index from the advisor.
fn not_indexed_here(schema: &str, table: &str, kind: Option<RelationKind>) -> String {
    match kind {
        Some(RelationKind::View) => {
            format!("{schema}.{table} is a view: the tables it reads are advised on their own")
        }
        Some(RelationKind::Foreign) => {
            format!("{schema}.{table} is a foreign table: its indexes live on the remote server")
        }
        _ => format!(
            "{schema}.{table} has no statistics or is not in the catalog (created since discovery, or never analysed)"
        ),
    }
}

pub fn generate(statements: &[Statement], ctx: &Context) -> Generated {
    // Tables the workload updates or deletes from; the others are append-only.
    let modified: BTreeSet<(String, String)> = statements
        .iter()
        .flat_map(|s| s.analysis.tables.iter())
        .filter(|t| matches!(t.access, Access::Update | Access::Delete))
        .filter_map(|t| t.schema.clone().map(|s| (s, t.table.clone())))
        .collect();
    let analyses: Vec<&Analysis> = statements.iter().map(|s| &s.analysis).collect();
    let pools = pooled::pools(&analyses, ctx);
    let mut by_fingerprint: BTreeMap<String, Candidate> = BTreeMap::new();
    let mut declined = BTreeMap::new();
    for (i, s) in statements.iter().enumerate() {
        let mut found = Vec::new();
        let mut notes: Vec<Decline> = Vec::new();
        match s.analysis.kind {
            StatementKind::Unparsable => notes.push(Decline {
                code: ReasonCode::Unparsable,
                detail: s
                    .analysis
                    .error
                    .clone()
                    .unwrap_or_else(|| "the statement could not be parsed".into()),
            }),
            StatementKind::Utility => notes.push(Decline {
                code: ReasonCode::Utility,
                detail: "not a query an index can serve (utility or DDL statement)".into(),
            }),
            _ => {
                for name in unknown_tables(&s.analysis) {
                    notes.push(Decline {
                        code: ReasonCode::UnknownTable,
                        detail: if is_system_catalog(&name) {
                            format!("{name} is a system catalog: the advisor indexes user tables only")
                        } else {
                            format!("{name} is not in the catalog (created since discovery, temporary, or a typo)")
                        },
                    });
                }
                for (schema, table) in read_tables(&s.analysis) {
                    match ctx.tables.get(&(schema.clone(), table.clone())) {
                        None => notes.push(Decline {
                            code: ReasonCode::UnknownTable,
                            detail: not_indexed_here(
                                &schema,
                                &table,
                                ctx.others.get(&(schema.clone(), table.clone())).copied(),
                            ),
                        }),
                        Some(facts) => {
                            let append_only = !modified.contains(&(schema.clone(), table.clone()));
                            let pools = pools
                                .get(&(schema.clone(), table.clone()))
                                .map_or(&[][..], Vec::as_slice);
                            let (defs, note) =
                                for_table(&s.analysis, facts, ctx, append_only, pools);
                            found.extend(defs);
                            notes.extend(note);
                        }
                    }
                }
                if found.is_empty() && notes.is_empty() {
                    notes.push(Decline {
                        code: ReasonCode::NoPredicate,
                        detail:
                            "the statement has no predicate, join or ordering an index can serve"
                                .into(),
                    });
                }
            }
        }
        if found.is_empty() {
            if let Some(first) = most_telling(notes) {
                declined.insert(i, first);
            }
        }
        for (def, tenants) in found {
            let c = by_fingerprint
                .entry(def.fingerprint())
                .or_insert_with(|| Candidate {
                    def,
                    statements: BTreeSet::new(),
                    tenants,
                });
            c.statements.insert(i);
        }
    }
    let mut candidates: Vec<Candidate> = by_fingerprint.into_values().collect();
    let merged = merged::merged(&candidates);
    candidates.extend(merged);
    Generated {
        candidates,
        declined,
    }
}

/// The most specific reason among several tables' (a policy decision says more than "no
/// predicate").
fn most_telling(mut notes: Vec<Decline>) -> Option<Decline> {
    notes.sort_by_key(|d| d.code.rank());
    notes.into_iter().next()
}

/// A name the parser left unresolved that is one of PostgreSQL's own catalogs or views
/// (`pg_index`, `pg_catalog.pg_class`, `information_schema.columns`): monitoring and
/// tooling queries, which no index of the DBA's can serve.
fn is_system_catalog(name: &str) -> bool {
    let (schema, table) = name.rsplit_once('.').unwrap_or(("", name));
    matches!(schema, "pg_catalog" | "information_schema")
        || (schema.is_empty() && table.starts_with("pg_"))
}

fn unknown_tables(a: &Analysis) -> Vec<String> {
    a.tables
        .iter()
        .filter(|t| !t.known)
        .map(|t| match &t.schema {
            Some(s) => format!("{s}.{}", t.table),
            None => t.table.clone(),
        })
        .collect()
}

/// Tables the statement reads or filters (an INSERT … VALUES target needs no index).
fn read_tables(a: &Analysis) -> BTreeSet<(String, String)> {
    a.tables
        .iter()
        .filter(|t| t.known && t.access != Access::Insert)
        .filter_map(|t| t.schema.clone().map(|s| (s, t.table.clone())))
        .collect()
}

fn for_table(
    a: &Analysis,
    facts: &TableFacts,
    ctx: &Context,
    append_only: bool,
    pools: &[pooled::Pool],
) -> (Vec<(IndexDef, Vec<String>)>, Option<Decline>) {
    let (schema, table) = (facts.schema.as_str(), facts.table.as_str());
    let uses: Vec<&ColumnUse> = a.columns_of(schema, table).collect();
    let opts = ctx.options;
    let policy = ctx.policy;
    if facts.rows < opts.min_table_rows {
        return (
            Vec::new(),
            Some(Decline {
                code: ReasonCode::TableTooSmall,
                detail: format!(
                    "{schema}.{table} has about {:.0} rows (under {:.0}): a sequential scan is as fast",
                    facts.rows, opts.min_table_rows
                ),
            }),
        );
    }

    // Policy first: a field the genome rules out is no key, INCLUDE or partial predicate.
    let mut refused: Option<Decline> = None;
    let mut few: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let allowed = |u: &ColumnUse, refused: &mut Option<Decline>| -> bool {
        if u.column == "*" {
            return true;
        }
        if !policy.indexable(schema, table, &u.column) {
            refused.get_or_insert(Decline {
                code: ReasonCode::NotIndexable,
                detail: format!(
                    "{schema}.{table}.{} is flagged not indexable in the genome",
                    u.column
                ),
            });
            return false;
        }
        match policy.expressed(schema, table, &u.column) {
            Expressed::Nobody => {
                refused.get_or_insert(Decline {
                    code: ReasonCode::NotExpressed,
                    detail: format!("no tenant expresses {schema}.{table}.{}", u.column),
                });
                false
            }
            _ => true,
        }
    };
    let uses: Vec<&ColumnUse> = uses
        .into_iter()
        .filter(|u| allowed(u, &mut refused))
        .collect();
    for u in &uses {
        if let Expressed::Few(t) = policy.expressed(schema, table, &u.column) {
            if is_predicate(u.role) {
                few.insert(u.column.clone(), t);
            }
        }
    }

    let stats = |c: &str| facts.columns.get(c);
    let tenant_key = policy.tenant_key.as_deref();
    let mut eq: Vec<Part> = Vec::new();
    let mut joins: Vec<Part> = Vec::new();
    // Join keys by their own FROM item and the one on their other side: several are one
    // composite probe.
    let mut probes: BTreeMap<(Option<&str>, &str), Vec<Part>> = BTreeMap::new();
    let mut ranges: Vec<Part> = Vec::new();
    let mut partials: Vec<(String, f64)> = Vec::new();
    // Every constant filter of the statement on this table, selective or not (`"status" =
    // 'active'`, `"deleted_at" IS NULL`): see `shared_filters`.
    let mut constants: Vec<(String, f64)> = Vec::new();
    // The keys compared with a constant (`"status" = 'paid'`): never a join probe's key.
    let mut constant_keys: BTreeSet<String> = BTreeSet::new();
    let mut sort: Vec<Part> = Vec::new();
    // `=` tests in a branch of an OR: keys for that branch's scan only (see `alternative`).
    let mut branches: Vec<Part> = Vec::new();
    let mut reads: BTreeSet<String> = BTreeSet::new();
    let mut gin_uses: Vec<&ColumnUse> = Vec::new();
    let mut whole_row = false;
    for u in &uses {
        if u.column == "*" {
            whole_row = true;
            continue;
        }
        let st = stats(&u.column);
        let key = key_part(u, st, opts);
        match u.role {
            Role::Equality | Role::InList | Role::IsNull if u.alternative => {
                branches.push(Part {
                    key,
                    role: u.role,
                    share: filter_share(u, st, constant_share(u, st)),
                    position: 0,
                });
            }
            Role::Equality | Role::InList | Role::IsNull => {
                let constant_share = constant_share(u, st);
                partials.extend(partial_predicate(u, constant_share, opts));
                // The pools over this column's values (see `pooled`), after its own.
                for p in pools.iter().filter(|p| p.serves(u)) {
                    if !partials.iter().any(|(sql, _)| *sql == p.sql) {
                        partials.push((p.sql.clone(), p.share));
                    }
                }
                if let (Some(sql), Some(share)) = (predicate_sql(u), constant_share) {
                    constants.push((sql, share));
                }
                if u.role == Role::Equality && u.constant.is_some() {
                    constant_keys.insert(key.target());
                }
                eq.push(Part {
                    key,
                    role: u.role,
                    share: filter_share(u, st, constant_share),
                    position: 0,
                });
            }
            // A join key serves the inner side of a nested loop: its own candidate, never
            // part of the filter key (two joins' keys in one index serve neither).
            Role::JoinKey => {
                let part = Part {
                    key,
                    role: u.role,
                    share: share_of(st).unwrap_or(0.01),
                    position: 0,
                };
                if let Some(partner) = &u.partner {
                    probes
                        .entry((u.alias.as_deref(), partner.as_str()))
                        .or_default()
                        .push(part.clone());
                }
                joins.push(part);
            }
            // A bound is a per-call value: assume the window costing uses (see `params`),
            // not the planner's generic third, and let the planner judge.
            Role::Range | Role::PrefixLike => ranges.push(Part {
                key,
                role: u.role,
                share: RANGE_SHARE,
                position: 0,
            }),
            Role::OrderBy => sort.push(Part {
                key,
                role: u.role,
                share: 1.0,
                position: u.position.unwrap_or(0),
            }),
            // Never a key: a constant that leaves few rows is a partial index's predicate;
            // either way the column is read to filter the rows.
            Role::NotEqual => {
                partials.extend(partial_predicate(u, constant_share(u, st), opts));
                if let (Some(sql), Some(share)) = (predicate_sql(u), constant_share(u, st)) {
                    constants.push((sql, share));
                }
                if u.expression.is_none() {
                    reads.insert(u.column.clone());
                }
            }
            // Served by GIN only (see `gin`); the column is read to filter either way.
            Role::Contains | Role::Substring => {
                gin_uses.push(u);
                if u.expression.is_none() {
                    reads.insert(u.column.clone());
                }
            }
            Role::Read | Role::Updated | Role::GroupBy | Role::ConflictKey => {
                if u.expression.is_none() && matches!(u.role, Role::Read | Role::GroupBy) {
                    reads.insert(u.column.clone());
                }
            }
        }
    }
    // ORDER BY helps only when every item comes from this table.
    let order_items = a.columns.iter().filter(|c| c.role == Role::OrderBy).count();
    if sort.len() != order_items {
        sort.clear();
    }
    sort.sort_by_key(|p| p.position);
    // One direction throughout: a B-tree scans backwards just as well, so plain keys serve
    // both `ORDER BY a, b` and `ORDER BY a DESC, b DESC`.
    if sort.iter().all(|p| p.key.descending) {
        for p in &mut sort {
            p.key.descending = false;
        }
    }
    dedup_parts(&mut eq);
    dedup_parts(&mut ranges);
    dedup_parts(&mut branches);
    branches.retain(|b| !eq.iter().any(|p| p.key.target() == b.key.target()));

    dedup_parts(&mut joins);
    let (gin_defs, gin_note) = gin::for_table(&gin_uses, facts, &opts.extensions);
    if eq.is_empty()
        && joins.is_empty()
        && branches.is_empty()
        && ranges.is_empty()
        && sort.is_empty()
        && partials.is_empty()
        && gin_defs.is_empty()
    {
        return (
            Vec::new(),
            refused.or(gin_note).or(Some(Decline {
                code: ReasonCode::NoPredicate,
                detail: format!("nothing in the statement narrows {schema}.{table} or orders it"),
            })),
        );
    }

    // Equality keys: the tenant key first, then the most selective, then IN lists and IS NULL.
    eq.sort_by(|a, b| {
        let lead =
            |p: &Part| tenant_key != Some(p.key.column.as_str()) || p.key.expression.is_some();
        (lead(a), a.role != Role::Equality && a.role != Role::JoinKey)
            .cmp(&(lead(b), b.role != Role::Equality && b.role != Role::JoinKey))
            .then(a.share.total_cmp(&b.share))
    });
    ranges.sort_by(|a, b| a.share.total_cmp(&b.share));

    let mut out: Vec<IndexDef> = Vec::new();
    let base = |keys: Vec<KeyPart>| IndexDef {
        schema: schema.to_string(),
        table: table.to_string(),
        method: Method::Btree,
        keys,
        include: Vec::new(),
        predicate: None,
    };
    let eq_keys: Vec<KeyPart> = eq.iter().map(|p| p.key.clone()).collect();
    let eq_share: f64 = eq.iter().map(|p| p.share).product();
    let max = opts.max_share;
    let mut too_broad: Option<f64> = None;
    let mut push = |mut def: IndexDef, share: f64, out: &mut Vec<IndexDef>| {
        // A column compared twice (`a >= $1 AND a = $2`) is one key.
        def.keys.retain(first_of_each_key());
        if share <= max {
            out.push(def);
        } else {
            too_broad = Some(too_broad.map_or(share, |s: f64| s.min(share)));
        }
    };
    if !eq_keys.is_empty() {
        push(base(eq_keys.clone()), eq_share, &mut out);
        if let Some(r) = ranges.first() {
            let mut keys = eq_keys.clone();
            keys.push(r.key.clone());
            push(base(keys), eq_share * r.share, &mut out);
        }
    }
    if !sort.is_empty() && sortable(&sort) {
        // Rows come out in ORDER BY order after the `=` keys: no sort, and a LIMIT stops
        // early. Selective or not, the planner judges this one by the LIMIT.
        out.push(base(sorted_keys(eq.iter(), &sort)));
    }
    // Each selective column alone: shareable, and the inner side of a nested loop.
    for p in eq.iter().chain(ranges.iter()) {
        if eq.len() + ranges.len() > 1 || out.is_empty() {
            push(base(vec![p.key.clone()]), p.share, &mut out);
        }
    }
    if eq.is_empty() {
        if let Some(r) = ranges.first() {
            push(base(vec![r.key.clone()]), r.share, &mut out);
        }
    }
    // An OR's `=` branch is read by a scan of its own (a BitmapOr's): its column after the
    // statement's `=` keys, and alone.
    for b in &branches {
        if !eq_keys.is_empty() {
            let mut keys = eq_keys.clone();
            keys.push(b.key.clone());
            push(base(keys), eq_share * b.share, &mut out);
        }
        push(base(vec![b.key.clone()]), b.share, &mut out);
    }
    if append_only && eq.is_empty() {
        out.extend(brin::variants(&ranges, facts));
    }
    // Join keys: alone, and after the tenant key when the statement filters by tenant.
    let tenant_part = eq
        .iter()
        .find(|p| tenant_key == Some(p.key.column.as_str()) && p.key.expression.is_none());
    // A probe's join keys followed by the table's own `= value` filters, when it has any.
    // The tenant key stays out (it has its own variant, and every row of the outer key
    // shares it), and so do constants (a constant filter is a partial index's predicate).
    let with_pinned = |keys: &[KeyPart]| -> Option<Vec<KeyPart>> {
        let pinned = eq
            .iter()
            .filter(|p| p.role == Role::Equality && !keys.contains(&p.key))
            .filter(|p| tenant_part.is_none_or(|t| t.key != p.key))
            .filter(|p| !constant_keys.contains(&p.key.target()))
            .map(|p| p.key.clone());
        let longer: Vec<KeyPart> = keys.iter().cloned().chain(pinned).collect();
        (longer.len() > keys.len()).then_some(longer)
    };
    for j in &joins {
        push(base(vec![j.key.clone()]), j.share, &mut out);
        if let Some(t) = tenant_part {
            push(
                base(vec![t.key.clone(), j.key.clone()]),
                t.share * j.share,
                &mut out,
            );
        }
        // The probe of a nested loop (a correlated EXISTS, a join's inner side) applies the
        // table's own `= value` filters with the join key: with them after it, a probe reads
        // only the rows that match, not every row of the outer key, and lookups by the join
        // key alone (an ORM's prefetch of the same rows) use the index too.
        if let Some(keys) = with_pinned(std::slice::from_ref(&j.key)) {
            push(base(keys), j.share, &mut out);
        }
    }
    // A join on several columns of one other table (`l_partkey = ps_partkey AND l_suppkey
    // = ps_suppkey`, a tenant's composite key `(tenant_id, user_id)`): each probe pins every
    // one of them, so one index on all of them reads only the matching rows, where the
    // join keys' own variants read every row of one and filter the rest. The tenant key
    // leads (the variants' convention), then the most selective; the table's own `= $n`
    // filters may follow, as for one join key.
    for parts in probes.values_mut() {
        dedup_parts(parts);
        if parts.len() < 2 {
            continue;
        }
        let lead =
            |p: &Part| tenant_key != Some(p.key.column.as_str()) || p.key.expression.is_some();
        parts.sort_by(|a, b| lead(a).cmp(&lead(b)).then(a.share.total_cmp(&b.share)));
        let keys: Vec<KeyPart> = parts.iter().map(|p| p.key.clone()).collect();
        let share: f64 = parts.iter().map(|p| p.share).product();
        if let Some(longer) = with_pinned(&keys) {
            push(base(longer), share, &mut out);
        }
        push(base(keys), share, &mut out);
    }
    partials.extend(partial::shared_filters(&constants, &partials));
    let shape = Shape {
        eq: &eq,
        ranges: &ranges,
        sort: &sort,
    };
    out.extend(partial::variants(&shape, &partials, &uses, facts));
    let sparse = sparse::variants(&out, facts);
    out.extend(sparse);
    if !whole_row {
        let covering = covering::variants(&out, &reads, &uses, facts, ctx);
        out.extend(covering);
    }

    out.extend(gin_defs);

    // What the database already has is no candidate.
    let before = out.len();
    out.retain(|d| !already_indexed(d, &facts.indexes));
    if out.is_empty() {
        let decline = if before > 0 {
            Decline {
                code: ReasonCode::AlreadyIndexed,
                detail: format!("{schema}.{table} already has an index with these leading keys"),
            }
        } else if let Some(share) = too_broad {
            Decline {
                code: ReasonCode::NotSelective,
                detail: format!(
                    "the predicates on {schema}.{table} select about {:.0}% of its rows: a sequential scan reads them faster",
                    share * 100.0
                ),
            }
        } else {
            refused.or(gin_note).unwrap_or(Decline {
                code: ReasonCode::NoPredicate,
                detail: format!("nothing in the statement narrows {schema}.{table} usefully"),
            })
        };
        return (Vec::new(), Some(decline));
    }

    // A field few tenants express: the same index limited to their rows.
    let mut result: Vec<(IndexDef, Vec<String>)> = Vec::new();
    for d in out {
        let tenants: Option<Vec<String>> = tenant_key.and_then(|tk| {
            let in_key = d.keys.iter().any(|k| k.column == tk);
            d.keys
                .iter()
                .find_map(|k| few.get(&k.column))
                .filter(|t| !t.is_empty() && in_key && d.predicate.is_none())
                .cloned()
        });
        if let (Some(tenants), Some(tk)) = (tenants, tenant_key) {
            let mut partial = d.clone();
            let list: Vec<String> = tenants.iter().map(|t| sql_literal(t)).collect();
            partial.predicate = Some(format!("{} IN ({})", quote_ident(tk), list.join(", ")));
            result.push((partial, tenants));
        }
        result.push((d, Vec::new()));
    }
    (result, None)
}

/// The share of rows an `=`, IN or IS NULL filter keeps: its constant's, else the column's
/// statistics, else a default for the kind of filter.
fn filter_share(u: &ColumnUse, st: Option<&ColumnStats>, constant_share: Option<f64>) -> f64 {
    match u.role {
        Role::IsNull => constant_share.unwrap_or(0.5),
        Role::InList => {
            constant_share.unwrap_or_else(|| share_of(st).map_or(0.05, |s| (s * 5.0).min(1.0)))
        }
        _ => constant_share.or_else(|| share_of(st)).unwrap_or(0.01),
    }
}

fn is_predicate(role: Role) -> bool {
    matches!(
        role,
        Role::Equality
            | Role::InList
            | Role::IsNull
            | Role::Range
            | Role::PrefixLike
            | Role::JoinKey
    )
}

fn share_of(st: Option<&ColumnStats>) -> Option<f64> {
    st.and_then(ColumnStats::equality_share)
}

fn sql_literal(v: &str) -> String {
    format!("'{}'", v.replace('\'', "''"))
}

fn key_part(u: &ColumnUse, st: Option<&ColumnStats>, opts: &CandidateOptions) -> KeyPart {
    let text_like = st.is_none_or(|s| {
        matches!(
            s.data_type.as_str(),
            "text" | "character varying" | "varchar"
        ) || s.data_type.starts_with("character varying")
    });
    let opclass = (u.role == Role::PrefixLike && opts.pattern_ops && text_like).then(|| {
        match st.map(|s| s.data_type.as_str()) {
            Some(t) if t.starts_with("character varying") && u.expression.is_none() => {
                "varchar_pattern_ops".to_string()
            }
            _ => "text_pattern_ops".to_string(),
        }
    });
    KeyPart {
        column: u.column.clone(),
        expression: u.expression.clone(),
        opclass,
        descending: u.role == Role::OrderBy && u.direction == Some(Direction::Desc),
    }
}

/// The keys of an index that returns rows in `sort` order: the `=` keys, the sort keys,
/// then the IN lists and IS NULL tests. Before the sort keys those would break the order
/// (the planner takes neither as fixing its column, and sorts); after them they are still
/// checked in the index, before any heap read.
fn sorted_keys<'a>(eq: impl Iterator<Item = &'a Part>, sort: &[Part]) -> Vec<KeyPart> {
    let (fixed, checked): (Vec<&Part>, Vec<&Part>) = eq.partition(|p| p.role == Role::Equality);
    // A column both sorted on and filtered by IN (`state IN (…) ORDER BY queue, state`) is
    // one key, where the sort puts it.
    let mut first = first_of_each_key();
    fixed
        .into_iter()
        .chain(sort)
        .chain(checked)
        .filter(|p| first(&p.key))
        .map(|p| p.key.clone())
        .collect()
}

/// A B-tree returns rows in key order or exactly reversed: mixed directions need the index
/// to have them, which `descending` keys give; NULLS placement is left to the defaults.
fn sortable(sort: &[Part]) -> bool {
    !sort.is_empty()
}

fn dedup_parts(parts: &mut Vec<Part>) {
    let mut first = first_of_each_key();
    parts.retain(|p| first(&p.key));
}

/// True for the first key that indexes a given column or expression with a given operator
/// class, false for any later one: one index key each.
fn first_of_each_key() -> impl FnMut(&KeyPart) -> bool {
    let mut seen = BTreeSet::new();
    move |k| seen.insert((k.target().to_string(), k.opclass.clone()))
}

/// The table has a valid index whose leading keys are this candidate's keys (same method,
/// same predicate, and every INCLUDE column among its columns).
fn already_indexed(d: &IndexDef, existing: &[crate::catalog::Index]) -> bool {
    let want: Vec<String> = d.keys.iter().map(|k| normalise_key(&k.target())).collect();
    existing.iter().any(|ix| {
        if ix.method != d.method.as_str() || !ix.is_valid {
            return false;
        }
        let same_predicate = match (&ix.predicate, &d.predicate) {
            (None, None) => true,
            (Some(a), Some(b)) => normalise_key(a) == normalise_key(b),
            // A partial candidate is smaller and narrower than a full index on the same keys:
            // costing decides whether it is worth having as well.
            (None, Some(_)) | (Some(_), None) => false,
        };
        let have: Vec<String> = ix.key_columns.iter().map(|k| normalise_key(k)).collect();
        let prefix = have.len() >= want.len() && have[..want.len()] == want[..];
        let all: BTreeSet<String> = have
            .iter()
            .cloned()
            .chain(ix.include_columns.iter().map(|c| normalise_key(c)))
            .collect();
        let covers = d.include.iter().all(|c| all.contains(&normalise_key(c)));
        same_predicate && prefix && covers
    })
}
