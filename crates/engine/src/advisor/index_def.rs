//! A proposed index as data: table, method, key parts, INCLUDE list and partial predicate.
//! One definition renders as the DDL a DBA runs, as the statement HypoPG takes, and as a
//! fingerprint that identifies the proposal across runs.

use crate::ident::{quote_ident, quote_qualified};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Btree,
    Gin,
    Brin,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Btree => "btree",
            Method::Gin => "gin",
            Method::Brin => "brin",
        }
    }
}

/// One key of an index: a column, or an expression over columns of the table.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub struct KeyPart {
    /// The column the key reads (for expressions, the column the analyser attributed it to).
    pub column: String,
    /// The expression as an index definition spells it (`lower(email)`), when not the bare
    /// column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub expression: Option<String>,
    /// `text_pattern_ops` for prefix LIKE under a non-C collation, `jsonb_path_ops`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub opclass: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub descending: bool,
}

impl KeyPart {
    pub fn column(name: &str) -> Self {
        KeyPart {
            column: name.to_string(),
            expression: None,
            opclass: None,
            descending: false,
        }
    }

    /// The key as it goes between the parentheses of `CREATE INDEX … (…)`.
    pub fn sql(&self) -> String {
        let mut out = match &self.expression {
            Some(e) if is_wrapped(e) => e.clone(),
            Some(e) => format!("({e})"),
            None => quote_ident(&self.column),
        };
        if let Some(op) = &self.opclass {
            out.push(' ');
            out.push_str(op);
        }
        if self.descending {
            out.push_str(" DESC");
        }
        out
    }

    /// What the key indexes, without ordering or operator class: `email`, `lower(email)`.
    pub fn target(&self) -> String {
        self.expression
            .clone()
            .unwrap_or_else(|| self.column.clone())
    }

    /// Label for people and JSON `columns`: the column name or the expression.
    pub fn label(&self) -> String {
        self.target()
    }
}

/// An index definition, without a name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub struct IndexDef {
    pub schema: String,
    pub table: String,
    pub method: Method,
    pub keys: Vec<KeyPart>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// The WHERE clause of a partial index, as SQL (`status = 'failed'`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub predicate: Option<String>,
}

/// A B-tree on columns of table `s.t`, for the advisor's unit tests.
#[cfg(test)]
pub(crate) fn test_btree(cols: &[&str], predicate: Option<&str>) -> IndexDef {
    IndexDef {
        schema: "s".into(),
        table: "t".into(),
        method: Method::Btree,
        keys: cols.iter().map(|c| KeyPart::column(c)).collect(),
        include: vec![],
        predicate: predicate.map(String::from),
    }
}

impl IndexDef {
    /// `USING btree (a, b DESC) INCLUDE (c) WHERE …`: everything after `ON table`.
    pub fn body(&self) -> String {
        let keys: Vec<String> = self.keys.iter().map(KeyPart::sql).collect();
        let mut out = format!("USING {} ({})", self.method.as_str(), keys.join(", "));
        if !self.include.is_empty() {
            let cols: Vec<String> = self.include.iter().map(|c| quote_ident(c)).collect();
            out.push_str(&format!(" INCLUDE ({})", cols.join(", ")));
        }
        if let Some(p) = &self.predicate {
            out.push_str(&format!(" WHERE {p}"));
        }
        out
    }

    /// Identifies the proposal across runs: same table and same body.
    pub fn fingerprint(&self) -> String {
        format!(
            "{} {}",
            quote_qualified(&self.schema, &self.table),
            self.body()
        )
    }

    /// What HypoPG's `hypopg_create_index` takes.
    pub fn hypothetical_sql(&self) -> String {
        format!(
            "CREATE INDEX ON {} {}",
            quote_qualified(&self.schema, &self.table),
            self.body()
        )
    }

    /// The index as a DDL statement: built concurrently so that writes go on during the
    /// build. PostgreSQL cannot build an index concurrently on a partitioned table: there
    /// the statement is the plain definition, and IndexPilot builds it partition by
    /// partition (`change::partitions`), never with this blocking statement.
    pub fn create_ddl(&self, name: &str, partitioned: bool) -> String {
        format!(
            "CREATE INDEX {}{} ON {} {};",
            if partitioned { "" } else { "CONCURRENTLY " },
            quote_ident(name),
            quote_qualified(&self.schema, &self.table),
            self.body()
        )
    }

    /// The partitioned table's own index, on no partition yet (invalid until every
    /// partition's index is attached): instant, it reads no rows.
    pub fn create_on_only_ddl(&self, name: &str) -> String {
        format!(
            "CREATE INDEX IF NOT EXISTS {} ON ONLY {} {}",
            quote_ident(name),
            quote_qualified(&self.schema, &self.table),
            self.body()
        )
    }

    /// The same index built concurrently on one partition of the table.
    pub fn create_on_partition_ddl(&self, name: &str, schema: &str, partition: &str) -> String {
        format!(
            "CREATE INDEX CONCURRENTLY {} ON {} {};",
            quote_ident(name),
            quote_qualified(schema, partition),
            self.body()
        )
    }

    /// Whether both are on the same table.
    pub fn same_table(&self, other: &IndexDef) -> bool {
        self.schema == other.schema && self.table == other.table
    }

    /// Whether both are on the same table with the same method and predicate: one stands
    /// in for the other with fewer or more keys.
    pub fn same_family(&self, other: &IndexDef) -> bool {
        self.same_table(other) && self.method == other.method && self.predicate == other.predicate
    }

    /// Every column the index reads: keys, INCLUDE and the predicate's columns are not
    /// parsed here, so callers pass those they know.
    pub fn key_and_include_columns(&self) -> Vec<&str> {
        self.keys
            .iter()
            .map(|k| k.column.as_str())
            .chain(self.include.iter().map(String::as_str))
            .collect()
    }

    /// A name in PostgreSQL's style (`table_col1_col2_idx`), at most 63 bytes; when too long
    /// it is cut and a short hash of the whole definition keeps it unique.
    pub fn name(&self) -> String {
        let mut parts: Vec<String> = vec![self.table.clone()];
        for k in &self.keys {
            parts.push(match &k.expression {
                Some(e) => slug(e),
                None => k.column.clone(),
            });
        }
        if self.predicate.is_some() {
            parts.push("partial".into());
        }
        let suffix = match self.method {
            Method::Btree => "idx",
            Method::Gin => "gin",
            Method::Brin => "brin",
        };
        let full = format!("{}_{suffix}", parts.join("_"));
        if full.len() <= 63 {
            return full;
        }
        let hash = format!("{:08x}", fnv32(&self.fingerprint()));
        let mut cut = full;
        // Keep room for `_` + hash; cut on a character boundary.
        let mut end = 63 - 1 - hash.len();
        while !cut.is_char_boundary(end) {
            end -= 1;
        }
        cut.truncate(end);
        format!("{cut}_{hash}")
    }
}

/// Whether parentheses enclose the whole text: `(a + b)`, not `(a) + (b)`.
pub(super) fn is_wrapped(e: &str) -> bool {
    if !(e.starts_with('(') && e.ends_with(')')) {
        return false;
    }
    // The first parenthesis must close at the very end: `(a) + (b)` is not wrapped.
    let mut depth = 0i32;
    let mut quote = false;
    for (i, c) in e.char_indices() {
        match c {
            '\'' => quote = !quote,
            '(' if !quote => depth += 1,
            ')' if !quote => {
                depth -= 1;
                if depth == 0 && i != e.len() - 1 {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

/// The parts of a SQL text between `sep`s outside parentheses and string literals,
/// trimmed: `a, (b, c)` by `,`, or an EXPLAIN filter by ` AND `.
pub(super) fn split_top_level(s: &str, sep: &str) -> Vec<String> {
    let (bytes, sep_bytes) = (s.as_bytes(), sep.as_bytes());
    let mut out = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, false, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' => quote = !quote,
            b'(' if !quote => depth += 1,
            b')' if !quote => depth -= 1,
            // Byte-wise, so a multi-byte character is never cut: `sep` starts on a
            // character of its own.
            _ if !quote && depth == 0 && bytes[i..].starts_with(sep_bytes) => {
                out.push(s[start..i].trim().to_string());
                i += sep_bytes.len();
                start = i;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(s[start..].trim().to_string());
    out
}

/// `lower(email)` → `lower_email`, `(data ->> 'key')` → `data_key`.
fn slug(e: &str) -> String {
    let mut out = String::new();
    for c in e.chars() {
        if c.is_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

fn fnv32(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// Compares index keys the way PostgreSQL prints them with the way the analyser does:
/// `lower((email)::text)` and `lower(email)` are the same key.
pub fn normalise_key(text: &str) -> String {
    let mut s = text.to_lowercase();
    for cast in [
        "::text",
        "::character varying",
        "::jsonb",
        "::integer",
        "::bigint",
    ] {
        s = s.replace(cast, "");
    }
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '(' && *c != ')' && *c != '"')
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_split_outside_parentheses_and_literals() {
        assert_eq!(
            split_top_level("'a, b', (1, 2), ñ", ","),
            vec!["'a, b'", "(1, 2)", "ñ"]
        );
        assert_eq!(
            split_top_level("(x AND y) AND z = 'p AND q' AND é", " AND "),
            vec!["(x AND y)", "z = 'p AND q'", "é"]
        );
        assert_eq!(split_top_level("", ","), vec![""]);
    }

    fn def(keys: Vec<KeyPart>) -> IndexDef {
        IndexDef {
            schema: "crm".into(),
            table: "contacts".into(),
            method: Method::Btree,
            keys,
            include: vec![],
            predicate: None,
        }
    }

    #[test]
    fn ddl_quotes_every_name_and_wraps_expressions() {
        let mut d = def(vec![
            KeyPart::column("tenant_id"),
            KeyPart {
                column: "email".into(),
                expression: Some("lower(email)".into()),
                opclass: Some("text_pattern_ops".into()),
                descending: false,
            },
        ]);
        d.include = vec!["Name".into()];
        d.predicate = Some("deleted_at IS NULL".into());
        assert_eq!(
            d.create_ddl(&d.name(), false),
            "CREATE INDEX CONCURRENTLY \"contacts_tenant_id_lower_email_partial_idx\" ON \"crm\".\"contacts\" \
             USING btree (\"tenant_id\", (lower(email)) text_pattern_ops) INCLUDE (\"Name\") WHERE deleted_at IS NULL;"
        );
    }

    #[test]
    fn a_wrapped_expression_is_not_wrapped_twice() {
        let k = KeyPart {
            column: "data".into(),
            expression: Some("(data ->> 'k')".into()),
            opclass: None,
            descending: true,
        };
        assert_eq!(k.sql(), "(data ->> 'k') DESC");
        let k2 = KeyPart {
            expression: Some("(a) + (b)".into()),
            ..k
        };
        assert_eq!(k2.sql(), "((a) + (b)) DESC");
    }

    #[test]
    fn long_names_are_cut_to_63_bytes_and_stay_distinct() {
        let long = "a_very_long_column_name_that_goes_on_and_on";
        let a = def(vec![KeyPart::column(long), KeyPart::column("x")]);
        let b = def(vec![KeyPart::column(long), KeyPart::column("y")]);
        assert!(a.name().len() <= 63, "{}", a.name());
        assert_ne!(a.name(), b.name());
    }

    #[test]
    fn keys_compare_across_printing_styles() {
        assert_eq!(
            normalise_key("lower((email)::text)"),
            normalise_key("lower(email)")
        );
        assert_eq!(
            normalise_key("((custom_attributes ->> 'source'::text))"),
            normalise_key("(custom_attributes ->> 'source')")
        );
    }
}
