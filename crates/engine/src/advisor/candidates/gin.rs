//! GIN candidates: operators no B-tree serves. jsonb containment and key existence, array
//! containment and overlap, and LIKE / ILIKE patterns that may start with a wildcard
//! (a trigram index, when pg_trgm is installed).
//!
//! One index per column or expression, with the operator class the statement's operators
//! need: `jsonb_path_ops` (smaller, faster) where `@>` is all a statement asks of a jsonb
//! value, the default `jsonb_ops` when it also tests keys (`?`, `?|`, `?&`). HypoPG cannot
//! create GIN indexes, so these are costed from statistics (see `advisor::gin`).

use super::super::facts::{ColumnStats, TableFacts};
use super::super::index_def::{IndexDef, KeyPart, Method};
use super::super::model::ReasonCode;
use super::Decline;
use crate::workload::analyse::{ColumnUse, Role};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// The extension trigram indexes need.
pub const TRIGRAM_EXTENSION: &str = "pg_trgm";

/// What the column holds, as far as GIN is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Jsonb,
    Array,
    Text,
}

fn kind_of(u: &ColumnUse, st: Option<&ColumnStats>) -> Option<Kind> {
    let t = st.map_or("", |s| s.data_type.as_str());
    // An expression's type is not in pg_stats: `attributes -> 'sizes'` is jsonb, `lower(x)`
    // text; the operator tells which.
    match u.role {
        Role::Substring => {
            let text = u.expression.is_some()
                || matches!(t, "text" | "character varying" | "varchar" | "citext")
                || t.starts_with("character varying")
                || t.starts_with("character(");
            text.then_some(Kind::Text)
        }
        Role::Contains if t == "jsonb" => Some(Kind::Jsonb),
        Role::Contains if t.ends_with("[]") => Some(Kind::Array),
        Role::Contains if u.expression.is_some() => match u.operator.as_deref() {
            Some("?" | "?|" | "?&") => Some(Kind::Jsonb),
            _ => None,
        },
        _ => None,
    }
}

/// Operators each kind's default operator class serves.
fn served(kind: Kind, op: &str) -> bool {
    match kind {
        Kind::Jsonb => matches!(op, "@>" | "?" | "?|" | "?&"),
        Kind::Array => matches!(op, "@>" | "<@" | "&&"),
        Kind::Text => op.starts_with("like") || op.starts_with("ilike"),
    }
}

/// GIN candidates for one table of one statement, and a note when the index that would
/// serve it needs an extension the database lacks.
pub fn for_table(
    uses: &[&ColumnUse],
    facts: &TableFacts,
    extensions: &HashSet<String>,
) -> (Vec<IndexDef>, Option<Decline>) {
    // Target (column or expression) → kind and the operators the statement applies to it.
    let mut by_target: BTreeMap<(String, Option<String>), (Kind, BTreeSet<String>)> =
        BTreeMap::new();
    for u in uses {
        let Some(kind) = kind_of(u, facts.columns.get(&u.column)) else {
            continue;
        };
        let op = u.operator.clone().unwrap_or_default();
        if !served(kind, &op) {
            continue;
        }
        by_target
            .entry((u.column.clone(), u.expression.clone()))
            .or_insert((kind, BTreeSet::new()))
            .1
            .insert(op);
    }
    let mut out = Vec::new();
    let mut note = None;
    for ((column, expression), (kind, ops)) in by_target {
        let opclass = match kind {
            Kind::Jsonb if ops.iter().all(|o| o == "@>") => Some("jsonb_path_ops"),
            Kind::Jsonb | Kind::Array => None,
            Kind::Text if extensions.contains(TRIGRAM_EXTENSION) => Some("gin_trgm_ops"),
            Kind::Text => {
                let target = expression.clone().unwrap_or_else(|| column.clone());
                note = Some(Decline {
                    code: ReasonCode::NeedsExtension,
                    detail: format!(
                        "{}.{}: a pattern that may start with a wildcard on {target} needs a trigram index: run CREATE EXTENSION {TRIGRAM_EXTENSION}, then advise again",
                        facts.schema, facts.table
                    ),
                });
                continue;
            }
        };
        out.push(IndexDef {
            schema: facts.schema.clone(),
            table: facts.table.clone(),
            method: Method::Gin,
            keys: vec![KeyPart {
                column,
                expression,
                opclass: opclass.map(String::from),
                descending: false,
            }],
            include: Vec::new(),
            predicate: None,
        });
    }
    (out, note)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> TableFacts {
        let mut f = TableFacts {
            schema: "app".into(),
            table: "items".into(),
            rows: 100_000.0,
            pages: 2_000.0,
            ..TableFacts::default()
        };
        for (c, t) in [("attrs", "jsonb"), ("tags", "text[]"), ("title", "text")] {
            f.columns.insert(
                c.into(),
                ColumnStats {
                    data_type: t.into(),
                    ..ColumnStats::default()
                },
            );
        }
        f
    }

    fn use_(column: &str, role: Role, op: &str) -> ColumnUse {
        ColumnUse {
            schema: Some("app".into()),
            table: "items".into(),
            column: column.into(),
            role,
            expression: None,
            operator: Some(op.into()),
            constant: None,
            parameters: vec![1],
            since_now: vec![],
            position: None,
            direction: None,
            nulls: None,
            partner: None,
            alias: None,
            alternative: false,
        }
    }

    fn sql(defs: &[IndexDef]) -> Vec<String> {
        defs.iter().map(IndexDef::body).collect()
    }

    #[test]
    fn containment_alone_gets_path_ops_and_key_tests_the_default_class() {
        let contains = use_("attrs", Role::Contains, "@>");
        let (defs, note) = for_table(&[&contains], &facts(), &HashSet::new());
        assert_eq!(note, None);
        assert_eq!(sql(&defs), vec![r#"USING gin ("attrs" jsonb_path_ops)"#]);
        let key = use_("attrs", Role::Contains, "?");
        let (defs, _) = for_table(&[&contains, &key], &facts(), &HashSet::new());
        assert_eq!(sql(&defs), vec![r#"USING gin ("attrs")"#]);
    }

    #[test]
    fn arrays_get_the_default_class_and_jsonb_has_no_contained_by() {
        let overlap = use_("tags", Role::Contains, "&&");
        let contained = use_("attrs", Role::Contains, "<@");
        let (defs, _) = for_table(&[&overlap, &contained], &facts(), &HashSet::new());
        assert_eq!(sql(&defs), vec![r#"USING gin ("tags")"#]);
    }

    #[test]
    fn substring_patterns_need_pg_trgm_and_say_so_without_it() {
        let like = use_("title", Role::Substring, "ilike fragment");
        let (defs, note) = for_table(&[&like], &facts(), &HashSet::new());
        assert!(defs.is_empty());
        let note = note.unwrap_or_else(|| panic!("a note"));
        assert_eq!(note.code, ReasonCode::NeedsExtension);
        assert!(
            note.detail.contains("CREATE EXTENSION pg_trgm"),
            "{}",
            note.detail
        );
        let with = HashSet::from([TRIGRAM_EXTENSION.to_string()]);
        let (defs, note) = for_table(&[&like], &facts(), &with);
        assert_eq!(note, None);
        assert_eq!(sql(&defs), vec![r#"USING gin ("title" gin_trgm_ops)"#]);
    }
}
