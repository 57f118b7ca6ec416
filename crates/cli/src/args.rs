//! The command line, as clap reads it.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "indexpilot",
    version,
    about = "Understand a PostgreSQL schema and its workload; decide, apply and undo indexes safely.",
    after_help = "Connection: --database-url, DATABASE_URL, or the libpq PG* variables and ~/.pgpass.\nExit codes: 0 ok, 2 an error (one line on stderr; with --json also a JSON error on stdout)."
)]
pub struct Cli {
    /// postgres://user@host:port/dbname (or libpq key=value). Defaults to PG* variables.
    #[arg(long, global = true, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// Print machine-readable JSON on stdout.
    #[arg(long, global = true)]
    pub json: bool,

    /// Policy file (TOML or YAML) under the settings stored in the database; default:
    /// indexpilot.toml (or .yaml/.yml) in the working directory, if there is one.
    #[arg(long, global = true, env = "INDEXPILOT_CONFIG")]
    pub config: Option<PathBuf>,

    /// Log what the engine does on stderr (-v, -vv).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create or upgrade the indexpilot metadata schema, then discover the schema.
    Init,
    /// Read the live catalog and bootstrap or refresh the genome.
    Discover,
    /// Compare the live catalog with the genome and apply the differences.
    Sync {
        /// Report the differences without changing anything.
        #[arg(long)]
        dry_run: bool,
    },
    /// Browse and curate the genome (the field catalog).
    #[command(subcommand)]
    Genome(GenomeCommand),
    /// List tenants with approximate sizes (from statistics: no table is scanned).
    Tenants(TenancyArgs),
    /// Per-tenant field expression.
    #[command(subcommand)]
    Fields(FieldsCommand),
    /// Show or set how tenants are recognised (stored in the database for the whole team).
    Tenancy {
        #[command(flatten)]
        tenancy: TenancyArgs,
        /// Store the given --tenant-key / --tenants-table for everyone.
        #[arg(long)]
        save: bool,
    },
    /// The latest entries of the mutation log.
    Log {
        /// Only entries of this kind (e.g. flag_edit, field_enable, schema_change).
        #[arg(long)]
        kind: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Snapshot pg_stat_statements and table activity; store what happened since the last one.
    Collect {
        /// Take one snapshot and exit (the default).
        #[arg(long, conflicts_with = "interval")]
        once: bool,
        /// Keep collecting at this interval until stopped (e.g. 60s, 5m, 1h).
        #[arg(long, value_parser = parse_interval)]
        interval: Option<std::time::Duration>,
    },
    /// The top statements by total time, with the tables and columns they use by role.
    Workload {
        #[arg(long, default_value_t = 20)]
        top: usize,
        /// Only the last part of the collected history (e.g. 1h, 24h); default: all of it.
        #[arg(long, value_parser = parse_interval)]
        since: Option<std::time::Duration>,
    },
    /// Index proposals for the whole workload: what to create and drop, with the evidence.
    Advise {
        /// Storage the new indexes may take in all (e.g. 500MB, 2GB); default: the policy's
        /// advisor.budget.
        #[arg(long, value_parser = parse_size)]
        budget: Option<i64>,
        /// At most this many new indexes (default: the policy's advisor.max_indexes).
        #[arg(long)]
        max_indexes: Option<usize>,
        /// Leave tables with fewer rows (estimated) to sequential scans (default: the
        /// policy's advisor.min_table_rows).
        #[arg(long)]
        min_table_rows: Option<f64>,
        /// Only the last part of the collected history (e.g. 24h); default: all of it.
        #[arg(long, value_parser = parse_interval)]
        since: Option<std::time::Duration>,
        /// Show the proposals without recording them in the mutation log.
        #[arg(long)]
        dry_run: bool,
    },
    /// Start a throwaway PostgreSQL with the multi-tenant demo CRM and a live workload.
    Demo(DemoArgs),
    /// Approve a proposal (for a drop: that exact drop).
    Approve {
        id: i64,
        /// Recorded with the approval.
        #[arg(long)]
        note: Option<String>,
    },
    /// Reject a proposal, with the reason.
    Reject {
        id: i64,
        #[arg(long)]
        reason: String,
    },
    /// Build (or drop) what an approved proposal describes, CONCURRENTLY, one build at a time.
    Apply {
        id: i64,
        /// Stay until the build ends, showing its progress (Ctrl-C cancels it cleanly);
        /// without it the build runs in the background.
        #[arg(long)]
        wait: bool,
        /// Show the statements it would run, in order, and what their text does not say
        /// (a partitioned table's steps); run nothing.
        #[arg(long, conflicts_with = "wait")]
        dry_run: bool,
    },
    /// Undo an applied change: drop the index it created, or re-create the one it dropped.
    Rollback {
        id: i64,
        /// Show the statement it would run and what its text does not say (the lock a
        /// partitioned table's drop takes); run nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Apply a rolled-back change again, as `apply` does.
    Reapply {
        id: i64,
        /// Stay until the build ends, showing its progress (Ctrl-C cancels it cleanly);
        /// without it the build runs in the background.
        #[arg(long)]
        wait: bool,
    },
    /// Every proposal, transition and verdict of index changes, oldest first.
    History {
        /// Only the last part (e.g. 1h, 7d).
        #[arg(long, value_parser = parse_interval)]
        since: Option<std::time::Duration>,
    },
    /// Validation of applied changes: verdicts with their numbers (judges the ones due).
    Experiments {
        /// Judge this experiment now with what its measurement window holds so far.
        #[arg(long)]
        judge: Option<i64>,
        /// Write each judged experiment's before/after chart (SVG) into this folder.
        #[arg(long)]
        charts: Option<PathBuf>,
    },
    /// How IndexPilot may change this database (stored in the database for the whole team).
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Every setting (tenancy, apply, advisor) with its value and where it came from:
    /// default, the policy file, or the database.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Row types from the live schema: Python TypedDict, TypeScript interfaces or Rust structs.
    GenerateTypes {
        /// python, typescript or rust.
        #[arg(long)]
        lang: String,
        /// Write here (atomically) instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Only this schema (repeatable); default: every schema but PostgreSQL's and
        /// IndexPilot's own (name `indexpilot` to get its metadata tables).
        #[arg(long = "schema")]
        schemas: Vec<String>,
        /// Only these tables, comma-separated (`name` or `schema.name`).
        #[arg(long, value_delimiter = ',')]
        tables: Vec<String>,
        /// Compare with --out instead of writing it: exit 1 with a short diff when stale.
        #[arg(long)]
        check: bool,
    },
    /// What needs attention on this database: proposals waiting, changes building or
    /// failed, experiments due, health findings, the collector, pg_stat_statements' fill.
    Overview {
        /// Every database in the policy file's `overview.databases` instead, read at once,
        /// most needing attention first (exit 1 when one could not be read).
        #[arg(long)]
        all: bool,
        /// With --all: seconds each database has to answer.
        #[arg(long, default_value_t = 10, requires = "all", value_parser = clap::value_parser!(u64).range(1..=600))]
        timeout: u64,
    },
    /// Index health: unused, duplicate, redundant and invalid indexes, unindexed foreign keys.
    Health {
        /// Report unindexed foreign keys only on tables with at least this many rows (estimated).
        #[arg(long, default_value_t = 10_000.0)]
        min_table_rows: f64,
    },
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Every setting, its value and where it comes from (default or database).
    Show,
    /// Set one setting; `default` restores the default.
    Set {
        /// lock_timeout, statement_timeout, maintenance_windows, max_concurrent_builds,
        /// max_index_size, require_approval, auto_rollback, validation_window, min_calls
        key: String,
        /// e.g. 5s, 2GB, on, "daily 01:00-05:00; sat,sun 00:00-23:59", default
        value: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// The effective value of every key and its source (default, file:line, database).
    Show,
    /// Store one key in the database (over the file); `default` removes it.
    Set {
        /// section.key, e.g. apply.lock_timeout, advisor.max_indexes, advisor.drops
        key: String,
        /// e.g. 5s, 2GB, on, 4, 0.5%, default
        value: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum GenomeCommand {
    /// Compare a schema file (YAML or TOML) with the live database and take its curated
    /// flags into the genome (bootstrapping it first when empty).
    Import {
        file: PathBuf,
        /// Report only; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Change nothing and exit 1 when the file and the database disagree anywhere.
        #[arg(long)]
        strict: bool,
    },
    /// Write the genome, foreign keys and indexes as a schema file.
    Export {
        /// Write here (atomically; .yaml, .yml or .toml) instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// yaml or toml (default: from --out's extension, else yaml).
        #[arg(long)]
        format: Option<String>,
    },
    /// List fields with their flags.
    List {
        #[arg(long)]
        schema: Option<String>,
        /// schema.table
        #[arg(long)]
        table: Option<String>,
        #[arg(long = "group")]
        feature_group: Option<String>,
        #[arg(long)]
        include_removed: bool,
        #[arg(long)]
        limit: Option<i64>,
    },
    /// Set curated flags on one or more fields (schema.table.column). Discovery never overwrites them.
    Set {
        #[arg(required = true)]
        fields: Vec<String>,
        #[arg(long)]
        indexable: Option<bool>,
        #[arg(long)]
        feature_group: Option<String>,
        /// on or off: is the field active for tenants that have no setting of their own?
        #[arg(long, value_parser = parse_on_off)]
        default_expression: Option<bool>,
        #[arg(long)]
        reason: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum FieldsCommand {
    /// With --tenant: every field's effective state for that tenant; without: every explicit setting.
    List {
        #[arg(long)]
        tenant: Option<String>,
        #[arg(long = "group")]
        feature_group: Option<String>,
    },
    /// Calls and time per field and role in the collected workload, plus host-application rows.
    Usage {
        /// Only the last part of the collected history (e.g. 1h, 24h); default: all of it.
        #[arg(long, value_parser = parse_interval)]
        since: Option<std::time::Duration>,
    },
    /// Switch a field on for a tenant.
    Enable(ToggleArgs),
    /// Switch a field off for a tenant.
    Disable(ToggleArgs),
}

#[derive(Debug, Args)]
pub struct ToggleArgs {
    #[arg(long)]
    pub tenant: String,
    /// schema.table.column
    pub field: String,
    /// Why (recorded in the mutation log).
    #[arg(long)]
    pub reason: Option<String>,
    #[command(flatten)]
    pub tenancy: TenancyArgs,
}

#[derive(Debug, Args, Clone)]
pub struct TenancyArgs {
    /// The tenant key column (default: the stored setting, else tenant_id).
    #[arg(long)]
    pub tenant_key: Option<String>,
    /// schema.table that lists the tenants (default: detected from foreign keys).
    #[arg(long)]
    pub tenants_table: Option<String>,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(subcommand)]
    pub action: Option<DemoAction>,
    /// Row-count multiplier (1.0 ≈ 1M rows in the largest table).
    #[arg(long, default_value_t = 1.0)]
    pub scale: f64,
    /// TCP port on 127.0.0.1.
    #[arg(long, default_value_t = 54329, global = true)]
    pub port: u16,
    /// Where the throwaway cluster lives (default: INDEXPILOT_DEMO_DIR, else a per-user folder).
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    /// Leave the server running in the background after a short burst of workload.
    #[arg(long)]
    pub detach: bool,
    /// Statements in the burst that --detach runs before returning.
    #[arg(long, default_value_t = 1000)]
    pub burst: u64,
    /// Do not add the demo database to the desktop app's saved connections.
    #[arg(long)]
    pub no_app: bool,
    /// Parallel sessions of the workload simulator.
    #[arg(long, default_value_t = 4)]
    pub concurrency: usize,
}

#[derive(Debug, Subcommand)]
pub enum DemoAction {
    /// Stop a detached demo server.
    Stop,
    /// Print the demo database URL.
    Url,
}

fn parse_interval(s: &str) -> Result<std::time::Duration, String> {
    let (digits, unit) = s.trim().split_at(
        s.trim()
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(s.trim().len()),
    );
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("expected a duration like 60s, 5m or 1h, got {s:?}"))?;
    let secs = match unit {
        "" | "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        _ => return Err(format!("expected a duration like 60s, 5m or 1h, got {s:?}")),
    };
    if secs == 0 {
        return Err("the interval must be at least 1s".to_string());
    }
    Ok(std::time::Duration::from_secs(secs))
}

/// `500MB`, `2GB`, `1.5GB`, `800kB` or plain bytes (powers of 1024, as PostgreSQL sizes).
fn parse_size(s: &str) -> Result<i64, String> {
    let t = s.trim();
    let at = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(at);
    let err = || format!("expected a size like 500MB or 2GB, got {s:?}");
    let n: f64 = num.parse().map_err(|_| err())?;
    let factor: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1024.0,
        "m" | "mb" => 1024.0 * 1024.0,
        "g" | "gb" => 1024.0 * 1024.0 * 1024.0,
        "t" | "tb" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        _ => return Err(err()),
    };
    let bytes = n * factor;
    if !(1.0..9.0e18).contains(&bytes) {
        return Err(err());
    }
    // Checked to be within range just above.
    #[allow(clippy::cast_possible_truncation)]
    let whole = bytes as i64;
    Ok(whole)
}

fn parse_on_off(s: &str) -> Result<bool, String> {
    match s {
        "on" | "true" | "yes" => Ok(true),
        "off" | "false" | "no" => Ok(false),
        _ => Err(format!("expected on or off, got {s:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes_read_as_postgresql_writes_them() {
        assert_eq!(parse_size("2GB"), Ok(2 * 1024 * 1024 * 1024));
        assert_eq!(parse_size("500mb"), Ok(500 * 1024 * 1024));
        assert_eq!(parse_size("1.5GB"), Ok(1_610_612_736));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert!(parse_size("2 GiB").is_err());
        assert!(parse_size("0").is_err());
        assert!(parse_size("lots").is_err());
    }
}
