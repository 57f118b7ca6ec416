//! WITH clauses: each CTE is a query level whose columns lead back to its tables, unless
//! the planner must compute it on its own first (recursive, MATERIALIZED, data-modifying).

use super::ast::{enum_of, inner, strings};
use super::scope::{Cte, Derived, OutputColumn, Scope};
use super::walk::Walker;
use pg_query::protobuf::{CteMaterialize, SelectStmt, SetOperation, WithClause};
use pg_query::NodeEnum;

impl<'r> Walker<'r> {
    /// Registers the CTEs of a WITH clause in `scope`, each seeing the ones before it.
    pub(super) fn with_clause(&mut self, w: &WithClause, scope: &mut Scope<'_, 'r>) {
        for node in w.ctes.iter().filter_map(enum_of) {
            let NodeEnum::CommonTableExpr(cte) = node else {
                continue;
            };
            let names = strings(&cte.aliascolnames);
            let query = inner(&cte.ctequery);
            let recursive = matches!(query, Some(NodeEnum::SelectStmt(s))
                if w.recursive && s.op() == SetOperation::SetopUnion);
            let mut derived = match query {
                Some(NodeEnum::SelectStmt(s)) if recursive => {
                    self.recursive_cte(&cte.ctename, &names, s, scope)
                }
                _ => self.query(query, Some(&*scope)),
            };
            derived.rename(&names);
            // A CTE the planner cannot inline into the outer query (recursive, MATERIALIZED,
            // or a data-modifying one) is computed first and scanned as a whole: a filter or
            // sort on its columns reaches no index of the tables inside it.
            let materialized = cte.ctematerialized() == CteMaterialize::Always;
            let select = matches!(query, Some(NodeEnum::SelectStmt(_)));
            if recursive || materialized || !select {
                for column in &mut derived.columns {
                    column.origins.clear();
                }
            }
            scope.ctes.push(Cte {
                name: cte.ctename.clone(),
                derived,
            });
        }
    }

    /// `WITH RECURSIVE t AS (base UNION ALL step)`: the step refers to `t` itself, whose
    /// rows are the previous iteration's (a work table, which no index serves); so inside
    /// the step `t` has the base's column names and no origins, and only the real tables
    /// the step joins are reported.
    fn recursive_cte(
        &mut self,
        name: &str,
        names: &[&str],
        s: &SelectStmt,
        scope: &mut Scope<'_, 'r>,
    ) -> Derived {
        let base = match s.larg.as_deref() {
            Some(l) => self.select(l, Some(&*scope)),
            None => Derived::empty(false),
        };
        let mut work_table = Derived {
            columns: base
                .columns
                .iter()
                .map(|c| OutputColumn {
                    name: c.name.clone(),
                    origins: Vec::new(),
                })
                .collect(),
            complete: base.complete,
        };
        work_table.rename(names);
        scope.ctes.push(Cte {
            name: name.to_string(),
            derived: work_table,
        });
        let step = match s.rarg.as_deref() {
            Some(r) => self.select(r, Some(&*scope)),
            None => Derived::empty(false),
        };
        scope.ctes.pop();
        base.union(step)
    }
}
