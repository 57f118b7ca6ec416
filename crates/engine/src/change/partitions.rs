//! Building an index on a partitioned table without blocking its writers. PostgreSQL
//! refuses `CREATE INDEX CONCURRENTLY` on a partitioned table, and a plain `CREATE INDEX`
//! there blocks writes to every partition for the whole build. So the table's own index is
//! created `ON ONLY` the table (invalid, instant: it reads no rows), each leaf partition's
//! index is built `CONCURRENTLY` and attached, and PostgreSQL marks the table's index valid
//! when the last partition's is attached. Sub-partitions get an `ON ONLY` index of their
//! own, attached to their parent's.
//!
//! Every step is idempotent, so a build that failed, was cancelled or crashed part-way
//! resumes where it stopped: partitions whose index is attached are kept, an invalid
//! leftover of an interrupted concurrent build is dropped and built again. Partitions
//! created while the table's index exists get theirs from PostgreSQL.

use super::build::Session;
use super::plan::one_index_statement;
use crate::advisor::IndexDef;
use crate::error::{Error, PgError, Result};
use crate::ident::quote_qualified;
use crate::Progress;
use sqlx::PgPool;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Whether `schema.table` is a partitioned table.
pub async fn is_partitioned(pool: &PgPool, schema: &str, table: &str) -> Result<bool> {
    Ok(sqlx::query_scalar(
        "SELECT /* indexpilot */ EXISTS (SELECT 1 FROM pg_class WHERE oid = to_regclass($1) AND relkind = 'p')",
    )
    .bind(quote_qualified(schema, table))
    .fetch_one(pool)
    .await?)
}

/// A partition under the table, and where its index goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub schema: String,
    pub table: String,
    /// Its index's name (in its schema).
    pub index: String,
    /// The index it is attached to: its parent's.
    pub parent_index: (String, String),
    /// A partition with rows (else itself partitioned: an `ON ONLY` index).
    pub leaf: bool,
}

/// The name of a partition's index: the partition's name and the table index's, cut to
/// PostgreSQL's 63 bytes with a digest of the whole so that two long names stay apart.
pub fn partition_index_name(partition: &str, index: &str) -> String {
    let full = format!("{partition}_{index}");
    if full.len() <= 63 {
        return full;
    }
    // FNV-1a: stable across runs and versions (the name must be found again on resume).
    let digest = full.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let mut cut = 63 - 9;
    while !full.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}_{:08x}", &full[..cut], digest & 0xffff_ffff)
}

/// The partitions under `schema.table`, parents before their partitions, each with the
/// index it gets for the table's index `index`.
pub async fn tree(pool: &PgPool, schema: &str, table: &str, index: &str) -> Result<Vec<Node>> {
    let rows: Vec<(String, String, bool, String, String)> = sqlx::query_as(
        "SELECT /* indexpilot */ n.nspname::text, c.relname::text, c.relkind <> 'p',
                pn.nspname::text, pc.relname::text
         FROM pg_partition_tree(to_regclass($1)) t
         JOIN pg_class c ON c.oid = t.relid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_class pc ON pc.oid = t.parentrelid
         JOIN pg_namespace pn ON pn.oid = pc.relnamespace
         WHERE t.level > 0
         ORDER BY t.level, n.nspname, c.relname",
    )
    .bind(quote_qualified(schema, table))
    .fetch_all(pool)
    .await?;
    let mut out: Vec<Node> = Vec::with_capacity(rows.len());
    for (s, t, leaf, ps, pt) in rows {
        let parent_index = if (ps.as_str(), pt.as_str()) == (schema, table) {
            (schema.to_string(), index.to_string())
        } else {
            let parent = out
                .iter()
                .find(|n| n.schema == ps && n.table == pt)
                .ok_or_else(|| Error::Local(format!("partition {s}.{t} came before its parent")))?;
            (parent.schema.clone(), parent.index.clone())
        };
        out.push(Node {
            index: partition_index_name(&t, index),
            schema: s,
            table: t,
            parent_index,
            leaf,
        });
    }
    Ok(out)
}

/// What a partition's index is now.
#[derive(Debug, PartialEq, Eq)]
enum Built {
    /// An index of the partition is attached to the parent's index: done.
    Attached,
    /// Its index exists under our name, valid: to attach.
    Valid,
    /// Under our name, invalid: an interrupted concurrent build, to drop and build again.
    Invalid,
    Missing,
}

async fn built(pool: &PgPool, node: &Node) -> Result<Built> {
    let (attached, ours): (bool, Option<bool>) = sqlx::query_as(
        "SELECT /* indexpilot */
                EXISTS (SELECT 1 FROM pg_inherits h JOIN pg_index i ON i.indexrelid = h.inhrelid
                        WHERE h.inhparent = to_regclass($1) AND i.indrelid = to_regclass($2)),
                (SELECT i.indisvalid FROM pg_index i
                 WHERE i.indexrelid = to_regclass($3) AND i.indrelid = to_regclass($2))",
    )
    .bind(quote_qualified(&node.parent_index.0, &node.parent_index.1))
    .bind(quote_qualified(&node.schema, &node.table))
    .bind(quote_qualified(&node.schema, &node.index))
    .fetch_one(pool)
    .await?;
    Ok(match (attached, ours) {
        (true, _) => Built::Attached,
        (false, Some(true)) => Built::Valid,
        (false, Some(false)) => Built::Invalid,
        (false, None) => Built::Missing,
    })
}

/// The statements the build runs, in order, for the log and the confirmation: the table's
/// index, then per partition its build and its attachment.
pub fn script(def: &IndexDef, index: &str, nodes: &[Node]) -> String {
    let mut out = vec![format!("{};", def.create_on_only_ddl(index))];
    for n in nodes {
        out.push(if n.leaf {
            def.create_on_partition_ddl(&n.index, &n.schema, &n.table)
        } else {
            format!("{};", on_only_partition(def, n))
        });
        out.push(format!("{};", attach(n)));
    }
    out.join("\n")
}

fn on_only_partition(def: &IndexDef, n: &Node) -> String {
    let mut on = def.clone();
    on.schema.clone_from(&n.schema);
    on.table.clone_from(&n.table);
    on.create_on_only_ddl(&n.index)
}

fn attach(n: &Node) -> String {
    format!(
        "ALTER INDEX {} ATTACH PARTITION {}",
        quote_qualified(&n.parent_index.0, &n.parent_index.1),
        quote_qualified(&n.schema, &n.index)
    )
}

fn cancelled() -> Error {
    Error::Postgres(PgError {
        sqlstate: "57014".into(),
        message: "canceling statement due to user request (between partitions)".into(),
        detail: None,
        hint: None,
    })
}

/// Progress of one partition's build, as a share of the whole.
struct Part<'a> {
    whole: &'a dyn Progress,
    at: usize,
    of: usize,
    name: &'a str,
}

impl Progress for Part<'_> {
    fn step(&self, step: &str, fraction: f64) {
        self.whole.step(
            &format!(
                "partition {}/{} {}: {step}",
                self.at + 1,
                self.of,
                self.name
            ),
            (self.at as f64 + fraction.clamp(0.0, 1.0)) / self.of.max(1) as f64,
        );
    }
}

/// Builds `def` as `schema.index` on the partitioned table, partition by partition, on the
/// build session. Stops at the first failure with what was built kept (see the module).
pub async fn build(
    session: &mut Session,
    pool: &PgPool,
    def: &IndexDef,
    index: &str,
    progress: &dyn Progress,
    cancel: &Arc<AtomicBool>,
) -> Result<()> {
    session
        .run(pool, &def.create_on_only_ddl(index), progress, cancel)
        .await?;
    let nodes = tree(pool, &def.schema, &def.table, index).await?;
    let leaves = nodes.iter().filter(|n| n.leaf).count();
    let mut at = 0;
    for n in &nodes {
        if cancel.load(Ordering::SeqCst) {
            return Err(cancelled());
        }
        let name = quote_qualified(&n.schema, &n.table);
        let part = Part {
            whole: progress,
            at,
            of: leaves,
            name: &name,
        };
        if n.leaf {
            at += 1;
        }
        let state = built(pool, n).await?;
        if state == Built::Attached {
            part.step("built before", 1.0);
            continue;
        }
        part.step("building", 0.0);
        if !n.leaf {
            session
                .run(pool, &on_only_partition(def, n), &part, cancel)
                .await?;
        } else if state != Built::Valid {
            if state == Built::Invalid {
                let drop = format!(
                    "DROP INDEX CONCURRENTLY IF EXISTS {}",
                    quote_qualified(&n.schema, &n.index)
                );
                session.run(pool, &drop, &part, cancel).await?;
            }
            let ddl = def.create_on_partition_ddl(&n.index, &n.schema, &n.table);
            // Built from the typed definition; checked all the same, as every build is.
            one_index_statement(&ddl, &n.schema, Some(&n.table), &n.index)
                .map_err(|why| Error::Local(format!("partition build {ddl}: {why}")))?;
            session.run(pool, &ddl, &part, cancel).await?;
        }
        session.run(pool, &attach(n), &part, cancel).await?;
        part.step("attached", 1.0);
    }
    Ok(())
}

/// The index's size: a partitioned index has none of its own, its partitions' summed.
pub const SIZE_SQL: &str = "coalesce((SELECT sum(pg_relation_size(t.relid))::int8
                                      FROM pg_partition_tree(i.indexrelid) t WHERE t.isleaf),
                                     pg_relation_size(i.indexrelid))";

#[cfg(test)]
mod tests {
    use super::partition_index_name;

    #[test]
    fn partition_index_names_fit_and_stay_apart() {
        assert_eq!(
            partition_index_name("events_2026_01", "events_tenant_id_idx"),
            "events_2026_01_events_tenant_id_idx"
        );
        let long = "a".repeat(40);
        let a = partition_index_name(&format!("{long}_2026_01"), &format!("{long}_idx"));
        let b = partition_index_name(&format!("{long}_2026_02"), &format!("{long}_idx"));
        assert!(a.len() <= 63 && b.len() <= 63);
        assert_ne!(a, b);
        assert_eq!(
            a,
            partition_index_name(&format!("{long}_2026_01"), &format!("{long}_idx"))
        );
        // Multi-byte characters are never cut in half.
        let c = partition_index_name(&"é".repeat(40), "idx");
        assert!(c.len() <= 63);
    }
}
