//! The workload picture: statements ranked by time over a window with their analysis, and
//! field-level usage (calls and time per field and role), merged with the rows host
//! applications log themselves. Analyses are cached per queryid in `indexpilot.statements`.

use super::analyse::{self, Analysis, Resolver, Role, StatementKind};
use super::collect::AGREEING_EXECUTIONS;
use crate::catalog;
use crate::connect::access;
use crate::error::Result;
use crate::migrate::require_initialised;
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgPool;
use std::collections::BTreeMap;
use ts_rs::TS;

/// Bumped when the analyser's output changes, so that cached analyses are redone.
pub const ANALYSER_VERSION: i32 = 6;

#[derive(Debug, Clone, Serialize, TS)]
pub struct StatementUsage {
    pub queryid: i64,
    pub query: String,
    pub calls: i64,
    pub total_exec_ms: f64,
    pub mean_exec_ms: f64,
    pub rows: i64,
    pub shared_blks_read: i64,
    pub analysis: Analysis,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct WorkloadReport {
    /// The window the figures cover (first and last collected interval).
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Statements with activity in the window.
    pub total_statements: usize,
    pub unparsable: usize,
    pub utility: usize,
    /// The top statements by total time.
    pub statements: Vec<StatementUsage>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct FieldUsage {
    pub schema: Option<String>,
    pub table: String,
    pub column: String,
    pub role: Role,
    /// The expression the role applies to, when not the bare column (`lower(email)`).
    pub expression: Option<String>,
    /// Statements that use the field this way, and their calls and time in the window.
    pub statements: usize,
    pub calls: i64,
    pub total_exec_ms: f64,
}

/// Rows host applications logged through `indexpilot.log_query_stat`.
#[derive(Debug, Clone, Serialize, TS, sqlx::FromRow)]
pub struct HostUsage {
    pub tenant_id: Option<String>,
    pub schema_name: Option<String>,
    pub table_name: String,
    pub field_name: Option<String>,
    pub query_type: Option<String>,
    pub calls: i64,
    pub total_ms: f64,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct FieldUsageReport {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub fields: Vec<FieldUsage>,
    pub host: Vec<HostUsage>,
}

/// A statement with its counters over a window and its cached analysis, if current.
pub(crate) struct Active {
    pub queryid: i64,
    pub query: String,
    pub calls: i64,
    pub total: f64,
    pub rows: i64,
    pub read: i64,
    /// Shared blocks found in shared buffers.
    pub hit: i64,
    pub cached: Option<Analysis>,
    /// The text as a backend ran it (see `collect::sample_activity`).
    pub sample: Option<String>,
    /// Another execution's text: the first that differed from the sample, or the sample's
    /// own when enough executions agreed with it. The literals both share are the code's.
    pub other_execution: Option<String>,
}

/// queryid, text, calls, total ms, rows, blocks read, blocks hit, cached analysis and its
/// version, sample, executions agreeing with it, the first differing text.
type ActiveRow = (
    i64,
    String,
    i64,
    f64,
    i64,
    i64,
    i64,
    Option<serde_json::Value>,
    Option<i32>,
    Option<String>,
    Option<i32>,
    Option<String>,
);

impl From<ActiveRow> for Active {
    fn from(
        (
            queryid,
            query,
            calls,
            total,
            rows,
            read,
            hit,
            analysis,
            version,
            sample,
            executions,
            differing,
        ): ActiveRow,
    ) -> Self {
        let agreed = executions.is_some_and(|n| n >= AGREEING_EXECUTIONS);
        let other_execution = differing.or_else(|| sample.clone().filter(|_| agreed));
        Active {
            queryid,
            query,
            calls,
            total,
            rows,
            read,
            hit,
            cached: analysis
                .filter(|_| version == Some(ANALYSER_VERSION))
                .and_then(|a| serde_json::from_value(a).ok()),
            sample,
            other_execution,
        }
    }
}

/// Statements with activity in the collected deltas since `since`, and the window.
pub(crate) async fn active(
    pool: &PgPool,
    since: Option<DateTime<Utc>>,
) -> Result<(Vec<Active>, Option<DateTime<Utc>>, Option<DateTime<Utc>>)> {
    let rows: Vec<ActiveRow> = sqlx::query_as(
        "SELECT /* indexpilot */ s.queryid, s.query, sum(q.calls)::int8, sum(q.total_exec_ms), sum(q.rows)::int8,
                sum(q.shared_blks_read)::int8, sum(q.shared_blks_hit)::int8, s.analysis, s.analyser_version, min(x.sample),
                min(x.executions), min(x.differing)
         FROM indexpilot.query_stats q JOIN indexpilot.statements s USING (queryid)
         LEFT JOIN indexpilot.statement_samples x USING (queryid)
         WHERE q.source = 'pg_stat_statements' AND ($1::timestamptz IS NULL OR q.interval_end > $1)
         GROUP BY s.queryid
         ORDER BY 4 DESC, 1",
    )
    .bind(since)
    .fetch_all(pool)
    .await?;
    let window: (Option<DateTime<Utc>>, Option<DateTime<Utc>>) = sqlx::query_as(
        "SELECT /* indexpilot */ min(interval_start), max(interval_end) FROM indexpilot.query_stats
         WHERE source = 'pg_stat_statements' AND ($1::timestamptz IS NULL OR interval_end > $1)",
    )
    .bind(since)
    .fetch_one(pool)
    .await?;
    let list = rows.into_iter().map(Active::from).collect();
    Ok((list, window.0, window.1))
}

/// Statements with their pg_stat_statements counters as they stand now, read without
/// writing anything (no snapshot is stored): the workload of a read-only run. Cached
/// analyses and samples are read where IndexPilot's tables have them.
pub(crate) async fn live(pool: &PgPool) -> Result<Vec<Active>> {
    let mut by_id: BTreeMap<i64, (String, i64, f64, i64, i64, i64)> = BTreeMap::new();
    for e in super::collect::peek(pool).await? {
        let c = &e.counters;
        let entry = by_id
            .entry(c.queryid)
            .or_insert_with(|| (e.query.clone().unwrap_or_default(), 0, 0.0, 0, 0, 0));
        entry.1 += c.calls;
        entry.2 += c.total_exec_ms;
        entry.3 += c.rows;
        entry.4 += c.shared_blks_read;
        entry.5 += c.shared_blks_hit;
    }
    by_id.retain(|_, v| v.1 > 0);
    let ids: Vec<i64> = by_id.keys().copied().collect();
    let texts: Vec<&str> = by_id.values().map(|v| v.0.as_str()).collect();
    let calls: Vec<i64> = by_id.values().map(|v| v.1).collect();
    let totals: Vec<f64> = by_id.values().map(|v| v.2).collect();
    let rows: Vec<i64> = by_id.values().map(|v| v.3).collect();
    let reads: Vec<i64> = by_id.values().map(|v| v.4).collect();
    let hits: Vec<i64> = by_id.values().map(|v| v.5).collect();
    // The live counters, with what IndexPilot's tables know of each statement.
    let found: Vec<ActiveRow> = sqlx::query_as(
        "SELECT /* indexpilot */ q.id, q.query, q.calls, q.total, q.rows, q.read, q.hit,
                s.analysis, s.analyser_version, x.sample, x.executions, x.differing
         FROM unnest($1::int8[], $2::text[], $3::int8[], $4::float8[], $5::int8[], $6::int8[], $7::int8[])
              AS q(id, query, calls, total, rows, read, hit)
         LEFT JOIN indexpilot.statements s ON s.queryid = q.id
         LEFT JOIN indexpilot.statement_samples x ON x.queryid = q.id",
    )
    .bind(&ids)
    .bind(&texts)
    .bind(&calls)
    .bind(&totals)
    .bind(&rows)
    .bind(&reads)
    .bind(&hits)
    .fetch_all(pool)
    .await?;
    let mut list: Vec<Active> = found.into_iter().map(Active::from).collect();
    list.sort_by(|a, b| b.total.total_cmp(&a.total).then(a.queryid.cmp(&b.queryid)));
    Ok(list)
}

/// Statements with their cumulative pg_stat_statements counters as of the collector's last
/// snapshot (everything since pg_stat_statements was last reset): the workload before any
/// interval has been collected.
pub(crate) async fn cumulative(pool: &PgPool) -> Result<Vec<Active>> {
    let rows: Vec<ActiveRow> = sqlx::query_as(
        "SELECT /* indexpilot */ s.queryid, s.query, sum(p.calls)::int8, sum(p.total_exec_ms), sum(p.rows)::int8,
                sum(p.shared_blks_read)::int8, sum(p.shared_blks_hit)::int8, s.analysis, s.analyser_version, min(x.sample),
                min(x.executions), min(x.differing)
         FROM indexpilot.pgss_snapshot p JOIN indexpilot.statements s USING (queryid)
         LEFT JOIN indexpilot.statement_samples x USING (queryid)
         GROUP BY s.queryid
         HAVING sum(p.calls) > 0
         ORDER BY 4 DESC, 1",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Active::from).collect())
}

/// The workload when no interval has been collected: pg_stat_statements' totals as of the
/// collector's last snapshot, or as they stand now when none was ever taken (a read-only
/// session or a hot standby cannot take one).
async fn before_any_interval(pool: &PgPool) -> Result<Vec<Active>> {
    let list = cumulative(pool).await?;
    if list.is_empty() {
        live(pool).await
    } else {
        Ok(list)
    }
}

/// Makes sure every collected statement has a current analysis (validation needs to know
/// which statements touch a table).
pub(crate) async fn analyse_collected(pool: &PgPool) -> Result<()> {
    let mut list = cumulative(pool).await?;
    analyse_all(pool, &mut list).await?;
    Ok(())
}

/// Names resolve as this session would resolve them.
async fn resolver(pool: &PgPool) -> Result<Resolver> {
    let catalog = catalog::discover(pool).await?;
    resolver_for(pool, &catalog).await
}

/// A resolver over an already discovered catalog, with this session's search path.
pub(crate) async fn resolver_for(pool: &PgPool, catalog: &catalog::Catalog) -> Result<Resolver> {
    let (search_path, user): (String, String) = sqlx::query_as(
        "SELECT /* indexpilot */ current_setting('search_path'), current_user::text",
    )
    .fetch_one(pool)
    .await?;
    Ok(Resolver::new(catalog).with_search_path(&search_path, Some(&user)))
}

/// The analysis of each statement's sample, where there is one, and of another execution's
/// text, where there is one (not cached: samples are few and change).
pub(crate) fn analyse_samples(
    resolver: &Resolver,
    list: &[Active],
) -> Vec<(Option<Analysis>, Option<Analysis>)> {
    let analysed = |text: &Option<String>| text.as_deref().map(|s| analyse::analyse(resolver, s));
    list.iter()
        .map(|a| (analysed(&a.sample), analysed(&a.other_execution)))
        .collect()
}

/// Analyses the statements that have no current cached analysis, and caches them where the
/// session may write: on a read-only session or a hot standby the report is the same and
/// nothing is written.
pub(crate) async fn analyse_all(pool: &PgPool, list: &mut [Active]) -> Result<Vec<Analysis>> {
    if list.iter().any(|a| a.cached.is_none()) {
        let resolver = resolver(pool).await?;
        if access::of_pool(pool).await?.writable() {
            analyse_missing(pool, &resolver, list).await?;
        } else {
            analyse_uncached(&resolver, list);
        }
    }
    Ok(list.iter().filter_map(|a| a.cached.clone()).collect())
}

/// Analyses, with `resolver`, the statements without a current cached analysis, and caches
/// them.
pub(crate) async fn analyse_missing(
    pool: &PgPool,
    resolver: &Resolver,
    list: &mut [Active],
) -> Result<()> {
    let analysed = analyse_uncached(resolver, list);
    if !analysed.is_empty() {
        let (ids, docs): (Vec<i64>, Vec<serde_json::Value>) = analysed.into_iter().unzip();
        sqlx::query(
            "UPDATE indexpilot.statements s SET analysis = x.a, analysed_at = now(), analyser_version = $3
             FROM unnest($1::int8[], $2::jsonb[]) AS x(q, a) WHERE s.queryid = x.q",
        )
        .bind(&ids)
        .bind(&docs)
        .bind(ANALYSER_VERSION)
        .execute(pool)
        .await?;
    }
    Ok(())
}

/// Analyses, with `resolver`, the statements without a current cached analysis, in memory
/// only (a read-only run caches nothing); returns what a cache would store.
pub(crate) fn analyse_uncached(
    resolver: &Resolver,
    list: &mut [Active],
) -> Vec<(i64, serde_json::Value)> {
    let mut out = Vec::new();
    for a in list.iter_mut().filter(|a| a.cached.is_none()) {
        let analysis = analyse::analyse(resolver, &a.query);
        if let Ok(doc) = serde_json::to_value(&analysis) {
            out.push((a.queryid, doc));
        }
        a.cached = Some(analysis);
    }
    out
}

/// The top `top` statements by total time since `since` (all collected history when None).
pub async fn workload(
    pool: &PgPool,
    top: usize,
    since: Option<DateTime<Utc>>,
) -> Result<WorkloadReport> {
    require_initialised(pool).await?;
    let (mut list, from, to) = active(pool, since).await?;
    if list.is_empty() && since.is_none() {
        list = before_any_interval(pool).await?;
    }
    let analyses = analyse_all(pool, &mut list).await?;
    let count = |k: StatementKind| analyses.iter().filter(|a| a.kind == k).count();
    Ok(WorkloadReport {
        from,
        to,
        total_statements: list.len(),
        unparsable: count(StatementKind::Unparsable),
        utility: count(StatementKind::Utility),
        statements: list
            .into_iter()
            .zip(analyses)
            .take(top)
            .map(|(a, analysis)| StatementUsage {
                mean_exec_ms: if a.calls > 0 {
                    a.total / a.calls as f64
                } else {
                    0.0
                },
                queryid: a.queryid,
                query: a.query,
                calls: a.calls,
                total_exec_ms: a.total,
                rows: a.rows,
                shared_blks_read: a.read,
                analysis,
            })
            .collect(),
    })
}

/// Calls and time per field and role since `since`, plus host-application rows.
pub async fn field_usage(pool: &PgPool, since: Option<DateTime<Utc>>) -> Result<FieldUsageReport> {
    require_initialised(pool).await?;
    let (mut list, from, to) = active(pool, since).await?;
    if list.is_empty() && since.is_none() {
        list = before_any_interval(pool).await?;
    }
    let analyses = analyse_all(pool, &mut list).await?;
    type Key = (Option<String>, String, String, Role, Option<String>);
    let mut acc: BTreeMap<Key, (usize, i64, f64)> = BTreeMap::new();
    for (a, analysis) in list.iter().zip(&analyses) {
        // A statement that uses a field twice in the same role counts once for it.
        let mut seen = std::collections::BTreeSet::new();
        for c in &analysis.columns {
            let key = (
                c.schema.clone(),
                c.table.clone(),
                c.column.clone(),
                c.role,
                c.expression.clone(),
            );
            if seen.insert(key.clone()) {
                let e = acc.entry(key).or_insert((0, 0, 0.0));
                e.0 += 1;
                e.1 += a.calls;
                e.2 += a.total;
            }
        }
    }
    let mut fields: Vec<FieldUsage> = acc
        .into_iter()
        .map(
            |((schema, table, column, role, expression), (statements, calls, total))| FieldUsage {
                schema,
                table,
                column,
                role,
                expression,
                statements,
                calls,
                total_exec_ms: total,
            },
        )
        .collect();
    fields.sort_by(|a, b| {
        b.total_exec_ms
            .total_cmp(&a.total_exec_ms)
            .then_with(|| a.table.cmp(&b.table))
    });
    let host: Vec<HostUsage> = sqlx::query_as(
        "SELECT /* indexpilot */ tenant_id, schema_name, table_name, field_name, query_type, count(*)::int8 AS calls,
                sum(duration_ms) AS total_ms
         FROM indexpilot.query_stats
         WHERE source = 'host' AND ($1::timestamptz IS NULL OR recorded_at > $1)
         GROUP BY 1, 2, 3, 4, 5
         ORDER BY total_ms DESC, 3, 4",
    )
    .bind(since)
    .fetch_all(pool)
    .await?;
    Ok(FieldUsageReport {
        from,
        to,
        fields,
        host,
    })
}
