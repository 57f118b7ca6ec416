//! The `what-if` stage: real planner costs with hypothetical indexes (HypoPG).
//!
//! Everything runs on one dedicated connection, inside a READ ONLY transaction that is
//! rolled back, with a statement timeout per plan. Hypothetical indexes live in the
//! backend's memory, not in the transaction, so the session resets them at the start and
//! the end and the connection is closed afterwards: nothing outlives the run.
//!
//! Statements are planned as generic plans (`PREPARE` + `plan_cache_mode =
//! force_generic_plan` + `EXPLAIN EXECUTE` with NULL arguments), so a statement with `$n`
//! placeholders is costed for any value, as a prepared statement runs it.
//!
//! HypoPG can crash the backend (and with it the whole server) when a statement reaches a
//! table through a view while a partial hypothetical index exists on that table (HypoPG
//! issue #116). Such statements are never planned while a partial hypothetical index exists.

use super::index_def::IndexDef;
use crate::error::{Error, Result};
use sqlx::{Connection, Executor, PgConnection, PgPool, Row};

/// A hypothetical index that exists in the session.
#[derive(Debug, Clone, Copy)]
pub struct Hypo {
    pub oid: i64,
    pub size_bytes: i64,
    pub partial: bool,
}

/// A planned statement: its total cost and the indexes the plan uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub cost: f64,
    pub indexes: Vec<String>,
}

pub struct WhatIf {
    conn: PgConnection,
    counter: u64,
    partials: usize,
    pub plans: u64,
}

/// Per-plan limit: a statement the planner needs longer for is left uncosted.
const PLAN_TIMEOUT: &str = "10s";

impl WhatIf {
    /// Whether HypoPG is installed in this database (the advisor never installs it).
    pub async fn available(pool: &PgPool) -> Result<bool> {
        Ok(
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'hypopg')")
                .fetch_one(pool)
                .await?,
        )
    }

    pub async fn open(pool: &PgPool) -> Result<Self> {
        let mut conn = pool.acquire().await?.detach();
        // Errors here leave a fresh connection that is simply dropped.
        let setup = format!(
            "BEGIN READ ONLY;
             SET LOCAL statement_timeout = '{PLAN_TIMEOUT}';
             SET LOCAL lock_timeout = '1s';
             SET LOCAL plan_cache_mode = force_generic_plan;
             SELECT hypopg_reset();"
        );
        conn.execute(sqlx::raw_sql(&setup)).await?;
        Ok(WhatIf {
            conn,
            counter: 0,
            partials: 0,
            plans: 0,
        })
    }

    pub async fn create(&mut self, def: &IndexDef) -> Result<Hypo> {
        self.create_statement(&def.hypothetical_sql(), def.predicate.is_some())
            .await
    }

    /// A hypothetical index from a `CREATE INDEX` statement as a person wrote it.
    pub async fn create_statement(&mut self, sql: &str, partial: bool) -> Result<Hypo> {
        let row = sqlx::query(
            "SELECT h.indexrelid::int8, hypopg_relation_size(h.indexrelid)::int8
             FROM hypopg_create_index($1) h",
        )
        .bind(sql)
        .fetch_one(&mut self.conn)
        .await?;
        if partial {
            self.partials += 1;
        }
        Ok(Hypo {
            oid: row.get(0),
            size_bytes: row.get(1),
            partial,
        })
    }

    pub async fn drop_hypo(&mut self, h: Hypo) -> Result<()> {
        sqlx::query("SELECT hypopg_drop_index($1::oid)")
            .bind(h.oid)
            .execute(&mut self.conn)
            .await?;
        if h.partial {
            self.partials -= 1;
        }
        Ok(())
    }

    /// The generic plan of one statement with the hypothetical indexes that exist now.
    /// `None` when the text cannot be planned (untyped parameters, a timeout, an object
    /// that is gone) or would be unsafe to plan (see the module comment).
    pub async fn plan(&mut self, sql: &str, through_view: bool) -> Result<Option<Plan>> {
        if through_view && self.partials > 0 {
            return Ok(None);
        }
        let params = parameter_count(sql);
        self.counter += 1;
        self.plans += 1;
        let name = format!("indexpilot_whatif_{}", self.counter);
        let args = if params == 0 {
            String::new()
        } else {
            format!("({})", vec!["NULL"; params].join(", "))
        };
        // The text goes on its own lines so that a trailing `--` comment ends there.
        // The savepoint goes first, on its own: a text that does not even parse fails the
        // whole message before any of it runs.
        self.conn.execute(sqlx::raw_sql("SAVEPOINT whatif")).await?;
        let script = format!(
            "PREPARE {name} AS\n{sql}\n;\nEXPLAIN (FORMAT JSON) EXECUTE {name}{args};\nDEALLOCATE {name};\nRELEASE SAVEPOINT whatif;"
        );
        let result = self.conn.fetch_all(sqlx::raw_sql(&script)).await;
        match result {
            Ok(rows) => {
                let Some(row) = rows.first() else {
                    return Ok(None);
                };
                let doc: serde_json::Value = row.try_get(0)?;
                Ok(parse_plan_value(&doc))
            }
            Err(sqlx::Error::Database(db)) => {
                tracing::debug!(error = %db, "what-if plan failed");
                self.conn
                    .execute(sqlx::raw_sql("ROLLBACK TO SAVEPOINT whatif; RELEASE SAVEPOINT whatif;"))
                    .await?;
                // PREPARE is not undone by the rollback.
                let exists: bool = sqlx::query_scalar(
                    "SELECT EXISTS (SELECT 1 FROM pg_prepared_statements WHERE name = $1)",
                )
                .bind(&name)
                .fetch_one(&mut self.conn)
                .await?;
                if exists {
                    self.conn
                        .execute(sqlx::raw_sql(&format!("DEALLOCATE {name}")))
                        .await?;
                }
                Ok(None)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Ends the session: the transaction is rolled back, the hypothetical indexes reset
    /// and the connection closed.
    pub async fn close(mut self) -> Result<()> {
        self.conn
            .execute(sqlx::raw_sql("ROLLBACK; SELECT hypopg_reset();"))
            .await?;
        self.conn.close().await.map_err(Error::from)
    }
}

/// How many parameters a statement text has: the highest `$n` outside literals and
/// comments (PREPARE numbers them so).
pub fn parameter_count(sql: &str) -> usize {
    let Ok(tokens) = pg_query::scan_tokens(sql) else {
        return 0;
    };
    tokens
        .iter()
        .filter(|t| t.token == pg_query::protobuf::Token::Param as i32)
        .filter_map(|t| {
            let start = usize::try_from(t.start).ok()?;
            let end = usize::try_from(t.end).ok()?;
            sql.get(start..end)?.trim_start_matches('$').parse::<usize>().ok()
        })
        .max()
        .unwrap_or(0)
}

/// Total cost and index names from `EXPLAIN (FORMAT JSON)`.
pub fn parse_plan(text: &str) -> Option<Plan> {
    parse_plan_value(&serde_json::from_str(text).ok()?)
}

fn parse_plan_value(v: &serde_json::Value) -> Option<Plan> {
    let plan = v.get(0)?.get("Plan")?;
    let cost = plan.get("Total Cost")?.as_f64()?;
    let mut indexes = Vec::new();
    collect_indexes(plan, &mut indexes);
    Some(Plan { cost, indexes })
}

fn collect_indexes(node: &serde_json::Value, out: &mut Vec<String>) {
    if let Some(name) = node.get("Index Name").and_then(|n| n.as_str()) {
        out.push(name.to_string());
    }
    if let Some(children) = node.get("Plans").and_then(|p| p.as_array()) {
        for c in children {
            collect_indexes(c, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_counted_outside_literals_and_comments() {
        assert_eq!(parameter_count("SELECT 1"), 0);
        assert_eq!(
            parameter_count("SELECT '$9' FROM t WHERE a = $1 AND b = $3 -- $7\n"),
            3
        );
        assert_eq!(parameter_count("SELECT $$ $5 $$, $2"), 2);
    }

    #[test]
    fn plans_give_cost_and_indexes() {
        let text = r#"[{"Plan": {"Node Type": "Limit", "Total Cost": 12.5, "Plans": [
            {"Node Type": "Index Scan", "Index Name": "<1>btree_t_a", "Total Cost": 12.0}]}}]"#;
        assert_eq!(
            parse_plan(text),
            Some(Plan {
                cost: 12.5,
                indexes: vec!["<1>btree_t_a".into()]
            })
        );
        assert_eq!(parse_plan("not json"), None);
    }
}
