//! Rust: a struct per relation (`UsersRow`) deriving serde and `sqlx::FromRow`, with the
//! sqlx type of each column; enums derive `sqlx::Type` under the name the server gives them.
//! Fields are snake_case; where that differs from the column name (or is a keyword) the
//! original is kept with `#[sqlx(rename)]` and `#[serde(rename)]`.

use super::model::{FieldType, Model};
use super::names::{pascal, snake, type_names, Namer};
use super::{header, shown};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// Keywords usable as raw identifiers (`r#type`).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const UNRAWABLE: &[&str] = &["crate", "self", "super"];

/// As rustfmt lays the line out (it is over 100 columns), so `cargo fmt` leaves the file
/// alone and `--check` stays green in a host project that formats everything.
const ENUM_DERIVES: &str =
    "Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, sqlx::Type";

/// Prelude and derive names a generated type must not shadow.
const RESERVED: &[&str] = &[
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Eq",
    "Err",
    "Hash",
    "None",
    "Ok",
    "Option",
    "PartialEq",
    "Result",
    "Self",
    "Some",
    "String",
    "Vec",
];

pub fn render(model: &Model) -> String {
    let (mut names, enums, table_base) = type_names(model, RESERVED);

    let mut out = String::new();
    for line in header(model, super::Lang::Rust) {
        let _ = writeln!(out, "// {line}");
    }
    let _ = writeln!(out, "// {}", needs(model));

    for (e, name) in model.enums.iter().zip(&enums) {
        let _ = write!(
            out,
            "\n/// enum {}\n#[derive(\n    {ENUM_DERIVES},\n)]\n#[sqlx(type_name = {:?})]\npub enum {name} {{\n",
            shown(&e.schema, &e.name),
            e.sql_name
        );
        let mut variants = Namer::default();
        for label in &e.labels {
            let variant = variants.claim(&variant_name(label));
            let _ = write!(
                out,
                "    #[sqlx(rename = {label:?})]\n    #[serde(rename = {label:?})]\n    {variant},\n"
            );
        }
        out.push_str("}\n");
    }
    for t in &model.tables {
        let base = table_base.of(&t.schema, &t.name);
        let row = names.claim(&format!("{base}Row"));
        let _ = write!(
            out,
            "\n/// {} {}\n#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, sqlx::FromRow)]\npub struct {row} {{\n",
            t.kind.describe(),
            shown(&t.schema, &t.name)
        );
        let mut fields = Namer::default();
        for c in &t.columns {
            let (field, renamed) = field_name(&c.name, &mut fields);
            if let Some(doc) = note(&c.ty) {
                let _ = writeln!(out, "    /// {doc}");
            }
            if renamed {
                let _ = writeln!(out, "    #[sqlx(rename = {:?})]", c.name);
                let _ = writeln!(out, "    #[serde(rename = {:?})]", c.name);
            }
            if c.ty.any(no_serde) {
                // sqlx's PgInterval and PgMoney have no serde support: left out of JSON.
                let _ = writeln!(out, "    #[serde(skip)]");
            }
            let ty = type_of(&c.ty, &enums);
            let ty = if c.nullable {
                format!("Option<{ty}>")
            } else {
                ty
            };
            let _ = writeln!(out, "    pub {field}: {ty},");
        }
        out.push_str("}\n");
    }
    out
}

/// The field name for a column, and whether it differs from the column's name.
fn field_name(column: &str, taken: &mut Namer) -> (String, bool) {
    let base = snake(column);
    let unique = taken.claim(&base);
    if KEYWORDS.contains(&unique.as_str()) {
        return (format!("r#{unique}"), true);
    }
    if UNRAWABLE.contains(&unique.as_str()) {
        let name = taken.claim(&format!("{unique}_"));
        return (name, true);
    }
    let renamed = unique != column;
    (unique, renamed)
}

fn variant_name(label: &str) -> String {
    let name = pascal(label);
    match name.as_str() {
        "Unnamed" if label.is_empty() => "Empty".to_string(),
        "Self" => "Self_".to_string(),
        _ => name,
    }
}

fn no_serde(t: &FieldType) -> bool {
    matches!(t, FieldType::Interval | FieldType::Money)
}

fn type_of(t: &FieldType, enums: &[String]) -> String {
    match t {
        FieldType::Bool => "bool".into(),
        FieldType::Int16 => "i16".into(),
        FieldType::Int32 => "i32".into(),
        FieldType::Int64 => "i64".into(),
        FieldType::Float32 => "f32".into(),
        FieldType::Float64 => "f64".into(),
        FieldType::Numeric => "sqlx::types::Decimal".into(),
        FieldType::Money => "sqlx::postgres::types::PgMoney".into(),
        FieldType::Text => "String".into(),
        FieldType::Uuid => "sqlx::types::Uuid".into(),
        FieldType::Date => "sqlx::types::chrono::NaiveDate".into(),
        FieldType::Time => "sqlx::types::chrono::NaiveTime".into(),
        FieldType::Timestamp => "sqlx::types::chrono::NaiveDateTime".into(),
        FieldType::TimestampTz => "sqlx::types::chrono::DateTime<sqlx::types::chrono::Utc>".into(),
        FieldType::Interval => "sqlx::postgres::types::PgInterval".into(),
        FieldType::Json => "sqlx::types::JsonValue".into(),
        FieldType::Bytea => "Vec<u8>".into(),
        FieldType::Inet => "sqlx::types::ipnetwork::IpNetwork".into(),
        FieldType::Oid => "sqlx::postgres::types::Oid".into(),
        FieldType::Enum(i) => enums.get(*i).cloned().unwrap_or_else(|| "String".into()),
        FieldType::Array(inner) => format!("Vec<{}>", type_of(inner, enums)),
        FieldType::TimeTz | FieldType::Xml | FieldType::Other(_) => "String".into(),
    }
}

/// A doc line where the Rust type cannot hold the column as sqlx reads it.
fn note(t: &FieldType) -> Option<String> {
    let mut what = None;
    t.walk(&mut |ty| match ty {
        FieldType::TimeTz => what = Some("timetz".to_string()),
        FieldType::Xml => what = Some("xml".to_string()),
        FieldType::Other(name) => what = Some(super::printable(name)),
        _ => {}
    });
    what.map(|w| format!("`{w}` has no sqlx type here: select the column as text (`::text`)"))
}

/// The Cargo features the generated types need, for the header.
fn needs(model: &Model) -> String {
    let mut sqlx: BTreeSet<&str> = ["macros", "postgres"].into_iter().collect();
    let mut serde_on: BTreeSet<&str> = BTreeSet::new();
    let uses = |p: fn(&FieldType) -> bool| model.uses(p);
    if uses(|t| {
        matches!(
            t,
            FieldType::Date | FieldType::Time | FieldType::Timestamp | FieldType::TimestampTz
        )
    }) {
        sqlx.insert("chrono");
        serde_on.insert("chrono");
    }
    if uses(|t| *t == FieldType::Uuid) {
        sqlx.insert("uuid");
        serde_on.insert("uuid");
    }
    if uses(|t| *t == FieldType::Numeric) {
        sqlx.insert("rust_decimal");
        serde_on.insert("rust_decimal");
    }
    if uses(|t| *t == FieldType::Json) {
        sqlx.insert("json");
    }
    if uses(|t| *t == FieldType::Inet) {
        sqlx.insert("ipnetwork");
    }
    let mut line = format!(
        "Needs serde (derive) and sqlx with features: {}.",
        sqlx.into_iter().collect::<Vec<_>>().join(", ")
    );
    if !serde_on.is_empty() {
        let _ = write!(
            line,
            " Turn on the serde feature of: {}.",
            serde_on.into_iter().collect::<Vec<_>>().join(", ")
        );
    }
    line
}
