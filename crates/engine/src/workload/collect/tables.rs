//! Per-interval table activity from pg_stat_user_tables: scans, writes and HOT updates.
//! Statistics are read once per transaction, so the delta and the new snapshot agree.

use crate::error::Result;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

const CURRENT: &str =
    "SELECT /* indexpilot */ relid, schemaname::text AS schema_name, relname::text AS table_name,
        COALESCE(seq_scan, 0) AS seq_scan, COALESCE(idx_scan, 0) AS idx_scan,
        n_tup_ins, n_tup_upd, n_tup_del, n_tup_hot_upd
    FROM pg_stat_user_tables WHERE schemaname <> 'indexpilot'";

/// Records deltas since `since` (none on the first collection) and replaces the snapshot.
/// A counter that went down (statistics reset) counts from zero.
pub(super) async fn collect(
    conn: &mut PgConnection,
    since: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<usize> {
    let mut recorded = 0;
    if let Some(start) = since {
        let sql = format!(
            "INSERT INTO indexpilot.table_stats (schema_name, table_name, interval_start, interval_end,
                 seq_scan, idx_scan, n_tup_ins, n_tup_upd, n_tup_del, n_tup_hot_upd)
             SELECT c.schema_name, c.table_name, $1, $2, d.seq, d.idx, d.ins, d.upd, d.del, d.hot
             FROM ({CURRENT}) c
             JOIN indexpilot.table_stats_snapshot p ON p.relid = c.relid
             CROSS JOIN LATERAL (SELECT
                 CASE WHEN c.seq_scan < p.seq_scan THEN c.seq_scan ELSE c.seq_scan - p.seq_scan END AS seq,
                 CASE WHEN c.idx_scan < p.idx_scan THEN c.idx_scan ELSE c.idx_scan - p.idx_scan END AS idx,
                 CASE WHEN c.n_tup_ins < p.n_tup_ins THEN c.n_tup_ins ELSE c.n_tup_ins - p.n_tup_ins END AS ins,
                 CASE WHEN c.n_tup_upd < p.n_tup_upd THEN c.n_tup_upd ELSE c.n_tup_upd - p.n_tup_upd END AS upd,
                 CASE WHEN c.n_tup_del < p.n_tup_del THEN c.n_tup_del ELSE c.n_tup_del - p.n_tup_del END AS del,
                 CASE WHEN c.n_tup_hot_upd < p.n_tup_hot_upd THEN c.n_tup_hot_upd
                      ELSE c.n_tup_hot_upd - p.n_tup_hot_upd END AS hot) d
             WHERE d.seq + d.idx + d.ins + d.upd + d.del > 0"
        );
        let done = sqlx::query(&sql)
            .bind(start)
            .bind(now)
            .execute(&mut *conn)
            .await?;
        recorded = usize::try_from(done.rows_affected()).unwrap_or(usize::MAX);
    }
    sqlx::query("DELETE FROM indexpilot.table_stats_snapshot")
        .execute(&mut *conn)
        .await?;
    sqlx::query(&format!(
        "INSERT INTO indexpilot.table_stats_snapshot
             (relid, schema_name, table_name, seq_scan, idx_scan, n_tup_ins, n_tup_upd, n_tup_del, n_tup_hot_upd)
         {CURRENT}"
    ))
    .execute(conn)
    .await?;
    Ok(recorded)
}
