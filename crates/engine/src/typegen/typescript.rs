//! TypeScript: an interface per relation (`UsersRow`), and for tables an `UsersInsert` with
//! optional keys for defaulted and nullable columns. Enums are string-literal unions,
//! json/jsonb a recursive `Json` type. Values are typed as a JSON API or node-postgres
//! delivers them: int8 and numeric as strings (a JavaScript number is exact only up to
//! 2^53), dates and times as ISO 8601 strings.

use super::model::{FieldType, Model};
use super::names::type_names;
use super::{header, quoted, shown};
use std::fmt::Write as _;

/// Names the file defines, and global types a generated name must not shadow.
const RESERVED: &[&str] = &[
    "Json", "Array", "Boolean", "Date", "Error", "Map", "Number", "Object", "Partial", "Promise",
    "Record", "Set", "String", "Symbol",
];

pub fn render(model: &Model) -> String {
    let (mut names, enums, table_base) = type_names(model, RESERVED);

    let mut out = String::new();
    for line in header(model, super::Lang::TypeScript) {
        let _ = writeln!(out, "// {line}");
    }
    if model.uses(|t| matches!(t, FieldType::Int64 | FieldType::Numeric | FieldType::Money)) {
        out.push_str(
            "// int8, numeric and money are strings: a JavaScript number is exact only up to 2^53.\n",
        );
    }
    if model.uses(|t| *t == FieldType::Json) {
        out.push_str(
            "\nexport type Json = string | number | boolean | null | Json[] | { [key: string]: Json };\n",
        );
    }
    for (e, name) in model.enums.iter().zip(&enums) {
        let labels: Vec<String> = e.labels.iter().map(|l| quoted(l)).collect();
        let union = if labels.is_empty() {
            "never".to_string()
        } else {
            labels.join(" | ")
        };
        let _ = write!(
            out,
            "\n// enum {}\nexport type {name} = {union};\n",
            shown(&e.schema, &e.name)
        );
    }
    for t in &model.tables {
        let base = table_base.of(&t.schema, &t.name);
        let row = names.claim(&format!("{base}Row"));
        let _ = write!(
            out,
            "\n// {} {}\nexport interface {row} {{\n",
            t.kind.describe(),
            shown(&t.schema, &t.name)
        );
        for c in &t.columns {
            let ty = type_of(&c.ty, &enums);
            let ty = if c.nullable {
                format!("{ty} | null")
            } else {
                ty
            };
            let _ = writeln!(out, "  {}: {ty};{}", key(&c.name), note(&c.ty));
        }
        out.push_str("}\n");
        if t.kind.insertable() {
            let insert = names.claim(&format!("{base}Insert"));
            let _ = write!(
                out,
                "\n// what an INSERT into {} takes (defaulted and nullable columns may be left out)\nexport interface {insert} {{\n",
                shown(&t.schema, &t.name)
            );
            for c in t.columns.iter().filter(|c| !c.insert_forbidden) {
                let ty = type_of(&c.ty, &enums);
                let ty = if c.nullable {
                    format!("{ty} | null")
                } else {
                    ty
                };
                let optional = if c.insert_optional { "?" } else { "" };
                let _ = writeln!(out, "  {}{optional}: {ty};{}", key(&c.name), note(&c.ty));
            }
            out.push_str("}\n");
        }
    }
    out
}

/// A property key: bare when it is an identifier, quoted otherwise (keywords are fine as
/// property names).
fn key(name: &str) -> String {
    let ident = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if ident {
        name.to_string()
    } else {
        quoted(name)
    }
}

fn type_of(t: &FieldType, enums: &[String]) -> String {
    match t {
        FieldType::Bool => "boolean".into(),
        FieldType::Int16
        | FieldType::Int32
        | FieldType::Oid
        | FieldType::Float32
        | FieldType::Float64 => "number".into(),
        FieldType::Int64
        | FieldType::Numeric
        | FieldType::Money
        | FieldType::Text
        | FieldType::Xml
        | FieldType::Uuid
        | FieldType::Date
        | FieldType::Time
        | FieldType::TimeTz
        | FieldType::Timestamp
        | FieldType::TimestampTz
        | FieldType::Interval
        | FieldType::Bytea
        | FieldType::Inet
        | FieldType::Other(_) => "string".into(),
        FieldType::Json => "Json".into(),
        FieldType::Enum(i) => enums.get(*i).cloned().unwrap_or_else(|| "string".into()),
        FieldType::Array(inner) => format!("Array<{}>", type_of(inner, enums)),
    }
}

/// A trailing comment where the string stands for something more specific.
fn note(t: &FieldType) -> String {
    let mut what = None;
    t.walk(&mut |ty| {
        what = match ty {
            FieldType::Int64 => Some("int8".to_string()),
            FieldType::Numeric => Some("numeric".to_string()),
            FieldType::Money => Some("money".to_string()),
            FieldType::Uuid => Some("uuid".to_string()),
            FieldType::Date => Some("date, ISO 8601".to_string()),
            FieldType::Time | FieldType::TimeTz => Some("time, ISO 8601".to_string()),
            FieldType::Timestamp | FieldType::TimestampTz => {
                Some("timestamp, ISO 8601".to_string())
            }
            FieldType::Interval => Some("interval".to_string()),
            FieldType::Bytea => Some("bytea, hex".to_string()),
            FieldType::Inet => Some("inet".to_string()),
            FieldType::Other(name) => Some(format!("{}, as text", super::printable(name))),
            _ => what.take(),
        };
    });
    match what {
        Some(w) => format!(" // {w}"),
        None => String::new(),
    }
}
