//! The policy file (`indexpilot.toml`, or YAML): sections `tenancy`, `apply` and `advisor`,
//! each value in the same text form `indexpilot config set` takes, and `overview`, the
//! databases `indexpilot overview --all` reads. Every key is checked when the file is read:
//! an unknown key or a bad value names the key and its line.

use crate::advisor::policy as advisor_policy;
use crate::change::policy as apply_policy;
use crate::error::{Error, Result};
use crate::ident::parse_table;
use crate::schema_file::{bad, deserialize, Format};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file names looked for in the working directory when none is given.
pub const DEFAULT_NAMES: &[&str] = &["indexpilot.toml", "indexpilot.yaml", "indexpilot.yml"];

pub const TENANCY_KEYS: &[&str] = &["tenant_key", "tenants_table"];

pub const OVERVIEW_KEYS: &[&str] = &["databases"];

/// A policy file's entries, in the form the database stores them, with their lines.
#[derive(Debug, Clone, Default)]
pub struct PolicyFile {
    /// Where it was read from; `None` when there is no file.
    pub path: Option<String>,
    pub(crate) tenancy: Section,
    pub(crate) apply: Section,
    pub(crate) advisor: Section,
    /// `overview.databases`: the connection strings `overview --all` reads, without
    /// passwords (those come from `~/.pgpass` or the keyring).
    pub databases: Vec<String>,
}

/// Stored field → its value as stored and the line it was set on.
pub(crate) type Section = BTreeMap<String, Entry>;

#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub value: Value,
    pub line: Option<usize>,
}

impl PolicyFile {
    /// No file: every value comes from the database or the defaults.
    pub fn none() -> Self {
        PolicyFile::default()
    }

    /// The file to use: `explicit` (which must exist), else the first of
    /// [`DEFAULT_NAMES`] in `dir`, else none.
    pub fn locate(explicit: Option<&Path>, dir: &Path) -> Result<Option<PathBuf>> {
        if let Some(p) = explicit {
            if !p.is_file() {
                return Err(Error::InvalidInput(format!(
                    "policy file {} does not exist: check the path given with --config or INDEXPILOT_CONFIG",
                    p.display()
                )));
            }
            return Ok(Some(p.to_path_buf()));
        }
        Ok(DEFAULT_NAMES
            .iter()
            .map(|n| dir.join(n))
            .find(|p| p.is_file()))
    }

    pub fn read(path: &Path) -> Result<Self> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::InvalidInput(format!("cannot read {name}: {e}")))?;
        Self::parse_str(&name, &text)
    }

    /// Parses a policy file given as text; `name`'s extension gives the format.
    pub fn parse_str(name: &str, text: &str) -> Result<Self> {
        let format = Format::from_name(name)?;
        let root: Value = deserialize(name, format, text)?;
        let root = match root {
            Value::Object(m) => m,
            Value::Null => Map::new(),
            _ => {
                return Err(bad(
                    name,
                    Some(1),
                    "expected sections: tenancy, apply, advisor, overview",
                ))
            }
        };
        let mut file = PolicyFile {
            path: Some(name.to_string()),
            ..PolicyFile::default()
        };
        for (section, body) in root {
            let start = section_line(text, &section);
            let Value::Object(entries) = body else {
                return Err(bad(
                    name,
                    start,
                    format!("{section}: expected a section of keys (tenancy, apply, advisor or overview)"),
                ));
            };
            for (key, value) in entries {
                let line = key_line(text, &section, &key);
                let at = |e: Error| match e {
                    Error::InvalidInput(m) => bad(name, line, format!("{section}.{key}: {m}")),
                    other => other,
                };
                if section == "overview" {
                    if key != "databases" {
                        return Err(unknown(name, line, &section, &key, OVERVIEW_KEYS));
                    }
                    file.databases = databases(&value).map_err(at)?;
                    continue;
                }
                let text_value = as_text(&value).ok_or_else(|| {
                    bad(
                        name,
                        line,
                        format!("{section}.{key}: expected a string, number, boolean or list of strings"),
                    )
                })?;
                match section.as_str() {
                    "tenancy" => {
                        let stored = match key.as_str() {
                            "tenant_key" if !text_value.trim().is_empty() => {
                                json!(text_value.trim())
                            }
                            "tenant_key" => {
                                return Err(at(Error::InvalidInput("cannot be empty".into())))
                            }
                            "tenants_table" => {
                                let (s, t) = parse_table(&text_value).map_err(at)?;
                                json!([s, t])
                            }
                            _ => return Err(unknown(name, line, &section, &key, TENANCY_KEYS)),
                        };
                        file.tenancy.insert(key.clone(), with_line(stored, line));
                    }
                    "apply" => {
                        if !apply_policy::KEYS.contains(&key.as_str()) {
                            return Err(unknown(name, line, &section, &key, apply_policy::KEYS));
                        }
                        let stored = apply_policy::parse(&key, &text_value).map_err(at)?;
                        file.apply.insert(
                            apply_policy::field(&key).to_string(),
                            with_line(stored, line),
                        );
                    }
                    "advisor" => {
                        if !advisor_policy::KEYS.contains(&key.as_str()) {
                            return Err(unknown(name, line, &section, &key, advisor_policy::KEYS));
                        }
                        let stored = advisor_policy::parse(&key, &text_value).map_err(at)?;
                        file.advisor.insert(
                            advisor_policy::field(&key).to_string(),
                            with_line(stored, line),
                        );
                    }
                    _ => {
                        return Err(bad(
                            name,
                            start,
                            format!("unknown section \"{section}\": use tenancy, apply, advisor or overview"),
                        ))
                    }
                }
            }
        }
        Ok(file)
    }

    /// A section's values alone, without their lines.
    pub(crate) fn values(section: &Section) -> Map<String, Value> {
        section
            .iter()
            .map(|(k, e)| (k.clone(), e.value.clone()))
            .collect()
    }

    pub(crate) fn line(section: &Section, field: &str) -> Option<usize> {
        section.get(field).and_then(|e| e.line)
    }
}

/// `overview.databases`: a list of connection strings, none with a password in it.
fn databases(value: &Value) -> Result<Vec<String>> {
    let list = match value {
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map(|s| s.trim().to_string()))
            .collect::<Option<Vec<_>>>(),
        _ => None,
    }
    .ok_or_else(|| {
        Error::InvalidInput(
            "expected a list of connection URLs, e.g. [\"postgres://app@db1/app\"]".into(),
        )
    })?;
    for (i, url) in list.iter().enumerate() {
        if crate::connect::names_a_password(url) {
            return Err(Error::InvalidInput(format!(
                "entry {} holds a password: keep passwords in ~/.pgpass (or PGPASSFILE), not in the policy file",
                i + 1
            )));
        }
        crate::connect::ConnectOptions::resolve(Some(url))
            .map_err(|e| Error::InvalidInput(format!("entry {}: {e}", i + 1)))?;
    }
    Ok(list)
}

fn with_line(value: Value, line: Option<usize>) -> Entry {
    Entry { value, line }
}

fn unknown(name: &str, line: Option<usize>, section: &str, key: &str, keys: &[&str]) -> Error {
    bad(
        name,
        line,
        format!(
            "unknown key \"{section}.{key}\": use one of {}",
            keys.iter()
                .map(|k| format!("{section}.{k}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
}

/// A value in the text form the keys parse (`on`/`off`, numbers, `a; b` for lists).
fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(if *b { "on" } else { "off" }.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Null => Some("none".to_string()),
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .map(|v| v.join("; ")),
        Value::Object(_) => None,
    }
}

/// The line of `[section]` (TOML) or `section:` (YAML).
fn section_line(text: &str, section: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let t = l.trim_end();
            t.trim() == format!("[{section}]")
                || (!l.starts_with([' ', '\t'])
                    && t.strip_prefix(section)
                        .is_some_and(|r| r.trim_start().starts_with(':')))
        })
        .map(|i| i + 1)
}

/// The line where `key` is set inside `section`.
fn key_line(text: &str, section: &str, key: &str) -> Option<usize> {
    let from = section_line(text, section).unwrap_or(1);
    text.lines()
        .enumerate()
        .skip(from)
        .take_while(|(_, l)| !l.trim_start().starts_with('[') || l.trim_start().starts_with("[["))
        .find(|(_, l)| {
            let t = l.trim_start();
            t.strip_prefix(key).is_some_and(|r| {
                let r = r.trim_start();
                r.starts_with('=') || r.starts_with(':')
            })
        })
        .map(|(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOML: &str = "# team policy
[tenancy]
tenant_key = \"account_id\"

[apply]
lock_timeout = \"2s\"
maintenance_windows = [\"daily 01:00-05:00\", \"sat,sun 00:00-23:59\"]
require_approval = true

[advisor]
max_indexes = 4
budget = \"1GB\"
drops = false
";

    fn bad_file(name: &str, text: &str) -> (Option<usize>, String) {
        match PolicyFile::parse_str(name, text) {
            Err(Error::BadFile { line, message, .. }) => (line, message),
            other => panic!("expected a bad file, got {other:?}"),
        }
    }

    #[test]
    fn values_are_read_in_their_stored_form_with_lines() {
        let f = PolicyFile::parse_str("indexpilot.toml", TOML).expect("parses");
        let apply = PolicyFile::values(&f.apply);
        assert_eq!(apply.get("lock_timeout_ms"), Some(&json!(2000)));
        assert_eq!(
            apply.get("maintenance_windows"),
            Some(&json!(["daily 01:00-05:00", "sat,sun 00:00-23:59"]))
        );
        assert_eq!(PolicyFile::line(&f.apply, "lock_timeout_ms"), Some(6));
        assert_eq!(
            PolicyFile::values(&f.advisor).get("drops"),
            Some(&json!(false))
        );
        assert_eq!(PolicyFile::line(&f.advisor, "budget_bytes"), Some(12));
        assert_eq!(
            PolicyFile::values(&f.tenancy).get("tenant_key"),
            Some(&json!("account_id"))
        );
    }

    #[test]
    fn yaml_reads_the_same() {
        let yaml =
            "apply:\n  lock_timeout: 2s\n  require_approval: on\nadvisor:\n  max_indexes: 4\n";
        let f = PolicyFile::parse_str("indexpilot.yaml", yaml).expect("parses");
        assert_eq!(
            PolicyFile::values(&f.apply).get("lock_timeout_ms"),
            Some(&json!(2000))
        );
        assert_eq!(PolicyFile::line(&f.advisor, "max_indexes"), Some(5));
    }

    #[test]
    fn unknown_keys_and_sections_and_bad_values_are_errors_at_their_line() {
        let (line, m) = bad_file("p.toml", &TOML.replace("lock_timeout", "lock_timout"));
        assert_eq!(line, Some(6));
        assert!(m.contains("unknown key \"apply.lock_timout\""), "{m}");
        let (line, m) = bad_file(
            "p.toml",
            &TOML.replace("max_indexes = 4", "max_indexes = 0"),
        );
        assert_eq!(line, Some(11));
        assert!(m.contains("advisor.max_indexes"), "{m}");
        let (line, m) = bad_file("p.toml", &TOML.replace("[advisor]", "[adviser]"));
        assert_eq!(line, Some(10));
        assert!(m.contains("unknown section \"adviser\""), "{m}");
        let (line, _) = bad_file("p.toml", "[apply\nlock_timeout = 1");
        assert_eq!(line, Some(1));
    }

    /// `overview --all`'s list: connection strings without passwords, checked when read.
    #[test]
    fn the_overview_lists_databases_and_refuses_a_password_among_them() {
        let text =
            "[overview]\ndatabases = [\"postgres://app@db1/app\", \"host=db2 dbname=billing\"]\n";
        let f = PolicyFile::parse_str("p.toml", text).expect("parses");
        assert_eq!(
            f.databases,
            vec!["postgres://app@db1/app", "host=db2 dbname=billing"]
        );
        let (line, m) = bad_file(
            "p.toml",
            "[overview]\n\ndatabases = [\"postgres://app:s3cret@db1/app\"]\n",
        );
        assert_eq!(line, Some(3));
        assert!(
            m.contains("overview.databases: entry 1 holds a password"),
            "{m}"
        );
        assert!(!m.contains("s3cret"), "{m}");
        let (_, m) = bad_file("p.toml", "[overview]\ndatabases = \"postgres://db1/app\"\n");
        assert!(m.contains("expected a list of connection URLs"), "{m}");
        let (_, m) = bad_file("p.toml", "[overview]\nurls = []\n");
        assert!(m.contains("unknown key \"overview.urls\""), "{m}");
    }
}
