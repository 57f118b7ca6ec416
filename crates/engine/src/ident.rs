//! SQL identifiers: quoting for DDL and display, and parsing of `schema.table.column` names
//! typed by a person, with PostgreSQL's rules (unquoted parts fold to lower case, `""` inside
//! quotes is a quote).

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Always-quoted form, for generated SQL: safe for any name PostgreSQL accepts.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `"schema"."name"`, always quoted.
pub fn quote_qualified(schema: &str, name: &str) -> String {
    format!("{}.{}", quote_ident(schema), quote_ident(name))
}

/// Quoted only where needed, for messages, CLI output and the expressions the engine
/// prints (`lower("order")`): a name PostgreSQL would read as a keyword is quoted too.
pub fn display_ident(name: &str) -> String {
    if is_plain_word(name) && !is_keyword(name) {
        name.to_string()
    } else {
        quote_ident(name)
    }
}

/// A function's or a type's name as an expression prints it: quoted only when it is not a
/// plain lower-case word. A keyword there is the grammar's own name for it (`interval`,
/// `varchar`, `left(…)`), which quoting would change or break.
pub fn display_function_or_type(name: &str) -> String {
    if is_plain_word(name) {
        name.to_string()
    } else {
        quote_ident(name)
    }
}

fn is_plain_word(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$')
}

/// Whether a bare `name` is a keyword PostgreSQL does not take as an identifier everywhere
/// (`order`, `user`, `select`, `between`, `left`): its scanner says which words are.
fn is_keyword(name: &str) -> bool {
    pg_query::scan_tokens(name).is_ok_and(|tokens| match tokens.as_slice() {
        [one] => one.keyword_kind > pg_query::protobuf::KeywordKind::UnreservedKeyword as i32,
        _ => false,
    })
}

/// A field of the genome: schema + table + column, the key everything else refers to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS)]
pub struct FieldRef {
    pub schema: String,
    pub table: String,
    pub column: String,
}

impl FieldRef {
    pub fn new(
        schema: impl Into<String>,
        table: impl Into<String>,
        column: impl Into<String>,
    ) -> Self {
        FieldRef {
            schema: schema.into(),
            table: table.into(),
            column: column.into(),
        }
    }

    /// Parses `schema.table.column` as PostgreSQL would read it.
    pub fn parse(text: &str) -> Result<Self> {
        let parts = split_qualified(text)?;
        match <[String; 3]>::try_from(parts) {
            Ok([schema, table, column]) => Ok(FieldRef { schema, table, column }),
            Err(_) => Err(Error::InvalidInput(format!(
                "expected a field as schema.table.column, got {text:?} (quote parts with dots or capitals: \"My Table\")"
            ))),
        }
    }
}

impl fmt::Display for FieldRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{}.{}",
            display_ident(&self.schema),
            display_ident(&self.table),
            display_ident(&self.column)
        )
    }
}

/// Parses `schema.table` into its two parts.
pub fn parse_table(text: &str) -> Result<(String, String)> {
    let parts = split_qualified(text)?;
    match <[String; 2]>::try_from(parts) {
        Ok([schema, table]) => Ok((schema, table)),
        Err(_) => Err(Error::InvalidInput(format!(
            "expected a table as schema.table, got {text:?}"
        ))),
    }
}

/// `schema.table`, or a bare `table` in `default_schema`; either part may be quoted.
pub fn parse_table_in(text: &str, default_schema: &str) -> Result<(String, String)> {
    let mut parts = split_qualified(text)?;
    match parts.len() {
        1 => Ok((default_schema.to_string(), parts.remove(0))),
        2 => {
            let table = parts.remove(1);
            Ok((parts.remove(0), table))
        }
        _ => Err(Error::InvalidInput(format!(
            "expected a table as schema.table or table, got {text:?}"
        ))),
    }
}

fn split_qualified(text: &str) -> Result<Vec<String>> {
    let bad = |why: &str| Error::InvalidInput(format!("cannot read the name {text:?}: {why}"));
    let mut parts = Vec::new();
    let mut chars = text.trim().chars().peekable();
    loop {
        let mut part = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        part.push('"');
                    }
                    Some('"') => break,
                    Some(c) => part.push(c),
                    None => return Err(bad("unterminated quote")),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == '.' {
                    break;
                }
                if c == '"' {
                    return Err(bad("a quote inside an unquoted name"));
                }
                part.push(c.to_ascii_lowercase());
                chars.next();
            }
        }
        if part.is_empty() {
            return Err(bad("an empty part"));
        }
        parts.push(part);
        match chars.next() {
            None => return Ok(parts),
            Some('.') => {}
            Some(_) => return Err(bad("text after a closing quote")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unquoted_parts_fold_to_lower_case() {
        let f = FieldRef::parse("CRM.Contacts.Email").unwrap();
        assert_eq!(f, FieldRef::new("crm", "contacts", "email"));
    }

    #[test]
    fn awkward_names_round_trip_through_display() {
        let names = [
            "MixedCase",
            "select",
            "with space",
            "quo\"te",
            "ünïcødé",
            "a.b",
            &"x".repeat(63),
        ];
        for n in names {
            let f = FieldRef::new(n, n, n);
            assert_eq!(FieldRef::parse(&f.to_string()).unwrap(), f, "{n}");
        }
    }

    #[test]
    fn keywords_are_quoted_where_a_bare_word_would_not_be_a_name() {
        for kw in ["order", "user", "select", "between", "left", "table"] {
            assert_eq!(display_ident(kw), format!("\"{kw}\""), "{kw}");
        }
        // Unreserved keywords are names anywhere.
        for plain in ["name", "status", "email", "data", "type", "created_at"] {
            assert_eq!(display_ident(plain), plain, "{plain}");
        }
    }

    #[test]
    fn malformed_names_are_errors() {
        for bad in ["a.b", "a..c", "\"a.b.c", "a\"b\".c.d", ""] {
            assert!(FieldRef::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    }
}
