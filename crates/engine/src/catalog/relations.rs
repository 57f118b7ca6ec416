//! Tables, partitioned tables and their partitions, views, materialized views, foreign tables.

use serde::Serialize;

pub(super) const SQL: &str = include_str!("sql/relations.sql");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    Table,
    Partitioned,
    Partition,
    View,
    Matview,
    Foreign,
}

impl RelationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RelationKind::Table => "table",
            RelationKind::Partitioned => "partitioned",
            RelationKind::Partition => "partition",
            RelationKind::View => "view",
            RelationKind::Matview => "matview",
            RelationKind::Foreign => "foreign",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "partitioned" => RelationKind::Partitioned,
            "partition" => RelationKind::Partition,
            "view" => RelationKind::View,
            "matview" => RelationKind::Matview,
            "foreign" => RelationKind::Foreign,
            _ => RelationKind::Table,
        }
    }

    /// Whether PostgreSQL can build an index on a relation of this kind.
    pub fn can_have_indexes(self) -> bool {
        matches!(
            self,
            RelationKind::Table
                | RelationKind::Partitioned
                | RelationKind::Partition
                | RelationKind::Matview
        )
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct Row {
    pub oid: i64,
    pub schema_name: String,
    pub name: String,
    pub kind: String,
    pub parent_schema: Option<String>,
    pub parent_name: Option<String>,
    pub partition_key: Option<String>,
    pub partition_bound: Option<String>,
    pub row_estimate: Option<f64>,
    pub table_bytes: i64,
    pub total_bytes: i64,
    pub comment: Option<String>,
}

impl Row {
    pub fn kind(&self) -> RelationKind {
        RelationKind::parse(&self.kind)
    }
}
