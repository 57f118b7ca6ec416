//! The `what-if` stage: real planner costs with hypothetical indexes (HypoPG).
//!
//! Everything runs on one dedicated connection, inside a READ ONLY transaction that is
//! rolled back, with a statement timeout per plan. Hypothetical indexes live in the
//! backend's memory, not in the transaction, so the session resets them at the start and
//! the end and the connection is closed afterwards: nothing outlives the run.
//!
//! Statements are prepared and planned with `EXPLAIN EXECUTE`: a custom plan with
//! representative values for their `$n` placeholders (see `params`) when there are values
//! for all of them, else the generic plan (`plan_cache_mode = force_generic_plan`, NULL
//! arguments), which costs the statement for any value. On PostgreSQL 16 and later the
//! generic plan is `EXPLAIN (GENERIC_PLAN)` of the text itself, once its parameter types are
//! known: no PREPARE, EXECUTE and DEALLOCATE for each of the many configurations it is
//! planned under.
//!
//! HypoPG can crash the backend (and with it the whole server) when a statement reaches a
//! table through a view while a partial hypothetical index exists on that table (HypoPG
//! issue #116). Such statements are never planned while a partial hypothetical index exists.

use super::gin::{self, CostSettings, KeptIndex, PartFacts};
use super::index_def::IndexDef;
use super::param_types;
use super::params::{self, Values};
use crate::error::{Error, Result};
use crate::workload::analyse::is_single_query;
use crate::workload::collect::OWN_TAG;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::query::Query;
use sqlx::{Connection, Execute, Executor, PgConnection, PgPool, Postgres, Row};

mod cached;
mod guesses;
use std::collections::{BTreeSet, HashMap, HashSet};

/// A hypothetical index that exists in the session.
#[derive(Debug, Clone, Copy)]
pub struct Hypo {
    pub oid: i64,
    pub size_bytes: i64,
    pub partial: bool,
}

/// Why a statement text has no plan in this session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanFailure {
    /// PostgreSQL refused the text (its error): it cannot be planned as it stands.
    Refused(String),
    /// Planning it ran out of time, on every attempt: past the session's per-plan
    /// `statement_timeout`, or waiting past `lock_timeout` for a lock another session holds
    /// on one of its tables (PostgreSQL's error). The text itself may be fine.
    TimedOut(String),
}

impl PlanFailure {
    /// PostgreSQL's error.
    pub fn message(&self) -> &str {
        match self {
            PlanFailure::Refused(m) | PlanFailure::TimedOut(m) => m,
        }
    }
}

/// A planned statement: its total cost, the indexes the plan uses, and the plan itself
/// (EXPLAIN's JSON "Plan" node).
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub cost: f64,
    pub indexes: Vec<String>,
    pub tree: serde_json::Value,
    /// `cost` is that of the same statement with an index's shorter variant: the planner
    /// priced the index above it (set by the selection, see `prefix`).
    pub capped: bool,
}

pub struct WhatIf {
    conn: PgConnection,
    /// Parameter types of each statement text, learnt from its first PREPARE.
    types: HashMap<String, Vec<String>>,
    /// The types a text is prepared with, for texts PostgreSQL could not type alone.
    declared: HashMap<String, String>,
    /// Parameters of each text that are a time unit (see `param_types::unit_parameters`).
    units: HashMap<String, BTreeSet<usize>>,
    /// Why each text that has no plan has none.
    failures: HashMap<String, PlanFailure>,
    counter: u64,
    partials: usize,
    pub plans: u64,
    /// HypoPG is in use (reset at the end).
    hypopg: bool,
    /// Indexes the session prices itself: GIN (HypoPG cannot create them) and the
    /// expression and partial B-trees HypoPG applies only to a statement's first relation
    /// (see `gin`).
    gins: Vec<KeptIndex>,
    /// The extent of each table a kept B-tree is on (see `extent`).
    extents: HashMap<(String, String), Option<Extent>>,
    /// Fingerprints of the kept B-trees the session priced into some plan itself.
    estimated: HashSet<String>,
    /// The planner's cost settings, for pricing them.
    settings: CostSettings,
    /// Rows the planner expects a table filtered by one clause to return, by query text.
    clause_rows: HashMap<String, Option<f64>>,
    /// Rows a block sample says such a clause really matches, by table, alias and clause.
    sampled: HashMap<String, Option<f64>>,
    /// The schema of each table name plans mention (EXPLAIN gives names only).
    schemas: HashMap<String, Option<String>>,
    /// Pages a sample may read per clause; 0: never sample.
    sample_pages: u32,
    /// The server has `EXPLAIN (GENERIC_PLAN)` (PostgreSQL 16+).
    generic_explain: bool,
    /// The share of random page reads the workload finds cached, priced as sequential
    /// ones (see `cached`); 0: plans keep the planner's own price.
    cached_pages: f64,
}

/// A table's heap pages and rows, and its leaf partitions when it is partitioned.
type Extent = (f64, f64, Vec<PartFacts>);

/// Session-only GIN indexes are numbered above every real object id (ids are 32-bit).
const GIN_OID_BASE: i64 = 1 << 40;

/// Where a plan node priced as a bitmap scan of a session GIN index keeps which index, with
/// how many conditions, and whether a sort was added for it.
const GIN_MARK: &str = "IndexPilot GIN";

/// The value of a time-unit parameter (`date_trunc($1, t)`): reports truncate to months.
const UNIT: &str = "'month'";

/// Per-plan limit (`statement_timeout`) until `plan_timeout` sets another.
const PLAN_TIMEOUT: &str = "10s";

/// Attempts at a plan that ran out of time: a busy moment or another session's lock
/// passes, and a statement is not left uncosted for one of them.
const PLAN_ATTEMPTS: u32 = 2;

/// Why a text that is not one query or DML statement is never planned.
pub const NOT_A_QUERY: &str =
    "only one SELECT, INSERT, UPDATE, DELETE or MERGE statement can be planned";

impl WhatIf {
    /// Whether HypoPG is installed in this database (the advisor never installs it).
    pub async fn available(pool: &PgPool) -> Result<bool> {
        Ok(sqlx::query_scalar(
            "SELECT /* indexpilot */ EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'hypopg')",
        )
        .fetch_one(pool)
        .await?)
    }

    pub async fn open(pool: &PgPool) -> Result<Self> {
        Self::open_with(pool, true).await
    }

    /// A session that only plans (no hypothetical indexes, so no HypoPG needed).
    pub async fn open_plain(pool: &PgPool) -> Result<Self> {
        Self::open_with(pool, false).await
    }

    async fn open_with(pool: &PgPool, hypopg: bool) -> Result<Self> {
        let mut conn = pool.acquire().await?.detach();
        // Errors here leave a fresh connection that is simply dropped.
        let setup = format!(
            "BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY {OWN_TAG};
             SET LOCAL statement_timeout = '{PLAN_TIMEOUT}' {OWN_TAG};
             SET LOCAL lock_timeout = '1s' {OWN_TAG};
             {}",
            if hypopg { "SELECT hypopg_reset();" } else { "" }
        );
        conn.execute(sqlx::raw_sql(&setup)).await?;
        let settings: (f64, f64, f64, f64, i32) = sqlx::query_as(
            "SELECT /* indexpilot */ current_setting('random_page_cost')::float8,
                    current_setting('seq_page_cost')::float8,
                    current_setting('cpu_tuple_cost')::float8,
                    current_setting('cpu_operator_cost')::float8,
                    current_setting('server_version_num')::int",
        )
        .fetch_one(&mut conn)
        .await?;
        Ok(WhatIf {
            conn,
            types: HashMap::new(),
            declared: HashMap::new(),
            units: HashMap::new(),
            failures: HashMap::new(),
            counter: 0,
            partials: 0,
            plans: 0,
            hypopg,
            gins: Vec::new(),
            extents: HashMap::new(),
            estimated: HashSet::new(),
            settings: CostSettings {
                random_page: settings.0,
                seq_page: settings.1,
                cpu_tuple: settings.2,
                cpu_operator: settings.3,
            },
            clause_rows: HashMap::new(),
            sampled: HashMap::new(),
            schemas: HashMap::new(),
            sample_pages: 0,
            generic_explain: settings.4 >= 160_000,
            cached_pages: 0.0,
        })
    }

    /// Limits each plan to `ms` milliseconds (`statement_timeout`); a statement the planner
    /// needs longer for is left uncosted (see `PlanFailure::TimedOut`).
    pub async fn plan_timeout(&mut self, ms: u64) -> Result<()> {
        self.conn
            .execute(sqlx::raw_sql(&format!(
                "SET LOCAL statement_timeout = {} {OWN_TAG}",
                ms.max(1)
            )))
            .await?;
        Ok(())
    }

    /// Lets the session read a block sample of at most `pages` pages to learn how many rows
    /// a guessed filter really matches (see `gin`); 0 (the default) never reads table data.
    pub fn sample_pages(&mut self, pages: u32) {
        self.sample_pages = pages;
    }

    /// Prices `share` (0 to 1) of the random pages each plan reads as sequential ones: the
    /// share of its blocks the workload found in shared buffers (see `cached`).
    pub fn price_cached_pages(&mut self, share: f64) {
        self.cached_pages = share.clamp(0.0, 1.0);
    }

    /// A hypothetical index, or `None` when HypoPG or the planner refuses the definition
    /// (a function that is not IMMUTABLE, an operator class the type lacks): the candidate
    /// is dropped, the session goes on.
    pub async fn create(&mut self, def: &IndexDef) -> Result<Option<Hypo>> {
        if gin::is_gin(def) {
            return self.create_gin(def).await;
        }
        let made = self
            .create_statement(&def.hypothetical_sql(), def.predicate.is_some())
            .await?;
        // HypoPG applies an expression or partial index only where its table is the first
        // relation of the statement: never on a partitioned table's partitions, nor on a
        // joined or subquery table. The session prices those scans itself (see `gin`).
        if let (Some(h), true) = (&made, gin::hypopg_blind(def)) {
            let Some((pages, rows, parts)) = self.extent(&def.schema, &def.table).await? else {
                return Ok(made);
            };
            self.gins.push(KeptIndex {
                oid: h.oid,
                def: def.clone(),
                pages,
                rows,
                btree: true,
                parts,
            });
        }
        Ok(made)
    }

    /// A table's heap pages and rows (pg_class), and for a partitioned table its leaf
    /// partitions with theirs (its own are their sums); None when the table is gone.
    /// Cached for the session: every kept B-tree on the table asks.
    async fn extent(&mut self, schema: &str, table: &str) -> Result<Option<Extent>> {
        let key = (schema.to_string(), table.to_string());
        if let Some(known) = self.extents.get(&key) {
            return Ok(known.clone());
        }
        // The table itself at level 0, then its leaf partitions (pg_partition_tree lists
        // nothing for a table that is not partitioned).
        let query = sqlx::query(
            "SELECT /* indexpilot */ n.nspname::text, c.relname::text, greatest(c.relpages, 1)::float8,
                    greatest(c.reltuples, 0)::float8, t.level > 0
             FROM (SELECT to_regclass($1) AS relid, 0 AS level
                   UNION ALL
                   SELECT relid, level FROM pg_partition_tree(to_regclass($1)) WHERE isleaf AND level > 0) t
             JOIN pg_class c ON c.oid = t.relid
             JOIN pg_namespace n ON n.oid = c.relnamespace",
        )
        .bind(crate::ident::quote_qualified(schema, table));
        let rows = self
            .fetch_all_guarded("indexpilot_whatif_read", query)
            .await?
            .unwrap_or_default();
        let (mut own, mut parts) = (None, Vec::new());
        for r in rows {
            let facts = PartFacts {
                schema: r.try_get(0)?,
                table: r.try_get(1)?,
                pages: r.try_get(2)?,
                rows: r.try_get(3)?,
            };
            if r.try_get::<bool, _>(4)? {
                parts.push(facts);
            } else {
                own = Some((facts.pages, facts.rows));
            }
        }
        let extent = own.map(|own| {
            if parts.is_empty() {
                (own.0, own.1, parts)
            } else {
                (
                    parts.iter().map(|p| p.pages).sum(),
                    parts.iter().map(|p| p.rows).sum(),
                    parts,
                )
            }
        });
        self.extents.insert(key, extent.clone());
        Ok(extent)
    }

    /// A GIN index kept by the session itself: its table's size from pg_class, its own size
    /// from the column's width in pg_stats.
    async fn create_gin(&mut self, def: &IndexDef) -> Result<Option<Hypo>> {
        let column = def
            .keys
            .first()
            .map(|k| k.column.clone())
            .unwrap_or_default();
        let query = sqlx::query(
            "SELECT /* indexpilot */ c.relpages::float8, greatest(c.reltuples, 0)::float8, s.avg_width,
                    format_type(a.atttypid, a.atttypmod)
             FROM pg_class c
             JOIN pg_namespace n ON n.oid = c.relnamespace
             LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = $3 AND NOT a.attisdropped
             LEFT JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = c.relname AND s.attname = $3
             WHERE n.nspname = $1 AND c.relname = $2",
        )
        .bind(&def.schema)
        .bind(&def.table)
        .bind(&column);
        let Some(row) = self.fetch_guarded("indexpilot_whatif_read", query).await? else {
            return Ok(None);
        };
        let (pages, rows): (f64, f64) = (row.try_get(0)?, row.try_get(1)?);
        let (width, data_type): (Option<i32>, Option<String>) = (row.try_get(2)?, row.try_get(3)?);
        // An expression's type and width are not the column's.
        let expression = def.keys.first().is_some_and(|k| k.expression.is_some());
        let (width, data_type) = if expression {
            (None, None)
        } else {
            (width, data_type)
        };
        self.counter += 1;
        let oid = GIN_OID_BASE + i64::try_from(self.counter).unwrap_or(0);
        let size_bytes = gin::size_bytes(
            def,
            rows,
            f64::from(width.unwrap_or(32)),
            data_type.as_deref().unwrap_or(""),
        );
        self.gins.push(KeptIndex {
            oid,
            def: def.clone(),
            pages,
            rows,
            btree: false,
            parts: Vec::new(),
        });
        Ok(Some(Hypo {
            oid,
            size_bytes,
            partial: false,
        }))
    }

    /// A hypothetical index from a `CREATE INDEX` statement as a person wrote it.
    pub async fn create_statement(&mut self, sql: &str, partial: bool) -> Result<Option<Hypo>> {
        let query = sqlx::query(
            "SELECT /* indexpilot */ h.indexrelid::int8, hypopg_relation_size(h.indexrelid)::int8
             FROM hypopg_create_index($1) h",
        )
        .bind(sql);
        let Some(row) = self
            .fetch_guarded("indexpilot_whatif_create", query)
            .await?
        else {
            tracing::debug!(sql, "hypothetical index refused");
            return Ok(None);
        };
        if partial {
            self.partials += 1;
        }
        Ok(Some(Hypo {
            oid: row.get(0),
            size_bytes: row.get(1),
            partial,
        }))
    }

    /// The first row of one statement (see `fetch_all_guarded`).
    async fn fetch_guarded(
        &mut self,
        savepoint: &str,
        query: Query<'_, Postgres, PgArguments>,
    ) -> Result<Option<PgRow>> {
        Ok(self
            .fetch_all_guarded(savepoint, query)
            .await?
            .and_then(|rows| rows.into_iter().next()))
    }

    /// The rows of one statement under a savepoint, or `None` when PostgreSQL refuses it
    /// (logged; the session goes on). Sent prepared, so the text is exactly one statement:
    /// it cannot end the transaction or add another. The savepoint is rolled back either
    /// way: the locks the statement took go with it, so the what-if transaction holds none
    /// between statements (an application's `ALTER TABLE` never queues behind the
    /// advisor). HypoPG's indexes live in the session's memory, not in the transaction: a
    /// rollback keeps them.
    async fn fetch_all_guarded(
        &mut self,
        savepoint: &str,
        query: Query<'_, Postgres, PgArguments>,
    ) -> Result<Option<Vec<PgRow>>> {
        let sql = query.sql();
        self.conn
            .execute(sqlx::raw_sql(&format!("SAVEPOINT {savepoint}")))
            .await?;
        let rows = match query.fetch_all(&mut self.conn).await {
            Ok(rows) => Some(rows),
            Err(sqlx::Error::Database(db)) => {
                tracing::debug!(error = %db, sql, "what-if statement refused");
                None
            }
            Err(e) => return Err(e.into()),
        };
        self.conn
            .execute(sqlx::raw_sql(&format!(
                "ROLLBACK TO SAVEPOINT {savepoint}; RELEASE SAVEPOINT {savepoint}"
            )))
            .await?;
        Ok(rows)
    }

    pub async fn drop_hypo(&mut self, h: Hypo) -> Result<()> {
        if let Some(at) = self.gins.iter().position(|g| g.oid == h.oid) {
            // A GIN index lives in the session only; a kept B-tree is HypoPG's too.
            if !self.gins.remove(at).btree {
                return Ok(());
            }
        }
        sqlx::query("SELECT /* indexpilot */ hypopg_drop_index($1::oid)")
            .bind(h.oid)
            .execute(&mut self.conn)
            .await?;
        if h.partial {
            self.partials -= 1;
        }
        Ok(())
    }

    /// The plan of one statement with the hypothetical indexes that exist now: a custom
    /// plan with `values` (and values by type for the other parameters) when every
    /// parameter has one, else the generic plan. `None` when the text cannot be planned
    /// (untyped parameters, a timeout, an object that is gone) or would be unsafe to plan
    /// (see the module comment).
    pub async fn plan(
        &mut self,
        sql: &str,
        through_view: bool,
        values: &Values,
    ) -> Result<Option<Plan>> {
        // Checked once per text: a text that was prepared passed the check.
        if !self.types.contains_key(sql) && !is_single_query(sql) {
            self.failures.insert(
                sql.to_string(),
                PlanFailure::Refused(NOT_A_QUERY.to_string()),
            );
            return Ok(None);
        }
        let custom = self
            .plan_patiently(sql, through_view, values, false)
            .await?;
        // A value the statement rejects (a text that is no unit, a number out of a
        // function's range) fails a custom plan only: the generic plan never evaluates it.
        // A plan that ran out of time would only run out again.
        if custom.is_some()
            || !self.types.contains_key(sql)
            || !matches!(self.failures.get(sql), Some(PlanFailure::Refused(_)))
        {
            return Ok(custom);
        }
        let generic = self.plan_patiently(sql, through_view, values, true).await?;
        if generic.is_some() {
            self.failures.remove(sql);
        }
        Ok(generic)
    }

    /// `plan_with`, tried again when planning ran out of time (see `PLAN_ATTEMPTS`).
    async fn plan_patiently(
        &mut self,
        sql: &str,
        through_view: bool,
        values: &Values,
        generic: bool,
    ) -> Result<Option<Plan>> {
        for attempt in 1..=PLAN_ATTEMPTS {
            let plan = self.plan_with(sql, through_view, values, generic).await?;
            if plan.is_some() {
                if attempt > 1 {
                    self.failures.remove(sql);
                }
                return Ok(plan);
            }
            match self.failures.get(sql) {
                Some(PlanFailure::TimedOut(e)) if attempt < PLAN_ATTEMPTS => {
                    tracing::info!(error = %e, attempt, "a plan ran out of time; trying it again");
                }
                _ => return Ok(None),
            }
        }
        Ok(None)
    }

    async fn plan_with(
        &mut self,
        sql: &str,
        through_view: bool,
        values: &Values,
        generic: bool,
    ) -> Result<Option<Plan>> {
        if through_view && self.partials > 0 {
            return Ok(None);
        }
        let params = parameter_count(sql);
        self.counter += 1;
        self.plans += 1;
        let name = format!("indexpilot_whatif_{}", self.counter);
        // The savepoint goes first, on its own: a text that does not even parse fails the
        // whole message before any of it runs.
        self.conn
            .execute(sqlx::raw_sql("SAVEPOINT indexpilot_whatif"))
            .await?;
        let known = params == 0 || self.types.contains_key(sql);
        let result = async {
            if !known {
                self.prepare_typed(&name, sql, params).await?;
                let types: Vec<String> = sqlx::query_scalar(
                    "SELECT /* indexpilot */ parameter_types::text[] FROM pg_prepared_statements WHERE name = $1",
                )
                .bind(&name)
                .fetch_one(&mut self.conn)
                .await?;
                self.types.insert(sql.to_string(), types);
                self.units
                    .insert(sql.to_string(), param_types::unit_parameters(sql));
            }
            let types = self.types.get(sql).cloned().unwrap_or_default();
            let units = self.units.get(sql);
            let custom: Option<Vec<String>> = (1..=params)
                .map(|k| {
                    let k32 = u32::try_from(k).unwrap_or(u32::MAX);
                    let type_name = types.get(k - 1).map_or("", String::as_str);
                    values
                        .get(&k32)
                        .map(|v| params::for_type(v, type_name))
                        .or_else(|| units.is_some_and(|u| u.contains(&k)).then(|| UNIT.into()))
                        .or_else(|| params::by_type(type_name))
                })
                .collect();
            let (mode, args) = match custom {
                Some(a) if params > 0 && !generic => ("force_custom_plan", a),
                _ => ("force_generic_plan", vec!["NULL".to_string(); params]),
            };
            // A text typed only by the types declared for it needs its PREPARE.
            let generic_text = self.generic_explain
                && params > 0
                && mode == "force_generic_plan"
                && !self.declared.contains_key(sql);
            let args = if params == 0 { String::new() } else { format!("({})", args.join(", ")) };
            if known && !generic_text {
                self.prepare(&name, sql).await?;
            }
            // EXPLAIN through `indexpilot.explain` (migrations 7 and 8): one
            // pg_stat_statements entry for every plan, not one per text.
            let (explain, deallocate) = if generic_text {
                let explain =
                    explain_call(&format!("EXPLAIN (FORMAT JSON, GENERIC_PLAN) {sql}"));
                // Prepared above only to learn the parameter types.
                let deallocate = if known { String::new() } else { format!("DEALLOCATE {name};\n") };
                (explain, deallocate)
            } else {
                // Only IndexPilot's own text from here on: the statement is prepared already.
                let explain =
                    explain_call(&format!("EXPLAIN (FORMAT JSON) EXECUTE {name}{args}"));
                (explain, format!("DEALLOCATE {name};\n"))
            };
            // The plan again at a lower random page price (see `cached`). A generic plan
            // run through EXECUTE is kept by the prepared statement and not planned again:
            // a text without parameters is explained as it is, one with parameters keeps
            // the planner's price (before PostgreSQL 16, with no value for every one).
            let second = if mode == "force_custom_plan" || generic_text {
                Some(explain.clone())
            } else if params == 0 {
                Some(explain_call(&format!("EXPLAIN (FORMAT JSON) {sql}")))
            } else {
                None
            };
            let again = cached::lower_random_page_cost(&self.settings, self.cached_pages)
                .zip(second)
                .map_or(String::new(), |(rpc, second)| {
                    format!("SET LOCAL random_page_cost = {rpc} {OWN_TAG};\n{second};\n")
                });
            let script = format!(
                "SET LOCAL plan_cache_mode = {mode} {OWN_TAG};\n{explain};\n{again}{deallocate}ROLLBACK TO SAVEPOINT indexpilot_whatif;\nRELEASE SAVEPOINT indexpilot_whatif;"
            );
            self.conn.fetch_all(sqlx::raw_sql(&script)).await
        }
        .await;
        match result {
            Ok(rows) => {
                let Some(row) = rows.first() else {
                    return Ok(None);
                };
                let doc: serde_json::Value = row.try_get(0)?;
                let Some(mut plan) = parse_plan_value(&doc) else {
                    return Ok(None);
                };
                let discount = match rows.get(1) {
                    Some(row) => {
                        let second: serde_json::Value = row.try_get(0)?;
                        second
                            .get(0)
                            .and_then(|p| p.get("Plan"))
                            .and_then(|second| {
                                cached::discount(
                                    &self.settings,
                                    self.cached_pages,
                                    &plan.tree,
                                    second,
                                )
                            })
                    }
                    None => None,
                };
                // First what the planner would choose with the session's GIN indexes (by its
                // own estimates), then what that plan really costs.
                if !self.gins.is_empty() {
                    self.price_gins(&mut plan).await?;
                }
                if self.sample_pages > 0 {
                    self.correct_guesses(&mut plan).await?;
                }
                if let Some(d) = discount {
                    plan.cost = cached::apply(&self.settings, plan.cost, d);
                }
                Ok(Some(plan))
            }
            Err(sqlx::Error::Database(db)) => {
                tracing::debug!(error = %db, "what-if plan failed");
                let message = db.message().to_string();
                // query_canceled (statement_timeout) and lock_not_available (lock_timeout).
                let failure = match db.code().as_deref() {
                    Some("57014" | "55P03") => PlanFailure::TimedOut(message),
                    _ => PlanFailure::Refused(message),
                };
                self.failures.insert(sql.to_string(), failure);
                self.conn
                    .execute(sqlx::raw_sql("ROLLBACK TO SAVEPOINT indexpilot_whatif"))
                    .await?;
                // PREPARE is not undone by the rollback.
                let exists: bool = sqlx::query_scalar(
                    "SELECT /* indexpilot */ EXISTS (SELECT 1 FROM pg_prepared_statements WHERE name = $1)",
                )
                .bind(&name)
                .fetch_one(&mut self.conn)
                .await?;
                if exists {
                    self.conn
                        .execute(sqlx::raw_sql(&format!("DEALLOCATE {name}")))
                        .await?;
                }
                self.conn
                    .execute(sqlx::raw_sql(
                        "ROLLBACK TO SAVEPOINT indexpilot_whatif; RELEASE SAVEPOINT indexpilot_whatif;",
                    ))
                    .await?;
                Ok(None)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The plan of one statement for each value set (see `params::sets_for_statement`):
    /// the costliest, so that an index is judged by the calls it serves worst. `None`
    /// when the first set cannot be planned.
    pub async fn plan_each(
        &mut self,
        sql: &str,
        through_view: bool,
        sets: &[Values],
    ) -> Result<Option<Plan>> {
        let mut worst: Option<Plan> = None;
        for (k, values) in sets.iter().enumerate() {
            match self.plan(sql, through_view, values).await? {
                Some(p) if worst.as_ref().is_none_or(|w| p.cost > w.cost) => worst = Some(p),
                None if k == 0 => return Ok(None),
                _ => {}
            }
        }
        Ok(worst)
    }

    /// Why a text has no plan in this session.
    pub fn failure(&self, sql: &str) -> Option<&PlanFailure> {
        self.failures.get(sql)
    }

    /// `PREPARE name AS sql`, sent on its own in the extended protocol, where PostgreSQL
    /// takes exactly one statement: text that tries to add another (`SELECT 1; COMMIT;
    /// …`) is refused by the server itself, never run.
    async fn prepare(&mut self, name: &str, sql: &str) -> sqlx::Result<()> {
        let declared = self.declared.get(sql).map_or("", String::as_str);
        let text = format!("PREPARE {name}{declared} AS\n{sql}\n");
        sqlx::query(&text)
            .persistent(false)
            .execute(&mut self.conn)
            .await
            .map(|_| ())
    }

    /// PREPAREs a text; when PostgreSQL cannot type its parameters alone (they meet only
    /// each other, see `param_types`), once more with the guessed types declared. The
    /// caller's savepoint `whatif` is still open either way.
    async fn prepare_typed(&mut self, name: &str, sql: &str, params: usize) -> sqlx::Result<()> {
        let first = self.prepare(name, sql).await;
        let Err(sqlx::Error::Database(db)) = &first else {
            return first;
        };
        let Some(declared) = param_types::declaration(&param_types::guesses(sql), params) else {
            return first;
        };
        tracing::debug!(error = %db, declared, "preparing again with declared parameter types");
        self.conn
            .execute(sqlx::raw_sql("ROLLBACK TO SAVEPOINT indexpilot_whatif"))
            .await?;
        self.declared.insert(sql.to_string(), declared);
        let second = self.prepare(name, sql).await;
        if second.is_err() {
            self.declared.remove(sql);
        }
        second
    }

    /// The expression and partial B-trees whose saving in some plan is the session's own
    /// estimate (HypoPG did not apply them there), by fingerprint.
    pub fn estimated(&self) -> HashSet<String> {
        self.estimated.clone()
    }

    /// Ends the session: the transaction is rolled back, the hypothetical indexes reset
    /// and the connection closed.
    pub async fn close(mut self) -> Result<()> {
        let end = if self.hypopg {
            "ROLLBACK /* indexpilot */; SELECT /* indexpilot */ hypopg_reset();"
        } else {
            "ROLLBACK /* indexpilot */;"
        };
        self.conn.execute(sqlx::raw_sql(end)).await?;
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
            sql.get(start..end)?
                .trim_start_matches('$')
                .parse::<usize>()
                .ok()
        })
        .max()
        .unwrap_or(0)
}

/// `statement` (an `EXPLAIN (FORMAT JSON) …`) as a call of `indexpilot.explain`, its text a
/// literal (standard_conforming_strings is on in IndexPilot's sessions): pg_stat_statements
/// replaces the literal, so every call is the same entry.
pub(crate) fn explain_call(statement: &str) -> String {
    format!(
        "SELECT {OWN_TAG} indexpilot.explain('{}')",
        statement.replace('\'', "''")
    )
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
    Some(Plan {
        cost,
        indexes,
        tree: plan.clone(),
        capped: false,
    })
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
        let plan = parse_plan(text).unwrap_or_else(|| panic!("parses"));
        assert_eq!(plan.cost, 12.5);
        assert_eq!(plan.indexes, vec!["<1>btree_t_a".to_string()]);
        assert_eq!(plan.tree["Node Type"], "Limit");
        assert_eq!(parse_plan("not json"), None);
    }
}
