//! Reading and writing a schema file as YAML or TOML (chosen by the file's extension), with
//! errors that name the line and the key.

use super::model::{SchemaFile, VERSION};
use crate::error::{Error, Result};
use crate::ident::parse_table_in;
use std::collections::HashSet;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Toml,
}

impl Format {
    /// `.yaml`/`.yml` or `.toml`.
    pub fn from_name(name: &str) -> Result<Format> {
        let ext = Path::new(name)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("yaml" | "yml") => Ok(Format::Yaml),
            Some("toml") => Ok(Format::Toml),
            _ => Err(Error::InvalidInput(format!(
                "{name}: name the file .yaml, .yml or .toml so its format is known"
            ))),
        }
    }

    pub fn parse(text: &str) -> Result<Format> {
        match text {
            "yaml" | "yml" => Ok(Format::Yaml),
            "toml" => Ok(Format::Toml),
            _ => Err(Error::InvalidInput(format!(
                "unknown format {text:?}: use yaml or toml"
            ))),
        }
    }
}

/// Deserialises `text` in `format`, turning the parser's error into one naming the file,
/// the line and (for unknown or missing keys) the key.
pub(crate) fn deserialize<T: serde::de::DeserializeOwned>(
    file: &str,
    format: Format,
    text: &str,
) -> Result<T> {
    match format {
        Format::Yaml => serde_yaml_ng::from_str(text).map_err(|e| {
            let line = e.location().map(|l| l.line());
            let message = e.to_string();
            // The parser appends " at line L column C"; the line is reported on its own.
            let message = match message.rfind(" at line ") {
                Some(i) if line.is_some() => message[..i].to_string(),
                _ => message,
            };
            bad(file, line, message)
        }),
        Format::Toml => toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of_offset(text, s.start));
            let mut message = e.message().trim().to_string();
            // The parser names unknown and missing keys but not the key of a wrong value.
            if let Some(key) = line.and_then(|l| key_at_line(text, l)) {
                if !message.contains(&format!("`{key}`")) {
                    message = format!("{key}: {message}");
                }
            }
            bad(file, line, message)
        }),
    }
}

pub(crate) fn bad(file: &str, line: Option<usize>, message: impl Into<String>) -> Error {
    Error::BadFile {
        file: file.to_string(),
        line,
        message: message.into(),
    }
}

/// The key set on a `key = value` line.
fn key_at_line(text: &str, line: usize) -> Option<String> {
    let l = text.lines().nth(line.checked_sub(1)?)?;
    let (key, _) = l.split_once('=')?;
    let key = key.trim();
    (!key.is_empty() && !key.starts_with('[')).then(|| key.to_string())
}

fn line_of_offset(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The 1-based line at or after `from` where `key` is given `value` (`key: value`,
/// `- key: value` or `key = "value"`): how a semantic error finds its place in the text.
pub(crate) fn find_line(text: &str, from: usize, key: &str, value: &str) -> Option<usize> {
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find(|(_, line)| {
            let l = line.trim_start().trim_start_matches("- ").trim_start();
            let Some(rest) = l.strip_prefix(key) else {
                return false;
            };
            let rest = rest.trim_start();
            let Some(v) = rest.strip_prefix(':').or_else(|| rest.strip_prefix('=')) else {
                return false;
            };
            let v = v.split(" #").next().unwrap_or("").trim();
            let v = v.trim_matches(|c| c == '"' || c == '\'');
            v == value
        })
        .map(|(i, _)| i + 1)
}

impl SchemaFile {
    /// Reads and checks a schema file; the format comes from the extension.
    pub fn read(path: &Path) -> Result<SchemaFile> {
        let name = path.display().to_string();
        let format = Format::from_name(&name)?;
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::InvalidInput(format!("cannot read {name}: {e}")))?;
        Self::parse(&name, format, &text)
    }

    /// Parses a schema file given as text; `name` (its extension) gives the format.
    pub fn parse_str(name: &str, text: &str) -> Result<SchemaFile> {
        Self::parse(name, Format::from_name(name)?, text)
    }

    pub fn parse(name: &str, format: Format, text: &str) -> Result<SchemaFile> {
        let file: SchemaFile = deserialize(name, format, text)?;
        file.check(name, text)?;
        Ok(file)
    }

    /// Checks what the format cannot: the version, names, duplicates.
    fn check(&self, name: &str, text: &str) -> Result<()> {
        if self.version != VERSION {
            return Err(bad(
                name,
                find_line(text, 1, "version", &self.version.to_string()),
                format!(
                    "version: {} is not a schema file version this build reads (use {VERSION})",
                    self.version
                ),
            ));
        }
        let mut tables = HashSet::new();
        for t in &self.tables {
            let at = find_line(text, 1, "table", &t.table);
            let (schema, table) = parse_table_in(&t.table, "public")
                .map_err(|e| bad(name, at, format!("table: {}", message(&e))))?;
            if !tables.insert((schema, table)) {
                let second = at.and_then(|l| find_line(text, l + 1, "table", &t.table));
                return Err(bad(
                    name,
                    second.or(at),
                    format!("table: {} appears twice", t.table),
                ));
            }
            let from = at.unwrap_or(1);
            let mut fields = HashSet::new();
            for f in &t.fields {
                let line = find_line(text, from, "name", &f.name);
                if f.name.trim().is_empty() {
                    return Err(bad(
                        name,
                        None,
                        format!("{}: a field has an empty name", t.table),
                    ));
                }
                if !fields.insert(f.name.as_str()) {
                    let second = line.and_then(|l| find_line(text, l + 1, "name", &f.name));
                    return Err(bad(
                        name,
                        second.or(line),
                        format!("{}: field {} appears twice", t.table, f.name),
                    ));
                }
                if f.field_type.trim().is_empty() {
                    return Err(bad(
                        name,
                        line,
                        format!("{}.{}: type is empty", t.table, f.name),
                    ));
                }
                if f.feature_group
                    .as_deref()
                    .is_some_and(|g| g.trim().is_empty())
                {
                    return Err(bad(
                        name,
                        line,
                        format!("{}.{}: feature_group is empty", t.table, f.name),
                    ));
                }
            }
            for fk in &t.foreign_keys {
                let wrong =
                    fk.columns.is_empty() || fk.columns.len() != fk.references.columns.len();
                if wrong {
                    return Err(bad(
                        name,
                        find_line(text, from, "table", &fk.references.table),
                        format!(
                            "{}: a foreign key to {} needs as many columns as it references",
                            t.table, fk.references.table
                        ),
                    ));
                }
                parse_table_in(&fk.references.table, "public").map_err(|e| {
                    bad(
                        name,
                        find_line(text, from, "table", &fk.references.table),
                        format!("{}: references: {}", t.table, message(&e)),
                    )
                })?;
            }
            let mut indexes = HashSet::new();
            for i in &t.indexes {
                let line = find_line(text, from, "name", &i.name);
                if i.columns.is_empty() {
                    return Err(bad(
                        name,
                        line,
                        format!("{}: index {} has no columns", t.table, i.name),
                    ));
                }
                if !indexes.insert(i.name.as_str()) {
                    return Err(bad(
                        name,
                        line,
                        format!("{}: index {} appears twice", t.table, i.name),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The file as text in `format`.
    pub fn render(&self, format: Format) -> Result<String> {
        let body = match format {
            Format::Yaml => {
                serde_yaml_ng::to_string(self).map_err(|e| Error::Local(e.to_string()))?
            }
            Format::Toml => toml::to_string(self).map_err(|e| Error::Local(e.to_string()))?,
        };
        // Both formats take `#` comments.
        Ok(format!(
            "# IndexPilot schema file: the genome's curated flags, foreign keys and indexes.\n\
             # Edit the flags and load them with `indexpilot genome import FILE`.\n{body}"
        ))
    }
}

fn message(e: &Error) -> String {
    match e {
        Error::InvalidInput(m) => m.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "version: 1
tables:
  - table: crm.contacts
    fields:
      - name: id
        type: bigint
        required: true
      - name: email
        type: text
        indexable: true
        feature_group: core
    indexes:
      - name: contacts_email_idx
        columns: [lower(email)]
";

    fn err(name: &str, text: &str) -> (Option<usize>, String) {
        match SchemaFile::parse_str(name, text) {
            Err(Error::BadFile { line, message, .. }) => (line, message),
            other => panic!("expected a bad file, got {other:?}"),
        }
    }

    #[test]
    fn a_good_file_round_trips_in_both_formats() {
        let file = SchemaFile::parse_str("s.yaml", GOOD).expect("parses");
        assert_eq!(file.tables[0].fields.len(), 2);
        for format in [Format::Yaml, Format::Toml] {
            let text = file.render(format).expect("renders");
            let name = if format == Format::Yaml {
                "a.yaml"
            } else {
                "a.toml"
            };
            assert_eq!(SchemaFile::parse_str(name, &text).expect("re-reads"), file);
        }
    }

    #[test]
    fn an_unknown_key_is_named_with_its_line() {
        let text = GOOD.replace("indexable: true", "indexible: true");
        let (line, message) = err("s.yaml", &text);
        assert_eq!(line, Some(10));
        assert!(message.contains("unknown field `indexible`"), "{message}");
        let toml = "version = 1\n[[tables]]\ntable = \"a\"\n[[tables.fields]]\nname = \"x\"\ntype = \"int\"\nrequird = true\n";
        let (line, message) = err("s.toml", toml);
        assert_eq!(line, Some(7));
        assert!(message.contains("unknown field `requird`"), "{message}");
    }

    #[test]
    fn a_wrong_value_type_and_a_syntax_error_name_their_line() {
        let (line, message) = err("s.yaml", &GOOD.replace("required: true", "required: maybe"));
        assert_eq!(line, Some(7));
        assert!(message.contains("required"), "{message}");
        let (line, _) = err("s.yaml", "version: 1\ntables:\n  - table: [a\n");
        assert!(line.is_some());
    }

    #[test]
    fn duplicates_and_versions_are_refused_at_their_line() {
        let dup = GOOD.replace("name: email", "name: id");
        let (line, message) = err("s.yaml", &dup);
        assert_eq!(line, Some(8));
        assert!(message.contains("field id appears twice"), "{message}");
        let (line, message) = err("s.yaml", &GOOD.replace("version: 1", "version: 7"));
        assert_eq!(line, Some(1));
        assert!(message.contains("version"), "{message}");
        let (_, message) = err("s.yaml", "tables: []\n");
        assert!(message.contains("missing field `version`"), "{message}");
    }

    #[test]
    fn the_format_comes_from_the_extension() {
        assert!(SchemaFile::parse_str("schema.json", GOOD).is_err());
        assert_eq!(Format::from_name("x.YML").ok(), Some(Format::Yaml));
    }
}
