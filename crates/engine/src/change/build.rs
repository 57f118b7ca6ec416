//! Running one index DDL (`CREATE`/`DROP INDEX CONCURRENTLY`) the careful way: alone on a
//! connection of its own (never in a transaction block), with the policy's timeouts, holding
//! a build slot (a session advisory lock, so a crashed build frees it), reporting
//! `pg_stat_progress_create_index` and cancellable.
//!
//! Two kinds of wait, two limits. Taking the table's lock must not take long: a build
//! queued behind an `ALTER TABLE` would hold up everything queued behind it, so after the
//! policy's `lock_timeout` the build is cancelled. Once it holds that lock, PostgreSQL makes
//! a concurrent build wait for the table's writers and then for every transaction older
//! than its snapshot, anywhere in the database: a DBA's report or a long transaction is
//! normal there, so those waits get `build_wait_timeout` (the session's `lock_timeout`,
//! which PostgreSQL applies to each of them), and the progress names the transactions
//! waited for.

use super::policy::ApplyPolicy;
use crate::error::{Error, PgError, Result};
use crate::workload::collect::OWN_TAG;
use crate::Progress;
use sqlx::{Connection, Executor, PgConnection, PgPool};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// First key of the build slots' advisory locks ("IPB1"); the second is the slot number.
const BUILD_LOCK: i32 = 0x4950_4231;
const POLL: Duration = Duration::from_millis(250);

/// A build session: its connection, backend pid and the slot it holds.
pub struct Session {
    conn: PgConnection,
    pub pid: i32,
    pub slot: i32,
    /// How long the DDL may wait for its table's lock (the policy's `lock_timeout`).
    table_lock: Duration,
}

/// Opens a session for change `change_id` and takes a free build slot, or says who holds
/// them all.
pub async fn open(pool: &PgPool, policy: &ApplyPolicy, change_id: i64) -> Result<Session> {
    let mut conn = pool.acquire().await?.detach();
    // The name tells a DBA looking at pg_stat_activity what this backend is doing.
    // Each SET carries the tag too: pg_stat_statements records utility statements.
    let setup = format!(
        "SET application_name = 'indexpilot build {change_id}' {OWN_TAG};
         SET lock_timeout = {} {OWN_TAG};
         SET statement_timeout = {} {OWN_TAG};
         SET idle_in_transaction_session_timeout = 0 {OWN_TAG};",
        policy.build_wait_timeout_ms, policy.statement_timeout_ms
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
    Ok(Session {
        conn,
        pid,
        slot,
        table_lock: Duration::from_millis(policy.lock_timeout_ms),
    })
}

/// The approved statement as it is sent: its text unchanged, with IndexPilot's tag inside it
/// (before the final semicolon, where pg_stat_statements keeps comments), so the build is
/// recorded as IndexPilot's and never counted as the application's workload.
fn tagged(sql: &str) -> String {
    let body = sql.trim_end();
    let body = body.strip_suffix(';').unwrap_or(body).trim_end();
    format!("{body} {OWN_TAG}")
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
        let table_lock = self.table_lock;
        let sent = tagged(sql);
        let exec = self.conn.execute(sqlx::query(&sent).persistent(false));
        tokio::pin!(exec);
        let mut cancelled = false;
        // Since when the DDL has waited for a relation's lock, and which relation.
        let mut relation_wait: Option<(Instant, String)> = None;
        let mut gave_up: Option<String> = None;
        let cancel_backend = || async {
            let _ = sqlx::query("SELECT /* indexpilot */ pg_cancel_backend($1)")
                .bind(pid)
                .execute(pool)
                .await;
        };
        let result = loop {
            tokio::select! {
                r = &mut exec => break r,
                () = tokio::time::sleep(POLL) => {
                    if cancel.load(Ordering::SeqCst) && !cancelled {
                        cancelled = true;
                        cancel_backend().await;
                    }
                    let wait = waiting(pool, pid).await;
                    match &wait {
                        Some(Wait::Relation(name)) => {
                            let (since, _) = relation_wait.get_or_insert_with(|| (Instant::now(), name.clone()));
                            if since.elapsed() >= table_lock && !cancelled {
                                cancelled = true;
                                gave_up = Some(name.clone());
                                cancel_backend().await;
                            }
                        }
                        _ => relation_wait = None,
                    }
                    let now = poll(pool, pid).await;
                    let (phase, f) = now.clone().unwrap_or_else(|| ("starting".into(), 0.0));
                    match wait {
                        Some(Wait::Transactions(list)) if !list.is_empty() => {
                            progress.step(&format!("{phase}: {}", describe_blockers(&list)), f);
                        }
                        Some(Wait::Relation(name)) => {
                            progress.step(&format!("{phase}: waiting for the lock on {name}"), f);
                        }
                        _ if now.is_some() => progress.step(&phase, f),
                        _ => {}
                    }
                }
            }
        };
        match (result, gave_up) {
            (Ok(_), _) => Ok(()),
            // Cancelled by the table-lock limit: reported as PostgreSQL's own lock timeout.
            (Err(_), Some(relation)) => Err(Error::Postgres(PgError {
                sqlstate: "55P03".into(),
                message: format!(
                    "canceling statement due to lock timeout: the lock on {relation} was not granted within {} ms (the policy's lock_timeout)",
                    table_lock.as_millis()
                ),
                detail: None,
                hint: None,
            })),
            (Err(e), None) => Err(Error::from(e)),
        }
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

/// What a DDL's backend is waiting for.
enum Wait {
    /// A relation's lock (its table's, or an index's for a drop).
    Relation(String),
    /// Other transactions to end (writers, or transactions older than its snapshot).
    Transactions(Vec<Blocker>),
}

/// A backend a build waits for, as a DBA would look it up.
struct Blocker {
    pid: i32,
    application: String,
    state: String,
    /// Age of its transaction, in seconds.
    open_s: i64,
}

/// The lock `pid` waits for now, if any, and who holds it up.
async fn waiting(pool: &PgPool, pid: i32) -> Option<Wait> {
    let (locktype, relation): (String, Option<String>) = sqlx::query_as(
        "SELECT /* indexpilot */ locktype, relation::regclass::text FROM pg_locks
         WHERE pid = $1 AND NOT granted LIMIT 1",
    )
    .bind(pid)
    .fetch_optional(pool)
    .await
    .ok()??;
    if locktype == "relation" {
        return Some(Wait::Relation(relation.unwrap_or_default()));
    }
    let blockers: Vec<(i32, String, String, i64)> = sqlx::query_as(
        "SELECT /* indexpilot */ a.pid, coalesce(a.application_name, ''), coalesce(a.state, ''),
                coalesce(extract(epoch FROM now() - a.xact_start)::int8, 0)
         FROM pg_stat_activity a WHERE a.pid = ANY (pg_blocking_pids($1))
         ORDER BY a.xact_start NULLS LAST, a.pid",
    )
    .bind(pid)
    .fetch_all(pool)
    .await
    .ok()?;
    Some(Wait::Transactions(
        blockers
            .into_iter()
            .map(|(pid, application, state, open_s)| Blocker {
                pid,
                application,
                state,
                open_s,
            })
            .collect(),
    ))
}

/// `waiting for 2 transactions: pid 4711 (psql, idle in transaction, open 25 s), …`
fn describe_blockers(list: &[Blocker]) -> String {
    let shown: Vec<String> = list
        .iter()
        .take(3)
        .map(|b| {
            let app = if b.application.is_empty() {
                "no application_name"
            } else {
                &b.application
            };
            format!("pid {} ({app}, {}, open {} s)", b.pid, b.state, b.open_s)
        })
        .collect();
    let more = list.len().saturating_sub(shown.len());
    format!(
        "waiting for {} transaction{} to end: {}{}",
        list.len(),
        if list.len() == 1 { "" } else { "s" },
        shown.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    )
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

#[cfg(test)]
mod tests {
    use super::tagged;

    #[test]
    fn the_tag_goes_inside_the_statement() {
        assert_eq!(
            tagged("CREATE INDEX CONCURRENTLY \"a_b_idx\" ON \"app\".\"a\" (\"b\");\n"),
            "CREATE INDEX CONCURRENTLY \"a_b_idx\" ON \"app\".\"a\" (\"b\") /* indexpilot */"
        );
        assert_eq!(tagged("DROP INDEX x"), "DROP INDEX x /* indexpilot */");
    }
}
