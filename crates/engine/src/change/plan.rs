//! What a change will run, and the checks right before it runs: the maintenance window, the
//! size limit, and that the proposal still holds (its table and columns exist, no equivalent
//! index appeared, the index to drop is still there and enforces no constraint).

use super::model::{Change, ChangeKind};
use super::partitions;
use super::policy::ApplyPolicy;
use super::window::{server_now, Window};
use crate::advisor::IndexDef;
use crate::error::{Error, Result};
use crate::ident::{quote_ident, quote_qualified};
use sqlx::PgPool;

/// One DDL statement and the index it makes or removes.
#[derive(Debug, Clone)]
pub struct Plan {
    /// What runs; for a partitioned table, the steps in order (see `partitioned`).
    pub sql: String,
    pub schema: String,
    pub index: String,
    /// The statement builds an index (else it drops one).
    pub builds: bool,
    /// On a partitioned table: the definition built partition by partition (see
    /// [`super::partitions`]), or dropped from the table and every partition at once.
    pub partitioned: Option<IndexDef>,
}

impl Plan {
    pub fn qualified(&self) -> String {
        quote_qualified(&self.schema, &self.index)
    }

    pub fn drop_sql(schema: &str, index: &str) -> String {
        format!(
            "DROP INDEX CONCURRENTLY IF EXISTS {};",
            quote_qualified(schema, index)
        )
    }

    /// Drops `schema.index` if it is there (a rollback, or a failed build's leftover).
    pub fn drop(schema: &str, index: &str) -> Self {
        Plan {
            sql: Self::drop_sql(schema, index),
            schema: schema.to_string(),
            index: index.to_string(),
            builds: false,
            partitioned: None,
        }
    }

    /// Drops a partitioned table's index with its partitions' in one statement: PostgreSQL
    /// cannot do that concurrently, so it takes a short ACCESS EXCLUSIVE lock on the table
    /// and every partition, under the policy's lock_timeout (see `apply::rollback`).
    pub fn drop_partitioned(schema: &str, index: &str, def: IndexDef) -> Self {
        Plan {
            sql: format!("DROP INDEX IF EXISTS {};", quote_qualified(schema, index)),
            schema: schema.to_string(),
            index: index.to_string(),
            builds: false,
            partitioned: Some(def),
        }
    }
}

/// A change whose stored text is not what was proposed and approved: it never runs.
fn altered(change: &Change, why: &str) -> Error {
    Error::InvalidInput(format!(
        "change {} was altered after it was proposed ({why}): it will not run; propose it again with `indexpilot advise`",
        change.id
    ))
}

/// Checks with the parser that `sql` is exactly one `CREATE [UNIQUE] INDEX CONCURRENTLY`
/// named `index` on a table of `schema` (and `table`, when given): the only statement a
/// build may run, whatever text a log row holds.
pub fn one_index_statement(
    sql: &str,
    schema: &str,
    table: Option<&str>,
    index: &str,
) -> std::result::Result<(), String> {
    use pg_query::NodeEnum;
    let parsed = pg_query::parse(sql, 0).map_err(|e| format!("it does not parse: {e}"))?;
    let [one] = parsed.protobuf.stmts.as_slice() else {
        return Err("it is not exactly one statement".into());
    };
    let Some(NodeEnum::IndexStmt(stmt)) = one.stmt.as_ref().and_then(|s| s.node.as_ref()) else {
        return Err("it is not a CREATE INDEX statement".into());
    };
    let relation = stmt.relation.as_ref();
    let on_table =
        relation.is_some_and(|r| r.schemaname == schema && table.is_none_or(|t| r.relname == t));
    if !stmt.concurrent {
        return Err("it does not build CONCURRENTLY".into());
    }
    if stmt.idxname != index || !on_table {
        return Err(format!(
            "it does not create {} on the change's table",
            quote_qualified(schema, index)
        ));
    }
    Ok(())
}

fn stale(change: &Change, why: String) -> Error {
    Error::InvalidInput(format!(
        "change {} no longer holds: {why}; run `indexpilot advise` again",
        change.id
    ))
}

/// Refuses to start outside every maintenance window.
pub async fn check_window(pool: &PgPool, policy: &ApplyPolicy) -> Result<()> {
    if policy.maintenance_windows.is_empty() {
        return Ok(());
    }
    let (day, minute, zone) = server_now(pool).await?;
    let inside = policy
        .maintenance_windows
        .iter()
        .filter_map(|w| Window::parse(w).ok())
        .any(|w| w.contains(day, minute));
    if inside {
        Ok(())
    } else {
        Err(Error::InvalidInput(format!(
            "outside the maintenance windows ({}, server time zone {zone}, now {:02}:{:02}): wait for one, or change them with `indexpilot policy set maintenance_windows`",
            policy.maintenance_windows.join("; "),
            minute / 60,
            minute % 60
        )))
    }
}

/// The plan to apply `change`, after checking that it still holds.
pub async fn for_apply(pool: &PgPool, change: &Change, policy: &ApplyPolicy) -> Result<Plan> {
    match change.kind {
        ChangeKind::Create => create_plan(pool, change, policy).await,
        ChangeKind::Drop => drop_plan(pool, change).await,
    }
}

async fn create_plan(pool: &PgPool, change: &Change, policy: &ApplyPolicy) -> Result<Plan> {
    let size = change.proposal["estimated_size_bytes"]
        .as_i64()
        .unwrap_or(0);
    if let Some(max) = policy.max_index_bytes {
        if size > max {
            return Err(Error::InvalidInput(format!(
                "change {} would build an index of about {} MB, over the policy's max_index_size ({} MB): raise it with `indexpilot policy set max_index_size`",
                change.id,
                size >> 20,
                max >> 20
            )));
        }
    }
    let table = quote_qualified(&change.schema, &change.table);
    let oid: Option<i64> = sqlx::query_scalar("SELECT /* indexpilot */ to_regclass($1)::oid::int8")
        .bind(&table)
        .fetch_one(pool)
        .await?;
    let Some(oid) = oid else {
        return Err(stale(change, format!("table {table} no longer exists")));
    };
    may_own(pool, oid, &table, "create indexes on").await?;
    // What runs is built from the typed definition that was proposed and approved, never
    // taken from the stored text, which must agree with it.
    let def: IndexDef = serde_json::from_value(change.proposal["definition"].clone())
        .map_err(|_| altered(change, "its index definition is missing or unreadable"))?;
    if def.schema != change.schema || def.table != change.table {
        return Err(altered(change, "its definition is for another table"));
    }
    let partitioned = partitions::is_partitioned(pool, &change.schema, &change.table).await?;
    let ddl = def.create_ddl(&change.index_name, partitioned);
    if ddl != change.ddl {
        return Err(altered(
            change,
            "its statement differs from its index definition",
        ));
    }
    // A partitioned table's statement never runs as such: its steps are made from the
    // definition, and each partition's build is checked as it runs.
    if !partitioned {
        one_index_statement(
            &ddl,
            &change.schema,
            Some(&change.table),
            &change.index_name,
        )
        .map_err(|why| {
            altered(
                change,
                &format!("its statement is not one index build: {why}"),
            )
        })?;
    }
    let columns: Vec<String> = sqlx::query_scalar(
        "SELECT /* indexpilot */ attname::text FROM pg_attribute
         WHERE attrelid = $1::oid AND attnum > 0 AND NOT attisdropped",
    )
    .bind(oid)
    .fetch_all(pool)
    .await?;
    if let Some(missing) = def
        .key_and_include_columns()
        .into_iter()
        .find(|c| !columns.iter().any(|x| x == c))
    {
        return Err(stale(
            change,
            format!(
                "column {} of {table} no longer exists",
                quote_ident(missing)
            ),
        ));
    }
    if let Some(existing) = equivalent(pool, oid, &def).await? {
        return Err(stale(
            change,
            format!("{existing} is an equivalent index on {table}"),
        ));
    }
    let taken: Option<String> = sqlx::query_scalar("SELECT /* indexpilot */ to_regclass($1)::text")
        .bind(quote_qualified(&change.schema, &change.index_name))
        .fetch_one(pool)
        .await?;
    // A partitioned build that stopped part-way left the table's index invalid, with the
    // partitions built so far: applying again resumes it.
    let resumes = partitioned
        && taken.is_some()
        && super::versions::index_state(pool, &change.schema, &change.index_name).await?
            == super::versions::IndexState::Invalid
        && is_built_from(pool, &change.schema, &change.index_name, &def).await?;
    if taken.is_some() && !resumes {
        return Err(stale(
            change,
            format!(
                "the name {} is already taken",
                quote_qualified(&change.schema, &change.index_name)
            ),
        ));
    }
    if partitioned {
        let nodes =
            partitions::tree(pool, &change.schema, &change.table, &change.index_name).await?;
        return Ok(Plan {
            sql: partitions::script(&def, &change.index_name, &nodes),
            schema: change.schema.clone(),
            index: change.index_name.clone(),
            builds: true,
            partitioned: Some(def),
        });
    }
    Ok(Plan {
        sql: ddl,
        schema: change.schema.clone(),
        index: change.index_name.clone(),
        builds: true,
        partitioned: None,
    })
}

async fn drop_plan(pool: &PgPool, change: &Change) -> Result<Plan> {
    let index = quote_qualified(&change.schema, &change.index_name);
    let row: Option<(i64, bool)> = sqlx::query_as(
        "SELECT /* indexpilot */ c.oid::int8, EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)
         FROM pg_class c WHERE c.oid = to_regclass($1)",
    )
    .bind(&index)
    .fetch_optional(pool)
    .await?;
    match row {
        None => Err(stale(change, format!("index {index} no longer exists"))),
        Some((_, true)) => Err(stale(
            change,
            format!("index {index} enforces a constraint: drop the constraint instead"),
        )),
        Some((oid, false)) => {
            may_own(pool, oid, &index, "drop").await?;
            Ok(Plan {
                sql: format!("DROP INDEX CONCURRENTLY {index};"),
                schema: change.schema.clone(),
                index: change.index_name.clone(),
                builds: false,
                partitioned: None,
            })
        }
    }
}

/// Only the owner of a table (or a member of its owner role) may build or drop its indexes:
/// say so before anything starts, rather than as a failed build.
async fn may_own(pool: &PgPool, oid: i64, name: &str, what: &str) -> Result<()> {
    let (ok, me, owner): (bool, String, String) = sqlx::query_as(
        "SELECT /* indexpilot */ pg_has_role(current_user, c.relowner, 'USAGE'), current_user::text,
                pg_get_userbyid(c.relowner)::text
         FROM pg_class c WHERE c.oid = $1::oid",
    )
    .bind(oid)
    .fetch_one(pool)
    .await?;
    if ok {
        Ok(())
    } else {
        Err(Error::PermissionDenied(crate::PgError {
            sqlstate: "42501".into(),
            message: format!("role {me} may not {what} {name}: only its owner {owner} may"),
            detail: None,
            hint: Some(format!("connect as {owner}, or GRANT {owner} TO {me}")),
        }))
    }
}

/// An index on the table with the same method, keys, included columns and predicate.
/// (name, method, key parts, included columns, predicate) of an index, as printed.
type Shape = (String, String, Vec<String>, Vec<String>, Option<String>);

const SHAPES: &str = "SELECT /* indexpilot */ c.relname::text, am.amname::text,
        ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true)
              FROM generate_series(1, i.indnkeyatts) k ORDER BY k),
        ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true)
              FROM generate_series(i.indnkeyatts + 1, i.indnatts) k ORDER BY k),
        pg_get_expr(i.indpred, i.indrelid, true)
 FROM pg_index i
 JOIN pg_class c ON c.oid = i.indexrelid
 JOIN pg_am am ON am.oid = c.relam";

/// Whether an index's printed shape is `def`'s (method, keys, INCLUDE, predicate).
fn same_shape((_, method, keys, include, predicate): &Shape, def: &IndexDef) -> bool {
    let mut want_include: Vec<String> = def.include.iter().map(|c| norm(c)).collect();
    want_include.sort();
    let mut include: Vec<String> = include.iter().map(|c| norm(c)).collect();
    include.sort();
    method == def.method.as_str()
        && keys.iter().map(|x| norm(x)).collect::<Vec<_>>()
            == def.keys.iter().map(|k| norm(&k.sql())).collect::<Vec<_>>()
        && include == want_include
        && predicate.as_deref().map(norm) == def.predicate.as_deref().map(norm)
}

async fn equivalent(pool: &PgPool, table_oid: i64, def: &IndexDef) -> Result<Option<String>> {
    let rows: Vec<Shape> = sqlx::query_as(&format!(
        "{SHAPES} WHERE i.indrelid = $1::oid AND i.indisvalid"
    ))
    .bind(table_oid)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .find(|shape| same_shape(shape, def))
        .map(|(name, ..)| name))
}

/// Whether the index at `schema.index` (valid or not) has `def`'s shape: the one a change
/// with this definition builds, not another that took its name.
pub async fn is_built_from(
    pool: &PgPool,
    schema: &str,
    index: &str,
    def: &IndexDef,
) -> Result<bool> {
    let shape: Option<Shape> =
        sqlx::query_as(&format!("{SHAPES} WHERE i.indexrelid = to_regclass($1)"))
            .bind(quote_qualified(schema, index))
            .fetch_optional(pool)
            .await?;
    Ok(shape.is_some_and(|s| same_shape(&s, def)))
}

/// Text of a key or predicate with what PostgreSQL adds or drops when it prints one taken
/// out: quotes, parentheses, spaces, casts of literals, case.
fn norm(s: &str) -> String {
    let mut t = s.to_ascii_lowercase();
    for cast in [
        "::text",
        "::character varying",
        "::integer",
        "::bigint",
        "::numeric",
    ] {
        t = t.replace(cast, "");
    }
    t.chars()
        .filter(|c| !matches!(c, '"' | '(' | ')' | ' ' | '\n' | '\t'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{norm, one_index_statement};

    #[test]
    fn printed_definitions_normalise_alike() {
        assert_eq!(
            norm("(status = 'failed'::text)"),
            norm("\"status\" = 'failed'")
        );
        assert_eq!(norm("lower(email)"), norm("(lower(\"email\"))"));
        assert_ne!(norm("a"), norm("b"));
    }

    #[test]
    fn only_one_concurrent_build_of_the_named_index_passes() {
        let ok = "CREATE INDEX CONCURRENTLY \"t_a_idx\" ON \"app\".\"t\" USING btree (\"a\");";
        assert_eq!(one_index_statement(ok, "app", Some("t"), "t_a_idx"), Ok(()));
        assert!(one_index_statement(ok, "app", None, "t_a_idx").is_ok());
        for (bad, why) in [
            (
                "CREATE INDEX CONCURRENTLY t_a_idx ON app.t (a); DROP TABLE app.t;",
                "exactly one",
            ),
            (
                "CREATE INDEX CONCURRENTLY t_a_idx ON app.t ((a)); DROP TABLE app.t; --)",
                "exactly one",
            ),
            ("DROP TABLE app.t", "not a CREATE INDEX"),
            ("CREATE INDEX t_a_idx ON app.t (a)", "CONCURRENTLY"),
            (
                "CREATE INDEX CONCURRENTLY other ON app.t (a)",
                "does not create",
            ),
            (
                "CREATE INDEX CONCURRENTLY t_a_idx ON app.u (a)",
                "does not create",
            ),
        ] {
            let e = one_index_statement(bad, "app", Some("t"), "t_a_idx").unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }
}
