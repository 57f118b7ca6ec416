//! The desktop shell: window, managed state and thin commands that each call one engine
//! function. Domain logic lives in `indexpilot-engine`.

pub mod commands;
mod ipc_error;
pub mod progress;
pub mod state;

pub use ipc_error::IpcError;

use indexpilot_engine::local::{KeyringSecrets, LocalStore};
use std::sync::Arc;
use tauri::Manager;

/// The app identifier: also the keyring service under which passwords are stored.
pub use indexpilot_engine::local::APP_IDENTIFIER as IDENTIFIER;

/// Registers the app's commands on a builder; tests pass Tauri's mock builder and their
/// own state.
pub fn app<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    use commands::{
        advisor, app, changes, connections, genome, overview, tenants, types, workload,
    };
    builder
        // The save dialog of the Types view (used from Rust only: no JS permission needed).
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(tauri::generate_handler![
            app::app_info,
            app::task_cancel,
            connections::connections_list,
            connections::connection_save,
            connections::connection_duplicate,
            connections::connection_delete,
            connections::connection_test,
            connections::connection_open,
            connections::connection_close,
            connections::active_connection,
            genome::metadata_init,
            genome::genome_browse,
            genome::genome_set_flags,
            genome::sync_plan,
            genome::sync_apply,
            tenants::tenants_list,
            tenants::expression_matrix,
            tenants::expression_set,
            types::types_tables,
            types::types_generate,
            types::types_save,
            workload::workload_top,
            advisor::advise_run,
            advisor::advice_stored,
            changes::change_get,
            changes::change_preview,
            changes::change_approve,
            changes::change_reject,
            changes::change_run,
            changes::timeline,
            changes::experiment_chart,
            workload::explain_statement,
            workload::statement_chart,
            workload::health_report,
            workload::collector_status,
            workload::collector_set,
            workload::field_usage,
            overview::overview_get,
            overview::overview_all,
        ])
}

/// The app's configuration, capabilities and (in release builds) embedded UI. A development
/// build takes its own identifier (the engine's [`IDENTIFIER`]), so its app-data folder,
/// webview storage and keyring entries are never the installed app's, and says so in its title.
pub fn context<R: tauri::Runtime>() -> tauri::Context<R> {
    let mut context: tauri::Context<R> = tauri::generate_context!();
    let config = context.config_mut();
    if config.identifier != IDENTIFIER {
        config.identifier = IDENTIFIER.to_string();
        for window in &mut config.app.windows {
            window.title = format!("{} (development build)", window.title);
        }
    }
    context
}

pub fn run() -> Result<(), tauri::Error> {
    app(tauri::Builder::default())
        .setup(|app| {
            // INDEXPILOT_DATA_DIR keeps tests and demos away from the real app-data folder;
            // otherwise it is the identifier's (context() set a development build's own).
            let dir = match std::env::var_os("INDEXPILOT_DATA_DIR").filter(|d| !d.is_empty()) {
                Some(d) => std::path::PathBuf::from(d),
                None => app.path().app_data_dir()?,
            };
            init_logging(&dir.join("logs"));
            tracing::info!(version = env!("CARGO_PKG_VERSION"), "IndexPilot starting");
            let store = tauri::async_runtime::block_on(LocalStore::open(
                &dir.join(indexpilot_engine::local::STORE_FILE),
            ))?;
            app.manage(state::AppState::new(
                store,
                Arc::new(KeyringSecrets::new(IDENTIFIER)),
            ));
            Ok(())
        })
        .run(context())
}

/// Logs go to a daily-rolling file in the app-data folder (and stderr). Nothing logged
/// carries a secret: passwords are `Secret`s, which print as `<redacted>`.
fn init_logging(dir: &std::path::Path) {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let filter = tracing_subscriber::EnvFilter::try_from_env("INDEXPILOT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let file = tracing_appender::rolling::daily(dir, "indexpilot.log");
    if let Err(e) = tracing_subscriber::registry()
        .with(filter)
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .with(
            tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(file),
        )
        .try_init()
    {
        eprintln!("indexpilot-app: logging is off: {e}");
    }
}
