//! `indexpilot`: the headless face of the engine, for cron, CI and scripts.

mod args;
mod commands;
mod output;

use args::Cli;
use clap::Parser;
use output::Output;
use std::process::ExitCode;

fn main() -> ExitCode {
    // A bug must not print a stack trace at a user: one line, and a distinct exit code.
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!("indexpilot: internal error: {msg} (this is a bug; please report it)");
    }));

    let cli = Cli::parse();
    init_logging(cli.verbose);
    let out = Output::new(cli.json);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("indexpilot: error: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(commands::run(cli, &out)) {
        Ok(code) => code,
        Err(err) => {
            out.error(&err);
            ExitCode::from(2)
        }
    }
}

fn init_logging(verbose: u8) {
    // sqlx reports slow statements as warnings; they are not the user's business unless asked.
    let default = match verbose {
        0 => "warn,sqlx=error",
        1 => "info,sqlx=warn",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("INDEXPILOT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
}
