//! What needs a DBA's attention on one database, in one read: proposals waiting for a
//! decision and what they would save, changes building or failed, experiments due and their
//! latest verdicts, index health findings by kind with the space they hold, the collector's
//! last snapshot, how full pg_stat_statements is, the extensions the advisor uses, and the
//! server itself. `indexpilot overview` prints it (JSON for cron and monitoring).
//!
//! Read-only throughout: no reconcile, no judging of experiments, nothing recorded.

use crate::advisor::{open_proposals, ProposalKind};
use crate::change::{log, ChangeState};
use crate::connect::transaction::{self, Mode};
use crate::error::Result;
use crate::health::{self, HealthOptions};
use crate::workload::collect::statements_info;
use crate::{migrate, probe};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{PgConnection, PgPool};
use std::collections::BTreeMap;
use ts_rs::TS;

pub mod fleet;

#[derive(Debug, Clone, Serialize, TS)]
pub struct Overview {
    pub database: String,
    pub server_version: String,
    pub server_version_num: i32,
    /// A hot standby: review only, nothing can be built here.
    pub standby: bool,
    /// Installed in this database (the advisor never installs them).
    pub hypopg: bool,
    pub pg_qualstats: bool,
    /// IndexPilot's metadata schema is current here; when false the counters below that
    /// come from it are empty (`indexpilot init` sets it up).
    pub initialised: bool,
    pub proposals: Proposals,
    /// Changes by state, for the states that need someone: `approved` (not yet built),
    /// `applying`, `rolling_back`, `failed`.
    pub changes: BTreeMap<String, i64>,
    pub experiments: Experiments,
    /// Health findings by check id, with the size of the indexes they name.
    pub health: BTreeMap<String, HealthCount>,
    pub collector: Collector,
    pub statements: Statements,
}

#[derive(Debug, Clone, Default, Serialize, TS)]
#[ts(rename = "OverviewProposals")]
pub struct Proposals {
    pub creates: usize,
    pub drops: usize,
    /// Σ of their net savings (calls × planner cost, as the advisor weighs them).
    pub estimated_saving: f64,
    /// Σ of the estimated sizes of the indexes they would build.
    pub estimated_bytes: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub newest: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default, Serialize, TS)]
#[ts(rename = "OverviewExperiments")]
pub struct Experiments {
    /// Measuring, with the measurement window over: `indexpilot experiments --judge`.
    pub due: i64,
    pub measuring: i64,
    /// The last verdicts (newest first): change id and verdict.
    pub latest: Vec<Verdict>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, TS)]
#[ts(rename = "OverviewVerdict")]
pub struct Verdict {
    /// The experiment (its chart: `experiment_chart`).
    pub experiment_id: i64,
    pub change_id: i64,
    pub verdict: String,
}

#[derive(Debug, Clone, Default, Serialize, TS)]
#[ts(rename = "OverviewHealthCount")]
pub struct HealthCount {
    pub findings: usize,
    /// What dropping the indexes these findings name would free (0 for checks that are no
    /// drop, such as unindexed foreign keys).
    pub bytes: i64,
}

#[derive(Debug, Clone, Default, Serialize, TS)]
#[ts(rename = "OverviewCollector")]
pub struct Collector {
    /// The collector's last snapshot (None: it never ran here).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub last_snapshot: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub age_seconds: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, TS)]
#[ts(rename = "OverviewStatements")]
pub struct Statements {
    /// Entries pg_stat_statements holds (every database) against `pg_stat_statements.max`.
    pub entries: i64,
    pub max: i64,
    /// Entries evicted since its last reset (PostgreSQL 14+): a full view loses statements.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub dealloc: Option<i64>,
}

impl Overview {
    /// How many things wait for someone: proposals to decide, changes approved, building or
    /// failed, experiments due, health findings, and IndexPilot not initialised. What the
    /// overview of many databases sorts by.
    pub fn attention(&self) -> i64 {
        let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        count(self.proposals.creates + self.proposals.drops)
            + self.changes.values().sum::<i64>()
            + self.experiments.due
            + count(self.health.values().map(|h| h.findings).sum())
            + i64::from(!self.initialised)
    }
}

/// Verdicts listed in the overview.
const LATEST_VERDICTS: i64 = 5;

pub async fn of(pool: &PgPool) -> Result<Overview> {
    // The server's own facts in one read-only transaction.
    let mut tx = transaction::begin(pool, Mode::ReadOnly).await?;
    let (database, server_version, version_num, standby): (String, String, i32, bool) =
        sqlx::query_as(
            "SELECT /* indexpilot */ current_database(), current_setting('server_version'),
                    current_setting('server_version_num')::int, pg_is_in_recovery()",
        )
        .fetch_one(&mut *tx)
        .await?;
    let hypopg = probe::extension(&mut tx, "hypopg", None).await?.installed;
    let pg_qualstats = probe::extension(&mut tx, "pg_qualstats", None)
        .await?
        .installed;
    let statements = if probe::extension(&mut tx, "pg_stat_statements", None)
        .await?
        .installed
    {
        self::statements(&mut tx, version_num).await?
    } else {
        Statements::default()
    };
    tx.commit().await?;
    let initialised = migrate::current_version(pool).await? == migrate::latest_version();

    let mut out = Overview {
        database,
        server_version,
        server_version_num: version_num,
        standby,
        hypopg,
        pg_qualstats,
        initialised,
        proposals: Proposals::default(),
        changes: BTreeMap::new(),
        experiments: Experiments::default(),
        health: BTreeMap::new(),
        collector: Collector::default(),
        statements,
    };
    for f in health::run(pool, HealthOptions::default()).await?.findings {
        let e = out.health.entry(f.check.id().to_string()).or_default();
        e.findings += 1;
        if f.ddl
            .as_deref()
            .is_some_and(|d| d.starts_with("DROP INDEX"))
        {
            e.bytes += f.evidence.size_bytes.unwrap_or(0);
        }
    }
    if !initialised {
        return Ok(out);
    }
    for s in open_proposals(pool).await? {
        let p = &s.proposal;
        match p.kind {
            ProposalKind::Create => {
                out.proposals.creates += 1;
                out.proposals.estimated_bytes += p.estimated_size_bytes;
            }
            ProposalKind::Drop => out.proposals.drops += 1,
        }
        out.proposals.estimated_saving += p.benefit.weighted_cost_before
            - p.benefit.weighted_cost_after
            - p.benefit.write_overhead;
        out.proposals.newest = out.proposals.newest.max(Some(s.refreshed_at));
    }
    out.changes = changes_needing_someone(pool).await?;
    out.experiments = experiments(pool).await?;
    let last: Option<DateTime<Utc>> = sqlx::query_scalar(
        "SELECT /* indexpilot */ max(captured_at) FROM indexpilot.collector_state",
    )
    .fetch_one(pool)
    .await?;
    out.collector = Collector {
        last_snapshot: last,
        age_seconds: last.map(|t| (Utc::now() - t).num_seconds()),
    };
    Ok(out)
}

async fn statements(conn: &mut PgConnection, version_num: i32) -> Result<Statements> {
    let (entries, max): (i64, i64) = sqlx::query_as(
        "SELECT /* indexpilot */ (SELECT count(*) FROM pg_stat_statements(false)),
                current_setting('pg_stat_statements.max')::int8",
    )
    .fetch_one(&mut *conn)
    .await?;
    let (_, dealloc) = statements_info(conn, version_num).await?;
    Ok(Statements {
        entries,
        max,
        dealloc,
    })
}

/// Each change's latest state, counted for the states someone has to act on or watch.
async fn changes_needing_someone(pool: &PgPool) -> Result<BTreeMap<String, i64>> {
    let states = [
        ChangeState::Approved,
        ChangeState::Applying,
        ChangeState::RollingBack,
        ChangeState::Failed,
    ];
    let mut counts = BTreeMap::new();
    for c in log::in_states(pool, &states).await? {
        *counts.entry(c.state.as_str().to_string()).or_insert(0) += 1;
    }
    Ok(counts)
}

async fn experiments(pool: &PgPool) -> Result<Experiments> {
    let (due, measuring): (i64, i64) = sqlx::query_as(
        "SELECT /* indexpilot */ count(*) FILTER (WHERE post_end <= now()), count(*)
         FROM indexpilot.ab_experiments WHERE status = 'measuring'",
    )
    .fetch_one(pool)
    .await?;
    let latest: Vec<Verdict> = sqlx::query_as(
        "SELECT /* indexpilot */ id AS experiment_id, mutation_id AS change_id, verdict FROM indexpilot.ab_experiments
         WHERE verdict IS NOT NULL ORDER BY id DESC LIMIT $1",
    )
    .bind(LATEST_VERDICTS)
    .fetch_all(pool)
    .await?;
    Ok(Experiments {
        due,
        measuring,
        latest,
    })
}
