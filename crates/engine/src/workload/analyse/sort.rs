//! ORDER BY and GROUP BY items, with PostgreSQL's name rules: an ORDER BY name means an
//! output column first (`SELECT lower(email) AS email … ORDER BY email` sorts by the
//! expression), a GROUP BY name an input column first; a number is a select-list position.

use super::ast::{as_integer, column_parts, enum_of, inner, operator_name};
use super::model::{Direction, Nulls, Role};
use super::operand::Use;
use super::scope::{Derived, OutputColumn, Resolved, Scope};
use super::walk::Walker;
use pg_query::protobuf::{GroupingSetKind, SortByDir, SortByNulls};
use pg_query::{Node, NodeEnum};

impl<'r> Walker<'r> {
    /// `scope` is `None` for a set operation, whose ORDER BY sees only its output columns.
    pub(super) fn sort_clause(
        &mut self,
        items: &[Node],
        scope: Option<&Scope<'_, 'r>>,
        out: &Derived,
    ) {
        for (i, item) in items.iter().enumerate() {
            let Some(NodeEnum::SortBy(s)) = enum_of(item) else {
                continue;
            };
            let Some(node) = inner(&s.node) else { continue };
            let direction = match s.sortby_dir() {
                SortByDir::SortbyDesc => Some(Direction::Desc),
                // `USING >` sorts descending with the default B-tree operator class.
                SortByDir::SortbyUsing => match operator_name(&s.use_op) {
                    ">" | ">=" => Some(Direction::Desc),
                    "<" | "<=" => Some(Direction::Asc),
                    _ => None,
                },
                _ => Some(Direction::Asc),
            };
            let nulls = match s.sortby_nulls() {
                SortByNulls::SortbyNullsFirst => Some(Nulls::First),
                SortByNulls::SortbyNullsLast => Some(Nulls::Last),
                _ => None,
            };
            let u = Use {
                role: Some(Role::OrderBy),
                position: u32::try_from(i + 1).ok(),
                direction,
                nulls,
                ..Use::default()
            };
            if let Some(column) = output_column(node, out) {
                let origins = column.origins.clone();
                self.emit_origins(&origins, &u);
            } else if let Some(scope) = scope {
                self.unary(node, scope, u);
            } else {
                self.unsupported("an ORDER BY expression over a set operation");
            }
        }
    }

    pub(super) fn group_clause(&mut self, items: &[Node], scope: &Scope<'_, 'r>, out: &Derived) {
        let mut flat = Vec::new();
        flatten(items, &mut flat);
        for (i, node) in flat.into_iter().enumerate() {
            let u = Use {
                role: Some(Role::GroupBy),
                position: u32::try_from(i + 1).ok(),
                ..Use::default()
            };
            let input = match node {
                NodeEnum::ColumnRef(c) => match scope.resolve(&column_parts(c)) {
                    Resolved::Column { origins, .. } => Some(Ok(origins)),
                    Resolved::Failed(w) => Some(Err(w)),
                },
                _ => None,
            };
            match (input, output_column(node, out)) {
                (Some(Ok(origins)), _) => self.emit_origins(&origins, &u),
                (_, Some(column)) => {
                    let origins = column.origins.clone();
                    self.emit_origins(&origins, &u);
                }
                (Some(Err(w)), None) => self.warn(w),
                (None, None) => self.unary(node, scope, u),
            }
        }
    }
}

/// The output column a number or a bare name means.
fn output_column<'d>(node: &NodeEnum, out: &'d Derived) -> Option<&'d OutputColumn> {
    if let Some(n) = as_integer(node) {
        return usize::try_from(n)
            .ok()?
            .checked_sub(1)
            .and_then(|i| out.columns.get(i));
    }
    match node {
        NodeEnum::ColumnRef(c) => match column_parts(c).as_slice() {
            [Some(name)] => out.columns.iter().find(|col| col.name == *name),
            _ => None,
        },
        _ => None,
    }
}

/// GROUP BY items with ROLLUP, CUBE and GROUPING SETS opened up, in order.
fn flatten<'n>(items: &'n [Node], out: &mut Vec<&'n NodeEnum>) {
    for node in items.iter().filter_map(enum_of) {
        match node {
            NodeEnum::GroupingSet(g) if g.kind() != GroupingSetKind::GroupingSetEmpty => {
                flatten(&g.content, out)
            }
            NodeEnum::GroupingSet(_) => {}
            // `ROLLUP ((a, b))` lists a row of columns.
            NodeEnum::RowExpr(r) => flatten(&r.args, out),
            NodeEnum::List(l) => flatten(&l.items, out),
            other => out.push(other),
        }
    }
}
