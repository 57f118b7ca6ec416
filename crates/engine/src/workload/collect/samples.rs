//! Statement samples from `pg_stat_activity`: the text a backend is running, with its
//! constants, for statements pg_stat_statements knows only in normalised form. One sample
//! per query id is kept (the first complete one). PostgreSQL 14+ (which exposes the query
//! id of running statements); a cheap read of one view, safe to run several times a second.

use super::source::is_own;
use crate::error::Result;
use sqlx::PgPool;

/// Records samples of the statements running now; returns how many were new.
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
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT /* indexpilot */ a.query_id, a.query FROM pg_stat_activity a
         WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
           AND a.backend_type = 'client backend' AND a.query_id IS NOT NULL AND a.query_id <> 0
           AND a.state IN ('active', 'idle in transaction', 'idle')
           -- A text cut at track_activity_query_size would not parse.
           AND octet_length(a.query) < pg_size_bytes(current_setting('track_activity_query_size')) - 1",
    )
    .fetch_all(&mut *conn)
    .await?;
    let (ids, texts): (Vec<i64>, Vec<String>) =
        rows.into_iter().filter(|(_, q)| !is_own(q)).unzip();
    if ids.is_empty() {
        return Ok(0);
    }
    let done = sqlx::query(
        "INSERT INTO indexpilot.statement_samples (queryid, sample)
         SELECT q, t FROM unnest($1::int8[], $2::text[]) AS x(q, t)
         ON CONFLICT (queryid) DO NOTHING",
    )
    .bind(&ids)
    .bind(&texts)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}
