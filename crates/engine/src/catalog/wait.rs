//! Waiting for another session's lock on a table: who holds it, said in one line, and how
//! long discovery waits for it.

use sqlx::PgPool;
use std::time::Duration;

/// Between two attempts nothing is queued behind the other session's lock (a queued
/// request would hold up the sessions that come after it).
pub const PAUSE: Duration = Duration::from_secs(2);

/// A migration's `ALTER TABLE` or a `VACUUM FULL` takes minutes; a lock held longer than
/// this is a session to look at, and the read ends with the error naming it.
pub const LIMIT: Duration = Duration::from_secs(10 * 60);

/// The sessions holding an ACCESS EXCLUSIVE lock on a relation of this database, or
/// queued for one (every later reader queues behind it):
/// `pid 4711 (psql, idle in transaction, open 95 s) on app.events`. Who and in what
/// state, as the build's waits say it, not the statement's text: that is the DBA's.
pub async fn holders(pool: &PgPool) -> sqlx::Result<String> {
    let rows: Vec<(i32, String, String, i64, bool)> = sqlx::query_as(
        "SELECT /* indexpilot */ a.pid, l.relation::regclass::text,
                concat_ws(', ', coalesce(nullif(a.application_name, ''), a.backend_type), a.state),
                coalesce(extract(epoch FROM now() - a.xact_start), 0)::int8, l.granted
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'relation' AND l.mode = 'AccessExclusiveLock'
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND l.pid <> pg_backend_pid()
         ORDER BY l.granted DESC, a.xact_start LIMIT 3",
    )
    .fetch_all(pool)
    .await?;
    Ok(describe(&rows))
}

fn describe(rows: &[(i32, String, String, i64, bool)]) -> String {
    if rows.is_empty() {
        return "another session's lock on a table".to_string();
    }
    rows.iter()
        .map(|(pid, relation, who, secs, granted)| {
            let queued = if *granted { "" } else { ", itself queued" };
            format!("pid {pid} ({who}, open {secs} s{queued}) on {relation}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::describe;

    #[test]
    fn holders_are_named_with_their_application_state_and_age() {
        let row = |pid: i32, who: &str, secs: i64, granted: bool| {
            (
                pid,
                "app.events".to_string(),
                who.to_string(),
                secs,
                granted,
            )
        };
        let rows = [
            row(4711, "psql, idle in transaction", 95, true),
            row(4712, "migrate, active", 3, false),
        ];
        assert_eq!(
            describe(&rows),
            "pid 4711 (psql, idle in transaction, open 95 s) on app.events, \
             pid 4712 (migrate, active, open 3 s, itself queued) on app.events"
        );
        assert_eq!(describe(&[]), "another session's lock on a table");
    }
}
