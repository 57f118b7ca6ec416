//! Versioned, forward-only migrations of the `indexpilot` schema, embedded in the binary.
//! Applying them is idempotent: a second run finds nothing pending and changes nothing.

use crate::connect::transaction::{self, Mode};
use crate::error::{Error, Result};
use serde::Serialize;
use sqlx::{Executor, PgPool, Row};

struct Migration {
    version: i32,
    name: &'static str,
    sql: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "metadata",
        sql: include_str!("../migrations/0001_metadata.sql"),
    },
    Migration {
        version: 2,
        name: "collector",
        sql: include_str!("../migrations/0002_collector.sql"),
    },
    Migration {
        version: 3,
        name: "statement_samples",
        sql: include_str!("../migrations/0003_statement_samples.sql"),
    },
    Migration {
        version: 4,
        name: "changes",
        sql: include_str!("../migrations/0004_changes.sql"),
    },
    Migration {
        version: 5,
        name: "sample_executions",
        sql: include_str!("../migrations/0005_sample_executions.sql"),
    },
    Migration {
        version: 6,
        name: "log_append_only",
        sql: include_str!("../migrations/0006_log_append_only.sql"),
    },
    Migration {
        version: 7,
        name: "explain",
        sql: include_str!("../migrations/0007_explain.sql"),
    },
    Migration {
        version: 8,
        name: "generic_plan",
        sql: include_str!("../migrations/0008_generic_plan.sql"),
    },
];

pub const SCHEMA: &str = "indexpilot";

#[derive(Debug, Clone, Serialize)]
pub struct MigrateReport {
    pub created_schema: bool,
    pub applied: Vec<i32>,
    pub version: i32,
}

pub fn latest_version() -> i32 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// Brings the metadata schema to the latest version, in one transaction, serialised with
/// other IndexPilot instances by an advisory lock.
pub async fn migrate(pool: &PgPool) -> Result<MigrateReport> {
    let mut tx = transaction::begin(pool, Mode::Write).await?;
    sqlx::query("SELECT /* indexpilot */ pg_advisory_xact_lock(hashtext('indexpilot.migrate'))")
        .execute(&mut *tx)
        .await?;

    // Check before creating: CREATE ... IF NOT EXISTS still demands privileges a later,
    // less privileged run may not hold, and "changes nothing" must mean no DDL at all.
    let created_schema = !namespace_exists(&mut tx).await?;
    if created_schema {
        sqlx::query("CREATE /* indexpilot */ SCHEMA indexpilot")
            .execute(&mut *tx)
            .await?;
    }
    if !schema_exists(&mut tx).await? {
        sqlx::query(
            "CREATE TABLE indexpilot.schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(),
                applied_by text NOT NULL DEFAULT current_user)",
        )
        .execute(&mut *tx)
        .await?;
    }

    let applied: Vec<(i32, String)> =
        sqlx::query("SELECT /* indexpilot */ version, checksum FROM indexpilot.schema_migrations ORDER BY version")
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
    if let Some(&(found, _)) = applied.iter().find(|(v, _)| *v > latest_version()) {
        return Err(Error::MetadataTooNew {
            found,
            known: latest_version(),
        });
    }

    let mut report = MigrateReport {
        created_schema,
        applied: Vec::new(),
        version: 0,
    };
    for m in MIGRATIONS {
        let sum = checksum(m.sql);
        if let Some((_, done)) = applied.iter().find(|(v, _)| *v == m.version) {
            if *done != sum {
                return Err(Error::MigrationChanged { version: m.version });
            }
            continue;
        }
        // Through the connection, not RawSql::execute: the latter's future is not provably
        // Send on a multi-threaded runtime.
        (&mut *tx).execute(sqlx::raw_sql(m.sql)).await?;
        sqlx::query("INSERT INTO indexpilot.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)")
            .bind(m.version)
            .bind(m.name)
            .bind(&sum)
            .execute(&mut *tx)
            .await?;
        report.applied.push(m.version);
    }
    tx.commit().await?;
    report.version = latest_version();
    Ok(report)
}

/// The version the database is at; 0 when IndexPilot was never initialised there.
pub async fn current_version(pool: &PgPool) -> Result<i32> {
    let mut conn = pool.acquire().await?;
    if !schema_exists(&mut conn).await? {
        return Ok(0);
    }
    let v: Option<i32> = sqlx::query_scalar(
        "SELECT /* indexpilot */ max(version) FROM indexpilot.schema_migrations",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(v.unwrap_or(0))
}

/// Fails with a "run indexpilot init" error unless the metadata schema is current.
pub async fn require_initialised(pool: &PgPool) -> Result<()> {
    let version = current_version(pool).await?;
    if version == latest_version() {
        return Ok(());
    }
    if version > latest_version() {
        return Err(Error::MetadataTooNew {
            found: version,
            known: latest_version(),
        });
    }
    let database: String = sqlx::query_scalar("SELECT /* indexpilot */ current_database()")
        .fetch_one(pool)
        .await?;
    Err(Error::NotInitialised { database })
}

async fn namespace_exists(conn: &mut sqlx::PgConnection) -> Result<bool> {
    Ok(sqlx::query_scalar(
        "SELECT /* indexpilot */ EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'indexpilot')",
    )
    .fetch_one(conn)
    .await?)
}

/// The schema counts as IndexPilot's once its migrations table exists.
async fn schema_exists(conn: &mut sqlx::PgConnection) -> Result<bool> {
    Ok(sqlx::query_scalar(
        "SELECT /* indexpilot */ EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE n.nspname = 'indexpilot' AND c.relname = 'schema_migrations')",
    )
    .fetch_one(conn)
    .await?)
}

/// FNV-1a, 64 bit: stable across builds and platforms, enough to notice an edited migration.
fn checksum(sql: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in sql.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_increasing_and_checksums_stable() {
        let versions: Vec<i32> = MIGRATIONS.iter().map(|m| m.version).collect();
        let mut sorted = versions.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(versions, sorted);
        assert_eq!(checksum("abc"), checksum("abc"));
        assert_ne!(checksum("abc"), checksum("abd"));
    }
}
