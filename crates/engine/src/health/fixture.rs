//! Catalog pieces for the checks' unit tests.

use super::{HealthOptions, IndexStats, Input, StatsSince, StatsWindow};
use crate::catalog::{Constraint, ConstraintKind, ForeignRef, Index, Relation, RelationKind};
use chrono::{TimeZone, Utc};
use std::collections::HashMap;

pub fn index(name: &str, keys: &[&str]) -> Index {
    Index {
        schema: "app".into(),
        name: name.into(),
        method: "btree".into(),
        is_unique: false,
        is_primary: false,
        is_valid: true,
        is_ready: true,
        definition: format!(
            "CREATE INDEX {name} ON app.t USING btree ({})",
            keys.join(", ")
        ),
        key_columns: keys.iter().map(|k| (*k).to_string()).collect(),
        include_columns: Vec::new(),
        predicate: None,
        has_expressions: false,
        size_bytes: 8192,
        constraint_name: None,
    }
}

pub fn table(name: &str, rows: f64, indexes: Vec<Index>) -> Relation {
    Relation {
        oid: 1,
        schema: "app".into(),
        name: name.into(),
        kind: RelationKind::Table,
        parent: None,
        partition_key: None,
        partition_bound: None,
        row_estimate: Some(rows),
        table_bytes: 81920,
        total_bytes: 163_840,
        comment: None,
        columns: Vec::new(),
        constraints: Vec::new(),
        indexes,
    }
}

pub fn fk(name: &str, cols: &[&str]) -> Constraint {
    Constraint {
        name: name.into(),
        kind: ConstraintKind::ForeignKey,
        columns: cols.iter().map(|c| (*c).to_string()).collect(),
        references: Some(ForeignRef {
            schema: "app".into(),
            table: "parents".into(),
            columns: vec!["id".into()],
        }),
        definition: String::new(),
        validated: true,
    }
}

/// Twelve days of statistics, no counters.
pub fn input() -> Input {
    let now = Utc.with_ymd_and_hms(2026, 11, 29, 12, 0, 0).unwrap();
    Input {
        options: HealthOptions::default(),
        window: StatsWindow {
            since: now - chrono::Duration::days(12),
            source: StatsSince::Reset,
            now,
        },
        stats: HashMap::new(),
        recent: HashMap::new(),
    }
}

pub fn with_scans(mut input: Input, scans: &[(&str, i64)]) -> Input {
    for (name, n) in scans {
        input.stats.insert(
            ("app".into(), (*name).to_string()),
            IndexStats {
                scans: *n,
                attached: false,
            },
        );
    }
    input
}
