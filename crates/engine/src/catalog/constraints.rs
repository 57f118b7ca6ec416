//! Primary, unique and foreign keys.

use serde::Serialize;

pub(super) const SQL: &str = include_str!("sql/constraints.sql");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConstraintKind {
    PrimaryKey,
    Unique,
    ForeignKey,
}

#[derive(Debug, Clone, Serialize)]
pub struct ForeignRef {
    pub schema: String,
    pub table: String,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Constraint {
    pub name: String,
    pub kind: ConstraintKind,
    pub columns: Vec<String>,
    pub references: Option<ForeignRef>,
    pub definition: String,
    pub validated: bool,
}

#[derive(sqlx::FromRow)]
pub(super) struct Row {
    pub table_oid: i64,
    pub name: String,
    pub kind: String,
    pub columns: Vec<String>,
    pub ref_schema: Option<String>,
    pub ref_table: Option<String>,
    pub ref_columns: Vec<String>,
    pub definition: String,
    pub validated: bool,
}

impl From<Row> for Constraint {
    fn from(r: Row) -> Self {
        let kind = match r.kind.as_str() {
            "p" => ConstraintKind::PrimaryKey,
            "u" => ConstraintKind::Unique,
            _ => ConstraintKind::ForeignKey,
        };
        let references = match (r.ref_schema, r.ref_table) {
            (Some(schema), Some(table)) => Some(ForeignRef {
                schema,
                table,
                columns: r.ref_columns,
            }),
            _ => None,
        };
        Constraint {
            name: r.name,
            kind,
            columns: r.columns,
            references,
            definition: r.definition,
            validated: r.validated,
        }
    }
}
