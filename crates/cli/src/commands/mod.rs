//! One function per command; each connects, calls the engine and renders the result.

mod advise;
mod changes;
mod collect;
mod demo;
mod genome;
mod health;
mod setup;
mod tenants;
mod types;

use crate::args::{Cli, Command, TenancyArgs};
use crate::output::Output;
use indexpilot_engine::settings::{self, Tenancy};
use indexpilot_engine::{connect, ConnectOptions, Result};
use sqlx::PgPool;
use std::process::ExitCode;

pub async fn run(cli: Cli, out: &Output) -> Result<ExitCode> {
    let url = cli.database_url.clone();
    match cli.command {
        Command::Demo(args) => demo::run(args, out).await,
        command => {
            if let Command::GenerateTypes {
                lang, out, check, ..
            } = &command
            {
                // A wrong language is reported before any connection attempt.
                types::validate(lang, out.as_deref(), *check)?;
            }
            let pool = open(url.as_deref()).await?;
            let result = dispatch(command, &pool, out, url.as_deref()).await;
            pool.close().await;
            result
        }
    }
}

async fn dispatch(
    command: Command,
    pool: &PgPool,
    out: &Output,
    url: Option<&str>,
) -> Result<ExitCode> {
    match command {
        Command::Init => setup::init(pool, out).await,
        Command::Discover => setup::discover(pool, out).await,
        Command::Sync { dry_run } => setup::sync(pool, out, dry_run).await,
        Command::Genome(cmd) => genome::run(cmd, pool, out).await,
        Command::Tenants(args) => tenants::list(pool, out, &args).await,
        Command::Fields(cmd) => tenants::fields(cmd, pool, out).await,
        Command::Tenancy { tenancy, save } => tenants::tenancy(pool, out, &tenancy, save).await,
        Command::Log { kind, limit } => setup::log(pool, out, kind.as_deref(), limit).await,
        Command::Collect { once: _, interval } => collect::run(pool, out, interval).await,
        Command::Workload { top, since } => collect::workload(pool, out, top, since).await,
        Command::Health { min_table_rows } => health::run(pool, out, min_table_rows).await,
        Command::Advise {
            budget,
            max_indexes,
            min_table_rows,
            since,
            dry_run,
        } => {
            let args = advise::Args {
                budget,
                max_indexes,
                min_table_rows,
                since: collect::since(since),
                dry_run,
            };
            advise::run(pool, out, args).await
        }
        Command::Approve { id, note } => changes::approve(pool, out, id, note.as_deref()).await,
        Command::Reject { id, reason } => changes::reject(pool, out, id, &reason).await,
        Command::Apply { id, wait } => changes::apply(pool, out, id, wait, url).await,
        Command::Rollback { id } => changes::rollback(pool, out, id).await,
        Command::Reapply { id } => changes::reapply(pool, out, id).await,
        Command::History { since } => changes::history(pool, out, collect::since(since)).await,
        Command::Experiments { judge, charts } => {
            changes::experiments(pool, out, judge, charts.as_deref()).await
        }
        Command::Policy(cmd) => changes::policy(pool, out, cmd).await,
        Command::GenerateTypes {
            lang,
            out: file,
            schemas,
            tables,
            check,
        } => {
            let args = types::Args {
                lang,
                file,
                schemas,
                tables,
                check,
            };
            types::run(pool, out, args).await
        }
        Command::Demo(_) => unreachable!("handled before connecting"),
    }
}

pub async fn open(url: Option<&str>) -> Result<PgPool> {
    let opts = ConnectOptions::resolve(url)?;
    connect(&opts).await
}

/// The stored tenancy setting with any command-line overrides on top.
async fn tenancy(pool: &PgPool, args: &TenancyArgs) -> Result<Tenancy> {
    indexpilot_engine::migrate::require_initialised(pool).await?;
    settings::tenancy(pool)
        .await?
        .with_overrides(args.tenant_key.as_deref(), args.tenants_table.as_deref())
}
