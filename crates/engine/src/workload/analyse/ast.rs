//! Small accessors over pg_query's protobuf tree, whose every child is an
//! `Option<Box<Node>>` wrapping an `Option<NodeEnum>`.

use pg_query::protobuf::{self, ColumnRef, SubLinkType};
use pg_query::{Node, NodeEnum};

/// The node inside an optional boxed child.
pub fn inner(node: &Option<Box<Node>>) -> Option<&NodeEnum> {
    node.as_deref().and_then(|n| n.node.as_ref())
}

pub fn enum_of(node: &Node) -> Option<&NodeEnum> {
    node.node.as_ref()
}

/// The text of a `String` node (names, operator names, column lists).
pub fn string_of(node: &Node) -> Option<&str> {
    match node.node.as_ref()? {
        NodeEnum::String(s) => Some(&s.sval),
        _ => None,
    }
}

/// A list of `String` nodes: `schema.function`, column aliases.
pub fn strings(nodes: &[Node]) -> Vec<&str> {
    nodes.iter().filter_map(string_of).collect()
}

/// The operator of an `A_Expr` (`=`, `<`, `~~`): the last part of a possibly qualified name.
pub fn operator_name(name: &[Node]) -> &str {
    name.last().and_then(string_of).unwrap_or("")
}

/// The parts of a column reference; `None` for a trailing `*`.
pub fn column_parts(c: &ColumnRef) -> Vec<Option<&str>> {
    c.fields
        .iter()
        .map(|f| match f.node.as_ref() {
            Some(NodeEnum::String(s)) => Some(s.sval.as_str()),
            _ => None,
        })
        .collect()
}

/// The integer of an `A_Const` (ORDER BY 1).
pub fn as_integer(node: &NodeEnum) -> Option<i32> {
    match node {
        NodeEnum::AConst(protobuf::AConst {
            val: Some(protobuf::a_const::Val::Ival(i)),
            ..
        }) => Some(i.ival),
        _ => None,
    }
}

/// The column name PostgreSQL gives an unnamed select-list item (`FigureColname`): the
/// column, function or type name, else `?column?`.
pub fn figure_colname(node: Option<&NodeEnum>) -> String {
    let name = match node {
        Some(NodeEnum::ColumnRef(c)) => column_parts(c).last().copied().flatten(),
        Some(NodeEnum::FuncCall(f)) => f.funcname.last().and_then(string_of),
        Some(NodeEnum::TypeCast(t)) => match inner(&t.arg) {
            Some(arg @ NodeEnum::ColumnRef(_)) | Some(arg @ NodeEnum::FuncCall(_)) => {
                return figure_colname(Some(arg))
            }
            _ => t
                .type_name
                .as_ref()
                .and_then(|n| n.names.last().and_then(string_of)),
        },
        Some(NodeEnum::CoalesceExpr(_)) => Some("coalesce"),
        Some(NodeEnum::CaseExpr(_)) => Some("case"),
        Some(NodeEnum::SubLink(s)) => match inner(&s.subselect) {
            Some(NodeEnum::SelectStmt(sel)) if s.sub_link_type() == SubLinkType::ExprSublink => {
                match sel.target_list.first().and_then(enum_of) {
                    Some(NodeEnum::ResTarget(r)) if !r.name.is_empty() => Some(r.name.as_str()),
                    Some(NodeEnum::ResTarget(r)) => return figure_colname(inner(&r.val)),
                    _ => None,
                }
            }
            _ if s.sub_link_type() == SubLinkType::ExistsSublink => Some("exists"),
            _ => None,
        },
        _ => None,
    };
    name.unwrap_or("?column?").to_string()
}

/// The expression children of `node`, for walks that look for column references. A
/// subquery's own statement is not a child: it is a query level of its own, walked with its
/// own scope.
pub fn children(node: &NodeEnum) -> Vec<&Node> {
    let mut out: Vec<&Node> = Vec::new();
    match node {
        NodeEnum::AExpr(e) => out.extend(one(&e.lexpr).into_iter().chain(one(&e.rexpr))),
        NodeEnum::BoolExpr(b) => out.extend(&b.args),
        NodeEnum::FuncCall(f) => {
            out.extend(&f.args);
            out.extend(&f.agg_order);
            out.extend(one(&f.agg_filter));
            if let Some(w) = &f.over {
                out.extend(&w.partition_clause);
                out.extend(&w.order_clause);
            }
        }
        NodeEnum::TypeCast(t) => out.extend(one(&t.arg)),
        NodeEnum::CollateClause(c) => out.extend(one(&c.arg)),
        NodeEnum::NullTest(n) => out.extend(one(&n.arg)),
        NodeEnum::BooleanTest(b) => out.extend(one(&b.arg)),
        NodeEnum::CoalesceExpr(c) => out.extend(&c.args),
        NodeEnum::MinMaxExpr(m) => out.extend(&m.args),
        NodeEnum::RowExpr(r) => out.extend(&r.args),
        NodeEnum::AArrayExpr(a) => out.extend(&a.elements),
        NodeEnum::List(l) => out.extend(&l.items),
        NodeEnum::CaseExpr(c) => {
            out.extend(one(&c.arg));
            out.extend(&c.args);
            out.extend(one(&c.defresult));
        }
        NodeEnum::CaseWhen(w) => out.extend(one(&w.expr).into_iter().chain(one(&w.result))),
        NodeEnum::NamedArgExpr(n) => out.extend(one(&n.arg)),
        NodeEnum::AIndirection(a) => {
            out.extend(one(&a.arg));
            out.extend(&a.indirection);
        }
        NodeEnum::AIndices(a) => out.extend(one(&a.lidx).into_iter().chain(one(&a.uidx))),
        NodeEnum::ResTarget(r) => out.extend(one(&r.val)),
        NodeEnum::SortBy(s) => out.extend(one(&s.node)),
        NodeEnum::GroupingSet(g) => out.extend(&g.content),
        NodeEnum::SubLink(s) => out.extend(one(&s.testexpr)),
        NodeEnum::MultiAssignRef(m) => out.extend(one(&m.source)),
        _ => {}
    }
    out
}

fn one(node: &Option<Box<Node>>) -> Option<&Node> {
    node.as_deref()
}

/// Whether an expression over columns could be an index expression: no parameter, no
/// subquery, and none of the common functions that are not IMMUTABLE (`now()`,
/// `CURRENT_DATE`, `random()`…). Functions whose volatility depends on argument types
/// (`date_trunc` on `timestamptz`) pass here; the what-if stage rejects those.
pub fn immutable(node: &NodeEnum) -> bool {
    const NOT_IMMUTABLE: [&str; 12] = [
        "now",
        "random",
        "clock_timestamp",
        "statement_timestamp",
        "transaction_timestamp",
        "timeofday",
        "nextval",
        "currval",
        "gen_random_uuid",
        "uuid_generate_v4",
        "txid_current",
        "pg_backend_pid",
    ];
    // Aggregates and window functions are computed over rows, never stored in an index.
    const AGGREGATES: [&str; 18] = [
        "count",
        "sum",
        "avg",
        "min",
        "max",
        "array_agg",
        "string_agg",
        "bool_and",
        "bool_or",
        "every",
        "json_agg",
        "jsonb_agg",
        "json_object_agg",
        "jsonb_object_agg",
        "stddev",
        "variance",
        "percentile_cont",
        "percentile_disc",
    ];
    match node {
        NodeEnum::ParamRef(_) | NodeEnum::SubLink(_) | NodeEnum::SqlvalueFunction(_) => false,
        NodeEnum::FuncCall(f)
            if f.agg_star
                || f.agg_distinct
                || f.over.is_some()
                || f.agg_filter.is_some()
                || !f.agg_order.is_empty()
                || f.funcname
                    .last()
                    .and_then(string_of)
                    .is_some_and(|n| AGGREGATES.contains(&n)) =>
        {
            false
        }
        NodeEnum::FuncCall(f)
            if f.funcname
                .last()
                .and_then(string_of)
                .is_some_and(|n| NOT_IMMUTABLE.contains(&n)) =>
        {
            false
        }
        _ => children(node)
            .into_iter()
            .filter_map(enum_of)
            .all(immutable),
    }
}
