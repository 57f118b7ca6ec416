//! Python: a `TypedDict` per relation (`UsersRow`), and for tables an `UsersInsert` whose
//! defaulted and nullable keys are `NotRequired`. Enums are `Literal` aliases, json/jsonb a
//! recursive `Json` alias. Column names that are not plain identifiers (keywords, spaces,
//! quotes, non-ASCII) use the functional `TypedDict("…", {…})` form, which keeps them exact.

use super::model::{Column, FieldType, Model};
use super::names::{is_ascii_identifier, type_names};
use super::{header, quoted, shown};
use std::collections::BTreeSet;
use std::fmt::Write as _;

const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// Names the file itself defines or imports.
const RESERVED: &[&str] = &[
    "Json",
    "Literal",
    "NotRequired",
    "TypeAlias",
    "TypedDict",
    "None",
    "True",
    "False",
];

pub fn render(model: &Model) -> String {
    let (mut names, enums, table_base) = type_names(model, RESERVED);

    let mut body = String::new();
    let mut typing: BTreeSet<&str> = BTreeSet::new();
    let mut modules: BTreeSet<&str> = BTreeSet::new();
    for t in &model.tables {
        for c in &t.columns {
            c.ty.walk(&mut |ty| {
                if let Some(m) = module_of(ty) {
                    modules.insert(m);
                }
            });
        }
    }
    if model.uses(|t| *t == FieldType::Json) {
        typing.insert("TypeAlias");
        body.push_str(
            "\nJson: TypeAlias = dict[str, \"Json\"] | list[\"Json\"] | str | int | float | bool | None\n",
        );
    }
    for (e, name) in model.enums.iter().zip(&enums) {
        typing.insert("Literal");
        typing.insert("TypeAlias");
        let labels: Vec<String> = e.labels.iter().map(|l| quoted(l)).collect();
        let _ = write!(
            body,
            "\n# enum {}\n{name}: TypeAlias = Literal[{}]\n",
            shown(&e.schema, &e.name),
            labels.join(", ")
        );
    }
    for t in &model.tables {
        let base = table_base.of(&t.schema, &t.name);
        let row = names.claim(&format!("{base}Row"));
        typing.insert("TypedDict");
        let fields: Vec<(&Column, String)> = t
            .columns
            .iter()
            .map(|c| (c, nullable(type_of(&c.ty, &enums), c.nullable)))
            .collect();
        let _ = write!(
            body,
            "\n\n# {} {}\n",
            t.kind.describe(),
            shown(&t.schema, &t.name)
        );
        typed_dict(&mut body, &row, &fields);
        if t.kind.insertable() {
            let insert = names.claim(&format!("{base}Insert"));
            let fields: Vec<(&Column, String)> = fields
                .iter()
                .filter(|(c, _)| !c.insert_forbidden)
                .map(|(c, ty)| {
                    if c.insert_optional {
                        typing.insert("NotRequired");
                        (*c, format!("NotRequired[{ty}]"))
                    } else {
                        (*c, ty.clone())
                    }
                })
                .collect();
            let _ = write!(
                body,
                "\n\n# what an INSERT into {} takes (defaulted and nullable columns may be left out)\n",
                shown(&t.schema, &t.name)
            );
            typed_dict(&mut body, &insert, &fields);
        }
    }

    let mut out = String::new();
    for line in header(model, super::Lang::Python) {
        let _ = writeln!(out, "# {line}");
    }
    out.push('\n');
    for m in &modules {
        let _ = writeln!(out, "import {m}");
    }
    if !typing.is_empty() {
        let list: Vec<&str> = typing.into_iter().collect();
        let _ = writeln!(out, "from typing import {}", list.join(", "));
    }
    out.push_str(&body);
    out
}

fn typed_dict(out: &mut String, name: &str, fields: &[(&Column, String)]) {
    let class_form = fields.iter().all(|(c, _)| plain_name(&c.name));
    if class_form {
        let _ = writeln!(out, "class {name}(TypedDict):");
        if fields.is_empty() {
            out.push_str("    pass\n");
        }
        for (c, ty) in fields {
            let _ = writeln!(out, "    {}: {ty}{}", c.name, note(&c.ty));
        }
    } else {
        let _ = writeln!(out, "{name} = TypedDict(\n    \"{name}\",\n    {{");
        for (c, ty) in fields {
            let _ = writeln!(out, "        {}: {ty},{}", quoted(&c.name), note(&c.ty));
        }
        out.push_str("    },\n)\n");
    }
}

/// Usable as a key in the class form: an ASCII identifier, not a keyword, and not starting
/// with `__` (a class body would mangle it).
fn plain_name(name: &str) -> bool {
    is_ascii_identifier(name) && !KEYWORDS.contains(&name) && !name.starts_with("__")
}

fn nullable(ty: String, nullable: bool) -> String {
    if nullable {
        format!("{ty} | None")
    } else {
        ty
    }
}

fn type_of(t: &FieldType, enums: &[String]) -> String {
    match t {
        FieldType::Bool => "bool".into(),
        FieldType::Int16 | FieldType::Int32 | FieldType::Int64 | FieldType::Oid => "int".into(),
        FieldType::Float32 | FieldType::Float64 => "float".into(),
        FieldType::Numeric | FieldType::Money => "decimal.Decimal".into(),
        FieldType::Text | FieldType::Xml | FieldType::Inet | FieldType::Other(_) => "str".into(),
        FieldType::Uuid => "uuid.UUID".into(),
        FieldType::Date => "datetime.date".into(),
        FieldType::Time | FieldType::TimeTz => "datetime.time".into(),
        FieldType::Timestamp | FieldType::TimestampTz => "datetime.datetime".into(),
        FieldType::Interval => "datetime.timedelta".into(),
        FieldType::Json => "Json".into(),
        FieldType::Bytea => "bytes".into(),
        FieldType::Enum(i) => enums.get(*i).cloned().unwrap_or_else(|| "str".into()),
        FieldType::Array(inner) => format!("list[{}]", type_of(inner, enums)),
    }
}

fn module_of(t: &FieldType) -> Option<&'static str> {
    match t {
        FieldType::Numeric | FieldType::Money => Some("decimal"),
        FieldType::Uuid => Some("uuid"),
        FieldType::Date
        | FieldType::Time
        | FieldType::TimeTz
        | FieldType::Timestamp
        | FieldType::TimestampTz
        | FieldType::Interval => Some("datetime"),
        _ => None,
    }
}

/// A trailing comment where the Python type is a stand-in.
fn note(t: &FieldType) -> String {
    let mut other = None;
    t.walk(&mut |ty| {
        if let FieldType::Other(name) = ty {
            other = Some(name.clone());
        }
    });
    match other {
        Some(name) => format!(
            "  # {}: no Python type, read as text",
            super::printable(&name)
        ),
        None => String::new(),
    }
}
