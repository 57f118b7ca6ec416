//! WHERE and JOIN ON conditions: which comparisons an index could serve, and how.
//!
//! A comparison gives its column a role when one side belongs to a single FROM item and the
//! other is a value (a parameter, a literal, `now()`, an uncorrelated subquery): that is
//! what an index scan can use as a key. When both sides are columns of two different items
//! it is a join. Anything else (`a <> $1`, `NOT …`, `a + b.x = 1`) only reads its columns.
//! Both AND and OR branches are walked: a BitmapOr uses an index per branch. A comparison
//! in an OR branch is marked `alternative`: it narrows the rows only with the other
//! branches, never with the statement's other filters in one index.

use super::ast::{enum_of, inner, operator_name};
use super::model::Role;
use super::operand::Use;
use super::print::{constant, parameters};
use super::scope::Scope;
use super::walk::Walker;
use pg_query::protobuf::{
    a_const::Val, AExpr, AExprKind, BoolExprType, BoolTestType, NullTestType,
};
use pg_query::protobuf::{SubLink, SubLinkType};
use pg_query::NodeEnum;

impl<'r> Walker<'r> {
    pub(super) fn predicate(&mut self, node: &NodeEnum, scope: &Scope<'_, 'r>) {
        match node {
            NodeEnum::BoolExpr(b) => match b.boolop() {
                BoolExprType::NotExpr => match b.args.first().and_then(enum_of) {
                    // `WHERE NOT archived`
                    Some(column @ NodeEnum::ColumnRef(_)) => self.flag(column, scope, "false"),
                    // `NOT (state = 'closed')`, as ORMs write `<>` (Django's exclude).
                    Some(NodeEnum::AExpr(e))
                        if e.kind() == AExprKind::AexprOp && operator_name(&e.name) == "=" =>
                    {
                        match (inner(&e.lexpr), inner(&e.rexpr)) {
                            (Some(l), Some(r)) => self.binary(l, r, "<>", scope),
                            _ => self.reads(node, scope),
                        }
                    }
                    _ => self.reads(node, scope),
                },
                BoolExprType::OrExpr => {
                    let in_or = std::mem::replace(&mut self.in_or, true);
                    for arg in b.args.iter().filter_map(enum_of) {
                        self.predicate(arg, scope);
                    }
                    self.in_or = in_or;
                }
                _ => {
                    for arg in b.args.iter().filter_map(enum_of) {
                        self.predicate(arg, scope);
                    }
                }
            },
            NodeEnum::AExpr(e) => self.comparison(node, e, scope),
            NodeEnum::NullTest(n) => {
                let operator = match n.nulltesttype() {
                    NullTestType::IsNull => "is null",
                    _ => "is not null",
                };
                match inner(&n.arg) {
                    Some(arg) if !n.argisrow => {
                        self.unary(arg, scope, Use::new(Role::IsNull, Some(operator)))
                    }
                    _ => self.reads(node, scope),
                }
            }
            NodeEnum::BooleanTest(b) => match (b.booltesttype(), inner(&b.arg)) {
                (BoolTestType::IsTrue, Some(arg)) => self.flag(arg, scope, "true"),
                (BoolTestType::IsFalse, Some(arg)) => self.flag(arg, scope, "false"),
                _ => self.reads(node, scope),
            },
            // `WHERE active`: a boolean column is an equality with true.
            NodeEnum::ColumnRef(_) => self.flag(node, scope, "true"),
            NodeEnum::SubLink(s) => self.sublink_predicate(node, s, scope),
            _ => self.reads(node, scope),
        }
    }

    fn flag(&mut self, node: &NodeEnum, scope: &Scope<'_, 'r>, value: &str) {
        let u = Use::new(Role::Equality, Some("=")).constant(Some(value.to_string()));
        self.unary(node, scope, u);
    }

    /// A role for an operand that needs no other side (IS NULL, ORDER BY, GROUP BY).
    pub(super) fn unary(&mut self, node: &NodeEnum, scope: &Scope<'_, 'r>, u: Use) {
        let side = self.side(node, scope);
        self.emit_side(&side, scope, &u);
        self.sublinks(node, scope);
    }

    fn comparison(&mut self, node: &NodeEnum, e: &AExpr, scope: &Scope<'_, 'r>) {
        let (Some(left), Some(right)) = (inner(&e.lexpr), inner(&e.rexpr)) else {
            return self.reads(node, scope);
        };
        let op = operator_name(&e.name);
        match (e.kind(), op) {
            (AExprKind::AexprOp, _) => match (left, right) {
                // `(a, b) = ($1, $2)`, `(created_at, id) < ($1, $2)` (keyset pagination).
                (NodeEnum::RowExpr(l), NodeEnum::RowExpr(r)) if l.args.len() == r.args.len() => {
                    for (a, b) in l.args.iter().zip(&r.args) {
                        if let (Some(a), Some(b)) = (enum_of(a), enum_of(b)) {
                            self.binary(a, b, op, scope);
                        }
                    }
                }
                _ => self.binary(left, right, op, scope),
            },
            (AExprKind::AexprOpAny, "=") => {
                self.against_value(left, right, scope, Use::new(Role::InList, Some("= any")))
            }
            (AExprKind::AexprIn, "=") => match (left, right) {
                (NodeEnum::RowExpr(l), _) => {
                    // `(a, b) IN ((1, 2), (3, 4))`: each column is in a list.
                    for a in l.args.iter().filter_map(enum_of) {
                        self.against_value(a, right, scope, Use::new(Role::InList, Some("in")));
                    }
                }
                _ => self.against_value(left, right, scope, Use::new(Role::InList, Some("in"))),
            },
            (AExprKind::AexprLike, "~~") if may_be_prefix(right) => {
                self.against_value(left, right, scope, Use::new(Role::PrefixLike, Some("like")))
            }
            (AExprKind::AexprLike, "~~") => self.substring(left, right, "like", scope),
            (AExprKind::AexprIlike, "~~*") => self.substring(left, right, "ilike", scope),
            (AExprKind::AexprBetween | AExprKind::AexprBetweenSym, _) => {
                let operator = if e.kind() == AExprKind::AexprBetween {
                    "between"
                } else {
                    "between symmetric"
                };
                let bounds = match right {
                    NodeEnum::List(l) => l
                        .items
                        .iter()
                        .map(|b| enum_of(b).and_then(constant))
                        .collect::<Option<Vec<_>>>()
                        .map(|b| b.join(" AND ")),
                    _ => None,
                };
                let u = Use::new(Role::Range, Some(operator))
                    .constant(bounds)
                    .parameters_of(right);
                self.against_value(left, right, scope, u);
            }
            _ => self.reads(node, scope),
        }
    }

    /// `column op value`, where only the left side may be the column (IN, ANY, LIKE,
    /// BETWEEN).
    fn against_value(
        &mut self,
        left: &NodeEnum,
        right: &NodeEnum,
        scope: &Scope<'_, 'r>,
        mut u: Use,
    ) {
        let l = self.side(left, scope);
        let r = self.side(right, scope);
        if l.item().is_some() && r.is_value() {
            if u.constant.is_none() && u.role != Some(Role::Range) {
                u.constant = constant(right);
            }
            if u.parameters.is_empty() {
                u = u.parameters_of(right);
            }
            self.emit_side(&l, scope, &u);
        } else {
            self.read_side(&l);
            self.read_side(&r);
        }
        self.sublinks(left, scope);
        self.sublinks(right, scope);
    }

    /// `column LIKE '%…%'`, `column ILIKE '%' || $1 || '%'`: a pattern a trigram index
    /// serves. Its parameters are kept whether they are the pattern or pieces of it (the
    /// operator says which), so a representative value can be drawn for them.
    fn substring(
        &mut self,
        left: &NodeEnum,
        right: &NodeEnum,
        op: &'static str,
        scope: &Scope<'_, 'r>,
    ) {
        let whole = parameters(right);
        let (operator, params) = if whole.is_empty() {
            let mut pieces = Vec::new();
            pattern_parameters(right, &mut pieces);
            let fragment = if op == "ilike" {
                "ilike fragment"
            } else {
                "like fragment"
            };
            (if pieces.is_empty() { op } else { fragment }, pieces)
        } else {
            (op, whole)
        };
        let mut u = Use::new(Role::Substring, Some(operator));
        u.parameters = params;
        self.against_value(left, right, scope, u);
    }

    /// `a op b` for a binary operator: a filter when one side is a value, a join when both
    /// are columns of different items.
    fn binary(&mut self, left: &NodeEnum, right: &NodeEnum, op: &str, scope: &Scope<'_, 'r>) {
        let l = self.side(left, scope);
        let r = self.side(right, scope);
        let role = match op {
            "=" => Some(Role::Equality),
            "<" | "<=" | ">" | ">=" => Some(Role::Range),
            "<>" => Some(Role::NotEqual),
            "@>" | "<@" | "&&" | "?" | "?|" | "?&" => Some(Role::Contains),
            _ => None,
        };
        let (op, flipped) = commute(op);
        match (role, l.item(), r.item()) {
            (Some(role), Some(_), None) if r.is_value() => {
                let u = Use::new(role, Some(op))
                    .constant(constant(right))
                    .parameters_of(right);
                self.emit_side(&l, scope, &u);
            }
            (Some(role), None, Some(_)) if l.is_value() && !flipped.is_empty() => {
                let u = Use::new(role, Some(flipped))
                    .constant(constant(left))
                    .parameters_of(left);
                self.emit_side(&r, scope, &u);
            }
            (Some(role), Some(a), Some(b))
                if a != b && !matches!(role, Role::NotEqual | Role::Contains) =>
            {
                let role = if role == Role::Equality {
                    Role::JoinKey
                } else {
                    Role::Range
                };
                let left = Use::new(role, Some(op))
                    .partner_of(&r.origins(), r.item_name(scope))
                    .named(l.item_name(scope));
                let right = Use::new(role, Some(flipped))
                    .partner_of(&l.origins(), l.item_name(scope))
                    .named(r.item_name(scope));
                self.emit_side(&l, scope, &left);
                self.emit_side(&r, scope, &right);
            }
            _ => {
                self.read_side(&l);
                self.read_side(&r);
            }
        }
        self.sublinks(left, scope);
        self.sublinks(right, scope);
    }

    /// `a IN (SELECT b …)` is a semi-join on `a = b`; EXISTS and the rest are walked as
    /// query levels of their own (their correlated conditions are joins there).
    fn sublink_predicate(&mut self, node: &NodeEnum, s: &SubLink, scope: &Scope<'_, 'r>) {
        let equality = s.oper_name.is_empty() || operator_name(&s.oper_name) == "=";
        let (SubLinkType::AnySublink, true, Some(test)) =
            (s.sub_link_type(), equality, inner(&s.testexpr))
        else {
            return self.reads(node, scope);
        };
        let out = self.query(inner(&s.subselect), Some(scope));
        let tests: Vec<&NodeEnum> = match test {
            NodeEnum::RowExpr(r) => r.args.iter().filter_map(enum_of).collect(),
            other => vec![other],
        };
        for (i, t) in tests.into_iter().enumerate() {
            let side = self.side(t, scope);
            let inner_origins = out
                .columns
                .get(i)
                .map(|c| c.origins.clone())
                .unwrap_or_default();
            let key = Use::new(Role::JoinKey, Some("="));
            if inner_origins.is_empty() {
                // The subquery computes its values: a list to look up.
                self.emit_side(&side, scope, &Use::new(Role::InList, Some("in")));
            } else {
                let outer = key
                    .clone()
                    .partner_of(&inner_origins, None)
                    .named(side.item_name(scope));
                let inner = key.partner_of(&side.origins(), side.item_name(scope));
                self.emit_side(&side, scope, &outer);
                self.emit_origins(&inner_origins, &inner);
            }
        }
        self.sublinks(test, scope);
    }
}

/// The operator seen from the other side (`$1 < a` is `a > $1`), paired with itself.
fn commute(op: &str) -> (&'static str, &'static str) {
    match op {
        "=" => ("=", "="),
        "<" => ("<", ">"),
        "<=" => ("<=", ">="),
        ">" => (">", "<"),
        ">=" => (">=", "<="),
        "<>" => ("<>", "<>"),
        "@>" => ("@>", "<@"),
        "<@" => ("<@", "@>"),
        "&&" => ("&&", "&&"),
        // Key existence has no mirror: `'k' ? col` is not what an index serves.
        "?" => ("?", ""),
        "?|" => ("?|", ""),
        "?&" => ("?&", ""),
        _ => ("", ""),
    }
}

/// The parameters inside a pattern built around them (`'%' || $1 || '%'`, `concat('%',
/// $1)`).
fn pattern_parameters(node: &NodeEnum, out: &mut Vec<u32>) {
    match node {
        NodeEnum::ParamRef(p) => out.extend(u32::try_from(p.number).ok()),
        NodeEnum::TypeCast(t) => {
            if let Some(a) = inner(&t.arg) {
                pattern_parameters(a, out);
            }
        }
        NodeEnum::AExpr(e) if operator_name(&e.name) == "||" => {
            for side in [inner(&e.lexpr), inner(&e.rexpr)].into_iter().flatten() {
                pattern_parameters(side, out);
            }
        }
        NodeEnum::FuncCall(f) => {
            for a in f.args.iter().filter_map(enum_of) {
                pattern_parameters(a, out);
            }
        }
        _ => {}
    }
}

/// Whether a LIKE pattern can start with fixed text: a literal that does not begin with a
/// wildcard, or a parameter or computed value, which may (the planner decides per value,
/// with a custom plan).
fn may_be_prefix(pattern: &NodeEnum) -> bool {
    match pattern {
        NodeEnum::AConst(c) => match &c.val {
            Some(Val::Sval(s)) => !s.sval.is_empty() && !s.sval.starts_with(['%', '_']),
            _ => false,
        },
        NodeEnum::ParamRef(_) | NodeEnum::FuncCall(_) => true,
        NodeEnum::TypeCast(t) => inner(&t.arg).is_some_and(may_be_prefix),
        NodeEnum::AExpr(e) if operator_name(&e.name) == "||" => {
            inner(&e.lexpr).is_some_and(may_be_prefix)
        }
        _ => false,
    }
}
