//! Name resolution inside a statement: what each FROM item is (a table of the catalog, a
//! subquery, a CTE, a function), and which real column a column reference reaches through
//! aliases, CTEs and subqueries, following PostgreSQL's rules: the innermost query level
//! first, then the enclosing ones (correlated references); an unqualified name must belong
//! to exactly one FROM item of a level, else it is ambiguous and nothing is guessed.

use super::model::Warning;
use super::resolver::TableInfo;
use crate::ident::display_ident;

/// A real column that a reference reaches, possibly through a subquery column that computes
/// an expression over it (`SELECT lower(email) AS e …`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub schema: Option<String>,
    pub table: String,
    pub column: String,
    pub expression: Option<String>,
}

impl Origin {
    pub fn same_table(&self, other: &Origin) -> bool {
        self.schema == other.schema && self.table == other.table
    }
}

/// A column of a subquery, CTE or function: its name and the real columns it carries. A
/// UNION column carries those of every branch; a computed column (`count(*)`) none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputColumn {
    pub name: String,
    pub origins: Vec<Origin>,
}

/// The columns a query produces. `complete` is false when some are unknown (`SELECT *`
/// over an unknown table, a function returning a record), so that an unqualified name
/// absent from `columns` may still belong to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derived {
    pub columns: Vec<OutputColumn>,
    pub complete: bool,
}

impl Derived {
    pub fn empty(complete: bool) -> Self {
        Derived {
            columns: Vec::new(),
            complete,
        }
    }

    /// Applies column aliases (`AS s(a, b)`, `WITH c(a, b) AS …`) to the first columns.
    pub fn rename(&mut self, names: &[&str]) {
        for (column, name) in self.columns.iter_mut().zip(names) {
            column.name = name.to_string();
        }
        // More aliases than columns: the extra columns exist, their origins are unknown.
        for name in names.iter().skip(self.columns.len()) {
            self.columns.push(OutputColumn {
                name: name.to_string(),
                origins: Vec::new(),
            });
        }
    }

    /// UNION/INTERSECT/EXCEPT: names from the left, origins from both, by position.
    pub fn union(mut self, right: Derived) -> Derived {
        for (left, right) in self.columns.iter_mut().zip(right.columns) {
            left.origins.extend(right.origins);
        }
        self.complete &= right.complete;
        self
    }
}

pub enum Source<'r> {
    Table {
        schema: Option<String>,
        table: String,
        info: Option<&'r TableInfo>,
    },
    Derived(Derived),
}

/// A FROM item, under the name a statement refers to it by (its alias, else its name).
pub struct Item<'r> {
    /// Unique within a statement, so that a comparison can tell two items apart (a join)
    /// from one item with itself.
    pub id: usize,
    pub name: String,
    pub source: Source<'r>,
}

impl Item<'_> {
    /// Whether the item has `column`: `Some(false)` when it certainly has not, `None` when
    /// its columns are unknown.
    pub fn has(&self, column: &str) -> Option<bool> {
        match &self.source {
            Source::Table { info: Some(t), .. } => Some(t.has_column(column)),
            Source::Table { info: None, .. } => None,
            Source::Derived(d) => match d.columns.iter().any(|c| c.name == column) {
                true => Some(true),
                false if d.complete => Some(false),
                false => None,
            },
        }
    }

    /// The real columns `column` of this item reaches.
    pub fn origins(&self, column: &str) -> Vec<Origin> {
        match &self.source {
            Source::Table { schema, table, .. } => vec![Origin {
                schema: schema.clone(),
                table: table.clone(),
                column: column.to_string(),
                expression: None,
            }],
            Source::Derived(d) => d
                .columns
                .iter()
                .find(|c| c.name == column)
                .map(|c| c.origins.clone())
                .unwrap_or_default(),
        }
    }

    /// What `item.*` reads: the whole row of a table (column `*`), the columns of a
    /// subquery.
    pub fn star(&self) -> Vec<Origin> {
        match &self.source {
            Source::Table { .. } => self.origins("*"),
            Source::Derived(d) => d.columns.iter().flat_map(|c| c.origins.clone()).collect(),
        }
    }

    /// How a warning names the item.
    pub fn label(&self) -> String {
        match &self.source {
            Source::Table {
                schema: Some(s),
                table,
                ..
            } => format!("{}.{}", display_ident(s), display_ident(table)),
            _ => display_ident(&self.name),
        }
    }

    fn schema(&self) -> Option<&str> {
        match &self.source {
            Source::Table { schema, .. } => schema.as_deref(),
            Source::Derived(_) => None,
        }
    }
}

/// The merged column of `JOIN … USING (name)`: an unqualified `name` means it, not the
/// columns of either side (which would be ambiguous).
pub struct Using {
    pub name: String,
    /// A virtual item of its own, so that `id = $1` is a filter, not a join.
    pub id: usize,
    pub origins: Vec<Origin>,
}

pub struct Cte {
    pub name: String,
    pub derived: Derived,
}

/// One query level: its FROM items, its CTEs, and the enclosing level.
pub struct Scope<'p, 'r> {
    pub parent: Option<&'p Scope<'p, 'r>>,
    pub items: Vec<Item<'r>>,
    pub using: Vec<Using>,
    pub ctes: Vec<Cte>,
}

/// What a column reference resolves to.
pub enum Resolved {
    Column { item: usize, origins: Vec<Origin> },
    Failed(Warning),
}

impl<'p, 'r> Scope<'p, 'r> {
    pub fn new(parent: Option<&'p Scope<'p, 'r>>) -> Self {
        Scope {
            parent,
            items: Vec::new(),
            using: Vec::new(),
            ctes: Vec::new(),
        }
    }

    fn levels(&self) -> impl Iterator<Item = &Scope<'p, 'r>> {
        std::iter::successors(Some(self), |s| s.parent)
    }

    /// The CTE an unqualified table name means, innermost first.
    pub fn cte(&self, name: &str) -> Option<&Derived> {
        self.levels()
            .find_map(|l| l.ctes.iter().rev().find(|c| c.name == name))
            .map(|c| &c.derived)
    }

    /// The item a qualifier names (`c` in `c.id`, or `crm.contacts`), innermost first.
    pub fn item(&self, schema: Option<&str>, name: &str) -> Option<&Item<'r>> {
        self.levels().find_map(|l| {
            l.items
                .iter()
                .find(|i| i.name == name && (schema.is_none() || i.schema() == schema))
        })
    }

    /// The name the statement gives item `id` (its alias, else its table's name).
    pub fn item_name(&self, id: usize) -> Option<&str> {
        self.levels()
            .find_map(|l| l.items.iter().find(|i| i.id == id))
            .map(|i| i.name.as_str())
    }

    /// The items `*` expands to: those of the innermost level that has any.
    pub fn star_items(&self) -> &[Item<'r>] {
        self.levels()
            .find(|l| !l.items.is_empty())
            .map_or(&[], |l| &l.items)
    }

    /// Resolves a column reference given as its parts (`None` for `*`).
    pub fn resolve(&self, parts: &[Option<&str>]) -> Resolved {
        let text = || {
            parts
                .iter()
                .map(|p| p.map_or("*".to_string(), display_ident))
                .collect::<Vec<_>>()
                .join(".")
        };
        let unknown = || Resolved::Failed(Warning::UnknownColumn { column: text() });
        // A leading database name (`db.schema.table.col`) is ignored, as PostgreSQL does
        // once it has checked that it is the current database.
        let parts = if parts.len() == 4 { &parts[1..] } else { parts };
        match parts {
            [Some(column)] => self.unqualified(column),
            [Some(name), column] | [Some(_), Some(name), column] => {
                let schema = if parts.len() == 3 { parts[0] } else { None };
                let Some(item) = self.item(schema, name) else {
                    return unknown();
                };
                match column {
                    None => Resolved::Column {
                        item: item.id,
                        origins: item.star(),
                    },
                    Some(column) if item.has(column) == Some(false) => unknown(),
                    Some(column) => Resolved::Column {
                        item: item.id,
                        origins: item.origins(column),
                    },
                }
            }
            _ => unknown(),
        }
    }

    fn unqualified(&self, column: &str) -> Resolved {
        for level in self.levels() {
            if let Some(u) = level.using.iter().rev().find(|u| u.name == column) {
                return Resolved::Column {
                    item: u.id,
                    origins: u.origins.clone(),
                };
            }
            let sure: Vec<&Item> = level
                .items
                .iter()
                .filter(|i| i.has(column) == Some(true))
                .collect();
            let maybe: Vec<&Item> = level
                .items
                .iter()
                .filter(|i| i.has(column).is_none())
                .collect();
            match (sure.as_slice(), maybe.as_slice()) {
                ([], []) => continue,
                // The only item that has it, or the only one that may have it while the
                // catalog says no other has it.
                ([item], []) | ([], [item]) => {
                    return Resolved::Column {
                        item: item.id,
                        origins: item.origins(column),
                    }
                }
                _ => {
                    let mut tables: Vec<String> =
                        sure.iter().chain(&maybe).map(|i| i.label()).collect();
                    tables.sort();
                    tables.dedup();
                    return Resolved::Failed(Warning::AmbiguousColumn {
                        column: display_ident(column),
                        tables,
                    });
                }
            }
        }
        // A bare item name is a whole-row reference (`SELECT t FROM t`).
        match self.item(None, column) {
            Some(item) => Resolved::Column {
                item: item.id,
                origins: item.star(),
            },
            None => Resolved::Failed(Warning::UnknownColumn {
                column: display_ident(column),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::RelationKind;

    fn info(name: &str, columns: &[&str]) -> TableInfo {
        TableInfo {
            schema: "public".into(),
            name: name.into(),
            kind: RelationKind::Table,
            columns: columns.iter().map(|c| c.to_string()).collect(),
        }
    }

    fn table<'r>(id: usize, alias: &str, info: &'r TableInfo) -> Item<'r> {
        Item {
            id,
            name: alias.into(),
            source: Source::Table {
                schema: Some(info.schema.clone()),
                table: info.name.clone(),
                info: Some(info),
            },
        }
    }

    fn found(r: Resolved) -> (usize, Vec<String>) {
        match r {
            Resolved::Column { item, origins } => (
                item,
                origins
                    .into_iter()
                    .map(|o| format!("{}.{}", o.table, o.column))
                    .collect(),
            ),
            Resolved::Failed(w) => panic!("{w:?}"),
        }
    }

    #[test]
    fn unqualified_columns_resolve_to_the_one_table_that_has_them() {
        let users = info("users", &["id", "email"]);
        let orders = info("orders", &["id", "user_id"]);
        let mut scope = Scope::new(None);
        scope.items.push(table(1, "u", &users));
        scope.items.push(table(2, "o", &orders));
        assert_eq!(
            found(scope.resolve(&[Some("email")])),
            (1, vec!["users.email".into()])
        );
        assert_eq!(
            found(scope.resolve(&[Some("o"), Some("id")])),
            (2, vec!["orders.id".into()])
        );
        assert!(matches!(
            scope.resolve(&[Some("id")]),
            Resolved::Failed(Warning::AmbiguousColumn { .. })
        ));
        assert!(matches!(
            scope.resolve(&[Some("x"), Some("id")]),
            Resolved::Failed(Warning::UnknownColumn { .. })
        ));
    }

    #[test]
    fn inner_levels_shadow_outer_ones_and_outer_ones_are_reachable() {
        let users = info("users", &["id", "email"]);
        let orders = info("orders", &["id", "user_id"]);
        let mut outer = Scope::new(None);
        outer.items.push(table(1, "u", &users));
        let mut inner = Scope::new(Some(&outer));
        inner.items.push(table(2, "o", &orders));
        assert_eq!(found(inner.resolve(&[Some("id")])).0, 2);
        assert_eq!(found(inner.resolve(&[Some("email")])).0, 1);
        assert_eq!(found(inner.resolve(&[Some("u"), Some("id")])).0, 1);
    }

    #[test]
    fn a_table_missing_from_the_catalog_may_have_any_column() {
        let users = info("users", &["id"]);
        let mut scope = Scope::new(None);
        scope.items.push(table(1, "users", &users));
        scope.items.push(Item {
            id: 2,
            name: "ghost".into(),
            source: Source::Table {
                schema: None,
                table: "ghost".into(),
                info: None,
            },
        });
        // Only the unknown table can have it.
        assert_eq!(
            found(scope.resolve(&[Some("x")])),
            (2, vec!["ghost.x".into()])
        );
        // Both may have it: not guessed.
        assert!(matches!(
            scope.resolve(&[Some("id")]),
            Resolved::Failed(Warning::AmbiguousColumn { .. })
        ));
    }
}
