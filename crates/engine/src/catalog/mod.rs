//! Schema discovery: a handful of bulk `pg_catalog` reads (never one query per table), run
//! concurrently inside one exported snapshot so that they agree with each other, in
//! read-only transactions.
//!
//! PostgreSQL's `pg_get_indexdef` takes a share lock on the index's table, so a DBA's
//! `ALTER TABLE` (or any ACCESS EXCLUSIVE lock) in progress stops the read at the session's
//! lock_timeout. That is normal on a production database: discovery then waits, saying
//! which sessions it waits for, and reads again, without queueing behind the lock between
//! attempts (see `wait`).

mod columns;
mod constraints;
mod enums;
mod indexes;
mod relations;
mod wait;

pub use columns::Column;
pub use constraints::{Constraint, ConstraintKind, ForeignRef};
pub use enums::EnumType;
pub use indexes::Index;
pub use relations::RelationKind;

use crate::error::{Error, Result};
use serde::Serialize;
use sqlx::postgres::PgRow;
use sqlx::{FromRow, PgConnection, PgPool};
use std::collections::HashMap;

#[derive(Debug, Clone, Serialize)]
pub struct Relation {
    pub oid: i64,
    pub schema: String,
    pub name: String,
    pub kind: RelationKind,
    /// `(schema, table)` of the partitioned parent, for partitions.
    pub parent: Option<(String, String)>,
    /// How a partitioned table is split, as PostgreSQL prints it (`RANGE (at)`).
    pub partition_key: Option<String>,
    /// A partition's bound (`FOR VALUES FROM (…) TO (…)`, `DEFAULT`).
    pub partition_bound: Option<String>,
    /// `pg_class.reltuples`; `None` when the table was never analysed.
    pub row_estimate: Option<f64>,
    pub table_bytes: i64,
    pub total_bytes: i64,
    pub comment: Option<String>,
    pub columns: Vec<Column>,
    pub constraints: Vec<Constraint>,
    pub indexes: Vec<Index>,
}

impl Relation {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn primary_key(&self) -> Option<&Constraint> {
        self.constraints
            .iter()
            .find(|c| c.kind == ConstraintKind::PrimaryKey)
    }
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Catalog {
    pub relations: Vec<Relation>,
    pub enums: Vec<EnumType>,
}

impl Catalog {
    pub fn relation(&self, schema: &str, name: &str) -> Option<&Relation> {
        self.relations
            .iter()
            .find(|r| r.schema == schema && r.name == name)
    }

    /// The leaf partitions under a partitioned table, at every level, by name (none for a
    /// table that is not partitioned). A sub-partitioned partition is a partition with
    /// partitions of its own: the catalog marks every partition `Partition`.
    pub fn leaf_partitions(&self, schema: &str, name: &str) -> Vec<&Relation> {
        let children = |s: &str, n: &str| -> Vec<&Relation> {
            self.relations
                .iter()
                .filter(|r| r.parent.as_ref().is_some_and(|(ps, pn)| ps == s && pn == n))
                .collect()
        };
        let mut out = Vec::new();
        let mut pending = children(schema, name);
        while let Some(r) = pending.pop() {
            let below = children(&r.schema, &r.name);
            if below.is_empty() {
                out.push(r);
            } else {
                pending.extend(below);
            }
        }
        out.sort_by(|a, b| (&a.schema, &a.name).cmp(&(&b.schema, &b.name)));
        out
    }

    pub fn field_count(&self) -> usize {
        self.relations.iter().map(|r| r.columns.len()).sum()
    }

    pub fn index_count(&self) -> usize {
        self.relations.iter().map(|r| r.indexes.len()).sum()
    }
}

const READ_ONLY_SNAPSHOT: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY /* indexpilot */";

/// Reads the whole user catalog of the connected database, waiting for the locks of other
/// sessions (see the module comment).
pub async fn discover(pool: &PgPool) -> Result<Catalog> {
    discover_reporting(pool, &crate::Silent, 0.0).await
}

/// [`discover`], saying each wait for another session's lock as a step of `progress` too
/// (what the desktop app shows while it runs), at `done` of the caller's work.
pub async fn discover_reporting(
    pool: &PgPool,
    progress: &dyn crate::Progress,
    done: f64,
) -> Result<Catalog> {
    let started = std::time::Instant::now();
    loop {
        match read(pool).await {
            Err(e) if e.sqlstate() == Some("55P03") && started.elapsed() < wait::LIMIT => {
                let holders = wait::holders(pool).await.unwrap_or_default();
                progress.step(&format!("waiting for {holders}"), done);
                tracing::warn!(
                    "reading the catalog waits for {holders} ({} s so far): reading again in {} s",
                    started.elapsed().as_secs(),
                    wait::PAUSE.as_secs()
                );
                tokio::time::sleep(wait::PAUSE).await;
            }
            Err(e) if e.sqlstate() == Some("55P03") => {
                let holders = wait::holders(pool).await.unwrap_or_default();
                return Err(Error::Postgres(crate::error::PgError {
                    sqlstate: "55P03".into(),
                    message: format!(
                        "reading the catalog waited {} minutes for {holders}",
                        wait::LIMIT.as_secs() / 60
                    ),
                    detail: None,
                    hint: None,
                }));
            }
            other => return other,
        }
    }
}

/// One read of the catalog; its transactions end either way.
async fn read(pool: &PgPool) -> Result<Catalog> {
    let mut lead = pool.acquire().await?;
    sqlx::query(READ_ONLY_SNAPSHOT).execute(&mut *lead).await?;
    let result = if pool.options().get_max_connections() >= 4 {
        async {
            let snapshot: String =
                sqlx::query_scalar("SELECT /* indexpilot */ pg_export_snapshot()")
                    .fetch_one(&mut *lead)
                    .await?;
            // All four run to their end, so that each ends its own transaction.
            let (rels, cols, cons, idx) = tokio::join!(
                fetch(&mut lead, relations::SQL),
                fetch_in_snapshot(pool, &snapshot, columns::SQL),
                fetch_in_snapshot(pool, &snapshot, constraints::SQL),
                fetch_in_snapshot(pool, &snapshot, indexes::SQL),
            );
            let (rels, cols, cons, idx) = (rels?, cols?, cons?, idx?);
            let enums = fetch(&mut lead, enums::SQL).await?;
            assemble(rels, cols, cons, idx, enums)
        }
        .await
    } else {
        async {
            let rels = fetch(&mut lead, relations::SQL).await?;
            let cols = fetch(&mut lead, columns::SQL).await?;
            let cons = fetch(&mut lead, constraints::SQL).await?;
            let idx = fetch(&mut lead, indexes::SQL).await?;
            let enums = fetch(&mut lead, enums::SQL).await?;
            assemble(rels, cols, cons, idx, enums)
        }
        .await
    };
    end(&mut lead, result.is_ok()).await?;
    result
}

/// Ends a read's transaction: a failed read leaves it aborted, and it is rolled back here,
/// not handed back to the pool.
async fn end(conn: &mut PgConnection, ok: bool) -> Result<()> {
    let end = if ok {
        "COMMIT /* indexpilot */"
    } else {
        "ROLLBACK /* indexpilot */"
    };
    sqlx::query(end).execute(conn).await?;
    Ok(())
}

async fn fetch(conn: &mut PgConnection, sql: &str) -> Result<Vec<PgRow>> {
    Ok(sqlx::query(sql).fetch_all(conn).await?)
}

async fn fetch_in_snapshot(pool: &PgPool, snapshot: &str, sql: &str) -> Result<Vec<PgRow>> {
    let mut conn = pool.acquire().await?;
    sqlx::query(READ_ONLY_SNAPSHOT).execute(&mut *conn).await?;
    let rows = async {
        // The snapshot id comes from the server; it is bound into SET as a literal because
        // SET takes no parameters.
        sqlx::query(&format!(
            "SET TRANSACTION SNAPSHOT '{}' /* indexpilot */",
            snapshot.replace('\'', "''")
        ))
        .execute(&mut *conn)
        .await?;
        fetch(&mut conn, sql).await
    }
    .await;
    end(&mut conn, rows.is_ok()).await?;
    rows
}

fn decode<T: for<'r> FromRow<'r, PgRow>>(rows: Vec<PgRow>) -> Result<Vec<T>> {
    rows.iter()
        .map(|r| T::from_row(r).map_err(Into::into))
        .collect()
}

fn assemble(
    rels: Vec<PgRow>,
    cols: Vec<PgRow>,
    cons: Vec<PgRow>,
    idx: Vec<PgRow>,
    enums: Vec<PgRow>,
) -> Result<Catalog> {
    let rels: Vec<relations::Row> = decode(rels)?;
    let mut by_oid: HashMap<i64, usize> = HashMap::with_capacity(rels.len());
    let mut relations: Vec<Relation> = Vec::with_capacity(rels.len());
    for r in rels {
        by_oid.insert(r.oid, relations.len());
        relations.push(Relation {
            oid: r.oid,
            kind: r.kind(),
            parent: r.parent_schema.zip(r.parent_name),
            partition_key: r.partition_key,
            partition_bound: r.partition_bound,
            schema: r.schema_name,
            name: r.name,
            row_estimate: r.row_estimate,
            table_bytes: r.table_bytes,
            total_bytes: r.total_bytes,
            comment: r.comment,
            columns: Vec::new(),
            constraints: Vec::new(),
            indexes: Vec::new(),
        });
    }
    // Rows for relations outside the first query's result (e.g. an extension's own tables)
    // are skipped rather than guessed at.
    for c in decode::<Column>(cols)? {
        if let Some(&i) = by_oid.get(&c.table_oid) {
            relations[i].columns.push(c);
        }
    }
    for c in decode::<constraints::Row>(cons)? {
        if let Some(&i) = by_oid.get(&c.table_oid) {
            relations[i].constraints.push(c.into());
        }
    }
    for x in decode::<indexes::Row>(idx)? {
        if let Some(&i) = by_oid.get(&x.table_oid) {
            relations[i].indexes.push(x.into());
        }
    }
    Ok(Catalog {
        relations,
        enums: decode(enums)?,
    })
}
