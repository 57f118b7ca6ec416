//! The walk over one parsed statement: query levels (SELECT, set operations, VALUES) and
//! their select lists. WITH is in `cte.rs`, FROM items in `from.rs`, predicates in
//! `predicate.rs`, ORDER BY/GROUP BY in `sort.rs`, INSERT/UPDATE/DELETE/MERGE in `dml.rs`,
//! operands and the recording of uses in `operand.rs`.
//!
//! Every query level returns the columns it produces ([`Derived`]) with the real columns
//! behind them, which is how a reference to a CTE or subquery column reaches its table.

use super::ast::{column_parts, enum_of, figure_colname, inner};
use super::model::{Access, Analysis, ColumnUse, Role, StatementKind, TableUse, Warning};
use super::operand::Use;
use super::resolver::Resolver;
use super::scope::{Derived, Origin, OutputColumn, Scope, Source};
use crate::ident::display_ident;
use pg_query::protobuf::{ColumnRef, SelectStmt, SetOperation};
use pg_query::NodeEnum;

/// Collects the uses found in one statement text.
pub struct Walker<'r> {
    pub(super) resolver: &'r Resolver,
    pub(super) columns: Vec<ColumnUse>,
    pub(super) tables: Vec<TableUse>,
    warnings: Vec<Warning>,
    next_id: usize,
    /// Inside a branch of an OR of this query level (see `ColumnUse::alternative`).
    pub(super) in_or: bool,
}

impl<'r> Walker<'r> {
    pub fn new(resolver: &'r Resolver) -> Self {
        Walker {
            resolver,
            columns: Vec::new(),
            tables: Vec::new(),
            warnings: Vec::new(),
            next_id: 0,
            in_or: false,
        }
    }

    pub fn finish(mut self, kind: StatementKind) -> Analysis {
        // Sorted and deduplicated so that the analysis does not depend on the order of the
        // walk (and snapshots are stable).
        self.columns.sort();
        self.columns.dedup();
        self.tables.sort();
        self.tables.dedup();
        self.warnings.sort();
        self.warnings.dedup();
        Analysis {
            kind,
            tables: self.tables,
            columns: self.columns,
            warnings: self.warnings,
            error: None,
        }
    }

    pub(super) fn id(&mut self) -> usize {
        self.next_id += 1;
        self.next_id
    }

    pub(super) fn warn(&mut self, warning: Warning) {
        self.warnings.push(warning);
    }

    pub(super) fn unsupported(&mut self, construct: &str) {
        self.warn(Warning::Unsupported {
            construct: construct.to_string(),
        });
    }

    /// A top-level statement.
    pub fn statement(&mut self, node: &NodeEnum) -> StatementKind {
        let kind = match node {
            NodeEnum::SelectStmt(_) => StatementKind::Select,
            NodeEnum::InsertStmt(_) => StatementKind::Insert,
            NodeEnum::UpdateStmt(_) => StatementKind::Update,
            NodeEnum::DeleteStmt(_) => StatementKind::Delete,
            NodeEnum::MergeStmt(_) => StatementKind::Merge,
            // `PREPARE name AS query` (pg_stat_statements keeps this text when SQL-level
            // PREPARE ran first): the query inside.
            NodeEnum::PrepareStmt(p) => {
                return match inner(&p.query) {
                    Some(q) => self.statement(q),
                    None => StatementKind::Utility,
                }
            }
            _ => return StatementKind::Utility,
        };
        self.query(Some(node), None);
        kind
    }

    /// A query level: a subquery, a CTE body, or a statement. DML returns its RETURNING
    /// columns.
    pub fn query(&mut self, node: Option<&NodeEnum>, parent: Option<&Scope<'_, 'r>>) -> Derived {
        // A subquery's own WHERE is a conjunction again, whatever OR it sits in.
        let in_or = std::mem::replace(&mut self.in_or, false);
        let derived = self.query_here(node, parent);
        self.in_or = in_or;
        derived
    }

    fn query_here(&mut self, node: Option<&NodeEnum>, parent: Option<&Scope<'_, 'r>>) -> Derived {
        match node {
            Some(NodeEnum::SelectStmt(s)) => self.select(s, parent),
            Some(NodeEnum::InsertStmt(s)) => self.insert(s, parent),
            Some(NodeEnum::UpdateStmt(s)) => self.update(s, parent),
            Some(NodeEnum::DeleteStmt(s)) => self.delete(s, parent),
            Some(NodeEnum::MergeStmt(s)) => self.merge(s, parent),
            _ => {
                self.unsupported("a subquery that is not a query");
                Derived::empty(false)
            }
        }
    }

    pub fn select(&mut self, s: &SelectStmt, parent: Option<&Scope<'_, 'r>>) -> Derived {
        // CTEs get a level of their own: a non-LATERAL subquery in FROM sees them but not
        // its sibling FROM items.
        let mut ctes = Scope::new(parent);
        if let Some(w) = &s.with_clause {
            self.with_clause(w, &mut ctes);
        }
        if s.op() != SetOperation::SetopNone {
            let side = |w: &mut Self, arm: &Option<Box<SelectStmt>>| match arm.as_deref() {
                Some(arm) => w.select(arm, Some(&ctes)),
                None => Derived::empty(false),
            };
            let left = side(self, &s.larg);
            let right = side(self, &s.rarg);
            let out = left.union(right);
            self.sort_clause(&s.sort_clause, None, &out);
            self.limits(s, &ctes);
            return out;
        }
        let mut scope = Scope::new(Some(&ctes));
        for item in s.from_clause.iter().filter_map(enum_of) {
            self.add_from_item(item, &mut scope, Access::Read);
        }
        if !s.values_lists.is_empty() {
            return self.values(s, &scope);
        }
        if let Some(w) = inner(&s.where_clause) {
            self.predicate(w, &scope);
        }
        let out = self.target_list(&s.target_list, &scope);
        self.group_clause(&s.group_clause, &scope, &out);
        for node in s
            .distinct_clause
            .iter()
            .chain(s.having_clause.as_deref())
            .filter_map(enum_of)
        {
            self.reads(node, &scope);
        }
        for window in s.window_clause.iter().filter_map(enum_of) {
            if let NodeEnum::WindowDef(w) = window {
                for node in w.partition_clause.iter().chain(&w.order_clause) {
                    if let Some(node) = enum_of(node) {
                        self.reads(node, &scope);
                    }
                }
            }
        }
        self.sort_clause(&s.sort_clause, Some(&scope), &out);
        self.limits(s, &scope);
        out
    }

    /// LIMIT and OFFSET hold no column but may hold a subquery.
    fn limits(&mut self, s: &SelectStmt, scope: &Scope<'_, 'r>) {
        for node in [&s.limit_count, &s.limit_offset]
            .into_iter()
            .filter_map(inner)
        {
            self.reads(node, scope);
        }
    }

    /// `VALUES (…), (…)`: columns `column1…` that come from no table.
    fn values(&mut self, s: &SelectStmt, scope: &Scope<'_, 'r>) -> Derived {
        for row in s.values_lists.iter().filter_map(enum_of) {
            self.reads(row, scope);
        }
        let width = match s.values_lists.first().and_then(enum_of) {
            Some(NodeEnum::List(l)) => l.items.len(),
            _ => 0,
        };
        Derived {
            columns: (1..=width)
                .map(|i| OutputColumn {
                    name: format!("column{i}"),
                    origins: Vec::new(),
                })
                .collect(),
            complete: true,
        }
    }

    /// The select list (or RETURNING): every column it reads, and the columns it produces.
    pub(super) fn target_list(
        &mut self,
        targets: &[pg_query::Node],
        scope: &Scope<'_, 'r>,
    ) -> Derived {
        let mut out = Derived::empty(true);
        for node in targets.iter().filter_map(enum_of) {
            let NodeEnum::ResTarget(r) = node else {
                continue;
            };
            let val = inner(&r.val);
            if let Some(NodeEnum::ColumnRef(c)) = val {
                if column_parts(c).last() == Some(&None) {
                    self.star(c, scope, &mut out);
                    continue;
                }
            }
            let name = if r.name.is_empty() {
                figure_colname(val)
            } else {
                r.name.clone()
            };
            let origins = match val {
                Some(v) => {
                    self.reads(v, scope);
                    self.output_origins(v, scope)
                }
                None => Vec::new(),
            };
            out.columns.push(OutputColumn { name, origins });
        }
        out
    }

    /// `*` and `t.*`: expands to the columns of the items (when known) and reads the whole
    /// row of each table.
    fn star(&mut self, c: &ColumnRef, scope: &Scope<'_, 'r>, out: &mut Derived) {
        let parts = column_parts(c);
        let items: Vec<_> = match parts.as_slice() {
            [None] => scope.star_items().iter().collect(),
            [.., Some(name), None] => {
                let schema = (parts.len() == 3).then_some(parts[0]).flatten();
                match scope.item(schema, name) {
                    Some(item) => vec![item],
                    None => {
                        self.warn(Warning::UnknownColumn {
                            column: format!("{}.*", display_ident(name)),
                        });
                        Vec::new()
                    }
                }
            }
            _ => Vec::new(),
        };
        let mut reads = Vec::new();
        for item in items {
            match &item.source {
                Source::Table { info: Some(t), .. } => {
                    out.columns
                        .extend(t.columns.iter().map(|name| OutputColumn {
                            name: name.clone(),
                            origins: item.origins(name),
                        }));
                    reads.extend(item.star());
                }
                Source::Table { info: None, .. } => {
                    out.complete = false;
                    reads.extend(item.star());
                }
                Source::Derived(d) => {
                    out.columns.extend(d.columns.iter().cloned());
                    out.complete &= d.complete;
                }
            }
        }
        self.emit_origins(&reads, &Use::new(Role::Read, None));
    }

    /// The real columns a select-list item carries: a column, or an expression over the
    /// columns of one table (`lower(email) AS e` carries `email` with its expression).
    fn output_origins(&mut self, node: &NodeEnum, scope: &Scope<'_, 'r>) -> Vec<Origin> {
        let side = self.side(node, scope);
        match side.item() {
            // A select-list item that cannot be an index expression (a window function, a
            // CASE) is simply computed: no origins, nothing to report.
            Some(_) => self.origins_of(&side, scope, false).unwrap_or_default(),
            None => Vec::new(),
        }
    }
}
