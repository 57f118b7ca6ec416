//! Types for parameters that only a constant typed.
//!
//! In `WHERE bucket = 3 + 7 % 5` every constant has a type; pg_stat_statements stores
//! `bucket = $1 + $2 % $3`, where no parameter meets anything typed, and PREPARE fails
//! ("operator is not unique: unknown % unknown", "could not determine data type of
//! parameter $1"). The statement is the same whatever the numbers were, so when PREPARE
//! refuses the text, the what-if session prepares it again with these parameters declared:
//! operands of arithmetic that meets only other parameters or constants as `bigint` (an
//! integer compares with an indexed integer column without a cast; a numeric column takes
//! it by an implicit cast), operands of a comparison between two such values as `text`.
//! A parameter added to or subtracted from a date or a timestamp stood for a number of
//! days (`CURRENT_DATE - 30`) or an interval (`now() - '7 days'`): left `unknown`,
//! PostgreSQL takes it for the other side's type, and `date - date` is an integer that no
//! longer compares with a timestamp. The fraction of `percentile_cont` / `percentile_disc`
//! is a `double precision` (unknown, it matches two of their signatures).
//! Every other parameter is left `unknown`, so PostgreSQL infers it as before.
//!
//! Some parameters also need a value of their own: the unit of `date_trunc` / `date_part`
//! is text, but not any text (`unit_parameters`).

use pg_query::protobuf::{AExpr, AExprKind, FuncCall, Node, SqlValueFunctionOp};
use pg_query::{NodeEnum, NodeRef};
use std::collections::{BTreeMap, BTreeSet};

/// Functions whose time unit comes first (`date_trunc('month', t)`).
const UNIT_FIRST: &[&str] = &["date_trunc", "date_part"];

/// Functions returning a timestamp.
const TIMESTAMP_FUNCTIONS: &[&str] = &[
    "now",
    "clock_timestamp",
    "statement_timestamp",
    "transaction_timestamp",
    "date_trunc",
    "to_timestamp",
];

/// Aggregates whose direct argument is a fraction, overloaded for one and for an array.
const FRACTION_AGGREGATES: &[&str] = &["percentile_cont", "percentile_disc"];

const ARITHMETIC: &[&str] = &["+", "-", "*", "/", "%", "^"];
const COMPARISON: &[&str] = &["=", "<>", "<", ">", "<=", ">="];

/// Declared types by parameter number (1-based) for the parameters that need one.
pub fn guesses(sql: &str) -> BTreeMap<usize, &'static str> {
    let mut out = BTreeMap::new();
    let Ok(parsed) = pg_query::parse(sql, 0) else {
        return out;
    };
    for (node, ..) in parsed.protobuf.nodes() {
        if let NodeRef::FuncCall(f) = node {
            if FRACTION_AGGREGATES.contains(&function_name(f).as_str()) {
                for a in &f.args {
                    if let Some(NodeEnum::ParamRef(p)) = a.node.as_ref() {
                        if let Ok(k) = usize::try_from(p.number) {
                            out.entry(k).or_insert("double precision");
                        }
                    }
                }
            }
            continue;
        }
        let NodeRef::AExpr(e) = node else { continue };
        let Some(op) = operator(e) else { continue };
        if op == "+" || op == "-" {
            let (l, r) = (e.lexpr.as_deref(), e.rexpr.as_deref());
            for (this, other) in [(l, r), (r, l)] {
                let (Some(k), Some(t)) = (param(this), other.and_then(temporal)) else {
                    continue;
                };
                out.entry(k).or_insert(match t {
                    Temporal::Date => "integer",
                    Temporal::Timestamp => "interval",
                });
            }
        }
        let (l, r) = (side(e.lexpr.as_deref()), side(e.rexpr.as_deref()));
        let declared = if ARITHMETIC.contains(&op) {
            "bigint"
        } else if COMPARISON.contains(&op) {
            "text"
        } else {
            continue;
        };
        // Both sides untyped (a unary minus has no left side).
        if l.unwrap_or(true) && r.unwrap_or(false) {
            let mut params = Vec::new();
            for n in [e.lexpr.as_deref(), e.rexpr.as_deref()]
                .into_iter()
                .flatten()
            {
                collect_params(n.node.as_ref(), &mut params);
            }
            for p in params {
                out.entry(p).or_insert(declared);
            }
        }
    }
    out
}

/// The `(t1, t2, …)` clause of a PREPARE for `count` parameters, `unknown` where no type is
/// guessed; `None` when nothing is guessed.
pub fn declaration(guesses: &BTreeMap<usize, &'static str>, count: usize) -> Option<String> {
    if guesses.is_empty() || count == 0 {
        return None;
    }
    let types: Vec<&str> = (1..=count)
        .map(|k| guesses.get(&k).copied().unwrap_or("unknown"))
        .collect();
    Some(format!("({})", types.join(", ")))
}

/// Parameters that are the unit of `date_trunc` / `date_part`: they need a unit as their
/// value (any text is not one).
pub fn unit_parameters(sql: &str) -> BTreeSet<usize> {
    let Ok(parsed) = pg_query::parse(sql, 0) else {
        return BTreeSet::new();
    };
    parsed
        .protobuf
        .nodes()
        .into_iter()
        .filter_map(|(node, ..)| match node {
            NodeRef::FuncCall(f) if UNIT_FIRST.contains(&function_name(f).as_str()) => {
                param(f.args.first())
            }
            _ => None,
        })
        .collect()
}

enum Temporal {
    Date,
    Timestamp,
}

/// Whether an expression is a date or a timestamp, as far as it says so itself.
fn temporal(n: &Node) -> Option<Temporal> {
    match n.node.as_ref()? {
        NodeEnum::SqlvalueFunction(f) => match f.op() {
            SqlValueFunctionOp::SvfopCurrentDate => Some(Temporal::Date),
            SqlValueFunctionOp::SvfopCurrentTimestamp
            | SqlValueFunctionOp::SvfopCurrentTimestampN
            | SqlValueFunctionOp::SvfopLocaltimestamp
            | SqlValueFunctionOp::SvfopLocaltimestampN => Some(Temporal::Timestamp),
            _ => None,
        },
        NodeEnum::FuncCall(f) => TIMESTAMP_FUNCTIONS
            .contains(&function_name(f).as_str())
            .then_some(Temporal::Timestamp),
        NodeEnum::TypeCast(c) => {
            let name = c.type_name.as_ref()?.names.last()?.node.as_ref()?;
            let NodeEnum::String(s) = name else {
                return None;
            };
            match s.sval.as_str() {
                "date" => Some(Temporal::Date),
                "timestamp" | "timestamptz" => Some(Temporal::Timestamp),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The number of a bare parameter.
fn param(n: Option<&Node>) -> Option<usize> {
    match n?.node.as_ref()? {
        NodeEnum::ParamRef(p) => usize::try_from(p.number).ok(),
        _ => None,
    }
}

/// A function's name without its schema.
fn function_name(f: &FuncCall) -> String {
    match f.funcname.last().and_then(|n| n.node.as_ref()) {
        Some(NodeEnum::String(s)) => s.sval.to_lowercase(),
        _ => String::new(),
    }
}

fn operator(e: &AExpr) -> Option<&str> {
    if e.kind() != AExprKind::AexprOp {
        return None;
    }
    match e.name.last()?.node.as_ref()? {
        NodeEnum::String(s) => Some(s.sval.as_str()),
        _ => None,
    }
}

/// Whether an operand has no type of its own: a parameter, an untyped constant, or
/// arithmetic over such. `None` for a missing operand.
fn side(node: Option<&pg_query::protobuf::Node>) -> Option<bool> {
    let n = node?.node.as_ref()?;
    Some(untyped(n))
}

fn untyped(n: &NodeEnum) -> bool {
    match n {
        NodeEnum::ParamRef(_) | NodeEnum::AConst(_) => true,
        NodeEnum::AExpr(e) => {
            operator(e).is_some_and(|op| ARITHMETIC.contains(&op))
                && side(e.lexpr.as_deref()).unwrap_or(true)
                && side(e.rexpr.as_deref()).unwrap_or(false)
        }
        _ => false,
    }
}

fn collect_params(n: Option<&NodeEnum>, out: &mut Vec<usize>) {
    match n {
        Some(NodeEnum::ParamRef(p)) => {
            if let Ok(k) = usize::try_from(p.number) {
                out.push(k);
            }
        }
        Some(NodeEnum::AExpr(e)) => {
            collect_params(e.lexpr.as_deref().and_then(|x| x.node.as_ref()), out);
            collect_params(e.rexpr.as_deref().and_then(|x| x.node.as_ref()), out);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_that_meet_only_parameters_get_a_type() {
        let g = guesses("SELECT id FROM t WHERE bucket = $1 + $2 % $3 LIMIT $4");
        assert_eq!(g, [(1, "bigint"), (2, "bigint"), (3, "bigint")].into());
        assert_eq!(
            declaration(&g, 4).as_deref(),
            Some("(bigint, bigint, bigint, unknown)")
        );
        assert_eq!(
            guesses("SELECT 1 FROM t WHERE $1 = $2"),
            [(1, "text"), (2, "text")].into()
        );
        assert_eq!(guesses("SELECT -$1 * 2 FROM t"), [(1, "bigint")].into());
    }

    #[test]
    fn parameters_added_to_a_date_are_days_and_to_a_timestamp_intervals() {
        assert_eq!(
            guesses("SELECT 1 FROM p WHERE created_at >= CURRENT_DATE - $4"),
            [(4, "integer")].into()
        );
        assert_eq!(
            guesses(
                "SELECT 1 FROM p WHERE created_at >= now() - $1 AND d < $2 + CURRENT_TIMESTAMP"
            ),
            [(1, "interval"), (2, "interval")].into()
        );
        assert_eq!(
            guesses("SELECT 1 FROM p WHERE d > CAST('2024-01-01' AS date) + $1"),
            [(1, "integer")].into()
        );
    }

    #[test]
    fn a_percentile_fraction_is_a_double() {
        assert_eq!(
            guesses(
                "SELECT percentile_cont($2) WITHIN GROUP (ORDER BY paid_at - issued_at) FROM i WHERE a = $1"
            ),
            [(2, "double precision")].into()
        );
    }

    #[test]
    fn a_date_trunc_unit_is_known() {
        assert_eq!(
            unit_parameters(
                "SELECT date_trunc($2, i.issued_at) FROM i WHERE i.issued_at >= date_trunc($4, now()) AND date_part($5, x) = $1"
            ),
            [2, 4, 5].into()
        );
        assert!(unit_parameters("SELECT date_trunc('day', t) FROM i WHERE a = $1").is_empty());
    }

    #[test]
    fn parameters_that_meet_a_column_or_a_cast_are_left_to_postgresql() {
        assert!(guesses("SELECT 1 FROM t WHERE a = $1 + $2 * b").is_empty());
        assert!(guesses("SELECT 1 FROM t WHERE d > now() - CAST($1 AS interval) * $2").is_empty());
        assert!(guesses("SELECT 1 FROM t WHERE a = $1").is_empty());
        assert_eq!(declaration(&BTreeMap::new(), 3), None);
    }
}
