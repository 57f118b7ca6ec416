//! Representative parameter values. A generic plan costs `created_at > $1` as matching a
//! third of the table and `email LIKE $1` as matching anything, so an index for a
//! time window or a prefix search looks useless although every real call uses it. Where
//! the analyser saw which column a parameter is compared with, the statement is planned
//! with a value drawn from that column's statistics instead (a custom plan):
//!
//! - equality and IN: the value a typical call is about — calls follow the data, so on a
//!   skewed column (tenants) one of the most common values, on an even one any value;
//! - `>`/`>=`: the value 5% from the top of the histogram, `<`/`<=` 5% from the bottom,
//!   BETWEEN or both bounds on one column a 5% band in the middle: a window, as
//!   applications ask for;
//! - prefix LIKE: the first three characters of a typical value, then `%`.
//!
//! Parameters compared with nothing the analyser resolved get a value of their type
//! (`LIMIT $1` → 20). Without statistics the statement keeps its generic plan.

use super::candidates::Statement;
use super::facts::{ColumnStats, Expressed, FieldPolicy, TableFacts};
use crate::workload::analyse::{ColumnUse, Role};
use std::collections::{BTreeMap, HashMap};

/// SQL literal per parameter number, for those the analyser tied to a column.
pub type Values = BTreeMap<u32, String>;

/// Share of a histogram a range parameter leaves on its side.
const WINDOW: f64 = 0.05;

pub fn for_statement(
    s: &Statement,
    tables: &HashMap<(String, String), TableFacts>,
    policy: &FieldPolicy,
) -> Values {
    let mut out = Values::new();
    let analysis = s.plan_text().1;
    // A statement on a field only a few tenants express runs for those tenants: its tenant
    // key gets one of them (which is also what lets a tenant-partial index serve it).
    let expressing: Option<Vec<String>> = analysis.columns.iter().find_map(|u| {
        let schema = u.schema.as_deref()?;
        match policy.expressed(schema, &u.table, &u.column) {
            Expressed::Few(t) if !t.is_empty() => Some(t),
            _ => None,
        }
    });
    // A column bounded on both sides (`d >= $1 AND d < $2`) is a window: its bounds sit
    // around the middle, a lower bound alone near the top, an upper bound alone near the
    // bottom.
    let bounded = |u: &ColumnUse, ops: &[&str]| {
        analysis.columns.iter().any(|o| {
            o.role == Role::Range
                && !o.parameters.is_empty()
                && o.table == u.table
                && o.column == u.column
                && o.expression == u.expression
                && o.operator.as_deref().is_some_and(|op| ops.contains(&op))
        })
    };
    for u in &analysis.columns {
        if u.parameters.is_empty() {
            continue;
        }
        if let (Some(tenants), Some(key)) = (&expressing, &policy.tenant_key) {
            if &u.column == key && u.expression.is_none() && u.role == Role::Equality {
                for &p in &u.parameters {
                    out.entry(p).or_insert_with(|| literal(&tenants[0]));
                }
                continue;
            }
        }
        let Some(stats) = u
            .schema
            .as_ref()
            .and_then(|sc| tables.get(&(sc.clone(), u.table.clone())))
            .and_then(|t| t.columns.get(&u.column))
        else {
            continue;
        };
        let lower = u
            .expression
            .as_deref()
            .is_some_and(|e| e.starts_with("lower("));
        for (i, &p) in u.parameters.iter().enumerate() {
            let value = match (u.role, u.operator.as_deref()) {
                (Role::Range, Some(">" | ">=")) if bounded(u, &["<", "<="]) => {
                    quantile(stats, 0.5 - WINDOW / 2.0)
                }
                (Role::Range, Some("<" | "<=")) if bounded(u, &[">", ">="]) => {
                    quantile(stats, 0.5 + WINDOW / 2.0)
                }
                (Role::Range, Some(">" | ">=")) => quantile(stats, 1.0 - WINDOW),
                (Role::Range, Some("<" | "<=")) => quantile(stats, WINDOW),
                (Role::Range, Some(op)) if op.starts_with("between") => quantile(
                    stats,
                    if i == 0 {
                        0.5 - WINDOW / 2.0
                    } else {
                        0.5 + WINDOW / 2.0
                    },
                ),
                (Role::PrefixLike, _) => typical(stats).map(|v| {
                    let v = if lower { v.to_lowercase() } else { v };
                    let prefix: String = v.chars().take(3).collect();
                    format!("{}%", prefix.replace(['%', '_'], ""))
                }),
                (Role::Equality | Role::InList | Role::JoinKey, _) => typical(stats),
                _ => None,
            };
            if let Some(v) = value {
                out.entry(p).or_insert_with(|| literal(&v));
            }
        }
    }
    out
}

/// A value of the given parameter type for parameters tied to no column, or None.
pub fn by_type(type_name: &str) -> Option<String> {
    let t = type_name.trim_end_matches("[]");
    if type_name.ends_with("[]") {
        return Some("'{}'".into());
    }
    Some(
        match t {
            "bigint" | "integer" | "smallint" | "numeric" | "real" | "double precision" => "20",
            "text" | "character varying" | "character" | "name" | "unknown" => "'x'",
            "boolean" => "true",
            "timestamp with time zone" | "timestamp without time zone" => "now()",
            "date" => "current_date",
            "time with time zone" | "time without time zone" => "'12:00'",
            "interval" => "'1 day'",
            "json" | "jsonb" => "'{}'",
            "uuid" => "'00000000-0000-0000-0000-000000000000'",
            "bytea" => "'\\x00'",
            _ => return None,
        }
        .to_string(),
    )
}

/// The value a call is typically about. Calls tend to follow the data (a tenant with a
/// third of the rows gets a share of the calls to match), so the typical call touches a
/// value whose frequency is the row-weighted mean frequency, Σf² / Σf: for a skewed column
/// one of the most common values, for an even one any value (taken from the histogram).
fn typical(stats: &ColumnStats) -> Option<String> {
    let mcv_mass: f64 = stats.mcv.iter().map(|(_, f)| f).sum();
    let rest = (1.0 - mcv_mass - stats.null_frac).max(0.0);
    let others = (stats.n_distinct.unwrap_or(1.0) - stats.mcv.len() as f64).max(1.0);
    let rest_each = rest / others;
    let squares: f64 = stats.mcv.iter().map(|(_, f)| f * f).sum::<f64>() + rest * rest_each;
    let mass = mcv_mass + rest;
    let target = if mass > 0.0 { squares / mass } else { 0.0 };
    let closest_mcv = stats
        .mcv
        .iter()
        .min_by(|a, b| (a.1 - target).abs().total_cmp(&(b.1 - target).abs()));
    match (closest_mcv, stats.histogram.get(stats.histogram.len() / 2)) {
        (Some((v, f)), Some(h)) => {
            if (f - target).abs() < (rest_each - target).abs() {
                Some(v.clone())
            } else {
                Some(h.clone())
            }
        }
        (Some((v, _)), None) => Some(v.clone()),
        (None, Some(h)) => Some(h.clone()),
        (None, None) => None,
    }
}

fn quantile(stats: &ColumnStats, q: f64) -> Option<String> {
    let h = &stats.histogram;
    if h.len() < 2 {
        return None;
    }
    // q is in [0, 1], so the position is within the histogram.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let at = ((h.len() - 1) as f64 * q).round() as usize;
    h.get(at.min(h.len() - 1)).cloned()
}

/// An untyped literal: PostgreSQL casts it to the parameter's type.
fn literal(v: &str) -> String {
    format!("'{}'", v.replace('\'', "''"))
}

/// The value for a parameter of type `type_name`: a value of an array parameter
/// (`= ANY($1)`) as a one-element array; the element parameters of `= ANY(ARRAY[$1, $2])`
/// keep their value.
pub fn for_type(value: &str, type_name: &str) -> String {
    let Some(inner) = value
        .strip_prefix('\'')
        .and_then(|v| v.strip_suffix('\''))
        .filter(|v| type_name.ends_with("[]") && !v.starts_with('{'))
    else {
        return value.to_string();
    };
    let element = inner
        .replace("''", "'")
        .replace('\\', "\\\\")
        .replace('"', "\\\"");
    literal(&format!("{{\"{element}\"}}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workload::analyse::{Analysis, ColumnUse, StatementKind};

    fn stats() -> ColumnStats {
        ColumnStats {
            n_distinct: Some(1000.0),
            histogram: (0..=100).map(|i| format!("v{i:03}")).collect(),
            mcv: vec![("big".into(), 0.3), ("small".into(), 0.01)],
            ..ColumnStats::default()
        }
    }

    fn use_(
        column: &str,
        role: Role,
        op: &str,
        params: Vec<u32>,
        expression: Option<&str>,
    ) -> ColumnUse {
        ColumnUse {
            schema: Some("s".into()),
            table: "t".into(),
            column: column.into(),
            role,
            expression: expression.map(String::from),
            operator: Some(op.into()),
            constant: None,
            parameters: params,
            position: None,
            direction: None,
            nulls: None,
        }
    }

    fn tables(columns: &[&str]) -> HashMap<(String, String), TableFacts> {
        let mut facts = TableFacts {
            schema: "s".into(),
            table: "t".into(),
            ..TableFacts::default()
        };
        for c in columns {
            facts.columns.insert((*c).into(), stats());
        }
        [(("s".to_string(), "t".to_string()), facts)].into()
    }

    fn statement(columns: Vec<ColumnUse>) -> Statement {
        Statement {
            queryid: 1,
            query: String::new(),
            calls: 1.0,
            rows: 1.0,
            total_ms: 0.0,
            analysis: Analysis {
                kind: StatementKind::Select,
                tables: vec![],
                columns,
                warnings: vec![],
                error: None,
            },
            sample: None,
        }
    }

    #[test]
    fn values_follow_the_role_of_each_parameter() {
        let tables = tables(&["a", "d", "e", "f"]);
        let s = statement(vec![
            use_("a", Role::Equality, "=", vec![1], None),
            use_("d", Role::Range, ">=", vec![2], None),
            use_("e", Role::Range, "between", vec![3, 4], None),
            use_("f", Role::PrefixLike, "like", vec![5], Some("lower(f)")),
        ]);
        let v = for_statement(&s, &tables, &FieldPolicy::default());
        // Skewed: the value a row-weighted call is about.
        assert_eq!(v.get(&1).map(String::as_str), Some("'small'"));
        assert_eq!(v.get(&2).map(String::as_str), Some("'v095'"));
        assert_eq!(v.get(&3).map(String::as_str), Some("'v048'"));
        assert_eq!(v.get(&4).map(String::as_str), Some("'v053'"));
        assert_eq!(v.get(&5).map(String::as_str), Some("'sma%'"));
        // Both bounds on one column: a window in the middle, not an empty range.
        let window = statement(vec![
            use_("d", Role::Range, ">=", vec![1], None),
            use_("d", Role::Range, "<", vec![2], None),
        ]);
        let w = for_statement(&window, &tables, &FieldPolicy::default());
        assert_eq!(w.get(&1).map(String::as_str), Some("'v048'"));
        assert_eq!(w.get(&2).map(String::as_str), Some("'v053'"));
        // Even: any value, from the histogram.
        let even = ColumnStats {
            mcv: vec![],
            ..stats()
        };
        assert_eq!(typical(&even).as_deref(), Some("v050"));
        assert_eq!(by_type("integer").as_deref(), Some("20"));
        // `= ANY($1)` takes an array, `= ANY(ARRAY[$1, $2])` its elements.
        assert_eq!(for_type("'it''s'", "text[]"), "'{\"it''s\"}'");
        assert_eq!(for_type("'42'", "bigint"), "'42'");
        assert_eq!(for_type("'{}'", "bigint[]"), "'{}'");
        assert_eq!(by_type("point"), None);
    }

    #[test]
    fn a_field_few_tenants_express_is_costed_for_one_of_them() {
        let tables = tables(&["tenant_id", "custom_x"]);
        let policy = FieldPolicy {
            expressed: [(
                ("s".to_string(), "t".to_string(), "custom_x".to_string()),
                Expressed::Few(vec!["7".into(), "9".into()]),
            )]
            .into(),
            tenant_key: Some("tenant_id".into()),
            ..FieldPolicy::default()
        };
        let s = statement(vec![
            use_("tenant_id", Role::Equality, "=", vec![1], None),
            use_("custom_x", Role::Equality, "=", vec![2], None),
        ]);
        let v = for_statement(&s, &tables, &policy);
        assert_eq!(v.get(&1).map(String::as_str), Some("'7'"));
        assert_eq!(v.get(&2).map(String::as_str), Some("'small'"));
    }
}
