//! Effective configuration: the defaults, under a policy file ([`PolicyFile`], kept with the
//! code or the deployment), under what is stored in the database (`indexpilot.settings`,
//! shared by the whole team and changed with an audit trail). The database wins because it
//! is where a person's deliberate, logged decision lives; the file fills in what nobody set
//! there. [`effective`] says for every key which layer its value came from.
//!
//! ```toml
//! [tenancy]
//! tenant_key = "account_id"
//! tenants_table = "crm.accounts"
//!
//! [apply]
//! lock_timeout = "2s"
//! maintenance_windows = ["daily 01:00-05:00"]
//! max_index_size = "5GB"
//!
//! [advisor]
//! max_indexes = 5
//! budget = "2GB"
//! drops = false
//! ```

mod file;

pub use file::{PolicyFile, DEFAULT_NAMES};

use crate::advisor::policy::{self as advisor_policy, AdvisorPolicy};
use crate::change::policy::{self as apply_policy, ApplyPolicy};
use crate::error::{Error, Result};
use crate::mutations::Actor;
use crate::settings::Tenancy;
use file::Section;
use serde::Serialize;
use serde_json::{Map, Value};
use sqlx::PgPool;

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "layer", rename_all = "snake_case")]
pub enum Source {
    Default,
    File { path: String, line: Option<usize> },
    Database,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Default => f.write_str("default"),
            Source::Database => f.write_str("database"),
            Source::File {
                path,
                line: Some(l),
            } => write!(f, "{path}:{l}"),
            Source::File { path, line: None } => f.write_str(path),
        }
    }
}

/// One key's effective value.
#[derive(Debug, Clone, Serialize)]
pub struct Setting {
    /// `section.key`, e.g. `apply.lock_timeout`.
    pub key: String,
    pub value: String,
    pub source: Source,
}

/// Every setting the engine reads, resolved.
#[derive(Debug, Clone, Serialize)]
pub struct Effective {
    pub tenancy: Tenancy,
    pub apply: ApplyPolicy,
    pub advisor: AdvisorPolicy,
    pub settings: Vec<Setting>,
}

/// Resolves every key: defaults, then `file`, then the database.
pub async fn effective(pool: &PgPool, file: &PolicyFile) -> Result<Effective> {
    let stored_tenancy: Option<Value> = sqlx::query_scalar(
        "SELECT /* indexpilot */ value FROM indexpilot.settings WHERE key = 'tenancy'",
    )
    .fetch_optional(pool)
    .await?;
    let stored_apply = apply_policy::stored(pool).await?;
    let stored_advisor = advisor_policy::stored(pool).await?;
    resolve(file, stored_tenancy, stored_apply, stored_advisor)
}

/// [`effective`] from the stored values already read (pure).
pub fn resolve(
    file: &PolicyFile,
    stored_tenancy: Option<Value>,
    stored_apply: Map<String, Value>,
    stored_advisor: Map<String, Value>,
) -> Result<Effective> {
    let path = file.path.clone().unwrap_or_default();
    let mut out = Vec::new();

    // Tenancy is stored whole (`indexpilot tenancy --save`): when stored, it all wins.
    let (tenancy, tenancy_from_db) = match stored_tenancy {
        Some(v) => (
            serde_json::from_value::<Tenancy>(v).map_err(|e| {
                Error::InvalidInput(format!(
                    "setting \"tenancy\" in indexpilot.settings is malformed: {e}"
                ))
            })?,
            true,
        ),
        None => {
            let values = PolicyFile::values(&file.tenancy);
            let mut t = Tenancy::default();
            if let Some(k) = values.get("tenant_key").and_then(Value::as_str) {
                t.tenant_key = k.to_string();
            }
            if let Some(Value::Array(parts)) = values.get("tenants_table") {
                if let [Value::String(s), Value::String(n)] = parts.as_slice() {
                    t.tenants_table = Some((s.clone(), n.clone()));
                }
            }
            (t, false)
        }
    };
    for key in file::TENANCY_KEYS {
        let value = match *key {
            "tenant_key" => tenancy.tenant_key.clone(),
            _ => tenancy
                .tenants_table
                .as_ref()
                .map_or_else(|| "detected".to_string(), |(s, t)| format!("{s}.{t}")),
        };
        out.push(Setting {
            key: format!("tenancy.{key}"),
            value,
            source: source(tenancy_from_db, &file.tenancy, &path, key),
        });
    }

    let apply = apply_policy::from_map(layer(&file.apply, &stored_apply))?;
    for key in apply_policy::KEYS {
        let field = apply_policy::field(key);
        out.push(Setting {
            key: format!("apply.{key}"),
            value: apply_policy::display(&apply, key),
            source: source(stored_apply.contains_key(field), &file.apply, &path, field),
        });
    }

    let advisor = advisor_policy::from_map(layer(&file.advisor, &stored_advisor))?;
    for key in advisor_policy::KEYS {
        let field = advisor_policy::field(key);
        out.push(Setting {
            key: format!("advisor.{key}"),
            value: advisor_policy::display(&advisor, key),
            source: source(
                stored_advisor.contains_key(field),
                &file.advisor,
                &path,
                field,
            ),
        });
    }
    Ok(Effective {
        tenancy,
        apply,
        advisor,
        settings: out,
    })
}

/// The file's entries with the database's on top.
fn layer(file: &Section, stored: &Map<String, Value>) -> Map<String, Value> {
    let mut map = PolicyFile::values(file);
    for (k, v) in stored {
        map.insert(k.clone(), v.clone());
    }
    map
}

fn source(in_database: bool, file: &Section, path: &str, field: &str) -> Source {
    if in_database {
        Source::Database
    } else if file.contains_key(field) {
        Source::File {
            path: path.to_string(),
            line: PolicyFile::line(file, field),
        }
    } else {
        Source::Default
    }
}

/// Stores one key (`apply.*` or `advisor.*`) in the database from its text form;
/// `default` removes it so the file or the default applies again.
pub async fn set(pool: &PgPool, actor: &Actor, key: &str, text: &str) -> Result<()> {
    match key.split_once('.') {
        Some(("apply", k)) => apply_policy::set(pool, actor, k, text).await.map(|_| ()),
        Some(("advisor", k)) => advisor_policy::set(pool, actor, k, text).await.map(|_| ()),
        Some(("tenancy", _)) => Err(Error::InvalidInput(
            "tenancy is stored with `indexpilot tenancy --tenant-key K --tenants-table S.T --save`"
                .to_string(),
        )),
        _ => Err(Error::InvalidInput(format!(
            "unknown key \"{key}\": use section.key, e.g. apply.lock_timeout or advisor.max_indexes (see `indexpilot config show`)"
        ))),
    }
}

/// The stored tenancy with the file under it (for callers that only need tenancy).
pub async fn tenancy(pool: &PgPool, file: &PolicyFile) -> Result<Tenancy> {
    Ok(effective(pool, file).await?.tenancy)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_database_wins_over_the_file_which_wins_over_the_default() {
        let file = PolicyFile::parse_str(
            "indexpilot.toml",
            "[apply]\nlock_timeout = \"2s\"\nmin_calls = 50\n[advisor]\nmax_indexes = 4\n",
        )
        .expect("parses");
        let mut stored = Map::new();
        stored.insert("min_calls".into(), json!(7));
        let e = resolve(&file, None, stored, Map::new()).expect("resolves");
        assert_eq!(e.apply.lock_timeout_ms, 2000);
        assert_eq!(e.apply.min_calls, 7);
        assert_eq!(e.advisor.max_indexes, 4);
        let get = |k: &str| e.settings.iter().find(|s| s.key == k).cloned().expect(k);
        assert_eq!(
            get("apply.lock_timeout").source.to_string(),
            "indexpilot.toml:2"
        );
        assert_eq!(get("apply.min_calls").source, Source::Database);
        assert_eq!(get("apply.auto_rollback").source, Source::Default);
        assert_eq!(get("advisor.max_indexes").value, "4");
        assert_eq!(get("tenancy.tenant_key").value, "tenant_id");
    }

    #[test]
    fn a_stored_tenancy_replaces_the_files() {
        let file = PolicyFile::parse_str("p.yaml", "tenancy:\n  tenant_key: account_id\n")
            .expect("parses");
        let e = resolve(&file, None, Map::new(), Map::new()).expect("resolves");
        assert_eq!(e.tenancy.tenant_key, "account_id");
        let stored = json!({"tenant_key": "org_id", "tenants_table": null});
        let e = resolve(&file, Some(stored), Map::new(), Map::new()).expect("resolves");
        assert_eq!(e.tenancy.tenant_key, "org_id");
        assert_eq!(e.settings[0].source, Source::Database);
    }
}
