//! Reads what the advisor needs from the database: the weighted workload (collected deltas,
//! or pg_stat_statements' cumulative counters right after `init`), and for the tables the
//! workload touches their statistics, indexes, HOT ratio and the genome's policy. Only
//! catalog and statistics views are read: no business table is scanned.

use super::candidates::{Sample, Statement};
use super::facts::{CandidateOptions, ColumnStats, Expressed, FieldPolicy, TableFacts};
use crate::catalog::{Catalog, ConstraintKind, RelationKind};
use crate::connect::transaction::{self, Mode};
use crate::error::Result;
use crate::settings;
use crate::workload::analyse::{prepared_body, repair, Role};
use crate::workload::{collect, usage};
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use std::collections::{BTreeSet, HashMap, HashSet};

pub struct Workload {
    pub statements: Vec<Statement>,
    /// `deltas` or `cumulative`.
    pub source: &'static str,
    /// The share of the blocks the statements touched that were found in shared buffers
    /// (0 when pg_stat_statements counted none).
    pub cached_share: f64,
}

/// Collected history shorter than this is not yet a workload: pg_stat_statements' totals
/// say more.
const MIN_DELTA_WINDOW_MINUTES: i64 = 60;

/// The workload: the collected intervals when the collector has been running for a while
/// (or `since` asks for a window); otherwise pg_stat_statements' cumulative counters, from
/// a snapshot taken now.
pub async fn workload(
    pool: &PgPool,
    catalog: &Catalog,
    since: Option<DateTime<Utc>>,
    read_only: bool,
) -> Result<Workload> {
    let (mut list, from, to) = usage::active(pool, since).await?;
    let long_enough = match (from, to) {
        (Some(f), Some(t)) => t - f >= chrono::Duration::minutes(MIN_DELTA_WINDOW_MINUTES),
        _ => false,
    };
    let mut source = "deltas";
    if list.is_empty() || (since.is_none() && !long_enough) {
        // A read-only run takes pg_stat_statements as it stands and stores nothing.
        if read_only {
            list = usage::live(pool).await?;
        } else {
            collect::collect_once(pool).await?;
            list = usage::cumulative(pool).await?;
        }
        source = "cumulative";
    }
    // One resolver, over the catalog the caller discovered, for texts and samples alike.
    let resolver = usage::resolver_for(pool, catalog).await?;
    if read_only {
        usage::analyse_uncached(&resolver, &mut list);
    } else {
        usage::analyse_missing(pool, &resolver, &mut list).await?;
    }
    let samples = usage::analyse_samples(&resolver, &list);
    let (hit, read) = list.iter().fold((0.0, 0.0), |(h, r), a| {
        (h + a.hit.max(0) as f64, r + a.read.max(0) as f64)
    });
    let cached_share = if hit + read > 0.0 {
        hit / (hit + read)
    } else {
        0.0
    };
    let analyses: Vec<_> = list.iter().filter_map(|a| a.cached.clone()).collect();
    let statements = list
        .into_iter()
        .zip(analyses)
        .zip(samples)
        .map(|((a, analysis), (sample, other))| {
            // A sample that parsed as the same kind of statement is planned instead of the
            // normalised text: it has the constants of expressions.
            let sample = sample
                .filter(|s| s.kind == analysis.kind && s.error.is_none())
                .zip(a.sample);
            let other = other.filter(|o| o.error.is_none());
            // A `PREPARE name AS query` text is planned as its query, a normalised text
            // with typed-literal placeholders (`interval $2`) as the casts they stand for.
            let prepared = sample
                .is_none()
                .then(|| prepared_body(&a.query).or_else(|| repair(&a.query)))
                .flatten()
                .map(|text| Sample {
                    text,
                    analysis: analysis.clone(),
                });
            Statement {
                queryid: a.queryid,
                calls: a.calls as f64,
                rows: a.rows as f64,
                total_ms: a.total.max(0.0),
                analysis: match &sample {
                    Some((s, _)) => analysis.with_sample_expressions(s, other.as_ref()),
                    None => analysis,
                },
                query: a.query,
                sample: sample
                    .map(|(analysis, text)| Sample { text, analysis })
                    .or(prepared),
            }
        })
        .collect();
    Ok(Workload {
        statements,
        source,
        cached_share,
    })
}

/// Relations the advisor proposes indexes for: tables, partitioned tables (an index there
/// is built on each partition, see `change::partitions`), partitions, materialized views.
fn indexable_kind(kind: RelationKind) -> bool {
    matches!(
        kind,
        RelationKind::Table
            | RelationKind::Partitioned
            | RelationKind::Partition
            | RelationKind::Matview
    )
}

/// The relations that get no table facts (views, foreign tables),
/// by kind, so that a statement on them is declined with the right reason.
pub fn other_relations(catalog: &Catalog) -> HashMap<(String, String), RelationKind> {
    catalog
        .relations
        .iter()
        .filter(|r| !indexable_kind(r.kind))
        .map(|r| ((r.schema.clone(), r.name.clone()), r.kind))
        .collect()
}

/// Tables (schema, name) the workload reads or writes.
pub fn tables_used(statements: &[Statement]) -> BTreeSet<(String, String)> {
    statements
        .iter()
        .flat_map(|s| s.analysis.tables.iter())
        .filter(|t| t.known)
        .filter_map(|t| t.schema.clone().map(|s| (s, t.table.clone())))
        .collect()
}

/// Facts for the tables the workload uses that can have indexes.
pub async fn table_facts(
    pool: &PgPool,
    catalog: &Catalog,
    used: &BTreeSet<(String, String)>,
) -> Result<HashMap<(String, String), TableFacts>> {
    let mut out = HashMap::new();
    for (schema, table) in used {
        let Some(rel) = catalog.relation(schema, table) else {
            continue;
        };
        if !indexable_kind(rel.kind) {
            continue;
        }
        // A partitioned table holds no rows itself: an index on it is one index on each
        // of its leaf partitions, so its rows and pages are theirs, summed.
        let leaves = catalog.leaf_partitions(schema, table);
        let (rows, bytes) = if leaves.is_empty() {
            (rel.row_estimate.unwrap_or(0.0), rel.table_bytes)
        } else {
            leaves.iter().fold((0.0, 0), |(r, b), p| {
                (
                    r + p.row_estimate.unwrap_or(0.0).max(0.0),
                    b + p.table_bytes,
                )
            })
        };
        let primary_key = rel
            .constraints
            .iter()
            .find(|c| c.kind == ConstraintKind::PrimaryKey)
            .map(|c| c.columns.clone())
            .unwrap_or_default();
        let columns = rel
            .columns
            .iter()
            .map(|c| {
                (
                    c.name.clone(),
                    ColumnStats {
                        data_type: c.data_type.clone(),
                        ..ColumnStats::default()
                    },
                )
            })
            .collect();
        out.insert(
            (schema.clone(), table.clone()),
            TableFacts {
                schema: schema.clone(),
                table: table.clone(),
                rows: rows.max(0.0),
                partitions: leaves.len(),
                pages: (bytes as f64 / 8192.0).max(1.0),
                columns,
                indexes: rel.indexes.iter().filter(|i| i.is_valid).cloned().collect(),
                hot_ratio: 0.0,
                primary_key,
                expression_nulls: HashMap::new(),
                expression_widths: HashMap::new(),
                expression_distinct: HashMap::new(),
            },
        );
    }
    let schemas: Vec<String> = out.keys().map(|k| k.0.clone()).collect();
    let tables: Vec<String> = out.keys().map(|k| k.1.clone()).collect();
    type StatRow = (
        String,
        String,
        String,
        f32,
        i32,
        f32,
        Option<Vec<String>>,
        Option<Vec<f32>>,
        Option<Vec<String>>,
        Option<f32>,
        Option<Vec<String>>,
        Option<Vec<f32>>,
    );
    let stats: Vec<StatRow> = sqlx::query_as(
        "SELECT /* indexpilot */ s.schemaname::text, s.tablename::text, s.attname::text, s.null_frac, s.avg_width,
                s.n_distinct, s.most_common_vals::text::text[], s.most_common_freqs,
                s.histogram_bounds::text::text[], s.correlation,
                s.most_common_elems::text::text[], s.most_common_elem_freqs
         FROM pg_stats s
         JOIN unnest($1::text[], $2::text[]) AS t(sch, tab) ON s.schemaname = t.sch AND s.tablename = t.tab
         WHERE NOT s.inherited OR EXISTS (
             SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = s.schemaname AND c.relname = s.tablename AND c.relkind = 'p')",
    )
    .bind(&schemas)
    .bind(&tables)
    .fetch_all(pool)
    .await?;
    for (
        schema,
        table,
        column,
        null_frac,
        avg_width,
        n_distinct,
        mcv,
        freqs,
        histogram,
        correlation,
        elements,
        element_freqs,
    ) in stats
    {
        let Some(facts) = out.get_mut(&(schema, table)) else {
            continue;
        };
        let rows = facts.rows;
        if let Some(c) = facts.columns.get_mut(&column) {
            c.null_frac = f64::from(null_frac);
            c.avg_width = avg_width;
            let nd = f64::from(n_distinct);
            c.n_distinct = Some(if nd < 0.0 { -nd * rows } else { nd }.max(1.0));
            c.mcv = mcv
                .unwrap_or_default()
                .into_iter()
                .zip(freqs.unwrap_or_default().into_iter().map(f64::from))
                .collect();
            c.histogram = histogram.unwrap_or_default();
            c.correlation = correlation.map(f64::from);
            // The frequencies end with three summary figures (min, max, NULL share); zip
            // stops at the last element.
            c.elements = elements
                .unwrap_or_default()
                .into_iter()
                .zip(element_freqs.unwrap_or_default().into_iter().map(f64::from))
                .collect();
        }
    }
    let hot: Vec<(String, String, f64)> = sqlx::query_as(
        // A partitioned table's updates happen on its partitions: summed over them
        // (pg_partition_tree lists nothing for a table that is not partitioned).
        "SELECT /* indexpilot */ t.sch, t.tab,
                CASE WHEN sum(s.n_tup_upd) > 0 THEN sum(s.n_tup_hot_upd)::float8 / sum(s.n_tup_upd) ELSE 0 END
         FROM unnest($1::text[], $2::text[]) AS t(sch, tab)
         CROSS JOIN LATERAL (SELECT to_regclass(format('%I.%I', t.sch, t.tab)) AS r) AS x
         CROSS JOIN LATERAL (SELECT x.r AS relid
                             UNION SELECT p.relid FROM pg_partition_tree(x.r) AS p WHERE p.isleaf) AS l
         JOIN pg_stat_user_tables s ON s.relid = l.relid
         GROUP BY t.sch, t.tab",
    )
    .bind(&schemas)
    .bind(&tables)
    .fetch_all(pool)
    .await?;
    for (schema, table, ratio) in hot {
        if let Some(f) = out.get_mut(&(schema, table)) {
            f.hot_ratio = ratio;
        }
    }
    Ok(out)
}

/// Pages a probe (NULL share and width) of an expression reads, at most.
const PROBE_PAGES: f64 = 32.0;

/// For expressions the workload filters on, the share of rows where they are NULL and the
/// average width of their values, from a sample of at most [`PROBE_PAGES`] pages
/// (`TABLESAMPLE SYSTEM`), in a read-only transaction with a short timeout. A probe that
/// fails is skipped.
pub async fn probe_expressions(
    pool: &PgPool,
    statements: &[Statement],
    tables: &mut HashMap<(String, String), TableFacts>,
) -> Result<()> {
    let mut wanted: BTreeSet<(String, String, String)> = BTreeSet::new();
    for s in statements {
        for u in &s.analysis.columns {
            if let (Some(schema), Some(expr)) = (&u.schema, &u.expression) {
                if matches!(
                    u.role,
                    Role::Equality | Role::Range | Role::InList | Role::PrefixLike
                ) && tables.contains_key(&(schema.clone(), u.table.clone()))
                {
                    wanted.insert((schema.clone(), u.table.clone(), expr.clone()));
                }
            }
        }
    }
    if wanted.is_empty() {
        return Ok(());
    }
    let mut tx = transaction::begin(pool, Mode::ReadOnly).await?;
    sqlx::raw_sql("SET LOCAL statement_timeout = '2s' /* indexpilot */")
        .execute(&mut *tx)
        .await?;
    for (schema, table, expr) in wanted {
        let Some(facts) = tables.get_mut(&(schema.clone(), table.clone())) else {
            continue;
        };
        let percent = (PROBE_PAGES / facts.pages.max(1.0) * 100.0).min(100.0);
        let sql = format!(
            "SELECT /* indexpilot */ avg(CASE WHEN ({expr}) IS NULL THEN 1.0 ELSE 0.0 END)::float8,
                    avg(pg_column_size(({expr})))::float8
             FROM {} TABLESAMPLE SYSTEM ({percent}) REPEATABLE (0)",
            crate::ident::quote_qualified(&schema, &table)
        );
        sqlx::raw_sql("SAVEPOINT indexpilot_probe")
            .execute(&mut *tx)
            .await?;
        match sqlx::query_as::<_, (Option<f64>, Option<f64>)>(&sql)
            .fetch_one(&mut *tx)
            .await
        {
            Ok((share, width)) => {
                sqlx::raw_sql("RELEASE SAVEPOINT indexpilot_probe")
                    .execute(&mut *tx)
                    .await?;
                if let Some(width) = width {
                    facts.expression_widths.insert(expr.clone(), width);
                }
                if let Some(share) = share {
                    facts.expression_nulls.insert(expr.clone(), share);
                }
                let non_null = facts.rows * (1.0 - share.unwrap_or(0.0));
                let table = crate::ident::quote_qualified(&schema, &table);
                if let Some(d) = probe_distinct(&mut tx, &table, &expr, percent, non_null).await? {
                    facts.expression_distinct.insert(expr, d);
                }
            }
            Err(e) => {
                tracing::debug!(error = %e, expr, "expression probe skipped");
                sqlx::raw_sql("ROLLBACK TO SAVEPOINT indexpilot_probe")
                    .execute(&mut *tx)
                    .await?;
            }
        }
    }
    tx.rollback().await?;
    Ok(())
}

/// Distinct non-NULL values of `expr` in `non_null` rows, from the page sample the probe
/// read: ANALYZE's estimator (Haas and Stokes' Duj1), `n·d / (n − f1 + f1·n/N)` for `d`
/// values among `n` sampled rows, `f1` of them seen once. None when the values cannot be
/// grouped (a type without equality) or the sample holds none; the probe's savepoint
/// keeps a failure from ending the transaction.
async fn probe_distinct(
    conn: &mut sqlx::PgConnection,
    table: &str,
    expr: &str,
    percent: f64,
    non_null: f64,
) -> Result<Option<f64>> {
    let sql = format!(
        "SELECT /* indexpilot */ count(*)::float8, (count(*) FILTER (WHERE c = 1))::float8, coalesce(sum(c), 0)::float8
         FROM (SELECT count(*) AS c FROM {table} TABLESAMPLE SYSTEM ({percent}) REPEATABLE (0)
               WHERE ({expr}) IS NOT NULL GROUP BY ({expr})) g"
    );
    sqlx::raw_sql("SAVEPOINT indexpilot_distinct")
        .execute(&mut *conn)
        .await?;
    let row = sqlx::query_as::<_, (f64, f64, f64)>(&sql)
        .fetch_one(&mut *conn)
        .await;
    let end = if row.is_ok() {
        "RELEASE SAVEPOINT indexpilot_distinct"
    } else {
        "ROLLBACK TO SAVEPOINT indexpilot_distinct"
    };
    sqlx::raw_sql(end).execute(&mut *conn).await?;
    Ok(row.ok().and_then(|(d, f1, n)| duj1(d, f1, n, non_null)))
}

/// ANALYZE's estimate of the distinct values among `total` rows from `d` values seen in
/// `n` sampled rows, `f1` of them once.
fn duj1(d: f64, f1: f64, n: f64, total: f64) -> Option<f64> {
    if n < 1.0 || d < 1.0 {
        return None;
    }
    if n >= total {
        return Some(d);
    }
    let denominator = n - f1 + f1 * n / total;
    let estimate = if denominator > 0.0 {
        n * d / denominator
    } else {
        total
    };
    Some(estimate.clamp(d, total.max(d)))
}

/// The genome's policy: fields not indexable, fields few or no tenants express; `tenancy`
/// overrides the stored setting (a policy file's).
pub async fn policy(pool: &PgPool, tenancy: Option<&settings::Tenancy>) -> Result<FieldPolicy> {
    let not_indexable: HashSet<(String, String, String)> = sqlx::query_as(
        "SELECT /* indexpilot */ schema_name, table_name, field_name FROM indexpilot.genome_catalog
         WHERE removed_at IS NULL AND NOT is_indexable",
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .collect();
    let tenancy = match tenancy {
        Some(t) => t.clone(),
        None => settings::tenancy(pool).await?,
    };
    // Fields off by default: which tenants turned them on.
    let off: Vec<(String, String, String, Vec<String>)> = sqlx::query_as(
        "SELECT /* indexpilot */ g.schema_name, g.table_name, g.field_name,
                COALESCE(array_agg(p.tenant_id ORDER BY p.tenant_id) FILTER (WHERE p.is_enabled), '{}')
         FROM indexpilot.genome_catalog g
         LEFT JOIN indexpilot.expression_profile p ON p.field_id = g.id
         WHERE g.removed_at IS NULL AND NOT g.default_expression
         GROUP BY 1, 2, 3",
    )
    .fetch_all(pool)
    .await?;
    let tenant_count: i64 = sqlx::query_scalar(
        "SELECT /* indexpilot */ count(DISTINCT tenant_id) FROM indexpilot.expression_profile",
    )
    .fetch_one(pool)
    .await?;
    let tenant_count = usize::try_from(tenant_count).unwrap_or(0);
    let few_limit = (tenant_count / 4).max(1);
    let expressed = off
        .into_iter()
        .map(|(s, t, f, tenants)| {
            let e = match tenants.len() {
                0 => Expressed::Nobody,
                n if n <= few_limit => Expressed::Few(tenants),
                _ => Expressed::Widely,
            };
            ((s, t, f), e)
        })
        .collect();
    Ok(FieldPolicy {
        not_indexable,
        expressed,
        tenant_key: Some(tenancy.tenant_key),
        tenant_count,
    })
}

/// Collation and extensions, for the shape of candidates.
pub async fn database_options(
    pool: &PgPool,
    mut options: CandidateOptions,
) -> Result<CandidateOptions> {
    let collate: String = sqlx::query_scalar(
        "SELECT /* indexpilot */ datcollate::text FROM pg_database WHERE datname = current_database()",
    )
    .fetch_one(pool)
    .await?;
    options.pattern_ops = !matches!(collate.as_str(), "C" | "POSIX");
    options.deduplication = crate::probe::server_version_num(pool).await? >= 130_000;
    options.extensions =
        sqlx::query_scalar("SELECT /* indexpilot */ extname::text FROM pg_extension")
            .fetch_all(pool)
            .await?
            .into_iter()
            .collect();
    Ok(options)
}

/// Tables the workload reaches through views: statements that use a view are never planned
/// while a partial hypothetical index exists (see `whatif`).
pub fn views(catalog: &Catalog) -> HashSet<(String, String)> {
    catalog
        .relations
        .iter()
        .filter(|r| matches!(r.kind, RelationKind::View))
        .map(|r| (r.schema.clone(), r.name.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn distinct_values_are_estimated_as_analyze_does() {
        // Every sampled value seen once: as many values as rows.
        assert_eq!(super::duj1(500.0, 500.0, 500.0, 100_000.0), Some(100_000.0));
        // 300 values each seen many times: no more than were seen.
        let few = super::duj1(300.0, 0.0, 3_000.0, 100_000.0).unwrap_or_default();
        assert!((few - 300.0).abs() < 1e-9, "{few}");
        // The whole table sampled: exactly what was seen.
        assert_eq!(super::duj1(42.0, 10.0, 1_000.0, 1_000.0), Some(42.0));
        assert_eq!(super::duj1(0.0, 0.0, 0.0, 1_000.0), None);
    }
}
