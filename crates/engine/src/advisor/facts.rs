//! What the advisor knows about the database besides the workload: per table its size,
//! column statistics (from `pg_stats`, never from scanning the table), existing indexes and
//! write behaviour; per field its genome flags and how many tenants express it. Plain data,
//! so that the candidate stage is a pure function of it.

use crate::catalog::Index;
use std::collections::{BTreeMap, HashMap, HashSet};

/// `pg_stats` for one column, as the planner sees it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ColumnStats {
    /// Distinct values (already multiplied out when pg_stats gives a fraction); None when the
    /// table was never analysed.
    pub n_distinct: Option<f64>,
    pub null_frac: f64,
    pub avg_width: i32,
    /// Most common values as pg_stats prints them, with their frequencies.
    pub mcv: Vec<(String, f64)>,
    /// pg_stats histogram bounds (values other than the most common, in order).
    pub histogram: Vec<String>,
    /// An array column's most common elements with their frequencies (share of rows
    /// holding each).
    pub elements: Vec<(String, f64)>,
    /// How closely the physical row order follows the column's order (-1 to 1).
    pub correlation: Option<f64>,
    pub data_type: String,
}

impl ColumnStats {
    /// Share of rows an equality with an unknown value selects, as the planner's generic plan
    /// estimates it; None without statistics.
    pub fn equality_share(&self) -> Option<f64> {
        let n = self.n_distinct?;
        Some((1.0 - self.null_frac) / n.max(1.0))
    }

    /// Share of rows equal to one constant (`'open'`, `true`), from the most common values
    /// when it is one of them, else spread over the other values.
    pub fn constant_share(&self, literal: &str) -> Option<f64> {
        let value = unquote(literal);
        if let Some((_, f)) = self.mcv.iter().find(|(v, _)| *v == value) {
            return Some(*f);
        }
        let n = self.n_distinct?;
        let mcv_total: f64 = self.mcv.iter().map(|(_, f)| f).sum();
        let others = (n - self.mcv.len() as f64).max(1.0);
        Some(((1.0 - mcv_total - self.null_frac).max(0.0)) / others)
    }
}

/// `'open'` → `open`, `true` → `t` (how pg_stats prints booleans), `42` → `42`.
fn unquote(literal: &str) -> String {
    let t = literal.trim();
    match t {
        "true" => return "t".into(),
        "false" => return "f".into(),
        _ => {}
    }
    let t = t.split("::").next().unwrap_or(t);
    if t.len() >= 2 && t.starts_with('\'') && t.ends_with('\'') {
        t[1..t.len() - 1].replace("''", "'")
    } else {
        t.to_string()
    }
}

#[derive(Debug, Clone, Default)]
pub struct TableFacts {
    pub schema: String,
    pub table: String,
    /// The planner's row estimate (reltuples).
    pub rows: f64,
    /// Heap pages (from the relation's size).
    pub pages: f64,
    pub columns: BTreeMap<String, ColumnStats>,
    /// Valid indexes the table has now.
    pub indexes: Vec<Index>,
    /// Leaf partitions, for a partitioned table (its rows and pages are theirs); 0 for
    /// any other table.
    pub partitions: usize,
    /// Share of updates that were HOT (pg_stat_user_tables); 0 without updates.
    pub hot_ratio: f64,
    /// Columns with a primary key, in key order (for partial indexes that need a key).
    pub primary_key: Vec<String>,
    /// Share of rows where an expression the workload filters on is NULL (`properties ->>
    /// 'campaign'`), from a small page sample: pg_stats knows only columns.
    pub expression_nulls: HashMap<String, f64>,
    /// Average bytes of such an expression's non-NULL values, from the same sample.
    pub expression_widths: HashMap<String, f64>,
    /// Distinct non-NULL values of such an expression in the whole table, estimated from
    /// the same sample as ANALYZE estimates a column's.
    pub expression_distinct: HashMap<String, f64>,
}

/// How many tenants express a field (see the expression profile).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expressed {
    /// On by default, or no tenancy: any tenant may query it.
    Widely,
    /// Off by default and on for these tenants only.
    Few(Vec<String>),
    /// Off by default and on for nobody.
    Nobody,
}

/// The genome's say over what may be indexed.
#[derive(Debug, Clone, Default)]
pub struct FieldPolicy {
    /// (schema, table, column) flagged `is_indexable = false`.
    pub not_indexable: HashSet<(String, String, String)>,
    /// Fields that are not expressed widely; absent means [`Expressed::Widely`].
    pub expressed: HashMap<(String, String, String), Expressed>,
    /// The tenant key column (`tenant_id`), when tenancy is set up.
    pub tenant_key: Option<String>,
    /// Tenants in all, for "few" (a share of them).
    pub tenant_count: usize,
}

impl FieldPolicy {
    pub fn indexable(&self, schema: &str, table: &str, column: &str) -> bool {
        !self
            .not_indexable
            .contains(&(schema.to_string(), table.to_string(), column.to_string()))
    }

    pub fn expressed(&self, schema: &str, table: &str, column: &str) -> Expressed {
        self.expressed
            .get(&(schema.to_string(), table.to_string(), column.to_string()))
            .cloned()
            .unwrap_or(Expressed::Widely)
    }
}

/// Knobs of the candidate stage.
#[derive(Debug, Clone)]
pub struct CandidateOptions {
    /// Tables with fewer rows are left to sequential scans.
    pub min_table_rows: f64,
    /// A key whose predicates select a larger share of the table is not selective enough.
    pub max_share: f64,
    /// A constant predicate selecting at most this share of rows makes a partial index.
    pub partial_max_share: f64,
    /// At most this many columns in INCLUDE for an index-only scan.
    pub max_include: usize,
    /// The database's collation is not C: prefix LIKE needs a `*_pattern_ops` key.
    pub pattern_ops: bool,
    /// Extensions present in the database (`pg_trgm`, `btree_gin`, …).
    pub extensions: HashSet<String>,
    /// Partial indexes may be proposed (the policy's `partial_indexes`).
    pub partial: bool,
    /// Indexes on expressions may be proposed (the policy's `expression_indexes`).
    pub expressions: bool,
    /// The server deduplicates repeated B-tree keys (PostgreSQL 13 and later).
    pub deduplication: bool,
}

impl Default for CandidateOptions {
    fn default() -> Self {
        CandidateOptions {
            min_table_rows: 10_000.0,
            max_share: 0.2,
            partial_max_share: 0.2,
            max_include: 3,
            pattern_ops: false,
            extensions: HashSet::new(),
            partial: true,
            expressions: true,
            deduplication: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_are_looked_up_in_the_most_common_values() {
        let s = ColumnStats {
            n_distinct: Some(4.0),
            null_frac: 0.0,
            avg_width: 4,
            mcv: vec![
                ("ok".into(), 0.9),
                ("failed".into(), 0.02),
                ("t".into(), 0.05),
            ],
            data_type: "text".into(),
            ..ColumnStats::default()
        };
        assert_eq!(s.constant_share("'failed'"), Some(0.02));
        assert_eq!(s.constant_share("'failed'::text"), Some(0.02));
        assert_eq!(s.constant_share("true"), Some(0.05));
        // Not among them: what the common values leave, over the other distinct values.
        let rare = s.constant_share("'other'").unwrap();
        assert!((rare - 0.03).abs() < 1e-9, "{rare}");
        assert_eq!(s.equality_share(), Some(0.25));
    }
}
