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
//! Every other parameter is left `unknown`, so PostgreSQL infers it as before.

use pg_query::protobuf::{AExpr, AExprKind};
use pg_query::{NodeEnum, NodeRef};
use std::collections::BTreeMap;

const ARITHMETIC: &[&str] = &["+", "-", "*", "/", "%", "^"];
const COMPARISON: &[&str] = &["=", "<>", "<", ">", "<=", ">="];

/// Declared types by parameter number (1-based) for the parameters that need one.
pub fn guesses(sql: &str) -> BTreeMap<usize, &'static str> {
    let mut out = BTreeMap::new();
    let Ok(parsed) = pg_query::parse(sql, 0) else {
        return out;
    };
    for (node, ..) in parsed.protobuf.nodes() {
        let NodeRef::AExpr(e) = node else { continue };
        let Some(op) = operator(e) else { continue };
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
    fn parameters_that_meet_a_column_or_a_cast_are_left_to_postgresql() {
        assert!(guesses("SELECT 1 FROM t WHERE a = $1 + $2 * b").is_empty());
        assert!(guesses("SELECT 1 FROM t WHERE d > now() - CAST($1 AS interval) * $2").is_empty());
        assert!(guesses("SELECT 1 FROM t WHERE a = $1").is_empty());
        assert_eq!(declaration(&BTreeMap::new(), 3), None);
    }
}
