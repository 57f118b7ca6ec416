//! Row types for host applications, generated from the live schema: Python `TypedDict`s,
//! TypeScript interfaces and Rust structs that cannot drift from the database.
//!
//! [`read`] takes the catalog into a language-neutral [`Model`]; one emitter per language
//! renders it. The output is a function of the schema alone (byte order, no timestamps),
//! so a file can be checked in and compared in CI.

mod model;
mod names;
mod python;
mod read;
mod rust;
mod typescript;
mod write;

pub use model::{Column, EnumDef, FieldType, GeneratedTypes, Lang, Model, RelationKind, Table};
pub use read::{choices, TableChoice};
pub use write::write_file;

use crate::error::Result;
use sqlx::PgPool;

/// What to generate: schemas (empty = every schema but PostgreSQL's and IndexPilot's own;
/// name `indexpilot` to get the metadata tables) and tables (`name` or `schema.name`;
/// empty = every table, view and materialized view of those schemas).
#[derive(Debug, Clone, serde::Deserialize, ts_rs::TS)]
pub struct TypesRequest {
    pub lang: Lang,
    #[serde(default)]
    pub schemas: Vec<String>,
    #[serde(default)]
    pub tables: Vec<String>,
}

/// Reads the live catalog and renders one file.
pub async fn generate(pool: &PgPool, request: &TypesRequest) -> Result<GeneratedTypes> {
    let model = read::read(pool, &request.schemas, &request.tables).await?;
    Ok(GeneratedTypes {
        lang: request.lang,
        text: render(&model, request.lang),
        suggested_file_name: format!("rows.{}", request.lang.extension()),
        tables: model.tables.len(),
    })
}

/// Renders a model in one language (pure: the same model gives the same bytes).
pub fn render(model: &Model, lang: Lang) -> String {
    match lang {
        Lang::Python => python::render(model),
        Lang::TypeScript => typescript::render(model),
        Lang::Rust => rust::render(model),
    }
}

/// The file's opening lines, without comment markers: what it is and where it came from.
fn header(model: &Model, lang: Lang) -> Vec<String> {
    let plural = if model.schemas.len() == 1 { "" } else { "s" };
    let mut lines = vec![format!(
        "Row types of the PostgreSQL schema{plural} {}.",
        if model.schemas.is_empty() {
            "(none)".to_string()
        } else {
            model.schemas.join(", ")
        }
    )];
    if !model.tables_filter.is_empty() {
        lines.push(format!("Tables: {}.", model.tables_filter.join(", ")));
    }
    lines.push(format!(
        "GeneratedTypes by `indexpilot generate-types --lang {lang}` from the live catalog: do not edit."
    ));
    lines.push("Regenerate after a migration; `--check` fails while this file is stale.".into());
    lines.into_iter().map(|l| printable(&l)).collect()
}

/// A name as a comment shows it: `schema.table`, quoted where SQL would need quotes, with
/// control characters (a newline would end a comment) replaced.
fn shown(schema: &str, name: &str) -> String {
    printable(&format!(
        "{}.{}",
        crate::ident::display_ident(schema),
        crate::ident::display_ident(name)
    ))
}

fn printable(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// A double-quoted string literal valid in Python and TypeScript (JSON escapes).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}
