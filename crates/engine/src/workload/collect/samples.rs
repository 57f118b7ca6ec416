//! Statement samples from `pg_stat_activity`: the text a backend is running, with its
//! constants, for statements pg_stat_statements knows only in normalised form. One sample
//! per query id is kept (the first complete one), with what later executions showed: how
//! many had the same text, and the first text that differed (so the advisor can tell the
//! code's literals from per-call values; see migration 5). PostgreSQL 14+ (which exposes
//! the query id of running statements); a cheap read of one view, safe to run several
//! times a second, and it writes a statement's row a few times at most.
//!
//! A text is business data and may carry a credential: only single queries and DML, the
//! statements an index can serve, are kept (never `ALTER ROLE … PASSWORD '…'` or any other
//! utility statement), and only for the policy's `sample_retention` (see `prune_samples`).

use super::source::is_own;
use crate::error::Result;
use crate::workload::analyse::is_single_query;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use std::collections::HashSet;

/// Executions with the sample's very text after which its literals count as the code's.
pub const AGREEING_EXECUTIONS: i32 = 2;

/// Records samples of the statements running now; returns how many rows it wrote (new
/// samples, and executions counted against them).
pub async fn sample_activity(pool: &PgPool) -> Result<u64> {
    let mut conn = pool.acquire().await?;
    // The server sends its version when the connection starts: no round trip per sample
    // (this runs several times a second).
    let version = match conn.server_version_num() {
        Some(v) => i64::from(v),
        None => i64::from(crate::probe::server_version_num(&mut *conn).await?),
    };
    if version < 140_000 {
        return Ok(0);
    }
    let rows: Vec<(i64, String, Option<DateTime<Utc>>)> = sqlx::query_as(
        "SELECT /* indexpilot */ a.query_id, a.query, a.query_start FROM pg_stat_activity a
         WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
           AND a.backend_type = 'client backend' AND a.query_id IS NOT NULL AND a.query_id <> 0
           AND a.state IN ('active', 'idle in transaction', 'idle')
           -- A text cut at track_activity_query_size would not parse.
           AND octet_length(a.query) < pg_size_bytes(current_setting('track_activity_query_size')) - 1",
    )
    .fetch_all(&mut *conn)
    .await?;
    // One row per query id: an upsert may not touch a row twice.
    let mut seen = HashSet::new();
    let rows: Vec<_> = rows
        .into_iter()
        .filter(|(id, q, _)| !is_own(q) && is_single_query(q) && seen.insert(*id))
        .collect();
    if rows.is_empty() {
        return Ok(0);
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let texts: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
    let starts: Vec<Option<DateTime<Utc>>> = rows.iter().map(|r| r.2).collect();
    // An idle backend shows its last statement until the next: counted once, by its start.
    // Once a text differed, or enough agreed, the row is settled and never written again.
    let done = sqlx::query(
        "INSERT INTO indexpilot.statement_samples AS s (queryid, sample, query_start)
         SELECT q, t, st FROM unnest($1::int8[], $2::text[], $3::timestamptz[]) AS x(q, t, st)
         ON CONFLICT (queryid) DO UPDATE SET
             executions = s.executions + (excluded.sample = s.sample)::int,
             differing = CASE WHEN excluded.sample <> s.sample THEN excluded.sample END,
             query_start = excluded.query_start
         WHERE s.differing IS NULL AND s.executions < $4
           AND excluded.query_start IS DISTINCT FROM s.query_start",
    )
    .bind(&ids)
    .bind(&texts)
    .bind(&starts)
    .bind(AGREEING_EXECUTIONS)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// Deletes the samples taken more than `days` ago (a later sampling takes a fresh one);
/// returns how many.
pub async fn prune_samples(pool: &PgPool, days: u32) -> Result<u64> {
    let done = sqlx::query(
        "DELETE /* indexpilot */ FROM indexpilot.statement_samples
         WHERE sampled_at < now() - make_interval(days => $1)",
    )
    .bind(i32::try_from(days).unwrap_or(i32::MAX))
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}
