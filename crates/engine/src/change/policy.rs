//! The apply policy: how IndexPilot may change the database, stored in
//! `indexpilot.settings` (key `apply_policy`) so the whole team shares it. Only the keys
//! someone set are stored; the rest are defaults, and `show` says which is which.

use crate::error::{Error, Result};
use crate::mutations::Actor;
use crate::settings::StoredPolicy;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use sqlx::PgPool;

pub const KEY: &str = "apply_policy";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ApplyPolicy {
    /// How long a build or drop waits for its table's lock before giving up (ms).
    pub lock_timeout_ms: u64,
    /// How long a build (or a concurrent drop) may wait, once it holds its table's lock,
    /// for the transactions PostgreSQL makes it wait for: writers, then every transaction
    /// older than its snapshot, anywhere in the database (ms; 0 = as long as they last).
    pub build_wait_timeout_ms: u64,
    /// How long a build may run (ms; 0 = no limit).
    pub statement_timeout_ms: u64,
    /// When changes may run, in the server's time zone (`daily 01:00-05:00`,
    /// `sat,sun 00:00-23:59`, `mon-fri 22:00-06:00`). Empty = any time.
    pub maintenance_windows: Vec<String>,
    /// Index builds that may run at once on this database.
    pub max_concurrent_builds: u32,
    /// Largest index (estimated bytes) that may be built; `None` = no limit.
    pub max_index_bytes: Option<i64>,
    /// A proposal must be approved before it is applied (drops always must be).
    pub require_approval: bool,
    /// A regression found by validation rolls the change back without asking.
    pub auto_rollback: bool,
    /// Length of the baseline window before a change and of the measurement after it (s).
    pub validation_window_s: u64,
    /// Calls a statement needs in each window to count in a verdict.
    pub min_calls: i64,
}

impl Default for ApplyPolicy {
    fn default() -> Self {
        ApplyPolicy {
            lock_timeout_ms: 5_000,
            build_wait_timeout_ms: 30 * 60 * 1000,
            statement_timeout_ms: 6 * 3600 * 1000,
            maintenance_windows: Vec::new(),
            max_concurrent_builds: 1,
            max_index_bytes: None,
            require_approval: true,
            auto_rollback: false,
            validation_window_s: 3600,
            min_calls: 20,
        }
    }
}

pub const KEYS: &[&str] = &[
    "lock_timeout",
    "build_wait_timeout",
    "statement_timeout",
    "maintenance_windows",
    "max_concurrent_builds",
    "max_index_size",
    "require_approval",
    "auto_rollback",
    "validation_window",
    "min_calls",
];

/// One effective setting and where it comes from.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyValue {
    pub key: &'static str,
    pub value: String,
    /// `default` or `database`.
    pub source: &'static str,
}

pub(crate) async fn stored(pool: &PgPool) -> Result<Map<String, Value>> {
    crate::settings::stored_map(pool, KEY).await
}

fn malformed(e: impl std::fmt::Display) -> Error {
    Error::InvalidInput(format!(
        "setting \"{KEY}\" in indexpilot.settings is malformed ({e}): fix it with `indexpilot policy set`"
    ))
}

/// The policy from entries in their stored form (a policy file's, then the database's).
pub fn from_map(map: Map<String, Value>) -> Result<ApplyPolicy> {
    serde_json::from_value(Value::Object(map)).map_err(malformed)
}

/// The policy as stored in the database, over the defaults. A policy file goes in between
/// through [`crate::config`].
pub async fn load(pool: &PgPool) -> Result<ApplyPolicy> {
    from_map(stored(pool).await?)
}

/// Every setting with its effective value and source (default or database).
pub async fn show(pool: &PgPool) -> Result<Vec<PolicyValue>> {
    let map = stored(pool).await?;
    let policy = from_map(map.clone())?;
    Ok(KEYS
        .iter()
        .map(|&key| PolicyValue {
            key,
            value: display(&policy, key),
            source: if map.contains_key(field(key)) {
                "database"
            } else {
                "default"
            },
        })
        .collect())
}

/// Sets one key from its text form (`5s`, `2GB`, `on`, `daily 01:00-05:00; sat 00:00-23:59`,
/// `default` to go back to the default) and records the change.
pub async fn set(pool: &PgPool, actor: &Actor, key: &str, text: &str) -> Result<ApplyPolicy> {
    StoredPolicy {
        setting: KEY,
        what: "policy",
        keys: KEYS,
        field,
        parse,
        from_map,
    }
    .set(pool, actor, key, text)
    .await
}

/// The stored field behind a key.
pub fn field(key: &str) -> &'static str {
    match key {
        "lock_timeout" => "lock_timeout_ms",
        "build_wait_timeout" => "build_wait_timeout_ms",
        "statement_timeout" => "statement_timeout_ms",
        "maintenance_windows" => "maintenance_windows",
        "max_concurrent_builds" => "max_concurrent_builds",
        "max_index_size" => "max_index_bytes",
        "require_approval" => "require_approval",
        "auto_rollback" => "auto_rollback",
        "validation_window" => "validation_window_s",
        _ => "min_calls",
    }
}

pub fn parse(key: &str, text: &str) -> Result<Value> {
    let t = text.trim();
    let bad = |what: &str| Error::InvalidInput(format!("policy {key}: \"{t}\" is not {what}"));
    Ok(match key {
        "build_wait_timeout" if t == "none" => json!(0),
        "lock_timeout" | "statement_timeout" | "build_wait_timeout" => {
            json!(parse_duration_ms(t)
                .ok_or_else(|| bad("a duration such as 500ms, 5s, 10m or 1h"))?)
        }
        "validation_window" => {
            let ms = parse_duration_ms(t).ok_or_else(|| bad("a duration such as 30m or 24h"))?;
            if ms < 1000 {
                return Err(bad("at least one second"));
            }
            json!(ms / 1000)
        }
        "max_concurrent_builds" => {
            let n: u32 = t.parse().map_err(|_| bad("a whole number from 1 to 16"))?;
            if !(1..=16).contains(&n) {
                return Err(bad("a whole number from 1 to 16"));
            }
            json!(n)
        }
        "min_calls" => {
            let n: i64 = t.parse().map_err(|_| bad("a whole number"))?;
            json!(n.max(1))
        }
        "max_index_size" => match t {
            "none" | "unlimited" => Value::Null,
            _ => json!(parse_size(t).ok_or_else(|| bad("a size such as 500MB or 2GB, or none"))?),
        },
        "require_approval" | "auto_rollback" => json!(match t {
            "on" | "true" | "yes" => true,
            "off" | "false" | "no" => false,
            _ => return Err(bad("on or off")),
        }),
        _ => {
            let windows: Vec<String> = t
                .split(';')
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect();
            for w in &windows {
                super::window::Window::parse(w)
                    .map_err(|e| Error::InvalidInput(format!("policy {key}: {e}")))?;
            }
            json!(windows)
        }
    })
}

pub fn display(p: &ApplyPolicy, key: &str) -> String {
    match key {
        "lock_timeout" => format!("{} ms", p.lock_timeout_ms),
        "build_wait_timeout" => match p.build_wait_timeout_ms {
            0 => "none".into(),
            ms => format!("{} s", ms / 1000),
        },
        "statement_timeout" => match p.statement_timeout_ms {
            0 => "none".into(),
            ms => format!("{} s", ms / 1000),
        },
        "maintenance_windows" if p.maintenance_windows.is_empty() => "any time".into(),
        "maintenance_windows" => p.maintenance_windows.join("; "),
        "max_concurrent_builds" => p.max_concurrent_builds.to_string(),
        "max_index_size" => p
            .max_index_bytes
            .map_or_else(|| "none".into(), |b| format!("{b} bytes")),
        "require_approval" => on_off(p.require_approval),
        "auto_rollback" => on_off(p.auto_rollback),
        "validation_window" => format!("{} s", p.validation_window_s),
        _ => p.min_calls.to_string(),
    }
}

fn on_off(b: bool) -> String {
    if b { "on" } else { "off" }.to_string()
}

/// `500ms`, `5s`, `10m`, `1h`, `2d`; a bare number is seconds.
pub fn parse_duration_ms(t: &str) -> Option<u64> {
    let t = t.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num.parse().ok()?;
    let factor = match unit.trim() {
        "ms" => 1,
        "" | "s" => 1000,
        "m" | "min" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return None,
    };
    n.checked_mul(factor)
}

/// `500MB`, `2GB`, `64kB`, bytes when bare.
pub fn parse_size(t: &str) -> Option<i64> {
    let t = t.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: i64 = num.parse().ok()?;
    let factor: i64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1 << 10,
        "mb" => 1 << 20,
        "gb" => 1 << 30,
        "tb" => 1 << 40,
        _ => return None,
    };
    n.checked_mul(factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_sizes_parse() {
        assert_eq!(parse_duration_ms("500ms"), Some(500));
        assert_eq!(parse_duration_ms("5s"), Some(5000));
        assert_eq!(parse_duration_ms("10m"), Some(600_000));
        assert_eq!(parse_duration_ms("2"), Some(2000));
        assert_eq!(parse_duration_ms("5 parsecs"), None);
        assert_eq!(parse_size("2GB"), Some(2 << 30));
        assert_eq!(parse_size("500mb"), Some(500 << 20));
        assert_eq!(parse_size("lots"), None);
    }

    #[test]
    fn every_key_maps_to_a_stored_field() {
        let fields: Vec<&str> = KEYS.iter().map(|k| field(k)).collect();
        let value = serde_json::to_value(ApplyPolicy::default()).unwrap_or_default();
        for f in fields {
            assert!(value.get(f).is_some(), "{f}");
        }
    }

    #[test]
    fn values_are_validated() {
        assert!(parse("lock_timeout", "soon").is_err());
        assert!(parse("max_concurrent_builds", "0").is_err());
        assert!(parse("require_approval", "maybe").is_err());
        assert!(parse("maintenance_windows", "someday 25:00-26:00").is_err());
        assert_eq!(parse("max_index_size", "1GB").ok(), Some(json!(1i64 << 30)));
        assert_eq!(
            parse(
                "maintenance_windows",
                "daily 01:00-05:00; sat,sun 00:00-23:59"
            )
            .ok(),
            Some(json!(["daily 01:00-05:00", "sat,sun 00:00-23:59"]))
        );
    }
}
