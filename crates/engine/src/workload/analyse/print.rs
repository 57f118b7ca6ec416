//! Prints expressions and literals back as SQL text. pg_query's deparser works on whole
//! statements only (and aborts on a bare expression node), so the kinds that occur in index
//! expressions and predicates are printed here: one fixed spelling per tree, so that
//! `LOWER( email )` and `lower(email)` give the same text, and every binary operator in
//! parentheses, the way an index expression must be written (`(data ->> 'key')`).

use super::ast::{inner, string_of, strings};
use crate::ident::{display_function_or_type, display_ident};
use pg_query::protobuf::{
    a_const::Val, AConst, BoolExprType, ColumnRef, MinMaxOp, NullTestType, SqlValueFunctionOp,
    TypeName,
};
use pg_query::{Node, NodeEnum};

/// How a column reference is printed: its unqualified column name, or the expression a
/// subquery column stands for. `None` makes the whole expression unprintable.
pub type ColumnText<'a> = dyn FnMut(&ColumnRef) -> Option<String> + 'a;

/// `node` as normalised SQL, or `None` for a kind this printer does not know (CASE,
/// subqueries, subscripts, window functions…).
pub fn expression(node: &NodeEnum, column: &mut ColumnText<'_>) -> Option<String> {
    Some(match node {
        NodeEnum::ColumnRef(c) => column(c)?,
        NodeEnum::AConst(c) => literal(c),
        NodeEnum::ParamRef(p) => format!("${}", p.number),
        NodeEnum::FuncCall(f) => {
            if f.over.is_some()
                || f.agg_filter.is_some()
                || !f.agg_order.is_empty()
                || f.agg_within_group
                || f.func_variadic
            {
                return None;
            }
            let name = qualified(&f.funcname);
            let args = if f.agg_star {
                "*".to_string()
            } else {
                list(&f.args, column)?
            };
            let distinct = if f.agg_distinct { "DISTINCT " } else { "" };
            format!("{name}({distinct}{args})")
        }
        NodeEnum::AExpr(e) if e.kind() == pg_query::protobuf::AExprKind::AexprOp => {
            let op = super::ast::operator_name(&e.name);
            let right = expression(inner(&e.rexpr)?, column)?;
            match inner(&e.lexpr) {
                Some(l) => format!("({} {op} {right})", expression(l, column)?),
                None => format!("({op} {right})"),
            }
        }
        NodeEnum::TypeCast(t) => {
            let arg = expression(inner(&t.arg)?, column)?;
            format!("{arg}::{}", type_name(t.type_name.as_ref()?)?)
        }
        NodeEnum::CollateClause(c) => format!(
            "({} COLLATE {})",
            expression(inner(&c.arg)?, column)?,
            qualified(&c.collname)
        ),
        NodeEnum::CoalesceExpr(c) => format!("coalesce({})", list(&c.args, column)?),
        NodeEnum::MinMaxExpr(m) => {
            let name = if m.op() == MinMaxOp::IsGreatest {
                "greatest"
            } else {
                "least"
            };
            format!("{name}({})", list(&m.args, column)?)
        }
        NodeEnum::NullTest(n) => {
            let test = if n.nulltesttype() == NullTestType::IsNull {
                "IS NULL"
            } else {
                "IS NOT NULL"
            };
            format!("({} {test})", expression(inner(&n.arg)?, column)?)
        }
        NodeEnum::BoolExpr(b) => match b.boolop() {
            BoolExprType::NotExpr => format!("(NOT {})", list(&b.args, column)?),
            op => {
                let word = if op == BoolExprType::AndExpr {
                    " AND "
                } else {
                    " OR "
                };
                let parts = b
                    .args
                    .iter()
                    .map(|a| expression(a.node.as_ref()?, column))
                    .collect::<Option<Vec<_>>>()?;
                format!("({})", parts.join(word))
            }
        },
        NodeEnum::NamedArgExpr(n) => {
            format!(
                "{} => {}",
                display_ident(&n.name),
                expression(inner(&n.arg)?, column)?
            )
        }
        NodeEnum::SqlvalueFunction(f) => sql_value_function(f.op())?.to_string(),
        NodeEnum::AArrayExpr(a) => format!("ARRAY[{}]", list(&a.elements, column)?),
        NodeEnum::RowExpr(r) => format!("ROW({})", list(&r.args, column)?),
        NodeEnum::List(l) => format!("({})", list(&l.items, column)?),
        _ => return None,
    })
}

/// The text of a literal comparand (`'open'`, `42`, `'2024-01-01'::date`, `('a', 'b')`),
/// or `None` when `node` is anything else: a parameter, a column, a function call.
pub fn constant(node: &NodeEnum) -> Option<String> {
    if is_literal(node) {
        expression(node, &mut |_| None)
    } else {
        None
    }
}

/// The parameter numbers of a comparand made of parameters only: `$1`, `$1::int`,
/// `($1, $2)`, `ARRAY[$1]`, `ANY($1)`; empty for anything else.
pub fn parameters(node: &NodeEnum) -> Vec<u32> {
    fn collect(node: &NodeEnum, out: &mut Vec<u32>) -> bool {
        match node {
            NodeEnum::ParamRef(p) => match u32::try_from(p.number) {
                Ok(n) => {
                    out.push(n);
                    true
                }
                Err(_) => false,
            },
            NodeEnum::TypeCast(t) => inner(&t.arg).is_some_and(|a| collect(a, out)),
            NodeEnum::List(l) => l
                .items
                .iter()
                .all(|n| n.node.as_ref().is_some_and(|n| collect(n, out))),
            NodeEnum::AArrayExpr(a) => a
                .elements
                .iter()
                .all(|n| n.node.as_ref().is_some_and(|n| collect(n, out))),
            _ => false,
        }
    }
    let mut out = Vec::new();
    if collect(node, &mut out) {
        out
    } else {
        Vec::new()
    }
}

/// The parameter of a bound counted back from the current time, `now() - $1` (also
/// `CURRENT_TIMESTAMP`, `LOCALTIMESTAMP`, `statement_timestamp()`…): the length of a window
/// such as "the last 7 days", which pg_stat_statements keeps only as `interval $2`. From
/// `CURRENT_DATE` only when the parameter is an interval: `CURRENT_DATE - $1` may count days.
/// Empty for anything else.
pub fn since_now_parameters(node: &NodeEnum) -> Vec<u32> {
    use pg_query::protobuf::AExprKind;
    use SqlValueFunctionOp as F;
    let NodeEnum::AExpr(e) = node else {
        return Vec::new();
    };
    if e.kind() != AExprKind::AexprOp || super::ast::operator_name(&e.name) != "-" {
        return Vec::new();
    }
    let (Some(base), Some(length)) = (inner(&e.lexpr), inner(&e.rexpr)) else {
        return Vec::new();
    };
    let is_interval = matches!(length, NodeEnum::TypeCast(t)
        if t.type_name.as_ref().is_some_and(|n| strings(&n.names).last() == Some(&"interval")));
    let counted_from_now = match base {
        NodeEnum::FuncCall(f) if f.args.is_empty() => matches!(
            strings(&f.funcname).last().copied(),
            Some("now" | "statement_timestamp" | "transaction_timestamp" | "clock_timestamp")
        ),
        NodeEnum::SqlvalueFunction(f) => match f.op() {
            F::SvfopCurrentTimestamp
            | F::SvfopCurrentTimestampN
            | F::SvfopLocaltimestamp
            | F::SvfopLocaltimestampN => true,
            F::SvfopCurrentDate => is_interval,
            _ => false,
        },
        _ => false,
    };
    let found = if counted_from_now {
        parameters(length)
    } else {
        Vec::new()
    };
    if found.len() == 1 {
        found
    } else {
        Vec::new()
    }
}

fn is_literal(node: &NodeEnum) -> bool {
    match node {
        NodeEnum::AConst(_) => true,
        NodeEnum::TypeCast(t) => inner(&t.arg).is_some_and(is_literal),
        NodeEnum::List(l) => all_literal(&l.items),
        NodeEnum::AArrayExpr(a) => all_literal(&a.elements),
        // A negative number the parser did not fold: `- 1.5`.
        NodeEnum::AExpr(e) => e.lexpr.is_none() && inner(&e.rexpr).is_some_and(is_literal),
        _ => false,
    }
}

fn all_literal(nodes: &[Node]) -> bool {
    !nodes.is_empty()
        && nodes
            .iter()
            .all(|n| n.node.as_ref().is_some_and(is_literal))
}

pub fn literal(c: &AConst) -> String {
    match &c.val {
        _ if c.isnull => "NULL".to_string(),
        Some(Val::Ival(i)) => i.ival.to_string(),
        Some(Val::Fval(f)) => f.fval.clone(),
        Some(Val::Boolval(b)) => b.boolval.to_string(),
        Some(Val::Sval(s)) => format!("'{}'", s.sval.replace('\'', "''")),
        // The parser keeps the radix letter: "b1010", "x1F".
        Some(Val::Bsval(b)) => match b.bsval.split_at_checked(1) {
            Some((radix, digits)) => format!("{}'{digits}'", radix.to_ascii_uppercase()),
            None => "B''".to_string(),
        },
        None => "NULL".to_string(),
    }
}

/// A type as written in a cast, without the `pg_catalog.` the grammar adds to built-in types
/// (`::int` reads `pg_catalog.int4`, printed `int4`).
pub fn type_name(t: &TypeName) -> Option<String> {
    if t.setof || t.pct_type {
        return None;
    }
    let mut names = strings(&t.names);
    if names.len() == 2 && names[0] == "pg_catalog" {
        names.remove(0);
    }
    let mut text = names
        .iter()
        .map(|n| display_function_or_type(n))
        .collect::<Vec<_>>()
        .join(".");
    if !t.typmods.is_empty() {
        let mods = t
            .typmods
            .iter()
            .map(|m| match m.node.as_ref()? {
                NodeEnum::AConst(c) => Some(literal(c)),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?;
        text.push_str(&format!("({})", mods.join(", ")));
    }
    for _ in &t.array_bounds {
        text.push_str("[]");
    }
    Some(text)
}

fn list(nodes: &[Node], column: &mut ColumnText<'_>) -> Option<String> {
    let parts = nodes
        .iter()
        .map(|n| expression(n.node.as_ref()?, column))
        .collect::<Option<Vec<_>>>()?;
    Some(parts.join(", "))
}

/// `schema.function` or `function`, each part quoted only where needed.
fn qualified(names: &[Node]) -> String {
    names
        .iter()
        .filter_map(string_of)
        .map(display_function_or_type)
        .collect::<Vec<_>>()
        .join(".")
}

fn sql_value_function(op: SqlValueFunctionOp) -> Option<&'static str> {
    use SqlValueFunctionOp as F;
    Some(match op {
        F::SvfopCurrentDate => "CURRENT_DATE",
        F::SvfopCurrentTime | F::SvfopCurrentTimeN => "CURRENT_TIME",
        F::SvfopCurrentTimestamp | F::SvfopCurrentTimestampN => "CURRENT_TIMESTAMP",
        F::SvfopLocaltime | F::SvfopLocaltimeN => "LOCALTIME",
        F::SvfopLocaltimestamp | F::SvfopLocaltimestampN => "LOCALTIMESTAMP",
        F::SvfopCurrentRole => "CURRENT_ROLE",
        F::SvfopCurrentUser => "CURRENT_USER",
        F::SvfopUser => "USER",
        F::SvfopSessionUser => "SESSION_USER",
        F::SvfopCurrentCatalog => "CURRENT_CATALOG",
        F::SvfopCurrentSchema => "CURRENT_SCHEMA",
        F::SqlvalueFunctionOpUndefined => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Prints the first select-list item of `SELECT <expr>` with columns as written.
    fn print(expr: &str) -> Option<String> {
        let parsed = pg_query::parse(&format!("SELECT {expr}"), 0).unwrap();
        let Some(NodeEnum::SelectStmt(s)) = inner(&parsed.protobuf.stmts[0].stmt) else {
            panic!("not a select")
        };
        let Some(NodeEnum::ResTarget(r)) = s.target_list[0].node.as_ref() else {
            panic!("no target")
        };
        expression(inner(&r.val).unwrap(), &mut |c| {
            Some(
                super::super::ast::column_parts(c)
                    .last()?
                    .unwrap()
                    .to_string(),
            )
        })
    }

    #[test]
    fn index_expressions_print_in_one_normal_form() {
        assert_eq!(print("LOWER( email )").unwrap(), "lower(email)");
        assert_eq!(print("data->>'key'").unwrap(), "(data ->> 'key')");
        assert_eq!(
            print("(data -> 'a') ->> 'b'").unwrap(),
            "((data -> 'a') ->> 'b')"
        );
        assert_eq!(print("created_at::date").unwrap(), "created_at::date");
        assert_eq!(
            print("CAST(created_at AS date)").unwrap(),
            "created_at::date"
        );
        assert_eq!(print("x::integer").unwrap(), "x::int4");
        assert_eq!(print("x::varchar(20)[]").unwrap(), "x::varchar(20)[]");
        assert_eq!(print("coalesce(a, 'x')").unwrap(), "coalesce(a, 'x')");
        assert_eq!(print("a || ' ' || b").unwrap(), "((a || ' ') || b)");
        assert_eq!(print("name COLLATE \"C\"").unwrap(), "(name COLLATE \"C\")");
        assert_eq!(
            print("extract(year from ts)").unwrap(),
            "pg_catalog.extract('year', ts)"
        );
        assert_eq!(print("count(DISTINCT a)").unwrap(), "count(DISTINCT a)");
        assert_eq!(print("now()").unwrap(), "now()");
        assert_eq!(print("CURRENT_DATE").unwrap(), "CURRENT_DATE");
    }

    #[test]
    fn unprintable_kinds_give_none() {
        assert_eq!(print("CASE WHEN a THEN 1 END"), None);
        assert_eq!(print("(SELECT 1)"), None);
        assert_eq!(print("row_number() OVER ()"), None);
    }

    #[test]
    fn literals_keep_their_spelling() {
        assert_eq!(print("'it''s'").unwrap(), "'it''s'");
        assert_eq!(print("1.50").unwrap(), "1.50");
        assert_eq!(print("-3").unwrap(), "-3");
        assert_eq!(print("true").unwrap(), "true");
        assert_eq!(print("NULL").unwrap(), "NULL");
        assert_eq!(print("B'101'").unwrap(), "B'101'");
        assert_eq!(print("X'1F'").unwrap(), "X'1F'");
        assert_eq!(print("interval '1 day'").unwrap(), "'1 day'::interval");
    }
}
