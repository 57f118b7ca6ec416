//! What the advisor may propose and within which limits, stored in `indexpilot.settings`
//! (key `advisor_policy`) for the whole team, under a policy file and over the defaults.
//! Command-line flags of one run override it.

use super::{AdviseOptions, CandidateOptions, SelectOptions};
use crate::change::policy::{parse_duration_ms, parse_size};
use crate::error::{Error, Result};
use crate::mutations::Actor;
use crate::settings::StoredPolicy;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use sqlx::PgPool;

pub const KEY: &str = "advisor_policy";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AdvisorPolicy {
    /// At most this many new indexes per run.
    pub max_indexes: usize,
    /// Storage all new indexes of a run may take (bytes); `None` = no limit.
    pub budget_bytes: Option<i64>,
    /// Tables with fewer rows (estimated) are left to sequential scans.
    pub min_table_rows: f64,
    /// A proposal must save at least this share of the workload's weighted cost.
    pub min_gain_share: f64,
    /// Propose dropping unused, duplicate, redundant and invalid indexes.
    pub drops: bool,
    /// Partial indexes (for constant predicates and few-tenant fields).
    pub partial_indexes: bool,
    /// Indexes on expressions (`lower(email)`, `payload ->> 'type'`).
    pub expression_indexes: bool,
    /// At most this many INCLUDE columns for an index-only scan (0: never INCLUDE).
    pub include_columns: usize,
    /// Pages a block sample may read to learn how many rows a filter the planner can only
    /// guess really matches (jsonb or array containment, `LIKE '%…%'`); 0: never sample.
    pub sample_pages: u32,
    /// Days a statement sample (a text as a backend ran it, literals included) is kept.
    pub sample_retention_days: u32,
    /// Milliseconds one what-if plan may take before the statement is left uncosted
    /// (`plan_timeout`); a plan normally takes milliseconds.
    pub plan_timeout_ms: u64,
}

/// Statement samples are kept a week unless the policy says otherwise.
pub const DEFAULT_SAMPLE_RETENTION_DAYS: u32 = 7;

impl Default for AdvisorPolicy {
    fn default() -> Self {
        let select = SelectOptions::default();
        let candidates = CandidateOptions::default();
        AdvisorPolicy {
            max_indexes: select.max_indexes,
            budget_bytes: select.budget_bytes,
            min_table_rows: candidates.min_table_rows,
            min_gain_share: select.min_gain_share,
            drops: true,
            partial_indexes: true,
            expression_indexes: true,
            include_columns: candidates.max_include,
            sample_pages: super::DEFAULT_SAMPLE_PAGES,
            sample_retention_days: DEFAULT_SAMPLE_RETENTION_DAYS,
            plan_timeout_ms: super::DEFAULT_PLAN_TIMEOUT_MS,
        }
    }
}

impl AdvisorPolicy {
    /// The run options this policy gives (recording proposals).
    pub fn options(&self) -> AdviseOptions {
        AdviseOptions {
            select: SelectOptions {
                budget_bytes: self.budget_bytes,
                max_indexes: self.max_indexes,
                min_gain_share: self.min_gain_share,
            },
            candidates: CandidateOptions {
                min_table_rows: self.min_table_rows,
                max_include: self.include_columns,
                partial: self.partial_indexes,
                expressions: self.expression_indexes,
                ..CandidateOptions::default()
            },
            skip_drops: !self.drops,
            sample_pages: self.sample_pages,
            plan_timeout_ms: self.plan_timeout_ms,
            record: true,
            ..AdviseOptions::default()
        }
    }
}

pub const KEYS: &[&str] = &[
    "max_indexes",
    "budget",
    "min_table_rows",
    "min_gain",
    "drops",
    "partial_indexes",
    "expression_indexes",
    "include_columns",
    "sample_pages",
    "sample_retention",
    "plan_timeout",
];

/// The stored field behind a key.
pub fn field(key: &str) -> &'static str {
    match key {
        "max_indexes" => "max_indexes",
        "budget" => "budget_bytes",
        "min_table_rows" => "min_table_rows",
        "min_gain" => "min_gain_share",
        "drops" => "drops",
        "partial_indexes" => "partial_indexes",
        "expression_indexes" => "expression_indexes",
        "sample_pages" => "sample_pages",
        "sample_retention" => "sample_retention_days",
        "plan_timeout" => "plan_timeout_ms",
        _ => "include_columns",
    }
}

/// A key's value from its text form: `10`, `2GB`/`none`, `0.1%`/`0.001`, `on`/`off`.
pub fn parse(key: &str, text: &str) -> Result<Value> {
    let t = text.trim();
    let bad = |what: &str| Error::InvalidInput(format!("advisor {key}: \"{t}\" is not {what}"));
    Ok(match key {
        "max_indexes" => {
            let n: usize = t.parse().map_err(|_| bad("a whole number from 1 to 100"))?;
            if !(1..=100).contains(&n) {
                return Err(bad("a whole number from 1 to 100"));
            }
            json!(n)
        }
        "sample_pages" => {
            let n: u32 = t
                .parse()
                .map_err(|_| bad("a whole number of pages from 0 to 100000"))?;
            if n > 100_000 {
                return Err(bad("a whole number of pages from 0 to 100000"));
            }
            json!(n)
        }
        "plan_timeout" => {
            let ms = parse_duration_ms(t)
                .filter(|ms| (100..=600_000).contains(ms))
                .ok_or_else(|| bad("a duration from 100ms to 10m, such as 10s"))?;
            json!(ms)
        }
        "sample_retention" => {
            let days = t
                .strip_suffix("days")
                .or_else(|| t.strip_suffix("day"))
                .or_else(|| t.strip_suffix('d'))
                .unwrap_or(t)
                .trim();
            let n: u32 = days
                .parse()
                .map_err(|_| bad("a number of days from 1 to 365, such as 7 days"))?;
            if !(1..=365).contains(&n) {
                return Err(bad("a number of days from 1 to 365, such as 7 days"));
            }
            json!(n)
        }
        "include_columns" => {
            let n: usize = t.parse().map_err(|_| bad("a whole number from 0 to 32"))?;
            if n > 32 {
                return Err(bad("a whole number from 0 to 32"));
            }
            json!(n)
        }
        "budget" => match t {
            "none" | "unlimited" => Value::Null,
            _ => json!(parse_size(t).ok_or_else(|| bad("a size such as 500MB or 2GB, or none"))?),
        },
        "min_table_rows" => {
            let n: f64 = t.parse().map_err(|_| bad("a number of rows"))?;
            if !(n.is_finite() && n >= 0.0) {
                return Err(bad("a number of rows"));
            }
            json!(n)
        }
        "min_gain" => {
            let share = match t.strip_suffix('%') {
                Some(p) => p.trim().parse::<f64>().map(|v| v / 100.0),
                None => t.parse::<f64>(),
            }
            .map_err(|_| bad("a share such as 0.1% or 0.001"))?;
            if !(0.0..1.0).contains(&share) {
                return Err(bad("a share from 0 up to (not including) 100%"));
            }
            json!(share)
        }
        _ => json!(match t {
            "on" | "true" | "yes" => true,
            "off" | "false" | "no" => false,
            _ => return Err(bad("on or off")),
        }),
    })
}

pub fn display(p: &AdvisorPolicy, key: &str) -> String {
    let on_off = |b: bool| if b { "on" } else { "off" }.to_string();
    match key {
        "max_indexes" => p.max_indexes.to_string(),
        "budget" => p
            .budget_bytes
            .map_or_else(|| "none".into(), |b| format!("{b} bytes")),
        "min_table_rows" => p.min_table_rows.to_string(),
        "min_gain" => format!("{}%", p.min_gain_share * 100.0),
        "drops" => on_off(p.drops),
        "partial_indexes" => on_off(p.partial_indexes),
        "expression_indexes" => on_off(p.expression_indexes),
        "sample_pages" => p.sample_pages.to_string(),
        "sample_retention" => format!("{} days", p.sample_retention_days),
        "plan_timeout" => format!("{}ms", p.plan_timeout_ms),
        _ => p.include_columns.to_string(),
    }
}

fn malformed(e: impl std::fmt::Display) -> Error {
    Error::InvalidInput(format!(
        "setting \"{KEY}\" in indexpilot.settings is malformed ({e}): fix it with `indexpilot config set`"
    ))
}

pub fn from_map(map: Map<String, Value>) -> Result<AdvisorPolicy> {
    serde_json::from_value(Value::Object(map)).map_err(malformed)
}

pub(crate) async fn stored(pool: &PgPool) -> Result<Map<String, Value>> {
    crate::settings::stored_map(pool, KEY).await
}

/// Sets one key from its text form (`default` goes back to the default) and records it.
pub async fn set(pool: &PgPool, actor: &Actor, key: &str, text: &str) -> Result<AdvisorPolicy> {
    StoredPolicy {
        setting: KEY,
        what: "advisor",
        keys: KEYS,
        field,
        parse,
        from_map,
    }
    .set(pool, actor, key, text)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_maps_to_a_stored_field_and_parses() {
        let value = serde_json::to_value(AdvisorPolicy::default()).unwrap_or_default();
        for k in KEYS {
            assert!(value.get(field(k)).is_some(), "{k}");
        }
        assert_eq!(parse("min_gain", "0.5%").ok(), Some(json!(0.005)));
        assert_eq!(parse("budget", "1GB").ok(), Some(json!(1i64 << 30)));
        assert!(parse("max_indexes", "0").is_err());
        assert!(parse("drops", "maybe").is_err());
        assert!(parse("min_gain", "120%").is_err());
        assert_eq!(parse("plan_timeout", "2s").ok(), Some(json!(2000)));
        assert!(parse("plan_timeout", "0").is_err());
    }
}
