//! The collector: one snapshot of pg_stat_statements (this database only) and of
//! pg_stat_user_tables, stored as per-interval deltas in `query_stats` and `table_stats`.
//! Resets and evicted entries are detected and never produce negative or doubled deltas;
//! IndexPilot's own statements are left out.

mod background;
pub mod delta;
mod samples;
mod source;
mod tables;

pub use background::{Collector, SAMPLE_EVERY};
pub use samples::{prune_samples, sample_activity, AGREEING_EXECUTIONS};
pub(crate) use source::info as statements_info;
pub use source::{is_own, OWN_TAG};

use crate::config::PolicyFile;
use crate::connect::transaction::{self, Mode};
use crate::error::Result;
use crate::migrate::require_initialised;
use chrono::{DateTime, Utc};
use delta::{Baseline, Counters};
use serde::Serialize;
use sqlx::PgPool;
use std::collections::{HashMap, HashSet};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
pub struct CollectReport {
    pub captured_at: DateTime<Utc>,
    /// Start of the interval the recorded deltas cover; None on the first collection, which
    /// only takes the baseline.
    pub interval_start: Option<DateTime<Utc>>,
    /// pg_stat_statements was reset since the previous collection.
    pub reset_detected: bool,
    /// Entries pg_stat_statements evicted since the previous collection (PostgreSQL 14+).
    pub evicted: Option<i64>,
    /// Entries of this database seen now.
    pub statements: usize,
    /// Statements with activity in the interval (rows written to query_stats).
    pub recorded: usize,
    /// Entries of other roles whose text this role may not read (needs pg_read_all_stats).
    pub hidden: usize,
    /// IndexPilot's own statements, left out.
    pub own_excluded: usize,
    /// Tables with activity in the interval (rows written to table_stats).
    pub tables_recorded: usize,
}

struct State {
    captured_at: DateTime<Utc>,
    stats_reset: Option<DateTime<Utc>>,
    dealloc: Option<i64>,
}

/// pg_stat_statements' entries of this database as they stand, read and nothing written:
/// the workload of a read-only run (see `usage::live`). IndexPilot's own statements and the
/// texts this role may not read are left out.
pub(crate) async fn peek(pool: &PgPool) -> Result<Vec<source::Entry>> {
    let mut conn = pool.acquire().await?;
    source::require_extension(&mut conn).await?;
    let version_num = crate::probe::server_version_num(&mut *conn).await?;
    let (entries, _) = source::read(&mut conn, version_num).await?;
    Ok(entries
        .into_iter()
        .filter(|e| e.counters.toplevel && e.query.as_deref().is_some_and(|q| !is_own(q)))
        .collect())
}

/// Takes one snapshot and records what happened since the previous one, under the policy
/// stored in the database (see `collect_with_policy`).
pub async fn collect_once(pool: &PgPool) -> Result<CollectReport> {
    collect_with_policy(pool, &PolicyFile::none()).await
}

/// `collect_once` under a policy file: statement samples older than its
/// `advisor.sample_retention` are deleted.
pub async fn collect_with_policy(pool: &PgPool, file: &PolicyFile) -> Result<CollectReport> {
    require_initialised(pool).await?;
    let mut tx = transaction::begin(pool, Mode::Write).await?;
    // One collector at a time per database, whoever runs it (CLI cron, the desktop app).
    sqlx::query("SELECT /* indexpilot */ pg_advisory_xact_lock(hashtext('indexpilot.collect'))")
        .execute(&mut *tx)
        .await?;
    source::require_extension(&mut tx).await?;
    let version_num = crate::probe::server_version_num(&mut *tx).await?;
    let (stats_reset, dealloc) = source::info(&mut tx, version_num).await?;
    let now: DateTime<Utc> = sqlx::query_scalar("SELECT /* indexpilot */ now()")
        .fetch_one(&mut *tx)
        .await?;
    let state: Option<State> = sqlx::query_as::<_, (DateTime<Utc>, Option<DateTime<Utc>>, Option<i64>)>(
        "SELECT captured_at, pgss_stats_reset, pgss_dealloc FROM indexpilot.collector_state FOR UPDATE",
    )
    .fetch_optional(&mut *tx)
    .await?
    .map(|(captured_at, stats_reset, dealloc)| State {
        captured_at,
        stats_reset,
        dealloc,
    });

    let (entries, hidden) = source::read(&mut tx, version_num).await?;
    let mut own_excluded = 0;
    let mut current: Vec<Counters> = Vec::with_capacity(entries.len());
    let mut texts: HashMap<i64, String> = HashMap::new();
    for e in entries {
        if e.query.as_deref().is_some_and(is_own) {
            own_excluded += 1;
            continue;
        }
        if let Some(q) = e.query {
            texts.entry(e.counters.queryid).or_insert(q);
        }
        current.push(e.counters);
    }

    let previous: HashMap<(i64, i64, bool), Counters> = sqlx::query_as::<_, (i64, i64, bool, i64, f64, i64, i64, i64)>(
        "SELECT /* indexpilot */ queryid, userid::int8, toplevel, calls, total_exec_ms, rows, shared_blks_hit, shared_blks_read
         FROM indexpilot.pgss_snapshot",
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|(queryid, userid, toplevel, calls, total_exec_ms, rows, shared_blks_hit, shared_blks_read)| {
        let c = Counters {
            queryid,
            userid,
            toplevel,
            calls,
            total_exec_ms,
            rows,
            shared_blks_hit,
            shared_blks_read,
        };
        (c.key(), c)
    })
    .collect();

    let reset_detected =
        matches!(&state, Some(s) if stats_reset.is_some() && s.stats_reset != stats_reset);
    let baseline = match &state {
        None => Baseline::None,
        Some(_) if reset_detected => Baseline::Reset,
        Some(_) => Baseline::Previous,
    };
    let deltas = delta::deltas(&previous, &current, baseline);
    if let Some(s) = &state {
        record_deltas(&mut tx, &deltas, s.captured_at, now).await?;
    }
    record_texts(&mut tx, &texts, &deltas).await?;
    replace_snapshot(&mut tx, &current).await?;
    let tables_recorded =
        tables::collect(&mut tx, state.as_ref().map(|s| s.captured_at), now).await?;
    // The indexes IndexPilot manages: their size and scans, for the change charts. Only a
    // handful of rows; pg_relation_size reads no data.
    sqlx::query(
        "INSERT INTO indexpilot.index_stats (index_schema, index_name, captured_at, size_bytes, idx_scan)
         SELECT v.index_schema, v.index_name, $1, pg_relation_size(c.oid), coalesce(s.idx_scan, 0)
         FROM indexpilot.index_versions v
         JOIN pg_class c ON c.oid = to_regclass(quote_ident(v.index_schema) || '.' || quote_ident(v.index_name))
         LEFT JOIN pg_stat_user_indexes s ON s.indexrelid = c.oid
         WHERE v.valid_to IS NULL
         ON CONFLICT DO NOTHING",
    )
    .bind(now)
    .execute(&mut *tx)
    .await?;

    sqlx::query(
        "INSERT INTO indexpilot.collector_state (id, captured_at, pgss_stats_reset, pgss_dealloc)
         VALUES (true, $1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET captured_at = excluded.captured_at,
             pgss_stats_reset = excluded.pgss_stats_reset, pgss_dealloc = excluded.pgss_dealloc",
    )
    .bind(now)
    .bind(stats_reset)
    .bind(dealloc)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let retention = crate::config::effective(pool, file)
        .await?
        .advisor
        .sample_retention_days;
    prune_samples(pool, retention).await?;
    // The statements running right now, with their constants (best effort).
    if let Err(e) = sample_activity(pool).await {
        tracing::debug!(error = %e, "statement sampling failed");
    }

    Ok(CollectReport {
        captured_at: now,
        interval_start: state.as_ref().map(|s| s.captured_at),
        reset_detected,
        evicted: match (&state, dealloc) {
            (
                Some(State {
                    dealloc: Some(before),
                    ..
                }),
                Some(after),
            ) if after >= *before => Some(after - before),
            (_, after) => after.filter(|_| reset_detected),
        },
        statements: current.len(),
        recorded: deltas.len(),
        hidden,
        own_excluded,
        tables_recorded,
    })
}

/// Counters as the columns of an `unnest(...)`.
struct Columns {
    queryid: Vec<i64>,
    userid: Vec<i64>,
    toplevel: Vec<bool>,
    calls: Vec<i64>,
    total_exec_ms: Vec<f64>,
    rows: Vec<i64>,
    hit: Vec<i64>,
    read: Vec<i64>,
}

impl Columns {
    fn of(list: &[Counters]) -> Self {
        Columns {
            queryid: list.iter().map(|c| c.queryid).collect(),
            userid: list.iter().map(|c| c.userid).collect(),
            toplevel: list.iter().map(|c| c.toplevel).collect(),
            calls: list.iter().map(|c| c.calls).collect(),
            total_exec_ms: list.iter().map(|c| c.total_exec_ms).collect(),
            rows: list.iter().map(|c| c.rows).collect(),
            hit: list.iter().map(|c| c.shared_blks_hit).collect(),
            read: list.iter().map(|c| c.shared_blks_read).collect(),
        }
    }

    /// Binds the eight arrays as the query's parameters $1 to $8, in field order.
    fn bind<'q>(
        &'q self,
        q: sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>,
    ) -> sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments> {
        q.bind(&self.queryid)
            .bind(&self.userid)
            .bind(&self.toplevel)
            .bind(&self.calls)
            .bind(&self.total_exec_ms)
            .bind(&self.rows)
            .bind(&self.hit)
            .bind(&self.read)
    }
}

async fn record_deltas(
    conn: &mut sqlx::PgConnection,
    deltas: &[Counters],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<()> {
    if deltas.is_empty() {
        return Ok(());
    }
    let cols = Columns::of(deltas);
    let q = sqlx::query(
        "INSERT INTO indexpilot.query_stats
             (source, queryid, userid, toplevel, interval_start, interval_end, calls, total_exec_ms,
              mean_exec_ms, rows, shared_blks_hit, shared_blks_read)
         SELECT 'pg_stat_statements', q, u::oid, t, $9, $10, c, ms, ms / c, r, h, rd
         FROM unnest($1::int8[], $2::int8[], $3::bool[], $4::int8[], $5::float8[], $6::int8[], $7::int8[], $8::int8[])
              AS x(q, u, t, c, ms, r, h, rd)",
    );
    cols.bind(q).bind(start).bind(end).execute(conn).await?;
    Ok(())
}

/// Statement texts, once per queryid: new ones inserted, those with activity marked as seen.
async fn record_texts(
    conn: &mut sqlx::PgConnection,
    texts: &HashMap<i64, String>,
    deltas: &[Counters],
) -> Result<()> {
    let (ids, queries): (Vec<i64>, Vec<&str>) =
        texts.iter().map(|(id, q)| (*id, q.as_str())).unzip();
    sqlx::query(
        "INSERT INTO indexpilot.statements (queryid, query)
         SELECT q, t FROM unnest($1::int8[], $2::text[]) AS x(q, t)
         ON CONFLICT (queryid) DO NOTHING",
    )
    .bind(&ids)
    .bind(&queries)
    .execute(&mut *conn)
    .await?;
    let active: Vec<i64> = deltas
        .iter()
        .map(|d| d.queryid)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    sqlx::query("UPDATE indexpilot.statements SET last_seen_at = now() WHERE queryid = ANY($1)")
        .bind(&active)
        .execute(conn)
        .await?;
    Ok(())
}

async fn replace_snapshot(conn: &mut sqlx::PgConnection, current: &[Counters]) -> Result<()> {
    sqlx::query("DELETE FROM indexpilot.pgss_snapshot")
        .execute(&mut *conn)
        .await?;
    let cols = Columns::of(current);
    let q = sqlx::query(
        "INSERT INTO indexpilot.pgss_snapshot
             (queryid, userid, toplevel, calls, total_exec_ms, rows, shared_blks_hit, shared_blks_read)
         SELECT q, u::oid, t, c, ms, r, h, rd
         FROM unnest($1::int8[], $2::int8[], $3::bool[], $4::int8[], $5::float8[], $6::int8[], $7::int8[], $8::int8[])
              AS x(q, u, t, c, ms, r, h, rd)
         ON CONFLICT DO NOTHING",
    );
    cols.bind(q).execute(conn).await?;
    Ok(())
}
