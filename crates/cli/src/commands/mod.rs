//! One function per command; each connects, calls the engine and renders the result.

mod advise;
mod changes;
mod collect;
mod config;
mod demo;
mod genome;
mod health;
mod schema_file;
mod setup;
mod tenants;
mod types;

use crate::args::{Cli, Command, TenancyArgs};
use crate::output::Output;
use indexpilot_engine::config::PolicyFile;
use indexpilot_engine::settings::Tenancy;
use indexpilot_engine::{connect, ConnectOptions, Result};
use sqlx::PgPool;
use std::process::ExitCode;

pub async fn run(cli: Cli, out: &Output) -> Result<ExitCode> {
    let url = cli.database_url.clone();
    match cli.command {
        Command::Demo(args) => demo::run(args, out).await,
        Command::Overview { all: true, timeout } => {
            let file = config::load(cli.config.as_deref())?;
            health::overview_all(&file, out, timeout).await
        }
        command => {
            if let Command::GenerateTypes {
                lang, out, check, ..
            } = &command
            {
                // A wrong language is reported before any connection attempt.
                types::validate(lang, out.as_deref(), *check)?;
            }
            if let Command::Genome(crate::args::GenomeCommand::Import { file, .. }) = &command {
                // A malformed schema file is reported before any connection attempt.
                indexpilot_engine::schema_file::SchemaFile::read(file)?;
            }
            // A bad policy file is reported before any connection attempt.
            let file = config::load(cli.config.as_deref())?;
            let pool = open(url.as_deref()).await?;
            let ctx = Ctx {
                pool: &pool,
                out,
                file: &file,
                url: url.as_deref(),
            };
            let result = dispatch(command, &ctx).await;
            pool.close().await;
            result
        }
    }
}

/// What every command may need besides its arguments.
struct Ctx<'a> {
    pool: &'a PgPool,
    out: &'a Output,
    file: &'a PolicyFile,
    url: Option<&'a str>,
}

async fn dispatch(command: Command, ctx: &Ctx<'_>) -> Result<ExitCode> {
    let (pool, out, file, url) = (ctx.pool, ctx.out, ctx.file, ctx.url);
    match command {
        Command::Init => setup::init(pool, out, file).await,
        Command::Discover => setup::discover(pool, out, file).await,
        Command::Sync { dry_run } => setup::sync(pool, out, file, dry_run).await,
        Command::Genome(cmd) => genome::run(cmd, pool, out, file).await,
        Command::Tenants(args) => tenants::list(pool, out, file, &args).await,
        Command::Fields(cmd) => tenants::fields(cmd, pool, out, file).await,
        Command::Tenancy { tenancy, save } => {
            tenants::tenancy(pool, out, file, &tenancy, save).await
        }
        Command::Log { kind, limit } => setup::log(pool, out, kind.as_deref(), limit).await,
        Command::Collect { once: _, interval } => collect::run(pool, out, file, interval).await,
        Command::Workload { top, since } => collect::workload(pool, out, top, since).await,
        Command::Health { min_table_rows } => health::run(pool, out, min_table_rows).await,
        Command::Overview { .. } => health::overview(pool, out).await,
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
            advise::run(pool, out, file, args).await
        }
        Command::Approve { id, note } => {
            changes::approve(pool, out, file, id, note.as_deref()).await
        }
        Command::Reject { id, reason } => changes::reject(pool, out, file, id, &reason).await,
        Command::Apply { id, dry_run, .. } if dry_run => {
            changes::preview(pool, out, file, id, false).await
        }
        Command::Apply { id, wait, .. } => changes::apply(pool, out, file, id, wait, url).await,
        Command::Rollback { id, dry_run } if dry_run => {
            changes::preview(pool, out, file, id, true).await
        }
        Command::Rollback { id, .. } => changes::rollback(pool, out, file, id).await,
        Command::Reapply { id, wait } => changes::reapply(pool, out, file, id, wait, url).await,
        Command::History { since } => {
            changes::history(pool, out, file, collect::since(since)).await
        }
        Command::Experiments { judge, charts } => {
            changes::experiments(pool, out, file, judge, charts.as_deref()).await
        }
        Command::Policy(cmd) => changes::policy(pool, out, file, cmd).await,
        Command::Config(cmd) => config::run(cmd, pool, out, file).await,
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

/// The tenancy setting (database, else the policy file, else the default) with any
/// command-line overrides on top.
async fn tenancy(pool: &PgPool, file: &PolicyFile, args: &TenancyArgs) -> Result<Tenancy> {
    indexpilot_engine::migrate::require_initialised(pool).await?;
    indexpilot_engine::config::tenancy(pool, file)
        .await?
        .with_overrides(args.tenant_key.as_deref(), args.tenants_table.as_deref())
}
