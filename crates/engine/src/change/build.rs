//! Running one index DDL (`CREATE`/`DROP INDEX CONCURRENTLY`) the careful way: alone on a
//! connection of its own (never in a transaction block), with the policy's lock and statement
//! timeouts, holding a build slot (a session advisory lock, so a crashed build frees it),
//! reporting `pg_stat_progress_create_index` and cancellable.

use super::policy::ApplyPolicy;
use crate::error::{Error, Result};
use crate::Progress;
use sqlx::{Connection, Executor, PgConnection, PgPool};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// First key of the build slots' advisory locks ("IPB1"); the second is the slot number.
const BUILD_LOCK: i32 = 0x4950_4231;
const POLL: Duration = Duration::from_millis(250);

/// A build session: its connection, backend pid and the slot it holds.
pub struct Session {
    conn: PgConnection,
    pub pid: i32,
    pub slot: i32,
}

/// Opens a session for change `change_id` and takes a free build slot, or says who holds
/// them all.
pub async fn open(pool: &PgPool, policy: &ApplyPolicy, change_id: i64) -> Result<Session> {
    let mut conn = pool.acquire().await?.detach();
    // The name tells a DBA looking at pg_stat_activity what this backend is doing.
    let setup = format!(
        "SET application_name = 'indexpilot build {change_id}';
         SET lock_timeout = {};
         SET statement_timeout = {};
         SET idle_in_transaction_session_timeout = 0;",
        policy.lock_timeout_ms, policy.statement_timeout_ms
    );
    conn.execute(sqlx::raw_sql(&setup)).await?;
    let slots = i32::try_from(policy.max_concurrent_builds.max(1)).unwrap_or(1);
    let mut taken = None;
    for slot in 0..slots {
        let got: bool = sqlx::query_scalar("SELECT /* indexpilot */ pg_try_advisory_lock($1, $2)")
            .bind(BUILD_LOCK)
            .bind(slot)
            .fetch_one(&mut conn)
            .await?;
        if got {
            taken = Some(slot);
            break;
        }
    }
    let Some(slot) = taken else {
        let holders: Vec<String> = sqlx::query_scalar(
            "SELECT /* indexpilot */ a.application_name || ' (pid ' || a.pid || ')'
             FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE l.locktype = 'advisory' AND l.classid = $1::int8::oid AND l.objsubid = 2
               AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
             ORDER BY a.pid",
        )
        .bind(i64::from(BUILD_LOCK))
        .fetch_all(&mut conn)
        .await
        .unwrap_or_default();
        let _ = conn.close().await;
        return Err(Error::Busy(format!(
            "{} already running on this database ({}); the policy allows {slots} at a time",
            if slots == 1 {
                "an index build is"
            } else {
                "index builds are"
            },
            if holders.is_empty() {
                "another session".to_string()
            } else {
                holders.join(", ")
            }
        )));
    };
    let pid: i32 = sqlx::query_scalar("SELECT /* indexpilot */ pg_backend_pid()")
        .fetch_one(&mut conn)
        .await?;
    Ok(Session { conn, pid, slot })
}

impl Session {
    /// Runs `sql` (one DDL statement), reporting progress and turning `cancel` into
    /// `pg_cancel_backend` while it runs. A build that fails returns the server's error.
    /// Sent alone in the extended protocol, where the server takes exactly one statement:
    /// a text with a second one is refused before anything runs.
    pub async fn run(
        &mut self,
        pool: &PgPool,
        sql: &str,
        progress: &dyn Progress,
        cancel: &Arc<AtomicBool>,
    ) -> Result<()> {
        let pid = self.pid;
        let exec = self.conn.execute(sqlx::query(sql).persistent(false));
        tokio::pin!(exec);
        let mut cancelled = false;
        let result = loop {
            tokio::select! {
                r = &mut exec => break r,
                () = tokio::time::sleep(POLL) => {
                    if cancel.load(Ordering::SeqCst) && !cancelled {
                        cancelled = true;
                        let _ = sqlx::query("SELECT /* indexpilot */ pg_cancel_backend($1)")
                            .bind(pid)
                            .execute(pool)
                            .await;
                    }
                    if let Some((phase, f)) = poll(pool, pid).await {
                        progress.step(&phase, f);
                    }
                }
            }
        };
        result.map(|_| ()).map_err(Error::from)
    }

    /// Frees the slot and closes the connection; a dead connection has freed it already.
    pub async fn close(mut self) {
        let _ = sqlx::query("SELECT /* indexpilot */ pg_advisory_unlock($1, $2)")
            .bind(BUILD_LOCK)
            .bind(self.slot)
            .execute(&mut self.conn)
            .await;
        let _ = self.conn.close().await;
    }
}

/// The build's phase and share done, while `pg_stat_progress_create_index` shows it.
async fn poll(pool: &PgPool, pid: i32) -> Option<(String, f64)> {
    let row: (String, i64, i64, i64, i64) = sqlx::query_as(
        "SELECT /* indexpilot */ phase, blocks_total, blocks_done, tuples_total, tuples_done
         FROM pg_stat_progress_create_index WHERE pid = $1",
    )
    .bind(pid)
    .fetch_optional(pool)
    .await
    .ok()??;
    let f = fraction(&row.0, (row.1, row.2), (row.3, row.4));
    Some((row.0, f))
}

/// The whole build's share done, from `pg_stat_progress_create_index`'s phase and its
/// block or tuple counts (the phases of CREATE INDEX CONCURRENTLY, in order).
pub fn fraction(phase: &str, blocks: (i64, i64), tuples: (i64, i64)) -> f64 {
    let part = |(total, done): (i64, i64)| {
        if total > 0 {
            (done as f64 / total as f64).clamp(0.0, 1.0)
        } else {
            0.0
        }
    };
    let (from, to, within) = match phase {
        "initializing" => (0.0, 0.0, 0.0),
        "waiting for writers before build" => (0.02, 0.02, 0.0),
        "building index: scanning table" => (0.05, 0.55, part(blocks)),
        "building index: sorting live tuples" => (0.55, 0.6, 0.0),
        "building index: loading tuples in tree" => (0.6, 0.7, part(tuples)),
        "waiting for writers before validation" => (0.7, 0.7, 0.0),
        "index validation: scanning index" => (0.72, 0.8, part(blocks)),
        "index validation: sorting tuples" => (0.8, 0.82, 0.0),
        "index validation: scanning table" => (0.82, 0.95, part(blocks)),
        "waiting for old snapshots" => (0.95, 0.95, 0.0),
        _ => (0.97, 0.97, 0.0),
    };
    from + (to - from) * within
}
