//! The `analyse` stage of the advisor pipeline: each normalised statement (a
//! pg_stat_statements text with `$1` placeholders, or any SQL) is parsed with libpg_query
//! and walked into the tables and columns it touches, each column with its role (equality,
//! range, IN, prefix LIKE, IS NULL, join key, ORDER BY, GROUP BY, updated, …), the
//! expression it is used through and the constant it is compared with.
//!
//! Names are resolved as PostgreSQL would: aliases, CTEs (recursive ones too), subqueries
//! and joins lead back to real tables, unqualified names go through the search path, and
//! whatever cannot be attributed is reported as a [`Warning`] rather than guessed. Text the
//! parser refuses and utility statements are analyses too (kind `unparsable`/`utility`),
//! never errors.
//!
//! Pure: no database, the catalog comes in as a [`Resolver`].

mod ast;
mod cache;
mod cte;
mod dml;
mod from;
mod model;
mod normalised;
mod operand;
mod predicate;
mod print;
mod resolver;
mod scope;
mod sort;
mod walk;

pub use cache::{Analyser, AnalyserStats};
pub use model::{
    Access, Analysis, ColumnUse, Direction, Nulls, Role, StatementKind, TableUse, Warning,
};
pub use normalised::repair;
pub use resolver::{parse_search_path, Resolver, TableInfo};

use pg_query::NodeEnum;
use walk::Walker;

/// Whether a text is exactly one statement an index can serve: a query, INSERT, UPDATE,
/// DELETE or MERGE (with any WITH). Utility statements (which can carry a password, or end
/// a transaction), several statements and text that does not parse are not.
pub fn is_single_query(text: &str) -> bool {
    let Ok(parsed) = pg_query::parse(text, 0) else {
        return false;
    };
    match parsed.protobuf.stmts.as_slice() {
        [one] => matches!(
            one.stmt.as_ref().and_then(|s| s.node.as_ref()),
            Some(
                NodeEnum::SelectStmt(_)
                    | NodeEnum::InsertStmt(_)
                    | NodeEnum::UpdateStmt(_)
                    | NodeEnum::DeleteStmt(_)
                    | NodeEnum::MergeStmt(_)
            )
        ),
        _ => false,
    }
}

/// The query of a `PREPARE name AS query` text, printed back as SQL with its `$n`
/// placeholders; `None` for any other text.
pub fn prepared_body(sql: &str) -> Option<String> {
    let parsed = pg_query::parse(sql, 0).ok()?;
    let [raw] = parsed.protobuf.stmts.as_slice() else {
        return None;
    };
    let NodeEnum::PrepareStmt(p) = raw.stmt.as_ref()?.node.as_ref()? else {
        return None;
    };
    let body = pg_query::protobuf::ParseResult {
        version: parsed.protobuf.version,
        stmts: vec![pg_query::protobuf::RawStmt {
            stmt: p.query.clone(),
            stmt_location: 0,
            stmt_len: 0,
        }],
    };
    pg_query::deparse(&body, pg_query::DeparseOptions::default()).ok()
}

/// Analyses one statement text (uncached; see [`Analyser`] for the cached form). Several
/// statements in one text are analysed together, as kind `multiple`.
pub fn analyse(resolver: &Resolver, sql: &str) -> Analysis {
    let parsed = match pg_query::parse(sql, 0) {
        Ok(parsed) => parsed,
        // A normalised typed literal (`interval $2`) is read as the cast it stands for.
        Err(pg_query::Error::Parse(message)) => match repair(sql) {
            Some(repaired) => return analyse(resolver, &repaired),
            None => return Analysis::unparsable(message),
        },
        // The tree crosses from C as protobuf, whose decoder stops at 100 nested messages
        // (about 50 levels of expression, e.g. a chain of 50 `+`); its message lists them all.
        Err(pg_query::Error::Decode(e)) if e.to_string().contains("recursion limit") => {
            return Analysis::unparsable("statement nested too deeply to analyse");
        }
        Err(e) => return Analysis::unparsable(e.to_string()),
    };
    let mut walker = Walker::new(resolver);
    let kinds: Vec<StatementKind> = parsed
        .protobuf
        .stmts
        .iter()
        .filter_map(|s| ast::inner(&s.stmt))
        .map(|s| walker.statement(s))
        .collect();
    let kind = match kinds.as_slice() {
        [one] => *one,
        // Only comments or semicolons.
        [] => StatementKind::Utility,
        _ => StatementKind::Multiple,
    };
    walker.finish(kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::RelationKind;

    fn resolver() -> Resolver {
        let mut r = Resolver::default();
        r.add_table(
            "public",
            "t",
            RelationKind::Table,
            vec!["a".into(), "b".into(), "c".into()],
        );
        r.add_table(
            "public",
            "u",
            RelationKind::Table,
            vec!["a".into(), "d".into()],
        );
        r
    }

    #[test]
    fn odd_input_is_an_analysis_never_a_panic() {
        let deep = format!("SELECT {}1{} FROM t", "(".repeat(5000), ")".repeat(5000));
        let long_chain = format!("SELECT a FROM t WHERE {} = $1", vec!["a"; 200].join(" + "));
        let inputs = [
            "",
            ";;;",
            "SELECT 'a\0b'",
            "\u{feff}SELECT 1",
            "SELECT * FROM",
            deep.as_str(),
            long_chain.as_str(),
            "SELECT a FROM t WHERE a IN (SELECT)",
            "SELECT * FROM t, LATERAL ROWS FROM (f(t.a)) x",
            "SELECT t FROM t",
            "SELECT ROW(t.*) FROM t WHERE (t.*) IS NULL",
        ];
        for sql in inputs {
            let a = analyse(&resolver(), sql);
            assert!(
                a.error.is_none() || a.kind == StatementKind::Unparsable,
                "{sql}: {a:?}"
            );
        }
        assert_eq!(analyse(&resolver(), "").kind, StatementKind::Utility);
        assert_eq!(
            analyse(&resolver(), "SELECT 'a\0b'").kind,
            StatementKind::Unparsable
        );
        assert_eq!(
            analyse(&resolver(), &long_chain).error.as_deref(),
            Some("statement nested too deeply to analyse")
        );
    }

    #[test]
    fn the_result_does_not_depend_on_the_order_of_the_text() {
        let one = analyse(
            &resolver(),
            "SELECT t.b FROM t JOIN u ON u.a = t.a WHERE t.c = $1 AND u.d > $2",
        );
        let other = analyse(
            &resolver(),
            "SELECT t.b FROM u JOIN t ON t.a = u.a WHERE u.d > $2 AND t.c = $1",
        );
        assert_eq!(one, other);
    }

    #[test]
    fn a_prepare_is_its_query() {
        let sql = "PREPARE p(int) AS SELECT b FROM t WHERE a = $1";
        let a = analyse(&resolver(), sql);
        assert_eq!(a.kind, StatementKind::Select);
        assert!(a
            .columns
            .iter()
            .any(|c| c.column == "a" && c.role == Role::Equality));
        assert_eq!(
            prepared_body(sql).as_deref(),
            Some("SELECT b FROM t WHERE a = $1")
        );
        assert_eq!(prepared_body("SELECT 1"), None);
    }

    #[test]
    fn a_normalised_typed_literal_is_read_as_a_cast() {
        let a = analyse(
            &resolver(),
            "SELECT b FROM t WHERE c > now() - interval $1 AND a = $2",
        );
        assert_eq!(a.kind, StatementKind::Select, "{a:?}");
        assert!(a
            .columns
            .iter()
            .any(|c| c.column == "c" && c.role == Role::Range));
    }

    /// "The last 7 days" as pg_stat_statements keeps it: the window's length is a parameter
    /// the advisor can give a length, whichever current time it counts back from; a number
    /// subtracted from a date may be days, and a bound that is not counted from now is not one.
    #[test]
    fn a_window_counted_back_from_now_names_its_length_parameter() {
        let since_now = |sql: &str| {
            analyse(&resolver(), sql)
                .columns
                .iter()
                .find(|c| c.column == "c" && c.role == Role::Range)
                .map(|c| c.since_now.clone())
        };
        let one = Some(vec![1]);
        assert_eq!(
            since_now("SELECT b FROM t WHERE c > now() - interval $1"),
            one
        );
        assert_eq!(
            since_now("SELECT b FROM t WHERE now() - $1::interval <= c"),
            one
        );
        assert_eq!(
            since_now("SELECT b FROM t WHERE c >= CURRENT_TIMESTAMP - $1"),
            one
        );
        assert_eq!(
            since_now("SELECT b FROM t WHERE c > current_date - interval $1"),
            one
        );
        assert_eq!(
            since_now("SELECT b FROM t WHERE c > current_date - $1"),
            Some(vec![])
        );
        assert_eq!(
            since_now("SELECT b FROM t WHERE c > $2 - $1::interval"),
            Some(vec![])
        );
        assert_eq!(
            since_now("SELECT b FROM t WHERE c > now() + $1::interval"),
            Some(vec![])
        );
        assert_eq!(since_now("SELECT b FROM t WHERE c > $1"), Some(vec![]));
    }

    #[test]
    fn a_sample_that_binds_parameters_gives_its_literals_to_the_statement() {
        let normalised = analyse(&resolver(), "SELECT a FROM t WHERE b = $1 AND c = $2");
        let sample = analyse(
            &resolver(),
            "SELECT a FROM t WHERE b = $1 AND c = 'available'",
        );
        let merged = normalised.with_sample_expressions(&sample, None);
        let c = merged
            .columns
            .iter()
            .find(|u| u.column == "c" && u.role == Role::Equality)
            .and_then(|u| u.constant.clone());
        assert_eq!(c.as_deref(), Some("'available'"));
    }

    #[test]
    fn a_sample_gives_a_not_equal_its_constant_but_not_an_equality() {
        let normalised = analyse(&resolver(), "SELECT a FROM t WHERE b = $1 AND NOT (c = $2)");
        let sample = analyse(
            &resolver(),
            "SELECT a FROM t WHERE b = 7 AND NOT (c = 'closed')",
        );
        let merged = normalised.with_sample_expressions(&sample, None);
        let of = |column: &str| {
            merged
                .columns
                .iter()
                .find(|c| c.column == column && c.role != Role::Read)
                .and_then(|c| c.constant.clone())
        };
        assert_eq!(of("c").as_deref(), Some("'closed'"));
        assert_eq!(of("b"), None);
    }

    /// With no parameter at all, an equality's literal is the code's only when another
    /// execution had it too; a value that changed between executions is a per-call value.
    #[test]
    fn another_execution_settles_which_literals_of_an_unbound_statement_are_constants() {
        let normalised = analyse(
            &resolver(),
            "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)",
        );
        let sample = analyse(
            &resolver(),
            "SELECT a FROM t WHERE b = 7 AND c IN ('new', 'retry')",
        );
        let other = analyse(
            &resolver(),
            "SELECT a FROM t WHERE b = 8 AND c IN ('new', 'retry')",
        );
        let of = |merged: &Analysis, column: &str| {
            merged
                .columns
                .iter()
                .find(|c| c.column == column && c.role != Role::Read)
                .and_then(|c| c.constant.clone())
        };
        let alone = normalised.clone().with_sample_expressions(&sample, None);
        assert_eq!((of(&alone, "b"), of(&alone, "c")), (None, None));
        let settled = normalised.with_sample_expressions(&sample, Some(&other));
        assert_eq!(of(&settled, "b"), None);
        assert_eq!(of(&settled, "c").as_deref(), Some("('new', 'retry')"));
    }

    #[test]
    fn only_one_query_or_dml_statement_is_a_single_query() {
        for kept in [
            "SELECT 1",
            "WITH x AS (SELECT 1) SELECT * FROM x",
            "UPDATE t SET a = 1 WHERE id = 2",
            "INSERT INTO t VALUES (1)",
            "DELETE FROM t WHERE id = 3",
        ] {
            assert!(is_single_query(kept), "{kept}");
        }
        for dropped in [
            "ALTER ROLE app PASSWORD 'hunter2'",
            "CREATE USER u WITH PASSWORD 'x'",
            "SET app.secret = 'x'",
            "SELECT 1; ALTER ROLE app PASSWORD 'hunter2'",
            "EXPLAIN SELECT 1",
            "SELECT * FROM t WHERE a = 'cut off",
        ] {
            assert!(!is_single_query(dropped), "{dropped}");
        }
    }

    #[test]
    fn a_whole_row_reference_reads_the_row() {
        let a = analyse(&resolver(), "SELECT t FROM t");
        assert_eq!(a.columns.len(), 1);
        assert_eq!(
            (a.columns[0].column.as_str(), a.columns[0].role),
            ("*", Role::Read)
        );
    }

    #[test]
    fn columns_of_filters_one_table() {
        let a = analyse(&resolver(), "SELECT t.b FROM t JOIN u ON u.a = t.a");
        let t: Vec<&str> = a
            .columns_of("public", "t")
            .map(|c| c.column.as_str())
            .collect();
        assert_eq!(t, ["a", "b"]);
    }
}
