//! What the shell shows about itself, and task control.

use super::CmdResult;
use crate::state::AppState;
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
pub struct AppInfo {
    pub name: String,
    pub version: String,
    pub engine_version: String,
}

#[tauri::command]
pub fn app_info() -> AppInfo {
    AppInfo {
        name: "IndexPilot".to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        engine_version: indexpilot_engine::VERSION.to_string(),
    }
}

/// Cancels a running cancellable task ("sync"); false when none was running.
#[tauri::command]
pub fn task_cancel(state: State<'_, AppState>, task: String) -> CmdResult<bool> {
    Ok(state.cancel(&task))
}
