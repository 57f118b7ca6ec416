//! Reading pg_stat_statements, with SQL chosen from the server version: PostgreSQL 13 has no
//! `toplevel` column and no `pg_stat_statements_info`; both exist from 14 on.

use super::delta::Counters;
use crate::error::{pg_error, Error, Result};
use sqlx::PgConnection;

/// Marks IndexPilot's own statements, so that the collector can leave them out of the
/// workload it reports. It goes inside the statement (`SELECT /* indexpilot */ ...`):
/// pg_stat_statements keeps comments within a statement, not those before it.
pub const OWN_TAG: &str = "/* indexpilot */";

pub struct Entry {
    pub counters: Counters,
    /// None when this role may not see the text (no pg_read_all_stats).
    pub query: Option<String>,
}

/// IndexPilot's own statements: tagged, on its schema (named bare, or quoted as PostgreSQL
/// writes it in the foreign-key checks it runs itself when IndexPilot writes its tables), its
/// savepoints (named `indexpilot_*`), or the advisor's what-if session (its prepared
/// statements are named `indexpilot_whatif_*`, and it is the one calling HypoPG; a PREPARE
/// would otherwise count as a second copy of the statement it plans).
pub fn is_own(query: &str) -> bool {
    query.contains(OWN_TAG)
        || query.contains("indexpilot.")
        || query.contains("\"indexpilot\".")
        || query.contains("indexpilot_whatif")
        || query.contains("SAVEPOINT indexpilot_")
        || query.contains("hypopg_")
        || query == HYPOPG_OID_LOOKUP
}

/// HypoPG runs this itself (nested, under `hypopg_create_index`) to pick an oid for each
/// hypothetical index; with `pg_stat_statements.track = all` it is recorded as a statement.
const HYPOPG_OID_LOOKUP: &str = "SELECT max(oid) FROM pg_catalog.pg_class WHERE oid < $1";

fn statements_sql(version_num: i32) -> String {
    let toplevel = if version_num >= 140_000 {
        "s.toplevel"
    } else {
        "true"
    };
    format!(
        "SELECT {OWN_TAG} s.queryid, s.userid::int8, {toplevel} AS toplevel, s.calls,
                s.total_exec_time, s.rows, s.shared_blks_hit, s.shared_blks_read, s.query
         FROM pg_stat_statements(true) s
         WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
    )
}

/// All entries of the current database. Entries of other roles whose text this role may not
/// read come back with `query = None` (and, on some versions, no queryid: those are counted
/// as hidden by the caller).
pub async fn read(conn: &mut PgConnection, version_num: i32) -> Result<(Vec<Entry>, usize)> {
    type Row = (
        Option<i64>,
        i64,
        bool,
        i64,
        f64,
        i64,
        i64,
        i64,
        Option<String>,
    );
    let rows: Vec<Row> = sqlx::query_as(&statements_sql(version_num))
        .fetch_all(&mut *conn)
        .await
        .map_err(unavailable)?;
    let mut hidden = 0;
    let mut entries = Vec::with_capacity(rows.len());
    for (queryid, userid, toplevel, calls, total, rows, hit, read, query) in rows {
        let query = query.filter(|q| q != "<insufficient privilege>");
        let Some(queryid) = queryid else {
            hidden += 1;
            continue;
        };
        if query.is_none() {
            hidden += 1;
        }
        entries.push(Entry {
            counters: Counters {
                queryid,
                userid,
                toplevel,
                calls,
                total_exec_ms: total,
                rows,
                shared_blks_hit: hit,
                shared_blks_read: read,
            },
            query,
        });
    }
    Ok((entries, hidden))
}

/// `(stats_reset, dealloc)` from pg_stat_statements_info, on PostgreSQL 14 and newer.
pub async fn info(
    conn: &mut PgConnection,
    version_num: i32,
) -> Result<(Option<chrono::DateTime<chrono::Utc>>, Option<i64>)> {
    if version_num < 140_000 {
        return Ok((None, None));
    }
    let row: (Option<chrono::DateTime<chrono::Utc>>, i64) = sqlx::query_as(&format!(
        "SELECT {OWN_TAG} stats_reset, dealloc FROM pg_stat_statements_info"
    ))
    .fetch_one(conn)
    .await
    .map_err(unavailable)?;
    Ok((row.0, Some(row.1)))
}

/// Checks that the extension exists in this database before anything else is read.
pub async fn require_extension(conn: &mut PgConnection) -> Result<()> {
    let installed: bool = sqlx::query_scalar(&format!(
        "SELECT {OWN_TAG} EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements')"
    ))
    .fetch_one(conn)
    .await?;
    if installed {
        Ok(())
    } else {
        Err(Error::WorkloadSourceMissing(
            "pg_stat_statements is not installed in this database".to_string(),
        ))
    }
}

/// "must be loaded via shared_preload_libraries" (55000) and friends become one clear error.
fn unavailable(err: sqlx::Error) -> Error {
    if let sqlx::Error::Database(db) = &err {
        let pg = pg_error(db.as_ref());
        if pg.sqlstate == "55000" || pg.message.contains("shared_preload_libraries") {
            return Error::WorkloadSourceMissing(
                "pg_stat_statements is installed but not loaded (it is missing from shared_preload_libraries)".to_string(),
            );
        }
    }
    err.into()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_what_if_session_is_own() {
        assert!(super::is_own(
            "PREPARE indexpilot_whatif_3 AS\nSELECT * FROM t WHERE a = $1"
        ));
        assert!(super::is_own("SELECT hypopg_reset()"));
        assert!(super::is_own("SELECT /* indexpilot */ 1"));
        assert!(super::is_own("ROLLBACK TO SAVEPOINT indexpilot_probe"));
        assert!(super::is_own(
            "SET LOCAL plan_cache_mode = force_custom_plan /* indexpilot */"
        ));
        assert!(!super::is_own("SELECT * FROM orders WHERE customer = $1"));
    }
}
