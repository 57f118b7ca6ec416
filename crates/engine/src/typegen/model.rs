//! What the emitters work from: the chosen relations with each column's resolved type
//! (domains followed to their base, arrays to their element), independent of any language.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A target language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(rename = "TypesLang")]
pub enum Lang {
    Python,
    TypeScript,
    Rust,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Python, Lang::TypeScript, Lang::Rust];

    pub fn name(self) -> &'static str {
        match self {
            Lang::Python => "python",
            Lang::TypeScript => "typescript",
            Lang::Rust => "rust",
        }
    }

    /// The usual file extension, for a suggested file name.
    pub fn extension(self) -> &'static str {
        match self {
            Lang::Python => "py",
            Lang::TypeScript => "ts",
            Lang::Rust => "rs",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Lang {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "python" | "py" => Ok(Lang::Python),
            "typescript" | "ts" => Ok(Lang::TypeScript),
            "rust" | "rs" => Ok(Lang::Rust),
            _ => Err(Error::InvalidInput(format!(
                "unknown language \"{s}\": use python, typescript or rust"
            ))),
        }
    }
}

/// A column type after domains and arrays are resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    Bool,
    Int16,
    Int32,
    Int64,
    Float32,
    Float64,
    Numeric,
    Money,
    Text,
    Uuid,
    Date,
    Time,
    TimeTz,
    Timestamp,
    TimestampTz,
    Interval,
    Json,
    Bytea,
    Inet,
    Oid,
    Xml,
    /// Index into [`Model::enums`].
    Enum(usize),
    Array(Box<FieldType>),
    /// A type no emitter maps (tsvector, geometry, composite, range…): its SQL name.
    Other(String),
}

impl FieldType {
    /// Visits this type and every element type inside it.
    pub fn walk(&self, f: &mut impl FnMut(&FieldType)) {
        f(self);
        if let FieldType::Array(inner) = self {
            inner.walk(f);
        }
    }

    /// Whether this type, or an element of it, is `t`-like according to `pred`.
    pub fn any(&self, pred: impl Fn(&FieldType) -> bool) -> bool {
        let mut found = false;
        self.walk(&mut |t| found |= pred(t));
        found
    }
}

/// An enum type used by a chosen column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumDef {
    pub schema: String,
    pub name: String,
    /// How the server names it (`crm.stage`, or `stage` on the search path).
    pub sql_name: String,
    pub labels: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub ty: FieldType,
    /// May hold NULL: no NOT NULL on the column nor on a domain it uses. Every column of a
    /// view may (PostgreSQL does not track NOT NULL through views).
    pub nullable: bool,
    /// An INSERT may leave it out: it has a default, is an identity BY DEFAULT, or is nullable.
    pub insert_optional: bool,
    /// An INSERT must leave it out: GENERATED ALWAYS (identity or stored expression).
    pub insert_forbidden: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationKind {
    Table,
    View,
    MaterializedView,
    ForeignTable,
}

impl RelationKind {
    pub fn from_relkind(kind: &str) -> Self {
        match kind {
            "v" => RelationKind::View,
            "m" => RelationKind::MaterializedView,
            "f" => RelationKind::ForeignTable,
            _ => RelationKind::Table,
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            RelationKind::Table => "table",
            RelationKind::View => "view",
            RelationKind::MaterializedView => "materialized view",
            RelationKind::ForeignTable => "foreign table",
        }
    }

    /// Rows can be inserted (an Insert type is generated where the language has one).
    pub fn insertable(self) -> bool {
        matches!(self, RelationKind::Table | RelationKind::ForeignTable)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub schema: String,
    pub name: String,
    pub kind: RelationKind,
    pub columns: Vec<Column>,
}

/// Everything one generated file describes, in output order: tables by (schema, name) in
/// byte order (not the database's collation, so the file is the same on every server).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Model {
    pub schemas: Vec<String>,
    /// The `--tables` filter as given, for the header; empty = every table.
    pub tables_filter: Vec<String>,
    pub tables: Vec<Table>,
    pub enums: Vec<EnumDef>,
}

impl Model {
    pub fn uses(&self, pred: impl Fn(&FieldType) -> bool + Copy) -> bool {
        self.tables
            .iter()
            .flat_map(|t| &t.columns)
            .any(|c| c.ty.any(pred))
    }

    /// Whether any table gets an Insert type.
    pub fn has_insertable(&self) -> bool {
        self.tables.iter().any(|t| t.kind.insertable())
    }
}

/// One generated file.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct GeneratedTypes {
    pub lang: Lang,
    pub text: String,
    /// e.g. `rows.py`, for a save dialog.
    pub suggested_file_name: String,
    pub tables: usize,
}
