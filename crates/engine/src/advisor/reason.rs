//! Why a proposal is made, as data. The sentence a person reads is rendered from it, so the
//! CLI's JSON, the mutation log and the app carry the facts the sentence states, and a script
//! can act on them without parsing prose.

use super::model::Benefit;
use super::{compact, duration};
use crate::health::Check;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Why {
    Create(CreateReason),
    /// A health finding: the index is a duplicate, redundant or unused (the finding's own
    /// sentence is the proposal's reason).
    Drop {
        finding: Check,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CreateReason {
    /// The statements the index serves, and their calls in the window.
    pub statements: usize,
    pub calls: f64,
    /// How many of them pg_stat_statements measured (`Benefit::measured_ms` is their time).
    pub timed_statements: usize,
    pub access: IndexAccess,
    /// Columns carried for index-only scans.
    pub include: Vec<String>,
    pub partial: Option<PartialTo>,
    /// Statements for which the price of the same keys without the leading ones they fix by
    /// equality was counted (see `select::capped`).
    pub capped_statements: usize,
    pub evidence: Verification,
    /// Leaf partitions the index is built on, one at a time (0: not a partitioned table).
    #[serde(default)]
    pub partitions: usize,
    /// The index goes on this partition of a partitioned table, one of the recent ones
    /// the statements reach (see `recent`), not on the table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub recent: Option<Box<super::recent::RecentPartitions>>,
}

/// What kind of index, and its keys (or expressions) in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum IndexAccess {
    /// Keys in equality → range → sort order.
    Btree { keys: Vec<String> },
    /// For operators no B-tree answers; `opclass` when not the default.
    Gin {
        keys: Vec<String>,
        opclass: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PartialTo {
    /// Only the rows of the tenants that express the field.
    Tenants { tenants: Vec<String> },
    /// Only the rows the statements ask for.
    Predicate { predicate: String },
}

/// Where the figures come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    /// The planner, with HypoPG's hypothetical index.
    Planner,
    /// Statistics alone (no HypoPG).
    Statistics,
    /// HypoPG cannot create GIN indexes: the planner's row estimate for the operators and
    /// PostgreSQL's bitmap-scan costing.
    GinEstimate,
    /// HypoPG applies an expression or partial index only where its table is a statement's
    /// first relation: elsewhere (a join, a subquery, a partition) the scan is priced as
    /// PostgreSQL prices a bitmap scan.
    SessionEstimate,
}

impl CreateReason {
    /// The sentence shown for the proposal, from these facts and `benefit`'s figures.
    pub fn sentence(&self, benefit: &Benefit) -> String {
        let (before, after) = (benefit.weighted_cost_before, benefit.weighted_cost_after);
        let mut out = format!(
            "Serves {} statement{} ({:.0} calls): weighted planner cost {} → {} ({:.0}% less), write overhead {}.",
            self.statements,
            if self.statements == 1 { "" } else { "s" },
            self.calls,
            compact(before),
            compact(after),
            if before > 0.0 { 100.0 * (before - after) / before } else { 0.0 },
            compact(benefit.write_overhead),
        );
        if let (Some(measured), Some(expected)) = (benefit.measured_ms, benefit.expected_ms) {
            out.push_str(&format!(
                " Measured {} of execution ({} of them), about {} expected with the index.",
                duration(measured),
                self.timed_statements,
                duration(expected),
            ));
        }
        match &self.access {
            IndexAccess::Gin { keys, opclass } => out.push_str(&format!(
                " GIN on {}{}: the statements' {} no B-tree answers.",
                keys.join(", "),
                opclass
                    .as_deref()
                    .map(|o| format!(" ({o})"))
                    .unwrap_or_default(),
                match opclass.as_deref() {
                    Some("gin_trgm_ops") => "LIKE / ILIKE patterns that start with a wildcard",
                    Some("jsonb_path_ops") => "jsonb containment (@>)",
                    _ => "containment, overlap or key-existence tests",
                }
            )),
            IndexAccess::Btree { keys } => out.push_str(&format!(
                " Keys ({}) in equality → range → sort order.",
                keys.join(", ")
            )),
        }
        if !self.include.is_empty() {
            out.push_str(&format!(
                " INCLUDE ({}) for an index-only scan.",
                self.include.join(", ")
            ));
        }
        match &self.partial {
            Some(PartialTo::Tenants { tenants }) => out.push_str(&format!(
                " Partial to the {} tenant(s) that express the field ({}); used when the tenant id is known at planning time.",
                tenants.len(),
                tenants.join(", ")
            )),
            Some(PartialTo::Predicate { predicate }) => out.push_str(&format!(
                " Partial (WHERE {predicate}): only the few rows the statements ask for."
            )),
            None => {}
        }
        if self.capped_statements > 0 {
            out.push_str(&format!(
                " For {} of them the planner prices this index above the same keys without \
                 the leading ones the statement fixes by equality (it prices heap reads from the \
                 first column's correlation alone); the lower price is counted, since this index \
                 reads a subset of those rows in the same order.",
                self.capped_statements
            ));
        }
        if self.partitions > 0 {
            out.push_str(&format!(
                " A partitioned table: built without blocking its writers, partition by partition \
                 (CREATE INDEX … ON ONLY the table, then CONCURRENTLY on each of its {} \
                 partitions, each attached as it is built); partitions created later get the \
                 index from PostgreSQL.",
                self.partitions
            ));
        }
        if let Some(r) = &self.recent {
            out.push_str(&format!(
                " Recent partitions only: the statements' windows follow the clock and reach {} of \
                 {}'s {} partitions ({}, {:.0}% of its rows); the older ones would never read it. \
                 Partitions created later do not get it (only an index on {} would cascade): run \
                 the advisor again when the window reaches a new partition.",
                r.reached.len(),
                r.parent,
                r.of,
                r.reached.join(", "),
                100.0 * r.row_share,
                r.parent,
            ));
        }
        match self.evidence {
            Verification::Planner => {}
            Verification::Statistics => out.push_str(
                " Estimated from statistics (HypoPG not installed): not verified by the planner.",
            ),
            Verification::SessionEstimate => out.push_str(
                " HypoPG applies an expression or partial index only where its table is a statement's first relation: where it is joined, in a subquery or a partition, the saving is estimated as PostgreSQL prices a bitmap scan of the table, not verified by the planner.",
            ),
            Verification::GinEstimate => out.push_str(
                " HypoPG cannot create GIN indexes: the saving is estimated from the planner's row estimate for these operators and PostgreSQL's bitmap-scan costing, not verified by the planner.",
            ),
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn benefit(measured: Option<f64>) -> Benefit {
        Benefit {
            weighted_cost_before: 40_000.0,
            weighted_cost_after: 1_000.0,
            write_overhead: 12.0,
            measured_ms: measured,
            expected_ms: measured.map(|m| m / 40.0),
        }
    }

    fn reason() -> CreateReason {
        CreateReason {
            statements: 2,
            calls: 300.0,
            timed_statements: 2,
            access: IndexAccess::Btree {
                keys: vec!["account_id".into(), "created_at".into()],
            },
            include: Vec::new(),
            partial: None,
            capped_statements: 0,
            evidence: Verification::Planner,
            partitions: 0,
            recent: None,
        }
    }

    #[test]
    fn the_sentence_states_the_facts_and_only_those() {
        let text = reason().sentence(&benefit(Some(4_000.0)));
        assert_eq!(
            text,
            "Serves 2 statements (300 calls): weighted planner cost 40.0k → 1.0k (98% less), \
             write overhead 12.0. Measured 4.0 s of execution (2 of them), about 100 ms expected \
             with the index. Keys (account_id, created_at) in equality → range → sort order."
        );
        assert!(!reason().sentence(&benefit(None)).contains("Measured"));
    }

    #[test]
    fn an_index_for_the_recent_partitions_says_which_and_what_later_ones_miss() {
        let r = CreateReason {
            recent: Some(Box::new(crate::advisor::recent::RecentPartitions {
                parent: "app.events".into(),
                reached: vec!["app.events_11".into(), "app.events_12".into()],
                of: 12,
                row_share: 0.13,
            })),
            ..reason()
        };
        let text = r.sentence(&benefit(None));
        assert!(
            text.contains("reach 2 of app.events's 12 partitions (app.events_11, app.events_12, 13% of its rows)"),
            "{text}"
        );
        assert!(
            text.contains("Partitions created later do not get it"),
            "{text}"
        );
        assert!(!reason().sentence(&benefit(None)).contains("Recent"));
    }

    #[test]
    fn partial_include_gin_and_estimates_are_said() {
        let r = CreateReason {
            access: IndexAccess::Gin {
                keys: vec!["tags".into()],
                opclass: Some("jsonb_path_ops".into()),
            },
            include: vec!["total".into()],
            partial: Some(PartialTo::Predicate {
                predicate: "deleted_at IS NULL".into(),
            }),
            evidence: Verification::GinEstimate,
            partitions: 12,
            ..reason()
        };
        let text = r.sentence(&benefit(None));
        for part in [
            "GIN on tags (jsonb_path_ops): the statements' jsonb containment (@>)",
            "INCLUDE (total)",
            "Partial (WHERE deleted_at IS NULL)",
            "HypoPG cannot create GIN indexes",
            "partition by partition",
            "each of its 12 partitions",
        ] {
            assert!(text.contains(part), "{part}: {text}");
        }
    }

    #[test]
    fn the_reason_serialises_as_tagged_data() {
        let json = serde_json::to_value(Why::Create(reason())).unwrap();
        assert_eq!(json["kind"], "create");
        assert_eq!(json["access"]["method"], "btree");
        assert_eq!(json["access"]["keys"][1], "created_at");
        assert_eq!(json["evidence"], "planner");
        let back: Why = serde_json::from_value(json).unwrap();
        assert_eq!(back, Why::Create(reason()));
    }
}
