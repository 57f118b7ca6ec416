//! FROM items: tables (through CTE names and the search path), subqueries (LATERAL or not),
//! functions, and joins with their ON, USING and NATURAL keys.

use super::ast::{enum_of, inner, string_of, strings};
use super::model::{Access, Role, TableUse, Warning};
use super::operand::Use;
use super::scope::{Derived, Item, Origin, OutputColumn, Scope, Source, Using};
use super::walk::Walker;
use crate::ident::display_ident;
use pg_query::protobuf::{Alias, JoinExpr, JoinType, RangeFunction, RangeVar};
use pg_query::NodeEnum;
use std::ops::Range;

impl<'r> Walker<'r> {
    /// Adds the items of one FROM entry to `scope`.
    pub(super) fn add_from_item(
        &mut self,
        node: &NodeEnum,
        scope: &mut Scope<'_, 'r>,
        access: Access,
    ) {
        match node {
            NodeEnum::RangeVar(rv) => {
                let item = self.range_var(rv, Some(scope), access);
                scope.items.push(item);
            }
            NodeEnum::RangeSubselect(s) => {
                // Only a LATERAL subquery sees the FROM items before it.
                let mut derived = if s.lateral {
                    self.query(inner(&s.subquery), Some(&*scope))
                } else {
                    self.query(inner(&s.subquery), scope.parent)
                };
                let name = alias_name(&s.alias, &mut derived, "");
                let id = self.id();
                scope.items.push(Item {
                    id,
                    name,
                    source: Source::Derived(derived),
                });
            }
            NodeEnum::RangeFunction(f) => self.function(f, scope),
            NodeEnum::JoinExpr(j) => self.join(j, scope, access),
            NodeEnum::RangeTableSample(t) => {
                if let Some(relation) = inner(&t.relation) {
                    self.add_from_item(relation, scope, access);
                }
            }
            NodeEnum::RangeTableFunc(t) => self.opaque("XMLTABLE", &t.alias, scope),
            NodeEnum::JsonTable(t) => self.opaque("JSON_TABLE", &t.alias, scope),
            _ => self.unsupported("a FROM item of an unusual kind"),
        }
    }

    /// A table name: a CTE when unqualified and one is in scope (pass `None` where CTEs
    /// cannot be meant, as for the target of INSERT), else a table of the catalog.
    pub(super) fn range_var(
        &mut self,
        rv: &RangeVar,
        scope: Option<&Scope<'_, 'r>>,
        access: Access,
    ) -> Item<'r> {
        let id = self.id();
        let name = rv
            .alias
            .as_ref()
            .map_or_else(|| rv.relname.clone(), |a| a.aliasname.clone());
        if rv.schemaname.is_empty() {
            if let Some(cte) = scope.and_then(|s| s.cte(&rv.relname)) {
                let mut derived = cte.clone();
                if let Some(a) = &rv.alias {
                    derived.rename(&strings(&a.colnames));
                }
                return Item {
                    id,
                    name,
                    source: Source::Derived(derived),
                };
            }
        }
        let info = if rv.schemaname.is_empty() {
            self.resolver.lookup(&rv.relname)
        } else {
            self.resolver.table(&rv.schemaname, &rv.relname)
        };
        let schema = match info {
            Some(t) => Some(t.schema.clone()),
            None => (!rv.schemaname.is_empty()).then(|| rv.schemaname.clone()),
        };
        if info.is_none() {
            let shown = match &schema {
                Some(s) => format!("{}.{}", display_ident(s), display_ident(&rv.relname)),
                None => display_ident(&rv.relname),
            };
            self.warn(Warning::UnknownTable { name: shown });
        }
        self.tables.push(TableUse {
            schema: schema.clone(),
            table: rv.relname.clone(),
            access,
            known: info.is_some(),
        });
        Item {
            id,
            name,
            source: Source::Table {
                schema,
                table: rv.relname.clone(),
                info,
            },
        }
    }

    /// A function in FROM (`unnest($1) AS u(id)`, `generate_series(…) g`): its arguments
    /// may read earlier items (functions are implicitly LATERAL); its columns come from no
    /// table.
    fn function(&mut self, f: &RangeFunction, scope: &mut Scope<'_, 'r>) {
        let mut first_name = None;
        let mut declared = Vec::new();
        for node in f.functions.iter().filter_map(enum_of) {
            // Each entry is a list: the call, then its column definitions.
            let NodeEnum::List(l) = node else { continue };
            let mut parts = l.items.iter().filter_map(enum_of);
            if let Some(call) = parts.next() {
                if let NodeEnum::FuncCall(c) = call {
                    first_name = first_name.or_else(|| c.funcname.last().and_then(string_of));
                }
                self.reads(call, scope);
            }
            if let Some(NodeEnum::List(defs)) = parts.next() {
                declared.extend(column_defs(&defs.items));
            }
        }
        declared.extend(column_defs(&f.coldeflist));
        let explicit =
            !declared.is_empty() || f.alias.as_ref().is_some_and(|a| !a.colnames.is_empty());
        // Without a column list, a function returning a scalar has one column named after
        // the alias (or the function); one returning a record has columns we cannot know.
        let single = f
            .alias
            .as_ref()
            .map(|a| a.aliasname.as_str())
            .or(first_name)
            .unwrap_or("")
            .to_string();
        let mut derived = Derived {
            columns: if declared.is_empty() {
                vec![single.clone()]
            } else {
                declared
            }
            .into_iter()
            .map(|name| OutputColumn {
                name,
                origins: Vec::new(),
            })
            .collect(),
            complete: explicit,
        };
        if f.ordinality {
            derived.columns.push(OutputColumn {
                name: "ordinality".into(),
                origins: Vec::new(),
            });
        }
        let name = alias_name(&f.alias, &mut derived, &single);
        let id = self.id();
        scope.items.push(Item {
            id,
            name,
            source: Source::Derived(derived),
        });
    }

    /// XMLTABLE, JSON_TABLE: an item whose columns are unknown, so that references to it
    /// are not mistaken for columns of another table.
    fn opaque(&mut self, what: &str, alias: &Option<Alias>, scope: &mut Scope<'_, 'r>) {
        self.unsupported(what);
        let mut derived = Derived::empty(false);
        let name = alias_name(alias, &mut derived, "");
        let id = self.id();
        scope.items.push(Item {
            id,
            name,
            source: Source::Derived(derived),
        });
    }

    fn join(&mut self, j: &JoinExpr, scope: &mut Scope<'_, 'r>, access: Access) {
        let start = (scope.items.len(), scope.using.len());
        if let Some(left) = inner(&j.larg) {
            self.add_from_item(left, scope, access);
        }
        let mid = (scope.items.len(), scope.using.len());
        if let Some(right) = inner(&j.rarg) {
            self.add_from_item(right, scope, access);
        }
        let end = (scope.items.len(), scope.using.len());
        let names: Vec<String> = if j.is_natural {
            self.common_columns(scope, start.0..mid.0, mid.0..end.0)
        } else {
            strings(&j.using_clause)
                .into_iter()
                .map(str::to_string)
                .collect()
        };
        let key = Use::new(Role::JoinKey, Some("="));
        for name in names {
            let left = side_column(scope, start.0..mid.0, start.1..mid.1, &name);
            let right = side_column(scope, mid.0..end.0, mid.1..end.1, &name);
            self.emit_origins(&left, &key.clone().partner_of(&right, None));
            self.emit_origins(&right, &key.clone().partner_of(&left, None));
            // What an unqualified `name` means after the join: both sides for an inner join
            // (a filter on it applies to both), the preserved side for an outer one, a
            // COALESCE of both (which no index serves) for a full one.
            let origins = match j.jointype() {
                JoinType::JoinLeft => left,
                JoinType::JoinRight => right,
                JoinType::JoinFull => Vec::new(),
                _ => left.into_iter().chain(right).collect(),
            };
            let id = self.id();
            scope.using.push(Using { name, id, origins });
        }
        if let Some(quals) = inner(&j.quals) {
            self.predicate(quals, scope);
        }
        if j.alias.is_some() || j.join_using_alias.is_some() {
            self.unsupported("an alias on a JOIN");
        }
    }

    /// The column names both sides of a NATURAL JOIN have, in the left side's order.
    fn common_columns(
        &mut self,
        scope: &Scope<'_, 'r>,
        left: Range<usize>,
        right: Range<usize>,
    ) -> Vec<String> {
        let names = |range: Range<usize>| -> Option<Vec<String>> {
            let mut out = Vec::new();
            for item in &scope.items[range] {
                match &item.source {
                    Source::Table { info: Some(t), .. } => out.extend(t.columns.iter().cloned()),
                    Source::Derived(d) if d.complete => {
                        out.extend(d.columns.iter().map(|c| c.name.clone()))
                    }
                    _ => return None,
                }
            }
            Some(out)
        };
        match (names(left), names(right)) {
            (Some(l), Some(r)) => l.into_iter().filter(|n| r.contains(n)).collect(),
            _ => {
                self.unsupported("NATURAL JOIN of a table with unknown columns");
                Vec::new()
            }
        }
    }
}

/// The origins of `name` on one side of a join: a USING column merged inside that side, or
/// the item of that side that has the column.
fn side_column(scope: &Scope, items: Range<usize>, using: Range<usize>, name: &str) -> Vec<Origin> {
    if let Some(u) = scope.using[using].iter().rev().find(|u| u.name == name) {
        return u.origins.clone();
    }
    scope.items[items]
        .iter()
        .find(|i| i.has(name) != Some(false))
        .map(|i| i.origins(name))
        .unwrap_or_default()
}

fn column_defs(nodes: &[pg_query::Node]) -> Vec<String> {
    nodes
        .iter()
        .filter_map(|n| match enum_of(n)? {
            NodeEnum::ColumnDef(d) => Some(d.colname.clone()),
            _ => None,
        })
        .collect()
}

/// The name of a subquery or function item, renaming its columns as the alias says.
fn alias_name(alias: &Option<Alias>, derived: &mut Derived, default: &str) -> String {
    match alias {
        Some(a) => {
            derived.rename(&strings(&a.colnames));
            a.aliasname.clone()
        }
        None => default.to_string(),
    }
}
