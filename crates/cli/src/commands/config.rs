//! config show / set, and finding the policy file.

use crate::args::ConfigCommand;
use crate::output::{table, Output};
use indexpilot_engine::config::{self, PolicyFile};
use indexpilot_engine::{migrate, Actor, Result};
use sqlx::PgPool;
use std::path::Path;
use std::process::ExitCode;

/// The policy file given (`--config`, `INDEXPILOT_CONFIG`), else one in the working
/// directory, else none. A file that cannot be read is an error: never silently ignored.
pub fn load(explicit: Option<&Path>) -> Result<PolicyFile> {
    let dir = std::env::current_dir().unwrap_or_else(|_| ".".into());
    match PolicyFile::locate(explicit, &dir)? {
        Some(path) => PolicyFile::read(&path),
        None => Ok(PolicyFile::none()),
    }
}

pub async fn run(
    cmd: ConfigCommand,
    pool: &PgPool,
    out: &Output,
    file: &PolicyFile,
) -> Result<ExitCode> {
    migrate::require_initialised(pool).await?;
    if let ConfigCommand::Set { key, value } = &cmd {
        config::set(pool, &Actor::from_env(), key, value).await?;
    }
    let effective = config::effective(pool, file).await?;
    out.emit(&effective.settings, |settings| {
        let rows: Vec<Vec<String>> = settings
            .iter()
            .map(|s| vec![s.key.clone(), s.value.clone(), s.source.to_string()])
            .collect();
        let origin = match &file.path {
            Some(p) => format!("policy file: {p}"),
            None => "no policy file (looked for indexpilot.toml, .yaml, .yml here)".to_string(),
        };
        format!("{origin}\n{}", table(&["key", "value", "source"], &rows))
    });
    Ok(ExitCode::SUCCESS)
}
