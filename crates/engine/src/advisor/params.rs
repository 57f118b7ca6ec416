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
    let expressing = expressing_tenants(s, policy);
    // A column bounded on both sides (`d >= $1 AND d < $2`) is a window: its bounds sit
    // around the middle, a lower bound alone near the top, an upper bound alone near the
    // bottom.
    let bounded = |u: &ColumnUse, ops: &[&str]| {
        analysis.columns.iter().any(|o| {
            o.role == Role::Range
                && !(o.parameters.is_empty() && o.since_now.is_empty())
                && o.table == u.table
                && o.column == u.column
                && o.expression == u.expression
                && o.operator.as_deref().is_some_and(|op| ops.contains(&op))
        })
    };
    for u in &analysis.columns {
        if let Some(v) = since_now(u, tables, &bounded) {
            for &p in &u.since_now {
                out.entry(p).or_insert_with(|| v.clone());
            }
        }
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
        let Some(stats) = column_stats(u, tables) else {
            continue;
        };
        let lower = u
            .expression
            .as_deref()
            .is_some_and(|e| e.starts_with("lower("));
        for (i, &p) in u.parameters.iter().enumerate() {
            let value = match (u.role, u.operator.as_deref()) {
                (Role::Range, Some(op)) if op.starts_with("between") => quantile(
                    stats,
                    if i == 0 {
                        0.5 - WINDOW / 2.0
                    } else {
                        0.5 + WINDOW / 2.0
                    },
                ),
                (Role::Range, _) => bound_position(u, &bounded).and_then(|q| quantile(stats, q)),
                (Role::PrefixLike, _) => typical(stats).map(|v| {
                    let v = if lower { v.to_lowercase() } else { v };
                    let prefix: String = v.chars().take(3).collect();
                    format!("{}%", prefix.replace(['%', '_'], ""))
                }),
                (Role::Equality | Role::InList | Role::JoinKey, _) => typical(stats),
                (Role::Contains, op) => contained(stats, op.unwrap_or(""), i),
                (Role::Substring, op) => fragment(stats)
                    .map(|w| pattern_piece(op.unwrap_or(""), &w, i, u.parameters.len())),
                _ => None,
            };
            if let Some(v) = value {
                out.entry(p).or_insert_with(|| literal(&v));
            }
        }
    }
    out
}

/// The length for a window counted back from now (`at > now() - $1`), as an interval
/// expression: the one that puts the bound where a bound given as a value would be (5% from
/// the top of the histogram for a lower bound alone), so "the last N days" is costed on the
/// share of rows the data has there, not on a length guessed from the type alone.
fn since_now(
    u: &ColumnUse,
    tables: &HashMap<(String, String), TableFacts>,
    bounded: &dyn Fn(&ColumnUse, &[&str]) -> bool,
) -> Option<String> {
    if u.since_now.is_empty() || u.role != Role::Range {
        return None;
    }
    let stats = column_stats(u, tables)?;
    if !(stats.data_type.starts_with("timestamp") || stats.data_type == "date") {
        return None;
    }
    let bound = quantile(stats, bound_position(u, bounded)?)?;
    Some(format!("(now() - {}::timestamptz)", literal(&bound)))
}

/// Where in the column's histogram a `<`/`>` bound sits, whether given as a value or counted
/// back from now: a window in the middle when the column is bounded on both sides, else 5%
/// from the top for a lower bound alone and 5% from the bottom for an upper one.
fn bound_position(u: &ColumnUse, bounded: &dyn Fn(&ColumnUse, &[&str]) -> bool) -> Option<f64> {
    match u.operator.as_deref()? {
        ">" | ">=" if bounded(u, &["<", "<="]) => Some(0.5 - WINDOW / 2.0),
        "<" | "<=" if bounded(u, &[">", ">="]) => Some(0.5 + WINDOW / 2.0),
        ">" | ">=" => Some(1.0 - WINDOW),
        "<" | "<=" => Some(WINDOW),
        _ => None,
    }
}

/// A statement on a field only a few tenants express runs for those tenants: its tenant
/// key gets one of them (which is also what lets a tenant-partial index serve it).
fn expressing_tenants(s: &Statement, policy: &FieldPolicy) -> Option<Vec<String>> {
    s.plan_text().1.columns.iter().find_map(|u| {
        let schema = u.schema.as_deref()?;
        match policy.expressed(schema, &u.table, &u.column) {
            Expressed::Few(t) if !t.is_empty() => Some(t),
            _ => None,
        }
    })
}

/// The value sets a statement is planned with: the typical call, and where a parameter
/// feeds an operator whose selectivity the planner can only guess (containment, a substring
/// search) or an equality on a skewed column, a rare call as well. With such a filter an
/// index scan in ORDER BY order under a LIMIT is cheap when matches are common and reads the
/// whole index when they are rare, while an index on the filter stays cheap either way: the
/// statement is costed at the worse of the two (see `WhatIf::plan_each`), so an index is
/// chosen for both kinds of call.
pub fn sets_for_statement(
    s: &Statement,
    tables: &HashMap<(String, String), TableFacts>,
    policy: &FieldPolicy,
) -> Vec<Values> {
    let typical = for_statement(s, tables, policy);
    let mut rare = typical.clone();
    let mut differs = false;
    // The tenant key is a skewed column like any other (a small tenant's feed read through
    // an index on the time alone has to skip past the big tenants' rows), except in a
    // statement on a field few tenants express, which runs for those (see `for_statement`).
    let few_tenants = expressing_tenants(s, policy).is_some();
    for u in &s.plan_text().1.columns {
        let guessed = matches!(u.role, Role::Contains | Role::Substring);
        let keyed = matches!(u.role, Role::Equality | Role::InList)
            && u.expression.is_none()
            && !(few_tenants && policy.tenant_key.as_deref() == Some(u.column.as_str()));
        if !(guessed || keyed) || u.parameters.is_empty() {
            continue;
        }
        let Some(stats) = column_stats(u, tables) else {
            continue;
        };
        let op = u.operator.as_deref().unwrap_or("");
        for (i, &p) in u.parameters.iter().enumerate() {
            let value = match u.role {
                Role::Contains => rare_contained(stats, op, i),
                Role::Substring => {
                    rare_fragment(stats).map(|w| pattern_piece(op, &w, i, u.parameters.len()))
                }
                _ => rare_equal(stats),
            };
            if let Some(v) = value {
                rare.insert(p, literal(&v));
                differs = true;
            }
        }
    }
    if differs {
        vec![typical, rare]
    } else {
        vec![typical]
    }
}

/// A rare value for an equality on a skewed column, whose typical call is about one of the
/// most common values (a big tenant, a big shop): one of the many others, which a LIMIT read
/// in another index's order has to look much further for. None on an even column.
fn rare_equal(stats: &ColumnStats) -> Option<String> {
    let common = stats.mcv.iter().map(|(_, f)| *f).fold(0.0, f64::max);
    let mcv_mass: f64 = stats.mcv.iter().map(|(_, f)| f).sum();
    let others = (stats.n_distinct.unwrap_or(1.0) - stats.mcv.len() as f64).max(1.0);
    let other_each = (1.0 - mcv_mass - stats.null_frac).max(0.0) / others;
    let skewed = typical(stats).is_some_and(|t| stats.mcv.iter().any(|(v, _)| *v == t))
        && other_each * RARE_RATIO < common;
    skewed
        .then(|| stats.histogram.get(stats.histogram.len() / 2).cloned())
        .flatten()
}

/// A column is skewed when its most common value is this many times as frequent as the
/// values outside the most common ones.
const RARE_RATIO: f64 = 20.0;

/// A rare value for a containment parameter: every attribute of a jsonb value outside the
/// most common ones (it matches that row and few others), or the least common elements of
/// an array column.
fn rare_contained(stats: &ColumnStats, op: &str, n: usize) -> Option<String> {
    if stats.data_type == "jsonb" {
        // A value outside the most common ones, with all its attributes.
        let text = stats
            .histogram
            .get(stats.histogram.len() / 2)
            .cloned()
            .or_else(|| typical(stats))?;
        let value: serde_json::Value = serde_json::from_str(&text).ok()?;
        return (op == "@>").then(|| value.to_string());
    }
    let mut elements = stats.elements.clone();
    elements.sort_by(|a, b| a.1.total_cmp(&b.1));
    elements.into_iter().nth(n).map(|(v, _)| v)
}

/// A rare substring: a typical value whole, without wildcards.
fn rare_fragment(stats: &ColumnStats) -> Option<String> {
    let v = typical(stats)?.replace(['%', '_'], "").to_lowercase();
    (!v.trim().is_empty()).then_some(v)
}

/// The value of the `i`th of `n` parameters of a substring pattern: the whole pattern for a
/// bare parameter; in a pattern built around them (`'%' || $1 || '%'`, whose wildcards
/// pg_stat_statements turns into parameters too: `$2 || $1 || $3`), the wildcards at the
/// ends and the word between.
fn pattern_piece(op: &str, word: &str, i: usize, n: usize) -> String {
    if !op.ends_with("fragment") {
        return format!("%{word}%");
    }
    if n >= 3 && (i == 0 || i == n - 1) || n == 2 && i == 0 {
        "%".to_string()
    } else {
        word.to_string()
    }
}

/// The statistics of the column a use reads, when its table is known.
fn column_stats<'t>(
    u: &ColumnUse,
    tables: &'t HashMap<(String, String), TableFacts>,
) -> Option<&'t ColumnStats> {
    let schema = u.schema.as_ref()?;
    tables
        .get(&(schema.clone(), u.table.clone()))?
        .columns
        .get(&u.column)
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

/// A value for the `n`th parameter of a containment test, from what the column holds: a
/// filter on two attributes of a typical jsonb value (`{"color": "red", "size": "m"}`), one
/// of its keys for `?`, or the typical elements of an array column, a different one for each
/// parameter (`tags @> ARRAY[$1, $2]`). A value of the type alone (`'{}'`) matches every
/// row, or none, and makes an index scan in ORDER BY order look free.
fn contained(stats: &ColumnStats, op: &str, n: usize) -> Option<String> {
    if stats.data_type == "jsonb" {
        let value: serde_json::Value = serde_json::from_str(&typical(stats)?).ok()?;
        let object = value.as_object()?;
        return match op {
            "@>" => {
                let pairs: serde_json::Map<String, serde_json::Value> = object
                    .iter()
                    .filter(|(_, v)| !v.is_object() && !v.is_array())
                    .take(2)
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                (!pairs.is_empty()).then(|| serde_json::Value::Object(pairs).to_string())
            }
            _ => object
                .keys()
                .nth(n)
                .or_else(|| object.keys().next())
                .cloned(),
        };
    }
    typical_elements(stats).into_iter().nth(n)
}

/// An array column's most common elements, the most typical first (see `typical`).
fn typical_elements(stats: &ColumnStats) -> Vec<String> {
    let mass: f64 = stats.elements.iter().map(|(_, f)| f).sum();
    if mass <= 0.0 {
        return Vec::new();
    }
    let target = stats.elements.iter().map(|(_, f)| f * f).sum::<f64>() / mass;
    let mut by_closeness: Vec<&(String, f64)> = stats.elements.iter().collect();
    by_closeness.sort_by(|a, b| (a.1 - target).abs().total_cmp(&(b.1 - target).abs()));
    by_closeness.into_iter().map(|(v, _)| v.clone()).collect()
}

/// A word of a typical value, for a substring search (`ILIKE '%' || $1 || '%'`): of its
/// words, the one fewest of the column's sampled values contain. People search for the word
/// that tells things apart (a category, a material), not for the one most values share
/// (`handmade`), and the histogram's values are an even sample of the column.
fn fragment(stats: &ColumnStats) -> Option<String> {
    let value = typical(stats)?.to_lowercase();
    let sample: Vec<String> = stats
        .histogram
        .iter()
        .chain(stats.mcv.iter().map(|(v, _)| v))
        .map(|v| v.to_lowercase())
        .collect();
    let mut words: Vec<&str> = value
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .collect();
    words.dedup();
    words
        .into_iter()
        .min_by_key(|w| {
            (
                sample.iter().filter(|v| v.contains(w)).count(),
                usize::MAX - w.len(),
            )
        })
        .map(str::to_string)
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
            since_now: vec![],
            position: None,
            direction: None,
            nulls: None,
            partner: None,
            alias: None,
            alternative: false,
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

    /// `at > now() - interval '7 days'` reaches the advisor as `at > now() - $1`: the
    /// length is the one that puts the bound where `at > $1` would have its value, counted
    /// back from the server's clock; a column that holds no time gets none.
    #[test]
    fn a_window_back_from_now_is_as_long_as_a_bound_would_be() {
        let mut tables = tables(&["at", "n"]);
        let facts = tables
            .get_mut(&("s".to_string(), "t".to_string()))
            .unwrap_or_else(|| panic!("fixture"));
        let days: Vec<String> = (1..=28).map(|d| format!("2026-01-{d:02}")).collect();
        facts.columns.insert(
            "at".into(),
            ColumnStats {
                data_type: "timestamp with time zone".into(),
                mcv: vec![],
                histogram: days,
                ..stats()
            },
        );
        let window = |op: &str| {
            let mut u = use_("at", Role::Range, op, vec![], None);
            u.since_now = vec![2];
            u
        };
        let v = for_statement(
            &statement(vec![window(">")]),
            &tables,
            &FieldPolicy::default(),
        );
        assert_eq!(
            v.get(&2).map(String::as_str),
            Some("(now() - '2026-01-27'::timestamptz)")
        );
        let v = for_statement(
            &statement(vec![window("<")]),
            &tables,
            &FieldPolicy::default(),
        );
        assert_eq!(
            v.get(&2).map(String::as_str),
            Some("(now() - '2026-01-02'::timestamptz)")
        );
        let mut not_time = use_("n", Role::Range, ">", vec![], None);
        not_time.since_now = vec![2];
        let v = for_statement(&statement(vec![not_time]), &tables, &FieldPolicy::default());
        assert_eq!(v.get(&2), None);
    }

    #[test]
    fn guessed_filters_and_skewed_keys_get_a_rare_call_too() {
        let mut tables = tables(&["shop", "attrs", "tags", "title"]);
        let facts = tables
            .get_mut(&("s".to_string(), "t".to_string()))
            .unwrap_or_else(|| panic!("fixture"));
        // A shop with most of the rows; the others each hold a tiny share.
        facts.columns.insert(
            "shop".into(),
            ColumnStats {
                mcv: vec![("1".into(), 0.6)],
                ..stats()
            },
        );
        facts.columns.insert(
            "attrs".into(),
            ColumnStats {
                data_type: "jsonb".into(),
                mcv: vec![],
                histogram: vec![r#"{"brand": "acme", "color": "red", "size": "m"}"#.into()],
                ..stats()
            },
        );
        facts.columns.insert(
            "tags".into(),
            ColumnStats {
                data_type: "text[]".into(),
                elements: vec![
                    ("gift".into(), 0.3),
                    ("rare".into(), 0.001),
                    ("sale".into(), 0.1),
                ],
                ..stats()
            },
        );
        facts.columns.insert(
            "title".into(),
            ColumnStats {
                mcv: vec![],
                histogram: vec![
                    "Oak desk".into(),
                    "Oak desk lamp".into(),
                    "Pine desk".into(),
                ],
                ..stats()
            },
        );
        let s = statement(vec![
            use_("shop", Role::Equality, "=", vec![1], None),
            use_("attrs", Role::Contains, "@>", vec![2], None),
            use_("tags", Role::Contains, "&&", vec![3, 4], None),
            use_(
                "title",
                Role::Substring,
                "ilike fragment",
                vec![5, 6, 7],
                None,
            ),
        ]);
        let sets = sets_for_statement(&s, &tables, &FieldPolicy::default());
        assert_eq!(sets.len(), 2);
        let (typical, rare) = (&sets[0], &sets[1]);
        let get = |v: &Values, p: u32| v.get(&p).cloned().unwrap_or_default();
        assert_eq!(get(typical, 1), "'1'");
        assert_eq!(get(rare, 1), "'v050'");
        // Two attributes of a typical value; all of them for the rare call.
        assert_eq!(get(typical, 2), r#"'{"brand":"acme","color":"red"}'"#);
        assert_eq!(
            get(rare, 2),
            r#"'{"brand":"acme","color":"red","size":"m"}'"#
        );
        // Typical elements, one per parameter; the rarest for the rare call.
        assert_eq!(get(typical, 3), "'gift'");
        assert_eq!(get(typical, 4), "'sale'");
        assert_eq!(get(rare, 3), "'rare'");
        // pg_stat_statements turned the wildcards around the word into parameters too; the
        // word is the one of a typical value that fewest values share.
        assert_eq!(
            [5, 6, 7].map(|p| get(typical, p)),
            ["'%'".to_string(), "'lamp'".into(), "'%'".into()]
        );
        assert_eq!(get(rare, 6), "'oak desk lamp'");
        // An even column and no guessed filter: one call is representative.
        let even = statement(vec![use_("a", Role::Equality, "=", vec![1], None)]);
        let flat = ColumnStats {
            mcv: vec![],
            ..stats()
        };
        let mut t = tables.clone();
        if let Some(f) = t.get_mut(&("s".to_string(), "t".to_string())) {
            f.columns.insert("a".into(), flat);
        }
        assert_eq!(
            sets_for_statement(&even, &t, &FieldPolicy::default()).len(),
            1
        );
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
        // That statement's rare call keeps the tenant (custom_x is skewed too, so there is
        // one).
        let sets = sets_for_statement(&s, &tables, &policy);
        assert!(
            sets.iter()
                .all(|v| v.get(&1).map(String::as_str) == Some("'7'")),
            "{sets:?}"
        );
    }

    /// A tenant's feed (`tenant_id = $1 AND at > … ORDER BY at DESC LIMIT 100`) read through
    /// an index on `at` alone is cheap for the biggest tenant and has to skip past the others'
    /// rows for a small one: the tenant key is costed for a rare tenant too.
    #[test]
    fn the_tenant_key_gets_a_rare_tenant_too() {
        let tables = tables(&["tenant_id"]);
        let policy = FieldPolicy {
            tenant_key: Some("tenant_id".into()),
            ..FieldPolicy::default()
        };
        let s = statement(vec![use_("tenant_id", Role::Equality, "=", vec![1], None)]);
        let sets = sets_for_statement(&s, &tables, &policy);
        let firsts: Vec<Option<&str>> =
            sets.iter().map(|v| v.get(&1).map(String::as_str)).collect();
        assert_eq!(firsts, vec![Some("'small'"), Some("'v050'")]);
    }
}
