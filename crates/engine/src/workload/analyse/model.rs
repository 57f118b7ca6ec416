//! What the analyser says about one statement: the tables it touches and every column use
//! with its role. This is the input of the candidate stage, so it names real tables (aliases,
//! CTEs and subqueries are already resolved) and keeps what an index definition needs: the
//! expression text (`lower(email)`), the constant of a predicate (`'open'`, for partial
//! indexes) and the ORDER BY position and direction.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The analysis of one statement text. Lists are sorted and free of duplicates, so two
/// analyses of the same text compare equal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Analysis {
    pub kind: StatementKind,
    pub tables: Vec<TableUse>,
    pub columns: Vec<ColumnUse>,
    /// What the analyser could not attribute or does not understand. A statement with
    /// warnings is still analysed as far as it could be.
    pub warnings: Vec<Warning>,
    /// The parser's message, for unparsable text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub error: Option<String>,
}

impl Analysis {
    /// The analysis of text the parser refused.
    pub fn unparsable(error: impl Into<String>) -> Self {
        Analysis {
            kind: StatementKind::Unparsable,
            tables: Vec::new(),
            columns: Vec::new(),
            warnings: Vec::new(),
            error: Some(error.into()),
        }
    }

    /// Adds the expression uses only `sample` has: the same statement as it ran, with the
    /// constants pg_stat_statements normalised away (`properties ->> 'campaign'` instead of
    /// `properties ->> $1`). Their comparands are per-call values, so no constant or
    /// parameter is kept.
    ///
    /// Also the constants of comparisons the code writes as literals (`state = 'available'`,
    /// `NOT (state = 'closed')`, stored as `state = $4`): they make a partial index's
    /// predicate. A not-equal compares with a fixed state, never a per-call value. An
    /// equality or IN list is taken only when the sample binds other values as parameters:
    /// its client sends per-call values as `$n`, so its literals are the code's, or when
    /// `other`, another execution of the statement, has the same literal there. (A client
    /// that interpolates shows every per-call value as a literal; a client that sends no
    /// parameters at all may be that client, or code whose every value is a constant.)
    pub fn with_sample_expressions(
        mut self,
        sample: &Analysis,
        other: Option<&Analysis>,
    ) -> Analysis {
        let binds = sample.columns.iter().any(|u| !u.parameters.is_empty());
        let agrees = |u: &ColumnUse| {
            other.is_some_and(|o| {
                o.columns.iter().any(|c| {
                    c.role == u.role
                        && c.expression.is_none()
                        && c.schema == u.schema
                        && c.table == u.table
                        && c.column == u.column
                        && c.constant == u.constant
                })
            })
        };
        for u in &sample.columns {
            let fixed = match u.role {
                Role::NotEqual => true,
                Role::Equality | Role::InList => binds || agrees(u),
                _ => false,
            };
            if fixed && u.expression.is_none() && u.constant.is_some() {
                if let Some(c) = self.columns.iter_mut().find(|c| {
                    c.role == u.role
                        && c.constant.is_none()
                        && c.expression.is_none()
                        && c.schema == u.schema
                        && c.table == u.table
                        && c.column == u.column
                }) {
                    c.constant.clone_from(&u.constant);
                }
            }
        }
        for u in &sample.columns {
            if u.expression.is_none() || u.role == Role::Read {
                continue;
            }
            let known = self.columns.iter().any(|c| {
                c.schema == u.schema
                    && c.table == u.table
                    && c.role == u.role
                    && c.expression == u.expression
            });
            if !known {
                self.columns.push(ColumnUse {
                    constant: None,
                    parameters: Vec::new(),
                    since_now: Vec::new(),
                    ..u.clone()
                });
            }
        }
        self.columns.sort();
        self.columns.dedup();
        self
    }

    /// The uses of one table's columns, for the candidate stage.
    pub fn columns_of<'a>(
        &'a self,
        schema: &'a str,
        table: &'a str,
    ) -> impl Iterator<Item = &'a ColumnUse> + 'a {
        self.columns
            .iter()
            .filter(move |c| c.schema.as_deref() == Some(schema) && c.table == table)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StatementKind {
    Select,
    Insert,
    Update,
    Delete,
    Merge,
    /// SET, BEGIN, VACUUM, EXPLAIN, DDL, …: nothing an index can help with.
    Utility,
    /// More than one statement in one text (pg_stat_statements never stores these, other
    /// sources may); the uses of all of them are merged.
    Multiple,
    Unparsable,
}

/// How a statement uses a table. One entry per table and access.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub struct TableUse {
    /// `None` for an unqualified name that is not in the catalog.
    pub schema: Option<String>,
    pub table: String,
    pub access: Access,
    /// False when the table is not in the catalog (created since discovery, a temporary
    /// table, a system catalog, or a typo in the statement).
    pub known: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    Read,
    Insert,
    Update,
    Delete,
}

/// One use of one column (or of an expression over columns of one table) in one role.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub struct ColumnUse {
    /// `None` when the table is not in the catalog and the statement did not qualify it.
    pub schema: Option<String>,
    pub table: String,
    /// The column as PostgreSQL names it (case folded by the parser), or `*` for a whole-row
    /// read.
    pub column: String,
    pub role: Role,
    /// The index expression the role applies to, when it is not the bare column:
    /// `lower(email)`, `(data ->> 'key')`, `created_at::date`. Column names are unqualified,
    /// as in an index definition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub expression: Option<String>,
    /// The comparison as a normalised operator: `=`, `<`, `between`, `in`, `= any`, `like`,
    /// `is null`, … (the column is always on the left, so `$1 < a` reads `>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub operator: Option<String>,
    /// The literal the column is compared with, when the statement has one rather than a
    /// parameter: `'open'`, `true`, `('a', 'b')`. Candidates for partial indexes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub constant: Option<String>,
    /// The parameters (`$n`) the column is compared with, when the comparand is made of
    /// parameters only: the advisor costs the statement with representative values for them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<u32>>", optional)]
    pub parameters: Vec<u32>,
    /// The parameter giving the length of a window counted back from the current time
    /// (`created_at > now() - $2`, as pg_stat_statements keeps `now() - interval '7 days'`):
    /// the advisor gives it the length that puts the bound where it puts a bound given as
    /// a value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<u32>>", optional)]
    pub since_now: Vec<u32>,
    /// ORDER BY and GROUP BY: the 1-based position of the item in its clause.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub position: Option<u32>,
    /// ORDER BY: the direction, and where NULLs go when the statement says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub direction: Option<Direction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub nulls: Option<Nulls>,
    /// A join key: the table on the other side of the `=` (`schema.table`, with ` AS
    /// alias` when the statement renames it), when that side is one table's. Two join keys of a table with the same partner are one probe
    /// (`l_partkey = ps_partkey AND l_suppkey = ps_suppkey`), which one index serves whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub partner: Option<String>,
    /// A join key: the name the statement gives its own table, when that is not the
    /// table's (`a` in `users a`). With `partner`, which probe the key belongs to: one
    /// table joined under two aliases is two probes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub alias: Option<String>,
    /// The comparison is in a branch of an OR (`a < $1 OR (a = $1 AND id < $2)`, a keyset
    /// cursor written out): it narrows the rows only together with the other branches (a
    /// BitmapOr reads an index per branch), so it is no key of a composite index with the
    /// statement's other filters.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[ts(as = "Option<bool>", optional)]
    pub alternative: bool,
}

impl ColumnUse {
    /// What an index key on this use indexes: the expression, else the column (as
    /// `KeyPart::target` names a key's).
    pub fn target(&self) -> &str {
        self.expression.as_deref().unwrap_or(&self.column)
    }
}

/// The part a column plays in a statement; the candidate stage orders index keys by it
/// (equality, then range, then sort).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// `a = $1`, `$1 = a`, a bare boolean column (`WHERE active`).
    Equality,
    /// `<`, `<=`, `>`, `>=`, BETWEEN, row comparisons used for keyset pagination.
    Range,
    /// `IN (...)`, `= ANY($1)`.
    InList,
    /// LIKE with a constant pattern that does not start with a wildcard, or with a
    /// parameter (which may hold a prefix: the planner decides per value).
    PrefixLike,
    /// `IS NULL` and `IS NOT NULL` (see `operator`).
    IsNull,
    /// `a <> 'closed'`, `NOT (a = 'closed')`: never an index key (a B-tree cannot search
    /// for what is not there), but with a constant the predicate of a partial index.
    NotEqual,
    /// An operator only a GIN index serves: jsonb containment and key existence (`@>`,
    /// `?`, `?|`, `?&`), array containment and overlap (`@>`, `<@`, `&&`); see `operator`.
    Contains,
    /// LIKE or ILIKE whose pattern may start with a wildcard (`ILIKE '%' || $1 || '%'`): no
    /// B-tree serves it, a trigram index (pg_trgm) does. `operator` is `like` or `ilike`,
    /// with ` fragment` when the parameters are pieces of the pattern rather than all of it.
    Substring,
    /// One side of an equality between two tables: JOIN ON, USING, WHERE, correlated
    /// subqueries, `IN (SELECT …)`.
    JoinKey,
    OrderBy,
    GroupBy,
    /// The target of UPDATE SET or ON CONFLICT DO UPDATE SET: an index on it costs HOT
    /// updates.
    Updated,
    /// A column of an ON CONFLICT target: an arbiter unique index must exist on it.
    ConflictKey,
    /// Read without an index-friendly role (select list, RETURNING, other predicates):
    /// what an INCLUDE list or an index-only scan needs.
    Read,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Asc,
    Desc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Nulls {
    First,
    Last,
}

/// Something the analyser could not attribute; nothing is guessed instead.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Warning {
    /// A table (or view) that is not in the catalog. Its columns are still reported, with
    /// the schema the statement gave (or none).
    UnknownTable { name: String },
    /// An unqualified column that more than one table in scope has (or may have).
    AmbiguousColumn { column: String, tables: Vec<String> },
    /// A column no table in scope has, or a qualifier that names nothing in scope.
    UnknownColumn { column: String },
    /// A construct the analyser does not look into; uses inside it are missing.
    Unsupported { construct: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typescript_bindings_mark_absent_fields_optional() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = ts_rs::Config::new().with_out_dir(dir.path());
        Analysis::export_all(&cfg).unwrap();
        let column = std::fs::read_to_string(dir.path().join("ColumnUse.ts")).unwrap();
        assert!(column.contains("expression?: string"), "{column}");
        assert!(column.contains("role: Role"), "{column}");
        let warning = std::fs::read_to_string(dir.path().join("Warning.ts")).unwrap();
        assert!(
            warning.contains("\"kind\": \"ambiguous_column\""),
            "{warning}"
        );
    }

    #[test]
    fn an_analysis_round_trips_through_json() {
        let a = Analysis {
            kind: StatementKind::Select,
            tables: vec![],
            columns: vec![ColumnUse {
                schema: Some("public".into()),
                table: "t".into(),
                column: "a".into(),
                role: Role::PrefixLike,
                expression: Some("lower(a)".into()),
                operator: Some("like".into()),
                constant: Some("'x%'".into()),
                parameters: vec![],
                since_now: vec![],
                position: None,
                direction: None,
                nulls: None,
                partner: None,
                alias: None,
                alternative: false,
            }],
            warnings: vec![Warning::AmbiguousColumn {
                column: "id".into(),
                tables: vec!["public.t".into(), "public.u".into()],
            }],
            error: None,
        };
        let json = serde_json::to_string(&a).unwrap();
        assert!(json.contains("\"role\":\"prefix_like\""), "{json}");
        assert!(!json.contains("position"), "{json}");
        assert_eq!(serde_json::from_str::<Analysis>(&json).unwrap(), a);
    }
}
