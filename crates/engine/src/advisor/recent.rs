//! Indexes for the recent partitions only. On a table range-partitioned by time, statements
//! whose window follows the clock (`occurred_at > now() - interval '7 days'`) are pruned to
//! the newest partition or two at executor start-up, whatever their parameters. An index
//! chosen for them only is read there: built on the parent it would also be built, stored
//! and written on every older partition, which none of them ever reads. Such an index is
//! proposed on the partitions the statements reach, one proposal each, labelled so, when
//! those hold at most half the table's rows. PostgreSQL does not give it to partitions
//! created later (only a parent's index cascades): the proposal says so, and the advisor
//! proposes it for the next partition once the window reaches it.

use super::candidates::Statement;
use crate::workload::analyse::Role;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use ts_rs::TS;

/// The partitions reached may hold at most this share of the table's rows: above it, one
/// index on the parent (which new partitions inherit) is worth its extra size.
const MAX_ROW_SHARE: f64 = 0.5;

/// Functions whose value is the current time: a window bounded by one moves with the clock.
const CLOCK: &[&str] = &[
    "now()",
    "current_date",
    "current_timestamp",
    "localtimestamp",
    "statement_timestamp()",
    "transaction_timestamp()",
    "clock_timestamp()",
];

/// What a proposal for one partition says about the others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RecentPartitions {
    /// The partitioned table, `schema.table`.
    pub parent: String,
    /// The partitions the statements reach, this one among them, `schema.table`.
    pub reached: Vec<String>,
    /// Leaf partitions of the table.
    pub of: usize,
    /// Share of the table's rows the reached partitions hold.
    pub row_share: f64,
}

/// A leaf partition of the table, with its row estimate.
#[derive(Debug, Clone)]
pub struct Leaf {
    pub schema: String,
    pub name: String,
    pub rows: f64,
}

/// An index on the parent split over the partitions the statements reach: by index into
/// the leaves, in the leaves' order.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    pub reached: BTreeMap<usize, Reached>,
}

/// One partition the statements reach.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Reached {
    /// The statements (indexes into the workload) read on it, each with the share of its
    /// saving that partition takes (its plan reads the index on several).
    pub statements: Vec<(usize, f64)>,
    /// Its share of the table's rows: of the index's size and writes.
    pub row_share: f64,
}

impl Split {
    /// The share of the table's rows the reached partitions hold.
    pub fn row_share(&self) -> f64 {
        self.reached.values().map(|r| r.row_share).sum()
    }
}

/// Whether the index chosen for `helped` statements on the partitioned table `table`
/// (partition key `key`, as PostgreSQL prints it: `RANGE (occurred_at)`) is read only on
/// the recent partitions: `scanned` gives, per statement, the relations its final plan
/// reads the index on.
pub fn split(
    table: &str,
    key: Option<&str>,
    leaves: &[Leaf],
    helped: &[usize],
    statements: &[Statement],
    scanned: &BTreeMap<usize, BTreeSet<String>>,
) -> Option<Split> {
    let column = range_column(key?)?;
    // Partition names are unique within a schema, not across: a plan names only the table.
    let names: BTreeSet<&str> = leaves.iter().map(|l| l.name.as_str()).collect();
    if names.len() != leaves.len() || helped.is_empty() {
        return None;
    }
    let mut reached: BTreeMap<usize, Reached> = BTreeMap::new();
    for &i in helped {
        if !follows_clock(&statements[i], table, &column) {
            return None;
        }
        let on = scanned.get(&i).filter(|s| !s.is_empty())?;
        let share = 1.0 / on.len() as f64;
        for name in on {
            let leaf = leaves.iter().position(|l| &l.name == name)?;
            reached.entry(leaf).or_default().statements.push((i, share));
        }
    }
    let total: f64 = leaves.iter().map(|l| l.rows.max(0.0)).sum();
    if total <= 0.0 || reached.len() >= leaves.len() {
        return None;
    }
    for (&l, r) in &mut reached {
        r.row_share = leaves[l].rows.max(0.0) / total;
    }
    let split = Split { reached };
    (split.row_share() <= MAX_ROW_SHARE).then_some(split)
}

/// The column of a single-column range partition key (`RANGE (occurred_at)`).
fn range_column(key: &str) -> Option<String> {
    let inner = key
        .trim()
        .strip_prefix("RANGE (")?
        .strip_suffix(')')?
        .trim();
    let plain = inner
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c == '"' || c == '$');
    if !plain || inner.is_empty() {
        return None;
    }
    crate::ident::parse_table_in(inner, "")
        .ok()
        .map(|(_, column)| column)
}

/// The statement bounds the partition key by the current time and by nothing its
/// parameters set: its partitions are the recent ones on every call.
fn follows_clock(s: &Statement, table: &str, column: &str) -> bool {
    let uses: Vec<_> = s
        .analysis
        .columns
        .iter()
        .filter(|u| u.table == table && u.column == column && u.expression.is_none())
        .collect();
    let text = s.query.to_lowercase();
    let clock = CLOCK.iter().any(|f| text.contains(f));
    let windowed = uses.iter().any(|u| {
        u.role == Role::Range && u.parameters.is_empty() && (!u.since_now.is_empty() || clock)
    });
    let pinned_by_parameters = uses.iter().any(|u| {
        matches!(u.role, Role::Equality | Role::Range | Role::InList) && !u.parameters.is_empty()
    });
    windowed && !pinned_by_parameters
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::workload::analyse::{analyse, Resolver};

    fn statement(sql: &str) -> Statement {
        Statement {
            queryid: 1,
            query: sql.into(),
            calls: 10.0,
            rows: 10.0,
            total_ms: 0.0,
            analysis: analyse(&Resolver::new(&Catalog::default()), sql),
            sample: None,
        }
    }

    fn leaves() -> Vec<Leaf> {
        (1..=12)
            .map(|m| Leaf {
                schema: "app".into(),
                name: format!("events_{m:02}"),
                rows: 1000.0,
            })
            .collect()
    }

    fn on(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    const KEY: Option<&str> = Some("RANGE (occurred_at)");

    #[test]
    fn a_window_that_follows_the_clock_reaches_the_newest_partitions_only() {
        let s = [
            statement("SELECT id FROM app.events WHERE tenant_id = $1 AND occurred_at > now() - interval '3 days'"),
            statement("SELECT count(*) FROM app.events WHERE tenant_id = $1 AND occurred_at >= now() - $2"),
        ];
        let scanned = BTreeMap::from([
            (0, on(&["events_12"])),
            (1, on(&["events_11", "events_12"])),
        ]);
        let split = split("events", KEY, &leaves(), &[0, 1], &s, &scanned).unwrap();
        assert_eq!(
            split.reached.keys().copied().collect::<Vec<_>>(),
            vec![10, 11]
        );
        assert_eq!(split.reached[&10].statements, vec![(1, 0.5)]);
        assert_eq!(split.reached[&11].statements, vec![(0, 1.0), (1, 0.5)]);
        assert!((split.row_share() - 2.0 / 12.0).abs() < 1e-9);
    }

    #[test]
    fn parameters_on_the_key_every_partition_or_most_rows_keep_the_index_on_the_parent() {
        let leaves = leaves();
        let one = |sql: &str, names: &[&str]| {
            let s = [statement(sql)];
            split(
                "events",
                KEY,
                &leaves,
                &[0],
                &s,
                &BTreeMap::from([(0, on(names))]),
            )
        };
        // The month is a parameter: the next call reaches another partition.
        assert_eq!(
            one(
                "SELECT id FROM app.events WHERE occurred_at >= $1 AND occurred_at < $2",
                &["events_12"]
            ),
            None
        );
        // No window: the plan reads every partition.
        let all: Vec<String> = leaves.iter().map(|l| l.name.clone()).collect();
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        assert_eq!(one("SELECT id FROM app.events WHERE tenant_id = $1 AND occurred_at > now() - interval '1 year'", &all), None);
        // Partitioned on something else.
        let s = [statement(
            "SELECT id FROM app.events WHERE occurred_at > now() - interval '1 day'",
        )];
        let scanned = BTreeMap::from([(0, on(&["events_12"]))]);
        assert_eq!(
            split("events", Some("LIST (region)"), &leaves, &[0], &s, &scanned),
            None
        );
        // The reached partition holds most of the rows.
        let mut skewed = leaves.clone();
        skewed[11].rows = 50_000.0;
        assert_eq!(split("events", KEY, &skewed, &[0], &s, &scanned), None);
        assert!(split("events", KEY, &leaves, &[0], &s, &scanned).is_some());
    }
}
