//! What the checks share: which indexes may be dropped, how an index is compared with
//! another, and the DDL that drops one.

use super::Input;
use crate::catalog::{Index, Relation, RelationKind};
use crate::ident::{display_ident, quote_qualified};

/// Backs a primary key, unique or exclusion constraint.
pub fn backs_constraint(ix: &Index) -> bool {
    ix.is_primary || ix.constraint_name.is_some()
}

/// Dropping it would change what the database enforces (or break a constraint or a foreign
/// key that relies on it), so it is never suggested.
pub fn protected(ix: &Index) -> bool {
    backs_constraint(ix) || ix.is_unique
}

/// `schema.table` as a person types it.
pub fn table_name(rel: &Relation) -> String {
    format!(
        "{}.{}",
        display_ident(&rel.schema),
        display_ident(&rel.name)
    )
}

/// `DROP INDEX CONCURRENTLY`, unless the index cannot be dropped that way: a partitioned
/// table's index (CONCURRENTLY is refused) or a partition's part of one (only the parent
/// index can be dropped).
pub fn drop_ddl(rel: &Relation, ix: &Index, input: &Input) -> Option<String> {
    if rel.kind == RelationKind::Partitioned || is_part(ix, input) {
        return None;
    }
    Some(format!(
        "DROP INDEX CONCURRENTLY {};",
        quote_qualified(&ix.schema, &ix.name)
    ))
}

/// Whether the index is a partition's part of a partitioned table's index: judged with
/// that index, never on its own.
pub fn is_part(ix: &Index, input: &Input) -> bool {
    input
        .stats(&ix.schema, &ix.name)
        .is_some_and(|s| s.attached)
}

/// How to drop a partitioned table's own index, which cannot be dropped concurrently (a
/// clause: callers say why first).
pub fn parent_help(ix: &Index) -> String {
    format!(
        "drop it: DROP INDEX {} drops it with every partition's part, under a short ACCESS EXCLUSIVE lock on the table and each partition (PostgreSQL cannot drop it concurrently): run it with a lock_timeout, at a quiet moment.",
        quote_qualified(&ix.schema, &ix.name)
    )
}

/// Help when no DDL is offered for a partitioned index.
pub const PARTITIONED_HELP: &str = "It belongs to a partitioned index: drop the parent index on the partitioned table (DROP INDEX without CONCURRENTLY takes a lock), or each partition's index after detaching it.";

/// The definition from `USING method (` on: method, keys with operator classes, collations
/// and ordering, INCLUDE and WHERE — everything but the name and the uniqueness.
pub fn body(ix: &Index) -> &str {
    let marker = format!(" USING {} (", ix.method);
    match ix.definition.find(&marker) {
        Some(at) => &ix.definition[at..],
        None => &ix.definition,
    }
}

/// Each key column as the definition prints it (`email text_pattern_ops`, `lower(email)`,
/// `created_at DESC`), so that two indexes compare equal only when they serve the same scans.
/// Falls back to the bare key column names when the definition cannot be read.
pub fn key_elements(ix: &Index) -> Vec<String> {
    let body = body(ix);
    let Some(open) = body.find('(') else {
        return ix.key_columns.clone();
    };
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for c in body[open + 1..].chars() {
        if let Some(q) = quote {
            current.push(c);
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => {
                quote = Some(c);
                current.push(c);
            }
            '(' => {
                depth += 1;
                current.push(c);
            }
            ')' if depth == 0 => {
                parts.push(current.trim().to_string());
                break;
            }
            ')' => {
                depth -= 1;
                current.push(c);
            }
            ',' if depth == 0 => parts.push(std::mem::take(&mut current).trim().to_string()),
            _ => current.push(c),
        }
    }
    if parts.len() == ix.key_columns.len() {
        parts
    } else {
        ix.key_columns.clone()
    }
}

/// `(a, b)` for messages.
pub fn column_list(cols: &[String]) -> String {
    format!("({})", cols.join(", "))
}
