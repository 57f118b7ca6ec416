//! Approximate rows per tenant from the planner's statistics (pg_stats), never by scanning:
//! a tenant among the most common values gets its measured share of the table; the others
//! share what remains evenly.

use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ColumnStats {
    pub schema: String,
    pub table: String,
    pub null_frac: f64,
    pub n_distinct: f64,
    pub mcv: Option<Vec<String>>,
    pub mcf: Option<Vec<f64>>,
    pub row_estimate: f64,
    pub table_bytes: i64,
}

/// Tenant-key statistics of every analysed, non-partitioned-parent table.
pub(super) const STATS_SQL: &str = "
SELECT /* indexpilot */ s.schemaname::text AS schema, s.tablename::text AS \"table\", s.null_frac::float8,
       s.n_distinct::float8, s.most_common_vals::text::text[] AS mcv,
       s.most_common_freqs::float8[] AS mcf, greatest(c.reltuples, 0)::float8 AS row_estimate,
       c.relpages::int8 * current_setting('block_size')::int8 AS table_bytes
FROM pg_stats s
JOIN pg_namespace n ON n.nspname = s.schemaname
JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = s.tablename
WHERE s.attname = $1 AND NOT s.inherited AND c.relkind = 'r'
  AND s.schemaname NOT IN ('pg_catalog', 'information_schema', 'indexpilot')
ORDER BY 1, 2";

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Estimate {
    pub rows: f64,
    pub bytes: f64,
    /// Whether the tenant appeared among the most common values of at least one table.
    pub measured: bool,
}

/// Rows and bytes per tenant across tables; `tenants` lists tenants known from elsewhere
/// (the tenants table) so that tail tenants get their share too.
pub fn estimate(stats: &[ColumnStats], tenants: &[String]) -> HashMap<String, Estimate> {
    let mut out: HashMap<String, Estimate> = tenants
        .iter()
        .map(|t| (t.clone(), Estimate::default()))
        .collect();
    for s in stats {
        let rows = s.row_estimate;
        if rows <= 0.0 {
            continue;
        }
        let bytes_per_row = s.table_bytes as f64 / rows;
        let mcv = s.mcv.clone().unwrap_or_default();
        let mcf = s.mcf.clone().unwrap_or_default();
        let distinct = if s.n_distinct < 0.0 {
            -s.n_distinct * rows
        } else {
            s.n_distinct
        };
        let tail_share = (1.0 - s.null_frac - mcf.iter().sum::<f64>()).max(0.0);
        let tail_tenants = (distinct - mcv.len() as f64).max(1.0);
        let tail_rows = rows * tail_share / tail_tenants;
        for (value, freq) in mcv.iter().zip(&mcf) {
            let e = out.entry(value.clone()).or_default();
            e.rows += freq * rows;
            e.bytes += freq * rows * bytes_per_row;
            e.measured = true;
        }
        for (tenant, e) in out.iter_mut() {
            if !mcv.contains(tenant) && tail_share > 0.0 {
                e.rows += tail_rows;
                e.bytes += tail_rows * bytes_per_row;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_values_get_their_share_and_the_tail_splits_the_rest() {
        let stats = [ColumnStats {
            schema: "s".into(),
            table: "t".into(),
            null_frac: 0.0,
            n_distinct: 4.0,
            mcv: Some(vec!["1".into(), "2".into()]),
            mcf: Some(vec![0.6, 0.2]),
            row_estimate: 1000.0,
            table_bytes: 100_000,
        }];
        let e = estimate(&stats, &["1".into(), "3".into(), "4".into()]);
        assert!((e["1"].rows - 600.0).abs() < 1e-6);
        assert!((e["2"].rows - 200.0).abs() < 1e-6);
        assert!((e["3"].rows - 100.0).abs() < 1e-6 && !e["3"].measured);
        assert!((e["1"].bytes - 60_000.0).abs() < 1e-6);
    }
}
