//! What the advisor returns: proposals with their evidence, and the statements it declined
//! with the reason. The JSON shape is documented in the README and kept stable.

use super::index_def::IndexDef;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProposalKind {
    Create,
    Drop,
}

/// Why a statement gets no index. Stable codes: scripts match on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    /// The parser refused the text.
    Unparsable,
    /// SET, BEGIN, DDL, …
    Utility,
    /// A table that is not in the catalog or has no statistics (a view, a temporary table).
    UnknownTable,
    /// No predicate, join or ordering an index can serve (an INSERT … VALUES, a full scan).
    NoPredicate,
    /// The table is smaller than the size threshold.
    TableTooSmall,
    /// The predicates select too large a share of the rows.
    NotSelective,
    /// A field flagged `is_indexable = false`.
    NotIndexable,
    /// A field no tenant expresses.
    NotExpressed,
    /// An existing index already has the candidate's leading keys.
    AlreadyIndexed,
    /// With the hypothetical indexes the planner still prefers its current plan.
    SeqScanBest,
    /// The planner could not plan the statement text (e.g. untyped parameters).
    NotCostable,
    /// Planning it ran out of time on every attempt (the per-plan `statement_timeout`, or
    /// a lock another session holds): the text may be fine, it was not costed this run.
    PlanTimeout,
    /// Helped, but the saving does not pay for the index's write overhead.
    WriteOverhead,
    /// Helped, but too little to be worth an index.
    TooSmallGain,
    /// Helped, but the storage budget ran out.
    Budget,
    /// Helped, and worth an index, but the run's cap on new indexes was reached.
    Cap,
    /// The index that would serve it needs an extension the database lacks (`pg_trgm` for
    /// `LIKE '%…%'`).
    NeedsExtension,
    /// The index that would serve it cannot be costed: HypoPG does not apply a hypothetical
    /// expression or partial index to the partitions of a partitioned table.
    Unverifiable,
}

impl ReasonCode {
    /// Which reason to report when several tables of one statement give different ones:
    /// the DBA's own decisions first, then facts about the data.
    pub fn rank(self) -> u8 {
        match self {
            ReasonCode::NotIndexable => 0,
            ReasonCode::NotExpressed => 1,
            ReasonCode::AlreadyIndexed => 2,
            ReasonCode::NotSelective => 3,
            ReasonCode::TableTooSmall => 4,
            ReasonCode::NoPredicate => 5,
            ReasonCode::UnknownTable => 6,
            ReasonCode::NeedsExtension => 2,
            _ => 7,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct Benefit {
    /// Σ calls × planner cost of the statements the proposal affects, before and after.
    pub weighted_cost_before: f64,
    pub weighted_cost_after: f64,
    /// Index maintenance for the same window, in planner cost units.
    pub write_overhead: f64,
    /// Execution time pg_stat_statements measured for these statements over the window
    /// (ms), when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub measured_ms: Option<f64>,
    /// That time scaled by the planner's cost ratio with the index: what the statements
    /// are expected to take (ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub expected_ms: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct StatementEffect {
    /// pg_stat_statements' query id (0 for a statement known only by its text).
    #[serde(default)]
    pub queryid: i64,
    pub query: String,
    pub calls: f64,
    pub cost_before: f64,
    pub cost_after: f64,
    /// Its measured mean execution time (ms) over the workload the advisor weighed, from
    /// pg_stat_statements; None when nothing was measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub mean_ms: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct Proposal {
    /// The proposal's entry in `indexpilot.mutation_log` (stable across re-runs).
    pub id: i64,
    pub kind: ProposalKind,
    pub schema: String,
    pub table: String,
    /// Key columns (or expressions) in order.
    pub columns: Vec<String>,
    /// Runs as is: `CREATE INDEX CONCURRENTLY …` / `DROP INDEX CONCURRENTLY …`.
    pub ddl: String,
    pub estimated_size_bytes: i64,
    pub benefit: Benefit,
    pub statements: Vec<StatementEffect>,
    /// The sentence a person reads, rendered from `why`.
    pub reason: String,
    /// The facts behind the proposal, as data.
    pub why: super::reason::Why,
    /// True when the figures are planner costs with HypoPG's hypothetical indexes; false for
    /// estimates from statistics alone.
    pub verified: bool,
    /// The index name the DDL creates or drops.
    pub index_name: String,
    /// The definition, for creates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub definition: Option<IndexDef>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct Declined {
    pub query: String,
    pub reason_code: ReasonCode,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct Advice {
    /// Costs are HypoPG what-if planner costs (true) or statistics-only estimates (false).
    pub hypopg: bool,
    pub statements_analysed: usize,
    pub proposals: Vec<Proposal>,
    pub declined: Vec<Declined>,
    /// Σ calls × cost of the whole workload now, and with every proposal applied.
    pub workload_cost_before: f64,
    pub workload_cost_after: f64,
    /// Where the workload came from: `deltas` (collected intervals) or `cumulative`
    /// (pg_stat_statements totals since its last reset).
    pub workload_source: String,
    /// The share of random page reads the costs price as sequential ones, the workload
    /// having found that share of its blocks in shared buffers (pg_stat_statements' blocks
    /// hit over blocks touched); absent when costs are the planner's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub cached_pages: Option<f64>,
    /// Server settings the proposals depend on that look wrong for this database (see
    /// `notes`); empty when there is nothing to say.
    #[serde(default)]
    pub notes: Vec<super::notes::Note>,
    /// Wall-clock seconds the run took.
    pub elapsed_seconds: f64,
}
