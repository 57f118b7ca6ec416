//! Index sizes as PostgreSQL 13 and later build them. HypoPG sizes a B-tree as one leaf
//! tuple per row, but since PostgreSQL 13 a B-tree stores a key that repeats once, with a
//! list of 6-byte row pointers (deduplication): an index on a low-cardinality column or a
//! foreign key is often a third of HypoPG's figure, and a storage budget judged on the
//! undeduplicated size turns such indexes away for room they would never take.

use super::facts::TableFacts;
use super::index_def::{IndexDef, Method};

/// Bytes of one extra row pointer in a posting list.
const TID: f64 = 6.0;
/// Leaf tuple header (with its row pointer) and line pointer.
const TUPLE_OVERHEAD: f64 = 8.0 + 4.0;

/// Types whose equal values may differ in their bytes (or containers of values): B-tree
/// deduplication is off for them.
fn deduplicates(data_type: &str) -> bool {
    let t = data_type.to_ascii_lowercase();
    !(t.ends_with("[]")
        || t.starts_with("numeric")
        || t.starts_with("real")
        || t.starts_with("double precision")
        || t.starts_with("float")
        || t == "jsonb"
        || t == "json"
        || t.ends_with("range")
        || t.ends_with("multirange"))
}

/// HypoPG's estimate of `def`, scaled to what deduplication leaves: the share of distinct
/// keys among the rows, plus a row pointer per row for the others. Unchanged when the
/// index cannot deduplicate (INCLUDE columns, another access method, a type that never
/// deduplicates, servers before 13) or when the facts do not say enough: expressions and
/// partial indexes (their distinct keys among the rows they hold are unknown), columns
/// without statistics.
pub fn deduplicated(def: &IndexDef, facts: &TableFacts, hypo_bytes: i64, enabled: bool) -> i64 {
    if !enabled
        || def.method != Method::Btree
        || !def.include.is_empty()
        || def.predicate.is_some()
        || facts.rows < 1.0
    {
        return hypo_bytes;
    }
    let mut distinct = 1.0f64;
    let mut width = 0.0f64;
    for k in &def.keys {
        if k.expression.is_some() {
            return hypo_bytes;
        }
        let Some(stats) = facts.columns.get(&k.column) else {
            return hypo_bytes;
        };
        let Some(n) = stats.n_distinct else {
            return hypo_bytes;
        };
        if !deduplicates(&stats.data_type) {
            return hypo_bytes;
        }
        // NULL is one more key, and deduplicates like any other.
        distinct *= n.max(1.0) + if stats.null_frac > 0.0 { 1.0 } else { 0.0 };
        width += f64::from(stats.avg_width.max(1));
    }
    let share = (distinct / facts.rows).min(1.0);
    let tuple = TUPLE_OVERHEAD + (width / 8.0).ceil() * 8.0;
    let factor = (share + TID / tuple).min(1.0);
    // A size estimate far below i64::MAX; the saturating float-to-int cast is the intent.
    #[allow(clippy::cast_possible_truncation)]
    let bytes = (hypo_bytes as f64 * factor) as i64;
    bytes.max(8192)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisor::facts::ColumnStats;

    fn facts() -> TableFacts {
        let col = |n: f64, null_frac: f64, width: i32, t: &str| ColumnStats {
            n_distinct: Some(n),
            null_frac,
            avg_width: width,
            data_type: t.into(),
            ..ColumnStats::default()
        };
        TableFacts {
            rows: 200_000.0,
            columns: [
                ("deal_id".to_string(), col(20_000.0, 0.4, 8, "bigint")),
                (
                    "occurred_at".to_string(),
                    col(200_000.0, 0.0, 8, "timestamp with time zone"),
                ),
                ("amount".to_string(), col(50.0, 0.0, 8, "numeric(12,2)")),
                ("tenant_id".to_string(), col(40.0, 0.0, 4, "integer")),
            ]
            .into(),
            ..TableFacts::default()
        }
    }

    fn def(cols: &[&str]) -> IndexDef {
        crate::advisor::index_def::test_btree(cols, None)
    }

    #[test]
    fn repeated_keys_shrink_to_their_posting_lists() {
        let f = facts();
        let hypo = 9_000_000;
        // 20,001 keys over 200,000 rows: a tenth of the tuples, plus 6 of 20 bytes a row.
        let fk = deduplicated(&def(&["deal_id"]), &f, hypo, true);
        assert!((3_500_000..3_700_000).contains(&fk), "{fk}");
        // Unique timestamps: nothing to share.
        assert_eq!(deduplicated(&def(&["occurred_at"]), &f, hypo, true), hypo);
        // Two columns multiply their distinct values, up to one key per row.
        assert_eq!(
            deduplicated(&def(&["tenant_id", "occurred_at"]), &f, hypo, true),
            hypo
        );
        assert!(deduplicated(&def(&["tenant_id"]), &f, hypo, true) < hypo / 2);
    }

    #[test]
    fn indexes_that_cannot_deduplicate_keep_hypopg_s_size() {
        let f = facts();
        let hypo = 9_000_000;
        assert_eq!(deduplicated(&def(&["amount"]), &f, hypo, true), hypo);
        assert_eq!(deduplicated(&def(&["deal_id"]), &f, hypo, false), hypo);
        let mut covering = def(&["deal_id"]);
        covering.include = vec!["amount".into()];
        assert_eq!(deduplicated(&covering, &f, hypo, true), hypo);
        let mut partial = def(&["deal_id"]);
        partial.predicate = Some("deal_id IS NOT NULL".into());
        assert_eq!(deduplicated(&partial, &f, hypo, true), hypo);
        assert_eq!(deduplicated(&def(&["missing"]), &f, hypo, true), hypo);
    }
}
