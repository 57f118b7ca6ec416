//! Operands and their uses: the column references of an expression resolved to real
//! columns, the expression text an index would need, and the recording of each use.
//! Column references outside any role (select lists, non-indexable predicates) are reads;
//! subqueries met on the way are walked as query levels of their own.

use super::ast::{children, column_parts, enum_of, immutable, inner};
use super::model::{ColumnUse, Direction, Nulls, Role};
use super::print;
use super::scope::{Origin, Resolved, Scope};
use super::walk::Walker;
use crate::ident::display_ident;
use pg_query::protobuf::ColumnRef;
use pg_query::NodeEnum;

/// How a found column is used; becomes a [`ColumnUse`] for each real column.
#[derive(Debug, Clone, Default)]
pub struct Use {
    pub role: Option<Role>,
    pub operator: Option<&'static str>,
    pub constant: Option<String>,
    /// The `$n` the column is compared with (`= $1`, `BETWEEN $2 AND $3`, `IN ($1, $2)`).
    pub parameters: Vec<u32>,
    /// The `$n` of a bound counted back from now (`> now() - $1`): a window's length.
    pub since_now: Vec<u32>,
    pub position: Option<u32>,
    pub direction: Option<Direction>,
    pub nulls: Option<Nulls>,
    /// A join key's other side, `schema.table [AS alias]` (see [`ColumnUse::partner`]).
    pub partner: Option<String>,
    /// A join key's own FROM item's name (see [`ColumnUse::alias`]).
    pub alias: Option<String>,
}

impl Use {
    pub fn new(role: Role, operator: Option<&'static str>) -> Self {
        Use {
            role: Some(role),
            operator,
            ..Use::default()
        }
    }

    pub fn constant(mut self, constant: Option<String>) -> Self {
        self.constant = constant;
        self
    }

    /// The parameters of the value side, when it is made of parameters only.
    pub fn parameters_of(mut self, value: &NodeEnum) -> Self {
        self.parameters = super::print::parameters(value);
        self.since_now = super::print::since_now_parameters(value);
        self
    }

    /// The join key's other side: the one table all of `origins` belong to, under the
    /// name the statement gives it (`alias`) when that is not the table's own.
    pub fn partner_of(mut self, origins: &[Origin], alias: Option<&str>) -> Self {
        self.partner = one_table(origins, alias);
        self
    }

    /// The name the statement gives the join key's own FROM item.
    pub fn named(mut self, alias: Option<&str>) -> Self {
        self.alias = alias.map(str::to_string);
        self
    }
}

/// `schema.table` when every origin is a column of that one table, `schema.table AS
/// alias` when the statement names it otherwise: two aliases of one table (`users
/// author`, `users assignee`) are two partners, and so are a self-join's two sides.
fn one_table(origins: &[Origin], alias: Option<&str>) -> Option<String> {
    let first = origins.first()?;
    if !origins.iter().all(|o| o.same_table(first)) {
        return None;
    }
    let table = match &first.schema {
        Some(schema) => format!("{schema}.{}", first.table),
        None => first.table.clone(),
    };
    Some(match alias {
        Some(a) if a != first.table => format!("{table} AS {a}"),
        _ => table,
    })
}

/// One operand of a comparison: the column references in it, resolved.
pub struct Side<'n> {
    pub node: &'n NodeEnum,
    pub refs: Vec<(usize, Vec<Origin>)>,
    /// Some reference could not be resolved: the side is neither a value nor a column.
    pub unresolved: bool,
}

impl Side<'_> {
    /// No column at all: a parameter, a literal, `now()`, a subquery.
    pub fn is_value(&self) -> bool {
        self.refs.is_empty() && !self.unresolved
    }

    /// The real columns the references resolve to.
    pub fn origins(&self) -> Vec<Origin> {
        self.refs.iter().flat_map(|r| r.1.clone()).collect()
    }

    /// The name the statement gives the one FROM item of this side, if it is one.
    pub fn item_name<'s>(&self, scope: &'s Scope<'_, '_>) -> Option<&'s str> {
        self.item().and_then(|id| scope.item_name(id))
    }

    /// The one FROM item all the references belong to.
    pub fn item(&self) -> Option<usize> {
        let first = self.refs.first()?.0;
        (!self.unresolved && self.refs.iter().all(|r| r.0 == first)).then_some(first)
    }
}

impl<'r> Walker<'r> {
    /// Resolves the column references of an operand (not those inside its subqueries,
    /// which are query levels of their own).
    pub(super) fn side<'n>(&mut self, node: &'n NodeEnum, scope: &Scope<'_, 'r>) -> Side<'n> {
        let mut found = Vec::new();
        collect_refs(node, &mut found);
        let mut side = Side {
            node,
            refs: Vec::new(),
            unresolved: false,
        };
        for c in found {
            match scope.resolve(&column_parts(c)) {
                Resolved::Column { item, origins } => side.refs.push((item, origins)),
                Resolved::Failed(w) => {
                    self.warn(w);
                    side.unresolved = true;
                }
            }
        }
        side
    }

    /// The real columns of a one-item operand, each with the operand's expression text
    /// unless the operand is the bare column. `None` when it cannot be an index expression;
    /// `report` adds a warning when that is because the printer does not know a construct.
    pub(super) fn origins_of(
        &mut self,
        side: &Side,
        scope: &Scope<'_, 'r>,
        report: bool,
    ) -> Option<Vec<Origin>> {
        if let NodeEnum::ColumnRef(_) = side.node {
            return Some(side.origins());
        }
        if !immutable(side.node) {
            return None;
        }
        // A subquery column may carry columns of several tables (UNION): the expression is
        // printed once per table, with that table's columns.
        let mut tables: Vec<&Origin> = side.refs.iter().flat_map(|r| &r.1).collect();
        tables.sort_by(|a, b| (&a.schema, &a.table).cmp(&(&b.schema, &b.table)));
        tables.dedup_by(|a, b| a.same_table(b));
        let mut out = Vec::new();
        for table in tables {
            let text = print::expression(side.node, &mut |c| {
                let Resolved::Column { origins, .. } = scope.resolve(&column_parts(c)) else {
                    return None;
                };
                let o = origins.iter().find(|o| o.same_table(table))?;
                Some(
                    o.expression
                        .clone()
                        .unwrap_or_else(|| display_ident(&o.column)),
                )
            });
            let Some(text) = text else {
                if report {
                    self.unsupported(&format!("expression {}", node_kind(side.node)));
                }
                return None;
            };
            for origin in side.refs.iter().flat_map(|r| &r.1) {
                if origin.same_table(table) {
                    out.push(Origin {
                        expression: Some(text.clone()),
                        ..origin.clone()
                    });
                }
            }
        }
        Some(out)
    }

    /// Records a use of each origin.
    pub(super) fn emit_origins(&mut self, origins: &[Origin], u: &Use) {
        let Some(role) = u.role else { return };
        for o in origins {
            self.columns.push(ColumnUse {
                schema: o.schema.clone(),
                table: o.table.clone(),
                column: o.column.clone(),
                role,
                // A read is of the column; the expression only matters to a key.
                expression: if role == Role::Read {
                    None
                } else {
                    o.expression.clone()
                },
                operator: u.operator.map(str::to_string),
                constant: u.constant.clone(),
                parameters: if role == Role::Read {
                    Vec::new()
                } else {
                    u.parameters.clone()
                },
                since_now: if role == Role::Range {
                    u.since_now.clone()
                } else {
                    Vec::new()
                },
                position: u.position,
                direction: u.direction,
                nulls: u.nulls,
                partner: if role == Role::JoinKey {
                    u.partner.clone()
                } else {
                    None
                },
                alias: u
                    .alias
                    .clone()
                    .filter(|a| role == Role::JoinKey && *a != o.table),
                alternative: self.in_or && role != Role::Read,
            });
        }
    }

    /// A role for a one-item operand, or plain reads when it has none.
    pub(super) fn emit_side(&mut self, side: &Side, scope: &Scope<'_, 'r>, u: &Use) {
        match side.item().and_then(|_| self.origins_of(side, scope, true)) {
            Some(origins) => self.emit_origins(&origins, u),
            None => self.read_side(side),
        }
    }

    pub(super) fn read_side(&mut self, side: &Side) {
        self.emit_origins(&side.origins(), &Use::new(Role::Read, None));
    }

    /// Every column in `node` is read; its subqueries are walked.
    pub(super) fn reads(&mut self, node: &NodeEnum, scope: &Scope<'_, 'r>) {
        self.visit(node, scope, true);
    }

    /// Only the subqueries in `node` are walked (its columns got a role already).
    pub(super) fn sublinks(&mut self, node: &NodeEnum, scope: &Scope<'_, 'r>) {
        self.visit(node, scope, false);
    }

    fn visit(&mut self, node: &NodeEnum, scope: &Scope<'_, 'r>, read: bool) {
        match node {
            NodeEnum::ColumnRef(c) if read => {
                let parts = column_parts(c);
                if parts == [None] {
                    return;
                }
                match scope.resolve(&parts) {
                    Resolved::Column { origins, .. } => {
                        self.emit_origins(&origins, &Use::new(Role::Read, None))
                    }
                    Resolved::Failed(w) => self.warn(w),
                }
            }
            NodeEnum::SubLink(s) => {
                self.query(inner(&s.subselect), Some(scope));
                if let Some(test) = inner(&s.testexpr) {
                    self.visit(test, scope, read);
                }
            }
            // `SET (a, b) = (SELECT …)` repeats the subquery for every column.
            NodeEnum::MultiAssignRef(m) if m.colno > 1 => {}
            _ => {
                for child in children(node).into_iter().filter_map(enum_of) {
                    self.visit(child, scope, read);
                }
            }
        }
    }
}

/// The column references of an expression, outside its subqueries; `*` alone (as in
/// `count(*)` written `count(t.*)`) is not a column.
fn collect_refs<'n>(node: &'n NodeEnum, out: &mut Vec<&'n ColumnRef>) {
    match node {
        NodeEnum::ColumnRef(c) => {
            if c.fields.len() > 1 || column_parts(c) != [None] {
                out.push(c);
            }
        }
        _ => {
            for child in children(node).into_iter().filter_map(enum_of) {
                collect_refs(child, out);
            }
        }
    }
}

/// A name for an expression kind the printer does not know, for the warning.
fn node_kind(node: &NodeEnum) -> &'static str {
    match node {
        NodeEnum::CaseExpr(_) => "CASE",
        NodeEnum::SubLink(_) => "with a subquery",
        NodeEnum::AIndirection(_) => "with a subscript",
        NodeEnum::FuncCall(f) if f.over.is_some() => "with a window function",
        NodeEnum::FuncCall(_) => "with a function call",
        NodeEnum::AExpr(_) => "with an operator",
        _ => "of an unusual kind",
    }
}
