//! The demo: a throwaway PostgreSQL with the multi-tenant CRM, IndexPilot initialised on it
//! and a live workload, so that every view and command has something real to show.

use crate::args::{DemoAction, DemoArgs};
use crate::output::Output;
use indexpilot_demo::cluster::{
    default_demo_dir, hypopg_installed, Cluster, ClusterOptions, ClusterState,
};
use indexpilot_demo::{dataset, workload, DemoError};
use indexpilot_engine::settings::Tenancy;
use indexpilot_engine::{expression, local, Actor, Error, FieldRef, Result};
use serde_json::json;
use sqlx::PgPool;
use std::path::PathBuf;
use std::process::ExitCode;
use tokio::sync::watch;

const DATABASE: &str = "indexpilot_demo";

fn local(e: DemoError) -> Error {
    Error::Local(e.to_string())
}

pub async fn run(args: DemoArgs, out: &Output) -> Result<ExitCode> {
    let dir = args.data_dir.clone().unwrap_or_else(default_demo_dir);
    match args.action {
        Some(DemoAction::Stop) => {
            let was_running = blocking(move || Cluster::stop_data_dir(&dir)).await?;
            out.emit(&json!({"stopped": was_running}), |_| {
                if was_running {
                    "demo server stopped"
                } else {
                    "no demo server was running"
                }
                .to_string()
            });
            Ok(ExitCode::SUCCESS)
        }
        Some(DemoAction::Url) => {
            let state = ClusterState::read(&dir).map_err(local)?;
            let url = demo_url(&state);
            out.emit(&json!({"url": url}), |_| url.clone());
            Ok(ExitCode::SUCCESS)
        }
        None => start(args, dir, out).await,
    }
}

async fn start(args: DemoArgs, dir: PathBuf, out: &Output) -> Result<ExitCode> {
    if !(args.scale > 0.0 && args.scale <= 20.0) {
        return Err(Error::InvalidInput(format!(
            "--scale must be in (0, 20], got {}",
            args.scale
        )));
    }
    let opts = ClusterOptions {
        data_dir: Some(dir.clone()),
        port: Some(args.port),
        password: None,
        preload: vec!["pg_stat_statements".to_string(), "pg_qualstats".to_string()],
        keep_running: true,
    };
    progress(out, &format!("starting PostgreSQL in {}", dir.display()));
    let cluster = blocking(move || Cluster::start(opts)).await?;
    let url = ensure_database(&cluster).await?;
    let pool = super::open(Some(&url)).await?;
    prepare(&pool, args.scale, out).await?;

    let report = indexpilot_engine::init(&pool, &Actor::from_env()).await?;
    seed_expression(&pool).await?;
    pool.close().await;
    if !args.no_app {
        match register_with_app(&url).await {
            Ok(Some(path)) => progress(
                out,
                &format!("added \"{APP_LABEL}\" to the desktop app's connections ({path})"),
            ),
            Ok(None) => {}
            // The demo works without the app; say why the app will not list it.
            Err(e) => progress(
                out,
                &format!("could not add the demo to the desktop app's connections: {e}"),
            ),
        }
    }

    let summary = json!({
        "url": url,
        "data_dir": dir,
        "fields": report.fields,
        "relations": report.relations,
        "hypopg": hypopg_installed(),
        "detached": args.detach,
    });
    out.emit(&summary, |_| {
        format!(
            "demo database ready: {url}\n  {} relations, {} fields; HypoPG {}\n  try: indexpilot --database-url '{url}' tenants",
            report.relations,
            report.fields,
            if hypopg_installed() { "installed" } else { "not installed" }
        )
    });

    let app = workload::connect(&url, u32::try_from(args.concurrency).unwrap_or(4))
        .await
        .map_err(local)?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut wl = workload::WorkloadOptions {
        concurrency: args.concurrency,
        ..Default::default()
    };
    if args.detach {
        wl.max_statements = Some(args.burst);
        progress(
            out,
            &format!("running a burst of {} statements of workload", args.burst),
        );
        let report = workload::run(&app, wl, stop_rx).await.map_err(local)?;
        app.close().await;
        progress(
            out,
            &format!(
                "workload: {} statements in {:.1} s; the server keeps running: stop it with `indexpilot demo stop`",
                report.executed,
                report.elapsed.as_secs_f64()
            ),
        );
        return Ok(ExitCode::SUCCESS);
    }
    progress(
        out,
        "workload running; press Ctrl-C to stop the workload and the server",
    );
    let runner = tokio::spawn(async move { workload::run(&app, wl, stop_rx).await });
    let _ = tokio::signal::ctrl_c().await;
    let _ = stop_tx.send(true);
    let _ = runner.await;
    blocking(move || cluster.stop()).await?;
    progress(out, "demo server stopped");
    Ok(ExitCode::SUCCESS)
}

/// Creates the demo database on first use and records it in the cluster's state file.
async fn ensure_database(cluster: &Cluster) -> Result<String> {
    let admin = super::open(Some(&cluster.admin_url())).await?;
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(DATABASE)
            .fetch_one(&admin)
            .await?;
    admin.close().await;
    let url = if exists {
        cluster.url(DATABASE)
    } else {
        cluster.create_database(DATABASE).await.map_err(local)?
    };
    cluster.remember_database(DATABASE).map_err(local)?;
    Ok(url)
}

/// Extensions and the dataset, loaded once: a second `demo` reuses them.
async fn prepare(pool: &PgPool, scale: f64, out: &Output) -> Result<()> {
    sqlx::query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        .execute(pool)
        .await?;
    if hypopg_installed() {
        sqlx::query("CREATE EXTENSION IF NOT EXISTS hypopg")
            .execute(pool)
            .await?;
    }
    let loaded: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'crm')")
            .fetch_one(pool)
            .await?;
    if !loaded {
        progress(out, &format!("loading the demo CRM (scale {scale})"));
        let report = dataset::load(pool, scale).await.map_err(local)?;
        progress(
            out,
            &format!(
                "loaded {} rows in {:.1} s",
                report.tables.iter().map(|(_, n)| n).sum::<i64>(),
                report.elapsed.as_secs_f64()
            ),
        );
        // The workload the advisor sees is what the application runs, not the one-off load.
        sqlx::query("SELECT pg_stat_statements_reset()")
            .execute(pool)
            .await?;
    }
    Ok(())
}

/// Custom fields switched on for a few tenants, as their owners would have, so the tenant
/// view and the advisor see a realistic expression profile.
async fn seed_expression(pool: &PgPool) -> Result<()> {
    let tenants = dataset::tenant_ids(pool).await.map_err(local)?;
    let tenancy = Tenancy::default();
    let actor = Actor::named("indexpilot-demo");
    for (i, (schema, table, column)) in dataset::custom_fields().iter().enumerate() {
        let field = FieldRef::new(*schema, *table, *column);
        // Spread: the first custom field is used by many tenants, the last by very few.
        let every = i + 2;
        for (n, tenant) in tenants.iter().enumerate() {
            if n % every == 0 {
                let reason = Some("enabled by the tenant's admin (demo data)");
                expression::set(
                    pool,
                    &actor,
                    &tenancy,
                    &tenant.to_string(),
                    &field,
                    true,
                    reason,
                )
                .await?;
            }
        }
    }
    Ok(())
}

const APP_LABEL: &str = "IndexPilot demo";

/// Saves the demo database in the desktop app's connections, once, so that the app opens
/// with it listed. No password: the demo server trusts local connections.
async fn register_with_app(url: &str) -> Result<Option<String>> {
    let Some(path) = local::default_store_path() else {
        return Ok(None);
    };
    let store = local::LocalStore::open(&path).await?;
    let secrets = local::MemorySecrets::default();
    let target = local::ConnectionTarget::Url {
        url: url.to_string(),
    };
    if store
        .connections(&secrets)
        .await?
        .iter()
        .any(|c| c.target == target)
    {
        return Ok(None);
    }
    let input = local::ConnectionInput {
        id: None,
        label: APP_LABEL.to_string(),
        colour: "#0ea5e9".to_string(),
        read_only: false,
        target,
        password: None,
        forget_password: false,
    };
    store.save_connection(&secrets, input).await?;
    Ok(Some(path.display().to_string()))
}

fn demo_url(state: &ClusterState) -> String {
    state.url(None)
}

fn progress(out: &Output, msg: &str) {
    if !out.json {
        eprintln!("{msg}");
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> std::result::Result<T, DemoError> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Local(format!("background task failed: {e}")))?
        .map_err(local)
}
