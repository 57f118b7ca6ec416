//! Turning PostgreSQL names (any character, any case, up to 63 bytes) into names each
//! language accepts, without two things ever getting the same name.

use std::collections::{HashMap, HashSet};

/// `order_items` → `OrderItems`, `CamelCase` stays, `with space` → `WithSpace`. Only ASCII
/// letters and digits survive (identifier rules for other characters differ by language
/// and by normalisation); an empty result or a leading digit gets a prefix.
pub fn pascal(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for part in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.is_empty() {
        out.push_str("Unnamed");
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'T');
    }
    out
}

/// `CamelCase` → `camel_case`, `with space` → `with_space`, `2nd` → `f_2nd`.
pub fn snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut prev_lower_or_digit = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && prev_lower_or_digit {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower_or_digit = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            if !out.ends_with('_') {
                out.push('_');
            }
            prev_lower_or_digit = false;
        }
    }
    let trimmed = out.trim_matches('_');
    let mut out = if trimmed.is_empty() {
        "field".to_string()
    } else {
        trimmed.to_string()
    };
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "f_");
    }
    out
}

/// ASCII letters, digits and `_`, not starting with a digit.
pub fn is_ascii_identifier(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Hands out names that are unique within one scope (a file's types, a struct's fields).
#[derive(Default)]
pub struct Namer {
    taken: HashSet<String>,
}

impl Namer {
    /// A namer where `reserved` (names the generated file itself uses) are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Self {
            taken: reserved.iter().map(|s| (*s).to_string()).collect(),
        }
    }

    /// `base`, or `base2`, `base3`… when taken. Callers claim in output order, so the same
    /// schema always gives the same names.
    pub fn claim(&mut self, base: &str) -> String {
        let mut name = base.to_string();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }
}

/// Type names for tables and enums: `PascalCase(name)`, prefixed with the schema when the
/// same name appears in more than one chosen schema.
pub struct Bases(HashMap<String, usize>);

impl Bases {
    pub fn of(&self, schema: &str, name: &str) -> String {
        if self.0.get(name).copied().unwrap_or_default() > 1 {
            format!("{}{}", pascal(schema), pascal(name))
        } else {
            pascal(name)
        }
    }
}

pub fn qualified_bases<'a>(items: impl Iterator<Item = (&'a str, &'a str)>) -> Bases {
    let mut count: HashMap<String, usize> = HashMap::new();
    for (_, name) in items {
        *count.entry(name.to_string()).or_default() += 1;
    }
    Bases(count)
}

/// The names of a file's types: a namer with `reserved` taken, the enums' names (claimed in
/// model order) and the base name of each table (claim it with a suffix: `Row`, `Insert`).
pub fn type_names(model: &super::model::Model, reserved: &[&str]) -> (Namer, Vec<String>, Bases) {
    let mut names = Namer::with_reserved(reserved);
    let enum_base = qualified_bases(model.enums.iter().map(|e| (&*e.schema, &*e.name)));
    let enums = model
        .enums
        .iter()
        .map(|e| names.claim(&enum_base.of(&e.schema, &e.name)))
        .collect();
    let table_base = qualified_bases(model.tables.iter().map(|t| (&*t.schema, &*t.name)));
    (names, enums, table_base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pascal_case_keeps_ascii_words() {
        assert_eq!(pascal("order_items"), "OrderItems");
        assert_eq!(pascal("CamelCase"), "CamelCase");
        assert_eq!(pascal("with space"), "WithSpace");
        assert_eq!(pascal("2024_sales"), "T2024Sales");
        assert_eq!(pascal("ünï"), "N");
        assert_eq!(pascal("éé"), "Unnamed");
    }

    #[test]
    fn snake_case_splits_words() {
        assert_eq!(snake("CamelCase"), "camel_case");
        assert_eq!(snake("with space"), "with_space");
        assert_eq!(snake("quo\"te"), "quo_te");
        assert_eq!(snake("2nd"), "f_2nd");
        assert_eq!(snake("HTTPCode"), "httpcode");
        assert_eq!(snake("é"), "field");
    }

    #[test]
    fn namer_never_repeats() {
        let mut n = Namer::with_reserved(&["Json"]);
        assert_eq!(n.claim("Json"), "Json2");
        assert_eq!(n.claim("Row"), "Row");
        assert_eq!(n.claim("Row"), "Row2");
        assert_eq!(n.claim("Row"), "Row3");
    }
}
