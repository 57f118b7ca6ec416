//! The catalog as the analyser needs it: which tables exist, with which columns, and how an
//! unqualified name finds its schema through the search path. Owned (not borrowed from a
//! [`Catalog`]) so that an [`Analyser`](super::Analyser) can live in application state.

use crate::catalog::{Catalog, RelationKind};
use std::collections::HashMap;

/// A table as the analyser knows it.
#[derive(Debug, Clone)]
pub struct TableInfo {
    pub schema: String,
    pub name: String,
    pub kind: RelationKind,
    /// In attnum order, so that `SELECT *` expands as PostgreSQL would.
    pub columns: Vec<String>,
}

impl TableInfo {
    pub fn has_column(&self, name: &str) -> bool {
        self.columns.iter().any(|c| c == name) || SYSTEM_COLUMNS.contains(&name)
    }
}

/// Columns every table has without listing them.
const SYSTEM_COLUMNS: [&str; 6] = ["ctid", "xmin", "xmax", "cmin", "cmax", "tableoid"];

/// Tables by schema and name, and the search path used for unqualified names.
#[derive(Debug, Clone)]
pub struct Resolver {
    /// schema → name → table; nested so that a lookup needs no allocation.
    tables: HashMap<String, HashMap<String, TableInfo>>,
    search_path: Vec<String>,
}

impl Default for Resolver {
    fn default() -> Self {
        Resolver {
            tables: HashMap::new(),
            search_path: vec!["public".to_string()],
        }
    }
}

impl Resolver {
    /// All relations of `catalog`, with PostgreSQL's default search path (`"$user", public`)
    /// for a session whose user has no schema of its own.
    pub fn new(catalog: &Catalog) -> Self {
        let mut resolver = Resolver::default();
        for r in &catalog.relations {
            resolver.add_table(
                &r.schema,
                &r.name,
                r.kind,
                r.columns.iter().map(|c| c.name.clone()).collect(),
            );
        }
        resolver
    }

    /// Sets the search path as `SHOW search_path` prints it (`"$user", public`). `$user`
    /// stands for `user` and is skipped when there is none, as PostgreSQL skips schemas that
    /// do not exist.
    pub fn with_search_path(mut self, setting: &str, user: Option<&str>) -> Self {
        self.search_path = parse_search_path(setting)
            .into_iter()
            .filter_map(|s| match (s.as_str(), user) {
                ("$user", Some(u)) => Some(u.to_string()),
                ("$user", None) => None,
                _ => Some(s),
            })
            .collect();
        self
    }

    /// Adds (or replaces) one table: for callers without a discovered catalog, and tests.
    pub fn add_table(
        &mut self,
        schema: &str,
        name: &str,
        kind: RelationKind,
        columns: Vec<String>,
    ) {
        self.tables.entry(schema.to_string()).or_default().insert(
            name.to_string(),
            TableInfo {
                schema: schema.to_string(),
                name: name.to_string(),
                kind,
                columns,
            },
        );
    }

    pub fn search_path(&self) -> &[String] {
        &self.search_path
    }

    pub fn table(&self, schema: &str, name: &str) -> Option<&TableInfo> {
        self.tables.get(schema)?.get(name)
    }

    /// The table an unqualified name means: the first schema of the search path that has
    /// it. (PostgreSQL also looks in `pg_catalog` first; system catalogs are not in the
    /// discovered catalog, so they come out unknown.)
    pub fn lookup(&self, name: &str) -> Option<&TableInfo> {
        self.search_path.iter().find_map(|s| self.table(s, name))
    }
}

/// Splits a `search_path` setting into schema names: comma-separated, double quotes keep
/// case and commas, unquoted names fold to lower case.
pub fn parse_search_path(setting: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = setting.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                current.push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut current)),
            c if !quoted && c.is_whitespace() => {}
            c if !quoted => current.push(c.to_ascii_lowercase()),
            c => current.push(c),
        }
    }
    out.push(current);
    out.retain(|s| !s.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_path_settings_are_read_like_postgres() {
        assert_eq!(parse_search_path("\"$user\", public"), ["$user", "public"]);
        assert_eq!(
            parse_search_path("CRM, \"Sales Team\",public"),
            ["crm", "Sales Team", "public"]
        );
        assert_eq!(parse_search_path(""), Vec::<String>::new());
    }

    #[test]
    fn unqualified_names_take_the_first_schema_on_the_path() {
        let mut r = Resolver::default().with_search_path("\"$user\", crm, public", Some("alice"));
        r.add_table("public", "t", RelationKind::Table, vec!["a".into()]);
        r.add_table("crm", "t", RelationKind::Table, vec!["b".into()]);
        r.add_table("alice", "mine", RelationKind::Table, vec![]);
        assert_eq!(r.search_path(), ["alice", "crm", "public"]);
        assert_eq!(r.lookup("t").map(|t| t.schema.as_str()), Some("crm"));
        assert_eq!(r.lookup("mine").map(|t| t.schema.as_str()), Some("alice"));
        assert!(r.lookup("nope").is_none());
        assert!(r.table("public", "t").is_some_and(|t| t.has_column("ctid")));
    }

    #[test]
    fn a_discovered_catalog_gives_tables_with_their_columns_in_order() {
        use crate::catalog::{Column, Relation};
        let column = |attnum: i16, name: &str| Column {
            table_oid: 1,
            attnum,
            name: name.into(),
            data_type: "text".into(),
            type_category: "base".into(),
            not_null: false,
            default_expr: None,
            identity: None,
            generated: false,
            comment: None,
        };
        let catalog = Catalog {
            relations: vec![Relation {
                oid: 1,
                schema: "crm".into(),
                name: "contacts".into(),
                kind: RelationKind::Table,
                parent: None,
                partition_key: None,
                partition_bound: None,
                row_estimate: None,
                table_bytes: 0,
                total_bytes: 0,
                comment: None,
                columns: vec![column(1, "id"), column(2, "email")],
                constraints: vec![],
                indexes: vec![],
            }],
            enums: vec![],
        };
        let r = Resolver::new(&catalog).with_search_path("crm", None);
        let t = r.lookup("contacts").unwrap();
        assert_eq!(
            (t.schema.as_str(), t.columns.clone()),
            ("crm", vec!["id".to_string(), "email".to_string()])
        );
    }

    #[test]
    fn without_a_user_the_user_schema_is_skipped() {
        let r = Resolver::default().with_search_path("\"$user\", public", None);
        assert_eq!(r.search_path(), ["public"]);
    }
}
