//! INSERT, UPDATE, DELETE and MERGE: the target table with its access, the columns an
//! UPDATE sets (an index on them costs HOT updates), ON CONFLICT targets, and the WHERE,
//! FROM/USING and RETURNING parts, which are walked like a SELECT's.

use super::ast::{enum_of, inner};
use super::model::{Access, Role, TableUse, Warning};
use super::operand::Use;
use super::scope::{Derived, Item, Scope, Source};
use super::walk::Walker;
use crate::ident::display_ident;
use pg_query::protobuf::{
    CmdType, DeleteStmt, InsertStmt, MergeStmt, OnConflictAction, OnConflictClause, RangeVar,
    ResTarget, ReturningClause, UpdateStmt, WithClause,
};
use pg_query::NodeEnum;

/// The parts of an UPDATE or DELETE the walker reads.
struct Target<'s> {
    with: Option<&'s WithClause>,
    relation: Option<&'s RangeVar>,
    access: Access,
    from: &'s [pg_query::Node],
    set: &'s [pg_query::Node],
    filter: Option<&'s NodeEnum>,
    returning: &'s Option<ReturningClause>,
}

impl<'r> Walker<'r> {
    pub(super) fn insert(&mut self, s: &InsertStmt, parent: Option<&Scope<'_, 'r>>) -> Derived {
        let mut ctes = Scope::new(parent);
        if let Some(w) = &s.with_clause {
            self.with_clause(w, &mut ctes);
        }
        // The rows to insert do not see the target table.
        if let Some(source) = inner(&s.select_stmt) {
            self.query(Some(source), Some(&ctes));
        }
        let mut scope = Scope::new(Some(&ctes));
        let Some(rv) = &s.relation else {
            return Derived::empty(false);
        };
        let target = self.range_var(rv, None, Access::Insert);
        scope.items.push(target);
        if let Some(conflict) = &s.on_conflict_clause {
            self.on_conflict(conflict, &mut scope);
        }
        self.returning(&s.returning_clause, &scope)
    }

    fn on_conflict(&mut self, c: &OnConflictClause, scope: &mut Scope<'_, 'r>) {
        if let Some(infer) = &c.infer {
            let key = Use::new(Role::ConflictKey, None);
            for elem in infer.index_elems.iter().filter_map(enum_of) {
                let NodeEnum::IndexElem(e) = elem else {
                    continue;
                };
                if !e.name.is_empty() {
                    self.target_column(scope, &e.name, &key);
                } else if let Some(expr) = inner(&e.expr) {
                    self.unary(expr, scope, key.clone());
                }
            }
            if let Some(w) = inner(&infer.where_clause) {
                self.reads(w, scope);
            }
        }
        if c.action() != OnConflictAction::OnconflictUpdate {
            return;
        }
        // `excluded.col` is the row proposed for insertion, not a read of the table.
        let id = self.id();
        scope.items.push(Item {
            id,
            name: "excluded".into(),
            source: Source::Derived(Derived::empty(false)),
        });
        self.set_list(&c.target_list, scope);
        if let Some(w) = inner(&c.where_clause) {
            self.reads(w, scope);
        }
    }

    pub(super) fn update(&mut self, s: &UpdateStmt, parent: Option<&Scope<'_, 'r>>) -> Derived {
        self.write_in_place(
            parent,
            Target {
                with: s.with_clause.as_ref(),
                relation: s.relation.as_ref(),
                access: Access::Update,
                from: &s.from_clause,
                set: &s.target_list,
                filter: inner(&s.where_clause),
                returning: &s.returning_clause,
            },
        )
    }

    pub(super) fn delete(&mut self, s: &DeleteStmt, parent: Option<&Scope<'_, 'r>>) -> Derived {
        self.write_in_place(
            parent,
            Target {
                with: s.with_clause.as_ref(),
                relation: s.relation.as_ref(),
                access: Access::Delete,
                from: &s.using_clause,
                set: &[],
                filter: inner(&s.where_clause),
                returning: &s.returning_clause,
            },
        )
    }

    /// UPDATE and DELETE: the target table, the other tables of FROM / USING, the SET list
    /// (empty for DELETE), the filter and RETURNING.
    fn write_in_place(&mut self, parent: Option<&Scope<'_, 'r>>, t: Target<'_>) -> Derived {
        let mut ctes = Scope::new(parent);
        if let Some(w) = t.with {
            self.with_clause(w, &mut ctes);
        }
        let mut scope = Scope::new(Some(&ctes));
        let Some(rv) = t.relation else {
            return Derived::empty(false);
        };
        let target = self.range_var(rv, None, t.access);
        scope.items.push(target);
        for item in t.from.iter().filter_map(enum_of) {
            self.add_from_item(item, &mut scope, Access::Read);
        }
        self.set_list(t.set, &scope);
        if let Some(w) = t.filter {
            self.predicate(w, &scope);
        }
        self.returning(t.returning, &scope)
    }

    /// MERGE: the join condition is a join; each WHEN clause says how the target is
    /// written.
    pub(super) fn merge(&mut self, s: &MergeStmt, parent: Option<&Scope<'_, 'r>>) -> Derived {
        let mut ctes = Scope::new(parent);
        if let Some(w) = &s.with_clause {
            self.with_clause(w, &mut ctes);
        }
        let mut scope = Scope::new(Some(&ctes));
        let Some(rv) = &s.relation else {
            return Derived::empty(false);
        };
        let clauses: Vec<_> = s
            .merge_when_clauses
            .iter()
            .filter_map(|n| match enum_of(n)? {
                NodeEnum::MergeWhenClause(c) => Some(c),
                _ => None,
            })
            .collect();
        let mut accesses: Vec<Access> = clauses
            .iter()
            .filter_map(|c| match c.command_type() {
                CmdType::CmdInsert => Some(Access::Insert),
                CmdType::CmdUpdate => Some(Access::Update),
                CmdType::CmdDelete => Some(Access::Delete),
                _ => None,
            })
            .collect();
        accesses.sort();
        accesses.dedup();
        let target = self.range_var(rv, None, accesses.first().copied().unwrap_or(Access::Read));
        if let Some(first) = self.tables.last().cloned() {
            for access in accesses.iter().skip(1) {
                self.tables.push(TableUse {
                    access: *access,
                    ..first.clone()
                });
            }
        }
        scope.items.push(target);
        if let Some(source) = inner(&s.source_relation) {
            self.add_from_item(source, &mut scope, Access::Read);
        }
        if let Some(on) = inner(&s.join_condition) {
            self.predicate(on, &scope);
        }
        for c in clauses {
            if let Some(condition) = inner(&c.condition) {
                self.reads(condition, &scope);
            }
            if c.command_type() == CmdType::CmdUpdate {
                self.set_list(&c.target_list, &scope);
            }
            for value in c.values.iter().filter_map(enum_of) {
                self.reads(value, &scope);
            }
        }
        self.returning(&s.returning_clause, &scope)
    }

    /// `SET col = value, …`: each target is updated, each value read.
    fn set_list(&mut self, targets: &[pg_query::Node], scope: &Scope<'_, 'r>) {
        let updated = Use::new(Role::Updated, None);
        for node in targets.iter().filter_map(enum_of) {
            let NodeEnum::ResTarget(r) = node else {
                continue;
            };
            let ResTarget { name, val, .. } = r.as_ref();
            self.target_column(scope, name, &updated);
            if let Some(val) = inner(val) {
                self.reads(val, scope);
            }
        }
    }

    /// A column of the statement's target table, which is the scope's first item.
    fn target_column(&mut self, scope: &Scope<'_, 'r>, column: &str, u: &Use) {
        let Some(target) = scope.items.first() else {
            return;
        };
        if target.has(column) == Some(false) {
            self.warn(Warning::UnknownColumn {
                column: format!("{}.{}", target.label(), display_ident(column)),
            });
        }
        let origins = target.origins(column);
        self.emit_origins(&origins, u);
    }

    fn returning(&mut self, r: &Option<ReturningClause>, scope: &Scope<'_, 'r>) -> Derived {
        match r {
            Some(r) => self.target_list(&r.exprs, scope),
            None => Derived::empty(true),
        }
    }
}
