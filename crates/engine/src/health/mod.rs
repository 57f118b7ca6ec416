//! Index health: unused, duplicate, redundant and invalid indexes, foreign keys with no
//! index on large tables, and indexes some partitions of a partitioned table lack. A
//! partitioned table's index is judged as one: its scans are its partitions' summed, and
//! its partitions' parts are never reported on their own. Each check is a pure function over the catalog and the scan
//! statistics (one file per check); [`run`] reads both, read only, and never scans a table.
//!
//! Message style: one sentence, names the index and the table, states the evidence (sizes,
//! scans, the age of the statistics) and no advice; advice goes in `help`, DDL in `ddl`.

mod duplicate;
mod invalid;
mod partition_gaps;
mod redundant;
mod shape;
mod unindexed_fk;
mod unused;

use crate::catalog::{self, Catalog};
use crate::error::Result;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use std::collections::HashMap;

/// The registry of checks; the kebab-case id is what config, JSON and the UI use.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    InvalidIndex,
    DuplicateIndex,
    RedundantIndex,
    UnusedIndex,
    UnindexedForeignKey,
    PartitionIndexGap,
}

impl Check {
    pub const ALL: [Check; 6] = [
        Check::InvalidIndex,
        Check::DuplicateIndex,
        Check::RedundantIndex,
        Check::UnusedIndex,
        Check::UnindexedForeignKey,
        Check::PartitionIndexGap,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Check::InvalidIndex => "invalid-index",
            Check::DuplicateIndex => "duplicate-index",
            Check::RedundantIndex => "redundant-index",
            Check::UnusedIndex => "unused-index",
            Check::UnindexedForeignKey => "unindexed-foreign-key",
            Check::PartitionIndexGap => "partition-index-gap",
        }
    }

    pub fn from_id(id: &str) -> Option<Check> {
        Check::ALL.into_iter().find(|c| c.id() == id)
    }

    /// Runs this check alone: pure, no database.
    pub fn run(self, catalog: &Catalog, input: &Input) -> Vec<Finding> {
        match self {
            Check::InvalidIndex => invalid::check(catalog, input),
            Check::DuplicateIndex => duplicate::check(catalog, input),
            Check::RedundantIndex => redundant::check(catalog, input),
            Check::UnusedIndex => unused::check(catalog, input),
            Check::UnindexedForeignKey => unindexed_fk::check(catalog, input),
            Check::PartitionIndexGap => partition_gaps::check(catalog, input),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One problem found, as data.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Finding {
    pub check: Check,
    pub severity: Severity,
    pub schema: String,
    pub table: String,
    pub index: Option<String>,
    /// One sentence stating what was found and the evidence for it.
    pub message: String,
    pub evidence: Evidence,
    /// Suggested DDL, always with quoted identifiers; `None` when nothing should be run
    /// blindly (the index backs a constraint, or is part of a partitioned index).
    pub ddl: Option<String>,
    /// What to do, or why no DDL is offered.
    pub help: String,
}

/// The facts behind a finding; only those that apply are serialised.
#[derive(Debug, Clone, Default, Serialize, ts_rs::TS)]
pub struct Evidence {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size_bytes: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scans: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(type = "string | null")]
    pub stats_since: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stats_age_days: Option<f64>,
    /// The index that makes this one unnecessary (duplicate, redundant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub covered_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub covered_by_definition: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub constraint: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fk_columns: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub references: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_rows: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_bytes: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct HealthOptions {
    /// Foreign keys on tables with fewer estimated rows are not reported.
    pub min_table_rows: f64,
    /// Unused indexes are `info` rather than `warning` while the statistics are younger.
    pub min_stats_days: f64,
}

impl Default for HealthOptions {
    fn default() -> Self {
        HealthOptions {
            min_table_rows: 10_000.0,
            min_stats_days: 7.0,
        }
    }
}

/// Scan counters of one index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexStats {
    pub scans: i64,
    /// Part of a partitioned index: only the parent index can be dropped.
    pub attached: bool,
}

/// Where the statistics window starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum StatsSince {
    /// `pg_stat_database.stats_reset`.
    Reset,
    /// Never reset: counted since the server started.
    ServerStart,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatsWindow {
    pub since: DateTime<Utc>,
    pub source: StatsSince,
    pub now: DateTime<Utc>,
}

impl StatsWindow {
    pub fn age_days(&self) -> f64 {
        // Milliseconds fit an f64 exactly for any realistic window.
        #[allow(clippy::cast_precision_loss)]
        let ms = (self.now - self.since).num_milliseconds().max(0) as f64;
        ms / 86_400_000.0
    }

    /// "since 2026-11-29 (12 days of statistics)", said out loud.
    pub fn describe(&self) -> String {
        let days = self.age_days();
        let age = if days < 1.0 {
            "less than a day of statistics".to_string()
        } else if days < 2.0 {
            "1 day of statistics".to_string()
        } else {
            format!("{} days of statistics", days.floor())
        };
        let origin = match self.source {
            StatsSince::Reset => "",
            StatsSince::ServerStart => ", since the server started",
        };
        format!("since {} ({age}{origin})", self.since.format("%Y-%m-%d"))
    }
}

/// What the pure checks read besides the catalog.
#[derive(Debug, Clone)]
pub struct Input {
    pub options: HealthOptions,
    pub window: StatsWindow,
    /// By `(schema, index name)`.
    pub stats: HashMap<(String, String), IndexStats>,
    /// Indexes IndexPilot built on the recent partitions of a table only, by `(schema,
    /// index name)`: the change that built each. Empty before `init`.
    pub recent: HashMap<(String, String), i64>,
}

impl Input {
    pub fn stats(&self, schema: &str, index: &str) -> Option<IndexStats> {
        self.stats
            .get(&(schema.to_string(), index.to_string()))
            .copied()
    }

    /// The change that built this index for the recent partitions only, if it was one.
    pub fn recent_change(&self, schema: &str, index: &str) -> Option<i64> {
        self.recent
            .get(&(schema.to_string(), index.to_string()))
            .copied()
    }
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct HealthReport {
    pub findings: Vec<Finding>,
    #[ts(type = "string")]
    pub stats_since: DateTime<Utc>,
    pub stats_since_source: StatsSince,
    pub stats_age_days: f64,
    /// "since 2026-11-29 (12 days of statistics)".
    pub stats_window: String,
    pub relations: usize,
    pub indexes: usize,
    pub options: HealthOptions,
}

/// Reads the catalog and the statistics and runs every check.
pub async fn run(pool: &PgPool, options: HealthOptions) -> Result<HealthReport> {
    let catalog = catalog::discover(pool).await?;
    run_on(pool, &catalog, options).await
}

/// [`run`] over a catalog the caller has already discovered.
pub async fn run_on(
    pool: &PgPool,
    catalog: &Catalog,
    options: HealthOptions,
) -> Result<HealthReport> {
    let (window, stats, recent) = read_stats(pool).await?;
    let input = Input {
        options,
        window,
        stats,
        recent,
    };
    Ok(report(catalog, input))
}

/// Every check over an already-read catalog and statistics (pure).
pub fn report(catalog: &Catalog, input: Input) -> HealthReport {
    let mut findings: Vec<Finding> = Check::ALL
        .into_iter()
        .flat_map(|c| c.run(catalog, &input))
        .collect();
    findings.sort_by(|a, b| {
        (a.check, &a.schema, &a.table, &a.index, &a.message)
            .cmp(&(b.check, &b.schema, &b.table, &b.index, &b.message))
    });
    HealthReport {
        findings,
        stats_since: input.window.since,
        stats_since_source: input.window.source,
        stats_age_days: input.window.age_days(),
        stats_window: input.window.describe(),
        relations: catalog.relations.len(),
        indexes: catalog.index_count(),
        options: input.options,
    }
}

#[derive(sqlx::FromRow)]
struct ScanRow {
    schema_name: String,
    index_name: String,
    scans: Option<i64>,
    attached: bool,
}

#[derive(sqlx::FromRow)]
struct RecentRow {
    index_schema: String,
    index_name: String,
    change_id: i64,
}

#[derive(sqlx::FromRow)]
struct WindowRow {
    stats_reset: Option<DateTime<Utc>>,
    server_started: DateTime<Utc>,
    now: DateTime<Utc>,
}

/// What [`read_stats`] reads besides the catalog: the window, the scans, and the indexes
/// built for recent partitions.
type Read = (
    StatsWindow,
    HashMap<(String, String), IndexStats>,
    HashMap<(String, String), i64>,
);

async fn read_stats(pool: &PgPool) -> Result<Read> {
    let mut conn = pool.acquire().await?;
    sqlx::query("BEGIN READ ONLY /* indexpilot */")
        .execute(&mut *conn)
        .await?;
    let window: WindowRow = sqlx::query_as(include_str!("sql/window.sql"))
        .fetch_one(&mut *conn)
        .await?;
    let rows: Vec<ScanRow> = sqlx::query_as(include_str!("sql/scans.sql"))
        .fetch_all(&mut *conn)
        .await?;
    // Health runs before `init` too: the metadata is read only where it exists.
    let metadata: bool = sqlx::query_scalar(
        "SELECT /* indexpilot */ CASE WHEN to_regclass('indexpilot.index_versions') IS NULL
                 OR to_regclass('indexpilot.mutation_log') IS NULL THEN false
             ELSE has_table_privilege('indexpilot.index_versions', 'SELECT')
                 AND has_table_privilege('indexpilot.mutation_log', 'SELECT') END",
    )
    .fetch_one(&mut *conn)
    .await?;
    let recent: Vec<RecentRow> = if metadata {
        sqlx::query_as(include_str!("sql/recent.sql"))
            .fetch_all(&mut *conn)
            .await?
    } else {
        Vec::new()
    };
    sqlx::query("COMMIT /* indexpilot */")
        .execute(&mut *conn)
        .await?;
    let window = match window.stats_reset {
        Some(since) => StatsWindow {
            since,
            source: StatsSince::Reset,
            now: window.now,
        },
        None => StatsWindow {
            since: window.server_started,
            source: StatsSince::ServerStart,
            now: window.now,
        },
    };
    let stats = rows
        .into_iter()
        .map(|r| {
            (
                (r.schema_name, r.index_name),
                IndexStats {
                    scans: r.scans.unwrap_or(0),
                    attached: r.attached,
                },
            )
        })
        .collect();
    let recent = recent
        .into_iter()
        .map(|r| ((r.index_schema, r.index_name), r.change_id))
        .collect();
    Ok((window, stats, recent))
}

#[cfg(test)]
pub(crate) mod fixture;
